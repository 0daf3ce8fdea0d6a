/*
 * bench_american.c -- cost of the American numerics alone (no PostgreSQL), in
 * microseconds per call, over a synthetic SPY-like chain: spot 500, strikes 400..600 on
 * a $1 grid, 1 day to 2 years, a put skew between 12% and 45%, r 4.5-5.3%, q 1.2-1.5%,
 * calls and puts alike.  Targets (issue): 50 us per price at the default accuracy,
 * 10 us at the fast one.
 */
#include <stdio.h>
#include <time.h>

#include "american.h"

#define N		4000			/* chain rows */
#define N_IV	1000			/* rows inverted for the implied vol */
#define REPS	3				/* passes over the chain for the price timings */

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec * 1e-3;
}

int
main(void)
{
	static double k[N],
				t[N],
				v[N],
				r[N],
				q[N],
				p[N];
	static int	om[N];
	static const int days[] = {1, 2, 5, 9, 16, 30, 44, 58, 93, 184, 275, 366, 548, 730};
	double		acc = 0,
				t0,
				us;
	unsigned	x = 20240601u;
	int			bad = 0;
	cn_greeks	g;

	for (int i = 0; i < N; i++)
	{
		double		m;

		x = x * 1103515245u + 12345u;
		k[i] = 400 + (x >> 8) % 201;
		x = x * 1103515245u + 12345u;
		t[i] = days[(x >> 8) % 14] / 365.0;
		m = (k[i] - 500.0) / 500.0;
		/* skew: higher vol on low strikes, a little smile above */
		v[i] = 0.16 - 0.45 * m + 0.5 * m * m;
		if (v[i] < 0.12)
			v[i] = 0.12;
		if (v[i] > 0.45)
			v[i] = 0.45;
		x = x * 1103515245u + 12345u;
		r[i] = 0.045 + 0.008 * ((x >> 8) % 1000) / 1000.0;
		q[i] = 0.012 + 0.003 * ((x >> 18) % 1000) / 1000.0;
		om[i] = (x >> 28) & 1 ? 1 : -1;
	}

	for (int s = 0; s <= 1; s++)
	{
		t0 = now_us();
		for (int rep = 0; rep < REPS; rep++)
			for (int i = 0; i < N; i++)
				acc += p[i] = cn_american_price(om[i], 500, k[i], t[i], v[i], r[i], q[i], s);
		us = (now_us() - t0) / (REPS * N);
		printf("bench american: cn_american_price (%s) %7.2f us per call\n",
			   s ? "fast   " : "default", us);
	}

	t0 = now_us();
	for (int i = 0; i < N; i++)
	{
		cn_american_greeks(om[i], 500, k[i], t[i], v[i], r[i], q[i], CN_AM_ACCURATE, &g);
		acc += g.vega;
	}
	printf("bench american: cn_american_greeks (default) %7.2f us per call (price and nine Greeks)\n",
		   (now_us() - t0) / N);
	t0 = now_us();
	for (int i = 0; i < N; i++)
	{
		cn_american_greeks(om[i], 500, k[i], t[i], v[i], r[i], q[i], CN_AM_FAST, &g);
		acc += g.vega;
	}
	printf("bench american: cn_american_greeks (fast)    %7.2f us per call\n",
		   (now_us() - t0) / N);

	for (int s = 0; s <= 1; s++)
	{
		/* invert the scheme's own prices, every fourth row of the chain */
		for (int i = 0; i < N_IV; i++)
			p[i] = cn_american_price(om[4 * i], 500, k[4 * i], t[4 * i], v[4 * i], r[4 * i],
									 q[4 * i], s);
		t0 = now_us();
		for (int i = 0; i < N_IV; i++)
		{
			int			st;
			double		iv = cn_american_implied_vol(p[i], om[4 * i], 500, k[4 * i], t[4 * i],
													 r[4 * i], q[4 * i], s, &st);

			if (st == CN_AIV_OK)
			{
				acc += iv;
				bad += !(iv > v[4 * i] * (1 - 1e-6) && iv < v[4 * i] * (1 + 1e-6));
			}
		}
		printf("bench american: cn_american_implied_vol (%s) %7.2f us per call\n",
			   s ? "fast   " : "default", (now_us() - t0) / N_IV);
	}
	if (bad)
		printf("bench american: %d implied vols off by more than 1e-6\n", bad);
	return acc == 42.0;			/* keep the loops */
}
