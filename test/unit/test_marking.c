/*
 * test_marking.c -- fills from quotes, implied vols of legs from their quotes, the
 * distance to the nearest break-even, time value.
 *
 * Independent checks:
 *   - fills: a table of quotes (two-sided, one-sided, zero bid, crossed, none) against
 *     the conventions written out by hand for a long and a short leg;
 *   - market vols: quotes built around BSM prices at known vols (a symmetric spread, so
 *     the mid is the price) give those vols back, 0DTE to two years, wings included;
 *     quotes below intrinsic or above the maximum give the status, never a number;
 *   - break-even distance: iron condors, whose break-evens are the short strikes -/+
 *     the credit per unit (closed form), at random spots inside and outside them; and
 *     calendars, against a brute-force scan of the first-expiry line (a fine grid in
 *     ln S and bisection), with the sign read from the line at spot;
 *   - time value: call minus put of one strike equals S e^{-qt} - K e^{-rt} - (S - K)
 *     (put-call parity), each leg's value is price - intrinsic, expired legs have none.
 */
#include <stdint.h>

#include "unit.h"
#include "lbr.h"
#include "marking.h"
#include "models.h"
#include "payoff.h"
#include "legs.h"

#define DAY_US	(86400.0 * 1e6)
#define T0		((int64_t) 800000000000000)	/* an arbitrary as_of */

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static double
unif(void)
{
	return unit_unif(&rng_state);
}

/* ---------------------------------------------------------------- fills */

static void
test_fills(void)
{
	/* bid, ask, fill, qty, expected status, expected price */
	static const struct
	{
		double		bid,
					ask;
		cn_fill		fill;
		double		qty;
		cn_quote_status st;
		double		price;
	}			cases[] = {
		{2.0, 2.5, CN_FILL_MID, 1, CN_QUOTE_OK, 2.25},
		{2.0, 2.5, CN_FILL_MID, -1, CN_QUOTE_OK, 2.25},
		{2.0, 2.5, CN_FILL_NATURAL, 1, CN_QUOTE_OK, 2.0},
		{2.0, 2.5, CN_FILL_NATURAL, -3, CN_QUOTE_OK, 2.5},
		{2.0, 2.5, CN_FILL_MARK, 1, CN_QUOTE_OK, 2.25},
		{2.0, 2.5, CN_FILL_MARK, -1, CN_QUOTE_OK, 2.25},
		/* a zero bid: mid is half the ask; mark gives the long nothing, the short the ask */
		{0.0, 0.1, CN_FILL_MID, 1, CN_QUOTE_OK, 0.05},
		{0.0, 0.1, CN_FILL_NATURAL, 1, CN_QUOTE_OK, 0.0},
		{0.0, 0.1, CN_FILL_MARK, 1, CN_QUOTE_OK, 0.0},
		{0.0, 0.1, CN_FILL_MARK, -1, CN_QUOTE_OK, 0.1},
		/* no bid at all */
		{NAN, 0.1, CN_FILL_MID, 1, CN_QUOTE_NO_BID, NAN},
		{NAN, 0.1, CN_FILL_NATURAL, 1, CN_QUOTE_NO_BID, NAN},
		{NAN, 0.1, CN_FILL_NATURAL, -1, CN_QUOTE_OK, 0.1},
		{NAN, 0.1, CN_FILL_MARK, 1, CN_QUOTE_OK, 0.0},
		{NAN, 0.1, CN_FILL_MARK, -1, CN_QUOTE_OK, 0.1},
		/* no ask */
		{3.0, NAN, CN_FILL_MID, 1, CN_QUOTE_NO_ASK, NAN},
		{3.0, NAN, CN_FILL_NATURAL, 1, CN_QUOTE_OK, 3.0},
		{3.0, NAN, CN_FILL_NATURAL, -1, CN_QUOTE_NO_ASK, NAN},
		{3.0, NAN, CN_FILL_MARK, 1, CN_QUOTE_OK, 3.0},
		{3.0, NAN, CN_FILL_MARK, -1, CN_QUOTE_NO_ASK, NAN},
		/* nothing, crossed, locked */
		{NAN, NAN, CN_FILL_MARK, 1, CN_QUOTE_NO_MARKET, NAN},
		{NAN, NAN, CN_FILL_NATURAL, -1, CN_QUOTE_NO_MARKET, NAN},
		{2.6, 2.5, CN_FILL_MID, 1, CN_QUOTE_CROSSED, NAN},
		{2.6, 2.5, CN_FILL_NATURAL, -1, CN_QUOTE_CROSSED, NAN},
		{2.6, 2.5, CN_FILL_MARK, 1, CN_QUOTE_CROSSED, NAN},
		{2.5, 2.5, CN_FILL_MARK, -1, CN_QUOTE_OK, 2.5},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		double		p;
		cn_quote_status st = cn_fill_price(cases[i].qty, cases[i].bid, cases[i].ask,
										   cases[i].fill, &p);

		UNIT_CHECK(st == cases[i].st && (isnan(cases[i].price) ? isnan(p) : p == cases[i].price),
				   "fill case %zu: status %d price %.17g, want %d %.17g", i, (int) st, p,
				   (int) cases[i].st, cases[i].price);
	}
	UNIT_CHECK(strcmp(cn_quote_status_text(CN_QUOTE_NONE), "no quote") == 0, "status text");
}

/* ---------------------------------------------------------------- market vols */

static void
test_market_vols(void)
{
	double		worst = 0.0;
	int			n = 0;

	for (int i = 0; i < 4000; i++)
	{
		double		S = 5800;
		double		days = i % 4 == 0 ? (1 + 400 * unif()) / 1440.0 : 730 * unif() + 0.01;
		int64_t		xp = T0 + (int64_t) (days * DAY_US);
		double		t = cn_act365(T0, xp);
		double		vol = 0.05 + 0.9 * unif();
		double		k = S * exp(vol * sqrt(t) * (6 * unif() - 3));
		char		kind = unif() < 0.5 ? 'C' : 'P';
		cn_leg		l = L(unif() < 0.5 ? 1 : -2, kind, k, xp, 0, 100);
		double		price = cn_bsm_price(kind == 'C' ? 1 : -1, S, k, t, vol, 0.045, 0.013);
		double		half = 0.01 * price;
		double		got;
		cn_quote_status st;
		cn_greeks	g;

		cn_bsm_greeks(kind == 'C' ? 1 : -1, S, k, t, vol, 0.045, 0.013, &g);
		/* only quotes whose price holds the vol: cond = price / (vol vega) below 1e4 */
		if (price < 1e-6 || price / (vol * g.vega * 100) > 1e4)
			continue;
		st = cn_market_vol(&l, S, T0, price - half, price + half, 0.045, 0.013, &got);
		n++;
		UNIT_CHECK(st == CN_QUOTE_OK && unit_close(got, vol, 1e-9, 0),
				   "market vol %c K=%.6g t=%.3g: status %d vol %.17g, want %.17g", kind, k, t,
				   (int) st, got, vol);
		if (st == CN_QUOTE_OK && fabs(got - vol) / vol > worst)
			worst = fabs(got - vol) / vol;
	}
	printf("# market vols: %d quotes, worst relative error %.2g\n", n, worst);
	UNIT_CHECK(n > 2000, "too few market-vol cases: %d", n);

	{
		cn_leg		put = L(-1, 'P', 5000, T0 + (int64_t) (30 * DAY_US), 0, 100);
		cn_leg		call = L(1, 'C', 5000, T0 + (int64_t) (30 * DAY_US), 0, 100);
		cn_leg		gone = L(1, 'C', 5000, T0 - 1, 0, 100);
		cn_leg		stock = L(100, 'U', 0, 0, 5800, 1);
		double		v;

		/* a 5000 call on 5800 below intrinsic (about 814) */
		UNIT_CHECK(cn_market_vol(&call, 5800, T0, 700, 710, 0.045, 0.013, &v) ==
				   CN_QUOTE_BELOW_INTRINSIC && isnan(v), "below intrinsic");
		/* a put above its strike */
		UNIT_CHECK(cn_market_vol(&put, 5800, T0, 5100, 5200, 0.045, 0.013, &v) ==
				   CN_QUOTE_ABOVE_MAX && isnan(v), "above max");
		UNIT_CHECK(cn_market_vol(&put, 5800, T0, NAN, 2, 0.045, 0.013, &v) == CN_QUOTE_NO_BID &&
				   isnan(v), "no bid");
		UNIT_CHECK(cn_market_vol(&put, 5800, T0, 3, 2, 0.045, 0.013, &v) == CN_QUOTE_CROSSED,
				   "crossed");
		UNIT_CHECK(cn_market_vol(&gone, 5800, T0, NAN, NAN, 0.045, 0.013, &v) == CN_QUOTE_OK &&
				   v == 0.0, "expired leg needs no quote");
		UNIT_CHECK(cn_market_vol(&stock, 5800, T0, NAN, NAN, 0.045, 0.013, &v) == CN_QUOTE_OK &&
				   v == 0.0, "stock leg needs no quote");
	}
}

/* ---------------------------------------------------------------- break-even distance */

/* P&L of the first-expiry line, for the brute force */
typedef struct line
{
	const cn_leg *legs;
	int			n;
	int64_t		as_of;
	double		vol,
				r,
				q;
} line;

static double
line_pnl(const line *ln, double S)
{
	return cn_payoff_first(ln->legs, ln->n, S, ln->as_of, NULL, ln->vol, ln->r, ln->q);
}

/* Nearest root of the line to spot in |ln S|: scan outwards on a fine log grid, then bisect. */
static double
brute_nearest(const line *ln, double spot)
{
	double		best = INFINITY;

	for (int dir = -1; dir <= 1; dir += 2)
	{
		double		x0 = log(spot),
					f0 = line_pnl(ln, spot);

		for (int i = 1; i <= 400000; i++)
		{
			double		x1 = log(spot) + dir * i * 2e-5;
			double		f1 = line_pnl(ln, exp(x1));

			if ((f0 < 0) != (f1 < 0))
			{
				double		a = x0,
							b = x1;

				for (int k = 0; k < 200; k++)
				{
					double		m = 0.5 * (a + b);

					if ((line_pnl(ln, exp(m)) < 0) == (f0 < 0))
						a = m;
					else
						b = m;
				}
				if (fabs(0.5 * (a + b) - log(spot)) < best)
					best = fabs(0.5 * (a + b) - log(spot));
				break;
			}
			x0 = x1;
			f0 = f1;
		}
	}
	return best;
}

static void
test_breakeven_distance(void)
{
	double		worst = 0.0;

	/* iron condors: break-evens at the short strikes -/+ the credit per unit */
	for (int i = 0; i < 400; i++)
	{
		int64_t		xp = T0 + (int64_t) ((2 + 60 * unif()) * DAY_US);
		double		sp = 5400 + 200 * unif(),
					sc = 5900 + 200 * unif(),
					w = 25 + 50 * unif();
		double		pp = 20 + 10 * unif(),
					lp = pp - 5 - 5 * unif(),
					pc = 15 + 10 * unif(),
					lc = pc - 5 - 5 * unif();
		cn_leg		legs[4] = {
			L(-1, 'P', sp, xp, pp, 100), L(1, 'P', sp - w, xp, lp, 100),
			L(-1, 'C', sc, xp, pc, 100), L(1, 'C', sc + w, xp, lc, 100)};
		double		credit = pp - lp + pc - lc;
		double		bp = sp - credit,
					bc = sc + credit;
		double		spot = 5200 + 1000 * unif();
		double		vol = 0.08 + 0.3 * unif();
		double		sd = vol * sqrt(cn_act365(T0, xp));
		double		d = fmin(fabs(log(bp / spot)), fabs(log(bc / spot))) / sd;
		double		want = (spot > bp && spot < bc) ? d : -d;
		double		got = cn_breakeven_distance(legs, 4, spot, T0, NULL, vol, 0.045, 0.013);

		/* credit <= w here, so both break-evens lie between the wings */
		UNIT_CHECK(unit_close(got, want, 1e-9, 1e-12),
				   "condor %d: distance %.17g, want %.17g", i, got, want);
		if (fabs(got - want) > worst * fabs(want))
			worst = fabs(got - want) / fabs(want);
	}
	printf("# break-even distance, 400 condors: worst relative error %.2g\n", worst);

	/* calendars and diagonals: against a brute-force scan of the first-expiry line */
	worst = 0.0;
	for (int i = 0; i < 12; i++)
	{
		int64_t		e1 = T0 + (int64_t) ((5 + 20 * unif()) * DAY_US),
					e2 = e1 + (int64_t) ((20 + 40 * unif()) * DAY_US);
		double		k1 = 5600 + 400 * unif(),
					k2 = k1 + (i % 3 - 1) * 50;
		char		kind = i % 2 ? 'C' : 'P';
		double		vol = 0.1 + 0.2 * unif();
		double		p1 = cn_bsm_price(kind == 'C' ? 1 : -1, 5800, k1, cn_act365(T0, e1), vol, 0.045, 0.013);
		double		p2 = cn_bsm_price(kind == 'C' ? 1 : -1, 5800, k2, cn_act365(T0, e2), vol, 0.045, 0.013);
		cn_leg		legs[2] = {L(-1, kind, k1, e1, p1, 100), L(1, kind, k2, e2, p2, 100)};
		line		ln = {legs, 2, T0, vol, 0.045, 0.013};
		double		spot = 5500 + 600 * unif();
		double		sd = vol * sqrt(cn_act365(T0, e1));
		double		near = brute_nearest(&ln, spot);
		double		want = line_pnl(&ln, spot) < 0 ? -near / sd : near / sd;
		double		got = cn_breakeven_distance(legs, 2, spot, T0, NULL, vol, 0.045, 0.013);

		UNIT_CHECK(unit_close(got, want, 1e-6, 1e-9),
				   "calendar %d: distance %.17g, brute force %.17g", i, got, want);
		if (isfinite(want) && fabs(got - want) > worst * fabs(want))
			worst = fabs(got - want) / fabs(want);
	}
	printf("# break-even distance, 12 calendars against a scan: worst relative error %.2g\n", worst);

	{
		int64_t		xp = T0 + (int64_t) (30 * DAY_US);
		cn_leg		cond[4] = {
			L(-1, 'P', 5500, xp, 20, 100), L(1, 'P', 5450, xp, 15, 100),
			L(-1, 'C', 6000, xp, 18, 100), L(1, 'C', 6050, xp, 13, 100)};
		double		vols[4] = {0.3, 0.2, 0.1, 0.12};
		int			ref = cn_reference_leg(cond, 4, 5800, T0, 0.045, 0.013);
		cn_leg		stock = L(100, 'U', 0, 0, 5800, 1);
		cn_leg		gone = L(1, 'C', 5000, T0 - 1, 1, 100);
		cn_leg		wins[2] = {L(1, 'C', 5000, xp, 0, 100), L(-1, 'C', 5100, xp, 0, 100)};

		/* vols[]: the first expiry's leg nearest the forward sets the scale */
		UNIT_CHECK(ref >= 0 &&
				   cn_breakeven_distance(cond, 4, 5800, T0, vols, 0, 0.045, 0.013) ==
				   cn_breakeven_distance(cond, 4, 5800, T0, NULL, vols[ref], 0.045, 0.013),
				   "vols[] uses the reference leg's vol");
		/* at a break-even (5490 = 5500 - 10 credit): 0 */
		UNIT_CHECK(cn_breakeven_distance(cond, 4, 5490, T0, NULL, 0.2, 0.045, 0.013) == 0.0,
				   "at a break-even");
		/* no vol: infinitely many standard deviations, signed */
		UNIT_CHECK(cn_breakeven_distance(cond, 4, 5800, T0, NULL, 0, 0.045, 0.013) == INFINITY &&
				   cn_breakeven_distance(cond, 4, 5300, T0, NULL, 0, 0.045, 0.013) == -INFINITY,
				   "zero vol");
		UNIT_CHECK(isnan(cn_breakeven_distance(&stock, 1, 5800, T0, NULL, 0.2, 0, 0)) &&
				   isnan(cn_breakeven_distance(&gone, 1, 5800, T0, NULL, 0.2, 0, 0)),
				   "no option leg after as_of: NaN");
		/* a call spread bought for nothing never loses: no break-even beyond 0..5000 */
		UNIT_CHECK(cn_breakeven_distance(wins, 2, 5800, T0, NULL, 0.2, 0.045, 0.013) > 0,
				   "profitable position");
	}
}

/* ---------------------------------------------------------------- time value */

static void
test_extrinsic(void)
{
	for (int i = 0; i < 500; i++)
	{
		double		S = 5800,
					K = 4500 + 2600 * unif(),
					vol = 0.05 + 0.6 * unif();
		int64_t		xp = T0 + (int64_t) ((0.01 + 400 * unif()) * DAY_US);
		double		t = cn_act365(T0, xp);
		cn_leg		c = L(1, 'C', K, xp, 0, 100),
					p = L(1, 'P', K, xp, 0, 100);
		double		pc,
					ic,
					pp,
					ip;
		double		ec = cn_leg_extrinsic(&c, S, T0, vol, 0.045, 0.013, &pc, &ic);
		double		ep = cn_leg_extrinsic(&p, S, T0, vol, 0.045, 0.013, &pp, &ip);
		double		parity = S * exp(-0.013 * t) - K * exp(-0.045 * t) - (S - K);

		UNIT_CHECK(unit_close(ec - ep, parity, 1e-9, 1e-9 * S),
				   "parity K=%.6g t=%.3g: %.17g, want %.17g", K, t, ec - ep, parity);
		UNIT_CHECK(ec == pc - ic && ic == fmax(S - K, 0.0) && ip == fmax(K - S, 0.0),
				   "extrinsic is price - intrinsic");
	}
	{
		int64_t		xp = T0 + (int64_t) (30 * DAY_US);
		cn_leg		legs[3] = {L(-2, 'P', 5500, xp, 20, 100), L(1, 'C', 5700, T0 - 1, 15, 100),
		L(100, 'U', 0, 0, 5800, 1)};
		double		p,
					k;
		double		want = -2 * 100 * cn_leg_extrinsic(&legs[0], 5800, T0, 0.2, 0.045, 0.013, &p, &k);

		UNIT_CHECK(cn_extrinsic(legs, 3, 5800, T0, NULL, 0.2, 0.045, 0.013) == want,
				   "position time value: only the live option leg counts");
		UNIT_CHECK(cn_leg_extrinsic(&legs[1], 5800, T0, 0.2, 0, 0, &p, &k) == 0.0 && p == 100 &&
				   k == 100, "expired leg: intrinsic, no time value");
	}
}

int
main(void)
{
	test_fills();
	test_market_vols();
	test_breakeven_distance();
	test_extrinsic();
	return unit_report("marking");
}
