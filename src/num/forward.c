/*
 * forward.c -- implied forward and discount from put-call parity (see forward.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forward.h"

#define TS_ALL_PAIRS_MAX	362 /* n(n-1)/2 <= 65,341 slopes */
#define TRIM_K				3.0
#define MAD_TO_SIGMA		1.482602218505602	/* 1/Phi^-1(3/4) */
#define MAX_ROUNDS			20

typedef struct point
{
	double		x;				/* strike */
	double		y;				/* call - put */
} point;

static int
point_cmp(const void *pa, const void *pb)
{
	double		a = ((const point *) pa)->x;
	double		b = ((const point *) pb)->x;

	return (a > b) - (a < b);
}

static int
double_cmp(const void *pa, const void *pb)
{
	double		a = *(const double *) pa;
	double		b = *(const double *) pb;

	return (a > b) - (a < b);
}

/* Median of v[0..n), n >= 1; reorders v. */
static double
median(double *v, int n)
{
	qsort(v, n, sizeof(double), double_cmp);
	return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/*
 * Ordinary least squares y = a + b x over the points with keep[i]; centred sums, so
 * the slope does not suffer the cancellation of sum(x^2) - n mean^2.  Returns 0 when
 * the kept strikes do not span two values.
 */
static int
ols(const point *p, const char *keep, int n, double *a, double *b)
{
	double		sx = 0,
				sy = 0,
				sxx = 0,
				sxy = 0;
	int			m = 0;
	int			i;

	for (i = 0; i < n; i++)
		if (keep[i])
		{
			sx += p[i].x;
			sy += p[i].y;
			m++;
		}
	if (m < 2)
		return 0;
	sx /= m;
	sy /= m;
	for (i = 0; i < n; i++)
		if (keep[i])
		{
			double		dx = p[i].x - sx;

			sxx += dx * dx;
			sxy += dx * (p[i].y - sy);
		}
	if (!(sxx > 0))
		return 0;
	*b = sxy / sxx;
	*a = sy - *b * sx;
	return 1;
}

int
cn_implied_forward(const double *strike, const double *call, const double *put, int n,
				   double t, double spot, cn_forward_result *res, char *err, int errlen)
{
	point	   *p = NULL;
	double	   *work = NULL;
	char	   *keep = NULL;
	double		a = 0,
				b = 0,
				scale = 0,
				ss = 0;
	int			rc = CN_FWD_OK;
	int			i,
				j,
				m,
				round;

	res->forward = res->discount = res->rate = NAN;
	res->dividend_yield = res->residual = NAN;
	res->strikes_used = 0;
	res->strikes = n;
	if (err && errlen > 0)
		err[0] = '\0';

	if (!(t > 0) || !isfinite(t) || n < 2)
	{
		if (err && errlen > 0)
			snprintf(err, errlen, n < 2 ? "at least 2 strikes are needed, not %d" :
					 "time to expiry must be positive and finite (%d strikes)", n);
		return CN_FWD_EARG;
	}
	for (i = 0; i < n; i++)
		if (!isfinite(strike[i]) || !(strike[i] > 0) || !isfinite(call[i]) ||
			!isfinite(put[i]) || call[i] < 0 || put[i] < 0)
		{
			if (err && errlen > 0)
				snprintf(err, errlen,
						 "invalid quote: strike %g, call %g, put %g (strike must be "
						 "positive, prices finite and not negative)",
						 strike[i], call[i], put[i]);
			return CN_FWD_EROW;
		}

	p = malloc(sizeof(point) * n);
	work = malloc(sizeof(double) * (n <= TS_ALL_PAIRS_MAX ? n * (n - 1) / 2 + 1 : n));
	keep = malloc(n);
	if (!p || !work || !keep)
	{
		if (err && errlen > 0)
			snprintf(err, errlen, "out of memory for %d strikes", n);
		rc = CN_FWD_ENOMEM;
		goto done;
	}
	for (i = 0; i < n; i++)
	{
		p[i].x = strike[i];
		p[i].y = call[i] - put[i];
		if (fabs(p[i].y) > scale)
			scale = fabs(p[i].y);
	}
	qsort(p, n, sizeof(point), point_cmp);
	if (p[0].x == p[n - 1].x)
	{
		if (err && errlen > 0)
			snprintf(err, errlen, "all %d quotes are at strike %g: 2 distinct strikes "
					 "are needed", n, p[0].x);
		rc = CN_FWD_EFEW;
		goto done;
	}

	/* Theil-Sen start. */
	m = 0;
	if (n <= TS_ALL_PAIRS_MAX)
	{
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++)
				if (p[j].x != p[i].x)
					work[m++] = (p[j].y - p[i].y) / (p[j].x - p[i].x);
	}
	else
	{
		int			h = n / 2;

		for (i = 0; i + h < n; i++)
			if (p[i + h].x != p[i].x)
				work[m++] = (p[i + h].y - p[i].y) / (p[i + h].x - p[i].x);
	}
	if (m == 0)
	{
		/* Half the points share one strike: fall back on the all-points line. */
		memset(keep, 1, n);
		ols(p, keep, n, &a, &b);
	}
	else
	{
		b = median(work, m);
		for (i = 0; i < n; i++)
			work[i] = p[i].y - b * p[i].x;
		a = median(work, n);
	}
	scale += fabs(b) * p[n - 1].x;

	/* Trim at 3 MAD-sigmas and refit until the kept set is stable. */
	for (i = 0; i < n; i++)
		keep[i] = 2;			/* "unset", so the first round always refits */
	for (round = 0; round < MAX_ROUNDS; round++)
	{
		double		thr,
					na,
					nb;
		int			changed = 0;

		for (i = 0; i < n; i++)
			work[i] = fabs(p[i].y - (a + b * p[i].x));
		thr = TRIM_K * MAD_TO_SIGMA * median(work, n);
		if (thr < 1e-12 * scale)
			thr = 1e-12 * scale;	/* exact data: never trim on rounding noise */
		for (i = 0; i < n; i++)
		{
			char		k = fabs(p[i].y - (a + b * p[i].x)) <= thr;

			if (k != keep[i])
				changed = 1;
			keep[i] = k;
		}
		if (!changed)
			break;
		if (!ols(p, keep, n, &na, &nb))
			break;				/* the kept points span one strike: keep the last fit */
		a = na;
		b = nb;
	}

	res->discount = -b;
	if (!(res->discount > 0) || !isfinite(res->discount))
	{
		if (err && errlen > 0)
			snprintf(err, errlen, "the fitted discount factor %g is not positive: call "
					 "minus put does not fall with the strike", res->discount);
		res->discount = NAN;
		rc = CN_FWD_EDISC;
		goto done;
	}
	/* a = D F; a/D is as accurate as a (relative), no cancellation. */
	res->forward = a / res->discount;
	res->rate = -log(res->discount) / t;
	if (spot > 0 && isfinite(spot))
		res->dividend_yield = res->rate - log(res->forward / spot) / t;
	m = 0;
	for (i = 0; i < n; i++)
		if (keep[i])
		{
			double		r = p[i].y - res->discount * (res->forward - p[i].x);

			ss += r * r;
			m++;
		}
	res->strikes_used = m;
	res->residual = sqrt(ss / m);

done:
	free(p);
	free(work);
	free(keep);
	return rc;
}

int
cn_parity_gap(double call_bid, double call_ask, double put_bid, double put_ask,
			  double strike, double forward, double discount, double *conversion,
			  double *reversal)
{
	double		pv;

	if (!isfinite(call_bid) || !isfinite(call_ask) || !isfinite(put_bid) ||
		!isfinite(put_ask) || !isfinite(strike) || !isfinite(forward) ||
		!isfinite(discount) || !(discount > 0))
	{
		*conversion = *reversal = NAN;
		return -1;
	}
	/* Present value of receiving F - K at expiry. */
	pv = discount * (forward - strike);
	*conversion = (call_bid - put_ask) - pv;
	*reversal = pv - (call_ask - put_bid);
	return 0;
}
