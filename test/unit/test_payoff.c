/*
 * test_payoff.c -- multi-leg positions (src/num/payoff.c).
 *
 * Hand-checked classics with exact expected break-evens and extremes; brute-force
 * cross-checks over thousands of random positions (grid + bisection for roots, grid +
 * kinks for extremes, slopes at the far end for unboundedness); probability of profit
 * against Simpson integration of the normal density in log spot; T+n roots against a
 * fine scan with bisection; Greeks against finite differences; wing test; iron condor
 * selection on a synthetic BSM chain; normal form.
 *
 * Tolerances: the at-expiry algebra is exact up to the rounding of its sums, so its
 * results are held to 1e-12 relative of the position's scale (sum |qty mult| times
 * max(S, K) + |premium|); anything looser is explained where it is set.
 */
#include <stdint.h>

#include "unit.h"
#include "models.h"
#include "payoff.h"
#include "legs.h"
#include "normal.h"

#define DAY_US	(86400.0 * 1e6)
#define T0		((int64_t) 800000000000000)	/* 2025-05-08, an arbitrary as_of */
#define E1		(T0 + (int64_t) (30 * DAY_US))
#define E2		(T0 + (int64_t) (90 * DAY_US))
#define E3		(T0 + (int64_t) (180 * DAY_US))
#define E1D		(E1 + (int64_t) DAY_US)

/* ---------------------------------------------------------------- PRNG */

static uint64_t rng_state = 0x2545F4914F6CDD1DULL;

/* uniform on [0, 1) */
static double
unif(void)
{
	return unit_unif(&rng_state);
}

static int
irand(int lo, int hi)
{
	return lo + (int) (unif() * (hi - lo + 1));
}

/*
 * +1 or -1.  Every draw below is its own statement: two draws in one expression or
 * argument list are unsequenced, and gcc and clang would build different positions.
 */
static double
rsign(void)
{
	return unif() < 0.5 ? -1 : 1;
}

/* ---------------------------------------------------------------- references */

/* The at-expiry P&L written out directly, for the brute-force checks. */
static double
ref_payoff(const cn_leg *legs, int n, double S)
{
	double		sum = 0.0;

	for (int i = 0; i < n; i++)
	{
		const cn_leg *l = &legs[i];
		double		v;

		if (l->kind == 'U')
			v = S;
		else if (l->kind == 'C')
			v = S > l->strike ? S - l->strike : 0.0;
		else
			v = S < l->strike ? l->strike - S : 0.0;
		sum += l->qty * l->multiplier * (v - l->premium);
	}
	return sum;
}

/* The size of the position at S: what rounding errors are measured against. */
static double
ref_scale(const cn_leg *legs, int n, double S)
{
	double		sum = 0.0;

	for (int i = 0; i < n; i++)
	{
		double		ref = legs[i].kind == 'U' ? S : fmax(S, legs[i].strike);

		sum += fabs(legs[i].qty * legs[i].multiplier) * (ref + fabs(legs[i].premium));
	}
	return sum;
}

/* P&L at horizon h: legs expiring by h at intrinsic, the others by cn_bsm_price. */
static double
ref_curve(const cn_leg *legs, int n, double S, int64_t h, const double *vols,
		  double vol, double r, double q)
{
	double		sum = 0.0;

	for (int i = 0; i < n; i++)
	{
		const cn_leg *l = &legs[i];
		double		v;

		if (l->kind == 'U')
			v = S;
		else if (l->expiry <= h)
			v = l->kind == 'C' ? fmax(S - l->strike, 0) : fmax(l->strike - S, 0);
		else
		{
			double		t = (double) (l->expiry - h) / (365.0 * DAY_US);
			int			om = l->kind == 'C' ? 1 : -1;

			if (S == 0)
				v = om > 0 ? 0.0 : l->strike * exp(-r * t);
			else
				v = cn_bsm_price(om, S, l->strike, t, vols ? vols[i] : vol, r, q);
		}
		sum += l->qty * l->multiplier * (v - l->premium);
	}
	return sum;
}

typedef struct refc
{
	const cn_leg *legs;
	int			n;
	int64_t		h;
	const double *vols;
	double		vol,
				r,
				q;
} refc;

static double
refc_eval(const refc *c, double S)
{
	return ref_curve(c->legs, c->n, S, c->h, c->vols, c->vol, c->r, c->q);
}

/* Bisection of a sign change of c on [a, b] to the last bit. */
static double
bisect(const refc *c, double a, double b, double fa)
{
	for (int i = 0; i < 400; i++)
	{
		double		m = a + 0.5 * (b - a);
		double		fm;

		if (!(m > a && m < b))
			break;
		fm = refc_eval(c, m);
		if (fm == 0)
			return m;
		if ((fm < 0) == (fa < 0))
		{
			a = m;
			fa = fm;
		}
		else
			b = m;
	}
	return a + 0.5 * (b - a);
}

static int
cmp_dbl(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

/*
 * Brute-force roots of c over a sorted grid of S values (which must start at 0), plus
 * a chase by doubling beyond its end when the curve is still heading for zero.  Exact
 * zeros at grid points count; sign changes are bisected.
 */
static int
ref_roots(const refc *c, double *grid, int ng, double tail_slope, double *out, int max)
{
	int			k = 0;
	double		fprev = refc_eval(c, grid[0]);
	double		S;

	if (fprev == 0 && k < max)
		out[k++] = grid[0];
	for (int i = 1; i < ng; i++)
	{
		double		f;

		if (!(grid[i] > grid[i - 1]))
			continue;
		f = refc_eval(c, grid[i]);
		if (f == 0)
		{
			if (k < max)
				out[k++] = grid[i];
		}
		else if (fprev != 0 && (f < 0) != (fprev < 0) && k < max)
			out[k++] = bisect(c, grid[i - 1], grid[i], fprev);
		fprev = f;
	}
	S = grid[ng - 1];
	if (fprev != 0 && tail_slope != 0 && (fprev < 0) != (tail_slope < 0))
		for (int j = 0; j < 200; j++)
		{
			double		f = refc_eval(c, 2 * S);

			if ((f < 0) != (fprev < 0) || f == 0)
			{
				if (k < max)
					out[k++] = f == 0 ? 2 * S : bisect(c, S, 2 * S, fprev);
				break;
			}
			S *= 2;
			fprev = f;
		}
	return k;
}

/* ---------------------------------------------------------------- classics */

typedef struct classic
{
	const char *name;
	int			n;
	cn_leg		legs[4];
	int			nbe;
	double		be[4];
	double		max_profit;
	double		max_loss;
	double		net_premium;
} classic;

static void
test_classics(void)
{
	const double I = INFINITY;
	classic		cs[] = {
		{"bull call vertical", 2,
			{L(1, 'C', 100, E1, 5.00, 100), L(-1, 'C', 110, E1, 1.80, 100)},
		1, {103.2}, 680, 320, -320},
		{"bear call vertical", 2,
			{L(-1, 'C', 100, E1, 5.00, 100), L(1, 'C', 110, E1, 1.80, 100)},
		1, {103.2}, 320, 680, 320},
		{"bull put vertical", 2,
			{L(-1, 'P', 100, E1, 4.50, 100), L(1, 'P', 90, E1, 1.25, 100)},
		1, {96.75}, 325, 675, 325},
		{"bear put vertical", 2,
			{L(1, 'P', 100, E1, 4.50, 100), L(-1, 'P', 90, E1, 1.25, 100)},
		1, {96.75}, 675, 325, -325},
		{"long straddle", 2,
			{L(1, 'C', 100, E1, 4.10, 100), L(1, 'P', 100, E1, 3.90, 100)},
		2, {92, 108}, I, 800, -800},
		{"short strangle", 2,
			{L(-1, 'P', 95, E1, 2.20, 100), L(-1, 'C', 105, E1, 2.55, 100)},
		2, {90.25, 109.75}, 475, I, 475},
		{"long call butterfly", 3,
			{L(1, 'C', 90, E1, 12.10, 100), L(-2, 'C', 100, E1, 5.30, 100),
			L(1, 'C', 110, E1, 1.90, 100)},
		2, {93.4, 106.6}, 660, 340, -340},
		{"iron condor", 4,
			{L(1, 'P', 85, E1, 0.80, 100), L(-1, 'P', 90, E1, 1.60, 100),
			L(-1, 'C', 110, E1, 1.70, 100), L(1, 'C', 115, E1, 0.75, 100)},
		2, {88.25, 111.75}, 175, 325, 175},
		/* debit 1: -100 below 100, +900 at 110, slope -100/unit above: zero at 119 */
		{"1x2 call ratio spread", 2,
			{L(1, 'C', 100, E1, 5.00, 100), L(-2, 'C', 110, E1, 2.00, 100)},
		2, {101, 119}, 900, I, -100},
		/* 100 shares at 98.50, one call sold for 1.50: stock cost not in net premium */
		{"covered call", 2,
			{L(100, 'U', 0, 0, 98.50, 1), L(-1, 'C', 105, E1, 1.50, 100)},
		1, {97}, 800, 9700, 150},
		/* both legs at intrinsic cancel: a constant -200 (max profit -200, not 0) */
		{"call calendar at intrinsic", 2,
			{L(-1, 'C', 100, E1, 2.00, 100), L(1, 'C', 100, E2, 4.00, 100)},
		0, {0}, -200, 200, -200},
		/* a put bought at a negative price wins everywhere: max loss -50, not 0 */
		{"paid to take a put", 1, {L(1, 'P', 100, E1, -0.50, 100)},
		0, {0}, 10050, -50, 50},
		/* and whoever sold it loses everywhere: max profit -50, not 0 */
		{"paid to give a put", 1, {L(-1, 'P', 100, E1, -0.50, 100)},
		0, {0}, -50, 10050, -50},
		/* costs 12.35 - 3.10 + 1.45 - 0.70 = 10 = its payoff: zero everywhere */
		{"box spread at fair value", 4,
			{L(1, 'C', 90, E1, 12.35, 100), L(-1, 'C', 100, E1, 3.10, 100),
			L(1, 'P', 100, E1, 1.45, 100), L(-1, 'P', 90, E1, 0.70, 100)},
		1, {0}, 0, 0, -1000},
		/* zero on [0, 100]: both ends reported */
		{"free call", 1, {L(1, 'C', 100, E1, 0, 100)},
		2, {0, 100}, I, 0, 0},
		/* touches zero at the strike */
		{"free straddle", 2, {L(1, 'C', 100, E1, 0, 100), L(1, 'P', 100, E1, 0, 100)},
		1, {100}, I, 0, 0},
		/* zero on [0, 90] and on [110, inf): 0, 90 and the left end 110 */
		{"free butterfly", 3,
			{L(1, 'C', 90, E1, 0, 100), L(-2, 'C', 100, E1, 0, 100),
			L(1, 'C', 110, E1, 0, 100)},
		3, {0, 90, 110}, 1000, 0, 0},
		/* P&L = S: zero only at S = 0 */
		{"stock bought at zero", 1, {L(1, 'U', 0, 0, 0, 1)},
		1, {0}, I, 0, 0},
		{"empty position", 0, {L(1, 'C', 100, E1, 0, 100)}, 1, {0}, 0, 0, 0},
	};

	for (size_t c = 0; c < sizeof(cs) / sizeof(cs[0]); c++)
	{
		classic    *k = &cs[c];
		double		be[16];
		int			nbe = cn_breakevens(k->legs, k->n, be, 16);
		double		mp = cn_max_profit(k->legs, k->n),
					ml = cn_max_loss(k->legs, k->n),
					np = cn_net_premium(k->legs, k->n);

		/*
		 * 1e-14 relative: a few ulp, premiums such as 1.80 are not binary and the
		 * interpolation rounds three times (measured worst 2.4e-16 here).
		 */
		UNIT_CHECK(nbe == k->nbe, "%s: %d break-evens, want %d", k->name, nbe, k->nbe);
		for (int i = 0; i < nbe && i < k->nbe; i++)
			UNIT_CHECK(unit_close(be[i], k->be[i], 1e-14, 0),
					   "%s: break-even %d = %.17g want %.17g", k->name, i, be[i], k->be[i]);
		UNIT_CHECK(isinf(k->max_profit) ? isinf(mp) && mp > 0 :
				   unit_close(mp, k->max_profit, 1e-14, 1e-12),
				   "%s: max profit %.17g want %.17g", k->name, mp, k->max_profit);
		UNIT_CHECK(isinf(k->max_loss) ? isinf(ml) && ml > 0 :
				   unit_close(ml, k->max_loss, 1e-14, 1e-12),
				   "%s: max loss %.17g want %.17g", k->name, ml, k->max_loss);
		UNIT_CHECK(unit_close(np, k->net_premium, 1e-14, 1e-12),
				   "%s: net premium %.17g want %.17g", k->name, np, k->net_premium);
		/* every break-even is a zero of the payoff, within rounding of its scale */
		for (int i = 0; i < nbe; i++)
			UNIT_CHECK(fabs(cn_payoff(k->legs, k->n, be[i])) <=
					   1e-13 * ref_scale(k->legs, k->n, be[i]),
					   "%s: payoff(%.17g) = %.3g", k->name, be[i],
					   cn_payoff(k->legs, k->n, be[i]));
	}

	/* Spot checks of the payoff itself. */
	{
		cn_leg		ic[4] = {L(1, 'P', 85, E1, 0.80, 100), L(-1, 'P', 90, E1, 1.60, 100),
		L(-1, 'C', 110, E1, 1.70, 100), L(1, 'C', 115, E1, 0.75, 100)};

		UNIT_CHECK(unit_close(cn_payoff(ic, 4, 100), 175, 1e-14, 0), "condor at 100");
		UNIT_CHECK(unit_close(cn_payoff(ic, 4, 87.5), -75, 1e-14, 0), "condor at 87.5");
		UNIT_CHECK(unit_close(cn_payoff(ic, 4, 0), -325, 1e-14, 0), "condor at 0");
		UNIT_CHECK(unit_close(cn_payoff(ic, 4, 1e6), -325, 1e-14, 0), "condor at 1e6");
	}

	/* max_out smaller than the count: the count is still returned, the array kept. */
	{
		cn_leg		st[2] = {L(1, 'C', 100, E1, 4.10, 100), L(1, 'P', 100, E1, 3.90, 100)};
		double		be[2] = {-1, -1};

		UNIT_CHECK(cn_breakevens(st, 2, be, 1) == 2 && be[0] == 92 && be[1] == -1,
				   "max_out 1: %g %g", be[0], be[1]);
	}
}

/* ---------------------------------------------------------------- random positions */

/*
 * A random position of 1..8 legs.  Continuous: real strikes, premiums and often real
 * quantities, so that touches and zero segments have probability zero and the
 * brute force can match roots one for one.  Discrete: strikes on 80..120 step 10,
 * premiums on a 0.5 grid, integer quantities: P&L values hit zero exactly, stressing
 * touches, zero segments and the rounding snap.
 */
static int
random_position(cn_leg *legs, int discrete)
{
	int			n = irand(1, 8);

	for (int i = 0; i < n; i++)
	{
		double		u = unif();
		char		kind = u < 0.42 ? 'C' : (u < 0.84 ? 'P' : 'U');
		double		qty,
					strike,
					prem,
					mult;
		int64_t		exp = unif() < 0.7 ? E1 : E2;

		if (discrete)
		{
			qty = irand(1, 2);
			qty *= rsign();
			strike = 80 + 10 * irand(0, 4);
			prem = kind == 'U' ? 90 + 10 * irand(0, 2) : 0.5 * irand(0, 20);
			mult = kind == 'U' ? 1 : 100;
			if (kind == 'U')
				qty *= 100;
		}
		else
		{
			if (unif() < 0.5)
			{
				qty = irand(1, 3);
				qty *= rsign();
			}
			else
				qty = unif() * 6 - 3;
			/* shared strikes half the time, so kinks carry several legs */
			strike = unif() < 0.5 ? 60 + 5 * irand(0, 16) : 50 + 100 * unif();
			prem = kind == 'U' ? 50 + 100 * unif() : 20 * unif();
			mult = (double[]) {1, 10, 100}[irand(0, 2)];
		}
		legs[i] = L(qty, kind, strike, exp, prem, mult);
	}
	return n;
}

/* Largest strike or 'U' entry price, and 1: beyond 3x it the payoff is straight. */
static double
position_reach(const cn_leg *legs, int n)
{
	double		m = 1;

	for (int i = 0; i < n; i++)
		m = fmax(m, legs[i].kind == 'U' ? legs[i].premium : legs[i].strike);
	return 3 * m;
}

/* Slope of the at-expiry P&L far out, from values only (not from the leg algebra). */
static double
far_slope(const cn_leg *legs, int n, double X)
{
	return (ref_payoff(legs, n, 4 * X) - ref_payoff(legs, n, 2 * X)) / (2 * X);
}

static double
qm_sum(const cn_leg *legs, int n)
{
	double		s = 0;

	for (int i = 0; i < n; i++)
		s += fabs(legs[i].qty * legs[i].multiplier);
	return s;
}

/* Grid for the at-expiry brute force: 0, 4000 even steps to X and every strike. */
static int
expiry_grid(const cn_leg *legs, int n, double X, double *g)
{
	int			k = 0;

	for (int j = 0; j <= 4000; j++)
		g[k++] = X * j / 4000.0;
	for (int i = 0; i < n; i++)
		if (legs[i].kind != 'U')
			g[k++] = legs[i].strike;
	qsort(g, k, sizeof(double), cmp_dbl);
	return k;
}

static void
test_random_expiry(void)
{
	static double grid[4100];
	int			worst_n = 0;
	double		worst_root = 0,
				worst_ext = 0;

	for (int iter = 0; iter < 6000; iter++)
	{
		int			discrete = iter >= 4000;
		cn_leg		legs[8];
		int			n = random_position(legs, discrete);
		double		X = position_reach(legs, n);
		int			ng = expiry_grid(legs, n, X, grid);
		double		be[64],
					rb[64];
		int			nbe = cn_breakevens(legs, n, be, 64);
		double		slope = far_slope(legs, n, X),
					qms = qm_sum(legs, n);
		double		lo = INFINITY,
					hi = -INFINITY,
					mp = cn_max_profit(legs, n),
					ml = cn_max_loss(legs, n),
					scale;
		refc		rc = {legs, n, INT64_MAX, NULL, 0, 0, 0};

		UNIT_CHECK(nbe <= 2 * n + 2, "iter %d: %d break-evens for %d legs", iter, nbe, n);
		/* the snap treats |slope| below ~1e-13 of sum |qty mult| as flat; so do we */
		if (fabs(slope) <= 1e-12 * qms)
			slope = 0;

		/* (a) each root is a zero of the payoff; ascending */
		for (int i = 0; i < nbe; i++)
		{
			double		s = ref_scale(legs, n, be[i]);

			UNIT_CHECK(fabs(ref_payoff(legs, n, be[i])) <= 1e-12 * s,
					   "iter %d: payoff(be %.17g) = %.3g, scale %.3g", iter, be[i],
					   ref_payoff(legs, n, be[i]), s);
			UNIT_CHECK(i == 0 || be[i] > be[i - 1], "iter %d: not ascending", iter);
			UNIT_CHECK(be[i] >= 0, "iter %d: negative break-even", iter);
		}

		/*
		 * (b) between consecutive break-evens (and before the first, after the last)
		 * the payoff has one strict sign, or is zero throughout: sampled at every
		 * strike and 64 points inside each gap.
		 */
		for (int gi = 0; gi <= nbe; gi++)
		{
			double		a = gi == 0 ? 0 : be[gi - 1],
						b = gi == nbe ? fmax(2 * X, 2 * a + 1) : be[gi];
			int			npos = 0,
						nneg = 0,
						nzero = 0;

			if (!(b > a))
				continue;
			for (int j = 0; j < 64 + n; j++)
			{
				double		x = j < 64 ? a + (b - a) * (j + 0.5) / 64.0 :
					legs[j - 64].strike;
				double		f,
							tol;

				if (!(x > a && x < b))
					continue;
				f = ref_payoff(legs, n, x);
				tol = 1e-12 * ref_scale(legs, n, x);
				if (f > tol)
					npos++;
				else if (f < -tol)
					nneg++;
				else
					nzero++;
			}
			UNIT_CHECK((npos == 0) + (nneg == 0) + (nzero == 0) >= 2,
					   "iter %d: gap (%.17g, %.17g) has %d >0, %d <0, %d zero",
					   iter, a, b, npos, nneg, nzero);
		}

		/* extremes by grid (strikes included) and slopes at the far end */
		for (int i = 0; i < ng; i++)
		{
			double		f = ref_payoff(legs, n, grid[i]);

			lo = fmin(lo, f);
			hi = fmax(hi, f);
		}
		scale = ref_scale(legs, n, X);
		if (slope > 0)
			UNIT_CHECK(isinf(mp), "iter %d: max profit %g, slope %g", iter, mp, slope);
		else
		{
			double		want = hi;

			UNIT_CHECK(fabs(mp - want) <= 1e-12 * scale,
					   "iter %d: max profit %.17g want %.17g", iter, mp, want);
			if (fabs(mp - want) / scale > worst_ext)
				worst_ext = fabs(mp - want) / scale;
		}
		if (slope < 0)
			UNIT_CHECK(isinf(ml), "iter %d: max loss %g, slope %g", iter, ml, slope);
		else
		{
			double		want = -lo;

			UNIT_CHECK(fabs(ml - want) <= 1e-12 * scale,
					   "iter %d: max loss %.17g want %.17g", iter, ml, want);
			if (fabs(ml - want) / scale > worst_ext)
				worst_ext = fabs(ml - want) / scale;
		}

		/* cn_payoff is the direct sum */
		for (int j = 0; j < 5; j++)
		{
			double		x = X * unif();

			UNIT_CHECK(fabs(cn_payoff(legs, n, x) - ref_payoff(legs, n, x)) <=
					   1e-13 * ref_scale(legs, n, x), "iter %d: payoff at %g", iter, x);
		}

		/* continuous: the brute force's roots one for one */
		if (!discrete)
		{
			int			nr = ref_roots(&rc, grid, ng, slope, rb, 64);

			UNIT_CHECK(nr == nbe, "iter %d: %d break-evens, brute force %d", iter, nbe, nr);
			if (nr != nbe)
				worst_n++;
			for (int i = 0; i < nr && i < nbe; i++)
			{
				/*
				 * A root moves by (rounding of P&L)/|slope|: allow 1e-12 of the scale
				 * over the local slope, measured from the P&L 1e-6 away.
				 */
				double		h = 1e-6 * fmax(1, rb[i]);
				double		sl = fabs(ref_payoff(legs, n, rb[i] + h) -
									  ref_payoff(legs, n, fmax(0, rb[i] - h))) /
					(rb[i] + h - fmax(0, rb[i] - h));
				double		tol = 1e-12 * ref_scale(legs, n, rb[i]) / sl + 1e-13 * rb[i];

				UNIT_CHECK(fabs(be[i] - rb[i]) <= tol,
						   "iter %d: break-even %.17g, brute force %.17g",
						   iter, be[i], rb[i]);
				if (fabs(be[i] - rb[i]) / fmax(1, rb[i]) > worst_root)
					worst_root = fabs(be[i] - rb[i]) / fmax(1, rb[i]);
			}
		}
	}
	printf("# at expiry, 6000 random positions: worst root rel diff %.2e, "
		   "worst extreme err/scale %.2e, count mismatches %d\n",
		   worst_root, worst_ext, worst_n);
}

/* ---------------------------------------------------------------- normal form */

static int
same_bits(const cn_leg *a, const cn_leg *b)
{
	return a->kind == b->kind && a->expiry == b->expiry &&
		memcmp(&a->qty, &b->qty, sizeof(double)) == 0 &&
		memcmp(&a->strike, &b->strike, sizeof(double)) == 0 &&
		memcmp(&a->premium, &b->premium, sizeof(double)) == 0 &&
		memcmp(&a->multiplier, &b->multiplier, sizeof(double)) == 0;
}

static void
test_normalise(void)
{
	/* merging: equal keys sum, zero totals vanish, a different premium stays apart */
	{
		cn_leg		l[7] = {
			L(1, 'C', 100, E1, 5, 100), L(2, 'C', 100, E1, 5, 100),
			L(-3, 'P', 90, E1, 1, 100), L(3, 'P', 90, E1, 1, 100),
			L(1, 'C', 100, E1, 5.05, 100),
			L(50, 'U', 0, 0, 99, 1), L(50, 'U', 0, 0, 99, 1),
		};
		int			n = 7;

		/* junk in a 'U' leg's strike and expiry must not keep it apart */
		l[6].strike = 123;
		l[6].expiry = 42;
		cn_legs_normalise(l, &n);
		UNIT_CHECK(n == 3, "merge: %d legs, want 3", n);
		UNIT_CHECK(n == 3 && l[0].kind == 'C' && l[0].qty == 3 && l[0].premium == 5 &&
				   l[1].kind == 'C' && l[1].qty == 1 && l[1].premium == 5.05 &&
				   l[2].kind == 'U' && l[2].qty == 100 && isnan(l[2].strike) &&
				   l[2].expiry == 0, "merge: wrong legs");
	}
	/* different multiplier: kept apart, same payoff */
	{
		cn_leg		l[2] = {L(1, 'C', 100, E1, 5, 100), L(-100, 'C', 100, E1, 5, 1)};
		int			n = 2;

		cn_legs_normalise(l, &n);
		UNIT_CHECK(n == 2, "multipliers differ: %d legs", n);
		UNIT_CHECK(cn_payoff(l, n, 123) == 0, "multipliers differ: payoff %g",
				   cn_payoff(l, n, 123));
	}
	/* canonical order: C < P < U, then expiry, strike, premium, multiplier */
	{
		cn_leg		l[6] = {
			L(1, 'U', 0, 0, 100, 1), L(1, 'P', 90, E1, 1, 100), L(1, 'C', 110, E1, 2, 100),
			L(1, 'C', 100, E2, 3, 100), L(1, 'C', 100, E1, 4, 100),
			L(1, 'C', 100, E1, 3, 10),
		};
		int			n = 6;

		cn_legs_normalise(l, &n);
		UNIT_CHECK(n == 6 &&
				   l[0].kind == 'C' && l[0].expiry == E1 && l[0].strike == 100 &&
				   l[0].premium == 3 &&
				   l[1].kind == 'C' && l[1].premium == 4 &&
				   l[2].kind == 'C' && l[2].expiry == E1 && l[2].strike == 110 &&
				   l[3].kind == 'C' && l[3].expiry == E2 &&
				   l[4].kind == 'P' && l[5].kind == 'U', "order");
	}
	/* -0.0 and 0.0 premiums merge and come out as +0.0 */
	{
		cn_leg		l[2] = {L(1, 'C', 100, E1, -0.0, 100), L(1, 'C', 100, E1, 0.0, 100)};
		int			n = 2;

		cn_legs_normalise(l, &n);
		UNIT_CHECK(n == 1 && l[0].qty == 2 && !signbit(l[0].premium), "-0.0 premium");
	}
	/* non-integer quantities: the sum does not depend on the input order */
	{
		cn_leg		a[3] = {L(0.1, 'C', 100, E1, 5, 100), L(0.2, 'C', 100, E1, 5, 100),
		L(0.3, 'C', 100, E1, 5, 100)};
		cn_leg		b[3] = {a[2], a[0], a[1]};
		cn_leg		c[3] = {a[1], a[2], a[0]};
		int			na = 3,
					nb = 3,
					nc = 3;

		cn_legs_normalise(a, &na);
		cn_legs_normalise(b, &nb);
		cn_legs_normalise(c, &nc);
		UNIT_CHECK(na == 1 && nb == 1 && nc == 1 && same_bits(a, b) && same_bits(a, c),
				   "qty sum order: %.17g %.17g %.17g", a[0].qty, b[0].qty, c[0].qty);
	}

	/* random: permutation invariance, idempotence, unchanged payoff */
	for (int iter = 0; iter < 2000; iter++)
	{
		cn_leg		a[16],
					b[16];
		int			n = random_position(a, iter % 2),
					na,
					nb;

		/* duplicate some legs with random quantities so merges happen */
		for (int i = 0, m = n; i < m && n < 16; i++)
			if (unif() < 0.5)
			{
				a[n] = a[i];
				a[n].qty = unif() < 0.3 ? -a[i].qty : irand(-2, 2);
				n++;
			}
		memcpy(b, a, sizeof(cn_leg) * n);
		for (int i = n - 1; i > 0; i--)
		{
			int			j = irand(0, i);
			cn_leg		t = b[i];

			b[i] = b[j];
			b[j] = t;
		}
		{
			cn_leg		orig[16];
			int			ok = 1;

			memcpy(orig, a, sizeof(cn_leg) * n);
			na = nb = n;
			cn_legs_normalise(a, &na);
			cn_legs_normalise(b, &nb);
			UNIT_CHECK(na == nb, "iter %d: %d vs %d legs", iter, na, nb);
			for (int i = 0; i < na && na == nb; i++)
				ok &= same_bits(&a[i], &b[i]);
			UNIT_CHECK(ok, "iter %d: permutation changed the normal form", iter);
			for (int i = 0; i < na; i++)
				UNIT_CHECK(a[i].qty != 0 && (i == 0 || a[i - 1].kind <= a[i].kind),
						   "iter %d: zero qty or kinds out of order", iter);
			nb = na;
			memcpy(b, a, sizeof(cn_leg) * na);
			cn_legs_normalise(b, &nb);
			ok = nb == na;
			for (int i = 0; i < na && ok; i++)
				ok &= same_bits(&a[i], &b[i]);
			UNIT_CHECK(ok, "iter %d: not idempotent", iter);
			for (int j = 0; j < 4; j++)
			{
				double		x = 200 * unif();

				UNIT_CHECK(fabs(cn_payoff(a, na, x) - ref_payoff(orig, n, x)) <=
						   1e-13 * ref_scale(orig, n, x), "iter %d: payoff changed", iter);
			}
		}
	}
}

/* ---------------------------------------------------------------- model value, Greeks */

static void
test_value_greeks(void)
{
	double		spot = 101.3,
				r = 0.043,
				q = 0.012;
	cn_leg		cc[2] = {L(100, 'U', 0, 0, 98.5, 1), L(-1, 'C', 105, E1, 1.5, 100)};
	cn_leg		ic[4] = {L(1, 'P', 85, E1, 0.80, 100), L(-1, 'P', 90, E1, 1.60, 100),
	L(-1, 'C', 110, E2, 1.70, 100), L(1, 'C', 115, E2, 0.75, 100)};
	double		vols[4] = {0.31, 0.27, 0.19, 0.18};
	double		t1 = 30 / 365.0;
	cn_greeks	g,
				ga,
				gb;

	/* covered call: 100 spot - 100 x call */
	{
		double		v = cn_strategy_value(cc, 2, spot, T0, NULL, 0.22, r, q);
		double		want = 100 * spot - 100 * cn_bsm_price(1, spot, 105, t1, 0.22, r, q);
		double		pnl = cn_strategy_pnl(cc, 2, spot, T0, NULL, 0.22, r, q);

		UNIT_CHECK(unit_close(v, want, 1e-14, 0), "covered call value %.17g want %.17g",
				   v, want);
		UNIT_CHECK(unit_close(pnl, v - (100 * 98.5 - 100 * 1.5), 0, 1e-10),
				   "covered call pnl %.17g", pnl);
		cn_strategy_greeks(cc, 2, spot, T0, NULL, 0.22, r, q, &g);
		cn_bsm_greeks(1, spot, 105, t1, 0.22, r, q, &ga);
		UNIT_CHECK(g.price == v, "greeks price %.17g vs value %.17g", g.price, v);
		UNIT_CHECK(unit_close(g.delta, 100 - 100 * ga.delta, 1e-14, 0), "cc delta");
		UNIT_CHECK(unit_close(g.gamma, -100 * ga.gamma, 1e-14, 0), "cc gamma");
		UNIT_CHECK(unit_close(g.theta, -100 * ga.theta, 1e-14, 0), "cc theta");
		UNIT_CHECK(unit_close(g.rho, -100 * ga.rho, 1e-14, 0), "cc rho");
	}

	/* Greeks of a diagonal condor with per-leg vols against finite differences */
	cn_strategy_greeks(ic, 4, spot, T0, vols, 0, r, q, &g);
	{
		double		h = 1e-5 * spot,
					vp = cn_strategy_value(ic, 4, spot + h, T0, vols, 0, r, q),
					vm = cn_strategy_value(ic, 4, spot - h, T0, vols, 0, r, q),
					h2 = 2e-4 * spot,
					v0 = cn_strategy_value(ic, 4, spot, T0, vols, 0, r, q),
					vp2 = cn_strategy_value(ic, 4, spot + h2, T0, vols, 0, r, q),
					vm2 = cn_strategy_value(ic, 4, spot - h2, T0, vols, 0, r, q);
		double		dv[4],
					up[4],
					dn[4];
		int64_t		hr = (int64_t) (600 * 1e6);

		/*
		 * Central differences, tolerances about 10x the errors measured here (printed
		 * below).  Delta, h = 1e-5 spot: truncation h^2 V'''/6, 4e-9 of it (the error
		 * falls 100x per decade of h down to there; h = 1e-3 spot is 4e-5 off), rounding
		 * eps V/h ~ 1e-10.  Gamma, h = 2e-4 spot: 1.7e-7.  Vega, vol +-1e-4: 3.3e-8.
		 * Theta, as_of +-10 minutes: 5.6e-9.  Rho, r +-1e-5: 4.9e-11.
		 */
		UNIT_CHECK(unit_close(g.delta, (vp - vm) / (2 * h), 1e-7, 0),
				   "delta %.12g vs fd %.12g", g.delta, (vp - vm) / (2 * h));
		UNIT_CHECK(unit_close(g.gamma, (vp2 - 2 * v0 + vm2) / (h2 * h2), 2e-6, 0),
				   "gamma %.12g vs fd %.12g", g.gamma, (vp2 - 2 * v0 + vm2) / (h2 * h2));
		printf("# greeks fd rel err: delta %.2e gamma %.2e\n",
			   fabs(g.delta / ((vp - vm) / (2 * h)) - 1),
			   fabs(g.gamma / ((vp2 - 2 * v0 + vm2) / (h2 * h2)) - 1));
		for (int i = 0; i < 4; i++)
		{
			dv[i] = vols[i];
			up[i] = vols[i] + 1e-4;
			dn[i] = vols[i] - 1e-4;
		}
		{
#define VAL(sp_, t_, v_, r_) cn_strategy_value(ic, 4, sp_, t_, v_, 0, r_, q)
			double		fv = 0.01 * (VAL(spot, T0, up, r) - VAL(spot, T0, dn, r)) / 2e-4;
			/* theta is -dV/dT per day = dV/d(as_of) per day */
			double		ft = (VAL(spot, T0 + hr, dv, r) - VAL(spot, T0 - hr, dv, r)) /
				(2.0 / 144);
			double		fr = 0.01 * (VAL(spot, T0, dv, r + 1e-5) -
									 VAL(spot, T0, dv, r - 1e-5)) / 2e-5;
#undef VAL

			UNIT_CHECK(unit_close(g.vega, fv, 5e-7, 0), "vega %.12g fd %.12g", g.vega, fv);
			UNIT_CHECK(unit_close(g.theta, ft, 1e-7, 0), "theta %.12g fd %.12g", g.theta, ft);
			UNIT_CHECK(unit_close(g.rho, fr, 1e-9, 0), "rho %.12g fd %.12g", g.rho, fr);
			printf("# greeks fd rel err: vega %.2e theta %.2e rho %.2e\n",
				   fabs(g.vega / fv - 1), fabs(g.theta / ft - 1), fabs(g.rho / fr - 1));
		}
	}
	/* additivity: the Greeks of a union are the sums */
	cn_strategy_greeks(ic, 2, spot, T0, vols, 0, r, q, &ga);
	cn_strategy_greeks(ic + 2, 2, spot, T0, vols + 2, 0, r, q, &gb);
	{
		const double *pg = &g.price,
				   *pa = &ga.price,
				   *pb = &gb.price;

		for (int k = 0; k < CN_GREEKS_N; k++)
			UNIT_CHECK(unit_close(pg[k], pa[k] + pb[k], 1e-13, 1e-13),
					   "additivity of greek %d: %.17g vs %.17g", k, pg[k], pa[k] + pb[k]);
	}
	/* the scalar vol equals an array of that vol */
	{
		double		same[4] = {0.25, 0.25, 0.25, 0.25};

		UNIT_CHECK(cn_strategy_value(ic, 4, spot, T0, same, 0.9, r, q) ==
				   cn_strategy_value(ic, 4, spot, T0, NULL, 0.25, r, q), "vols vs vol");
	}
	/* expired legs: intrinsic value and exercise indicator; pnl equals payoff */
	{
		cn_leg		vs[2] = {L(1, 'C', 100, E1, 5, 100), L(-1, 'C', 110, E1, 1.8, 100)};

		cn_strategy_greeks(vs, 2, 105, E1, NULL, 0.3, r, q, &g);
		UNIT_CHECK(g.price == 500 && g.delta == 100 && g.gamma == 0 && g.theta == 0,
				   "expired: price %g delta %g", g.price, g.delta);
		cn_strategy_greeks(vs, 2, 110, E1 + 1, NULL, 0.3, r, q, &g);
		UNIT_CHECK(g.price == 1000 && g.delta == 50, "expired at the strike: delta %g",
				   g.delta);
		for (int j = 0; j < 50; j++)
		{
			double		x = 200 * unif();

			UNIT_CHECK(cn_strategy_pnl(ic, 4, x, E2, vols, 0, r, q) == cn_payoff(ic, 4, x),
					   "pnl after expiry at %g", x);
		}
	}
	/* expected move */
	UNIT_CHECK(cn_expected_move(100, 0.2, 0.25) == 10, "expected move %g",
			   cn_expected_move(100, 0.2, 0.25));
	/* the header's claim: 1.0% below the lognormal sd at vol sqrt(t) = 0.2 */
	UNIT_CHECK(unit_close(cn_expected_move(100, 0.2, 1) / (100 * sqrt(expm1(0.04))),
						  0.99001683307806, 1e-13, 0), "expected move vs lognormal sd");
}

/* ---------------------------------------------------------------- probability of profit */

/* Simpson's rule for the normal density on [a, b], panels no wider than 0.005. */
static double
simpson_phi(double a, double b)
{
	int			m = 2 * (int) ceil((b - a) / 0.01);
	double		h,
				s;

	if (m < 2)
		m = 2;
	h = (b - a) / m;
	s = cn_norm_pdf(a) + cn_norm_pdf(b);
	for (int i = 1; i < m; i++)
		s += (i % 2 ? 4 : 2) * cn_norm_pdf(a + i * h);
	return s * h / 3;
}

/*
 * P(curve(S_T) > 0) by direct integration over z in [-12, 12] (the mass beyond is
 * 4e-33): S(z) = spot exp(drift + sd z).  Sign changes are found on a grid of step
 * 0.002 plus the z of every strike in "kinks" (so two crossings around one kink are
 * never lost), bisected in z, and the density integrated by Simpson between them.
 */
static double
ref_pop(const refc *c, double spot, double drift, double sd, const double *kinks, int nk)
{
	static double z[12100];
	double		zr[256],
				prob = 0;
	int			nz = 0,
				nr = 0;

	for (int i = 0; i <= 12000; i++)
		z[nz++] = -12 + 24.0 * i / 12000;
	for (int i = 0; i < nk; i++)
	{
		double		zk = (log(kinks[i] / spot) - drift) / sd;

		if (zk > -12 && zk < 12)
			z[nz++] = zk;
	}
	qsort(z, nz, sizeof(double), cmp_dbl);
#define SZ(zz) (spot * exp(drift + sd * (zz)))
	{
		double		fp = refc_eval(c, SZ(z[0]));

		for (int i = 1; i < nz; i++)
		{
			double		f = refc_eval(c, SZ(z[i]));

			if (f != 0 && fp != 0 && (f < 0) != (fp < 0) && nr < 255)
			{
				double		a = z[i - 1],
							b = z[i],
							fa = fp;

				for (int k = 0; k < 200 && b - a > 1e-15; k++)
				{
					double		m = 0.5 * (a + b),
								fm = refc_eval(c, SZ(m));

					if ((fm < 0) == (fa < 0))
					{
						a = m;
						fa = fm;
					}
					else
						b = m;
				}
				zr[nr++] = 0.5 * (a + b);
			}
			fp = f;
		}
	}
	for (int i = 0; i <= nr; i++)
	{
		double		a = i == 0 ? -12 : zr[i - 1],
					b = i == nr ? 12 : zr[i];

		if (refc_eval(c, SZ(0.5 * (a + b))) > 0)
			prob += simpson_phi(a, b);
	}
#undef SZ
	return prob;
}

static void
test_pop(void)
{
	double		spot = 100,
				r = 0.04,
				q = 0.01,
				vol = 0.25,
				T = 30 / 365.0,
				sd = vol * sqrt(T),
				drift = (r - q - 0.5 * vol * vol) * T;
	double		worst = 0,
				worst_multi = 0;

	/* long call: P(S_T > 105.2) = N(d2(105.2)), written out */
	{
		cn_leg		lc[1] = {L(1, 'C', 100, E1, 5.2, 100)};
		double		d2 = (log(spot / 105.2) + drift) / sd;
		double		p = cn_pop(lc, 1, spot, T0, NULL, vol, r, q);

		UNIT_CHECK(unit_close(p, cn_norm_cdf(d2), 1e-14, 0), "long call pop %.17g want %.17g",
				   p, cn_norm_cdf(d2));
	}
	/* iron condor: N(d2(88.25)) - N(d2(111.75)) */
	{
		cn_leg		ic[4] = {L(1, 'P', 85, E1, 0.80, 100), L(-1, 'P', 90, E1, 1.60, 100),
		L(-1, 'C', 110, E1, 1.70, 100), L(1, 'C', 115, E1, 0.75, 100)};
		double		want = cn_norm_cdf((log(spot / 88.25) + drift) / sd) -
			cn_norm_cdf((log(spot / 111.75) + drift) / sd);
		double		p = cn_pop(ic, 4, spot, T0, NULL, vol, r, q);

		UNIT_CHECK(unit_close(p, want, 1e-13, 0), "condor pop %.17g want %.17g", p, want);
		/* no randomness left: outcome known */
		UNIT_CHECK(cn_pop(ic, 4, 100, E1, NULL, vol, r, q) == 1, "expired condor at 100");
		UNIT_CHECK(cn_pop(ic, 4, 80, E1 + 5, NULL, vol, r, q) == 0, "expired condor at 80");
		/* zero vol: the forward 100 e^{0.03 T} is inside the wings */
		UNIT_CHECK(cn_pop(ic, 4, 100, T0, NULL, 0, r, q) == 1, "zero vol condor");
	}
	/* box at fair value: P&L never > 0; stock only: NaN */
	{
		cn_leg		bx[4] = {L(1, 'C', 90, E1, 12.35, 100), L(-1, 'C', 100, E1, 3.10, 100),
		L(1, 'P', 100, E1, 1.45, 100), L(-1, 'P', 90, E1, 0.70, 100)};
		cn_leg		st[1] = {L(100, 'U', 0, 0, 99, 1)};

		UNIT_CHECK(cn_pop(bx, 4, spot, T0, NULL, vol, r, q) == 0, "box pop %g",
				   cn_pop(bx, 4, spot, T0, NULL, vol, r, q));
		UNIT_CHECK(isnan(cn_pop(st, 1, spot, T0, NULL, vol, r, q)), "stock pop");
	}
	/* a far tail: P(S_T > 200) ~ 1e-30, kept to full relative accuracy */
	{
		cn_leg		lc[1] = {L(1, 'C', 195, E1, 5, 100)};
		double		p = cn_pop(lc, 1, spot, T0, NULL, vol, r, q);
		double		want = cn_norm_cdf((log(spot / 200) + drift) / sd);

		UNIT_CHECK(want < 1e-20 && unit_close(p, want, 1e-12, 0), "tail pop %.17g want %.17g",
				   p, want);
	}

	/* random single-expiry positions against integration */
	for (int iter = 0; iter < 1500; iter++)
	{
		cn_leg		legs[8];
		int			n = random_position(legs, 0),
					nk = 0;
		double		kinks[8],
					v = 0.1 + 0.5 * unif(),
					s = v * sqrt(T),
					dr = (r - q - 0.5 * v * v) * T;
		refc		c = {legs, n, INT64_MAX, NULL, 0, 0, 0};
		double		p,
					want;

		for (int i = 0; i < n; i++)
		{
			legs[i].expiry = E1;
			legs[i].strike = legs[i].kind == 'U' ? NAN : 70 + 60 * unif();
			if (legs[i].kind != 'U')
				kinks[nk++] = legs[i].strike;
		}
		p = cn_pop(legs, n, spot, T0, NULL, v, r, q);
		if (nk == 0)
		{
			UNIT_CHECK(isnan(p), "iter %d: stock-only pop %g", iter, p);
			continue;
		}
		want = ref_pop(&c, spot, dr, s, kinks, nk);
		UNIT_CHECK(fabs(p - want) <= 1e-8, "iter %d: pop %.15g, integration %.15g",
				   iter, p, want);
		worst = fmax(worst, fabs(p - want));
	}

	/* random calendars and diagonals: horizon E1, E2 legs by BSM */
	for (int iter = 0; iter < 300; iter++)
	{
		cn_leg		legs[6];
		double		vols[6],
					kinks[6];
		int			n = irand(2, 6),
					nk = 0;
		double		v = 0.15 + 0.3 * unif(),
					s = v * sqrt(T),
					dr = (r - q - 0.5 * v * v) * T;
		refc		c = {legs, n, E1, vols, 0, r, q};
		double		p,
					want;

		for (int i = 0; i < n; i++)
		{
			char		kind = i < 2 ? (i == 0 ? 'C' : 'P') : "CPU"[irand(0, 2)];
			int64_t		e = i == 0 ? E1 : (i == 1 ? E2 : (unif() < 0.5 ? E1 : E2));
			double		qty = irand(1, 2),
						sign = rsign(),
						strike = 80 + 40 * unif(),
						prem = kind == 'U' ? 90 + 20 * unif() : 8 * unif();

			legs[i] = L(qty * sign, kind, strike, e, prem, kind == 'U' ? 10 : 100);
			vols[i] = v * (0.8 + 0.4 * unif());
			if (kind != 'U' && e == E1)
				kinks[nk++] = legs[i].strike;
		}
		p = cn_pop(legs, n, spot, T0, vols, v, r, q);
		want = ref_pop(&c, spot, dr, s, kinks, nk);
		UNIT_CHECK(fabs(p - want) <= 1e-8, "multi iter %d: pop %.15g, integration %.15g",
				   iter, p, want);
		worst_multi = fmax(worst_multi, fabs(p - want));
	}
	printf("# pop: worst |diff| vs integration %.2e single expiry, %.2e calendars\n",
		   worst, worst_multi);
}

/* ---------------------------------------------------------------- T+n break-evens */

static void
test_breakevens_at(void)
{
	double		spot = 100,
				r = 0.04,
				q = 0.01;
	static double grid[40000];
	double		worst = 0;
	int			total = 0;

	/* all legs expired at as_of: exactly cn_breakevens */
	for (int iter = 0; iter < 300; iter++)
	{
		cn_leg		legs[8];
		int			n = random_position(legs, iter % 2);
		double		a[64],
					b[64];
		int			na = cn_breakevens(legs, n, a, 64),
					nb = cn_breakevens_at(legs, n, spot, E2, NULL, 0.3, r, q, b, 64);
		int			ok = na == nb;

		for (int i = 0; i < na && ok; i++)
			ok = a[i] == b[i];
		UNIT_CHECK(ok, "iter %d: expired breakevens_at differs from breakevens", iter);
	}

	/* random live positions against a fine scan */
	for (int iter = 0; iter < 250; iter++)
	{
		cn_leg		legs[6];
		double		vols[6],
					be[64],
					rb[64];
		int			n = irand(1, 6),
					ng = 0,
					nbe,
					nr;
		int64_t		as_of = T0 + (int64_t) (irand(0, 20) * DAY_US);
		refc		c = {legs, n, as_of, vols, 0, r, q};
		double		smax = 0,
					slope = 0,
					lo,
					hi;

		for (int i = 0; i < n; i++)
		{
			char		kind = "CPCPU"[irand(0, 4)];
			int64_t		e = unif() < 0.5 ? E1 : E2;
			double		t = (double) (e - as_of) / (365 * DAY_US);
			double		qty = irand(1, 3),
						sign = rsign(),
						strike = 75 + 50 * unif(),
						prem = kind == 'U' ? 85 + 30 * unif() : 10 * unif();

			legs[i] = L(qty * sign, kind, strike, e, prem, kind == 'U' ? 10 : 100);
			vols[i] = 0.15 + 0.25 * unif();
			if (kind != 'U')
				smax = fmax(smax, vols[i] * sqrt(t));
			if (kind == 'C')
				slope += legs[i].qty * legs[i].multiplier * exp(-q * t);
			if (kind == 'U')
				slope += legs[i].qty * legs[i].multiplier;
		}
		nbe = cn_breakevens_at(legs, n, spot, as_of, vols, 0, r, q, be, 64);

		/* every root: |P&L| tiny against the position, and a sign change across it */
		for (int i = 0; i < nbe; i++)
		{
			double		x = be[i],
						f = refc_eval(&c, x),
						sc = ref_scale(legs, n, x),
						fl = refc_eval(&c, x * (1 - 1e-6)),
						fr = refc_eval(&c, x * (1 + 1e-6));

			UNIT_CHECK(fabs(f) <= 1e-12 * sc, "iter %d: P&L(%.17g) = %.3g, scale %.3g",
					   iter, x, f, sc);
			UNIT_CHECK((fl < 0) != (fr < 0), "iter %d: no sign change at %.17g (%g %g)",
					   iter, x, fl, fr);
		}

		/*
		 * The brute force: 0, then log-spaced 2e-4 apart over spot exp(+-14 smax)
		 * widened to [1, 1000] (wider than the code's range), then doubling.
		 */
		lo = fmin(spot * exp(-14 * smax), 1);
		hi = fmax(spot * exp(14 * smax), 1000);
		grid[ng++] = 0;
		for (double x = log(lo); x < log(hi) && ng < 40000; x += 2e-4)
			grid[ng++] = exp(x);
		nr = ref_roots(&c, grid, ng, fabs(slope) < 1e-9 ? 0 : slope, rb, 64);
		UNIT_CHECK(nr == nbe, "iter %d: %d roots, brute force %d", iter, nbe, nr);
		for (int i = 0; i < nr && i < nbe; i++)
		{
			double		d = fabs(be[i] - rb[i]) / rb[i];

			/* the bar: 1e-9 relative */
			UNIT_CHECK(d <= 1e-9, "iter %d: root %.17g, brute force %.17g", iter, be[i], rb[i]);
			worst = fmax(worst, d);
		}
		total += nbe;
	}
	printf("# breakevens_at: %d roots in 250 live positions, worst rel diff %.2e\n",
		   total, worst);

	/*
	 * A butterfly 20 seconds from expiry, off the spot (wings 0.02 around 100.5,
	 * sigma sqrt(t) = 1.6e-4): it is in profit on a zone about 4.5e-4 wide in log spot.
	 * A one-year call at vol 0.6 stretches the search range to spot exp(+-7.2), whose
	 * base step is 1.4e-2, so the zone is found only through the refinement around
	 * strikes: the step shrinking near them, or landing on them (either alone suffices;
	 * without both this fails).  The base grid is symmetric about spot and would land on
	 * a fly centred at spot, hence 100.5.  The far call, 0.001 of a contract bought at
	 * its model value, stretches the range without swamping the fly.
	 */
	{
		static double fine[260000];
		int64_t		now = E1 - (int64_t) 20000000;
		int64_t		far = now + (int64_t) (365 * DAY_US);
		cn_leg		fly[4] = {L(1, 'C', 100.48, E1, 0, 100), L(-2, 'C', 100.5, E1, 0, 100),
		L(1, 'C', 100.52, E1, 0.004, 100), L(0.001, 'C', 200, far, 0, 100)};
		double		fv[4] = {0.2, 0.2, 0.2, 0.6};
		refc		c = {fly, 4, now, fv, 0, r, q};
		double		be[16],
					rb[16];
		int			ng = 0,
					nbe,
					nr,
					ok;

		fly[3].premium = cn_bsm_price(1, spot, 200, 1.0, 0.6, r, q);
		nbe = cn_breakevens_at(fly, 4, spot, now, fv, 0, r, q, be, 16);
		fine[ng++] = 0;
		for (double x = 0; x < log(100.4); x += 2e-4)
			fine[ng++] = exp(x);
		for (int i = 0; i <= 200000; i++)
			fine[ng++] = 100.4 + i * 1e-6;
		for (double x = log(100.6); x < log(1000); x += 2e-4)
			fine[ng++] = exp(x);
		nr = ref_roots(&c, fine, ng, 100 * exp(-q), rb, 16);
		ok = nr == nbe && nr >= 2 && rb[0] > 100.4 && rb[1] < 100.6;
		for (int i = 0; i < nr && ok; i++)
			ok = fabs(be[i] - rb[i]) <= 1e-9 * rb[i];
		UNIT_CHECK(ok, "20-second fly: %d roots (%.12g ...), brute force %d (%.12g ...)",
				   nbe, nbe > 0 ? be[0] : NAN, nr, nr > 0 ? rb[0] : NAN);
	}

	/* a call calendar at T+0: two roots around the strike, inside the reach */
	{
		cn_leg		cal[2] = {L(-1, 'C', 100, E1, 2.9, 100), L(1, 'C', 100, E2, 5.4, 100)};
		double		be[8];
		int			nbe = cn_breakevens_at(cal, 2, spot, E1, NULL, 0.25, r, q, be, 8);

		UNIT_CHECK(nbe == 2 && be[0] < 100 && be[1] > 100 && be[0] > 85 && be[1] < 115,
				   "calendar at first expiry: %d roots %g %g", nbe, be[0], be[1]);
	}
}


/* ---------------------------------------------------------------- several expiries */

/*
 * A random position over several expiries: 1..8 legs of calls, puts and stock, at E1,
 * E1D (a day after E1: legs that bend sharply at the first expiry), E2 and E3 (the
 * first two legs are options at E1 and at a later expiry, so there are at least two), integer or real quantities of either sign with nothing balancing them
 * (naked sides are common), multipliers 1 to 1000, strikes on a 5-point grid half the
 * time, per-leg vols 0.08 to 0.8.
 */
static int
random_multi(cn_leg *legs, double *vols)
{
	int			n = irand(2, 8);
	static const double mults[] = {1, 10, 50, 100, 1000};

	for (int i = 0; i < n; i++)
	{
		double		u = unif();
		char		kind = i == 0 ? 'C' : (i == 1 ? (u < 0.5 ? 'C' : 'P') :
										   (u < 0.4 ? 'C' : (u < 0.8 ? 'P' : 'U')));
		int64_t		e = i == 0 ? E1 : (i == 1 ? (int64_t) (double[]) {E1D, E2, E3}[irand(0, 2)] :
									  (int64_t) (double[]) {E1, E1D, E2, E3}[irand(0, 3)]);
		double		qty,
					strike,
					prem,
					mult;

		if (unif() < 0.6)
		{
			qty = irand(1, 3);
			qty *= rsign();
		}
		else
			qty = unif() * 6 - 3;
		strike = unif() < 0.5 ? 60 + 5 * irand(0, 16) : 50 + 100 * unif();
		prem = kind == 'U' ? 70 + 60 * unif() : 15 * unif();
		mult = mults[irand(0, 4)];
		legs[i] = L(qty, kind, strike, e, prem, mult);
		vols[i] = 0.08 + 0.72 * unif();
	}
	return n;
}

/* Sorted grid of the brute force for a curve at horizon h (see test_first_expiry). */
static int
first_grid(const refc *c, double *g, int max)
{
	double		smax = 0,
				kmin = INFINITY,
				kmax = 1,
				lo,
				hi;
	int			k = 0;

	for (int i = 0; i < c->n; i++)
	{
		const cn_leg *l = &c->legs[i];

		if (l->kind == 'U')
		{
			kmax = fmax(kmax, l->premium);
			continue;
		}
		kmin = fmin(kmin, l->strike);
		kmax = fmax(kmax, l->strike);
		if (l->expiry > c->h)
			smax = fmax(smax, c->vols[i] * sqrt((double) (l->expiry - c->h) / (365 * DAY_US)));
	}
	lo = fmin(kmin, 1) * exp(-14 * smax - 1);
	hi = kmax * exp(14 * smax + 1);
	g[k++] = 0;
	for (double x = log(lo); x < log(hi) && k < max; x += 4e-3)
		g[k++] = exp(x);
	for (int i = 0; i < c->n; i++)
	{
		const cn_leg *l = &c->legs[i];

		if (l->kind == 'U')
			continue;
		if (k < max)
			g[k++] = l->strike;
		if (l->expiry > c->h)
		{
			/* a fine patch where a live leg bends: +-8 of its scale, 1/64 of it apart */
			double		si = c->vols[i] * sqrt((double) (l->expiry - c->h) / (365 * DAY_US)),
						lk = log(l->strike);

			for (int j = -512; j <= 512 && k < max; j++)
				g[k++] = exp(lk + si * j / 64.0);
		}
	}
	qsort(g, k, sizeof(double), cmp_dbl);
	{
		/* distinct points only, so that every turn of the values is seen as one */
		int			m = 1;

		for (int i = 1; i < k; i++)
			if (g[i] > g[m - 1])
				g[m++] = g[i];
		k = m;
	}
	return k;
}

/* Golden-section search for the extreme of c (sign +1 max, -1 min) inside [a, b]. */
static double
golden(const refc *c, double a, double b, int sign)
{
	const double gr = 0.6180339887498949;
	double		x1 = b - gr * (b - a),
				x2 = a + gr * (b - a),
				f1 = sign * refc_eval(c, x1),
				f2 = sign * refc_eval(c, x2);

	for (int i = 0; i < 120 && b - a > 1e-15 * b; i++)
	{
		if (f1 > f2)
		{
			b = x2;
			x2 = x1;
			f2 = f1;
			x1 = b - gr * (b - a);
			f1 = sign * refc_eval(c, x1);
		}
		else
		{
			a = x1;
			x1 = x2;
			f1 = f2;
			x2 = a + gr * (b - a);
			f2 = sign * refc_eval(c, x2);
		}
	}
	return sign * fmax(f1, f2);
}

/*
 * The first-expiry line (cn_payoff_first, cn_breakevens_first, cn_extremes_first,
 * cn_pop) against brute force over random positions of several expiries.
 *
 * The brute force evaluates the curve written out (ref_curve: legs by the first expiry
 * at intrinsic, later ones by cn_bsm_price) on a grid of its own: log-spaced 4e-3 apart
 * from below every strike times exp(-14 s - 1) to above every strike and stock price
 * times exp(14 s + 1) (s the largest vol sqrt(t) of a live leg), every strike, and a
 * patch 1/64 of a live leg's scale apart within 8 scales of its strike (4 times finer
 * than the code's step there, and laid out differently: around the strike, not the
 * forward-adjusted strike).  Roots are
 * bisected sign changes; extremes are the grid's, each local extreme of the grid
 * refined by golden section on its two neighbouring cells; unboundedness is the sign of
 * the slope measured from values far out, and a flat tail's limit is the value there.
 */
static void
test_first_expiry(void)
{
	static double grid[60000];
	int			positions = 0,
				multi_positions = 0,
				total_roots = 0,
				pop_checked = 0;
	double		worst_root = 0,
				worst_ext = 0,
				worst_pop = 0,
				worst_pay = 0;

	for (int iter = 0; iter < 2000; iter++)
	{
		cn_leg		legs[8];
		double		vols[8],
					be[64],
					rb[64],
					mp,
					ml,
					r = (double[]) {0, 0.045, 0.08}[irand(0, 2)],
					q = (double[]) {0, 0.013, 0.03}[irand(0, 2)];
		int			n = random_multi(legs, vols),
					ng,
					nbe,
					nr;
		/* a fifth of the time E1 has passed: its legs are at intrinsic, a later one is first */
		int64_t		as_of = unif() < 0.2 ? E1 + (int64_t) (DAY_US / 2) : T0;
		int64_t		h = INT64_MAX;
		int			live = 0;
		refc		c = {legs, n, 0, vols, 0, r, q};
		double		lo = INFINITY,
					hi = -INFINITY,
					far,
					slope,
					qmw = 0,
					scale;

		for (int i = 0; i < n; i++)
			if (legs[i].kind != 'U' && legs[i].expiry > as_of && legs[i].expiry < h)
				h = legs[i].expiry;
		if (h == INT64_MAX)
			continue;
		for (int i = 0; i < n; i++)
			live |= legs[i].kind != 'U' && legs[i].expiry > h;
		c.h = live ? h : INT64_MAX;
		positions++;
		multi_positions += live;

		nbe = cn_breakevens_first(legs, n, as_of, vols, 0, r, q, be, 64);
		cn_extremes_first(legs, n, as_of, vols, 0, r, q, &mp, &ml);
		ng = first_grid(&c, grid, 60000);

		/* the curve is the one written out */
		for (int j = 0; j < 6; j++)
		{
			double		x = grid[irand(0, ng - 1)],
						d = fabs(cn_payoff_first(legs, n, x, as_of, vols, 0, r, q) -
								 refc_eval(&c, x)) / ref_scale(legs, n, x);

			UNIT_CHECK(d <= 1e-13, "first iter %d: payoff at %g off by %.3g of scale", iter, x, d);
			worst_pay = fmax(worst_pay, d);
		}

		/* slope far out, from values; snapped like the code's when below rounding */
		far = 1e4 * grid[ng - 1];
		slope = (refc_eval(&c, 4 * far) - refc_eval(&c, 2 * far)) / (2 * far);
		for (int i = 0; i < n; i++)
			qmw += fabs(legs[i].qty * legs[i].multiplier);
		if (fabs(slope) <= 1e-9 * qmw)
			slope = 0;

		/* extremes: the grid, its refined turns, the value far out */
		{
			double		fp2 = refc_eval(&c, grid[0]),
						fp1 = refc_eval(&c, grid[1]);

			lo = fmin(fp2, fp1);
			hi = fmax(fp2, fp1);
			for (int i = 2; i < ng; i++)
			{
				double		f = refc_eval(&c, grid[i]);

				lo = fmin(lo, f);
				hi = fmax(hi, f);
				/* a turn, ties included (two points can round to one value) */
				if (fp1 >= fp2 && fp1 >= f && (fp1 > fp2 || fp1 > f))
					hi = fmax(hi, fmax(golden(&c, grid[i - 2], grid[i - 1], 1),
									   golden(&c, grid[i - 1], grid[i], 1)));
				if (fp1 <= fp2 && fp1 <= f && (fp1 < fp2 || fp1 < f))
					lo = fmin(lo, fmin(golden(&c, grid[i - 2], grid[i - 1], -1),
									   golden(&c, grid[i - 1], grid[i], -1)));
				fp2 = fp1;
				fp1 = f;
			}
			if (slope == 0)
			{
				lo = fmin(lo, refc_eval(&c, 4 * far));
				hi = fmax(hi, refc_eval(&c, 4 * far));
			}
		}
		scale = ref_scale(legs, n, grid[ng - 1]);
		if (slope > 0)
			UNIT_CHECK(isinf(mp) && mp > 0, "first iter %d: max profit %g, slope %g", iter, mp, slope);
		else
		{
			double		d = fabs(mp - hi) / scale;

			/* measured worst 8.4e-14 of the scale (the brute force's golden section) */
			UNIT_CHECK(d <= 1e-12, "first iter %d: max profit %.17g, brute force %.17g",
					   iter, mp, hi);
			worst_ext = fmax(worst_ext, d);
		}
		if (slope < 0)
			UNIT_CHECK(isinf(ml) && ml > 0, "first iter %d: max loss %g, slope %g", iter, ml, slope);
		else
		{
			double		d = fabs(ml + lo) / scale;

			UNIT_CHECK(d <= 1e-12, "first iter %d: max loss %.17g, brute force %.17g",
					   iter, ml, -lo);
			worst_ext = fmax(worst_ext, d);
		}

		/* roots one for one */
		nr = ref_roots(&c, grid, ng, slope, rb, 64);
		UNIT_CHECK(nr == nbe, "first iter %d: %d break-evens, brute force %d", iter, nbe, nr);
		for (int i = 0; i < nr && i < nbe; i++)
		{
			double		d = fabs(be[i] - rb[i]) / fmax(rb[i], 1e-300);

			/* the bar for model break-evens: 1e-9 relative */
			UNIT_CHECK(d <= 1e-9, "first iter %d: root %.17g, brute force %.17g", iter, be[i], rb[i]);
			worst_root = fmax(worst_root, d);
		}
		total_roots += nbe;

		/* pop on the same curve, against integration of the density */
		if (iter % 3 == 0)
		{
			double		spot = 70 + 60 * unif(),
						v = vols[0],
						T = (double) (h - as_of) / (365 * DAY_US),
						kinks[8],
						p,
						want;
			int			nk = 0;

			for (int i = 0; i < n; i++)
				if (legs[i].kind != 'U' && (legs[i].expiry <= h))
					kinks[nk++] = legs[i].strike;
			p = cn_pop(legs, n, spot, as_of, vols, v, r, q);
			want = ref_pop(&c, spot, (r - q - 0.5 * v * v) * T, v * sqrt(T), kinks, nk);
			UNIT_CHECK(fabs(p - want) <= 1e-8, "first iter %d: pop %.15g, integration %.15g",
					   iter, p, want);
			worst_pop = fmax(worst_pop, fabs(p - want));
			pop_checked++;
		}

		/* a single expiry: the exact algebra, bit for bit */
		if (!live)
		{
			double		a[64];
			int			na = cn_breakevens(legs, n, a, 64),
						ok = na == nbe;

			for (int i = 0; i < na && ok; i++)
				ok = a[i] == be[i];
			UNIT_CHECK(ok && cn_max_profit(legs, n) == mp && cn_max_loss(legs, n) == ml,
					   "first iter %d: single expiry differs from the exact algebra", iter);
		}
	}
	printf("# first expiry: %d random positions (%d with legs outliving the first expiry), "
		   "%d roots: worst root rel diff %.2e, worst extreme err/scale %.2e, "
		   "worst payoff err/scale %.2e; pop on %d: worst |diff| %.2e\n",
		   positions, multi_positions, total_roots, worst_root, worst_ext, worst_pay,
		   pop_checked, worst_pop);

	/*
	 * The calendar: short the October 5800 call at 80, long the November one at
	 * 130, seen from 2025-09-15 14:30 UTC at 14%, r 4.5%, q 1.3%.  At the October expiry it
	 * is in profit on (5661.26, 5977.74) and peaks near +5,922; its max loss is unbounded
	 * (q > 0: the November call grows like S exp(-q t), slower than the October one).
	 */
	{
		const int64_t asof = (int64_t) 811261800 * 1000000;	/* 2025-09-15 14:30 UTC */
		const int64_t oct = (int64_t) 814046400 * 1000000;	/* 2025-10-17 20:00 UTC */
		const int64_t nov = (int64_t) 817074000 * 1000000;	/* 2025-11-21 21:00 UTC */
		cn_leg		cal[2] = {L(-1, 'C', 5800, oct, 80, 100), L(1, 'C', 5800, nov, 130, 100)};
		double		be[8],
					mp,
					ml;
		int			nbe = cn_breakevens_first(cal, 2, asof, NULL, 0.14, 0.045, 0.013, be, 8);

		cn_extremes_first(cal, 2, asof, NULL, 0.14, 0.045, 0.013, &mp, &ml);
		UNIT_CHECK(nbe == 2 && fabs(be[0] - 5661.26) < 0.005 && fabs(be[1] - 5977.74) < 0.005,
				   "issue calendar: %d break-evens %.4f %.4f", nbe, be[0], be[1]);
		UNIT_CHECK(fabs(mp - 5922) < 1 && isinf(ml), "issue calendar: max profit %.2f, loss %g",
				   mp, ml);
		printf("# issue calendar: break-evens %.4f %.4f, max profit %.4f\n", be[0], be[1], mp);
		/*
		 * q = 0: the tail flattens toward the debit less 100 K (1 - e^{-rt}); the worst is
		 * at S = 0, where both calls are worthless: the $5,000 debit
		 */
		cn_extremes_first(cal, 2, asof, NULL, 0.14, 0.045, 0, &mp, &ml);
		UNIT_CHECK(unit_close(ml, 5000, 1e-12, 0), "calendar q = 0: max loss %.17g", ml);
		UNIT_CHECK(cn_expiry_count(cal, 2) == 2 && cn_expiry_count(cal, 1) == 1 &&
				   cn_expiry_count(cal, 0) == 0, "expiry count");

		/*
		 * A November straddle sold, seen at the October expiry (a far October call makes
		 * it the first expiry): a smooth hump around the forward, priced so that its top
		 * is a cent above zero.  Two roots about half a point apart (the curvature is
		 * ~0.3 $/point^2), 9e-5 in log spot where the grid steps 2.7e-3: no grid interval
		 * sees a sign change, only the refinement of the turn finds them.  A cent below
		 * zero there are none.
		 */
		for (int k = 0; k < 2; k++)
		{
			cn_leg		st[3] = {L(-1, 'C', 9000, oct, 0, 100), L(-1, 'C', 5800, nov, 0, 100),
			L(-1, 'P', 5800, nov, 0, 100)};
			double		peak = k == 0 ? 0.01 : -0.01,
						p;

			cn_extremes_first(st, 3, asof, NULL, 0.14, 0.045, 0.013, &mp, &ml);
			st[1].premium = (peak - mp) / 100;
			nbe = cn_breakevens_first(st, 3, asof, NULL, 0.14, 0.045, 0.013, be, 8);
			cn_extremes_first(st, 3, asof, NULL, 0.14, 0.045, 0.013, &mp, &ml);
			p = cn_pop(st, 3, 5800, asof, NULL, 0.14, 0.045, 0.013);
			UNIT_CHECK(fabs(mp - peak) < 1e-8, "straddle hump: peak %.12g", mp);
			if (k == 0)
			{
				UNIT_CHECK(nbe == 2 && be[1] - be[0] > 0.2 && be[1] - be[0] < 1 &&
						   fabs(cn_payoff_first(st, 3, be[0], asof, NULL, 0.14, 0.045, 0.013)) < 1e-9 &&
						   fabs(cn_payoff_first(st, 3, be[1], asof, NULL, 0.14, 0.045, 0.013)) < 1e-9 &&
						   p > 0 && p < 1e-2,
						   "hump a cent above zero: %d roots %.12g %.12g, pop %g", nbe, be[0], be[1], p);
				printf("# hump a cent above zero: roots %.10f and %.10f, pop %.3g\n",
					   be[0], be[1], p);
			}
			else
				UNIT_CHECK(nbe == 0 && p == 0, "hump a cent below zero: %d roots, pop %g", nbe, p);
		}
	}
}

/* ---------------------------------------------------------------- wing test */

static void
test_wing(void)
{
	cn_leg		ic[4] = {L(1, 'P', 90, E1, 0.80, 100), L(-1, 'P', 95, E1, 1.60, 100),
	L(-1, 'C', 105, E1, 1.70, 100), L(1, 'C', 110, E1, 0.75, 100)};
	cn_leg		bull_call[2] = {L(1, 'C', 100, E1, 5, 100), L(-1, 'C', 110, E1, 1.8, 100)};
	cn_leg		bull_put[2] = {L(-1, 'P', 100, E1, 4.5, 100), L(1, 'P', 90, E1, 1.25, 100)};
	cn_leg		naked[3] = {L(-1, 'P', 100, E1, 4.5, 100), L(1, 'P', 90, E1, 1.25, 100),
	L(-1, 'C', 110, E1, 1.8, 100)};
	cn_leg		ladder[3] = {L(-1, 'C', 105, E1, 3, 100), L(-1, 'C', 108, E1, 2, 100),
	L(1, 'C', 115, E1, 1, 100)};
	cn_leg		crossed[4] = {L(-1, 'P', 110, E1, 12, 100), L(1, 'P', 100, E1, 5, 100),
	L(-1, 'C', 90, E1, 12, 100), L(1, 'C', 95, E1, 8, 100)};
	cn_leg		covered[2] = {L(100, 'U', 0, 0, 98.5, 1), L(-1, 'C', 105, E1, 1.5, 100)};
	cn_leg		half_covered[2] = {L(50, 'U', 0, 0, 98.5, 1), L(-1, 'C', 105, E1, 1.5, 100)};
	cn_leg		ratio[2] = {L(1, 'C', 100, E1, 5, 100), L(-2, 'C', 110, E1, 1.8, 100)};
	cn_leg		short_put[1] = {L(-1, 'P', 95, E1, 1.6, 100)};
	cn_leg		put_debit[2] = {L(1, 'P', 100, E1, 4.5, 100), L(-1, 'P', 90, E1, 1.25, 100)};
	cn_leg		long_call[1] = {L(1, 'C', 100, E1, 5, 100)};
	struct
	{
		const char *name;
		cn_leg	   *legs;
		int			n;
		double		spot;
		double		want;		/* NaN = must be NaN */
	}			cs[] = {
		{"condor inside", ic, 4, 100, 0},
		{"condor at short call", ic, 4, 105, 0},
		{"condor call half way", ic, 4, 107.5, 0.5},
		{"condor at long call", ic, 4, 110, 1},
		{"condor beyond long call", ic, 4, 115, 2},
		{"condor at short put", ic, 4, 95, 0},
		{"condor put 0.3", ic, 4, 93.5, 0.3},
		{"condor below long put", ic, 4, 80, 3},
		{"bull put safe", bull_put, 2, 120, 0},
		{"bull put pressed", bull_put, 2, 97.5, 0.25},
		/* covered sides are not under pressure (0.1.0: NULL) */
		{"bull call (debit) above", bull_call, 2, 115, 0},
		{"bull call (debit) between", bull_call, 2, 105, 0},
		{"put debit spread below", put_debit, 2, 80, 0},
		{"covered call above", covered, 2, 120, 0},
		/* naked sides: 0 at or inside the short strike, Infinity beyond (0.1.0: NULL) */
		{"naked call pressed", naked, 3, 112, INFINITY},
		{"naked call at its strike", naked, 3, 110, 0},
		{"naked call, put side safe", naked, 3, 105, 0},
		{"naked call, put side pressed", naked, 3, 95, 0.5},
		{"half-covered call above", half_covered, 2, 106, INFINITY},
		{"1x2 ratio above", ratio, 2, 111, INFINITY},
		{"short put below", short_put, 1, 94.99, INFINITY},
		{"short put inside", short_put, 1, 95, 0},
		{"ladder: lowest short call", ladder, 3, 110, 0.5},
		{"crossed shorts: the larger", crossed, 4, 100, 2},
		{"no short option", long_call, 1, 120, NAN},
	};

	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++)
	{
		double		w = cn_wing_test(cs[i].legs, cs[i].n, cs[i].spot);

		if (isnan(cs[i].want))
			UNIT_CHECK(isnan(w), "wing %s: %g, want NaN", cs[i].name, w);
		else if (isinf(cs[i].want))
			UNIT_CHECK(w == cs[i].want, "wing %s: %.17g want %g", cs[i].name, w, cs[i].want);
		else
			UNIT_CHECK(unit_close(w, cs[i].want, 1e-15, 1e-15), "wing %s: %.17g want %g",
					   cs[i].name, w, cs[i].want);
	}
	{
		cn_leg		st[1] = {L(100, 'U', 0, 0, 99, 1)};

		UNIT_CHECK(isnan(cn_wing_test(st, 1, 100)), "wing: no options");
	}
}

/* ---------------------------------------------------------------- iron condor pick */

static int
make_chain(cn_quote *c, double spot, double vol, double t, double r, double q)
{
	int			n = 0;

	for (double K = 60; K <= 140; K += 2.5)
		for (int om = -1; om <= 1; om += 2)
		{
			cn_greeks	g;
			double		half;

			/* a mild skew so puts and calls differ */
			cn_bsm_greeks(om, spot, K, t, vol * (1 + 0.8 * (spot - K) / spot), r, q, &g);
			half = fmax(0.025, 0.02 * g.price);
			c[n].expiry = E1;
			c[n].cp = om > 0 ? 'C' : 'P';
			c[n].strike = K;
			c[n].bid = fmax(0, g.price - half);
			c[n].ask = g.price + half;
			c[n].delta = g.delta;
			n++;
		}
	return n;
}

static void
test_condor_pick(void)
{
	cn_quote	chain[80],
				shuf[81];
	int			n = make_chain(chain, 100, 0.2, 30 / 365.0, 0.04, 0.01);
	cn_leg		ic[4],
				ic2[4];
	int			rc = cn_iron_condor_pick(chain, n, 0.16, 10, 0, ic);
	const cn_quote *sp = NULL,
			   *sc = NULL;

	/* brute force the shorts: the |delta| nearest 0.16 */
	for (int i = 0; i < n; i++)
	{
		const cn_quote *x = &chain[i];
		const cn_quote **best = x->cp == 'P' ? &sp : &sc;

		if (!*best || fabs(fabs(x->delta) - 0.16) < fabs(fabs((*best)->delta) - 0.16))
			*best = x;
	}
	UNIT_CHECK(rc == 1, "pick: rc %d", rc);
	/*
	 * Hand check (Python, math.erfc): with the skewed vols the put deltas are -0.0878 at
	 * 92.5, -0.1757 at 95, -0.3068 at 97.5 and the call deltas 0.2076 at 105, 0.1021 at
	 * 107.5: the shorts are P95 and C105.
	 */
	UNIT_CHECK(sp && sc && sp->strike == 95 && sc->strike == 105,
			   "brute-force shorts %g %g", sp ? sp->strike : 0, sc ? sc->strike : 0);
	if (rc == 1 && sp && sc)
	{
		/* normalised: C105 short, C115 long, P85 long, P95 short */
		UNIT_CHECK(ic[0].kind == 'C' && ic[0].strike == sc->strike && ic[0].qty == -1 &&
				   ic[1].kind == 'C' && ic[1].strike == sc->strike + 10 && ic[1].qty == 1 &&
				   ic[2].kind == 'P' && ic[2].strike == sp->strike - 10 && ic[2].qty == 1 &&
				   ic[3].kind == 'P' && ic[3].strike == sp->strike && ic[3].qty == -1,
				   "pick legs %c%g %c%g %c%g %c%g", ic[0].kind, ic[0].strike, ic[1].kind,
				   ic[1].strike, ic[2].kind, ic[2].strike, ic[3].kind, ic[3].strike);
		UNIT_CHECK(ic[0].premium == 0.5 * (sc->bid + sc->ask) && ic[0].multiplier == 100 &&
				   ic[0].expiry == E1, "pick mid premium");
		UNIT_CHECK(cn_net_premium(ic, 4) > 0, "condor is a credit");
		UNIT_CHECK(unit_close(cn_max_loss(ic, 4), 1000 - cn_net_premium(ic, 4), 1e-12, 0),
				   "condor max loss %g", cn_max_loss(ic, 4));
	}
	/* natural: credit smaller than at mid; shorts at the bid, longs at the ask */
	rc = cn_iron_condor_pick(chain, n, 0.16, 10, 1, ic2);
	UNIT_CHECK(rc == 1 && cn_net_premium(ic2, 4) < cn_net_premium(ic, 4) &&
			   ic2[0].premium == sc->bid && ic2[1].premium > ic[1].premium,
			   "natural prices");

	/* order independence, a duplicate with a worse market ignored */
	memcpy(shuf, chain, sizeof(cn_quote) * n);
	shuf[n] = *sp;
	shuf[n].bid -= 0.01;
	for (int i = n; i > 0; i--)
	{
		int			j = irand(0, i);
		cn_quote	t = shuf[i];

		shuf[i] = shuf[j];
		shuf[j] = t;
	}
	rc = cn_iron_condor_pick(shuf, n + 1, 0.16, 10, 0, ic2);
	{
		int			ok = rc == 1;

		for (int i = 0; i < 4 && ok; i++)
			ok = same_bits(&ic[i], &ic2[i]);
		UNIT_CHECK(ok, "pick: shuffled chain gives another condor");
	}

	/* wing tie: 95 - 11.25 = 83.75 lies between 82.5 and 85: the wider 82.5 (calls 117.5) */
	rc = cn_iron_condor_pick(chain, n, 0.16, 11.25, 0, ic2);
	UNIT_CHECK(rc == 1 && ic2[2].strike == 82.5 && ic2[1].strike == 117.5,
			   "wing tie: %g %g", ic2[2].strike, ic2[1].strike);
	/* width not on the grid: 95 - 11 = 84 nearest 85, 105 + 11 = 116 nearest 115 */
	rc = cn_iron_condor_pick(chain, n, 0.16, 11, 0, ic2);
	UNIT_CHECK(rc == 1 && ic2[2].strike == 85 && ic2[1].strike == 115, "width 11");

	/* small hand-made chains */
	{
		/*
		 * Deltas are binary fractions so that the tie below is exact, and the nearer-
		 * the-money strike comes first so that "first seen wins" would fail.
		 */
		cn_quote	c[6] = {
			{E1, 'P', 95, 2.0, 2.2, -0.375}, {E1, 'P', 90, 1.0, 1.2, -0.125},
			{E1, 'P', 85, 0.5, 0.6, -0.0625},
			{E1, 'C', 105, 2.0, 2.2, 0.375}, {E1, 'C', 110, 1.0, 1.2, 0.125},
			{E1, 'C', 115, 0.5, 0.6, 0.0625},
		};

		/* |delta| 0.25 is equidistant from 0.125 and 0.375: the farther out (90, 110) */
		rc = cn_iron_condor_pick(c, 6, 0.25, 5, 0, ic2);
		UNIT_CHECK(rc == 1 && ic2[0].strike == 110 && ic2[1].strike == 115 &&
				   ic2[2].strike == 85 && ic2[3].strike == 90, "delta tie");
		/* no wing below the 0.0625-delta put */
		UNIT_CHECK(cn_iron_condor_pick(c, 6, 0.0625, 5, 0, ic2) == 0, "no wing");
		/* an unusable quote, first in the chain and nearest the target, is skipped */
		c[0].delta = NAN;
		rc = cn_iron_condor_pick(c, 6, 0.375, 5, 0, ic2);
		UNIT_CHECK(rc == 1 && ic2[3].strike == 90, "NaN delta skipped: short put %g",
				   ic2[3].strike);
		c[0].delta = -0.375;
		/* no calls */
		UNIT_CHECK(cn_iron_condor_pick(c, 3, 0.125, 5, 0, ic2) == 0, "no calls");
		/* bad parameters */
		UNIT_CHECK(cn_iron_condor_pick(c, 6, 0, 5, 0, ic2) == 0 &&
				   cn_iron_condor_pick(c, 6, 0.1, 0, 0, ic2) == 0 &&
				   cn_iron_condor_pick(c, 6, NAN, 5, 0, ic2) == 0, "bad parameters");
		/* crossed: calls priced as if deep, short call strike below short put */
		c[3].strike = 80;
		UNIT_CHECK(cn_iron_condor_pick(c, 6, 0.375, 5, 0, ic2) == 0, "crossed shorts");
		c[3].strike = 105;
		/*
		 * The half-width rule: short call 6085 with 6090 and 6190 listed above it,
		 * width 50.  The nearest strike to 6135 is 6090, a 5-point wing: take the
		 * nearest at or beyond 6135, 6190 (0.1.0 took 6090).  Without 6190, no condor.
		 */
		{
			cn_quote	w[6] = {
				{E1, 'P', 5465, 33.0, 34.0, -0.16}, {E1, 'P', 5415, 28.5, 29.5, -0.12},
				{E1, 'C', 6085, 20.0, 20.3, 0.16}, {E1, 'C', 6090, 18.9, 19.2, 0.15},
				{E1, 'C', 6190, 4.0, 4.3, 0.04}, {E1, 'P', 5460, 32.0, 33.0, -0.155},
			};

			rc = cn_iron_condor_pick(w, 6, 0.16, 50, 0, ic2);
			UNIT_CHECK(rc == 1 && ic2[0].strike == 6085 && ic2[1].strike == 6190 &&
					   ic2[2].strike == 5415 && ic2[3].strike == 5465,
					   "half-width rule: rc %d, wings %g %g", rc, ic2[1].strike, ic2[2].strike);
			/* the put side without 5415: 5460 is nearest 5415 but 5 wide, none beyond */
			{
				cn_quote	nop[5] = {w[0], w[2], w[3], w[4], w[5]};

				UNIT_CHECK(cn_iron_condor_pick(nop, 5, 0.16, 50, 0, ic2) == 0,
						   "half-width rule: put wing 5460 refused");
			}
			w[4].strike = 6130;		/* 45 wide: nearest, and not narrower than 25 */
			rc = cn_iron_condor_pick(w, 6, 0.16, 50, 0, ic2);
			UNIT_CHECK(rc == 1 && ic2[1].strike == 6130, "45-point wing kept: %g", ic2[1].strike);
			w[4].cp = 'P';			/* no call at or beyond 6135 any more */
			w[4].strike = 5000;
			UNIT_CHECK(cn_iron_condor_pick(w, 6, 0.16, 50, 0, ic2) == 0,
					   "half-width rule: no strike beyond the target, no condor");
		}
		/* mixed expiries */
		c[5].expiry = E2;
		UNIT_CHECK(cn_iron_condor_pick(c, 6, 0.125, 5, 0, ic2) == -1, "mixed expiries");
	}
}

int
main(void)
{
	test_classics();
	test_random_expiry();
	test_normalise();
	test_value_greeks();
	test_pop();
	test_breakevens_at();
	test_first_expiry();
	test_wing();
	test_condor_pick();
	return unit_report("payoff");
}
