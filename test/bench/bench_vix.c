/*
 * bench_vix.c -- timings of the surface numerics: one SVI calibration of a 200-point
 * slice, one volatility index of 2 expiries x 2000 strikes, one implied forward of 2000
 * strikes.  Deterministic synthetic data; wall-clock per call, best of 5 batches.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "forward.h"
#include "normal.h"
#include "svi.h"
#include "vix.h"

#define NSTRIKES 2000

static double
now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* Undiscounted Black price of a call (omega 1) or put (-1) on F = 1 with total vol s. */
static double
black(int omega, double K, double s)
{
	double		d1 = -log(K) / s + 0.5 * s;

	return omega * (cn_norm_cdf(omega * d1) - K * cn_norm_cdf(omega * (d1 - s)));
}

static cn_vix_row vrows[4 * NSTRIKES],
			vwork[4 * NSTRIKES];
static double Kf[NSTRIKES],
			Cf[NSTRIKES],
			Pf[NSTRIKES];

int
main(void)
{
	cn_svi		p = {0.04, 0.4, -0.4, 0.05, 0.1};
	double		k[200],
				w[200],
				best,
				sink = 0;
	int64_t		as_of = INT64_C(717605115000000);
	int			n = 0,
				reps,
				b,
				r;

	/* SVI slice: 200 points with +-2e-4 noise so the fit is not trivially exact. */
	for (int i = 0; i < 200; i++)
	{
		k[i] = -0.8 + 1.4 * i / 199;
		w[i] = cn_svi_w(&p, k[i]) + 4e-4 * (((i * 7919) % 1000) / 1000.0 - 0.5);
	}
	reps = 200;
	best = INFINITY;
	for (b = 0; b < 5; b++)
	{
		double		t0 = now_sec();

		for (r = 0; r < reps; r++)
		{
			cn_svi_fit_result res;

			cn_svi_fit(k, w, NULL, 200, &res, NULL, 0);
			sink += res.p.a;
		}
		best = fmin(best, (now_sec() - t0) / reps);
	}
	printf("bench svi_fit 200 points: %.0f us per fit\n", best * 1e6);

	/* VIX: 2 expiries (25 and 35 days), 2000 strikes each from 0.3 F to 1.7 F. */
	for (int e = 0; e < 2; e++)
	{
		double		days = e ? 35 : 25;
		double		t = days / 365;
		double		F = 4000;

		for (int i = 0; i < NSTRIKES; i++)
		{
			double		K = F * (0.3 + 1.4 * i / (NSTRIKES - 1));
			double		s = (0.18 + 0.4 * pow(log(K / F), 2)) * sqrt(t);

			for (int omega = 1; omega >= -1; omega -= 2)
			{
				double		mid = F * black(omega, K / F, s);

				vrows[n++] = (cn_vix_row) {as_of + (int64_t) (days * 1440) * 60000000,
					omega > 0 ? 'C' : 'P', K, fmax(0, mid - 0.05), mid + 0.05, 0.04};
			}
		}
	}
	reps = 50;
	best = INFINITY;
	for (b = 0; b < 5; b++)
	{
		double		t0 = now_sec();

		for (r = 0; r < reps; r++)
		{
			cn_vix_result res;

			/* The input is sorted in place: time the copy too, as SQL will. */
			for (int i = 0; i < n; i++)
				vwork[(i * 7) % n] = vrows[i];
			cn_vix_compute(vwork, n, as_of, 30, &res, NULL, 0);
			sink += res.index;
		}
		best = fmin(best, (now_sec() - t0) / reps);
	}
	printf("bench vix 2 expiries x %d strikes (shuffled): %.3f ms per index\n", NSTRIKES,
		   best * 1e3);

	/* Implied forward over 2000 strikes (halves Theil-Sen start). */
	for (int i = 0; i < NSTRIKES; i++)
	{
		double		s = 0.2 * sqrt(0.1);

		Kf[i] = 0.3 + 1.4 * i / (NSTRIKES - 1);
		Cf[i] = 0.99 * black(1, Kf[i], s);
		Pf[i] = 0.99 * black(-1, Kf[i], s);
	}
	reps = 50;
	best = INFINITY;
	for (b = 0; b < 5; b++)
	{
		double		t0 = now_sec();

		for (r = 0; r < reps; r++)
		{
			cn_forward_result res;

			cn_implied_forward(Kf, Cf, Pf, NSTRIKES, 0.1, NAN, &res, NULL, 0);
			sink += res.forward;
		}
		best = fmin(best, (now_sec() - t0) / reps);
	}
	printf("bench implied_forward %d strikes: %.3f ms per fit\n", NSTRIKES, best * 1e3);
	return sink == 42.0;		/* keeps the work observable */
}
