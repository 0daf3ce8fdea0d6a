/*
 * test_outputs.c -- every output of every numerics entry point is written on every
 * path, and what should be finite is.
 *
 * Each output (struct fields, out-parameters) is filled beforehand with a poison: a
 * NaN carrying a payload no computation produces.  After the call no field may still
 * hold it.  The inputs reach every branch: t = 0, vol = 0, a density that underflows
 * (deep in or out of the money on short expiries), at the money, tiny and huge t and
 * vol; and the error paths of the functions that have them.  Where a tiny Greek is
 * representable although the density under it is not (a large spot), the value must
 * be the true one: mpmath references (60 digits, on the exact doubles passed).
 */
#include <stdint.h>

#include "unit.h"
#include "american.h"
#include "forward.h"
#include "irr.h"
#include "iv_normal.h"
#include "lbr.h"
#include "models.h"
#include "normal.h"
#include "roots.h"
#include "signals.h"
#include "svi.h"
#include "vix.h"

/* A signalling NaN with a payload: never the result of arithmetic. */
#define POISON_BITS 0x7ff4dead0badf00dULL

static double
poison(void)
{
	uint64_t	b = POISON_BITS;
	double		d;

	memcpy(&d, &b, sizeof(d));
	return d;
}

static int
is_poison(double d)
{
	uint64_t	b;

	memcpy(&b, &d, sizeof(b));
	return b == POISON_BITS;
}

static void
poison_fill(void *p, size_t bytes)
{
	double		d = poison();

	for (size_t i = 0; i + sizeof(double) <= bytes; i += sizeof(double))
		memcpy((char *) p + i, &d, sizeof(double));
}

static const char *const field[CN_GREEKS_N] = {"price", "delta", "gamma", "vega", "theta",
"rho", "phi", "vanna", "volga", "charm"};

/*
 * Every field written; every field finite except the zero-vol spike exactly at the
 * forward (gamma +inf, charm +-inf), allowed when spike is set.
 */
static void
check_greeks(const char *model, const cn_greeks *g, int spike, int om, double S, double K,
			 double t, double vol, double r, double q)
{
	const double *f = &g->price;

	for (int i = 0; i < CN_GREEKS_N; i++)
	{
		int			written = !is_poison(f[i]);
		int			ok = written && (isfinite(f[i]) ||
									 (spike && ((i == 2 && f[i] == INFINITY) ||
												(i == 9 && isinf(f[i])))));

		UNIT_CHECK(ok, "%s om %d S %g K %g t %g vol %g r %g q %g: %s %s (%g)", model, om,
				   S, K, t, vol, r, q, field[i], written ? "not finite" : "not written",
				   f[i]);
	}
}

static void
test_models(void)
{
	static const double Ks[] = {1e-3, 50, 80, 99.99, 100, 100.01, 125, 200, 1e4};
	static const double ts[] = {0, 1e-300, 1e-12, 1.0 / 525600, 1.0 / 365, 0.25, 1, 30};
	static const double vs[] = {0, 1e-300, 1e-8, 0.01, 0.2, 1, 5};
	static const double rs[] = {-0.05, 0, 0.045};
	static const double qs[] = {-0.02, 0, 0.013};
	int			n = 0;

	for (int om = -1; om <= 1; om += 2)
		for (size_t a = 0; a < sizeof(Ks) / sizeof(Ks[0]); a++)
			for (size_t b = 0; b < sizeof(ts) / sizeof(ts[0]); b++)
				for (size_t c = 0; c < sizeof(vs) / sizeof(vs[0]); c++)
					for (size_t d = 0; d < sizeof(rs) / sizeof(rs[0]); d++)
						for (size_t e = 0; e < sizeof(qs) / sizeof(qs[0]); e++)
						{
							double		S = 100,
										K = Ks[a],
										t = ts[b],
										v = vs[c],
										r = rs[d],
										q = qs[e],
										s = v * sqrt(t);
							cn_greeks	g;

							poison_fill(&g, sizeof(g));
							cn_bsm_greeks(om, S, K, t, v, r, q, &g);
							check_greeks("bsm", &g, s == 0 &&
										 cn_log_moneyness(S, K) + (r - q) * t == 0,
										 om, S, K, t, v, r, q);
							if (e == 0)
							{
								poison_fill(&g, sizeof(g));
								cn_black76_greeks(om, S, K, t, v, r, &g);
								check_greeks("black76", &g, s == 0 && S == K, om, S, K, t,
											 v, r, 0);
								poison_fill(&g, sizeof(g));
								/* Bachelier: a normal vol in price units */
								cn_bachelier_greeks(om, S - 100, K - 100, t, 100 * v, r, &g);
								check_greeks("bachelier", &g, s == 0 && K == 100, om, S - 100,
											 K - 100, t, 100 * v, r, 0);
							}
							n++;
						}
	printf("# outputs: %d BSM, %d Black-76 and Bachelier Greek sets, every field written\n",
		   n, n / 3);
}

/*
 * American Greeks on a smaller grid (nine prices each).  The double-boundary case
 * (q < r < 0, a finite-difference solve) only at t = 1: at t = 1e-12 and 1/365 its
 * Greeks take 2 to 10 seconds (see the report of this change).
 */
static void
test_american(void)
{
	static const double Ks[] = {50, 100, 200};
	static const double ts[] = {0, 1e-12, 1.0 / 365, 1};
	static const double vs[] = {0, 0.01, 0.2, 1};
	static const double rq[][2] = {{0.045, 0.013}, {0, 0.02}, {-0.01, -0.02}};

	for (int om = -1; om <= 1; om += 2)
		for (int a = 0; a < 3; a++)
			for (int b = 0; b < 4; b++)
				for (int c = 0; c < 4; c++)
					for (int d = 0; d < 3; d++)
					{
						cn_greeks	g;

						if (d == 2 && b < 3)
							continue;
						poison_fill(&g, sizeof(g));
						cn_american_greeks(om, 100, Ks[a], ts[b], vs[c], rq[d][0], rq[d][1],
										   c % 2 ? CN_AM_FAST : CN_AM_ACCURATE, &g);
						/* the spike needs vol = 0 at the forward: not on this grid */
						check_greeks("american", &g, 0, om, 100, Ks[a], ts[b], vs[c],
									 rq[d][0], rq[d][1]);
					}
}

/*
 * The density underflows (d1 = 38.8) but a spot of 1e300 brings vega, volga and the
 * put's theta back into the double range: the true values, not zeros (mpmath).  The
 * tolerance allows the rounding of d1 itself: d1^2 eps ~ 2e-13 relative.
 */
static void
test_tiny_greeks(void)
{
	cn_greeks	c,
				p;

	poison_fill(&c, sizeof(c));
	poison_fill(&p, sizeof(p));
	cn_bsm_greeks(1, 1e300, 8e299, 1 / 365.0, 0.11, 0.045, 0.013, &c);
	cn_bsm_greeks(-1, 1e300, 8e299, 1 / 365.0, 0.11, 0.045, 0.013, &p);
	check_greeks("bsm", &c, 0, 1, 1e300, 8e299, 1 / 365.0, 0.11, 0.045, 0.013);
	check_greeks("bsm", &p, 0, -1, 1e300, 8e299, 1 / 365.0, 0.11, 0.045, 0.013);
	UNIT_CHECK(unit_close(c.vega, 7.162867128926581e-31, 1e-11, 0) &&
			   unit_close(p.vega, 7.162867128926581e-31, 1e-11, 0),
			   "vega under an underflowing density: %.17g %.17g", c.vega, p.vega);
	UNIT_CHECK(unit_close(c.volga, 9.7883970417578394e-29, 1e-11, 0) &&
			   unit_close(p.volga, 9.7883970417578394e-29, 1e-11, 0),
			   "volga under an underflowing density: %.17g %.17g", c.volga, p.volga);
	UNIT_CHECK(unit_close(p.theta, -3.9364841219443178e-30, 1e-11, 0),
			   "put theta under an underflowing density: %.17g", p.theta);
	/* below the double range they are zeros: gamma 2.4e-625, vanna -4.8e-327 */
	UNIT_CHECK(c.gamma == 0 && p.gamma == 0 && c.vanna == 0 && p.vanna == 0,
			   "gamma %g vanna %g", c.gamma, c.vanna);
	UNIT_CHECK(unit_close(c.theta, -6.3002808007876575e+295, 1e-13, 0) &&
			   unit_close(c.charm, 3.5615169848073208e-5, 1e-13, 0),
			   "call theta %.17g charm %.17g", c.theta, c.charm);

	/* the case: every second-order term is below the double range */
	poison_fill(&c, sizeof(c));
	cn_bsm_greeks(1, 5800, 4640, 1 / 365.0, 0.11, 0.045, 0.013, &c);
	check_greeks("bsm", &c, 0, 1, 5800, 4640, 1 / 365.0, 0.11, 0.045, 0.013);
	UNIT_CHECK(c.gamma == 0 && c.vega == 0 && c.vanna == 0 && c.volga == 0 &&
			   unit_close(c.price, 1160.3654478685475, 1e-14, 0) &&
			   unit_close(c.charm, 3.5615169848073208e-5, 1e-13, 0),
			   "5800/4640: gamma %g vega %g vanna %g volga %g price %.17g charm %.17g",
			   c.gamma, c.vega, c.vanna, c.volga, c.price, c.charm);
	poison_fill(&c, sizeof(c));
	cn_black76_greeks(-1, 20, 60, 1 / 365.0, 0.3, 0.045, &c);
	check_greeks("black76", &c, 0, -1, 20, 60, 1 / 365.0, 0.3, 0.045, 0);
	UNIT_CHECK(c.gamma == 0 && c.vanna == 0 && c.volga == 0, "b76 20/60: %g %g %g",
			   c.gamma, c.vanna, c.volga);
}

/* Statuses and scalar outputs of the solvers and the other numerics. */
static void
test_other_outputs(void)
{
	int			st;
	double		v,
				a,
				b;

	/* implied vols: the status is always set, the vol finite exactly when ok */
	{
		static const double prices[] = {0, 1e-300, 0.5, 5, 50, 99, 100, 150};

		for (size_t i = 0; i < sizeof(prices) / sizeof(prices[0]); i++)
			for (int om = -1; om <= 1; om += 2)
				for (int j = 0; j < 3; j++)
				{
					double		t = j == 0 ? 0 : (j == 1 ? 1e-12 : 1);

					st = -1;
					v = cn_black_implied_vol(prices[i], 100, 90, t, om, &st);
					UNIT_CHECK(st >= CN_IV_OK && st <= CN_IV_FAILED &&
							   (st == CN_IV_OK) == isfinite(v),
							   "black iv %g om %d t %g: status %d vol %g", prices[i], om,
							   t, st, v);
					st = -1;
					v = cn_bachelier_implied_vol(prices[i], 100, 90, t, om, &st);
					UNIT_CHECK(st >= CN_IV_OK && st <= CN_IV_FAILED &&
							   (st == CN_IV_OK) == isfinite(v),
							   "bachelier iv %g om %d t %g: status %d vol %g", prices[i],
							   om, t, st, v);
					st = -1;
					v = cn_american_implied_vol(prices[i], om, 100, 90, t, 0.045, 0.013,
												CN_AM_FAST, &st);
					UNIT_CHECK(st >= CN_AIV_OK && st <= CN_AIV_NOT_CONVERGED &&
							   (st == CN_AIV_OK) == isfinite(v),
							   "american iv %g om %d t %g: status %d vol %g", prices[i],
							   om, t, st, v);
				}
	}

	/* cn_mills_defect: A' on both branches */
	for (double z = 0; z < 40; z += 1.5)
	{
		a = poison();
		(void) cn_mills_defect(z, &a);
		UNIT_CHECK(!is_poison(a) && isfinite(a), "mills defect A'(%g)", z);
	}

	/* Brent: converged always set */
	{
		int			conv = -7;

		(void) cn_brent(NULL, NULL, 0, 1, 0, 1, 0, 0, 10, &conv);
		UNIT_CHECK(conv == 1, "brent converged flag on an exact end: %d", conv);
	}

	/* parity gap: both outputs on the error path too */
	a = b = poison();
	(void) cn_parity_gap(1, 2, 1, 2, 100, 100, 0, &a, &b);
	UNIT_CHECK(!is_poison(a) && !is_poison(b), "parity gap outputs on error");

	/* forward, svi, term structure, irr: results written on the error paths */
	{
		double		k[3] = {90, 100, 110},
					c[3] = {12, 5, 1},
					p[3] = {1, 5, 12};
		cn_forward_result fr;
		cn_svi_fit_result sr;
		cn_svi		sp = {0.04, 0.4, -0.4, 0.05, 0.1};
		double		gmin,
					kmin;

		poison_fill(&fr, sizeof(fr));
		(void) cn_implied_forward(k, c, p, 1, 0.5, 100, &fr, NULL, 0);
		UNIT_CHECK(!is_poison(fr.forward) && !is_poison(fr.discount) &&
				   !is_poison(fr.rate) && !is_poison(fr.dividend_yield) &&
				   !is_poison(fr.residual), "forward result on error");
		poison_fill(&sr, sizeof(sr));
		(void) cn_svi_fit(k, c, NULL, 3, &sr, NULL, 0);
		UNIT_CHECK(!is_poison(sr.p.a) && !is_poison(sr.p.b) && !is_poison(sr.p.rho) &&
				   !is_poison(sr.p.m) && !is_poison(sr.p.sigma) && !is_poison(sr.rmse),
				   "svi result on error");
		gmin = kmin = poison();
		(void) cn_svi_butterfly_free(&sp, &gmin, &kmin);
		UNIT_CHECK(!is_poison(gmin) && !is_poison(kmin), "butterfly outputs");
		v = poison();
		(void) cn_term_vol(k, c, 0, 1, &v, NULL, 0);
		UNIT_CHECK(!is_poison(v), "term vol on error");
		v = poison();
		(void) cn_irr(c, k, 0, 0.1, &v);
		UNIT_CHECK(!is_poison(v), "irr on error");
	}

	/* vix: a malformed state row leaves a defined row */
	{
		double		bad[CN_VIX_ROW_WIDTH] = {0.5, 1, 100, 1, 2, 0.01};
		cn_vix_row	row;
		cn_vix_result res;

		poison_fill(&row, sizeof(row));
		UNIT_CHECK(!cn_vix_row_from_float8(bad, &row) && !is_poison(row.strike) &&
				   !is_poison(row.bid) && !is_poison(row.ask) && !is_poison(row.rate),
				   "vix row on error");
		poison_fill(&res, sizeof(res));
		(void) cn_vix_compute(NULL, 0, 0, 30, &res, NULL, 0);
		UNIT_CHECK(!is_poison(res.index) && !is_poison(res.variance), "vix result on error");
	}

	/* signals: init and load with bad parameters leave a defined state */
	{
		cn_ema		e;
		cn_rsi		r;
		cn_macd		m;
		double		in[8] = {0};
		double		ms,
					sg,
					hi;

		poison_fill(&e, sizeof(e));
		(void) cn_ema_init(&e, 0);
		UNIT_CHECK(!is_poison(e.span) && !is_poison(e.count) && !is_poison(e.value),
				   "ema init on error");
		poison_fill(&e, sizeof(e));
		(void) cn_ema_load(&e, in, 4, 3);
		UNIT_CHECK(!is_poison(e.span) && !is_poison(e.count) && !is_poison(e.value),
				   "ema load on error");
		poison_fill(&r, sizeof(r));
		(void) cn_rsi_init(&r, -1);
		UNIT_CHECK(!is_poison(r.prev) && !is_poison(r.gain) && !is_poison(r.loss),
				   "rsi init on error");
		poison_fill(&r, sizeof(r));
		(void) cn_rsi_load(&r, in, 6, 14);
		UNIT_CHECK(!is_poison(r.prev) && !is_poison(r.gain) && !is_poison(r.loss),
				   "rsi load on error");
		poison_fill(&m, sizeof(m));
		(void) cn_macd_init(&m, 26, 12, 9);
		UNIT_CHECK(!is_poison(m.fast_ema) && !is_poison(m.slow_ema) &&
				   !is_poison(m.signal_ema), "macd init on error");
		poison_fill(&m, sizeof(m));
		(void) cn_macd_load(&m, in, 8, 12, 26, 9);
		UNIT_CHECK(!is_poison(m.fast_ema) && !is_poison(m.slow_ema) &&
				   !is_poison(m.signal_ema), "macd load on error");
		(void) cn_macd_init(&m, 12, 26, 9);
		ms = sg = hi = poison();
		cn_macd_value(&m, &ms, &sg, &hi);
		UNIT_CHECK(!is_poison(ms) && !is_poison(sg) && !is_poison(hi), "macd value");
	}
}

int
main(void)
{
	test_models();
	test_american();
	test_tiny_greeks();
	test_other_outputs();
	return unit_report("outputs");
}
