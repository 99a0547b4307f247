package difftest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/quorumdb/quorumdb/internal/pgtest"
)

// TestPostgresAgainstItself runs the tester with PostgreSQL on both
// sides (two databases of one server): every generated query must have
// one right answer, so any difference is the tester's own fault
// (an order the comparison takes for determined, a nondeterministic
// query). Skipped without PostgreSQL's binaries, failed in CI.
func TestPostgresAgainstItself(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	srv := pgtest.Server(t)
	a, err := Dial(ctx, srv.DSN(srv.Port), 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	if r := a.Exec(ctx, "CREATE DATABASE other"); r.Failed() {
		t.Fatalf("CREATE DATABASE: %s %s", r.Code, r.Msg)
	}
	b, err := Dial(ctx, strings.Replace(srv.DSN(srv.Port), "/postgres?", "/other?", 1), 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	cfg := Config{Seeds: []uint64{11}, Queries: 200, Options: DefaultOptions(), TLPEvery: 5,
		Shrink: 1, ShrinkBudget: 50, ShrinkTime: 10 * time.Second, StatementTimeout: 5 * time.Second}
	rep, err := Run(ctx, cfg, a, []Target{{Name: "PostgreSQL", DB: b}})
	if err != nil {
		t.Fatal(err)
	}
	st := rep.Stats["PostgreSQL"]
	for k, n := range st.Kinds {
		if k != Same && k != BothError && k != Timeout {
			t.Errorf("%d queries %s", n, k)
		}
	}
	if st.TLPFailed > 0 {
		t.Errorf("%d TLP checks failed", st.TLPFailed)
	}
	for _, f := range rep.Findings {
		var sb strings.Builder
		rep.WriteFinding(&sb, f)
		t.Errorf("%s", sb.String())
	}
	if st.Kinds[Same] < cfg.Queries/3 {
		t.Errorf("only %d of %d queries answered: the generator makes too many invalid queries", st.Kinds[Same], cfg.Queries)
	}
}
