/* libm.c: the math library and the floating-point environment.
 * Results are printed with %a (exact bits).  glibc's libm is compiled to
 * RISC-V F/D instructions (fmadd, fsqrt, fcvt with static rounding, frm and
 * fflags CSR accesses through fesetround/fetestexcept), so this checks the
 * emulator's FPU through real-world code paths. */
#include "guest.h"
#include <fenv.h>
#include <math.h>

/* volatile keeps the compiler from folding the operations at build time */
static volatile double vzero = 0.0, vone = 1.0, vtwo = 2.0, vthird = 1.0 / 3.0;
static volatile double vbig = 1e308, vtiny = 1e-308, vneg = -1.0, vhalf = 2.5;

static void flags(const char *what)
{
	int f = fetestexcept(FE_ALL_EXCEPT);
	printf("%-22s flags:%s%s%s%s%s\n", what, f & FE_INVALID ? " invalid" : "",
	       f & FE_DIVBYZERO ? " divbyzero" : "", f & FE_OVERFLOW ? " overflow" : "",
	       f & FE_UNDERFLOW ? " underflow" : "", f & FE_INEXACT ? " inexact" : "");
	feclearexcept(FE_ALL_EXCEPT);
}

int main(void)
{
	double x = 0.7, y = 2.3;
	printf("sin %a cos %a tan %a\n", sin(x), cos(x), tan(x));
	printf("asin %a acos %a atan %a atan2 %a\n", asin(x), acos(x), atan(y), atan2(-x, -y));
	printf("sinh %a cosh %a tanh %a\n", sinh(x), cosh(x), tanh(y));
	printf("exp %a exp2 %a expm1 %a\n", exp(y), exp2(y), expm1(1e-10));
	printf("log %a log2 %a log10 %a log1p %a\n", log(y), log2(y), log10(y), log1p(1e-10));
	printf("pow %a %a %a\n", pow(y, x), pow(-8.0, 1.0 / 3.0), pow(2.0, -1074.0));
	printf("sqrt %a cbrt %a hypot %a\n", sqrt(vtwo), cbrt(-27.0), hypot(3e200, 4e200));
	printf("fma %a (vs mul+add %a)\n", fma(vthird, 3.0, -1.0), vthird * 3.0 - 1.0);
	printf("fmaf %a\n", (double)fmaf(1.0f / 3.0f, 3.0f, -1.0f));
	printf("fmod %a remainder %a remquo ", fmod(10.5, 3.0), remainder(10.5, 3.0));
	int q;
	double rq = remquo(-10.5, 3.0, &q);
	printf("%a q=%d\n", rq, q);
	int e;
	double m = frexp(1234.5, &e);
	printf("frexp %a e=%d ldexp %a scalbn %a ilogb %d logb %a\n", m, e, ldexp(0.75, -1074),
	       scalbn(1.0, 1023), ilogb(1e-310), logb(1e-310));
	double ip;
	double fp = modf(-3.75, &ip);
	printf("modf %a %a copysign %a nextafter %a\n", fp, ip, copysign(3.0, -0.0), nextafter(1.0, 2.0));
	printf("erf %a erfc %a tgamma %a lgamma %a\n", erf(x), erfc(y), tgamma(4.5), lgamma(100.0));
	printf("sinf %a expf %a logf %a powf %a\n", (double)sinf(0.7f), (double)expf(2.3f),
	       (double)logf(2.3f), (double)powf(2.3f, 0.7f));
	printf("isnan %d isinf %d signbit %d fpclassify %d %d %d\n", isnan(vzero / vzero),
	       isinf(-vone / vzero), signbit(-vzero), fpclassify(vtiny / 1e10), fpclassify(vzero),
	       fpclassify(vone));

	/* rounding functions under every rounding mode */
	static const int modes[] = {FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD};
	static const char *names[] = {"nearest", "towardzero", "downward", "upward"};
	double rv[] = {2.5, -2.5, 3.5, -0.5, 1.4999999999999998, 4503599627370497.0};
	for (int i = 0; i < 4; i++) {
		CHECK(fesetround(modes[i]) == 0);
		CHECK(fegetround() == modes[i]);
		printf("%-10s", names[i]);
		for (unsigned k = 0; k < sizeof rv / sizeof rv[0]; k++) {
			volatile double v = rv[k];
			printf(" [%g %g %ld %lld %g %g %g %g]", rint(v), nearbyint(v), lrint(v),
			       llround(v), round(v), floor(v), ceil(v), trunc(v));
		}
		printf("\n");
		/* the rounding mode also affects ordinary arithmetic */
		printf("%-10s 1/3=%a -1/3=%a 2/3f=%a sqrt2=%a big*10=%a cvt=%a\n", names[i],
		       vone / 3.0, vneg / 3.0, (double)((float)vtwo / 3.0f), sqrt(vtwo),
		       vbig * 10.0, (double)(float)vthird);
	}
	fesetround(FE_TONEAREST);

	/* exception flags */
	feclearexcept(FE_ALL_EXCEPT);
	flags("cleared");
	volatile double r = vone / vzero;
	flags("1/0");
	r = vzero / vzero;
	flags("0/0");
	r = sqrt(vneg);
	flags("sqrt(-1)");
	r = vbig * vbig;
	flags("1e308*1e308");
	r = vtiny * vtiny;
	flags("1e-308*1e-308");
	r = vone / 3.0;
	flags("1/3");
	r = vhalf * 2.0;
	flags("2.5*2 (exact)");
	r = log(vzero);
	flags("log(0)");
	r = exp(1000.0 + vzero);
	flags("exp(1000)");
	volatile long li = lrint(1e30 + vzero);
	flags("lrint(1e30)");
	(void)r;
	(void)li;
	CHECK(feraiseexcept(FE_OVERFLOW | FE_INEXACT) == 0);
	flags("feraiseexcept");

	/* saving and restoring the whole environment */
	fenv_t env;
	fesetround(FE_UPWARD);
	feraiseexcept(FE_INVALID);
	fegetenv(&env);
	fesetround(FE_TONEAREST);
	feclearexcept(FE_ALL_EXCEPT);
	fesetenv(&env);
	printf("restored env: upward=%d invalid=%d\n", fegetround() == FE_UPWARD,
	       fetestexcept(FE_INVALID) != 0);
	fesetenv(FE_DFL_ENV);
	printf("default env: nearest=%d flags=%d\n", fegetround() == FE_TONEAREST,
	       fetestexcept(FE_ALL_EXCEPT));
	return 0;
}
