package builtins

// mathFuncs are the float8 functions PostgreSQL takes from the C library.
// PostgreSQL prints what the platform's libm returns, which for glibc is
// correctly rounded or nearly so; Go's math package is often one unit in
// the last place away (about a third of acos, cbrt and pow results, a
// sixth of sin), which shows in every digit PostgreSQL prints. With cgo
// (which pg_query_go requires anyway) quorumdb calls the same libm, see
// libm_cgo.go; without it, Go's functions stand in (libm_nocgo.go).
type mathFuncs struct {
	Sin, Cos, Tan, Asin, Acos, Atan       func(float64) float64
	Sinh, Cosh, Tanh, Asinh, Acosh, Atanh func(float64) float64
	Exp, Log, Log10, Cbrt                 func(float64) float64
	Atan2, Pow                            func(float64, float64) float64
}
