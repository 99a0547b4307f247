package sql

import (
	"strings"

	"github.com/quorumdb/quorumdb/sql/builtins"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// resolveJSONSRF fills def for json(b)_array_elements(_text),
// json(b)_each(_text) and json(b)_object_keys.
func (b *builder) resolveJSONSRF(def *srfDef) error {
	name := def.name
	jt := types.JSONT
	if strings.HasPrefix(name, "jsonb") {
		jt = types.JSONB
	}
	base := strings.TrimPrefix(strings.TrimPrefix(name, "jsonb_"), "json_")
	if base == "populate_recordset" {
		return b.populateRecordsetSRF(def)
	}
	if !setReturningFuncs[name] || !strings.HasPrefix(name, "json") {
		return pgerror.New(pgerror.UndefinedFunction, "function %s does not exist", name)
	}
	if len(def.args) != 1 {
		return pgerror.New(pgerror.UndefinedFunction, "function %s with %d arguments does not exist", name, len(def.args)).
			WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
	}
	var err error
	if def.args[0], err = b.coerce(def.args[0], jt, name); err != nil {
		return err
	}
	valueType := jt
	asText := strings.HasSuffix(base, "_text")
	if asText {
		valueType = types.Text
	}
	value := func(raw string) types.Datum {
		if asText {
			return builtins.JSONValueText(raw)
		}
		return types.JSON(raw)
	}
	switch base {
	case "array_elements", "array_elements_text":
		def.cols = []exec.Column{{Name: "value", T: valueType}}
		def.outNamed = true
		def.gen = func(_ *exec.Ctx, v []types.Datum) ([]exec.Row, error) {
			elems, err := builtins.JSONArrayElements(string(v[0].(types.JSON)), name)
			out := make([]exec.Row, len(elems))
			for i, e := range elems {
				out[i] = exec.Row{value(e)}
			}
			return out, err
		}
	case "each", "each_text":
		def.cols = []exec.Column{{Name: "key", T: types.Text}, {Name: "value", T: valueType}}
		def.gen = func(_ *exec.Ctx, v []types.Datum) ([]exec.Row, error) {
			keys, vals, err := builtins.JSONObjectMembers(string(v[0].(types.JSON)), name)
			out := make([]exec.Row, len(keys))
			for i := range keys {
				out[i] = exec.Row{keys[i], value(vals[i])}
			}
			return out, err
		}
	case "object_keys":
		def.cols = []exec.Column{{Name: name, T: types.Text}}
		def.gen = func(_ *exec.Ctx, v []types.Datum) ([]exec.Row, error) {
			keys, _, err := builtins.JSONObjectMembers(string(v[0].(types.JSON)), name)
			out := make([]exec.Row, len(keys))
			for i, k := range keys {
				out[i] = exec.Row{k}
			}
			return out, err
		}
	default:
		return pgerror.New(pgerror.UndefinedFunction, "function %s does not exist", name)
	}
	return nil
}
