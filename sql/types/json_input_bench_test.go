package types

import (
	"strings"
	"testing"
)

func BenchmarkJSONBInput(b *testing.B) {
	in := "[" + strings.Repeat(`{"a": [1,2,"x\n"], "bb": {"c": null}},`, 20000) + "1]"
	b.SetBytes(int64(len(in)))
	for i := 0; i < b.N; i++ {
		if _, err := ParseText(JSONB, in, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkJSONInputCheck(b *testing.B) {
	in := "[" + strings.Repeat(`{"a": [1,2,"x\n"], "bb": {"c": null}},`, 20000) + "1]"
	b.SetBytes(int64(len(in)))
	for i := 0; i < b.N; i++ {
		if err := checkJSONInput(in, true, nil); err != nil {
			b.Fatal(err)
		}
	}
}
