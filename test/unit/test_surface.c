/*
 * test_surface.c -- implied forward, parity gap, SVI and the term structure of vol.
 *
 * No published reference covers these, so the data are synthetic with known answers:
 * Black prices built from a known forward and rate, SVI points from known parameters,
 * and Gatheral and Jacquier's published counter-example for the butterfly test.  The
 * tolerances are the bars (1e-10 relative for the forward, 1e-8 for SVI
 * parameters); where a bound is wider its measured reason is written beside it.
 */
#include "unit.h"
#include "forward.h"
#include "normal.h"
#include "svi.h"

static unsigned lcg_state = 20240611u;

/* Uniform in [0, 1), deterministic. */
static double
lcg(void)
{
	lcg_state = lcg_state * 1664525u + 1013904223u;
	return (lcg_state >> 8) / 16777216.0;
}

/* ---- implied forward ---- */

#define S0		100.0
#define R0		0.03
#define Q0		0.01
#define T0		0.5

/* Black price with a smile vol = 0.2 + 0.3 ln(K/F)^2. */
static void
chain(int n, double k_lo, double k_hi, double *K, double *C, double *P)
{
	double		F = S0 * exp((R0 - Q0) * T0);
	double		D = exp(-R0 * T0);

	for (int i = 0; i < n; i++)
	{
		double		k,
					vol,
					s,
					d1,
					d2;

		K[i] = k_lo + (k_hi - k_lo) * i / (n - 1);
		k = log(K[i] / F);
		vol = 0.2 + 0.3 * k * k;
		s = vol * sqrt(T0);
		d1 = -k / s + 0.5 * s;
		d2 = d1 - s;
		C[i] = D * (F * cn_norm_cdf(d1) - K[i] * cn_norm_cdf(d2));
		P[i] = D * (K[i] * cn_norm_cdf(-d2) - F * cn_norm_cdf(-d1));
	}
}

static double Kb[1000],
			Cb[1000],
			Pb[1000];

static void
test_forward(void)
{
	double		F = S0 * exp((R0 - Q0) * T0);
	cn_forward_result res;
	char		err[256];
	int			rc,
				bad;
	double		worst_f = 0,
				worst_r = 0,
				rms_f = 0,
				rms_r = 0;

	/* Exact chains: the all-pairs start (161 strikes) and the halves start (801). */
	for (int pass = 0; pass < 2; pass++)
	{
		int			n = pass ? 801 : 161;

		chain(n, 60, 140, Kb, Cb, Pb);
		rc = cn_implied_forward(Kb, Cb, Pb, n, T0, S0, &res, err, sizeof(err));
		UNIT_CHECK(rc == CN_FWD_OK, "exact chain %d: %s", n, err);
		UNIT_CHECK(unit_close(res.forward, F, 1e-10, 0), "n %d F %.17g want %.17g", n,
				   res.forward, F);
		UNIT_CHECK(unit_close(res.discount, exp(-R0 * T0), 1e-10, 0), "n %d D %.17g",
				   n, res.discount);
		UNIT_CHECK(unit_close(res.rate, R0, 1e-10, 0), "n %d r %.17g", n, res.rate);
		UNIT_CHECK(unit_close(res.dividend_yield, Q0, 1e-9, 0), "n %d q %.17g", n,
				   res.dividend_yield);
		UNIT_CHECK(res.strikes_used == n && res.strikes == n && res.residual < 1e-12,
				   "n %d used %d residual %g", n, res.strikes_used, res.residual);
		printf("# forward exact n=%d: F rel err %.1e, r err %.1e, residual %.1e\n", n,
			   fabs(res.forward / F - 1), fabs(res.rate - R0), res.residual);

		/*
		 * 5% corrupted: every 20th strike from a shifted start gets its call or put
		 * moved by 2% to 50% of the underlying (bad prints, stale quotes).  All lie far
		 * outside 3 MAD-sigmas of the exact residuals, so all are dropped and the fit
		 * stays exact.
		 */
		bad = 0;
		for (int i = 7; i < n; i += 20)
		{
			double		shift = (2 + 48 * lcg()) / 100 * S0 * (lcg() < 0.5 ? -1 : 1);

			if (lcg() < 0.5)
				Cb[i] = fmax(0, Cb[i] + shift);
			else
				Pb[i] = fmax(0, Pb[i] + shift);
			bad++;
		}
		rc = cn_implied_forward(Kb, Cb, Pb, n, T0, S0, &res, err, sizeof(err));
		UNIT_CHECK(rc == CN_FWD_OK && res.strikes_used == n - bad,
				   "corrupted: rc %d used %d of %d, %d bad", rc, res.strikes_used, n,
				   bad);
		UNIT_CHECK(unit_close(res.forward, F, 1e-10, 0) &&
				   unit_close(res.rate, R0, 1e-10, 0),
				   "corrupted n %d: F %.17g r %.17g", n, res.forward, res.rate);
		printf("# forward 5%% corrupted n=%d: F rel err %.1e, r err %.1e\n", n,
			   fabs(res.forward / F - 1), fabs(res.rate - R0));
	}

	/*
	 * Noise on every price as well: +-0.005 uniform (half a cent tick), 5% corrupted,
	 * 50 seeds.  OLS theory for 161 strikes over [60, 140]: sd(D) = sd(C-P)/sqrt(Sxx)
	 * = 0.0041/293 = 1.4e-5, so sd(r) = 2.8e-5 and sd(F) = 3.3e-4 (3.3e-6 relative).
	 * Measured over the 50 seeds: rms 3.3e-6 (F) and 2.7e-5 (r), as the theory says,
	 * worst 8.7e-6 and 6.3e-5.  The bounds, 1.5e-5 and 1.2e-4, are about 4.5 sd.
	 */
	for (int seed = 0; seed < 50; seed++)
	{
		chain(161, 60, 140, Kb, Cb, Pb);
		for (int i = 0; i < 161; i++)
		{
			Cb[i] += 0.01 * (lcg() - 0.5);
			Pb[i] = fmax(0, Pb[i] + 0.01 * (lcg() - 0.5));
		}
		for (int i = seed % 20; i < 161; i += 20)
			Cb[i] += (2 + 48 * lcg()) / 100 * S0;
		rc = cn_implied_forward(Kb, Cb, Pb, 161, T0, NAN, &res, err, sizeof(err));
		UNIT_CHECK(rc == CN_FWD_OK, "noisy seed %d: %s", seed, err);
		worst_f = fmax(worst_f, fabs(res.forward / F - 1));
		rms_f += pow(res.forward / F - 1, 2) / 50;
		rms_r += pow(res.rate - R0, 2) / 50;
		worst_r = fmax(worst_r, fabs(res.rate - R0));
		UNIT_CHECK(isnan(res.dividend_yield), "no spot, q %g", res.dividend_yield);
	}
	UNIT_CHECK(worst_f < 1.5e-5 && worst_r < 1.2e-4,
			   "noisy + 5%% corrupted: worst F rel %.2e r %.2e", worst_f, worst_r);
	printf("# forward noisy+corrupted (50 seeds): F rel err worst %.2e rms %.2e, "
		   "r err worst %.2e rms %.2e\n", worst_f, sqrt(rms_f), worst_r, sqrt(rms_r));

	/* Errors. */
	chain(11, 80, 120, Kb, Cb, Pb);
	rc = cn_implied_forward(Kb, Cb, Pb, 1, T0, S0, &res, err, sizeof(err));
	UNIT_CHECK(rc == CN_FWD_EARG && strstr(err, "at least 2"), "n=1: %d %s", rc, err);
	rc = cn_implied_forward(Kb, Cb, Pb, 11, 0, S0, &res, err, sizeof(err));
	UNIT_CHECK(rc == CN_FWD_EARG && strstr(err, "time to expiry"), "t=0: %d %s", rc, err);
	Kb[3] = -5;
	rc = cn_implied_forward(Kb, Cb, Pb, 11, T0, S0, &res, err, sizeof(err));
	UNIT_CHECK(rc == CN_FWD_EROW && strstr(err, "strike -5"), "K<0: %d %s", rc, err);
	for (int i = 0; i < 11; i++)
		Kb[i] = 100;
	rc = cn_implied_forward(Kb, Cb, Pb, 11, T0, S0, &res, err, sizeof(err));
	UNIT_CHECK(rc == CN_FWD_EFEW && strstr(err, "strike 100"), "one strike: %d %s", rc,
			   err);
	chain(11, 80, 120, Kb, Cb, Pb);
	rc = cn_implied_forward(Kb, Pb, Cb, 11, T0, S0, &res, err, sizeof(err));
	UNIT_CHECK(rc == CN_FWD_EDISC && strstr(err, "not positive"),
			   "calls and puts swapped: %d %s", rc, err);
}

static void
test_parity_gap(void)
{
	double		F = 101.0,
				D = 0.98,
				K = 95.0,
				pv = D * (F - K);
	double		conv,
				rev;
	int			rc;

	/* Mids on parity, 0.10 wide: both trades lose the two half-spreads. */
	rc = cn_parity_gap(pv + 3.95, pv + 4.05, 3.95, 4.05, K, F, D, &conv, &rev);
	UNIT_CHECK(rc == 0 && unit_close(conv, -0.10, 0, 1e-12) &&
			   unit_close(rev, -0.10, 0, 1e-12), "fair: %g %g", conv, rev);
	/* Rich call (bid 0.5 over parity): the conversion earns 0.5 - 0.05 - 0.05. */
	rc = cn_parity_gap(pv + 4.50, pv + 4.60, 3.95, 4.05, K, F, D, &conv, &rev);
	UNIT_CHECK(rc == 0 && conv > 0 && rev < 0 && unit_close(conv, 0.45, 0, 1e-12),
			   "rich call: %g %g", conv, rev);
	/* Rich put: the reversal earns. */
	rc = cn_parity_gap(pv + 3.95, pv + 4.05, 4.50, 4.60, K, F, D, &conv, &rev);
	UNIT_CHECK(rc == 0 && rev > 0 && conv < 0 && unit_close(rev, 0.45, 0, 1e-12),
			   "rich put: %g %g", conv, rev);
	/* Sum is minus the two spreads, whatever the prices. */
	rc = cn_parity_gap(7.1, 7.3, 2.2, 2.5, 105, F, D, &conv, &rev);
	UNIT_CHECK(rc == 0 && unit_close(conv + rev, -0.5, 0, 1e-12), "sum %g", conv + rev);
	rc = cn_parity_gap(1, 2, 1, 2, K, F, 0, &conv, &rev);
	UNIT_CHECK(rc == -1 && isnan(conv) && isnan(rev), "D = 0 rejected");
	rc = cn_parity_gap(NAN, 2, 1, 2, K, F, D, &conv, &rev);
	UNIT_CHECK(rc == -1 && isnan(conv), "NaN rejected");
}

/* ---- SVI ---- */

static const cn_svi gj = {-0.0410, 0.1331, 0.3060, 0.3586, 0.4153};

/* The smile's minimum total variance a + b sigma sqrt(1 - rho^2). */
static double
min_variance(const cn_svi *p)
{
	return p->a + p->b * p->sigma * sqrt((1 - p->rho) * (1 + p->rho));
}

/* The largest absolute difference of the five parameters. */
static double
param_err(const cn_svi *p, const cn_svi *q)
{
	return fmax(fmax(fabs(p->a - q->a), fabs(p->b - q->b)),
				fmax(fmax(fabs(p->rho - q->rho), fabs(p->m - q->m)),
					 fabs(p->sigma - q->sigma)));
}

static void
check_fit(const char *name, const cn_svi *truth, int n, double k_lo, double k_hi,
		  int weighted)
{
	double		k[400],
				w[400],
				wt[400];
	cn_svi_fit_result res;
	char		err[256];
	int			rc;

	for (int i = 0; i < n; i++)
	{
		k[i] = k_lo + (k_hi - k_lo) * i / (n - 1);
		w[i] = cn_svi_w(truth, k[i]);
		wt[i] = weighted ? 0.5 + lcg() : 1.0;
	}
	rc = cn_svi_fit(k, w, weighted ? wt : NULL, n, &res, err, sizeof(err));
	UNIT_CHECK(rc == CN_SVI_OK, "%s: %s", name, err);
	UNIT_CHECK(unit_close(res.p.a, truth->a, 0, 1e-8) &&
			   unit_close(res.p.b, truth->b, 0, 1e-8) &&
			   unit_close(res.p.rho, truth->rho, 0, 1e-8) &&
			   unit_close(res.p.m, truth->m, 0, 1e-8) &&
			   unit_close(res.p.sigma, truth->sigma, 0, 1e-8),
			   "%s: a %.12g b %.12g rho %.12g m %.12g sigma %.12g", name, res.p.a,
			   res.p.b, res.p.rho, res.p.m, res.p.sigma);
	UNIT_CHECK(res.rmse < 1e-12 && res.points == n && res.butterfly_free,
			   "%s: rmse %g points %d free %d", name, res.rmse, res.points,
			   res.butterfly_free);
	printf("# svi %s: max param err %.1e, rmse %.1e, %d inner solves\n", name,
		   fmax(fmax(fabs(res.p.a - truth->a), fabs(res.p.b - truth->b)),
				fmax(fmax(fabs(res.p.rho - truth->rho), fabs(res.p.m - truth->m)),
					 fabs(res.p.sigma - truth->sigma))), res.rmse, res.evaluations);
}

static void
test_svi(void)
{
	cn_svi		p1 = {0.04, 0.4, -0.4, 0.05, 0.1};
	cn_svi		p2 = {0.01, 0.15, 0.3, -0.1, 0.25};
	cn_svi		p3 = {0.002, 0.08, -0.9, 0.02, 0.03};	/* short expiry, steep skew */
	double		gmin,
				kmin,
				lo = NAN,
				hi = NAN,
				prev;
	cn_svi_fit_result res;
	char		err[256];
	int			rc;

	/* Evaluation. */
	UNIT_CHECK(unit_close(cn_svi_w(&p1, 0.05), 0.04 + 0.4 * 0.1, 1e-15, 0), "w(m)");
	UNIT_CHECK(unit_close(cn_svi_w(&p1, 0.35), 0.04 + 0.4 * (-0.4 * 0.3 + sqrt(0.1)),
						  1e-15, 0), "w(0.35)");
	UNIT_CHECK(unit_close(cn_svi_vol(&p1, 0.05, 0.5), sqrt(0.08 / 0.5), 1e-15, 0), "vol");
	UNIT_CHECK(isnan(cn_svi_vol(&p1, 0, 0)), "vol at t=0 is NaN");
	{
		cn_svi		neg = {-0.1, 0.1, 0, 0, 0.1};

		UNIT_CHECK(isnan(cn_svi_density(&neg, 0)) && isnan(cn_svi_vol(&neg, 0, 1)),
				   "density and vol NaN where w < 0");
	}

	/* Calibration recovers the parameters of exact points. */
	check_fit("p1 200 pts", &p1, 200, -0.8, 0.6, 0);
	check_fit("p2 200 pts weighted", &p2, 200, -1.0, 1.0, 1);
	check_fit("p3 51 pts", &p3, 51, -0.3, 0.15, 0);
	check_fit("p1 7 pts", &p1, 7, -0.5, 0.5, 0);
	/* Truths on the boundary of the domain: rho = -1 (edge d = -c) and a = 0 (face). */
	{
		cn_svi		edge = {0.02, 0.2, -1.0, 0.1, 0.2};
		cn_svi		face = {0.0, 0.3, 0.2, 0.0, 0.15};

		check_fit("rho=-1 edge", &edge, 100, -0.6, 0.6, 0);
		check_fit("a=0 face", &face, 100, -0.6, 0.6, 0);
	}

	/*
	 * Noisy points (uniform +-2e-4 on w): the fit is a least-squares minimum over a
	 * domain that contains the truth, so its rmse cannot exceed the truth's.
	 */
	{
		double		k[200],
					w[200],
					ss = 0;

		for (int i = 0; i < 200; i++)
		{
			k[i] = -0.8 + 1.4 * i / 199;
			w[i] = cn_svi_w(&p1, k[i]) + 4e-4 * (lcg() - 0.5);
			ss += pow(w[i] - cn_svi_w(&p1, k[i]), 2);
		}
		rc = cn_svi_fit(k, w, NULL, 200, &res, err, sizeof(err));
		UNIT_CHECK(rc == CN_SVI_OK && res.rmse <= sqrt(ss / 200) && res.butterfly_free,
				   "noisy fit: rmse %g vs truth %g", res.rmse, sqrt(ss / 200));
		printf("# svi noisy p1: rmse %.3e (truth %.3e), a %.5f b %.5f rho %.5f m %.5f "
			   "sigma %.5f\n", res.rmse, sqrt(ss / 200), res.p.a, res.p.b, res.p.rho,
			   res.p.m, res.p.sigma);
	}

	/*
	 * The counter-example has a < 0 and a positive minimum variance
	 * (a + b sigma sqrt(1 - rho^2) = 0.0116): inside the fit's domain, so its exact
	 * points come back exactly, butterfly arbitrage and all.  (Before the domain was
	 * a >= 0, the best fit was a = 0 with rmse 5.36e-3.)
	 */
	{
		double		k[101],
					w[101];

		for (int i = 0; i < 101; i++)
		{
			k[i] = -1.5 + 3.0 * i / 100;
			w[i] = cn_svi_w(&gj, k[i]);
		}
		rc = cn_svi_fit(k, w, NULL, 101, &res, err, sizeof(err));
		UNIT_CHECK(rc == CN_SVI_OK && param_err(&res.p, &gj) <= 1e-8 &&
				   res.rmse < 1e-12 && !res.butterfly_free,
				   "gj fit: a %.12g b %.12g rho %.12g m %.12g sigma %.12g rmse %g free %d",
				   res.p.a, res.p.b, res.p.rho, res.p.m, res.p.sigma, res.rmse,
				   res.butterfly_free);
		printf("# svi fit of the a<0 counter-example: max param err %.1e, rmse %.1e\n",
			   param_err(&res.p, &gj), res.rmse);
	}

	/*
	 * Arbitrary data (random convex-ish smiles, random noise, random weights, 12 to
	 * 150 points): whatever the fit, it must lie in the Zeliade domain and be finite.
	 */
	for (int rep = 0; rep < 40; rep++)
	{
		double		k[150],
					w[150],
					wt[150],
					wmax = 0;
		int			n = 12 + (int) (138 * lcg());
		cn_svi		q = {0.05 * lcg(), 0.05 + 0.5 * lcg(), 1.8 * lcg() - 0.9,
		0.4 * lcg() - 0.2, 0.02 + 0.3 * lcg()};

		for (int i = 0; i < n; i++)
		{
			k[i] = -1 + 1.6 * lcg();
			w[i] = fmax(0, cn_svi_w(&q, k[i]) * (1 + 0.3 * (lcg() - 0.5)));
			wt[i] = lcg();
			wmax = fmax(wmax, wt[i] > 0 ? w[i] : 0);
		}
		rc = cn_svi_fit(k, w, wt, n, &res, err, sizeof(err));
		UNIT_CHECK(rc == CN_SVI_OK && isfinite(res.rmse) && res.p.sigma > 0 &&
				   res.p.b >= 0 && fabs(res.p.rho) <= 1 &&
				   min_variance(&res.p) >= -1e-15 * (wmax + res.p.sigma) &&
				   res.p.a <= wmax && res.p.b * (1 + fabs(res.p.rho)) <= 4 * (1 + 1e-12),
				   "random %d (n %d): rc %d a %g b %g rho %g m %g sigma %g rmse %g", rep,
				   n, rc, res.p.a, res.p.b, res.p.rho, res.p.m, res.p.sigma, res.rmse);
	}

	/* Fit errors. */
	{
		double		k[6] = {-0.2, -0.1, 0, 0.1, 0.2, 0.2},
					w[6] = {0.05, 0.045, 0.04, 0.042, 0.046, 0.046},
					wt[6] = {1, 1, 1, 1, 0, 0};

		rc = cn_svi_fit(k, w, wt, 6, &res, err, sizeof(err));
		UNIT_CHECK(rc == CN_SVI_EFEW && strstr(err, "4 distinct"), "few: %d %s", rc, err);
		w[2] = -0.01;
		rc = cn_svi_fit(k, w, NULL, 6, &res, err, sizeof(err));
		UNIT_CHECK(rc == CN_SVI_EROW && strstr(err, "w -0.01"), "w<0: %d %s", rc, err);
	}

	/* Butterfly: Gatheral-Jacquier's counter-example has g < 0 on about (0.64, 1.26). */
	UNIT_CHECK(!cn_svi_butterfly_free(&gj, &gmin, &kmin) && gmin < 0 && kmin > 0.64 &&
			   kmin < 1.26, "gj: g_min %g at %g", gmin, kmin);
	prev = cn_svi_g(&gj, 0.0);
	for (int i = 1; i <= 20000; i++)
	{
		double		k = i * 1e-4;
		double		g = cn_svi_g(&gj, k);

		if (g < 0 && prev >= 0)
			lo = k;
		if (g >= 0 && prev < 0)
			hi = k;
		prev = g;
	}
	UNIT_CHECK(fabs(lo - 0.64) < 0.01 && fabs(hi - 1.26) < 0.01,
			   "gj arbitrage interval (%g, %g)", lo, hi);
	printf("# svi gj: g_min %.4f at k %.4f, g < 0 on (%.4f, %.4f)\n", gmin, kmin, lo, hi);
	UNIT_CHECK(cn_svi_density(&gj, 0.9) < 0, "gj density negative at 0.9");

	UNIT_CHECK(cn_svi_butterfly_free(&p1, &gmin, &kmin) && gmin > 0, "p1 free, g_min %g",
			   gmin);
	UNIT_CHECK(cn_svi_butterfly_free(&p2, NULL, NULL) &&
			   cn_svi_butterfly_free(&p3, NULL, NULL), "p2, p3 free");
	{
		cn_svi		wing = {0.04, 1.8, 0.3, 0, 0.1};	/* right slope 2.34 > 2 */
		cn_svi		neg = {-0.1, 0.1, 0, 0, 0.1};	/* min w = -0.09 */
		cn_svi		bad = {0.04, -0.1, 0, 0, 0.1};

		UNIT_CHECK(!cn_svi_butterfly_free(&wing, &gmin, &kmin) && kmin == INFINITY &&
				   unit_close(gmin, 0.25 - 2.34 * 2.34 / 16, 1e-12, 0),
				   "wing: %g at %g", gmin, kmin);
		UNIT_CHECK(!cn_svi_butterfly_free(&neg, &gmin, NULL) && gmin == -INFINITY,
				   "negative w");
		UNIT_CHECK(!cn_svi_butterfly_free(&bad, &gmin, NULL) && isnan(gmin), "b < 0");
	}

	/*
	 * Density of p1: mass 1 and mean of e^k 1 (the forward is a martingale), by
	 * Simpson's rule with step 0.002 over [-120, 40]; the left tail decays like
	 * exp(-0.46 |k|), so the range matters more than the step.
	 */
	{
		double		h = 0.002,
					mass = 0,
					mean = 0;
		int			steps = (int) (160 / h);

		for (int i = 0; i <= steps; i++)
		{
			double		k = -120 + i * h;
			double		c = (i == 0 || i == steps) ? 1 : (i % 2 ? 4 : 2);
			double		p = cn_svi_density(&p1, k);

			mass += c * p;
			mean += c * p * exp(k);
		}
		mass *= h / 3;
		mean *= h / 3;
		UNIT_CHECK(unit_close(mass, 1, 0, 1e-9) && unit_close(mean, 1, 0, 1e-9),
				   "density mass %.15g mean %.15g", mass, mean);
		printf("# svi density: mass - 1 = %.1e, E[e^k] - 1 = %.1e\n", mass - 1, mean - 1);
	}

	/*
	 * The density is K d2c/dK2 of the undiscounted Black call (F = 1); central
	 * differences with h = 1e-4 K: truncation h^2 c''''/12 is about 1e-7 relative
	 * (c'''' ~ c''/sigma^2 with sigma = 0.1; h = 1e-3 K measured 1.9e-5), rounding
	 * 1e-16 c / h^2 about 1e-8.
	 */
	for (double k = -0.6; k <= 0.6; k += 0.15)
	{
		double		K = exp(k),
					h = 1e-4 * K,
					c[3],
					fd;

		for (int j = 0; j < 3; j++)
		{
			double		Kj = K + (j - 1) * h;
			double		wj = cn_svi_w(&p1, log(Kj));
			double		d1 = -log(Kj) / sqrt(wj) + 0.5 * sqrt(wj);

			c[j] = cn_norm_cdf(d1) - Kj * cn_norm_cdf(d1 - sqrt(wj));
		}
		fd = K * (c[0] - 2 * c[1] + c[2]) / (h * h);
		UNIT_CHECK(unit_close(cn_svi_density(&p1, k), fd, 1e-6, 0),
				   "density at k %g: %.10g vs fd %.10g", k, cn_svi_density(&p1, k), fd);
	}
}

/*
 * The inner problem of the SVI fit (cn_svi_fit_at: m and sigma fixed, exact least
 * squares in (a, d, c) = (a, rho b sigma, b sigma) over a <= max w, the minimum
 * variance a + sqrt(c^2 - d^2) >= 0 and the diamond |d| <= c, |d| <= 4 sigma - c)
 * against an independent solver: for fixed (c, d) the best a is the weighted mean of
 * w - d y - c z clamped to [-sqrt(c^2 - d^2), max w]; what is left is convex in d for
 * fixed c and, minimised over d, convex in c (partial minima of a jointly convex
 * function over a convex set), so nested golden-section searches find the constrained
 * minimum.  The data (noisy smiles, some weights zero, wings too steep for the domain,
 * smiles whose best level is negative, flat data) and (m, sigma) over the whole search
 * box put the minimum on every kind of face: interior, on the cone a^2 + d^2 = c^2
 * (a < 0), on an edge or a vertex of the diamond, and the combinations.  (a = max w is
 * active only for flat data: d y + c z > 0 on the domain, so a fit with a = max w lies
 * above every point.)
 */
typedef struct inner_data
{
	int			n;
	double		y[80],
				z[80],
				w[80],
				wt[80],
				amax,
				swt;
} inner_data;

/*
 * min over a of sum wt (w - a - d y - c z)^2, a between minus sqrt(c^2 - d^2) (the
 * minimum variance a + sqrt(c^2 - d^2) not negative) and max w
 */
static double
inner_g(const inner_data *D, double c, double d)
{
	double		s = 0,
				a,
				f = 0;

	for (int i = 0; i < D->n; i++)
		s += D->wt[i] * (D->w[i] - d * D->y[i] - c * D->z[i]);
	a = fmin(fmax(s / D->swt, -sqrt(fmax(0, (c - fabs(d)) * (c + fabs(d))))), D->amax);
	for (int i = 0; i < D->n; i++)
	{
		double		e = D->w[i] - a - d * D->y[i] - c * D->z[i];

		f += D->wt[i] * e * e;
	}
	return f;
}

/*
 * min over x in [lo, hi] of f(D, a, x), by 120 golden-section steps, the ends included
 * (the brute force's two nested searches)
 */
static double
golden_min(double (*f) (const inner_data *, double, double), const inner_data *D, double a,
		   double lo, double hi)
{
	const double gr = 0.6180339887498949;
	double		lo0 = lo,
				hi0 = hi,
				x1 = hi - gr * (hi - lo),
				x2 = lo + gr * (hi - lo),
				f1 = f(D, a, x1),
				f2 = f(D, a, x2);

	for (int it = 0; it < 120; it++)
	{
		if (f1 <= f2)
		{
			hi = x2;
			x2 = x1;
			f2 = f1;
			x1 = hi - gr * (hi - lo);
			f1 = f(D, a, x1);
		}
		else
		{
			lo = x1;
			x1 = x2;
			f1 = f2;
			x2 = lo + gr * (hi - lo);
			f2 = f(D, a, x2);
		}
	}
	return fmin(fmin(f1, f2), fmin(f(D, a, lo0), f(D, a, hi0)));
}

/* min over |d| <= min(c, 4 sigma - c) of inner_g */
static double
inner_h(const inner_data *D, double c, double sigma)
{
	double		hi = fmax(0, fmin(c, 4 * sigma - c));

	return golden_min(inner_g, D, c, -hi, hi);
}

/* inner_h with sigma first, as golden_min calls it */
static double
inner_h_at(const inner_data *D, double sigma, double c)
{
	return inner_h(D, c, sigma);
}

static double
inner_brute(const inner_data *D, double sigma)
{
	return golden_min(inner_h_at, D, sigma, 0, 4 * sigma);
}

static void
test_svi_inner(void)
{
	double		worst_excess = 0,
				worst_gap = 0;
	int			faces[7] = {0},
				cases = 0;

	for (int rep = 0; rep < 400; rep++)
	{
		double		k[80],
					w[80],
					wt[80],
					k_lo = INFINITY,
					k_hi = -INFINITY,
					span,
					m,
					sigma,
					f_fit = 0,
					f_bf,
					scale = 0;
		int			n = 5 + (int) (75 * lcg()),
					kind = rep % 5,
					rc;
		cn_svi		q = {0.05 * lcg(), 0.05 + 0.5 * lcg(), 1.8 * lcg() - 0.9,
		0.4 * lcg() - 0.2, 0.02 + 0.3 * lcg()};
		cn_svi_fit_result res;
		char		err[256];
		inner_data	D;

		if (kind == 1)
			q.b = 3 + 3 * lcg();	/* wings steeper than the domain allows */
		else if (kind == 2)
			q.a = -0.05 * lcg();	/* best level below zero */
		for (int i = 0; i < n; i++)
		{
			k[i] = -1 + 1.6 * lcg();
			w[i] = fmax(0, cn_svi_w(&q, k[i]) * (1 + (kind == 3 ? 1.0 : 0.2) * (lcg() - 0.5)));
			if (kind == 4)
				w[i] = 0.04;
			wt[i] = lcg() < 0.1 ? 0 : lcg();
		}
		/* at least 5 distinct k with positive weight */
		for (int i = 0; i < 5; i++)
			wt[i] = 0.5 + lcg();
		for (int i = 0; i < n; i++)
			if (wt[i] > 0)
			{
				k_lo = fmin(k_lo, k[i]);
				k_hi = fmax(k_hi, k[i]);
			}
		span = k_hi - k_lo;
		m = k_lo - span + 3 * span * lcg();
		sigma = span * exp(log(1e-4) + log(1e5) * lcg());

		rc = cn_svi_fit_at(k, w, wt, n, m, sigma, &res, err, sizeof(err));
		if (rc == CN_SVI_EFEW)
			continue;			/* z numerically in span(1, y): nothing to compare */
		cases++;
		D.n = 0;
		D.amax = 0;
		D.swt = 0;
		for (int i = 0; i < n; i++)
		{
			double		e;

			if (wt[i] == 0)
				continue;
			D.y[D.n] = (k[i] - m) / sigma;
			D.z[D.n] = sqrt(D.y[D.n] * D.y[D.n] + 1);
			D.w[D.n] = w[i];
			D.wt[D.n] = wt[i];
			D.amax = fmax(D.amax, w[i]);
			D.swt += wt[i];
			scale += wt[i] * w[i] * w[i];
			e = w[i] - cn_svi_w(&res.p, k[i]);
			f_fit += wt[i] * e * e;
			D.n++;
		}
		f_bf = inner_brute(&D, sigma);
		UNIT_CHECK(rc == CN_SVI_OK && res.p.m == m && res.p.sigma == sigma &&
				   min_variance(&res.p) >= -1e-15 * (D.amax + sigma) &&
				   res.p.a <= D.amax && res.p.b >= 0 &&
				   fabs(res.p.rho) <= 1 && res.p.b * (1 + fabs(res.p.rho)) <= 4 * (1 + 1e-12),
				   "inner %d: rc %d a %g b %g rho %g (%s)", rep, rc, res.p.a, res.p.b,
				   res.p.rho, err);
		/* the exact solver must reach the independent minimum (up to rounding) */
		UNIT_CHECK(f_fit <= f_bf * (1 + 1e-9) + 1e-15 * scale,
				   "inner %d (kind %d, n %d, m %g, sigma %g): objective %.17g, independent "
				   "%.17g", rep, kind, D.n, m, sigma, f_fit, f_bf);
		worst_excess = fmax(worst_excess, (f_fit - f_bf) / (f_bf + 1e-15 * scale));
		worst_gap = fmax(worst_gap, (f_bf - f_fit) / (f_fit + 1e-15 * scale));
		/* which faces were active, for the summary line */
		{
			double		c = res.p.b * sigma,
						d = res.p.rho * c,
						tol = 1e-12 * sigma;

			faces[0] += res.p.a < 0 && fabs(min_variance(&res.p)) <= tol;
			faces[1] += res.p.a == D.amax;
			faces[2] += fabs(d) >= c - tol && c > tol;
			faces[3] += fabs(d) >= 4 * sigma - c - tol;
			faces[4] += c <= tol;
			faces[5] += res.p.a < D.amax && fabs(d) < c - tol &&
				fabs(d) < 4 * sigma - c - tol && min_variance(&res.p) > tol;
			faces[6] += res.p.a < 0 && fabs(min_variance(&res.p)) <= tol &&
				fabs(d) >= 4 * sigma - c - tol;
		}
	}
	UNIT_CHECK(cases >= 300 && faces[0] && faces[1] && faces[2] && faces[3] && faces[4] &&
			   faces[5] && faces[6],
			   "inner: %d cases, faces %d %d %d %d %d %d %d", cases, faces[0], faces[1],
			   faces[2], faces[3], faces[4], faces[5], faces[6]);
	printf("# svi inner problem vs nested golden section: %d cases (minimum variance 0 "
		   "with a < 0: %d, a = max w: "
		   "%d, |d| = c: %d, |d| = 4 sigma - c: %d, c = 0: %d, interior: %d; minimum "
		   "variance 0 on |d| = 4 sigma - c: %d); worst excess %.1e, independent worse by "
		   "up to %.1e\n", cases, faces[0], faces[1], faces[2], faces[3], faces[4],
		   faces[5], faces[6], worst_excess, worst_gap);
}

/*
 * Noiseless points of any valid raw SVI come back to 1e-8 in every parameter: b > 0,
 * |rho| < 1, wings within the domain (b (1 + |rho|) < 4), a non-negative minimum
 * variance a + b sigma sqrt(1 - rho^2) -- so a is negative whenever that minimum is
 * below b sigma sqrt(1 - rho^2).  A quarter of the cases have the minimum exactly 0 (on
 * the cone), a third |rho| in [0.9, 0.9999], sigma log-uniform down to 0.005; the
 * points are evenly spaced at most max(sigma, 0.01) apart over m - L1 .. m + L2 with
 * L1, L2 at least max(0.3, 4 sigma), so the curvature around m is sampled.  Then the
 * issue's SPX-like smile (a = -0.02, which the a >= 0 domain fitted as a = 0).
 */
static void
test_svi_valid(void)
{
	double		worst = 0;
	int			cases = 0,
				negative = 0,
				on_cone = 0,
				steep = 0;

	for (int rep = 0; rep < 240; rep++)
	{
		double		k[400],
					w[400];
		cn_svi		q;
		cn_svi_fit_result res;
		char		err[256];
		double		v,
					l1,
					l2,
					h,
					bmax;
		int			n,
					rc;

		q.rho = rep % 3 == 0 ? (lcg() < 0.5 ? -1 : 1) * (1 - pow(10, -1 - 3 * lcg())) :
			1.9 * lcg() - 0.95;
		q.sigma = 0.005 * pow(100, lcg());
		q.m = 0.6 * lcg() - 0.3;
		bmax = fmin(2, 3.9 / (1 + fabs(q.rho)));
		q.b = 0.02 * pow(bmax / 0.02, lcg());
		v = rep % 4 == 1 ? 0 : 1e-4 * pow(500, lcg());
		q.a = v - q.b * q.sigma * sqrt((1 - q.rho) * (1 + q.rho));
		l1 = fmax(0.3, 4 * q.sigma) + 0.5 * lcg();
		l2 = fmax(0.3, 4 * q.sigma) + 0.5 * lcg();
		h = fmin(fmax(q.sigma, 0.01), (l1 + l2) / 30);
		n = (int) ceil((l1 + l2) / h) + 1;
		if (n > 400)
			n = 400;
		for (int i = 0; i < n; i++)
		{
			k[i] = q.m - l1 + (l1 + l2) * i / (n - 1);
			w[i] = cn_svi_w(&q, k[i]);
		}
		rc = cn_svi_fit(k, w, NULL, n, &res, err, sizeof(err));
		UNIT_CHECK(rc == CN_SVI_OK && param_err(&res.p, &q) <= 1e-8,
				   "valid %d (n %d): fit a %.12g b %.12g rho %.12g m %.12g sigma %.12g, "
				   "truth %.12g %.12g %.12g %.12g %.12g, rmse %g", rep, n, res.p.a,
				   res.p.b, res.p.rho, res.p.m, res.p.sigma, q.a, q.b, q.rho, q.m, q.sigma,
				   res.rmse);
		worst = fmax(worst, param_err(&res.p, &q));
		cases++;
		negative += q.a < 0;
		on_cone += v == 0 && q.a < 0;
		steep += fabs(q.rho) >= 0.9;
	}
	printf("# svi valid smiles: %d noiseless cases (a < 0: %d, minimum variance 0: %d, "
		   "|rho| >= 0.9: %d), worst param err %.1e\n", cases, negative, on_cone, steep,
		   worst);

	/* The smile on its grid: k = -0.6 .. 0.4 step 0.0125 */
	{
		cn_svi		spx = {-0.02, 0.2, -0.6, 0.05, 0.2};
		double		k[81],
					w[81];
		cn_svi_fit_result res;
		char		err[256];
		int			rc;

		for (int i = 0; i < 81; i++)
		{
			k[i] = -0.6 + 0.0125 * i;
			w[i] = cn_svi_w(&spx, k[i]);
		}
		rc = cn_svi_fit(k, w, NULL, 81, &res, err, sizeof(err));
		UNIT_CHECK(rc == CN_SVI_OK && param_err(&res.p, &spx) <= 1e-8 && res.rmse < 1e-12,
				   "issue smile: a %.12g b %.12g rho %.12g m %.12g sigma %.12g rmse %g",
				   res.p.a, res.p.b, res.p.rho, res.p.m, res.p.sigma, res.rmse);
		printf("# svi issue smile (a = -0.02): max param err %.1e, rmse %.1e\n",
			   param_err(&res.p, &spx), res.rmse);
	}
}

/*
 * The fit does not depend on the order of its points: the same points permuted (with
 * weights, zero weights, repeated k, a repeated point, -0.0 and 0.0) give bit-identical
 * parameters, rmse and flags.
 */
static void
test_svi_order(void)
{
	cn_svi		p1 = {0.04, 0.4, -0.4, 0.05, 0.1};
	double		k[120],
				w[120],
				wt[120],
				pk[120],
				pw[120],
				pwt[120];
	int			idx[120],
				n = 120,
				differ = 0;
	cn_svi_fit_result ref,
				res;
	char		err[256];
	int			rc;

	for (int i = 0; i < n; i++)
	{
		k[i] = -0.8 + 1.4 * (i % 100) / 99;	/* k repeated for i >= 100 */
		w[i] = cn_svi_w(&p1, k[i]) * (1 + 0.05 * (lcg() - 0.5));
		wt[i] = i % 11 == 0 ? 0 : 0.2 + lcg();
	}
	k[57] = 0.0;
	k[58] = -0.0;
	w[58] = w[57];
	wt[58] = wt[57];
	k[119] = k[3];				/* one point twice */
	w[119] = w[3];
	wt[119] = wt[3];
	rc = cn_svi_fit(k, w, wt, n, &ref, err, sizeof(err));
	UNIT_CHECK(rc == CN_SVI_OK, "order: reference fit %s", err);
	for (int rep = 0; rep < 60; rep++)
	{
		for (int i = 0; i < n; i++)
			idx[i] = rep == 0 ? n - 1 - i : i;
		if (rep > 0)
			for (int i = n - 1; i > 0; i--)
			{
				int			j = (int) (lcg() * (i + 1)),
							t = idx[i];

				idx[i] = idx[j];
				idx[j] = t;
			}
		for (int i = 0; i < n; i++)
		{
			pk[i] = k[idx[i]];
			pw[i] = w[idx[i]];
			pwt[i] = wt[idx[i]];
		}
		rc = cn_svi_fit(pk, pw, pwt, n, &res, err, sizeof(err));
		if (rc != CN_SVI_OK || memcmp(&res.p, &ref.p, sizeof(cn_svi)) != 0 ||
			memcmp(&res.rmse, &ref.rmse, sizeof(double)) != 0 ||
			res.butterfly_free != ref.butterfly_free || res.points != ref.points ||
			res.evaluations != ref.evaluations)
			differ++;
		if (rep < 3 || differ == 1)
			UNIT_CHECK(rc == CN_SVI_OK && memcmp(&res.p, &ref.p, sizeof(cn_svi)) == 0 &&
					   memcmp(&res.rmse, &ref.rmse, sizeof(double)) == 0,
					   "permutation %d: a %.17g b %.17g rho %.17g m %.17g sigma %.17g "
					   "(unpermuted a %.17g b %.17g rho %.17g m %.17g sigma %.17g)", rep,
					   res.p.a, res.p.b, res.p.rho, res.p.m, res.p.sigma, ref.p.a, ref.p.b,
					   ref.p.rho, ref.p.m, ref.p.sigma);
	}
	UNIT_CHECK(differ == 0, "order: %d of 60 permutations give other bits", differ);
	printf("# svi order: 60 permutations of 120 points, %d differ in any bit\n", differ);
}

/* ---- term structure ---- */

static void
test_term(void)
{
	double		t[5] = {0.5, 0.1, 1.0, 0.5, 2.0},
				v[5] = {0.22, 0.2, 0.21, 0.22, 0.215};
	double		out,
				want;
	char		err[256];
	int			rc;

	/* Between tenors: linear in total variance. */
	rc = cn_term_vol(t, v, 5, 0.3, &out, err, sizeof(err));
	want = sqrt((0.2 * 0.2 * 0.1 + (0.22 * 0.22 * 0.5 - 0.2 * 0.2 * 0.1) * 0.5) / 0.3);
	UNIT_CHECK(rc == CN_TERM_OK && unit_close(out, want, 1e-15, 0), "0.3: %.17g %.17g",
			   out, want);
	rc = cn_term_vol(t, v, 5, 1.5, &out, err, sizeof(err));
	want = sqrt((0.21 * 0.21 + (0.215 * 0.215 * 2 - 0.21 * 0.21) * 0.5) / 1.5);
	UNIT_CHECK(rc == CN_TERM_OK && unit_close(out, want, 1e-15, 0), "1.5: %.17g", out);
	/* On a tenor, and flat vol outside. */
	rc = cn_term_vol(t, v, 5, 1.0, &out, err, sizeof(err));
	UNIT_CHECK(rc == CN_TERM_OK && unit_close(out, 0.21, 1e-15, 0), "1.0: %.17g", out);
	rc = cn_term_vol(t, v, 5, 0.01, &out, err, sizeof(err));
	UNIT_CHECK(rc == CN_TERM_OK && out == 0.2, "before: %.17g", out);
	rc = cn_term_vol(t, v, 5, 5.0, &out, err, sizeof(err));
	UNIT_CHECK(rc == CN_TERM_OK && out == 0.215, "after: %.17g", out);
	rc = cn_term_vol(t, v, 1, 5.0, &out, err, sizeof(err));
	UNIT_CHECK(rc == CN_TERM_OK && out == 0.22, "single: %.17g", out);

	/* Errors. */
	v[3] = 0.23;
	rc = cn_term_vol(t, v, 5, 0.3, &out, err, sizeof(err));
	UNIT_CHECK(rc == CN_TERM_EDUP && strstr(err, "tenor 0.5 has two vols"), "dup: %s",
			   err);
	v[3] = 0.22;
	v[4] = 0.14;				/* 0.0392 at 2y < 0.0441 at 1y */
	rc = cn_term_vol(t, v, 5, 0.3, &out, err, sizeof(err));
	UNIT_CHECK(rc == CN_TERM_ECALENDAR && strstr(err, "at t 1 to") && isnan(out),
			   "calendar: %d %s", rc, err);
	v[4] = 0.215;
	t[2] = 0;
	rc = cn_term_vol(t, v, 5, 0.3, &out, err, sizeof(err));
	UNIT_CHECK(rc == CN_TERM_EROW, "t = 0: %d %s", rc, err);
	t[2] = 1;
	rc = cn_term_vol(t, v, 5, -1, &out, err, sizeof(err));
	UNIT_CHECK(rc == CN_TERM_EARG, "target < 0: %d", rc);
	rc = cn_term_vol(t, v, 0, 1, &out, err, sizeof(err));
	UNIT_CHECK(rc == CN_TERM_EARG && strstr(err, "no tenors"), "n = 0: %d", rc);
}

int
main(void)
{
	test_forward();
	test_parity_gap();
	test_svi();
	test_svi_inner();
	test_svi_valid();
	test_svi_order();
	test_term();
	return unit_report("surface");
}
