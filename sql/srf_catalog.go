package sql

import (
	"strings"

	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// resolveOptionsToTable plans pg_options_to_table(text[]): each
// "name=value" entry of an options array (reloptions, fdwoptions, ...) as
// a row (option_name, option_value). pg_dump reads options this way.
func (b *builder) resolveOptionsToTable(def *srfDef) error {
	if len(def.args) != 1 {
		return pgerror.New(pgerror.UndefinedFunction, "function pg_options_to_table with %d arguments does not exist", len(def.args))
	}
	var err error
	if def.args[0], err = b.coerce(def.args[0], types.ArrayOf(types.Text), def.name); err != nil {
		return err
	}
	def.cols = []exec.Column{{Name: "option_name", T: types.Text}, {Name: "option_value", T: types.Text}}
	def.gen = func(_ *exec.Ctx, v []types.Datum) ([]exec.Row, error) {
		a, ok := v[0].(*types.Array)
		if !ok {
			return nil, nil
		}
		var out []exec.Row
		for _, e := range a.Elems {
			s, ok := e.(string)
			if !ok {
				continue
			}
			name, value, found := strings.Cut(s, "=")
			if !found {
				out = append(out, exec.Row{name, nil})
				continue
			}
			out = append(out, exec.Row{name, value})
		}
		return out, nil
	}
	return nil
}
