/*
 * irr.c -- XIRR and IRR by a bracketing scan in ln(1 + r) and Brent's method (see
 * irr.h).
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "irr.h"
#include "roots.h"

#define U_MAX_UP	700.0		/* scan u = ln(1 + r) up to this: r = 1e304 */
#define U_MAX_DOWN	36.0		/* and down to minus this: 1 + r = 2.3e-16, below
								 * which r rounds to -1 */
#define U_FINE		1.0			/* uniform steps of U_STEP up to here */
#define U_STEP		0.01
#define N_FINE		100			/* U_FINE / U_STEP */
#define U_GROWTH	1.1			/* then geometric steps */
#define U_TOL		1e-15		/* Brent's absolute tolerance in u */
#define BRENT_MAX	200

typedef struct flow
{
	double		t;				/* time from the earliest flow, >= 0 */
	double		a;				/* amount, scaled by a power of two */
} flow;

typedef struct flows
{
	const flow *f;
	int			n;
	double		tmax;
} flows;

/* Orders by time, then amount: a total order, so any permutation sorts the same. */
static int
flow_cmp(const void *pa, const void *pb)
{
	const flow *x = (const flow *) pa;
	const flow *y = (const flow *) pb;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return (x->a > y->a) - (x->a < y->a);
}

/*
 * The present value at u = ln(1 + r), times the positive factor e^(u tmax) when
 * u < 0 so that no discount factor exceeds 1 (no overflow however long the span).
 * Only its sign and zeros matter.  Neumaier's compensated sum: at the root the terms
 * cancel, and the compensation keeps the computed sign right closer to it.
 */
static double
pv_scaled(const flows *fl, double u)
{
	double		c = u < 0.0 ? fl->tmax : 0.0;
	double		s = 0.0,
				comp = 0.0;
	int			i;

	for (i = 0; i < fl->n; i++)
	{
		double		x = fl->f[i].a * exp(-u * (fl->f[i].t - c));
		double		t = s + x;

		if (fabs(s) >= fabs(x))
			comp += (s - t) + x;
		else
			comp += (x - t) + s;
		s = t;
	}
	return s + comp;
}

/* pv_scaled as a cn_root_fn */
static double
pv_root(double u, void *ctx)
{
	return pv_scaled((const flows *) ctx, u);
}


/*
 * Magnitude |u| of scan point k >= 1 on a side scanned to umax, or a negative number
 * past its end.
 */
static double
grid(int k, double umax)
{
	double		g;

	if (k <= N_FINE)
		return k * U_STEP;
	g = U_FINE * pow(U_GROWTH, k - N_FINE);
	if (g < umax)
		return g;
	/* the last point sits exactly on umax */
	return U_FINE * pow(U_GROWTH, k - N_FINE - 1) < umax ? umax : -1.0;
}

/* |r| at u */
static double
abs_rate(double u)
{
	return fabs(expm1(u));
}

/* The value has the other sign than a non-zero reference (or is zero). */
static int
crosses(double fref, double f)
{
	return f == 0.0 || (f > 0.0) != (fref > 0.0);
}

/*
 * Finds the rate of smallest |r| of the sorted, scaled flows (see irr.h).  Returns
 * CN_IRR_OK with *u the root in ln(1 + r), or CN_IRR_NO_ROOT.  Used when the flows
 * change sign once, so that the root is unique: the scan stops at the first.
 */
static int
solve_nearest_zero(const flows *fl, double *u)
{
	double		f0 = pv_scaled(fl, 0.0);
	/* per side (0: r > 0, 1: r < 0): next grid index, last point, value there */
	int			k[2] = {1, 1};
	double		ulast[2] = {0.0, 0.0};
	double		flast[2];
	int			side;

	if (f0 == 0.0)
	{
		*u = 0.0;
		return CN_IRR_OK;
	}
	flast[0] = flast[1] = f0;
	for (;;)
	{
		double		gp = grid(k[0], U_MAX_UP),
					gn = grid(k[1], U_MAX_DOWN),
					unew,
					fnew,
					root,
					rabs,
					uo,
					fo;
		int			other;

		if (gp < 0.0 && gn < 0.0)
			return CN_IRR_NO_ROOT;
		/* the side whose next point has the smaller |r| */
		if (gn < 0.0)
			side = 0;
		else if (gp < 0.0)
			side = 1;
		else
			side = abs_rate(-gn) < abs_rate(gp) ? 1 : 0;
		unew = side == 0 ? gp : -gn;
		k[side]++;
		fnew = pv_scaled(fl, unew);
		if (!crosses(flast[side], fnew))
		{
			ulast[side] = unew;
			flast[side] = fnew;
			continue;
		}

		root = cn_brent(pv_root, (void *) fl, ulast[side], unew, flast[side], fnew,
							U_TOL, 0.0, BRENT_MAX, NULL);

		/*
		 * The other side is scanned only to below the |r| of unew; a root there
		 * with |r| under this one's lies before the point of equal |r|.
		 */
		other = 1 - side;
		rabs = abs_rate(root);
		if (other == 0)
			uo = log1p(rabs);
		else
			uo = rabs < 1.0 ? fmax(log1p(-rabs), -U_MAX_DOWN) : -U_MAX_DOWN;
		if (fabs(uo) > fabs(ulast[other]))
		{
			fo = pv_scaled(fl, uo);
			if (crosses(flast[other], fo))
				root = cn_brent(pv_root, (void *) fl, ulast[other], uo, flast[other], fo,
								U_TOL, 0.0, BRENT_MAX, NULL);
		}
		*u = root;
		return CN_IRR_OK;
	}
}

/*
 * Sign changes of the net amounts in time order (flows at one time netted).  By
 * Descartes' rule of signs, which holds for sums of powers with real exponents, the
 * present value as a function of 1/(1 + r) has at most that many positive roots.
 */
static int
sign_changes(const flows *fl)
{
	int			changes = 0,
				prev = 0;

	for (int i = 0, j; i < fl->n; i = j)
	{
		double		net = 0.0;

		for (j = i; j < fl->n && fl->f[j].t == fl->f[i].t; j++)
			net += fl->f[j].a;
		if (net != 0.0)
		{
			int			sg = net > 0.0 ? 1 : -1;

			changes += prev != 0 && sg != prev;
			prev = sg;
		}
	}
	return changes;
}

/*
 * Several possible rates (flows changing sign more than once): every grid interval of
 * the whole range is scanned, and the root chosen is the one nearest the guess (in r)
 * among those where the present value falls as the rate rises (the rate of an
 * investment: a higher hurdle makes it worth less), or, when there is none, nearest
 * the guess among the others.
 */
static int
solve_preferred(const flows *fl, double guess, double *u)
{
	int			nn = 0,
				np = 0;
	double		best = NAN,
				best_dist = INFINITY;
	int			best_falling = 0;
	double		uprev,
				fprev;

	while (grid(nn + 1, U_MAX_DOWN) >= 0.0)
		nn++;
	while (grid(np + 1, U_MAX_UP) >= 0.0)
		np++;
	/* points in increasing u: -grid(nn) ... -grid(1), 0, grid(1) ... grid(np) */
	uprev = -grid(nn, U_MAX_DOWN);
	fprev = pv_scaled(fl, uprev);
	for (int k = -nn + 1; k <= np; k++)
	{
		double		unew = k < 0 ? -grid(-k, U_MAX_DOWN) : (k == 0 ? 0.0 : grid(k, U_MAX_UP));
		double		fnew = pv_scaled(fl, unew);
		double		root;
		int			falling;

		if (fprev != 0.0 && fnew != 0.0 && (fprev > 0.0) == (fnew > 0.0))
		{
			uprev = unew;
			fprev = fnew;
			continue;
		}
		if (fprev == 0.0)
		{
			/* counted when it was the right end of the previous interval */
			uprev = unew;
			fprev = fnew;
			continue;
		}
		root = fnew == 0.0 ? unew :
			cn_brent(pv_root, (void *) fl, uprev, unew, fprev, fnew, U_TOL, 0.0, BRENT_MAX, NULL);
		falling = fprev > 0.0;
		{
			double		dist = fabs(expm1(root) - guess);

			if ((falling && !best_falling) || (falling == best_falling && dist < best_dist))
			{
				best = root;
				best_dist = dist;
				best_falling = falling;
			}
		}
		uprev = unew;
		fprev = fnew;
	}
	if (isnan(best))
		return CN_IRR_NO_ROOT;
	*u = best;
	return CN_IRR_OK;
}

/*
 * Shared body of cn_xirr and cn_irr: times are time[i] / unit from the earliest
 * non-zero flow.
 */
static int
irr_core(const double *amount, const double *time, int n, double unit, double guess,
		 double *rate)
{
	flow	   *f;
	flows		fl;
	double		tmin = INFINITY,
				amax = 0.0,
				u = 0.0;
	int			i,
				m = 0,
				npos = 0,
				nneg = 0,
				ex,
				status;

	if (rate)
		*rate = NAN;
	if (n < 0 || !rate || (n > 0 && (!amount || !time)) || !(guess > -1.0) || !isfinite(guess))
		return CN_IRR_EARG;
	for (i = 0; i < n; i++)
	{
		if (!isfinite(amount[i]) || !isfinite(time[i]))
			return CN_IRR_EARG;
		if (amount[i] == 0.0)
			continue;
		if (amount[i] > 0.0)
			npos++;
		else
			nneg++;
		if (time[i] < tmin)
			tmin = time[i];
		if (fabs(amount[i]) > amax)
			amax = fabs(amount[i]);
	}
	if (npos == 0 || nneg == 0)
		return CN_IRR_NO_SIGN_CHANGE;

	f = malloc(sizeof(flow) * (npos + nneg));
	if (!f)
		return CN_IRR_ENOMEM;

	/* a power-of-two scale is exact and keeps any sum of n terms from overflowing */
	frexp(amax, &ex);
	fl.tmax = 0.0;
	for (i = 0; i < n; i++)
	{
		if (amount[i] == 0.0)
			continue;
		f[m].t = (time[i] - tmin) / unit;
		f[m].a = ldexp(amount[i], -ex);
		if (f[m].t > fl.tmax)
			fl.tmax = f[m].t;
		m++;
	}
	qsort(f, m, sizeof(flow), flow_cmp);
	fl.f = f;
	fl.n = m;

	/* all at one time: g(u) is the constant sum, zero for every rate or none */
	if (fl.tmax == 0.0)
		status = CN_IRR_NO_ROOT;
	else if (sign_changes(&fl) <= 1)
		status = solve_nearest_zero(&fl, &u);
	else
		status = solve_preferred(&fl, guess, &u);
	free(f);
	if (status == CN_IRR_OK)
		*rate = expm1(u);
	return status;
}

int
cn_xirr(const double *amount, const double *days, int n, double guess, double *rate)
{
	return irr_core(amount, days, n, 365.0, guess, rate);
}

int
cn_irr(const double *amount, const double *period, int n, double guess, double *rate)
{
	return irr_core(amount, period, n, 1.0, guess, rate);
}
