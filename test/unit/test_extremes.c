/*
 * test_extremes.c -- finite inputs never give NaN, and give an infinity only where the
 * true value is beyond the double range.
 *
 * Every pricing and Greek entry point is swept over a grid of extreme finite values
 * (0 where allowed, -0.0, the smallest subnormal, 1e-320, 1e-300, 1e-12, 1, 1e12,
 * 1e300, 1e308 for spot, strike, t and vol; the same with both signs, and 0.05 and
 * 800, for r and q).  The SQL layer turns an infinite result into SQLSTATE 22003, so
 * the rule checked here is: no NaN, every field written, and a field may be infinite
 * only where an upper bound of its true magnitude, computed independently in
 * logarithms, is itself beyond the double range (the zero-vol spike at the forward
 * apart).  A finite value is checked against put-call parity and the no-arbitrage
 * bounds; a few extreme cases against mpmath (60 digits, on the exact doubles).
 */
#include <float.h>
#include <stdint.h>
#include <time.h>

#include "unit.h"
#include "american.h"
#include "iv_normal.h"
#include "lbr.h"
#include "models.h"
#include "normal.h"

#define LN_MAX		709.782712893384	/* ln DBL_MAX */
#define LN_PHI0		(-0.918938533204673)	/* ln phi(0) */

static const double pos[] = {4.9e-324, 1e-320, 1e-300, 1e-12, 1, 1e12, 1e300, 1e308};
static const double nonneg[] = {-0.0, 0, 4.9e-324, 1e-320, 1e-300, 1e-12, 1, 1e12, 1e300,
1e308};
static const double rates[] = {-1e308, -1e300, -1e12, -800, -1, -1e-12, -1e-300,
	-1e-320, -4.9e-324, -0.0, 0, 4.9e-324, 1e-320, 1e-300, 1e-12, 0.05, 1, 800, 1e12,
1e300, 1e308};

#define NPOS	(int) (sizeof(pos) / sizeof(pos[0]))
#define NNON	(int) (sizeof(nonneg) / sizeof(nonneg[0]))
#define NRATE	(int) (sizeof(rates) / sizeof(rates[0]))

static const char *const field[CN_GREEKS_N] = {"price", "delta", "gamma", "vega", "theta",
"rho", "phi", "vanna", "volga", "charm"};

/* ln of a product's magnitude, each argument > 0 (or 0: -inf) */
static double
lnabs(double x)
{
	return x == 0 ? -INFINITY : log(fabs(x));
}

/* ln(e^a + e^b) without overflow */
static double
lnadd(double a, double b)
{
	double		m = fmax(a, b);

	if (m == -INFINITY)
		return -INFINITY;
	if (m == INFINITY)
		return INFINITY;
	return m + log(exp(a - m) + exp(b - m));
}

/*
 * Upper bounds of ln |field| for the lognormal model (BSM; Black-76 with q = r), from
 * phi <= phi(0), N <= 1, phi(d) |d| <= 0.242, phi(d) d^2 <= 0.54 and |d2| <= |d1| + s:
 * independent of the code's formulas.  lnS, lnK are logs; rt, qt the products (which
 * may be infinite).
 */
static void
lognormal_bounds(double S, double K, double t, double vol, double r, double q, int spike,
				 double *ub)
{
	double		lnS = log(S),
				lnK = log(K),
				rt = r * t,
				qt = q * t,
				lsq = 0.5 * log(t),
				ls = log(vol) + lsq,	/* ln s */
				lsdq = lnS - qt,	/* ln S e^{-qt} */
				lkdr = lnK - rt,
				lphid = lnadd(log(0.242), LN_PHI0 + ls),	/* ln phi(d1)|d2| */
				lphidd = lnadd(log(0.54), log(0.242) + ls);	/* ln phi(d1)|d1 d2| */

	/* vol = 0: no density terms (the spike at the forward is allowed separately) */
	int			dens = vol > 0;

	ub[0] = fmax(lsdq, lkdr);
	ub[1] = -qt;
	ub[2] = dens ? -qt + LN_PHI0 - lnS - ls : -INFINITY;
	ub[3] = dens ? log(0.01) + lsdq + LN_PHI0 + lsq : -INFINITY;
	ub[4] = lnadd(lnadd(dens ? log(0.5) + lsdq + LN_PHI0 + log(vol) - lsq : -INFINITY,
						lnabs(r) + lkdr), lnabs(q) + lsdq) - log(365);
	ub[5] = log(0.01) + fmax(lkdr, lsdq) + log(t) + lnadd(0, 0);	/* B76: t V */
	ub[6] = log(0.01) + lsdq + log(t);
	ub[7] = dens ? log(0.01) - qt + lphid - log(vol) : -INFINITY;
	ub[8] = dens ? log(1e-4) + lsdq + lsq + lphidd - log(vol) : -INFINITY;
	ub[9] = lnadd(lnabs(q) - qt,
				  dens ? -qt + lnadd(lphid - log(2 * t),
									 LN_PHI0 + lnabs(fabs(r - q) <= DBL_MAX ?
													 r - q : DBL_MAX) - ls) : -INFINITY) -
		log(365);
	if (!dens && spike)
	{
		/* the zero-vol limits at the forward: vega S Dq phi(0) sqrt t, vanna half that */
		ub[3] = log(0.01) + lsdq + LN_PHI0 + lsq;
		ub[7] = log(0.005) - qt + LN_PHI0 + lsq;
	}
}

/* Bachelier: F, K any sign; vol in price units */
static void
bachelier_bounds(double F, double K, double t, double vol, double r, double *ub)
{
	double		rt = r * t,
				lsq = 0.5 * log(t),
				ls = log(vol) + lsq,
				lfk = lnadd(lnabs(F), lnabs(K)),	/* >= ln |F - K| */
				lp = -rt + lnadd(lfk, LN_PHI0 + ls);
	int			dens = vol > 0;

	ub[0] = lp;
	ub[1] = -rt;
	ub[2] = dens ? -rt + LN_PHI0 - ls : -INFINITY;
	ub[3] = log(0.01) - rt + lsq + LN_PHI0;
	ub[4] = lnadd(lnabs(r) + lp,
				  dens ? log(0.5) - rt + log(vol) + LN_PHI0 - lsq : -INFINITY) - log(365);
	ub[5] = log(0.01) + log(t) + lp;
	ub[6] = -INFINITY;
	ub[7] = dens ? log(0.01) - rt + log(0.242) - log(vol) : -INFINITY;
	ub[8] = dens ? log(1e-4) - rt + lsq + log(0.54) - log(vol) : -INFINITY;
	ub[9] = lnadd(lnabs(r) - rt, dens ? -rt + log(0.242) - log(2 * t) : -INFINITY) -
		log(365);
}

static int	shown = 0;

/*
 * CONDOR_UNIT_QUICK (set for the sanitizer builds, ten times slower) takes every third
 * rate of the grid instead of all of them.
 */
static int	stride = 1;

/*
 * One set of Greeks: written, no NaN, infinite only where the bound overflows (or the
 * zero-vol spike: gamma +inf and charm +-inf when spike is set).
 */
static void
check(const char *model, const cn_greeks *g, const double *ub, int spike, int om,
	  double a, double b, double t, double v, double r, double q)
{
	const double *f = &g->price;

	for (int i = 0; i < CN_GREEKS_N; i++)
	{
		int			ok;

		if (isnan(f[i]) || (isinf(f[i]) && isnan(ub[i]) && !(spike && (i == 2 || i == 9))))
			ok = 0;			/* a NaN bound would be the oracle's own failure */
		else if (isinf(f[i]))
			ok = (spike && (i == 2 || i == 9)) || ub[i] > LN_MAX - 1e-9;
		else
			/* a price is not negative nor above its bound (to rounding: a subnormal
			 * price is rounded at 4.9e-324) */
			ok = i != 0 || (f[0] >= 0 && f[0] <= exp(ub[0]) * (1 + 1e-9) + 1e-322);
		if (!ok)
		{
			unit_failed++;
			if (shown++ < 40)
				fprintf(stderr, "FAIL %s om %d %.3g %.3g t %.3g vol %.3g r %.3g q %.3g: "
						"%s = %g (bound e^%.4g)\n", model, om, a, b, t, v, r, q, field[i],
						f[i], ub[i]);
		}
		else
			unit_passed++;
	}
}

static void
poison(cn_greeks *g)
{
	double		n = nan("0x4d2");

	for (int i = 0; i < CN_GREEKS_N; i++)
		(&g->price)[i] = n;
}

/* price functions agree with the Greeks' price (they share their paths) */
static void
check_price(const char *model, double p, const cn_greeks *g, int om, double a, double b,
			double t, double v, double r, double q)
{
	UNIT_CHECK(p == g->price || (isnan(p) && isnan(g->price)),
			   "%s om %d %g %g t %g vol %g r %g q %g: price %.17g differs from its "
			   "Greeks' price %.17g", model, om, a, b, t, v, r, q, p, g->price);
}

static void
sweep_european(void)
{
	long		n = 0,
				inf = 0,
				carry_out = 0;

	for (int om = -1; om <= 1; om += 2)
		for (int ia = 0; ia < NPOS; ia++)
			for (int ib = 0; ib < NPOS; ib++)
				for (int it = 0; it < NNON; it++)
					for (int iv = 0; iv < NNON; iv++)
						for (int ir = 0; ir < NRATE; ir += stride)
						{
							double		S = pos[ia],
										K = pos[ib],
										t = nonneg[it],
										v = nonneg[iv],
										r = rates[ir],
										ub[CN_GREEKS_N];
							int			spike0 = v * sqrt(t) == 0 && t > 0;
							cn_greeks	g;

							if (!cn_carry_ok(r, t))
							{
								carry_out++;
								continue;
							}
							for (int iq = 0; iq < NRATE; iq += stride)
							{
								double		q = rates[iq];

								if (!cn_carry_ok(q, t))
								{
									carry_out++;
									continue;
								}

								int			spike = spike0 &&
									cn_log_moneyness(S, K) + (r - q) * t == 0;

								poison(&g);
								cn_bsm_greeks(om, S, K, t, v, r, q, &g);
								lognormal_bounds(S, K, t, v, r, q, spike, ub);
								check("bsm", &g, ub, spike, om, S, K, t, v, r, q);
								if (iq % 5 == 0)
									check_price("bsm", cn_bsm_price(om, S, K, t, v, r, q), &g,
												om, S, K, t, v, r, q);
								for (int i = 0; i < CN_GREEKS_N; i++)
									inf += isinf((&g.price)[i]) != 0;
								n++;
							}
							poison(&g);
							cn_black76_greeks(om, S, K, t, v, r, &g);
							lognormal_bounds(S, K, t, v, r, r, spike0 && S == K, ub);
							check("black76", &g, ub, spike0 && S == K, om, S, K, t, v, r, r);
							check_price("black76", cn_black76_price(om, S, K, t, v, r), &g,
										om, S, K, t, v, r, r);
							for (int sf = -1; sf <= 1; sf += 2)
								for (int sk = -1; sk <= 1; sk += 2)
								{
									poison(&g);
									cn_bachelier_greeks(om, sf * S, sk * K, t, v, r, &g);
									bachelier_bounds(sf * S, sk * K, t, v, r, ub);
									check("bachelier", &g, ub, spike0 && sf * S == sk * K,
										  om, sf * S, sk * K, t, v, r, 0);
									check_price("bachelier",
												cn_bachelier_price(om, sf * S, sk * K, t, v, r),
												&g, om, sf * S, sk * K, t, v, r, 0);
								}
						}
	printf("# extremes: %ld BSM Greek sets (and Black-76, Bachelier) on the grid, %ld "
		   "infinite fields, each where its true value is beyond the double range; %ld "
		   "with |r| t or |q| t beyond 1e5 (22003)\n", n, inf, carry_out);
}

/*
 * Implied vols: every status is a known one; the vol is finite and not negative
 * exactly when the status is ok; the range statuses (22003 in SQL) only where the
 * discount factor or the forward truly leaves the normal range.
 */
static void
sweep_iv(void)
{
	static const double prices[] = {0, 4.9e-324, 1e-300, 1e-12, 0.5, 1, 1e12, 1e300, 1e308};
	long		n = 0,
				ok = 0,
				range = 0;

	for (int om = -1; om <= 1; om += 2)
		for (int ip = 0; ip < 9; ip++)
			for (int ia = 0; ia < NPOS; ia++)
				for (int ib = 0; ib < NPOS; ib++)
					for (int it = 0; it < NNON; it++)
						for (int ir = 0; ir < NRATE; ir += 2 * stride)
						{
							double		p = prices[ip],
										S = pos[ia],
										K = pos[ib],
										t = nonneg[it],
										r = rates[ir];
							int			st;
							double		v;

							for (int iq = 0; iq < NRATE; iq += 4)
							{
								double		q = rates[iq],
											er = exp(r * t),
											F = S * exp(isfinite(r - q) ? (r - q) * t :
														r * t - q * t);

								v = cn_bsm_implied_vol(p, om, S, K, t, r, q, &st);
								UNIT_CHECK(st >= CN_IV_OK && st <= CN_IV_RANGE_FORWARD &&
										   (st == CN_IV_OK) == (isfinite(v) && v >= 0) &&
										   (st != CN_IV_RANGE_RATE ||
											!(er >= DBL_MIN && er <= DBL_MAX)) &&
										   (st != CN_IV_RANGE_FORWARD ||
											!(F >= DBL_MIN && F <= DBL_MAX)),
										   "bsm iv %g om %d S %g K %g t %g r %g q %g: status %d "
										   "vol %g", p, om, S, K, t, r, q, st, v);
								ok += st == CN_IV_OK;
								range += st >= CN_IV_RANGE_RATE;
								n++;
							}
							v = cn_black76_implied_vol(p, om, S, K, t, r, &st);
							UNIT_CHECK(st >= CN_IV_OK && st <= CN_IV_RANGE_RATE &&
									   (st == CN_IV_OK) == (isfinite(v) && v >= 0),
									   "b76 iv %g om %d F %g K %g t %g r %g: status %d vol %g",
									   p, om, S, K, t, r, st, v);
							for (int sg = 0; sg < 4; sg++)
							{
								double		F = sg & 1 ? -S : S,
											KK = sg & 2 ? -K : K;

								v = cn_bachelier_implied_vol_disc(p, om, F, KK, t, r, &st);
								UNIT_CHECK(st >= CN_IV_OK && st <= CN_IV_OVERFLOW &&
										   st != CN_IV_RANGE_FORWARD && st != CN_IV_ABOVE_MAX &&
										   (st == CN_IV_OK) == (isfinite(v) && v >= 0),
										   "bachelier iv %g om %d F %g K %g t %g r %g: status %d "
										   "vol %g", p, om, F, KK, t, r, st, v);
							}
						}
	printf("# extremes: %ld BSM implied vols (and Black-76, Bachelier): %ld found, %ld with "
		   "a discount factor or forward beyond the range (22003)\n", n, ok, range);
}

/*
 * American prices, Greeks and implied vols inside cn_american_range, at its corners and
 * beyond: outside, the range check names an argument; inside, everything finite and
 * quick (a case over 0.5 s fails: the finite-difference fallback once cycled at
 * T = 1.05e-10, 0.8 s a price).
 */
static void
sweep_american(void)
{
	static const double Kr[] = {1e-12, 0.5, 1, 2, 1e12, 2e12};
	static const double ts[] = {0, 4.9e-324, 1e-300, 1e-12, 1.05e-10, 1e-6, 1, 100, 101};
	static const double vs[] = {0, 4.9e-324, 1e-160, 1e-12, 1e-6, 0.2, 10, 11};
	static const double rs[] = {-1.5, -1, -0.3, -0.01, 0, 0.01, 1};
	long		n = 0,
				rejected = 0;
	double		slowest = 0;

	for (int om = -1; om <= 1; om += 2)
		for (int a = 0; a < 6; a++)
			for (int b = 0; b < 9; b++)
				for (int c = 0; c < 8; c++)
					for (int d = 0; d < 7; d++)
						for (int e = 0; e < 7; e++)
						{
							double		S = 100,
										K = 100 * Kr[a],
										t = ts[b],
										v = vs[c],
										r = rs[d],
										q = rs[e],
										p,
										t0;
							int			rc = cn_american_range(S, K, t, v, r, q);
							int			scheme = (a + b + c + d + e) % 2;

							if (rc != CN_AM_RANGE_OK)
							{
								UNIT_CHECK(t > CN_AM_MAX_T || v > CN_AM_MAX_VOL ||
										   v * sqrt(t) > CN_AM_MAX_TOTAL_VOL ||
										   fabs(r) > CN_AM_MAX_RATE || fabs(q) > CN_AM_MAX_RATE ||
										   Kr[a] > CN_AM_MAX_MONEYNESS,
										   "american range %d for a case inside", rc);
								rejected++;
								continue;
							}
							t0 = (double) clock() / CLOCKS_PER_SEC;
							p = cn_american_price(om, S, K, t, v, r, q, scheme);
							t0 = (double) clock() / CLOCKS_PER_SEC - t0;
							slowest = fmax(slowest, t0);
							UNIT_CHECK(isfinite(p) && p >= 0 && t0 < 0.5 &&
									   p >= cn_bsm_price(om, S, K, t, v, r, q) * (1 - 1e-9) -
									   1e-12 * fmax(S, K),
									   "american om %d K %g t %g v %g r %g q %g: %g (%.3f s)",
									   om, K, t, v, r, q, p, t0);
							if ((a * 7 + b + c + d + e) % 11 == 0 || (c < 3 && (d + e) % 3 == 0) ||
								(b < 3 && (d + e) % 3 == 1))
							{
								cn_greeks	g;
								int			st;
								double		iv;

								cn_greeks	e;

								cn_american_greeks(om, S, K, t, v, r, q, scheme, &g);
								/*
								 * within 1e-10 years of expiry, or below a total vol
								 * of 1e-10, the price is the European one where that
								 * is larger, and so are the delta and gamma: their
								 * infinities are the European ones, which
								 * sweep_european checks (a gamma of 1/(S vol sqrt t)
								 * at a subnormal total vol, the zero-vol spike)
								 */
								cn_bsm_greeks(om, S, K, t, v, r, q, &e);
								for (int i = 0; i < CN_GREEKS_N; i++)
									UNIT_CHECK(isfinite((&g.price)[i]) ||
											   ((&g.price)[i] == (&e.price)[i] &&
												v * sqrt(t) < 1e-10),
											   "american greeks om %d K %g t %g v %g r %g q %g: "
											   "%s %g", om, K, t, v, r, q, field[i],
											   (&g.price)[i]);
								iv = cn_american_implied_vol(p * 1.01 + 1e-3, om, S, K, t, r, q,
															 scheme, &st);
								UNIT_CHECK((st == CN_AIV_OK) == isfinite(iv),
										   "american iv status %d vol %g", st, iv);
							}
							n++;
						}
	printf("# extremes: %ld American prices inside the engine's range, slowest %.3f s; %ld "
		   "cases outside rejected by the range check\n", n, slowest, rejected);
}

/* The issue's cases, and the finite answers the old code lost (mpmath, 60 digits). */
static void
issue_cases(void)
{
	cn_greeks	g;
	int			st;

	/* r = 800: the call is worth S e^{-q t} N(d1) - K e^{-800} N(d2) = 100; the put 0 */
	UNIT_CHECK(cn_bsm_price(1, 100, 100, 1, 0.2, 800, 0) == 100.0 &&
			   cn_bsm_price(-1, 100, 100, 1, 0.2, 800, 0) == 0.0,
			   "r = 800: call %.17g put %.17g", cn_bsm_price(1, 100, 100, 1, 0.2, 800, 0),
			   cn_bsm_price(-1, 100, 100, 1, 0.2, 800, 0));
	cn_bsm_greeks(1, 100, 100, 1, 0.2, 800, 0, &g);
	UNIT_CHECK(g.price == 100.0 && g.delta == 1.0 && g.gamma == 0 && isfinite(g.theta),
			   "r = 800 Greeks: %g %g %g %g", g.price, g.delta, g.gamma, g.theta);
	/* a subnormal strike: ln(F/K) = 736.8 is finite, the call worth e^{-rt}(F - K) */
	UNIT_CHECK(cn_black76_price(1, 1, 1e-320, 1, 0.2, 0) == 1.0,
			   "black76 K = 1e-320: %.17g", cn_black76_price(1, 1, 1e-320, 1, 0.2, 0));
	UNIT_CHECK(unit_close(cn_black76_price(1, 1, 1e-320, 1, 0.2, 0.05), exp(-0.05), 1e-15, 0),
			   "black76 K = 1e-320 r 0.05: %.17g", cn_black76_price(1, 1, 1e-320, 1, 0.2, 0.05));
	/* the American call of the issue: t = 1e308 is outside the engine's range */
	UNIT_CHECK(cn_american_range(1, 100, 1e308, 1e-12, 0.2, 0) == CN_AM_RANGE_T,
			   "american t = 1e308 not rejected");
	/* a discount factor e^{800} beyond the range: the put truly overflows, the call not */
	UNIT_CHECK(isinf(cn_bsm_price(-1, 100, 100, 1, 0.2, -800, 0)) &&
			   cn_bsm_price(1, 100, 100, 1, 0.2, -800, 0) < 1e-300,
			   "r = -800: put %g call %g", cn_bsm_price(-1, 100, 100, 1, 0.2, -800, 0),
			   cn_bsm_price(1, 100, 100, 1, 0.2, -800, 0));
	(void) cn_bsm_implied_vol(5, 1, 100, 100, 1, 800, 0, &st);
	UNIT_CHECK(st == CN_IV_RANGE_RATE, "iv with r = 800: status %d", st);
	/*
	 * Exactly at the money in spot with a carry (r - q) t below the double range: x/s is
	 * (r - q) sqrt(t)/vol, not 0 (mpmath; the second-order terms were 0 or 1/2 off)
	 */
	{
		const double tiny = 4.9406564584124654e-324;

		cn_bsm_greeks(-1, tiny, tiny, tiny, 0.2, 1e-12, 0.05, &g);
		UNIT_CHECK(unit_close(g.vanna, 1.551816777506005e-164, 1e-13, 0) &&
				   unit_close(g.charm, 3.6879594420507501e+157, 1e-13, 0),
				   "at the money, tiny carry: vanna %.17g charm %.17g", g.vanna, g.charm);
		cn_bsm_greeks(1, tiny, tiny, tiny, 1e-300, -1e-300, -1e-12, &g);
		UNIT_CHECK(g.delta == 1.0, "at the money, carry 1e126 vols: delta %.17g", g.delta);
		cn_bsm_greeks(1, 1e-12, 1e-12, 1e-320, 1e-320, -1e-300, 0, &g);
		UNIT_CHECK(unit_close(g.vanna, 3.9894894252143441e+177, 1e-13, 0) &&
				   unit_close(g.volga, 3.9894894252143441e-137, 1e-13, 0),
				   "at the money, tiny vol: vanna %.17g volga %.17g", g.vanna, g.volga);
	}
	/* American Greeks at a vol whose relative step underflows (fuzz: volga NaN) */
	cn_american_greeks(-1, 600, 100, 1 / 365.0, 2.2250738585072014e-308, 0, 0, 0, &g);
	UNIT_CHECK(isfinite(g.vega) && isfinite(g.vanna) && isfinite(g.volga),
			   "american greeks at vol 2.2e-308: vega %g vanna %g volga %g", g.vega, g.vanna,
			   g.volga);

	/* Bachelier: F - K = 2e308 overflows; the vol is found from the halves */
	{
		double		v = cn_bachelier_implied_vol(1, -1e308, 1e308, 1, 1, &st);
		cn_greeks	b;

		cn_bachelier_greeks(1, -1e308, 1e308, 1, v, 0, &b);
		UNIT_CHECK(st == CN_IV_OK && isfinite(v) && unit_close(b.price, 1, 1e-9, 0),
				   "bachelier iv with F - K beyond the range: status %d vol %g reprice %.17g",
				   st, v, b.price);
	}
}

int
main(void)
{
	if (getenv("CONDOR_UNIT_QUICK"))
		stride = 3;
	issue_cases();
	sweep_european();
	sweep_iv();
	sweep_american();
	return unit_report("extremes");
}
