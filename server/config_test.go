package server

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestDefaultConfigIsValid(t *testing.T) {
	rc, err := DefaultConfig().Resolved()
	if err != nil {
		t.Fatal(err)
	}
	if rc.Node.ID != 1 || rc.Cluster.ReplicationFactor != 1 || rc.AdvertiseAddress != DefaultListenAddress {
		t.Errorf("derived settings: id %d, rf %d, advertise %q", rc.Node.ID, rc.Cluster.ReplicationFactor, rc.AdvertiseAddress)
	}
	// A zero Config means the same as DefaultConfig.
	zero, err := Config{}.Resolved()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(zero, rc) {
		t.Errorf("Config{}.Resolved() = %+v\nwant %+v", zero, rc)
	}
}

func TestParseEmptyIsDefault(t *testing.T) {
	for _, src := range []string{"", "# only a comment\n", "{}\n"} {
		c, err := ParseConfig([]byte(src))
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		if !reflect.DeepEqual(c, DefaultConfig()) {
			t.Errorf("%q: got %+v, want defaults", src, c)
		}
	}
}

func TestParseSettings(t *testing.T) {
	tlsFiles := peerCerts(t, []string{"10.0.0.1:7433", "10.0.0.2:7433", "10.0.0.3:7433"})
	c, err := ParseConfig(fmt.Appendf(nil, `
advertise_address: 10.0.0.2:7433
buffer_directory: /var/lib/quorumdb
sql:
  listen_address: 0.0.0.0:6543
  auth: md5
  superuser_password: s3cret
heartbeat:
  interval: 250ms
  timeout: 2s
  offline_after: 1m
cluster:
  nodes: [10.0.0.1:7433, 10.0.0.2:7433, 10.0.0.3:7433]
  partitions: 16
  tls: {ca_file: %s, cert_file: %s, key_file: %s}
log: {level: debug, format: json}
`, tlsFiles[1].CAFile, tlsFiles[1].CertFile, tlsFiles[1].KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := c.Resolved()
	if err != nil {
		t.Fatal(err)
	}
	if rc.Node.ID != 2 {
		t.Errorf("node id from position = %d, want 2", rc.Node.ID)
	}
	if rc.SQL.Auth != "md5" || rc.SQL.SuperuserPassword != "s3cret" || rc.SQL.ListenAddress != "0.0.0.0:6543" {
		t.Errorf("sql = %+v", rc.SQL)
	}
	if rc.Heartbeat != (HeartbeatConfig{250 * time.Millisecond, 2 * time.Second, time.Minute}) {
		t.Errorf("heartbeat = %+v", rc.Heartbeat)
	}
	if rc.Cluster.Partitions != 16 || rc.Cluster.Replication.QueuesPerPeer != 8 {
		t.Errorf("cluster = %+v", rc.Cluster)
	}
	if rc.Log != (LogConfig{"debug", "json"}) {
		t.Errorf("log = %+v", rc.Log)
	}
}

func TestReplicationFactorDefault(t *testing.T) {
	for n, want := range map[int]int{1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 7: 4} {
		c := DefaultConfig()
		for i := range n {
			c.Cluster.Nodes = append(c.Cluster.Nodes, "10.0.0."+string(rune('1'+i))+":7433")
		}
		c.Node.ID = 1
		c.AdvertiseAddress = c.Cluster.Nodes[0]
		if n > 1 {
			f := peerCerts(t, c.Cluster.Nodes)[0]
			c.Cluster.TLS = PeerTLSConfig{Mode: "on", CAFile: f.CAFile, CertFile: f.CertFile, KeyFile: f.KeyFile}
		}
		rc, err := c.Resolved()
		if err != nil {
			t.Fatalf("%d nodes: %v", n, err)
		}
		if rc.Cluster.ReplicationFactor != want {
			t.Errorf("%d nodes: replication factor %d, want %d", n, rc.Cluster.ReplicationFactor, want)
		}
	}
}

func TestWarnings(t *testing.T) {
	c := DefaultConfig()
	c.Cluster.Nodes = []string{"a:1", "b:1", "c:1", "d:1", "e:1"}
	c.AdvertiseAddress = "a:1"
	f := peerCerts(t, c.Cluster.Nodes)[0]
	c.Cluster.TLS = PeerTLSConfig{Mode: "on", CAFile: f.CAFile, CertFile: f.CertFile, KeyFile: f.KeyFile}
	for rf, warn := range map[int]bool{0: false, 1: true, 2: true, 3: false, 4: true, 5: false} {
		c.Cluster.ReplicationFactor = rf
		rc, err := c.Resolved()
		if err != nil {
			t.Fatal(err)
		}
		if got := len(rc.Warnings()) > 0; got != warn {
			t.Errorf("rf %d: warnings %q, want some: %v", rf, rc.Warnings(), warn)
		}
	}
	if w := DefaultConfig().Warnings(); len(w) != 0 {
		t.Errorf("single node warns: %q", w)
	}
}

// TestParseErrors checks that each bad file is rejected with an error
// naming the setting, its line, and what is wrong.
func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src, setting string
		line               int
		msg                string // substring of the message
	}{
		{"unknown top-level key", "buffer_directory: x\nlisten_adress: a:1\n", "listen_adress", 2, "unknown setting"},
		{"unknown nested key", "sql:\n  auth: trust\n  auht: md5\n", "sql.auht", 3, "unknown setting"},
		{"unknown deep key", "cluster:\n  replication:\n    queues: 3\n", "cluster.replication.queues", 3, "unknown setting"},
		{"bad duration", "heartbeat:\n  interval: x\n", "heartbeat.interval", 2, `invalid duration "x"`},
		{"duration without unit", "heartbeat:\n  timeout: 5\n", "heartbeat.timeout", 2, `invalid duration "5"`},
		{"bad integer", "cluster:\n  partitions: many\n", "cluster.partitions", 2, `invalid integer "many"`},
		{"list for string", "buffer_directory: [a, b]\n", "buffer_directory", 1, "want a string"},
		{"scalar for list", "cluster:\n  nodes: a:1\n", "cluster.nodes", 2, "want a list"},
		{"scalar for section", "sql: yes\n", "sql", 1, "want a mapping"},
		{"set twice", "log:\n  level: info\n  level: debug\n", "log.level", 3, "set twice"},
		{"bad auth", "sql:\n  auth: scram\n", "sql.auth", 2, `"scram" is not one of`},
		{"password without password", "sql:\n  auth: md5\n", "sql.superuser_password", 1, "required"},
		{"bad level", "log:\n  level: loud\n", "log.level", 2, `"loud"`},
		{"bad format", "log:\n  format: xml\n", "log.format", 2, `"xml"`},
		{"timeout within interval", "heartbeat:\n  interval: 5s\n", "heartbeat.timeout", 1, "greater than heartbeat.interval"},
		{"bad address", "sql:\n  listen_address: localhost\n", "sql.listen_address", 2, "host:port"},
		{"duplicate node", "advertise_address: a:1\ncluster:\n  nodes: [a:1, b:1, a:1]\n", "cluster.nodes[2]", 3, "listed twice"},
		{"not in nodes", "cluster:\n  nodes: [a:1, b:1]\n", "advertise_address", 0, "not in cluster.nodes"},
		{"id beyond nodes", "node:\n  id: 3\ncluster:\n  nodes: [a:1, b:1]\n", "node.id", 2, "beyond"},
		{"rf beyond nodes", "advertise_address: a:1\ncluster:\n  nodes: [a:1, b:1, c:1]\n  replication_factor: 4\n", "cluster.replication_factor", 4, "outside 1..3"},
		{"negative partitions", "cluster:\n  partitions: -1\n", "cluster.partitions", 2, "outside"},
		{"small messages", "sql:\n  max_message_size: 100\n", "sql.max_message_size", 2, "below the minimum"},
		{"not yaml", "sql: [\n", "", 1, "invalid YAML"},
		{"list at top", "- a\n", "", 1, "want a mapping"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tc.src))
			ce, ok := errors.AsType[*ConfigError](err)
			if !ok {
				t.Fatalf("err = %v, want a *ConfigError", err)
			}
			if !errors.Is(err, ErrConfig) {
				t.Errorf("errors.Is(%v, ErrConfig) is false", err)
			}
			if ce.Setting != tc.setting || ce.Line != tc.line || !strings.Contains(ce.Msg, tc.msg) {
				t.Errorf("got setting %q line %d msg %q\nwant setting %q line %d msg containing %q",
					ce.Setting, ce.Line, ce.Msg, tc.setting, tc.line, tc.msg)
			}
		})
	}
}

func TestLoadConfigNamesFileAndLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "quorumdb.yaml")
	if err := os.WriteFile(path, []byte("heartbeat:\n  interval: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadConfig(path)
	want := path + `:2: heartbeat.interval: invalid duration "x"`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("LoadConfig error = %v\nwant prefix %s", err, want)
	}
	if _, err := LoadConfig(filepath.Join(t.TempDir(), "missing.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// TestExampleFile loads the documented example, which must be valid and
// spell out exactly the defaults.
func TestExampleFile(t *testing.T) {
	c, err := LoadConfig(filepath.Join("testdata", "quorumdb.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultConfig()
	want.AdvertiseAddress = DefaultListenAddress
	want.Cluster.Nodes = []string{}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("example file = %+v\nwant defaults %+v", c, want)
	}
}

// TestExampleCoversEveryKey keeps the example file complete: every
// setting of Config must appear in it (with its comment), so a new field
// cannot go undocumented.
func TestExampleCoversEveryKey(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "quorumdb.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(reflect.Type, string)
	walk = func(typ reflect.Type, prefix string) {
		for i := range typ.NumField() {
			f := typ.Field(i)
			tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if tag == "-" {
				continue
			}
			if f.Type.Kind() == reflect.Struct && f.Type != durationType {
				walk(f.Type, prefix+tag+".")
				continue
			}
			// The key, indented by its depth, on a line of its own.
			depth := strings.Count(prefix, ".")
			re := regexp.MustCompile(`(?m)^` + strings.Repeat("  ", depth) + regexp.QuoteMeta(tag) + `:`)
			if !re.Match(data) {
				t.Errorf("setting %s%s is not documented in testdata/quorumdb.example.yaml", prefix, tag)
			}
		}
	}
	walk(reflect.TypeFor[Config](), "")
}
