/*
 * payoff.c -- multi-leg positions: normal form, exact at-expiry algebra, model value,
 * Greeks, probability of profit, T+n break-evens, wing test, iron condor selection.
 *
 * Everything is evaluated through one "curve": the P&L of the position at a horizon,
 * each option leg at intrinsic if it expires by then and at its BSM value otherwise.
 * With the horizon at the end of time the curve is the at-expiry P&L, which is
 * piecewise linear with kinks at the strikes; its zeros and extremes come from the
 * values at the kinks and the slope of the last segment, without any grid.  Curves with
 * live legs are scanned on a grid in log spot and their roots refined by Brent's method.
 *
 * Conventions (units, signs, rounding snap) are documented once in payoff.h.
 */
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "models.h"
#include "normal.h"
#include "payoff.h"
#include "roots.h"

/* A position valued at a horizon: legs expiring by then at intrinsic, later ones by BSM. */
typedef struct curve
{
	const cn_leg *legs;
	int			n;
	int64_t		horizon;
	const double *vols;
	double		vol;
	double		r;
	double		q;
} curve;

/*
 * Where zeros go as they are found, in ascending order: an output array and, for the
 * probability of profit, a running sum over the gaps between consecutive zeros.
 */
typedef struct sink
{
	double	   *out;
	int			max_out;
	int			count;
	double		last;			/* last zero accepted */
	/* probability accumulation (pop != 0) */
	int			pop;
	const curve *c;
	double		spot;			/* the distribution: spot at as_of ... */
	double		drift;			/* ... (r - q - vol^2/2) T ... */
	double		sd;				/* ... and vol sqrt(T) */
	double		prob;
} sink;

/* Years (ACT/365) from "from" to "to", both TimestampTz microseconds. */
double
cn_act365(int64_t from, int64_t to)
{
	/* same-sign operands cannot overflow when subtracted; mixed signs go by double */
	if ((from >= 0) == (to >= 0))
		return (double) (to - from) / CN_US_PER_YEAR;
	return ((double) to - (double) from) / CN_US_PER_YEAR;
}

/* ---------------------------------------------------------------- normal form */

/* Total order on doubles for sorting: NaN after every number and equal to NaN. */
static int
cmp_double(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) - isnan(b);
	return (a > b) - (a < b);
}

/* Order of the merge key: everything but qty. */
static int
cmp_key(const cn_leg *a, const cn_leg *b)
{
	int			c;

	if (a->kind != b->kind)
		return (unsigned char) a->kind < (unsigned char) b->kind ? -1 : 1;
	if (a->expiry != b->expiry)
		return a->expiry < b->expiry ? -1 : 1;
	if ((c = cmp_double(a->strike, b->strike)) != 0)
		return c;
	if ((c = cmp_double(a->premium, b->premium)) != 0)
		return c;
	return cmp_double(a->multiplier, b->multiplier);
}

/* Full order: key, then qty, so that equal keys are summed in a fixed order. */
static int
cmp_leg(const cn_leg *a, const cn_leg *b)
{
	int			c = cmp_key(a, b);

	return c ? c : cmp_double(a->qty, b->qty);
}

/* Sorts and merges legs in place into the normal form of payoff.h; updates *n. */
void
cn_legs_normalise(cn_leg *legs, int *n)
{
	int			m = 0;

	for (int i = 0; i < *n; i++)
	{
		cn_leg	   *l = &legs[i];

		/* x + 0.0 turns -0.0 into +0.0: legs equal by == become equal bitwise */
		if (l->kind == 'U')
		{
			l->strike = NAN;
			l->expiry = 0;
		}
		else
			l->strike += 0.0;
		l->premium += 0.0;
		l->multiplier += 0.0;
	}

	/* Insertion sort: positions are small and it needs no comparator callback. */
	for (int i = 1; i < *n; i++)
	{
		cn_leg		x = legs[i];
		int			j = i;

		while (j > 0 && cmp_leg(&legs[j - 1], &x) > 0)
		{
			legs[j] = legs[j - 1];
			j--;
		}
		legs[j] = x;
	}

	for (int i = 0; i < *n; i++)
	{
		if (m > 0 && cmp_key(&legs[m - 1], &legs[i]) == 0)
			legs[m - 1].qty += legs[i].qty;
		else
		{
			/* The run before is complete: drop it if it netted to zero. */
			if (m > 0 && legs[m - 1].qty == 0.0)
				m--;
			legs[m++] = legs[i];
		}
	}
	if (m > 0 && legs[m - 1].qty == 0.0)
		m--;
	*n = m;
}

/* ---------------------------------------------------------------- the curve */

static int
is_option(const cn_leg *l)
{
	return l->kind == 'C' || l->kind == 'P';
}

/* Value per unit of leg i at spot S on curve c. */
static double
leg_price(const curve *c, int i, double S)
{
	const cn_leg *l = &c->legs[i];
	int			omega;
	double		t;

	if (l->kind == 'U')
		return S;
	if (!is_option(l))
		return NAN;
	omega = l->kind == 'C' ? 1 : -1;
	if (l->expiry <= c->horizon)
	{
		double		ex = omega * (S - l->strike);

		return ex > 0 ? ex : 0.0;
	}
	t = cn_act365(c->horizon, l->expiry);
	/* S = 0 is the end of the domain, where log-moneyness is -inf: take the limit. */
	if (S == 0.0)
		return omega > 0 ? 0.0 : l->strike * exp(-c->r * t);
	return cn_bsm_price(omega, S, l->strike, t, c->vols ? c->vols[i] : c->vol, c->r, c->q);
}

/*
 * P&L at S, summed leg by leg as qty mult (price - premium).  *scale receives the sum of
 * the terms' magnitudes used for the rounding snap (payoff.h): |qty mult| times
 * max(S, strike) + |premium|, which bounds what rounding of S - K, of the model price
 * and of the premium can do to each term.
 */
static double
curve_pnl(const curve *c, double S, double *scale)
{
	double		sum = 0.0,
				mag = 0.0;

	for (int i = 0; i < c->n; i++)
	{
		const cn_leg *l = &c->legs[i];
		double		qm = l->qty * l->multiplier;
		double		ref = (l->kind == 'U' || S > l->strike) ? S : l->strike;

		sum += qm * (leg_price(c, i, S) - l->premium);
		mag += fabs(qm) * (ref + fabs(l->premium));
	}
	if (scale)
		*scale = mag;
	return sum;
}

static double
snap_tol(int n)
{
	return 8.0 * (n + 2) * DBL_EPSILON;
}

/* The P&L at S with values that are zero within rounding made exactly zero. */
static double
curve_snapped(const curve *c, double S)
{
	double		scale;
	double		v = curve_pnl(c, S, &scale);

	return fabs(v) <= snap_tol(c->n) * scale ? 0.0 : v;
}

/*
 * dP&L/dS as S -> inf: calls tend to S exp(-q t) (1 once expired), puts to 0, 'U' to S.
 * Snapped to zero within rounding of sum |qty mult|.
 */
static double
tail_slope(const curve *c)
{
	double		a = 0.0,
				mag = 0.0;

	for (int i = 0; i < c->n; i++)
	{
		const cn_leg *l = &c->legs[i];
		double		qm = l->qty * l->multiplier;
		double		w;

		if (l->kind == 'U')
			w = 1.0;
		else if (l->kind == 'C')
			w = l->expiry <= c->horizon ? 1.0 :
				exp(-c->q * cn_act365(c->horizon, l->expiry));
		else
			continue;
		a += qm * w;
		mag += fabs(qm) * w;
	}
	return fabs(a) <= snap_tol(c->n) * mag ? 0.0 : a;
}

/* The at-expiry curve: every leg at intrinsic. */
static curve
expiry_curve(const cn_leg *legs, int n)
{
	curve		c = {legs, n, INT64_MAX, NULL, 0.0, 0.0, 0.0};

	return c;
}

/* Smallest strike of an option leg above x, or INFINITY: the next kink at expiry. */
static double
next_kink(const cn_leg *legs, int n, double x)
{
	double		k = INFINITY;

	for (int i = 0; i < n; i++)
		if (is_option(&legs[i]) && legs[i].strike > x && legs[i].strike < k)
			k = legs[i].strike;
	return k;
}

/* ---------------------------------------------------------------- zero sinks */

/* P(a < S_T < b) under the sink's lognormal, from whichever tail does not cancel. */
static double
interval_prob(const sink *s, double a, double b)
{
	/* d2(K) = (ln(spot/K) + drift)/sd; d2(0) = +inf, d2(inf) = -inf */
	double		da = a > 0 ? (log(s->spot / a) + s->drift) / s->sd : INFINITY;
	double		db = isinf(b) ? -INFINITY : (log(s->spot / b) + s->drift) / s->sd;

	if (db >= 0)
		return cn_norm_cdf(-db) - cn_norm_cdf(-da);
	if (da <= 0)
		return cn_norm_cdf(da) - cn_norm_cdf(db);
	return 1.0 - cn_norm_cdf(-da) - cn_norm_cdf(db);
}

/* Adds the probability of the gap (a, b) between consecutive zeros if P&L > 0 there. */
static void
sink_gap(sink *s, double a, double b)
{
	double		x;

	if (!(b > a))
		return;
	/* The sign is constant inside the gap, so any inner point tells it. */
	if (isinf(b))
		x = a > 0 ? 2.0 * a : s->spot;
	else if (a == 0)
		x = 0.5 * b;
	else
		x = a + 0.5 * (b - a);
	if (curve_snapped(s->c, x) > 0)
		s->prob += interval_prob(s, a, b);
}

/* Accepts the next zero x; anything not above the last one is a duplicate. */
static void
sink_put(sink *s, double x)
{
	if (s->count > 0 && !(x > s->last))
		return;
	if (s->pop)
		sink_gap(s, s->count > 0 ? s->last : 0.0, x);
	if (s->count < s->max_out)
		s->out[s->count] = x;
	s->count++;
	s->last = x;
}

/* Closes a probability sink: the last gap runs to infinity. */
static void
sink_finish(sink *s)
{
	if (s->pop)
		sink_gap(s, s->count > 0 ? s->last : 0.0, INFINITY);
}

/* ---------------------------------------------------------------- at expiry */

/*
 * The zero set of the at-expiry P&L, walked kink by kink.  A kink with zero P&L is
 * reported unless both segments around it are identically zero (it is then inside a
 * zero interval); a segment whose ends have strictly opposite signs has one root inside.
 */
static void
expiry_zeros(const curve *c, sink *s)
{
	double		x0 = 0.0,
				v0 = curve_snapped(c, 0.0),
				x1,
				v1,
				a;
	int			prev_zero = 0,
				seg_zero;

	for (;;)
	{
		x1 = next_kink(c->legs, c->n, x0);
		if (isinf(x1))
			break;
		v1 = curve_snapped(c, x1);
		seg_zero = (v0 == 0 && v1 == 0);
		if (v0 == 0)
		{
			if (!(prev_zero && seg_zero))
				sink_put(s, x0);
		}
		else if (v1 != 0 && (v0 < 0) != (v1 < 0))
			/* interpolation: v0 - v1 adds magnitudes, nothing cancels */
			sink_put(s, x0 + (x1 - x0) * (v0 / (v0 - v1)));
		prev_zero = seg_zero;
		x0 = x1;
		v0 = v1;
	}
	a = tail_slope(c);
	seg_zero = (v0 == 0 && a == 0);
	if (v0 == 0)
	{
		if (!(prev_zero && seg_zero))
			sink_put(s, x0);
	}
	else if (a != 0 && (v0 < 0) != (a < 0))
		sink_put(s, x0 - v0 / a);
}

/* At-expiry P&L in currency at terminal spot S. */
double
cn_payoff(const cn_leg *legs, int n, double spot)
{
	curve		c = expiry_curve(legs, n);

	return curve_pnl(&c, spot, NULL);
}

/* At-expiry break-evens (spot, ascending) into out; returns how many there are. */
int
cn_breakevens(const cn_leg *legs, int n, double *out, int max_out)
{
	curve		c = expiry_curve(legs, n);
	sink		s = {out, max_out, 0, 0.0, 0, NULL, 0.0, 0.0, 0.0, 0.0};

	expiry_zeros(&c, &s);
	return s.count;
}

/* Extremes of the at-expiry P&L: linear pieces, so the kinks and S = 0 suffice. */
static void
expiry_extremes(const cn_leg *legs, int n, double *lo, double *hi)
{
	curve		c = expiry_curve(legs, n);
	double		x = 0.0,
				v = curve_snapped(&c, 0.0),
				a = tail_slope(&c);

	*lo = *hi = v;
	while (!isinf(x = next_kink(legs, n, x)))
	{
		v = curve_snapped(&c, x);
		*lo = fmin(*lo, v);
		*hi = fmax(*hi, v);
	}
	if (a > 0)
		*hi = INFINITY;
	else if (a < 0)
		*lo = -INFINITY;
}

/* Greatest at-expiry P&L in currency (negative when every outcome loses), or INFINITY. */
double
cn_max_profit(const cn_leg *legs, int n)
{
	double		lo,
				hi;

	expiry_extremes(legs, n, &lo, &hi);
	return hi;
}

/* Greatest at-expiry loss in currency (negative when every outcome wins), or INFINITY. */
double
cn_max_loss(const cn_leg *legs, int n)
{
	double		lo,
				hi;

	expiry_extremes(legs, n, &lo, &hi);
	/* 0 - lo, not -lo: a zero worst case is +0, never -0 */
	return 0.0 - lo;
}

/* Option premium in currency, positive = credit; 'U' legs excluded (payoff.h). */
double
cn_net_premium(const cn_leg *legs, int n)
{
	double		sum = 0.0;

	for (int i = 0; i < n; i++)
		if (is_option(&legs[i]))
			sum -= legs[i].qty * legs[i].multiplier * legs[i].premium;
	return sum;
}

/* ---------------------------------------------------------------- under BSM */

static curve
model_curve(const cn_leg *legs, int n, int64_t as_of, const double *vols, double vol,
			double r, double q)
{
	curve		c = {legs, n, as_of, vols, vol, r, q};

	return c;
}

/* Mark-to-model value in currency at as_of. */
double
cn_strategy_value(const cn_leg *legs, int n, double spot, int64_t as_of,
				  const double *vols, double vol, double r, double q)
{
	curve		c = model_curve(legs, n, as_of, vols, vol, r, q);
	double		sum = 0.0;

	for (int i = 0; i < n; i++)
		sum += legs[i].qty * legs[i].multiplier * leg_price(&c, i, spot);
	return sum;
}

/* Mark-to-model P&L (value - cost) in currency at as_of. */
double
cn_strategy_pnl(const cn_leg *legs, int n, double spot, int64_t as_of,
				const double *vols, double vol, double r, double q)
{
	curve		c = model_curve(legs, n, as_of, vols, vol, r, q);

	return curve_pnl(&c, spot, NULL);
}

/* Greeks of the position in currency, units of models.h; g->price is the value. */
void
cn_strategy_greeks(const cn_leg *legs, int n, double spot, int64_t as_of,
				   const double *vols, double vol, double r, double q, cn_greeks *g)
{
	*g = (cn_greeks) {0};
	for (int i = 0; i < n; i++)
	{
		const cn_leg *l = &legs[i];
		double		qm = l->qty * l->multiplier;
		cn_greeks	lg = {0};

		if (l->kind == 'U')
		{
			lg.price = spot;
			lg.delta = 1.0;
		}
		else if (is_option(l))
		{
			double		t = l->expiry > as_of ? cn_act365(as_of, l->expiry) : 0.0;

			cn_bsm_greeks(l->kind == 'C' ? 1 : -1, spot, l->strike, t,
						  vols ? vols[i] : vol, r, q, &lg);
		}
		else
			lg.price = NAN;
		g->price += qm * lg.price;
		g->delta += qm * lg.delta;
		g->gamma += qm * lg.gamma;
		g->vega += qm * lg.vega;
		g->theta += qm * lg.theta;
		g->rho += qm * lg.rho;
		g->phi += qm * lg.phi;
		g->vanna += qm * lg.vanna;
		g->volga += qm * lg.volga;
		g->charm += qm * lg.charm;
	}
}

/* One-standard-deviation move in price units over t years. */
double
cn_expected_move(double spot, double vol, double t)
{
	return spot * vol * sqrt(t);
}

/* ---------------------------------------------------------------- scanning a curve */

/*
 * Curves with live legs (the T+n line, the first-expiry line of several expiries) are
 * smooth between the strikes of the legs at intrinsic, and bend near the forward-
 * adjusted strike of each live leg over a scale of its vol sqrt(t).  They are walked on
 * a grid in log S that resolves that bending and lands on every strike; sign changes
 * between grid points are roots (Brent), and every turn of the sampled values is
 * refined by Brent's minimiser on each side of the turning point.  The refined turns
 * give the extremes, and a turn that crosses zero between two samples of one sign
 * reveals a pair of roots (or a touch) that the signs alone would miss.
 */

/* curve_pnl as a cn_root_fn, and its negative (to maximise with the minimiser) */
static double
pnl_root(double S, void *ctx)
{
	return curve_pnl((const curve *) ctx, S, NULL);
}

static double
neg_pnl(double S, void *ctx)
{
	return -curve_pnl((const curve *) ctx, S, NULL);
}

/* State of a walk over increasing S. */
typedef struct walk
{
	const curve *c;
	sink	   *s;				/* zeros go here; NULL when only extremes are wanted */
	double		lo;				/* least and greatest P&L met (snapped) */
	double		hi;
	int			n;				/* points met so far */
	double		x[3];			/* the last three points, x[2] the newest ... */
	double		f[3];			/* ... their snapped P&L ... */
	double		m[3];			/* ... and the magnitudes that P&L is summed from */
	int			in_run;			/* inside a run of grid points with zero P&L */
	double		run_end;
} walk;

/* A root of the curve in (a, b), where fa and fb have strictly opposite signs. */
static double
walk_root(const walk *w, double a, double b, double fa, double fb)
{
	return cn_brent(pnl_root, (void *) w->c, a, b, fa, fb, 2.0 * DBL_MIN, 0.0, 300, NULL);
}

/*
 * The turn of the samples at x[1] (a maximum when is_max), refined on [x0, x1] and
 * [x1, x2], each smooth because strikes are grid points.  A refined minimum at or below
 * zero between positive samples (or a maximum at or above zero between negative ones)
 * holds a touch or two roots, which go to the sink in order.
 */
static void
walk_turn(walk *w, int is_max)
{
	for (int h = 0; h < 2; h++)
	{
		double		a = w->x[h],
					b = w->x[h + 1],
					fa = w->f[h],
					fb = w->f[h + 1],
					fm,
					xm;

		xm = cn_brent_min(is_max ? neg_pnl : pnl_root, (void *) w->c, a, b, 0.0, 200, &fm);
		if (!(xm > a && xm < b))
			continue;
		fm = curve_snapped(w->c, xm);
		w->lo = fmin(w->lo, fm);
		w->hi = fmax(w->hi, fm);
		if (w->s == NULL || fa == 0 || fb == 0 || (fa < 0) != (fb < 0))
			continue;
		if (fm == 0)
			sink_put(w->s, xm);
		else if ((fm < 0) != (fa < 0))
		{
			sink_put(w->s, walk_root(w, a, xm, fa, fm));
			sink_put(w->s, walk_root(w, xm, b, fm, fb));
		}
	}
}

/* The next grid point S. */
static void
walk_point(walk *w, double S)
{
	double		scale,
				f = curve_pnl(w->c, S, &scale);

	if (w->n > 0 && !(S > w->x[2]))
		return;
	if (fabs(f) <= snap_tol(w->c->n) * scale)
		f = 0.0;
	for (int k = 0; k < 2; k++)
	{
		w->x[k] = w->x[k + 1];
		w->f[k] = w->f[k + 1];
		w->m[k] = w->m[k + 1];
	}
	w->x[2] = S;
	w->f[2] = f;
	w->m[2] = scale;
	w->n++;
	w->lo = fmin(w->lo, f);
	w->hi = fmax(w->hi, f);

	/*
	 * A turn at x[1]: the samples rise then fall (or fall then rise), by more than
	 * rounding on at least one side, so that a flat stretch of rounding noise is not
	 * refined point after point.
	 */
	if (w->n >= 3)
	{
		double		d0 = w->f[1] - w->f[0],
					d1 = w->f[2] - w->f[1],
					tol = snap_tol(w->c->n) * w->m[1];

		if (fabs(d0) > tol || fabs(d1) > tol)
		{
			if ((d0 > 0 && d1 <= 0) || (d0 >= 0 && d1 < 0))
				walk_turn(w, 1);
			else if ((d0 < 0 && d1 >= 0) || (d0 <= 0 && d1 > 0))
				walk_turn(w, 0);
		}
	}

	if (w->s == NULL)
		return;
	if (f == 0.0)
	{
		/* report the first and the last point of a run of zeros */
		if (!w->in_run)
			sink_put(w->s, S);
		w->in_run = 1;
		w->run_end = S;
	}
	else
	{
		if (w->in_run)
			sink_put(w->s, w->run_end);
		else if (w->n >= 2 && w->f[1] != 0 && (w->f[1] < 0) != (f < 0))
			sink_put(w->s, walk_root(w, w->x[1], S, w->f[1], f));
		w->in_run = 0;
	}
}

/* The S where leg i's value turns most sharply: K forward-adjusted while it lives. */
static double
leg_centre(const curve *c, int i, double *s_i)
{
	const cn_leg *l = &c->legs[i];
	double		t;

	*s_i = 0.0;
	if (l->expiry <= c->horizon)
		return l->strike;
	t = cn_act365(c->horizon, l->expiry);
	*s_i = (c->vols ? c->vols[i] : c->vol) * sqrt(t);
	return l->strike * exp(-(c->r - c->q) * t);
}

/*
 * The centres of the first legs, computed once per scan (exp, sqrt and log per leg and
 * grid point were half the cost of the scan); later legs are recomputed as needed, so
 * nothing is allocated whatever the size of the position.
 */
#define CENTRE_CACHE 64

typedef struct centres
{
	double		k[CENTRE_CACHE];	/* centre in S; NaN for a 'U' leg */
	double		lk[CENTRE_CACHE];	/* its log */
	double		s[CENTRE_CACHE];	/* vol sqrt(t), 0 once expired */
} centres;

/* Leg i's centre, its log and scale; 0 for a leg that has none ('U'). */
static int
centre_of(const curve *c, const centres *cc, int i, double *k, double *lk, double *si)
{
	if (i < CENTRE_CACHE)
	{
		*k = cc->k[i];
		*lk = cc->lk[i];
		*si = cc->s[i];
		return !isnan(*k);
	}
	if (!is_option(&c->legs[i]))
		return 0;
	*k = leg_centre(c, i, si);
	*lk = log(*k);
	return 1;
}

/*
 * dP&L/dS as S -> inf is tail_slope; when it is zero the P&L tends to a constant:
 * calls tend to S w - K d (w = exp(-q t), d = exp(-r t) while live, both 1 once
 * expired), puts to 0 and 'U' legs to S, and the S terms cancel.
 */
static double
curve_limit(const curve *c)
{
	double		sum = 0.0;

	for (int i = 0; i < c->n; i++)
	{
		const cn_leg *l = &c->legs[i];
		double		qm = l->qty * l->multiplier,
					d = 1.0;

		if (l->kind == 'C' && l->expiry > c->horizon)
			d = exp(-c->r * cn_act365(c->horizon, l->expiry));
		sum -= qm * l->premium;
		if (l->kind == 'C')
			sum -= qm * l->strike * d;
	}
	return sum;
}

/*
 * Walks a curve with live legs over S >= 0 (see above), zeros into s when s is not NULL,
 * and returns its least and greatest P&L in *lo and *hi (+-INFINITY when the tail slope
 * makes it unbounded).  The grid: S = 0, then log-spaced over [lo, hi], which covers
 * every strike and 'U' entry price within a factor 2, every live leg's centre
 * exp(+-12 s_i), and "centre" exp(+-12 spread) and "extra" within a factor 2 when they
 * are finite (pop's distribution).  The base step is 1/1000 of log(hi/lo); near each live
 * leg's centre it shrinks to (s_i + |ln S - ln centre|)/16 (never below 1e-9), and the
 * grid lands exactly on every strike and centre.  Beyond hi the curve is straight to
 * within exp(-72) of its bend; if its sign disagrees with its slope there, S is doubled
 * until the root is bracketed.
 */
static void
curve_walk(const curve *c, double centre, double extra, double spread, sink *s,
		   double *lo_out, double *hi_out)
{
	walk		w = {c, s, INFINITY, -INFINITY, 0, {0}, {0}, {0}, 0, 0.0};
	centres		cc;
	double		lo = INFINITY,
				hi = 0.0,
				lx,
				hx,
				hg,
				x,
				S,
				a;

	for (int i = 0; i < c->n && i < CENTRE_CACHE; i++)
	{
		cc.k[i] = cc.lk[i] = NAN;
		cc.s[i] = 0.0;
		if (is_option(&c->legs[i]))
		{
			cc.k[i] = leg_centre(c, i, &cc.s[i]);
			cc.lk[i] = log(cc.k[i]);
		}
	}

	if (isfinite(centre) && centre > 0)
	{
		lo = fmin(0.5, exp(-12.0 * spread)) * centre;
		hi = fmax(2.0, exp(12.0 * spread)) * centre;
	}
	if (isfinite(extra) && extra > 0)
	{
		lo = fmin(lo, 0.5 * extra);
		hi = fmax(hi, 2.0 * extra);
	}
	for (int i = 0; i < c->n; i++)
	{
		const cn_leg *l = &c->legs[i];
		double		k,
					lk,
					si;

		if (centre_of(c, &cc, i, &k, &lk, &si))
		{
			lo = fmin(lo, fmin(0.5, exp(-12.0 * si)) * k);
			hi = fmax(hi, fmax(2.0, exp(12.0 * si)) * k);
			if (is_option(l))
			{
				lo = fmin(lo, 0.5 * l->strike);
				hi = fmax(hi, 2.0 * l->strike);
			}
		}
		else if (l->kind == 'U' && l->premium > 0)
		{
			lo = fmin(lo, 0.5 * l->premium);
			hi = fmax(hi, 2.0 * l->premium);
		}
	}
	if (!(lo > 0 && hi > lo && isfinite(hi)))
	{
		/* nothing to centre on (stock bought at 0): the unit interval */
		lo = 0.5;
		hi = 2.0;
	}
	lx = log(lo);
	hx = log(hi);
	hg = (hx - lx) / 1000.0;

	walk_point(&w, 0.0);
	walk_point(&w, lo);
	x = lx;
	while (x < hx)
	{
		double		h = hg,
					land = INFINITY,
					landS = 0.0,
					nx,
					nS;

		for (int i = 0; i < c->n; i++)
		{
			double		k,
						lk,
						si;

			if (!centre_of(c, &cc, i, &k, &lk, &si))
				continue;
			/* resolve a live leg's curvature: its scale is s_i plus the distance */
			if (si > 0)
				h = fmin(h, (si + fabs(x - lk)) / 16.0);
			/* and land exactly on every kink and centre */
			if (lk > x && lk < land)
			{
				land = lk;
				landS = k;
			}
		}
		/* a floor so that a leg microseconds from expiry cannot stall the scan */
		h = fmax(h, 1e-9);
		nx = x + h;
		nS = exp(nx);
		if (land < nx)
		{
			nx = land;
			nS = landS;
		}
		if (nx >= hx)
		{
			nx = hx;
			nS = hi;
		}
		walk_point(&w, nS);
		x = nx;
	}

	/* Beyond hi the curve is nearly straight: chase a root its slope promises. */
	a = tail_slope(c);
	S = w.x[2];
	if (s != NULL && !w.in_run && a != 0 && (w.f[2] < 0) != (a < 0))
	{
		for (int k = 0; k < 1100 && isfinite(2.0 * S); k++)
		{
			S *= 2.0;
			walk_point(&w, S);
			if (w.f[2] == 0 || (w.f[2] < 0) == (a < 0))
				break;
		}
	}
	/* a run of zeros reaching the end reports only its start, as at expiry */

	if (a > 0)
		w.hi = INFINITY;
	else if (a < 0)
		w.lo = -INFINITY;
	else
	{
		double		lim = curve_limit(c);

		w.lo = fmin(w.lo, lim);
		w.hi = fmax(w.hi, lim);
	}
	if (lo_out)
		*lo_out = w.lo;
	if (hi_out)
		*hi_out = w.hi;
}

/* Earliest option expiry strictly after as_of, and whether any leg lives beyond it. */
static int
first_expiry(const cn_leg *legs, int n, int64_t as_of, int64_t *t1, int *multi)
{
	int			found = 0;

	*multi = 0;
	for (int i = 0; i < n; i++)
		if (is_option(&legs[i]) && legs[i].expiry > as_of &&
			(!found || legs[i].expiry < *t1))
		{
			*t1 = legs[i].expiry;
			found = 1;
		}
	if (found)
		for (int i = 0; i < n; i++)
			if (is_option(&legs[i]) && legs[i].expiry > *t1)
				*multi = 1;
	return found;
}

/* Roots in spot of the model P&L at as_of into out; returns how many were found. */
int
cn_breakevens_at(const cn_leg *legs, int n, double spot, int64_t as_of,
				 const double *vols, double vol, double r, double q,
				 double *out, int max_out)
{
	curve		c = model_curve(legs, n, as_of, vols, vol, r, q);
	sink		s = {out, max_out, 0, 0.0, 0, NULL, 0.0, 0.0, 0.0, 0.0};
	int64_t		t1;
	int			multi;

	if (!first_expiry(legs, n, as_of, &t1, &multi))
		return cn_breakevens(legs, n, out, max_out);
	curve_walk(&c, spot, spot, 0.0, &s, NULL, NULL);
	return s.count;
}

/* ---------------------------------------------------------------- the first expiry */

/* Number of distinct expiries among the option legs. */
int
cn_expiry_count(const cn_leg *legs, int n)
{
	int			count = 0;

	for (int i = 0; i < n; i++)
	{
		int			seen = 0;

		if (!is_option(&legs[i]))
			continue;
		for (int j = 0; j < i && !seen; j++)
			seen = is_option(&legs[j]) && legs[j].expiry == legs[i].expiry;
		count += !seen;
	}
	return count;
}

/*
 * The curve of the expiration line seen from as_of: at the first expiry after as_of,
 * later legs by the model.  Returns 1 for a curve with live legs, 0 when every leg is
 * at intrinsic (then *c is the exact at-expiry curve).
 */
static int
first_curve(const cn_leg *legs, int n, int64_t as_of, const double *vols, double vol,
			double r, double q, curve *c)
{
	int64_t		t1;
	int			multi;

	if (first_expiry(legs, n, as_of, &t1, &multi) && multi)
	{
		*c = model_curve(legs, n, t1, vols, vol, r, q);
		return 1;
	}
	*c = expiry_curve(legs, n);
	return 0;
}

/* P&L at the first expiry after as_of for spot S there, in currency. */
double
cn_payoff_first(const cn_leg *legs, int n, double spot, int64_t as_of,
				const double *vols, double vol, double r, double q)
{
	curve		c;

	(void) first_curve(legs, n, as_of, vols, vol, r, q, &c);
	return curve_pnl(&c, spot, NULL);
}

/* Break-evens of the first-expiry line, ascending; returns how many there are. */
int
cn_breakevens_first(const cn_leg *legs, int n, int64_t as_of, const double *vols,
					double vol, double r, double q, double *out, int max_out)
{
	curve		c;
	sink		s = {out, max_out, 0, 0.0, 0, NULL, 0.0, 0.0, 0.0, 0.0};

	if (!first_curve(legs, n, as_of, vols, vol, r, q, &c))
	{
		expiry_zeros(&c, &s);
		return s.count;
	}
	curve_walk(&c, NAN, NAN, 0.0, &s, NULL, NULL);
	return s.count;
}

/* Greatest P&L and greatest loss of the first-expiry line (payoff.h conventions). */
void
cn_extremes_first(const cn_leg *legs, int n, int64_t as_of, const double *vols,
				  double vol, double r, double q, double *max_profit, double *max_loss)
{
	curve		c;
	double		lo,
				hi;

	if (!first_curve(legs, n, as_of, vols, vol, r, q, &c))
		expiry_extremes(legs, n, &lo, &hi);
	else
		curve_walk(&c, NAN, NAN, 0.0, NULL, &lo, &hi);
	*max_profit = hi;
	/* 0 - lo, not -lo: a zero worst case is +0, never -0 */
	*max_loss = 0.0 - lo;
}

/* The first-expiry option leg whose strike is nearest the forward, or -1 (payoff.h). */
int
cn_reference_leg(const cn_leg *legs, int n, double spot, int64_t as_of, double r, double q)
{
	int64_t		t1;
	int			multi,
				best = -1;
	double		fwd,
				bestd = INFINITY;

	if (!first_expiry(legs, n, as_of, &t1, &multi))
		return -1;
	fwd = spot * exp((r - q) * cn_act365(as_of, t1));
	for (int i = 0; i < n; i++)
		if (is_option(&legs[i]) && legs[i].expiry == t1 &&
			fabs(legs[i].strike - fwd) < bestd)
		{
			bestd = fabs(legs[i].strike - fwd);
			best = i;
		}
	return best;
}

/* Probability (0..1) that the P&L at the first expiry after as_of is > 0. */
double
cn_pop(const cn_leg *legs, int n, double spot, int64_t as_of,
	   const double *vols, double vol, double r, double q)
{
	int64_t		t1;
	int			multi,
				any_option = 0;
	double		T,
				sd,
				fwd;
	curve		c;
	sink		s = {NULL, 0, 0, 0.0, 1, NULL, 0.0, 0.0, 0.0, 0.0};

	for (int i = 0; i < n; i++)
		any_option |= is_option(&legs[i]);
	if (!any_option)
		return NAN;
	if (!first_expiry(legs, n, as_of, &t1, &multi))
	{
		c = expiry_curve(legs, n);
		return curve_snapped(&c, spot) > 0 ? 1.0 : 0.0;
	}
	T = cn_act365(as_of, t1);
	sd = vol * sqrt(T);
	fwd = spot * exp((r - q) * T);
	/* legs expiring by t1 are at intrinsic either way; live ones only if multi */
	c = multi ? model_curve(legs, n, t1, vols, vol, r, q) : expiry_curve(legs, n);
	if (sd == 0)
		return curve_snapped(&c, fwd) > 0 ? 1.0 : 0.0;

	s.c = &c;
	s.spot = spot;
	s.drift = (r - q - 0.5 * vol * vol) * T;
	s.sd = sd;
	if (multi)
		curve_walk(&c, spot, fwd, sd, &s, NULL, NULL);
	else
		expiry_zeros(&c, &s);
	sink_finish(&s);
	return s.prob;
}

/* ---------------------------------------------------------------- wing test */

/*
 * dP&L/dS at expiry just above S = 0: puts fall in value as S rises (-1 each), 'U' legs
 * rise (+1).  Snapped to zero within rounding of sum |qty mult|, as tail_slope.
 */
static double
low_slope(const cn_leg *legs, int n)
{
	double		a = 0.0,
				mag = 0.0;

	for (int i = 0; i < n; i++)
	{
		double		qm = legs[i].qty * legs[i].multiplier;

		if (legs[i].kind == 'P')
			a -= qm;
		else if (legs[i].kind == 'U')
			a += qm;
		else
			continue;
		mag += fabs(qm);
	}
	return fabs(a) <= snap_tol(n) * mag ? 0.0 : a;
}

/* Fraction of the wing width spot has crossed beyond a short strike (payoff.h). */
double
cn_wing_test(const cn_leg *legs, int n, double spot)
{
	double		ksc = INFINITY,
				klc = INFINITY,
				ksp = -INFINITY,
				klp = -INFINITY,
				res = 0.0;
	curve		c = expiry_curve(legs, n);

	for (int i = 0; i < n; i++)
		if (legs[i].qty < 0 && legs[i].kind == 'C')
			ksc = fmin(ksc, legs[i].strike);
		else if (legs[i].qty < 0 && legs[i].kind == 'P')
			ksp = fmax(ksp, legs[i].strike);
	for (int i = 0; i < n; i++)
		if (legs[i].qty > 0 && legs[i].kind == 'C' && legs[i].strike > ksc)
			klc = fmin(klc, legs[i].strike);
		else if (legs[i].qty > 0 && legs[i].kind == 'P' && legs[i].strike < ksp)
			klp = fmax(klp, legs[i].strike);

	if (isinf(ksc) && isinf(ksp))
		return NAN;
	if (!isinf(ksc) && spot > ksc)
	{
		if (!isinf(klc))
			res = (spot - ksc) / (klc - ksc);
		else if (tail_slope(&c) < 0)
			res = INFINITY;		/* naked: the loss grows without a wing to stop it */
	}
	if (!isinf(ksp) && spot < ksp)
	{
		if (!isinf(klp))
			res = fmax(res, (ksp - spot) / (ksp - klp));
		else if (low_slope(legs, n) > 0)
			res = INFINITY;
	}
	return res;
}

/* ---------------------------------------------------------------- iron condor */

static int
quote_usable(const cn_quote *q)
{
	return (q->cp == 'C' || q->cp == 'P') &&
		isfinite(q->strike) && q->strike > 0 && isfinite(q->delta) &&
		isfinite(q->bid) && isfinite(q->ask) && q->bid >= 0 && q->ask >= q->bid;
}

/*
 * Is quote a a better short than b for the given |delta| target?  omega +1 for calls
 * (farther out = higher strike), -1 for puts.
 */
static int
better_short(const cn_quote *a, const cn_quote *b, double target, int omega)
{
	double		da = fabs(fabs(a->delta) - target),
				db = fabs(fabs(b->delta) - target);

	if (da != db)
		return da < db;
	if (a->strike != b->strike)
		return omega * (a->strike - b->strike) > 0;
	if (a->bid != b->bid)
		return a->bid > b->bid;
	return a->ask < b->ask;
}

/* Is quote a a better wing than b for the strike target (omega as above)? */
static int
better_wing(const cn_quote *a, const cn_quote *b, double target, int omega)
{
	double		da = fabs(a->strike - target),
				db = fabs(b->strike - target);

	if (da != db)
		return da < db;
	if (a->strike != b->strike)
		return omega * (a->strike - b->strike) > 0;
	if (a->ask != b->ask)
		return a->ask < b->ask;
	return a->bid > b->bid;
}

static cn_leg
quote_leg(const cn_quote *q, double qty, int natural)
{
	cn_leg		l;

	l.qty = qty;
	l.kind = q->cp;
	l.strike = q->strike;
	l.expiry = q->expiry;
	/* natural: a short is sold at the bid, a long bought at the ask */
	l.premium = natural ? (qty < 0 ? q->bid : q->ask) : 0.5 * (q->bid + q->ask);
	l.multiplier = 100.0;
	return l;
}

/* Picks an iron condor from a one-expiry chain into out4: 1 done, 0 none, -1 bad input. */
int
cn_iron_condor_pick(const cn_quote *q, int n, double target_delta, double width,
					int natural, cn_leg *out4)
{
	const cn_quote *sp = NULL,
			   *sc = NULL,
			   *lp = NULL,
			   *lc = NULL;
	int			m = 4;

	if (!(target_delta > 0 && target_delta < 1) || !(width > 0) || isinf(width))
		return 0;
	for (int i = 1; i < n; i++)
		if (q[i].expiry != q[0].expiry)
			return -1;

	for (int i = 0; i < n; i++)
	{
		const cn_quote *x = &q[i];

		if (!quote_usable(x))
			continue;
		if (x->cp == 'P' && (!sp || better_short(x, sp, target_delta, -1)))
			sp = x;
		if (x->cp == 'C' && (!sc || better_short(x, sc, target_delta, 1)))
			sc = x;
	}
	if (!sp || !sc || sp->strike > sc->strike)
		return 0;
	for (int i = 0; i < n; i++)
	{
		const cn_quote *x = &q[i];

		if (!quote_usable(x))
			continue;
		if (x->cp == 'P' && x->strike < sp->strike &&
			(!lp || better_wing(x, lp, sp->strike - width, -1)))
			lp = x;
		if (x->cp == 'C' && x->strike > sc->strike &&
			(!lc || better_wing(x, lc, sc->strike + width, 1)))
			lc = x;
	}
	/*
	 * Never a wing narrower than half the width asked for (a chain missing strikes near
	 * the target would give a 5-point wing for 50): take the nearest listed strike at or
	 * beyond the target instead, and no condor when there is none.
	 */
	if (lp && sp->strike - lp->strike < 0.5 * width)
	{
		lp = NULL;
		for (int i = 0; i < n; i++)
			if (quote_usable(&q[i]) && q[i].cp == 'P' && q[i].strike <= sp->strike - width &&
				(!lp || better_wing(&q[i], lp, sp->strike - width, -1)))
				lp = &q[i];
	}
	if (lc && lc->strike - sc->strike < 0.5 * width)
	{
		lc = NULL;
		for (int i = 0; i < n; i++)
			if (quote_usable(&q[i]) && q[i].cp == 'C' && q[i].strike >= sc->strike + width &&
				(!lc || better_wing(&q[i], lc, sc->strike + width, 1)))
				lc = &q[i];
	}
	if (!lp || !lc)
		return 0;

	out4[0] = quote_leg(sp, -1.0, natural);
	out4[1] = quote_leg(lp, 1.0, natural);
	out4[2] = quote_leg(sc, -1.0, natural);
	out4[3] = quote_leg(lc, 1.0, natural);
	cn_legs_normalise(out4, &m);
	return 1;
}
