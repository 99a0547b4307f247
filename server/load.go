package server

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// LoadConfig reads the YAML file at path over DefaultConfig and validates
// the result. Every error is a *ConfigError naming the file, the line and
// the setting: unknown keys are rejected (a typo must not silently leave
// a default in place), and so are values of the wrong kind.
func LoadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("server: reading configuration: %w", err)
	}
	c, err := ParseConfig(data)
	if ce, ok := errors.AsType[*ConfigError](err); ok {
		ce.File = path
	}
	return c, err
}

// ParseConfig is LoadConfig on the contents of a file.
func ParseConfig(data []byte) (Config, error) {
	c := DefaultConfig()
	d := decoder{lines: make(map[string]int)}
	if err := d.decodeDocument(data, &c); err != nil {
		return Config{}, err
	}
	if err := c.Validate(); err != nil {
		if ce, ok := errors.AsType[*ConfigError](err); ok {
			ce.Line = d.lineOf(ce.Setting)
		}
		return Config{}, err
	}
	return c, nil
}

// decoder fills a Config from a yaml.Node tree by its yaml tags. It does
// the work of yaml.v3's KnownFields(true) strict mode, but knows the
// dotted path of every value, so its errors name the setting
// ("sql.auht") where yaml.v3's name only the Go type.
type decoder struct {
	// lines maps each setting seen to its line, so that a validation
	// error found after decoding can point into the file.
	lines map[string]int
}

var durationType = reflect.TypeFor[time.Duration]()

func (d *decoder) decodeDocument(data []byte, c *Config) error {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil // an empty file: all defaults
		}
		return yamlSyntaxError(err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return &ConfigError{Msg: "more than one YAML document"}
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil // only comments
	}
	return d.decode(root, reflect.ValueOf(c).Elem(), "")
}

// decode stores node into v, the setting at path.
func (d *decoder) decode(node *yaml.Node, v reflect.Value, path string) error {
	if node.Kind == yaml.AliasNode {
		node = node.Alias
	}
	if node.Kind == yaml.ScalarNode && node.Tag == "!!null" {
		return nil // "key:" with no value keeps the default
	}
	fail := func(format string, args ...any) error {
		return &ConfigError{Line: node.Line, Setting: path, Msg: fmt.Sprintf(format, args...)}
	}
	switch {
	case v.Kind() == reflect.Struct:
		return d.decodeStruct(node, v, path)
	case v.Type() == durationType:
		dur, err := time.ParseDuration(node.Value)
		if node.Kind != yaml.ScalarNode || err != nil {
			return fail("invalid duration %q (want e.g. 500ms, 5s, 1m)", node.Value)
		}
		v.SetInt(int64(dur))
	case v.Kind() == reflect.Int || v.Kind() == reflect.Int64:
		var i int64
		if node.Kind != yaml.ScalarNode || node.Decode(&i) != nil {
			return fail("invalid integer %q", node.Value)
		}
		v.SetInt(i)
	case v.Kind() == reflect.String:
		if node.Kind != yaml.ScalarNode {
			return fail("want a string, got a %s", kindName(node))
		}
		v.SetString(node.Value)
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.String:
		if node.Kind != yaml.SequenceNode {
			return fail("want a list, got a %s", kindName(node))
		}
		list := reflect.MakeSlice(v.Type(), len(node.Content), len(node.Content))
		for i, item := range node.Content {
			d.lines[fmt.Sprintf("%s[%d]", path, i)] = item.Line
			if err := d.decode(item, list.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		v.Set(list)
	default:
		// A Config field of a kind this decoder does not know: a bug
		// caught by TestExampleCoversEveryKey.
		return fail("server: cannot decode into %s", v.Type())
	}
	return nil
}

// decodeStruct decodes a mapping into the struct v by yaml tags,
// rejecting unknown and repeated keys.
func (d *decoder) decodeStruct(node *yaml.Node, v reflect.Value, path string) error {
	if node.Kind != yaml.MappingNode {
		return &ConfigError{Line: node.Line, Setting: path, Msg: fmt.Sprintf("want a mapping of settings, got a %s", kindName(node))}
	}
	seen := make(map[string]bool)
	for i := 0; i+1 < len(node.Content); i += 2 {
		key, val := node.Content[i], node.Content[i+1]
		setting := key.Value
		if path != "" {
			setting = path + "." + key.Value
		}
		if seen[key.Value] {
			return &ConfigError{Line: key.Line, Setting: setting, Msg: "set twice"}
		}
		seen[key.Value] = true
		f, ok := fieldByTag(v, key.Value)
		if !ok {
			return &ConfigError{Line: key.Line, Setting: setting, Msg: "unknown setting"}
		}
		d.lines[setting] = key.Line
		if err := d.decode(val, f, setting); err != nil {
			return err
		}
	}
	return nil
}

// fieldByTag returns the field of struct v whose yaml tag is name.
func fieldByTag(v reflect.Value, name string) (reflect.Value, bool) {
	t := v.Type()
	for i := range t.NumField() {
		tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if tag == name && tag != "-" {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

// lineOf returns the line of setting, or of its nearest enclosing
// setting that appeared in the file (0: none did).
func (d *decoder) lineOf(setting string) int {
	for s := setting; s != ""; {
		if l, ok := d.lines[s]; ok {
			return l
		}
		if i := strings.LastIndexAny(s, ".["); i >= 0 {
			s = s[:i]
		} else {
			s = ""
		}
	}
	return 0
}

// yamlLine finds the line in yaml.v3's syntax errors ("yaml: line 3:
// did not find expected key"); the library exports no structured form.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func yamlSyntaxError(err error) *ConfigError {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &ConfigError{Line: line, Msg: "invalid YAML: " + m[2]}
	}
	return &ConfigError{Msg: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	default:
		return "scalar"
	}
}
