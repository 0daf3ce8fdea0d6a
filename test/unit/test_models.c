/*
 * test_models.c -- European prices and Greeks against test/reference (CONDOR_REFDIR).
 *
 * Each value is checked with |x - truth| <= rtol |truth| + atol scale, where scale is the
 * natural size of that quantity (the reference README's table).  rtol is the bar:
 * 1e-12 for prices and first-order Greeks, 1e-10 for second-order ones.  atol covers what
 * a relative bound cannot: 1e-15 of the price scale (values down to 1e-31 of spot in the
 * far wings), and for Greeks 1e-11 of their scale, because when sigma sqrt(T) is tiny the
 * rounding of S/K alone moves d1 by eps/(sigma sqrt T) -- conditioning of the problem,
 * not of the code.  The worst errors are printed as '#' lines for the README.
 */
#include "unit.h"
#include "models.h"
#include "normal.h"

typedef struct worst
{
	const char *name;
	double		rel;			/* worst |err|/|truth| where value > 1e-8 spot */
	double		mixed;			/* worst |err|/(rtol |t| + atol scale) */
} worst;

#define W(n) {n, 0, 0}

static void
check(worst *w, const char *file, int id, double got, double want, double rtol,
	  double atol, double scale, int rel_ok)
{
	double		err = fabs(got - want);
	double		bound = rtol * fabs(want) + atol * scale;

	UNIT_CHECK(!isnan(got) && err <= bound,
			   "%s id %d %s: got %.17g want %.17g err %.3g bound %.3g",
			   file, id, w->name, got, want, err, bound);
	if (bound > 0 && err / bound > w->mixed)
		w->mixed = err / bound;
	if (rel_ok && want != 0 && err / fabs(want) > w->rel)
		w->rel = err / fabs(want);
	/* The bar for prices: 1e-12 relative wherever the value exceeds 1e-8 spot. */
	if (rel_ok && strcmp(w->name, "price") == 0)
		UNIT_CHECK(err <= 1e-12 * fabs(want), "%s id %d price: relative error %.3g",
				   file, id, err / fabs(want));
}

static void
report(const char *file, worst *w, int n)
{
	for (int i = 0; i < n; i++)
		printf("# %s %-6s worst rel (value > 1e-8 spot) %.2e, worst err/bound %.3f\n",
			   file, w[i].name, w[i].rel, w[i].mixed);
}

/*
 * Prices of the rows whose normalised moneyness h = |ln(F/K)|/s and t = s/2 lie in the
 * disc h^2 + t^2 <= 1/2, where the vega exponent is formed plainly (lbr.c): held to
 * the relative bound below against the 50-digit values: measured worst 7.6e-16 over
 * 533 rows of test/reference (eight roundings of the factors and b are 9e-16).
 */
#define DISC_PRICE_RTOL 2e-15

static void
test_bsm(void)
{
	unit_csv	c;
	worst		w[10] = {W("price"), W("delta"), W("gamma"), W("vega"), W("theta"),
	W("rho"), W("phi"), W("vanna"), W("volga"), W("charm")};
	double		wdisc = 0.0;
	int			ndisc = 0;

	unit_csv_open(&c, "bsm_european.csv");
	while (unit_csv_next(&c))
	{
		int			id = atoi(unit_csv_str(&c, "id"));
		double		S = unit_csv_num(&c, "S"),
					K = unit_csv_num(&c, "K"),
					T = unit_csv_num(&c, "T"),
					r = unit_csv_num(&c, "r"),
					q = unit_csv_num(&c, "q"),
					v = unit_csv_num(&c, "sigma");
		int			om = strcmp(unit_csv_str(&c, "type"), "call") == 0 ? 1 : -1;
		double		Dq = exp(-q * T),
					Dr = exp(-r * T),
					sq = sqrt(T);
		double		price = unit_csv_num(&c, "price");
		int			big = price > 1e-8 * S;
		cn_greeks	g;

		cn_bsm_greeks(om, S, K, T, v, r, q, &g);
		check(&w[0], "bsm", id, g.price, price, 1e-12, 1e-15, S * Dq + K * Dr, big);
		{
			/* rows in the disc where lbr.c forms the vega exponent plainly */
			double		x = log(S / K) + (r - q) * T,
						s = v * sq,
						h = s > 0 ? fabs(x) / s : 0.0,
						err = fabs(g.price - price) / price;

			if (big && s > 0 && h * h + 0.25 * s * s <= 0.5)
			{
				ndisc++;
				UNIT_CHECK(err <= DISC_PRICE_RTOL, "bsm id %d (h^2 + t^2 <= 1/2): price relative error %.3g",
						   id, err);
				if (err > wdisc)
					wdisc = err;
			}
		}
		UNIT_CHECK(g.price == cn_bsm_price(om, S, K, T, v, r, q),
				   "bsm id %d: price and greeks.price differ", id);
		check(&w[1], "bsm", id, g.delta, unit_csv_num(&c, "delta"), 1e-12, 1e-11, Dq, big);
		check(&w[2], "bsm", id, g.gamma, unit_csv_num(&c, "gamma"), 1e-10, 1e-11,
			  Dq / (S * v * sq), big);
		check(&w[3], "bsm", id, g.vega, 0.01 * unit_csv_num(&c, "vega"), 1e-12, 1e-11,
			  0.01 * S * Dq * sq, big);
		check(&w[4], "bsm", id, g.theta, unit_csv_num(&c, "theta") / 365.0, 1e-12, 1e-11,
			  (S * Dq * v / (2 * sq) + fabs(r) * K * Dr + fabs(q) * S * Dq) / 365.0, big);
		check(&w[5], "bsm", id, g.rho, 0.01 * unit_csv_num(&c, "rho"), 1e-12, 1e-11,
			  0.01 * K * T * Dr, big);
		check(&w[6], "bsm", id, g.phi, 0.01 * unit_csv_num(&c, "dividend_rho"), 1e-12,
			  1e-11, 0.01 * S * T * Dq, big);
		check(&w[7], "bsm", id, g.vanna, 0.01 * unit_csv_num(&c, "vanna"), 1e-10, 1e-11,
			  0.01 * Dq / v, big);
		check(&w[8], "bsm", id, g.volga, 1e-4 * unit_csv_num(&c, "volga"), 1e-10, 1e-11,
			  1e-4 * S * Dq * sq / v, big);
		check(&w[9], "bsm", id, g.charm, unit_csv_num(&c, "charm") / 365.0, 1e-10, 1e-11,
			  Dq * (fabs(q) + fabs(r - q) / (v * sq) + 1 / T) / 365.0, big);
	}
	report("bsm", w, 10);
	printf("# bsm price where h^2 + t^2 <= 1/2 (plain vega exponent): %d rows, worst rel %.2e (tolerance %.0e)\n",
		   ndisc, wdisc, DISC_PRICE_RTOL);
	UNIT_CHECK(ndisc >= 50, "bsm: only %d rows in the near-the-money disc", ndisc);
}

static void
test_black76(void)
{
	unit_csv	c;
	worst		w[6] = {W("price"), W("delta"), W("gamma"), W("vega"), W("theta"), W("rho")};

	unit_csv_open(&c, "black76.csv");
	while (unit_csv_next(&c))
	{
		int			id = atoi(unit_csv_str(&c, "id"));
		double		F = unit_csv_num(&c, "F"),
					K = unit_csv_num(&c, "K"),
					T = unit_csv_num(&c, "T"),
					r = unit_csv_num(&c, "r"),
					v = unit_csv_num(&c, "sigma");
		int			om = strcmp(unit_csv_str(&c, "type"), "call") == 0 ? 1 : -1;
		double		D = exp(-r * T),
					sq = sqrt(T),
					P = D * (F + K);
		double		price = unit_csv_num(&c, "price");
		int			big = price > 1e-8 * F;
		cn_greeks	g;

		cn_black76_greeks(om, F, K, T, v, r, &g);
		check(&w[0], "b76", id, g.price, price, 1e-12, 1e-15, P, big);
		UNIT_CHECK(g.price == cn_black76_price(om, F, K, T, v, r),
				   "b76 id %d: price and greeks.price differ", id);
		check(&w[1], "b76", id, g.delta, unit_csv_num(&c, "delta"), 1e-12, 1e-11, D, big);
		check(&w[2], "b76", id, g.gamma, unit_csv_num(&c, "gamma"), 1e-10, 1e-11,
			  D / (F * v * sq), big);
		check(&w[3], "b76", id, g.vega, 0.01 * unit_csv_num(&c, "vega"), 1e-12, 1e-11,
			  0.01 * D * F * sq, big);
		check(&w[4], "b76", id, g.theta, unit_csv_num(&c, "theta") / 365.0, 1e-12, 1e-11,
			  (fabs(r) * P + D * F * v / (2 * sq)) / 365.0, big);
		check(&w[5], "b76", id, g.rho, 0.01 * unit_csv_num(&c, "rho"), 1e-12, 1e-11,
			  0.01 * T * P, big);
	}
	report("b76", w, 6);
}

static void
test_bachelier(void)
{
	unit_csv	c;
	worst		w[6] = {W("price"), W("delta"), W("gamma"), W("vega"), W("theta"), W("rho")};

	unit_csv_open(&c, "bachelier.csv");
	while (unit_csv_next(&c))
	{
		int			id = atoi(unit_csv_str(&c, "id"));
		double		F = unit_csv_num(&c, "F"),
					K = unit_csv_num(&c, "K"),
					T = unit_csv_num(&c, "T"),
					r = unit_csv_num(&c, "r"),
					v = unit_csv_num(&c, "sigma_n");
		int			om = strcmp(unit_csv_str(&c, "type"), "call") == 0 ? 1 : -1;
		double		D = exp(-r * T),
					sq = sqrt(T),
					P = D * (fabs(F - K) + v * sq);
		double		price = unit_csv_num(&c, "price");
		/* "spot" for a normal model: the price scale |F-K| + sigma_n sqrt(T) */
		int			big = price > 1e-8 * P;
		cn_greeks	g;

		cn_bachelier_greeks(om, F, K, T, v, r, &g);
		check(&w[0], "bach", id, g.price, price, 1e-12, 1e-15, P, big);
		check(&w[1], "bach", id, g.delta, unit_csv_num(&c, "delta"), 1e-12, 1e-11, D, big);
		check(&w[2], "bach", id, g.gamma, unit_csv_num(&c, "gamma"), 1e-10, 1e-11,
			  D / (v * sq), big);
		check(&w[3], "bach", id, g.vega, 0.01 * unit_csv_num(&c, "vega"), 1e-12, 1e-11,
			  0.01 * D * sq, big);
		check(&w[4], "bach", id, g.theta, unit_csv_num(&c, "theta") / 365.0, 1e-12, 1e-11,
			  (fabs(r) * P + D * v / (2 * sq)) / 365.0, big);
		check(&w[5], "bach", id, g.rho, 0.01 * unit_csv_num(&c, "rho"), 1e-12, 1e-11,
			  0.01 * T * P, big);
	}
	report("bach", w, 6);
}

/* Every field finite (or a documented infinity) over a stress grid. */
static int
all_finite(const cn_greeks *g)
{
	const double *f = &g->price;

	for (int i = 0; i < CN_GREEKS_N; i++)
		if (!isfinite(f[i]))
			return 0;
	return 1;
}

static int
no_nan(const cn_greeks *g)
{
	const double *f = &g->price;

	for (int i = 0; i < CN_GREEKS_N; i++)
		if (isnan(f[i]))
			return 0;
	return 1;
}

static void
test_limits(void)
{
	cn_greeks	g,
				h;
	static const double ks[] = {4000, 5000, 5000.000001, 6000};
	static const double ts[] = {1e-300, 1e-12, 1.0 / 525600, 1e-3, 1, 10};
	static const double vs[] = {1e-300, 1e-8, 0.2, 5};

	/* t = 0: intrinsic, exercise indicator, higher Greeks zero */
	cn_bsm_greeks(1, 5000, 4900, 0, 0.2, 0.04, 0.01, &g);
	UNIT_CHECK(g.price == 100 && g.delta == 1 && g.gamma == 0 && g.vega == 0 &&
			   g.theta == 0 && g.charm == 0, "t=0 ITM call");
	cn_bsm_greeks(-1, 5000, 4900, 0, 0.2, 0.04, 0.01, &g);
	UNIT_CHECK(g.price == 0 && g.delta == 0, "t=0 OTM put");
	cn_bsm_greeks(1, 5000, 5000, 0, 0.2, 0.04, 0.01, &g);
	UNIT_CHECK(g.price == 0 && g.delta == 0.5, "t=0 ATM call delta 1/2");

	/* continuity in t -> 0 and vol -> 0 */
	for (int om = -1; om <= 1; om += 2)
		for (int k = 0; k < 4; k++)
		{
			cn_bsm_greeks(om, 5000, ks[k], 0, 0.2, 0.04, 0.01, &g);
			cn_bsm_greeks(om, 5000, ks[k], 1e-300, 0.2, 0.04, 0.01, &h);
			UNIT_CHECK(unit_close(h.price, g.price, 1e-15, 1e-12) &&
					   unit_close(h.delta, g.delta, 1e-15, 1e-12),
					   "t->0 continuity om %d K %g: %.17g vs %.17g", om, ks[k], h.price, g.price);
			cn_bsm_greeks(om, 5000, ks[k], 0.5, 0.0, 0.04, 0.01, &g);
			cn_bsm_greeks(om, 5000, ks[k], 0.5, 1e-300, 0.04, 0.01, &h);
			UNIT_CHECK(unit_close(h.price, g.price, 1e-15, 1e-12) &&
					   unit_close(h.delta, g.delta, 1e-15, 1e-12) &&
					   unit_close(h.theta, g.theta, 1e-15, 1e-12),
					   "vol->0 continuity om %d K %g: %.17g vs %.17g", om, ks[k], h.price, g.price);
			/* a few roundings of exp() on terms of size S+K: atol 1e-15 (S+K) */
			UNIT_CHECK(unit_close(g.price, fmax(om * (5000 * exp(-0.01 * 0.5) - ks[k] * exp(-0.04 * 0.5)), 0),
								  0, 1e-15 * (5000 + ks[k])),
					   "vol=0 is discounted forward intrinsic: %.17g", g.price);
		}

	/* no NaN anywhere on a stress grid; put/call parity holds */
	for (int k = 0; k < 4; k++)
		for (int i = 0; i < 6; i++)
			for (int j = 0; j < 4; j++)
			{
				double		c,
							p,
							fwd;

				cn_bsm_greeks(1, 5000, ks[k], ts[i], vs[j], 0.045, 0.013, &g);
				cn_bsm_greeks(-1, 5000, ks[k], ts[i], vs[j], 0.045, 0.013, &h);
				/* finite from 1e-12 years (30 microseconds) up; never NaN */
				UNIT_CHECK(ts[i] < 1e-12 ? (no_nan(&g) && no_nan(&h)) : (all_finite(&g) && all_finite(&h)),
						   "non-finite Greek K %g t %g vol %g", ks[k], ts[i], vs[j]);
				c = g.price;
				p = h.price;
				fwd = 5000 * exp(-0.013 * ts[i]) - ks[k] * exp(-0.045 * ts[i]);
				UNIT_CHECK(fabs((c - p) - fwd) <= 1e-12 * (5000 + ks[k]),
						   "parity K %g t %g vol %g: c-p %.17g fwd %.17g", ks[k], ts[i], vs[j], c - p, fwd);
				UNIT_CHECK(c >= 0 && p >= 0, "negative price");
			}

	/* Bachelier: negative forward and strike are fine */
	cn_bachelier_greeks(1, -0.5, -0.6, 1, 0.2, 0.01, &g);
	UNIT_CHECK(all_finite(&g) && g.price > 0.1 * exp(-0.01), "bachelier negative F");
	/*
	 * far OTM (d = -20): s phi(d)/d^2 (1 - 3/d^2 + 15/d^4 - 105/d^6 + 945/d^8), whose
	 * next term is 10395/d^10 = 1e-10 relative
	 */
	cn_bachelier_greeks(1, 100, 200, 1, 5, 0.0, &g);
	UNIT_CHECK(all_finite(&g) && unit_close(g.price, 5 * exp(-200) / CN_SQRT2PI / 400 *
											(1 - 3.0 / 400 + 15.0 / 160000 - 105.0 / 64e6 + 945.0 / 2.56e10), 1e-9, 0),
			   "bachelier far OTM %g", g.price);
}

/*
 * cn_norm_cdf_pdf, which the Greeks use to share one exponential between Phi(d1) and
 * phi(d1), gives the bits of cn_norm_cdf and cn_norm_pdf: on a dense grid over every
 * branch (the centre |x| <= 0.663, both tails, the underflow below -38.5 and above
 * 38.6) and at the special values.
 */
static void
test_cdf_pdf(void)
{
	static const double special[] = {0.0, -0.0, 0.66291260736239, -0.66291260736239,
		-38.5, -38.500000000000007, 38.6, 38.7, 1e-300, -1e-300, 1e300, -1e300,
	INFINITY, -INFINITY, NAN};
	int			n = 0,
				bad = 0;

	for (int i = -1; i < 400000 + (int) (sizeof(special) / sizeof(special[0])); i++)
	{
		double		x = i < 0 ? 0.0 : i < 400000 ? -45.0 + 90.0 * i / 400000.0 + 1e-7 * (i % 7) :
			special[i - 400000],
					pdf,
					cdf = cn_norm_cdf_pdf(x, &pdf),
					want_cdf = cn_norm_cdf(x),
					want_pdf = cn_norm_pdf(x);

		n++;
		if (memcmp(&cdf, &want_cdf, sizeof(double)) != 0 ||
			memcmp(&pdf, &want_pdf, sizeof(double)) != 0)
		{
			if (bad++ < 5)
				UNIT_CHECK(0, "cn_norm_cdf_pdf(%.17g) = %.17g, %.17g; want %.17g, %.17g",
						   x, cdf, pdf, want_cdf, want_pdf);
		}
	}
	UNIT_CHECK(bad == 0, "cn_norm_cdf_pdf: %d of %d points differ from cn_norm_cdf, cn_norm_pdf",
			   bad, n);
}

int
main(void)
{
	test_cdf_pdf();
	test_bsm();
	test_black76();
	test_bachelier();
	test_limits();
	return unit_report("models");
}
