package main

import (
	"slices"
	"testing"

	"github.com/quorumdb/quorumdb/internal/difftest"
)

func TestParseSeeds(t *testing.T) {
	got, err := parseSeeds("1, 3-5,9")
	if err != nil || !slices.Equal(got, []uint64{1, 3, 4, 5, 9}) {
		t.Errorf("parseSeeds = %v, %v; want [1 3 4 5 9]", got, err)
	}
	if _, err := parseSeeds("x"); err == nil {
		t.Error("parseSeeds(x): want an error")
	}
}

func TestOptions(t *testing.T) {
	o, err := options("windows, lateral", "int4,text")
	if err != nil {
		t.Fatal(err)
	}
	if o.Windows || o.Lateral || !o.Joins || !slices.Equal(o.Types, []difftest.Type{difftest.Int4, difftest.Text}) {
		t.Errorf("options: %+v", o)
	}
	if _, err := options("bogus", ""); err == nil {
		t.Error("--off bogus: want an error")
	}
	if _, err := options("", "int3"); err == nil {
		t.Error("--types int3: want an error")
	}
}
