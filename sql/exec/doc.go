// Package exec runs query plans: the relational operators (Node: scans,
// filters, projections, sorts, limits, DISTINCT, set operations, hash and
// nested-loop joins, aggregation, window functions), the expressions they
// evaluate (Expr: constants, column and parameter references, casts,
// builtin calls, CASE, IN lists, subqueries, …) and the state a statement
// runs with (Ctx: its kv transaction, catalog, parameters, memory budget).
//
// A plan is a value: the sql package's planner builds a tree of Nodes and
// Exprs, EXPLAIN prints it, and Exec runs it as many times as asked
// (prepared statements, correlated subqueries), each time building fresh
// iterators (Iter) that yield rows one at a time, so a large result
// streams. Operators that must hold rows (sorts, hash tables,
// aggregation groups) account them in the statement's Budget and fail
// with 53200 past it.
//
// exec never plans. An expression that must call back into the SQL layer
// (a user-defined function runs its planned body, a session function
// reads the session) is defined there and reaches the layer's state of
// the statement through Ctx.Host; the session itself is seen only as
// Session (random source, type settings, transaction start).
//
// The parts, by file:
//
//	exec.go           Ctx, Session, Node, Iter, Column, Collect and
//	                  CollectHeld, the slice and function iterators
//	expr.go           Expr and the expressions, EvalBool, ParamTypes
//	subquery_expr.go  SubqueryExpr (EXISTS, scalar, ANY/ALL, ARRAY),
//	                  FieldExpr ((record).field), ErrorConst (a constant
//	                  whose folding failed, raised when evaluated)
//	nodes.go          ValuesNode, FilterNode, ProjectNode, SortNode,
//	                  LimitNode, DistinctNode, DistinctOnNode, SetOpNode,
//	                  OuterShiftNode; row comparison and keys
//	join.go           JoinNode: hash join on equality keys, nested loop
//	                  otherwise, every join kind
//	aggregate.go      AggNode: grouping, aggregate calls with DISTINCT,
//	                  FILTER, ORDER BY and WITHIN GROUP
//	scan.go           ScanNode: a table's rows from kv by primary key or
//	                  index range, in batches, with row locks
//	row_decode.go     a stored row's value and an index key decoded
//	window_defs.go    a window function call as planned: WindowCall,
//	                  WindowInfo, WindowOrder, WindowRef
//	window_frames.go  frames: WindowFrame, bounds, partition frames
//	window_exec.go    WindowNode: sorting partitions, evaluating the
//	                  functions over each row's frame
//	membudget.go      Budget: a statement's memory account (53200)
package exec
