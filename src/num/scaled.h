/*
 * scaled.h -- products, quotients and sums of doubles without intermediate overflow or
 * underflow.  Pure C (no PostgreSQL).
 *
 * A value is carried as m 2^e with 1/2 <= |m| < 1 (or m = 0), the exponent e held in a
 * double so that exponents far beyond the double range add without wrapping.  Scaling
 * by a power of two is exact, so each product or quotient of two scaled values rounds
 * exactly as the plain product or quotient does whenever that is a normal double: an
 * expression evaluated with these helpers, in the same order, is bit-identical to the
 * plain expression wherever no intermediate of the plain one leaves the normal range,
 * and beyond that it is the same chain of roundings on the true scale (the final
 * conversion rounds once more, which matters only when the result is subnormal).
 *
 * Factors must be finite: a zero factor gives 0, an infinite or NaN one is the
 * caller's error (the helpers do not check).
 */
#ifndef CONDOR_SCALED_H
#define CONDOR_SCALED_H

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

typedef struct cn_xd
{
	double		m;				/* 1/2 <= |m| < 1, or 0 */
	double		e;				/* the exponent, an integer */
} cn_xd;

/*
 * m 2^e renormalised (m finite).  A normal m is split by its exponent bits (the
 * helpers' products and quotients of mantissas always are normal); zeros and
 * subnormals go through frexp.
 */
static inline cn_xd
cn_xd_make(double m, double e)
{
	cn_xd		r;
	uint64_t	b;
	int			k = 0;

	memcpy(&b, &m, sizeof(b));
	k = (int) ((b >> 52) & 0x7ff);
	if (k != 0 && k != 0x7ff)
	{
		/* m = 1.f 2^(k - 1023) = 0.1f 2^(k - 1022) */
		b = (b & 0x800fffffffffffffULL) | (1022ULL << 52);
		memcpy(&r.m, &b, sizeof(b));
		r.e = e + (k - 1022);
		return r;
	}
	if (m == 0.0)
	{
		r.m = m;				/* a signed zero keeps its sign, as in the plain product */
		r.e = 0.0;
		return r;
	}
	r.m = frexp(m, &k);
	r.e = e + k;
	return r;
}

/* x as a scaled value (x finite). */
static inline cn_xd
cn_xd_of(double x)
{
	return cn_xd_make(x, 0.0);
}

static inline cn_xd
cn_xd_mul(cn_xd a, cn_xd b)
{
	return cn_xd_make(a.m * b.m, a.e + b.e);
}

/* a / b, b not zero */
static inline cn_xd
cn_xd_div(cn_xd a, cn_xd b)
{
	return cn_xd_make(a.m / b.m, a.e - b.e);
}

/* a x for a plain double x (finite) */
static inline cn_xd
cn_xd_mulf(cn_xd a, double x)
{
	return cn_xd_mul(a, cn_xd_of(x));
}

/* a / x for a plain double x (finite, not zero) */
static inline cn_xd
cn_xd_divf(cn_xd a, double x)
{
	return cn_xd_div(a, cn_xd_of(x));
}

/* The double nearest a: +-inf beyond the range, a (signed) zero or subnormal below. */
static inline double
cn_xd_value(cn_xd a)
{
	if (a.m == 0.0)
		return a.m;
	if (a.e >= -1021.0 && a.e <= 1024.0)
	{
		/* a normal result: put the exponent bits in place (exact) */
		uint64_t	b;
		double		v;

		memcpy(&b, &a.m, sizeof(b));
		b += (uint64_t) (int64_t) a.e << 52;
		memcpy(&v, &b, sizeof(v));
		return v;
	}
	if (a.e > 2100.0)
		return copysign(INFINITY, a.m);
	if (a.e < -2100.0)
		return copysign(0.0, a.m);
	return ldexp(a.m, (int) a.e);
}

/*
 * e^y for any y (y = -inf gives 0): exp(y) itself where that is a normal double, so
 * the result is bit-identical to exp() there; beyond, exp of the remainder of y modulo
 * ln 2 (Cody and Waite's two-part ln 2, exact products for |k| < 2^20) times 2^k.  The
 * relative error is that of exp() plus |y| eps from the rounding of y itself, which no
 * evaluation can avoid.  For |y| beyond 1e6 the result is 0 or an exponent far beyond
 * any double (still a valid factor for cn_xd_value: 0 or inf).
 */
static inline cn_xd
cn_xd_exp(double y)
{
	const double ln2_hi = 6.93147180369123816490e-01;	/* 32 bits: k ln2_hi exact */
	const double ln2_lo = 1.90821492927058770002e-10;
	double		k;

	if (y >= -708.0 && y <= 709.0)
		return cn_xd_of(exp(y));
	if (!(y > -1e6))
		return cn_xd_make(y == y ? 0.0 : y, 0.0);
	if (y > 1e6)
		return cn_xd_make(1.0, 1e7);
	k = floor(y / 0.69314718055994530942);
	return cn_xd_make(exp((y - k * ln2_hi) - k * ln2_lo), k);
}

/*
 * The sum of n scaled values, in order: the plain sum of their doubles when every term
 * is within 2^+-1000 (then nothing overflows, and the roundings are those of the plain
 * sum); otherwise the terms are scaled by the largest one's power of two, summed in the
 * same order and scaled back (a term 2^1100 below the largest counts as zero, as it
 * would in the plain sum).
 */
static inline cn_xd
cn_xd_sum(const cn_xd *a, int n)
{
	double		s,
				emax = -INFINITY;
	int			i;

	for (i = 0; i < n; i++)
		if (a[i].m != 0.0 && a[i].e > emax)
			emax = a[i].e;
	if (emax == -INFINITY || (emax >= -1000.0 && emax <= 1000.0))
	{
		s = cn_xd_value(a[0]);
		for (i = 1; i < n; i++)
			s += cn_xd_value(a[i]);
		return cn_xd_of(s);
	}
	s = 0.0;
	for (i = 0; i < n; i++)
		if (a[i].m != 0.0 && a[i].e - emax > -1100.0)
			s += ldexp(a[i].m, (int) (a[i].e - emax));
	return cn_xd_make(s, emax);
}

#endif
