/*
 * svi.h -- the raw SVI smile, its calibration, the butterfly (density) test, and
 * term-structure interpolation of implied volatility.  Pure C (no PostgreSQL).
 *
 * Raw SVI (Gatheral 2004) gives the TOTAL implied variance w = sigma_imp^2 t of one
 * expiry as a function of log-moneyness k = ln(K/F):
 *     w(k) = a + b (rho (k - m) + sqrt((k - m)^2 + sigma^2)),
 * with b >= 0, |rho| <= 1, sigma > 0.  Its minimum is a + b sigma sqrt(1 - rho^2) at
 * k = m - rho sigma / sqrt(1 - rho^2); its wings have slopes b (1 - rho) on the left
 * and b (1 + rho) on the right.
 *
 * Calibration (cn_svi_fit): the quasi-explicit method of De Marco and Martini (Zeliade
 * white paper ZWP-0005, 2009).  With y = (k - m)/sigma the smile is linear in
 * (a, d, c) = (a, rho b sigma, b sigma):  w = a + d y + c sqrt(y^2 + 1).  For fixed
 * (m, sigma) the weighted least squares in (a, d, c) is solved EXACTLY on the domain
 *     |d| <= c,  c + |d| <= 4 sigma,  a <= max w,  a + sqrt(c^2 - d^2) >= 0.
 * The first two keep the wings within b (1 + |rho|) <= 4 (Rogers and Tehranchi's bound
 * on the slope of total variance); the last is a non-negative minimum variance,
 * a + b sigma sqrt(1 - rho^2) >= 0, since b sigma sqrt(1 - rho^2) = sqrt(c^2 - d^2):
 * the level a itself may be negative, as it is in most fits of equity index smiles.
 * With a >= 0 the last constraint is the wedge |d| <= c; with a < 0 it is the cone
 * a^2 + d^2 <= c^2 (c >= 0), so the domain is convex (it is
 * sqrt(max(-a, 0)^2 + d^2) <= c cut by two planes and a half-space) and so is the
 * objective.  Its minimum is therefore the minimum over the manifold of its active
 * constraints, and the best feasible manifold minimum: the unconstrained solution if
 * it is feasible; else every flat face, edge and vertex (a free or a = max w, times
 * (c, d) free, on one of the diamond's four edges or at one of its vertices: 18 small
 * linear least squares), the cone alone (parametrised a = s (t^2 - 1), d = 2 s t,
 * c = s (1 + t^2), s >= 0, t in [-1, 1]: s in closed form, t among the roots of a
 * quartic), the cone on either outer edge (a quartic objective along a conic: the
 * roots of a cubic) and the apex.  The polynomials' real roots are isolated between
 * the roots of their derivatives and refined by bracketed Newton to the last bits.
 * The design is factorised once per (m, sigma) by modified Gram-Schmidt on [1 y z | w]
 * (Bjorck's stable least-squares form), so every candidate costs O(1) and the
 * objective never suffers the cancellation of the normal equations.
 * The outer problem in (m, ln sigma) is solved by a 15 x 12 grid over
 * m in [k_min - 0.1 span, k_max + 0.1 span], sigma in [1e-3 span, 2 span] (log),
 * span = k_max - k_min, then Nelder-Mead from the three best grid points, and one
 * restart from the best result; m is kept in [k_min - span, k_max + span] and sigma in
 * [1e-4 span, 10 span].  Entirely deterministic.  Noiseless points of any raw SVI in
 * the domain come back to about 1e-13 in every parameter (test_surface: 240 random
 * smiles, a < 0 in two thirds, minimum variance 0, |rho| up to 0.9999, sigma down to
 * 0.005).
 *
 * Butterfly arbitrage (Gatheral and Jacquier, "Arbitrage-free SVI volatility
 * surfaces", 2014): the density of k is non-negative iff
 *     g(k) = (1 - k w'/(2w))^2 - (w'^2/4)(1/w + 1/4) + w''/2 >= 0   for all k.
 * cn_svi_butterfly_free checks, in this order: valid parameters; w > 0 everywhere
 * (a + b sigma sqrt(1 - rho^2) > 0); the wings, where g tends to 1/4 - s^2/16 for a
 * wing slope s, so b (1 + |rho|) <= 2 (Roger Lee's moment bound for total variance);
 * and g >= -1e-12 on 8001 points k = m + sigma sinh(u), u uniform, out to
 * |k| = 1e4 (3 + |m| + 10 sigma): spacing about 4e-3 sigma around m, where g has
 * its structure, and about 0.4% relative spacing in the wings; every local minimum of the
 * grid below 0.01 (at most 64) is refined by golden-section search between its
 * neighbours.  The -1e-12 allows for the rounding of g (terms of order 1).  A grid
 * cannot prove positivity between its points; a dip narrower than the spacing next to
 * a grid value above 0.01 would be missed.
 */
#ifndef CONDOR_SVI_H
#define CONDOR_SVI_H

typedef struct cn_svi
{
	double		a;
	double		b;
	double		rho;
	double		m;
	double		sigma;
} cn_svi;

typedef struct cn_svi_fit_result
{
	cn_svi		p;
	double		rmse;			/* sqrt(sum weight (w - fit)^2 / sum weight) */
	int			butterfly_free; /* cn_svi_butterfly_free(&p) */
	int			points;			/* points used */
	int			evaluations;	/* inner solves, for the benchmark */
} cn_svi_fit_result;

enum
{
	CN_SVI_OK = 0,
	CN_SVI_EROW = 1,			/* k, w or weight not finite, w or weight < 0 [22023] */
	CN_SVI_EFEW = 2,			/* fewer than 5 distinct k with positive weight
								 * [22023] */
	CN_SVI_ENOMEM = 3,			/* out of memory (malloc) */
	CN_SVI_EARG = 4				/* cn_svi_fit_at: m not finite, or sigma not
								 * positive and finite [22023] */
};

/* Total implied variance w(k), dimensionless. */
extern double cn_svi_w(const cn_svi *p, double k);

/* Implied volatility sqrt(w(k)/t), decimal per year; NaN if t <= 0 or w(k) < 0. */
extern double cn_svi_vol(const cn_svi *p, double k, double t);

/* Gatheral-Jacquier g(k) (above); NaN where w(k) <= 0. */
extern double cn_svi_g(const cn_svi *p, double k);

/*
 * Risk-neutral density of the log-moneyness k = ln(S_T/F) implied by the smile, per
 * unit of k: g(k)/sqrt(2 pi w) exp(-d2^2/2), d2 = -k/sqrt(w) - sqrt(w)/2 (Gatheral-
 * Jacquier eq. 2.1).  The density of S_T at strike K = F e^k is this divided by K.
 * Depends on t only through w, so it takes none.  NaN where w(k) <= 0; negative where
 * the smile has butterfly arbitrage.
 */
extern double cn_svi_density(const cn_svi *p, double k);

/*
 * 1 when the smile is free of butterfly arbitrage (checks above), else 0.  g_min and
 * k_min, when not NULL, receive the smallest g found and where (g_min = -inf, k_min =
 * NaN when the wing or positivity conditions fail; both NaN for invalid parameters).
 */
extern int	cn_svi_butterfly_free(const cn_svi *p, double *g_min, double *k_min);

/*
 * Fits raw SVI to n points (k_i, w_i) with optional weights (NULL: all 1; points of
 * weight 0 are ignored).  Returns CN_SVI_OK and fills *res, else a status code and a
 * message in err (may be NULL).  The points are sorted by (k, w, weight) before any
 * arithmetic, so the result does not depend on their order: a permutation of the
 * input gives bit-identical parameters.  Uses 10n doubles of malloc'ed memory, freed
 * before returning.
 */
extern int	cn_svi_fit(const double *k, const double *w, const double *weight, int n,
					   cn_svi_fit_result *res, char *err, int errlen);

/*
 * The inner problem of cn_svi_fit on its own: the best raw SVI with m and sigma fixed,
 * i.e. the exact weighted least squares in (a, b, rho) over the domain above, for the
 * same points.  Returns CN_SVI_OK and fills *res (evaluations = 1), CN_SVI_EARG for a
 * bad m or sigma, CN_SVI_EFEW also when the design [1 y z] is numerically rank
 * deficient at that (m, sigma), or the statuses of cn_svi_fit.
 */
extern int	cn_svi_fit_at(const double *k, const double *w, const double *weight, int n,
						  double m, double sigma, cn_svi_fit_result *res, char *err,
						  int errlen);

/*
 * Term structure: implied vol at target_t (years) from n points (t_i, vol_i) of one
 * quote time, in any order.  Between listed tenors, linear in total variance
 * vol^2 t (flat forward variance); before the first tenor and after the last, flat
 * vol (the nearest tenor's vol).  Equal tenors must carry equal vols.  Total variance
 * that falls from one tenor to the next (by more than 1e-12 relative) is calendar
 * arbitrage and is rejected with CN_TERM_ECALENDAR naming the two tenors, wherever it
 * is in the curve, so the same data never gives an answer for some targets and an
 * error for others.
 */
enum
{
	CN_TERM_OK = 0,
	CN_TERM_EARG = 1,			/* n < 1, target not positive/finite [22023] */
	CN_TERM_EROW = 2,			/* t <= 0 or vol < 0, or not finite [22023] */
	CN_TERM_EDUP = 3,			/* one tenor with two different vols [22023] */
	CN_TERM_ECALENDAR = 4,		/* total variance decreases [22000] */
	CN_TERM_ENOMEM = 5
};

extern int	cn_term_vol(const double *t, const double *vol, int n, double target_t,
						double *out, char *err, int errlen);

/*
 * Lexicographic order of two points of n finite doubles (a fit's points, sorted so that
 * the same rows in any order give the same bits): the comparator the fits share.
 */
static inline int
cn_lex_cmp(const double *a, const double *b, int n)
{
	for (int i = 0; i < n; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

#endif
