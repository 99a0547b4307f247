//go:build cgo

package builtins

// #cgo LDFLAGS: -lm
// #include <math.h>
import "C"

func c1(fn func(C.double) C.double) func(float64) float64 {
	return func(x float64) float64 { return float64(fn(C.double(x))) }
}

func c2(fn func(C.double, C.double) C.double) func(float64, float64) float64 {
	return func(x, y float64) float64 { return float64(fn(C.double(x), C.double(y))) }
}

// libm is the C library's math, as PostgreSQL uses it.
var libm = mathFuncs{
	Sin: c1(func(x C.double) C.double { return C.sin(x) }), Cos: c1(func(x C.double) C.double { return C.cos(x) }),
	Tan: c1(func(x C.double) C.double { return C.tan(x) }), Asin: c1(func(x C.double) C.double { return C.asin(x) }),
	Acos: c1(func(x C.double) C.double { return C.acos(x) }), Atan: c1(func(x C.double) C.double { return C.atan(x) }),
	Sinh: c1(func(x C.double) C.double { return C.sinh(x) }), Cosh: c1(func(x C.double) C.double { return C.cosh(x) }),
	Tanh: c1(func(x C.double) C.double { return C.tanh(x) }), Asinh: c1(func(x C.double) C.double { return C.asinh(x) }),
	Acosh: c1(func(x C.double) C.double { return C.acosh(x) }), Atanh: c1(func(x C.double) C.double { return C.atanh(x) }),
	Exp: c1(func(x C.double) C.double { return C.exp(x) }), Log: c1(func(x C.double) C.double { return C.log(x) }),
	Log10: c1(func(x C.double) C.double { return C.log10(x) }), Cbrt: c1(func(x C.double) C.double { return C.cbrt(x) }),
	Atan2: c2(func(y, x C.double) C.double { return C.atan2(y, x) }),
	Pow:   c2(func(x, y C.double) C.double { return C.pow(x, y) }),
}
