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

#endif
