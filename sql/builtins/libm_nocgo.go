//go:build !cgo

package builtins

import "math"

// libm without cgo: Go's math package, with sinh and cosh computed from
// expm1 for accuracy (hyperbolic.go).
var libm = mathFuncs{
	Sin: math.Sin, Cos: math.Cos, Tan: math.Tan, Asin: math.Asin, Acos: math.Acos, Atan: math.Atan,
	Sinh: accurateSinh, Cosh: accurateCosh, Tanh: math.Tanh, Asinh: math.Asinh, Acosh: math.Acosh, Atanh: math.Atanh,
	Exp: math.Exp, Log: math.Log, Log10: math.Log10, Cbrt: math.Cbrt,
	Atan2: math.Atan2, Pow: math.Pow,
}
