package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// walkNode calls f for n and, while f returns true, for every node below
// it. It uses protobuf reflection so that no parse node type is missed.
func walkNode(n *pg_query.Node, f func(*pg_query.Node) bool) {
	if n == nil || n.Node == nil {
		return
	}
	if !f(n) {
		return
	}
	walkMessage(n.ProtoReflect(), f)
}

func walkMessage(m protoreflect.Message, f func(*pg_query.Node) bool) {
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		if fd.Kind() != protoreflect.MessageKind {
			return true
		}
		visit := func(msg protoreflect.Message) {
			if node, ok := msg.Interface().(*pg_query.Node); ok {
				walkNode(node, f)
				return
			}
			walkMessage(msg, f)
		}
		switch {
		case fd.IsList():
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				visit(l.Get(i).Message())
			}
		case fd.IsMap():
		default:
			visit(v.Message())
		}
		return true
	})
}
