/*
 * normal.c -- standard normal density, distribution function and quantile, and the
 * (scaled) complementary error function they rest on.
 *
 * The error functions follow W. J. Cody, "Rational Chebyshev approximations for the
 * error function", Math. Comp. 23 (1969) 631-638: three rational approximations on
 * [0, 0.46875], [0.46875, 4] and [4, inf), the coefficients being those of the paper
 * (as distributed in SPECFUN's CALERF).  The one change is how exp(-x^2) is formed:
 * x^2 is split exactly into a double plus its rounding error, so the exponential does
 * not inherit the x^2 * eps relative error of a rounded square.
 */
#include <math.h>

#include "normal.h"

#define INV_SQRTPI	0.56418958354775628694807945156077259	/* 1/sqrt(pi) */
#define SQRTPI		1.77245385090551602729816748334114518	/* sqrt(pi) */

/* Cody's erf on |x| <= 0.46875: erf(x) = x A(x^2)/B(x^2). */
static const double cody_a[5] = {
	3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
	3.20937758913846947e03, 1.85777706184603153e-1
};
static const double cody_b[4] = {
	2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
	2.84423683343917062e03
};

/* Cody's erfcx on 0.46875 <= x <= 4: C(x)/D(x). */
static const double cody_c[9] = {
	5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
	2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
	2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8
};
static const double cody_d[8] = {
	1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
	1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
	3.43936767414372164e03, 1.23033935480374942e03
};

/* Cody's erfcx for x >= 4: (1/sqrt(pi) - z P(z)/Q(z)) / x with z = 1/x^2. */
static const double cody_p[6] = {
	3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
	1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2
};
static const double cody_q[5] = {
	2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1,
	6.05183413124413191e-2, 2.33520497626869185e-3
};

double
cn_norm_pdf(double x)
{
	return CN_INV_SQRT2PI * exp(-0.5 * x * x);
}

/*
 * exp(-k*y*y) for k = 1 or 1/2 (a power of two, so k*y*y scales exactly), with y*y
 * carried as a double plus its exact rounding error (Veltkamp/Dekker product, no fma):
 * the result keeps about one ulp where exp(-(y*y)) would lose y^2 * eps.
 */
static double
exp_neg_kyy(double y, double k)
{
	double		p,
				c,
				hi,
				lo,
				err;

	if (k * y * y > 746.0)
		return 0.0;
	p = y * y;
	c = 134217729.0 * y;		/* 2^27 + 1 */
	hi = c - (c - y);
	lo = y - hi;
	err = ((hi * hi - p) + 2.0 * hi * lo) + lo * lo;
	/* exp(-k(p + err)) = exp(-kp) (1 - k err) to first order; |err| <= ulp(p)/2 */
	return exp(-k * p) * (1.0 - k * err);
}

/* Cody's rational erfcx on 0.46875 <= y <= 4. */
static double
erfcx_mid(double y)
{
	double		num = cody_c[8] * y,
				den = y;

	for (int i = 0; i < 7; i++)
	{
		num = (num + cody_c[i]) * y;
		den = (den + cody_d[i]) * y;
	}
	return (num + cody_c[7]) / (den + cody_d[7]);
}

/* z P(z)/Q(z) of Cody's asymptotic form, z = 1/y^2, y >= 4. */
static double
erfcx_tail_r(double z)
{
	double		num = cody_p[5] * z,
				den = z;

	for (int i = 0; i < 4; i++)
	{
		num = (num + cody_p[i]) * z;
		den = (den + cody_q[i]) * z;
	}
	return z * (num + cody_p[4]) / (den + cody_q[4]);
}

/* erf(y) for |y| <= 0.46875. */
static double
erf_small(double y)
{
	double		z = y * y,
				num = cody_a[4] * z,
				den = z;

	for (int i = 0; i < 3; i++)
	{
		num = (num + cody_a[i]) * z;
		den = (den + cody_b[i]) * z;
	}
	return y * (num + cody_a[3]) / (den + cody_b[3]);
}

/* erfcx(y) for y >= 0.46875: no exponential is needed (Cody's second and third forms). */
static double
erfcx_pos(double y)
{
	if (y <= 4.0)
		return erfcx_mid(y);
	if (y >= 6.71e7)			/* the rational correction is below rounding */
		return INV_SQRTPI / y;
	return (INV_SQRTPI - erfcx_tail_r(1.0 / (y * y))) / y;
}

double
cn_erfc(double x)
{
	double		y = fabs(x),
				r;

	if (y <= 0.46875)
		return 1.0 - erf_small(x);
	r = exp_neg_kyy(y, 1.0) * erfcx_pos(y);
	return x < 0 ? 2.0 - r : r;
}

double
cn_erfcx(double x)
{
	double		y = fabs(x),
				r;

	if (y <= 0.46875)
		return exp(x * x) * (1.0 - erf_small(x));
	r = erfcx_pos(y);
	if (x > 0)
		return r;
	/* erfcx(-y) = 2 exp(y^2) - erfcx(y): a sum of a large and a small term */
	if (y > 26.6)
		return HUGE_VAL;
	return 2.0 / exp_neg_kyy(y, 1.0) - r;
}

double
cn_erfcx_defect(double x)
{
	if (x >= 4.0)
	{
		/* y erfcx(y) = 1/sqrt(pi) - z R(z): the 1 cancels exactly, leaving sqrt(pi) z R */
		if (x >= 6.71e7)
			return 0.5 / (x * x);
		return SQRTPI * erfcx_tail_r(1.0 / (x * x));
	}
	return 1.0 - SQRTPI * x * cn_erfcx(x);
}

/*
 * Phi(x) = erfc(-x/sqrt2)/2.  In the lower tail it is erfcx(u) exp(-u^2)/2 with
 * u = -x/sqrt2, exp(-u^2) = exp(-x^2/2) taken from the exact square of x: the rounding
 * of u then moves erfcx(u) by only about eps relative, so Phi keeps a few ulp all the
 * way down to underflow (x = -38.4).  The upper half is 1 - Phi(-x), never below 1/2.
 */
double
cn_norm_cdf(double x)
{
	double		u = -x * CN_SQRT1_2;

	if (fabs(u) <= 0.46875)
		return 0.5 - 0.5 * erf_small(u);
	if (x < 0)
	{
		if (x < -38.5)
			return 0.0;
		/* exp(-u^2) = exp(-x^2/2) from x itself, not from the rounded u */
		return 0.5 * erfcx_pos(u) * exp_neg_kyy(x, 0.5);
	}
	return 1.0 - 0.5 * exp_neg_kyy(x, 0.5) * erfcx_pos(-u);
}

/*
 * AS 241 (M. J. Wichura, Appl. Statist. 37 (1988) 477-484), PPND16: rational
 * approximations in q = p - 1/2 near the centre and in r = sqrt(-ln min(p, 1-p)) in the
 * tails.  The tail branch takes min(p, 1-p) as given, so tiny p keep full accuracy.
 */
double
cn_norm_quantile(double p)
{
	static const double a[8] = {
		3.3871328727963666080e0, 1.3314166789178437745e+2,
		1.9715909503065514427e+3, 1.3731693765509461125e+4,
		4.5921953931549871457e+4, 6.7265770927008700853e+4,
		3.3430575583588128105e+4, 2.5090809287301226727e+3
	};
	static const double b[8] = {
		1.0, 4.2313330701600911252e+1,
		6.8718700749205790830e+2, 5.3941960214247511077e+3,
		2.1213794301586595867e+4, 3.9307895800092710610e+4,
		2.8729085735721942674e+4, 5.2264952788528545610e+3
	};
	static const double c[8] = {
		1.42343711074968357734e0, 4.63033784615654529590e0,
		5.76949722146069140550e0, 3.64784832476320460504e0,
		1.27045825245236838258e0, 2.41780725177450611770e-1,
		2.27238449892691845833e-2, 7.74545014278341407640e-4
	};
	static const double d[8] = {
		1.0, 2.05319162663775882187e0,
		1.67638483018380384940e0, 6.89767334985100004550e-1,
		1.48103976427480074590e-1, 1.51986665636164571966e-2,
		5.47593808499534494600e-4, 1.05075007164441684324e-9
	};
	static const double e[8] = {
		6.65790464350110377720e0, 5.46378491116411436990e0,
		1.78482653991729133580e0, 2.96560571828504891230e-1,
		2.65321895265761230930e-2, 1.24266094738807843860e-3,
		2.71155556874348757815e-5, 2.01033439929228813265e-7
	};
	static const double f[8] = {
		1.0, 5.99832206555887937690e-1,
		1.36929880922735805310e-1, 1.48753612908506148525e-2,
		7.86869131145613259100e-4, 1.84631831751005468180e-5,
		1.42151175831644588870e-7, 2.04426310338993978564e-15
	};
	const double *num,
			   *den;
	double		q = p - 0.5,
				r,
				pn,
				pd,
				z;

	if (!(p >= 0.0 && p <= 1.0))
		return NAN;
	if (fabs(q) <= 0.425)
	{
		r = 0.180625 - q * q;
		num = a;
		den = b;
	}
	else
	{
		r = q < 0 ? p : 1.0 - p;
		if (r <= 0.0)
			return q < 0 ? -HUGE_VAL : HUGE_VAL;
		r = sqrt(-log(r));
		if (r <= 5.0)
		{
			r -= 1.6;
			num = c;
			den = d;
		}
		else
		{
			r -= 5.0;
			num = e;
			den = f;
		}
	}
	pn = num[7];
	pd = den[7];
	for (int i = 6; i >= 0; i--)
	{
		pn = pn * r + num[i];
		pd = pd * r + den[i];
	}
	z = pn / pd;
	if (fabs(q) <= 0.425)
		return q * z;
	return q < 0 ? -z : z;
}
