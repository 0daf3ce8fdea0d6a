/*
 * xsum.c -- exact sums of doubles as expansions, rounded once (see xsum.h).
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "xsum.h"

/*
 * Knuth's TwoSum: s + e = a + b exactly, s = fl(a + b), for any finite a, b whose sum
 * does not overflow.  (Shewchuk's cheaper Fast-Two-Sum needs |a| >= |b|; a stored
 * expansion may come from anywhere, so every step uses the unconditional form.)
 */
static inline double
two_sum(double a, double b, double *e)
{
	double		s = a + b;
	double		bb = s - a;

	*e = (a - (s - bb)) + (b - bb);
	return s;
}

void
cn_xsum_compress(double *c, int *m)
{
	int			n = *m,
				bottom,
				top;
	double		q,
				Q;

	if (n <= 1)
		return;
	/* From the top down: components that no longer overlap go to the top of c. */
	Q = c[n - 1];
	bottom = n - 1;
	for (int i = n - 2; i >= 0; i--)
	{
		Q = two_sum(Q, c[i], &q);
		if (q != 0.0)
		{
			c[bottom--] = Q;
			Q = q;
		}
	}
	c[bottom] = Q;
	/* From the bottom up, gathering the small ones at the bottom of c. */
	top = 0;
	for (int i = bottom + 1; i < n; i++)
	{
		Q = two_sum(c[i], Q, &q);
		if (q != 0.0)
			c[top++] = q;
	}
	if (Q != 0.0 || top == 0)
		c[top++] = Q;
	*m = (top == 1 && c[0] == 0.0) ? 0 : top;
}

int
cn_xsum_add(double *c, int *m, int cap, double x)
{
	int			k = 0;
	double		Q = x;

	if (x == 0.0)
		return CN_XSUM_OK;
	if (*m >= cap)
	{
		cn_xsum_compress(c, m);
		if (*m >= cap)
			return CN_XSUM_FULL;
	}
	/* Shewchuk's GROW-EXPANSION with zero elimination, in place (k <= i) */
	for (int i = 0; i < *m; i++)
	{
		double		h;

		Q = two_sum(Q, c[i], &h);
		if (!isfinite(Q))
			return CN_XSUM_OVERFLOW;
		if (h != 0.0)
			c[k++] = h;
	}
	if (Q != 0.0)
		c[k++] = Q;
	*m = k;
	return CN_XSUM_OK;
}

/*
 * The fixed-point image of a sum: 32-bit digits (held in int64 so that digits may
 * carry lazily and be signed), the lowest at 2^-1074, the smallest subnormal.  A double
 * is mant 2^ex with |mant| < 2^53 and ex >= -1074, ex <= 971: its top bit is below
 * 2^(971 + 53), i.e. bit 2098 of the image; the digits reach bit 2239, room for the
 * carries of any number of components this code is given (at most a few thousand).
 */
#define XS_DIGITS 70

static void
add_double(int64_t *d, double x)
{
	int			e;
	double		f = frexp(x, &e);	/* x = f 2^e, 0.5 <= |f| < 1 */
	int64_t		mant = (int64_t) ldexp(f, 53);	/* exact: |mant| < 2^53 */
	int			ex = e - 53;
	int			neg = mant < 0;
	uint64_t	a = neg ? (uint64_t) (-mant) : (uint64_t) mant;
	uint64_t	lo,
				hi;
	int			pos,
				i,
				sh;

	if (ex < -1074)
	{
		/* a subnormal: the bits shifted out are zeros (x is a multiple of 2^-1074) */
		a >>= (-1074 - ex);
		ex = -1074;
	}
	pos = ex + 1074;
	i = pos / 32;
	sh = pos % 32;
	lo = (a & 0xffffffffu) << sh;	/* < 2^64 */
	hi = (a >> 32) << sh;		/* < 2^53 */
	{
		int64_t		d0 = (int64_t) (lo & 0xffffffffu);
		int64_t		d1 = (int64_t) (lo >> 32) + (int64_t) (hi & 0xffffffffu);
		int64_t		d2 = (int64_t) (hi >> 32);

		if (neg)
		{
			d[i] -= d0;
			d[i + 1] -= d1;
			d[i + 2] -= d2;
		}
		else
		{
			d[i] += d0;
			d[i + 1] += d1;
			d[i + 2] += d2;
		}
	}
}

/* Carries so that every digit but the top is in [0, 2^32); the top holds the sign. */
static void
normalise(int64_t *d)
{
	for (int i = 0; i < XS_DIGITS - 1; i++)
	{
		int64_t		carry = d[i] >= 0 ? d[i] >> 32 : -((-d[i] + 0xffffffffLL) >> 32);

		d[i] -= carry * 4294967296LL;
		d[i + 1] += carry;
	}
}

/* Bit b (0 = 2^-1074) of a normalised, non-negative image. */
static inline uint64_t
bit_at(const int64_t *d, int b)
{
	return ((uint64_t) d[b / 32] >> (b % 32)) & 1u;
}

int
cn_xsum_round(const double *c, int m, double *out)
{
	int64_t		d[XS_DIGITS];
	int			neg,
				top,
				H,
				lowest;
	uint64_t	mant = 0;
	int			sticky = 0;
	double		r;

	memset(d, 0, sizeof(d));
	for (int i = 0; i < m; i++)
		if (c[i] != 0.0)
			add_double(d, c[i]);
	normalise(d);
	neg = d[XS_DIGITS - 1] < 0;
	if (neg)
	{
		for (int i = 0; i < XS_DIGITS; i++)
			d[i] = -d[i];
		normalise(d);
	}
	for (top = XS_DIGITS - 1; top >= 0 && d[top] == 0; top--)
		;
	if (top < 0)
	{
		*out = 0.0;
		return CN_XSUM_OK;
	}
	H = 32 * top + 63 - __builtin_clzll((uint64_t) d[top]);
	if (H < 53)
	{
		/* fewer than 54 bits above 2^-1074: exactly a double */
		uint64_t	v = (uint64_t) d[0] | ((uint64_t) d[1] << 32);

		r = ldexp((double) v, -1074);
		*out = neg ? -r : r;
		return CN_XSUM_OK;
	}
	/* the top 53 bits, then round to nearest, ties to even, on the bits below */
	for (int b = H; b > H - 53; b--)
		mant = (mant << 1) | bit_at(d, b);
	lowest = H - 53;			/* the first bit below the mantissa */
	for (int b = lowest - 1; b >= 0 && !sticky; b--)
		sticky = bit_at(d, b) != 0;
	if (bit_at(d, lowest) && (sticky || (mant & 1u)))
	{
		mant++;
		if (mant == (UINT64_C(1) << 53))
		{
			mant >>= 1;
			H++;
		}
	}
	r = ldexp((double) mant, H - 52 - 1074);
	if (!isfinite(r))
		return CN_XSUM_OVERFLOW;
	*out = neg ? -r : r;
	return CN_XSUM_OK;
}
