/*
 * normal.h -- the standard normal distribution, for the pure numerics.
 *
 * No PostgreSQL headers: everything under src/num is plain C99 + libm so it can be
 * unit-tested, fuzzed and benchmarked outside the server.
 */
#ifndef CONDOR_NORMAL_H
#define CONDOR_NORMAL_H

#define CN_SQRT2PI		2.50662827463100050241576528481104525	/* sqrt(2 pi) */
#define CN_INV_SQRT2PI	0.39894228040143267793994605993438187	/* 1/sqrt(2 pi) */
#define CN_SQRT1_2		0.70710678118654752440084436210484904	/* 1/sqrt(2) */

/* phi(x): standard normal density. */
extern double cn_norm_pdf(double x);

/* Phi(x): standard normal distribution function, relative accuracy a few ulp in both tails. */
extern double cn_norm_cdf(double x);

/* Phi(x), and phi(x) in *pdf: the bits of the two above, sharing one exponential. */
extern double cn_norm_cdf_pdf(double x, double *pdf);

/*
 * Phi(x) = m 2^(*e2), returning m (1/2 <= m < 1, or 0): the same value without the
 * underflow of the lower tail below x = -37.5, to the same few ulp; 0 beyond x = -1700.
 */
extern double cn_norm_cdf_scaled(double x, double *e2);

/*
 * erfc(x) by W. J. Cody's rational Chebyshev approximations (Math. Comp. 23, 1969),
 * with exp(-x^2) formed from the exact square of x.  Relative accuracy a few ulp for
 * every x until the result underflows (x > 26.5).
 */
extern double cn_erfc(double x);

/*
 * erfcx(x) = exp(x^2) erfc(x), the scaled complementary error function (Cody).  For
 * x >= 0 it needs no exponential and is accurate to a few ulp; it decays like
 * 1/(x sqrt(pi)).  For x < 0 it is 2 exp(x^2) - erfcx(-x), which overflows below
 * x = -26.6.
 */
extern double cn_erfcx(double x);

/* erf(x) for |x| <= 0.46875 (Cody's first rational), without a library call. */
extern double cn_erf_small(double x);

/* erfcx(a) - erfcx(b); one division fewer where both are in [0.46875, 4]. */
extern double cn_erfcx_diff(double a, double b);

/*
 * A(z) = 1 - z (1 - Phi(z))/phi(z) for z >= 0, i.e. 1 - z times the Mills ratio, and
 * A'(z) into *dA unless dA is NULL.  It tends to 1/z^2; computed without the
 * cancellation of the literal formula: within 1.8 ulp (A) and 1.7 ulp (A') of mpmath
 * for every z >= 0.
 */
extern double cn_mills_defect(double z, double *dA);

/*
 * Phi^{-1}(p): the standard normal quantile by Wichura's AS 241 (PPND16), relative
 * accuracy about 1e-16 for p in (0, 1); -inf at 0, +inf at 1, NaN outside.
 */
extern double cn_norm_quantile(double p);

#endif
