/*
 * bench_iv.c -- time the implied volatility solvers on pre-generated quotes.
 *
 * Build and run from the repository root:
 *   cc -std=gnu99 -O2 -Wall -Wextra -ffp-contract=off -Isrc/num -o /tmp/bench_iv \
 *      test/bench/bench_iv.c src/num/lbr.c src/num/iv_normal.c src/num/normal.c -lm
 *   /tmp/bench_iv [N]
 *
 * N (default 1,000,000) quotes are generated first from a fixed seed: a mix of easy
 * near-the-money quotes, deep out-of-the-money wings, short expiries (0DTE minutes),
 * high volatility and in-the-money quotes, calls and puts.  Only the solver loop is
 * timed (CLOCK_MONOTONIC, best of 5 passes); the results are summed so that the
 * compiler cannot drop the calls.
 *
 * Built with -DBENCH_JAECKEL and linked with Peter Jaeckel's reference implementation
 * (www.jaeckel.org/LetsBeRational.7z, which scripts/bench compiles with g++ -O3 when
 * BENCH_JAECKEL names its source folder; it is never part of condor), it also times
 * his ImpliedBlackVolatility on the same quotes, in interleaved rounds, and prints the
 * ratio and both solvers' worst error against the total vol the quotes were made from,
 * in units of the attainable accuracy eps (1 + cond), cond = b/(s b'(s)).
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "lbr.h"
#include "iv_normal.h"
#include "normal.h"

typedef struct
{
	double		price,
				F,
				K,
				t,
				s;				/* the total vol the price was made from */
	int			omega;
} quote;

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

/* splitmix64: a fixed, portable stream */
static double
urand(void)
{
	uint64_t	z = (rng_state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	z ^= z >> 31;
	return ((z >> 11) + 0.5) / 9007199254740992.0;
}

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* One lognormal quote of the given kind; returns 0 if its price is not usable. */
static int
make_black(quote *q, int kind)
{
	double		F = 100.0 * exp(2.0 * urand() - 1.0),
				sigma,
				t,
				z,
				s;

	switch (kind)
	{
		case 0:					/* easy: weeks to years, |z| <= 2 */
			sigma = 0.1 + 0.6 * urand();
			t = 0.02 + 2.0 * urand();
			z = 4.0 * urand() - 2.0;
			break;
		case 1:					/* deep OTM wings: 4..9 sd */
			sigma = 0.1 + 0.5 * urand();
			t = 0.05 + urand();
			z = (4.0 + 5.0 * urand()) * (urand() < 0.5 ? -1 : 1);
			break;
		case 2:					/* 0DTE: 5 minutes to 6 hours, SPX-like */
			F = 5800.0 + 100.0 * urand();
			sigma = 0.08 + 0.4 * urand();
			t = (5.0 + 355.0 * urand()) / 525600.0;
			z = 6.0 * urand() - 3.0;
			break;
		case 3:					/* high vol, long dated */
			sigma = 1.0 + 2.5 * urand();
			t = 1.0 + 4.0 * urand();
			z = 4.0 * urand() - 2.0;
			break;
		default:				/* in the money, moderately deep */
			sigma = 0.15 + 0.4 * urand();
			t = 0.1 + urand();
			z = 0.5 + 2.5 * urand();
			break;
	}
	s = sigma * sqrt(t);
	q->F = F;
	q->t = t;
	q->s = s;
	q->omega = urand() < 0.5 ? 1 : -1;
	/* ITM: strike on the in-the-money side of the forward for the chosen type */
	q->K = F * exp((kind == 4 ? -q->omega : 1) * z * s);
	q->price = sqrt(F) * sqrt(q->K)
		* cn_normalised_black(cn_log_moneyness(F, q->K), s, q->omega);
	return q->price > 1e-200;
}

static int
make_bachelier(quote *q, int kind)
{
	double		F = 0.05 * (2.0 * urand() - 0.5),
				sn = 0.002 + 0.02 * urand(),
				t = kind == 2 ? (5.0 + 355.0 * urand()) / 525600.0 : 0.05 + 3.0 * urand(),
				d = kind == 1 ? (4.0 + 5.0 * urand()) : 6.0 * urand() - 3.0,
				s = sn * sqrt(t),
				dd;

	q->F = F;
	q->t = t;
	q->omega = urand() < 0.5 ? 1 : -1;
	q->K = F - d * s;
	dd = -fabs(F - q->K) / s;
	q->price = fmax(q->omega * (F - q->K), 0.0)
		+ s * cn_norm_pdf(dd) * cn_mills_defect(-dd, NULL);
	return q->price > 1e-200;
}

static double
run(const char *name, quote *qs, int n,
	double (*fn) (double, double, double, double, int, int *))
{
	double		best = 1e300,
				sum = 0.0;
	int			bad = 0;

	for (int pass = 0; pass < 5; pass++)
	{
		double		t0 = now_ns(),
					t1;

		sum = 0.0;
		bad = 0;
		for (int i = 0; i < n; i++)
		{
			int			st;

			sum += fn(qs[i].price, qs[i].F, qs[i].K, qs[i].t, qs[i].omega, &st);
			bad += st != CN_IV_OK;
		}
		t1 = now_ns();
		if (t1 - t0 < best)
			best = t1 - t0;
	}
	if (name)
		printf("iv: %d quotes, %.1f ns per implied vol (%s)  [checksum %.6g, %d non-OK]\n",
			   n, best / n, name, sum, bad);
	return best / n;
}

#ifdef BENCH_JAECKEL
extern double ImpliedBlackVolatility(double price, double F, double K, double T, double q);

static double
jaeckel_iv(double price, double F, double K, double t, int omega, int *status)
{
	*status = CN_IV_OK;
	return ImpliedBlackVolatility(price, F, K, t, (double) omega);
}

/*
 * |sigma sqrt(t) / s - 1| / (eps (1 + cond)) for one solver's answer, cond = b/(s v)
 * the amplification of the price's rounding into the total vol; 0 where the answer is
 * not a positive number (a quote whose rounded price sits at intrinsic, say).
 */
static double
attainable_units(const quote *q, double sigma)
{
	double		x = cn_log_moneyness(q->F, q->K),
				h = x / q->s,
				t = 0.5 * q->s,
				v = CN_INV_SQRT2PI * exp(-0.5 * (h * h + t * t)),
				b = cn_normalised_black(x, q->s, q->omega),
				cond = b / (q->s * v);

	if (!(sigma > 0.0 && sigma < 1e300))
		return 0.0;
	return fabs(sigma * sqrt(q->t) / q->s - 1.0) / (DBL_EPSILON * (1.0 + cond));
}

/* condor and Jaeckel's reference, interleaved rounds, min of each */
static void
versus_jaeckel(quote *qs, int n)
{
	double		bc = 1e300,
				bj = 1e300,
				ec = 0.0,
				ej = 0.0;

	for (int round = 0; round < 5; round++)
	{
		double		c = run(NULL, qs, n, cn_black_implied_vol),
					j = run(NULL, qs, n, jaeckel_iv);

		bc = c < bc ? c : bc;
		bj = j < bj ? j : bj;
	}
	for (int i = 0; i < n; i++)
	{
		int			st;
		double		c = attainable_units(&qs[i], cn_black_implied_vol(qs[i].price, qs[i].F,
																	 qs[i].K, qs[i].t,
																	 qs[i].omega, &st)),
					j = attainable_units(&qs[i], ImpliedBlackVolatility(qs[i].price, qs[i].F,
																		qs[i].K, qs[i].t,
																		qs[i].omega));

		ec = c > ec ? c : ec;
		ej = j > ej ? j : ej;
	}
	printf("iv: versus Jaeckel's reference, same quotes, min of 5 interleaved rounds: "
		   "condor %.1f ns, Jaeckel %.1f ns, ratio %.3f\n", bc, bj, bc / bj);
	printf("iv: worst error in units of eps (1 + cond): condor %.2f, Jaeckel %.2f\n", ec, ej);
}
#endif

int
main(int argc, char **argv)
{
	int			n = argc > 1 ? atoi(argv[1]) : 1000000;
	quote	   *qs = malloc(sizeof(quote) * (size_t) n);

	if (!qs || n <= 0)
		return 1;
	for (int i = 0; i < n; i++)
		while (!make_black(&qs[i], i % 5))
			;
	run("black", qs, n, cn_black_implied_vol);
	{
		/* the same quotes by kind, for orientation */
		static const char *kinds[5] = {"easy", "deep OTM", "0DTE", "high vol", "ITM"};
		quote	   *sub = malloc(sizeof(quote) * (size_t) (n / 5 + 1));

		for (int k = 0; sub && k < 5; k++)
		{
			int			m = 0;

			for (int i = k; i < n; i += 5)
				sub[m++] = qs[i];
			printf("#   %-9s %.1f ns per implied vol\n", kinds[k],
				   run(NULL, sub, m, cn_black_implied_vol));
		}
		free(sub);
	}
#ifdef BENCH_JAECKEL
	versus_jaeckel(qs, n);
#endif
	for (int i = 0; i < n; i++)
		while (!make_bachelier(&qs[i], i % 3))
			;
	run("bachelier", qs, n, cn_bachelier_implied_vol);
	free(qs);
	return 0;
}
