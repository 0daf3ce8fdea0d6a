/*
 * test_xsum.c -- unit tests of the exact sums (src/num/xsum.c): rounding of known
 * sums and ties, agreement with binary128 sums where those are exact, and the same
 * bits whatever the order of the terms and however they are split and merged.
 */
#include <float.h>
#include <stdint.h>

#include "unit.h"
#include "xsum.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t
rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static double
rng_uniform(void)
{
	return (rng_next() >> 11) * 0x1.0p-53;
}

/* The exact sum of n terms added one by one into an expansion of room cap, rounded. */
static int
sum_expansion(const double *x, int n, int cap, double *out)
{
	double		c[64];
	int			m = 0;

	for (int i = 0; i < n; i++)
	{
		int			rc = cn_xsum_add(c, &m, cap, x[i]);

		if (rc != CN_XSUM_OK)
			return rc;
	}
	return cn_xsum_round(c, m, out);
}

static void
test_known(void)
{
	double		r;
	double		a[] = {1e16, 1.0, -1e16};
	double		tie[] = {0x1p53, 1.0};	/* 2^53 + 1: a tie, to even: 2^53 */
	double		tie_up[] = {0x1p53, 1.0, 0x1p-30};	/* just above the tie */
	double		tie_odd[] = {0x1p53 + 2.0, 1.0};	/* tie, to even: 2^53 + 4 */
	double		tiny[] = {0x1p-1074, 0x1p-1074, -0x1p-1073, 0x1p-1074};
	double		big[] = {DBL_MAX, DBL_MAX, -DBL_MAX};
	double		over[] = {DBL_MAX, 0x1p970};
	double		cancel[] = {0.1, 0.2, 0.3, -0.6};

	UNIT_CHECK(sum_expansion(a, 3, 8, &r) == CN_XSUM_OK && r == 1.0, "1e16 + 1 - 1e16 = %.17g", r);
	UNIT_CHECK(sum_expansion(tie, 2, 8, &r) == CN_XSUM_OK && r == 0x1p53, "tie to even: %.17g", r);
	UNIT_CHECK(sum_expansion(tie_up, 3, 8, &r) == CN_XSUM_OK && r == 0x1p53 + 2.0,
			   "above the tie: %.17g", r);
	UNIT_CHECK(sum_expansion(tie_odd, 2, 8, &r) == CN_XSUM_OK && r == 0x1p53 + 4.0,
			   "tie from odd: %.17g", r);
	UNIT_CHECK(sum_expansion(tiny, 4, 8, &r) == CN_XSUM_OK && r == 0x1p-1074, "subnormals: %a", r);
	/* DBL_MAX + DBL_MAX overflows on the way although the sum is DBL_MAX: reported */
	UNIT_CHECK(sum_expansion(big, 3, 8, &r) == CN_XSUM_OVERFLOW, "intermediate overflow");
	UNIT_CHECK(cn_xsum_round(big, 3, &r) == CN_XSUM_OK && r == DBL_MAX, "direct rounding: %g", r);
	UNIT_CHECK(cn_xsum_round(over, 2, &r) == CN_XSUM_OVERFLOW, "result beyond DBL_MAX");
	/* 0.1 + 0.2 + 0.3 - 0.6 in binary: exactly 2^-54 + ... the naive sum is 1.1e-16 */
	{
		__float128	q = (__float128) 0.1 + (__float128) 0.2 + (__float128) 0.3 - (__float128) 0.6;

		UNIT_CHECK(sum_expansion(cancel, 4, 8, &r) == CN_XSUM_OK && r == (double) q,
				   "0.1 + 0.2 + 0.3 - 0.6 = %a, want %a", r, (double) q);
	}
	UNIT_CHECK(sum_expansion(a, 0, 8, &r) == CN_XSUM_OK && r == 0.0, "empty sum");
}

/*
 * Terms within 2^50 of each other in magnitude, at most 16 of them: their binary128
 * sum is exact (113 bits hold them all), and its conversion to double rounds once.
 */
static void
test_binary128(void)
{
	int			bad = 0;

	for (int trial = 0; trial < 20000; trial++)
	{
		int			n = 1 + (int) (rng_uniform() * 16);
		int			e0 = (int) (rng_uniform() * 1970) - 1070;	/* results down to subnormals */
		double		x[16],
					r;
		__float128	q = 0;

		for (int i = 0; i < n; i++)
		{
			x[i] = ldexp(rng_uniform() - 0.5, e0 + (int) (rng_uniform() * 50));
			q += x[i];
		}
		if (sum_expansion(x, n, 4, &r) != CN_XSUM_OK || r != (double) q)
			bad++;
	}
	UNIT_CHECK(bad == 0, "binary128 agreement: %d of 20000 differ", bad);
}

/* Any order, any split into partial sums merged afterwards: the same bits. */
static void
test_order(void)
{
	int			bad = 0,
				worst_m = 0;

	for (int trial = 0; trial < 2000; trial++)
	{
		int			n = 2 + (int) (rng_uniform() * 200);
		double		x[202],
					want,
					r;

		for (int i = 0; i < n; i++)
		{
			/* magnitudes over 600 binary orders, signs mixed: heavy cancellation */
			x[i] = ldexp(rng_uniform() - 0.5, (int) (rng_uniform() * 600) - 300);
			if (i > 0 && rng_uniform() < 0.2)
				x[i] = -x[i - 1];
		}
		if (cn_xsum_round(x, n, &want) != CN_XSUM_OK)
		{
			bad++;
			continue;
		}
		for (int perm = 0; perm < 5; perm++)
		{
			double		c1[64],
						c2[64];
			int			m1 = 0,
						m2 = 0,
						rc = CN_XSUM_OK;

			for (int i = n - 1; i > 0; i--)
			{
				int			j = (int) (rng_uniform() * (i + 1));
				double		t = x[i];

				x[i] = x[j];
				x[j] = t;
			}
			/* two partial sums, then one merged into the other */
			for (int i = 0; i < n && rc == CN_XSUM_OK; i++)
				rc = rng_uniform() < 0.5 ? cn_xsum_add(c1, &m1, 64, x[i])
					: cn_xsum_add(c2, &m2, 64, x[i]);
			for (int i = 0; i < m2 && rc == CN_XSUM_OK; i++)
				rc = cn_xsum_add(c1, &m1, 64, c2[i]);
			cn_xsum_compress(c1, &m1);
			if (m1 > worst_m)
				worst_m = m1;
			if (rc != CN_XSUM_OK || cn_xsum_round(c1, m1, &r) != CN_XSUM_OK || r != want)
				bad++;
		}
	}
	UNIT_CHECK(bad == 0, "order and split: %d of 10000 sums differ", bad);
	/* 600 binary orders of magnitude need at most 600/53 + 1 components */
	UNIT_CHECK(worst_m <= 13, "compressed expansions up to %d components", worst_m);
	printf("# xsum: 10000 permuted and split sums of up to 201 terms identical; compressed size <= %d\n",
		   worst_m);
}

/* FULL leaves the value intact, and a larger room then takes the term. */
static void
test_full(void)
{
	double		c[8],
				r;
	int			m = 0;

	UNIT_CHECK(cn_xsum_add(c, &m, 2, 1.0) == CN_XSUM_OK, "first");
	UNIT_CHECK(cn_xsum_add(c, &m, 2, 0x1p-200) == CN_XSUM_OK, "second");
	UNIT_CHECK(cn_xsum_add(c, &m, 2, 0x1p-400) == CN_XSUM_FULL, "third does not fit");
	UNIT_CHECK(cn_xsum_round(c, m, &r) == CN_XSUM_OK && r == 1.0 && m == 2, "value kept");
	UNIT_CHECK(cn_xsum_add(c, &m, 8, 0x1p-400) == CN_XSUM_OK && m == 3, "fits in more room");
}

int
main(void)
{
	test_known();
	test_binary128();
	test_order();
	test_full();
	return unit_report("xsum");
}
