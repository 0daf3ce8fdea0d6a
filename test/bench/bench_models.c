/*
 * bench_models.c -- cost of the European numerics alone, in nanoseconds per call, over
 * a synthetic SPX-like chain (no PostgreSQL): the floor under bs_price and bs_greeks.
 * Beside them, the textbook formula with glibc's erfc, which condor does not use: its
 * cost and its worst relative error on the same chain (where the price exceeds 1e-8
 * of spot) say what condor's exactness costs.
 */
#include <math.h>
#include <stdio.h>
#include <time.h>

#include "models.h"
#include "floor/textbook.h"

#define N 2000000

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int
main(void)
{
	static double k[N],
				t[N],
				v[N];
	static int	om[N];
	double		acc = 0,
				worst = 0,
				t0;
	unsigned	x = 12345;
	cn_greeks	g;

	for (int i = 0; i < N; i++)
	{
		x = x * 1103515245u + 12345u;
		k[i] = 4640 + 5 * ((x >> 8) % 465);
		t[i] = (1 + (x >> 4) % 90) / 365.0;
		v[i] = 0.10 + 0.25 * ((x >> 12) % 1000) / 1000.0;
		om[i] = (x >> 20) & 1 ? 1 : -1;
	}
	t0 = now_ns();
	for (int i = 0; i < N; i++)
		acc += cn_bsm_price(om[i], 5800, k[i], t[i], v[i], 0.045, 0.013);
	printf("bench models: cn_bsm_price  %6.1f ns per call\n", (now_ns() - t0) / N);
	t0 = now_ns();
	for (int i = 0; i < N; i++)
		acc += textbook_price(om[i], 5800, k[i], t[i], v[i], 0.045, 0.013);
	printf("bench models: textbook      %6.1f ns per call (erfc formula, not used)\n", (now_ns() - t0) / N);
	for (int i = 0; i < N; i++)
	{
		double		p = cn_bsm_price(om[i], 5800, k[i], t[i], v[i], 0.045, 0.013),
					e = fabs(textbook_price(om[i], 5800, k[i], t[i], v[i], 0.045, 0.013) - p) / p;

		if (p > 1e-8 * 5800 && e > worst)
			worst = e;
	}
	printf("bench models: textbook worst relative error %.1e where the price exceeds 1e-8 of spot\n", worst);
	t0 = now_ns();
	for (int i = 0; i < N; i++)
	{
		cn_bsm_greeks(om[i], 5800, k[i], t[i], v[i], 0.045, 0.013, &g);
		acc += g.delta;
	}
	printf("bench models: cn_bsm_greeks %6.1f ns per call (price and ten Greeks)\n", (now_ns() - t0) / N);
	return acc == 42.0;			/* keep the loops */
}
