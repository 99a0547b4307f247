package main

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestParseArgs(t *testing.T) {
	tests := []struct {
		args    []string
		wantErr bool
		engine  string
		paths   []string
		verbose bool
	}{
		{args: []string{"--dsn", "postgres://x", "a.slt"}, engine: "postgresql", paths: []string{"a.slt"}},
		{args: []string{"--server", "bin/quorumdb", "a.slt", "-v", "dir"}, engine: "quorumdb", paths: []string{"a.slt", "dir"}, verbose: true},
		{args: []string{"--server", "bin/quorumdb", "--engine", "postgresql", "a"}, engine: "postgresql", paths: []string{"a"}},
		{args: []string{"a.slt"}, wantErr: true},                 // neither --dsn nor --server
		{args: []string{"--dsn", "postgres://x"}, wantErr: true}, // no path
		{args: []string{"--dsn", "x", "-j", "0", "a"}, wantErr: true},
		{args: []string{"--nosuchflag", "a"}, wantErr: true},
	}
	for _, tt := range tests {
		o, err := parseArgs(tt.args, io.Discard)
		if (err != nil) != tt.wantErr {
			t.Errorf("parseArgs(%q) error = %v, want error %v", tt.args, err, tt.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if o.engine != tt.engine || !slices.Equal(o.paths, tt.paths) || o.verbose != tt.verbose {
			t.Errorf("parseArgs(%q) = engine %q paths %q verbose %v; want %q %q %v",
				tt.args, o.engine, o.paths, o.verbose, tt.engine, tt.paths, tt.verbose)
		}
	}
}

func TestCollectFiles(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"b.slt", "a.test", "notes.txt", "sub/c.slt", "sub/deeper/a.slt"} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	single := filepath.Join(dir, "b.slt")
	got, err := collectFiles([]string{single, dir})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		single, // given first; not repeated by the directory
		filepath.Join(dir, "a.test"),
		filepath.Join(dir, "sub/c.slt"),
		filepath.Join(dir, "sub/deeper/a.slt"),
	}
	if !slices.Equal(got, want) {
		t.Errorf("collectFiles = %q, want %q", got, want)
	}
	if _, err := collectFiles([]string{filepath.Join(dir, "missing")}); err == nil {
		t.Error("collectFiles(missing): want an error")
	}
}
