/*
 * smile.c -- one expiry's smile as variance linear in log-moneyness, the strike at a
 * delta, the skew figures, and the constant-maturity ATM vol (conventions: smile.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "normal.h"
#include "roots.h"
#include "smile.h"

/* Lexicographic order of (strike, vol) pairs and of (t, strike, forward, vol) rows (all finite). */
static int
cmp_pair(const void *x, const void *y)
{
	const double *a = x,
			   *b = y;

	for (int i = 0; i < 2; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

static int
cmp_row4(const void *x, const void *y)
{
	const double *a = x,
			   *b = y;

	for (int i = 0; i < 4; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

static int
positive(double x)
{
	return isfinite(x) && x > 0;
}

int
cn_smile_build(double *quotes, int n, double forward, double t, double *k, double *v,
			   cn_smile *s)
{
	int			m = 0;

	if (n < 1)
		return CN_SMILE_EEMPTY;
	if (!positive(forward) || !positive(t))
		return CN_SMILE_EROW;
	for (int i = 0; i < n; i++)
		if (!positive(quotes[2 * i]) || !positive(quotes[2 * i + 1]))
			return CN_SMILE_EROW;
	/* one order whatever the input's, so duplicates are averaged in one order */
	qsort(quotes, n, 2 * sizeof(double), cmp_pair);
	for (int i = 0; i < n;)
	{
		int			j = i;
		double		sum = 0;

		while (j < n && quotes[2 * j] == quotes[2 * i])
		{
			sum += quotes[2 * j + 1] * quotes[2 * j + 1];
			j++;
		}
		k[m] = log(quotes[2 * i] / forward);
		v[m] = sum / (j - i);
		/* two strikes so close that their log-moneyness rounds to one value: one node */
		if (m > 0 && k[m] == k[m - 1])
			v[m - 1] = 0.5 * (v[m - 1] + v[m]);
		else
			m++;
		i = j;
	}
	s->n = m;
	s->k = k;
	s->v = v;
	s->t = t;
	return CN_SMILE_OK;
}

/* The segment [k[j], k[j+1]] holding k: the last j with k[j] <= k (0 <= j <= n - 2). */
static int
segment_of(const cn_smile *s, double k)
{
	int			lo = 0,
				hi = s->n - 1;

	while (hi - lo > 1)
	{
		int			mid = lo + (hi - lo) / 2;

		if (s->k[mid] <= k)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Variance on segment j at k, as a convex combination of its ends (no cancellation). */
static double
segment_var(const cn_smile *s, int j, double k)
{
	double		lambda = (k - s->k[j]) / (s->k[j + 1] - s->k[j]);

	return (1.0 - lambda) * s->v[j] + lambda * s->v[j + 1];
}

double
cn_smile_var(const cn_smile *s, double k)
{
	if (k <= s->k[0])
		return s->v[0];
	if (k >= s->k[s->n - 1])
		return s->v[s->n - 1];
	return segment_var(s, segment_of(s, k), k);
}

double
cn_smile_atm(const cn_smile *s)
{
	if (!(s->k[0] <= 0 && s->k[s->n - 1] >= 0))
		return NAN;
	return sqrt(cn_smile_var(s, 0.0));
}

/* d1(k) - D on segment j of a smile. */
typedef struct d1_ctx
{
	const cn_smile *s;
	int			j;
	double		D;
} d1_ctx;

static double
d1_gap(double k, void *arg)
{
	d1_ctx	   *c = arg;
	double		u = sqrt(segment_var(c->s, c->j, k) * c->s->t);

	return -k / u + 0.5 * u - c->D;
}

/* Keep the candidate root nearest k = 0 (a tie to the lower k). */
static void
consider(double k, double *best)
{
	if (isnan(*best) || fabs(k) < fabs(*best) || (fabs(k) == fabs(*best) && k < *best))
		*best = k;
}

/* Every root of d1(k) = D on [a, b] inside segment j where d1 is monotone. */
static void
piece_roots(d1_ctx *c, double a, double b, double *best)
{
	double		ga = d1_gap(a, c),
				gb = d1_gap(b, c);

	if (ga == 0)
		consider(a, best);
	if (gb == 0)
		consider(b, best);
	if ((ga < 0 && gb > 0) || (ga > 0 && gb < 0))
		consider(cn_brent(d1_gap, c, a, b, ga, gb, 1e-300, 0.0, 400, NULL), best);
}

double
cn_smile_delta_k(const cn_smile *s, double delta, double *vol)
{
	double		D,
				best = NAN,
				w,
				k;
	int			n = s->n;

	*vol = NAN;
	if (!(delta > -1 && delta < 1) || delta == 0)
		return NAN;
	/* call: N(d1) = delta; put: N(d1) - 1 = delta, i.e. N(-d1) = |delta| */
	D = delta > 0 ? cn_norm_quantile(delta) : -cn_norm_quantile(-delta);

	/*
	 * Flat wings: w is constant, d1 = -k/sqrt(w) + sqrt(w)/2 is a line of slope
	 * -1/sqrt(w), with the one root k = w/2 - D sqrt(w).
	 */
	w = s->v[0] * s->t;
	k = 0.5 * w - D * sqrt(w);
	if (k <= s->k[0])
		consider(k, &best);
	w = s->v[n - 1] * s->t;
	k = 0.5 * w - D * sqrt(w);
	if (k >= s->k[n - 1])
		consider(k, &best);

	/*
	 * Segments: w(k) = c0 + sl k is linear, and d1'(k) = h(k)/sqrt(w) with
	 * h(k) = -1 + sl/4 + sl k/(2 w).  h'(k) = sl c0/(2 w^2) keeps one sign, so h has at
	 * most one zero and d1 at most one extremum: split there, and each piece is
	 * monotone with at most one root, bracketed by a sign change.
	 */
	for (int j = 0; j + 1 < n; j++)
	{
		d1_ctx		c = {s, j, D};
		double		sl = (s->v[j + 1] - s->v[j]) * s->t / (s->k[j + 1] - s->k[j]),
					c0 = s->v[j] * s->t - sl * s->k[j],
					kc = NAN;

		if (sl != 0 && sl != 2)
			kc = (2.0 - 0.5 * sl) * c0 / (sl * (0.5 * sl - 1.0));
		if (isfinite(kc) && kc > s->k[j] && kc < s->k[j + 1])
		{
			piece_roots(&c, s->k[j], kc, &best);
			piece_roots(&c, kc, s->k[j + 1], &best);
		}
		else
			piece_roots(&c, s->k[j], s->k[j + 1], &best);
	}
	/* d1 runs from +inf to -inf, so some root exists; NaN would be a bug */
	if (!isnan(best))
		*vol = sqrt(cn_smile_var(s, best));
	return best;
}

void
cn_smile_skew(const cn_smile *s, double forward, cn_skew *out)
{
	double		kp = cn_smile_delta_k(s, -0.25, &out->put25),
				kc = cn_smile_delta_k(s, 0.25, &out->call25);

	out->atm = cn_smile_atm(s);
	out->rr25 = out->call25 - out->put25;
	out->bf25 = 0.5 * (out->call25 + out->put25) - out->atm;
	out->m90 = sqrt(cn_smile_var(s, log(0.9)));
	out->m110 = sqrt(cn_smile_var(s, log(1.1)));
	out->put25_strike = forward * exp(kp);
	out->call25_strike = forward * exp(kc);
}

int
cn_cm_vol(double *rows, int n, double target_t, double *work, double *out, double *bad_t,
		  int *used)
{
	double	   *pairs = work,
			   *k = work + 2 * n,
			   *v = work + 3 * n,
			   *et = work + 4 * n,	/* expiries with an ATM vol: t */
			   *ev = work + 5 * n;	/* and v(0) */
	int			m = 0;

	*out = NAN;
	if (used)
		*used = 0;
	if (n < 1)
		return CN_SMILE_EEMPTY;
	if (!positive(target_t))
		return CN_SMILE_EROW;
	for (int i = 0; i < 4 * n; i++)
		if (!positive(rows[i]))
			return CN_SMILE_EROW;
	qsort(rows, n, 4 * sizeof(double), cmp_row4);
	for (int i = 0; i < n;)
	{
		int			j = i,
					rc;
		cn_smile	s;
		double		atm;

		for (; j < n && rows[4 * j] == rows[4 * i]; j++)
		{
			if (rows[4 * j + 2] != rows[4 * i + 2])
			{
				*bad_t = rows[4 * i];
				return CN_SMILE_EFWD;
			}
			pairs[2 * (j - i)] = rows[4 * j + 1];
			pairs[2 * (j - i) + 1] = rows[4 * j + 3];
		}
		rc = cn_smile_build(pairs, j - i, rows[4 * i + 2], rows[4 * i], k, v, &s);
		if (rc != CN_SMILE_OK)
			return rc;
		atm = cn_smile_atm(&s);
		if (!isnan(atm))
		{
			et[m] = rows[4 * i];
			ev[m] = cn_smile_var(&s, 0.0);
			m++;
		}
		i = j;
	}
	if (used)
		*used = m;
	if (m == 0)
		return CN_SMILE_ENONE;
	if (target_t <= et[0])
		*out = sqrt(ev[0]);
	else if (target_t >= et[m - 1])
		*out = sqrt(ev[m - 1]);
	else
	{
		int			e = 0;

		while (et[e + 1] < target_t)
			e++;
		if (et[e + 1] == target_t)
			*out = sqrt(ev[e + 1]);
		else
		{
			/* total variance, linear in t between the bracketing expiries */
			double		span = et[e + 1] - et[e],
						W = ((et[e + 1] - target_t) * (ev[e] * et[e])
							 + (target_t - et[e]) * (ev[e + 1] * et[e + 1])) / span;

			*out = sqrt(W / target_t);
		}
	}
	return CN_SMILE_OK;
}
