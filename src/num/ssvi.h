/*
 * ssvi.h -- the SSVI volatility surface of Gatheral and Jacquier ("Arbitrage-free SVI
 * volatility surfaces", Quantitative Finance 14(1), 2014): evaluation, the calendar and
 * butterfly arbitrage conditions, and a fit over all the expiries of one quote time.
 * Pure C (no PostgreSQL).
 *
 * The surface gives the total implied variance w = sigma_imp^2 t at log-moneyness
 * k = ln(K/F) and time t (years) as (GJ eq. 4.1)
 *     w(k, t) = theta/2 (1 + rho phi k + sqrt((phi k + rho)^2 + 1 - rho^2)),
 * theta = theta_t the at-the-money total variance (w(0, t) = theta_t) and
 * phi = phi(theta_t) with the power law of GJ section 4.3 (eq. 4.5)
 *     phi(theta) = eta / (theta^gamma (1 + theta)^(1 - gamma)).
 * The power law is chosen over GJ's Heston-like phi because it fits the short end (phi
 * grows like theta^-gamma as theta -> 0, the steep short-dated skew of index options)
 * and its arbitrage conditions have closed forms (below).  Each slice is a raw SVI
 * smile: a = theta (1 - rho^2)/2, b = theta phi/2, rho, m = -rho/phi,
 * sigma = sqrt(1 - rho^2)/phi, so w >= theta (1 - rho^2)/2 > 0.
 *
 * theta_t is a curve through n nodes (t_i, theta_i), t strictly increasing: linear in t
 * between nodes (flat forward variance, as term_vol and cm_vol interpolate), and
 * theta_t = theta_1 t/t_1 before the first node and theta_n t/t_n after the last (flat
 * at-the-money vol, as term_vol extrapolates).  So theta_t runs over (0, inf) as t does,
 * is monotone between the nodes whenever the nodes are, and the arbitrage conditions
 * must hold for every theta > 0.
 *
 * Calendar spreads (GJ Theorem 4.1, necessary and sufficient): theta_t non-decreasing,
 * and 0 <= d/dtheta (theta phi(theta)) <= phi (1 + sqrt(1 - rho^2))/rho^2 for every
 * theta > 0.  With the power law d/dtheta (theta phi) = phi (1 - gamma)/(1 + theta), so
 * the second condition is gamma <= 1 and rho^2 (1 - gamma) <= 1 + sqrt(1 - rho^2)
 * (automatic for gamma >= 0), or eta = 0.
 * Butterflies (GJ Theorem 4.2, sufficient): theta phi (1 + |rho|) < 4 and
 * theta phi^2 (1 + |rho|) <= 4 for every theta > 0.  With the power law
 * theta phi = eta (theta/(1 + theta))^(1 - gamma), whose supremum is eta for gamma < 1
 * (not attained: eta (1 + |rho|) <= 4 suffices), eta for gamma = 1 (attained: < 4) and
 * infinite for gamma > 1; theta phi^2 = eta^2 theta^(1 - 2 gamma) (1 + theta)^(2 gamma - 2),
 * whose supremum is eta^2 M(gamma) with M = (1 - 2 gamma)^(1 - 2 gamma)
 * (2 - 2 gamma)^(2 gamma - 2) (at theta = 1 - 2 gamma) for gamma < 1/2, eta^2 for
 * gamma = 1/2 (as theta -> 0) and infinite for gamma > 1/2.  The first condition is also
 * necessary (GJ Lemma 4.2, Roger Lee's bound); the second is not, so a surface flagged
 * not butterfly-free through it alone may still be free of arbitrage.
 *
 * The fit (cn_ssvi_fit): weighted least squares in w over every point, all parameters
 * at once -- rho, eta, gamma and one theta per expiry -- over the arbitrage-free region:
 * |rho| <= 1 - 1e-6, 0 <= gamma <= 1/2, 0 <= eta <= eta_max(rho, gamma) =
 * min(4/(1 + |rho|), 2/sqrt(M(gamma)(1 + |rho|))), theta non-decreasing in t and at
 * least 1e-12 max w.  So every fitted surface passes both checks.  Starts: theta_i from
 * a raw SVI fit of each expiry with 5 distinct k or more (its w(0); else w interpolated
 * linearly to k = 0, or the point nearest to it); rho the weighted median of those SVI
 * fits' rho, (eta, gamma) by least squares of ln phi_i = ln eta - gamma ln theta_i -
 * (1 - gamma) ln(1 + theta_i) on their phi_i = 2 b_i/theta_i (SSVI data give the exact
 * parameters here); and the best of a 4 x 3 x 4 grid of (rho, gamma, eta/eta_max) with
 * those thetas.  From each start, Levenberg-Marquardt (Marquardt's diagonal scaling;
 * the normal equations solved through the 3 x 3 Schur complement of the diagonal theta
 * block, since each point depends on one theta), every trial point projected onto the
 * region: rho, gamma clamped, then eta to [0, eta_max], the thetas by pool-adjacent-
 * violators (the Euclidean projection onto non-decreasing sequences) and the floor; a
 * parameter on a bound whose gradient points out of the region is held there for the
 * step.  The better of the two ends is the fit.  Entirely deterministic; the points
 * are sorted by (t, k, w, weight) first, so their order does not matter.
 */
#ifndef CONDOR_SSVI_H
#define CONDOR_SSVI_H

typedef struct cn_ssvi
{
	double		rho;
	double		eta;
	double		gamma;
	int			n;				/* nodes of the theta curve, >= 1 */
	const double *t;			/* years, finite, > 0, strictly increasing */
	const double *theta;		/* at-the-money total variance, finite, > 0 */
} cn_ssvi;

enum
{
	CN_SSVI_OK = 0,
	CN_SSVI_EROW = 1,			/* t, k, w or weight not finite, t <= 0, w or weight
								 * < 0 [22023] */
	CN_SSVI_EFEW = 2,			/* fewer than 2 expiries with 3 distinct k of positive
								 * weight, or k so large that every surface's
								 * residual overflows */
	CN_SSVI_ENOMEM = 3,			/* out of memory (malloc) */
	CN_SSVI_EPARAM = 4			/* an invalid surface (cn_ssvi_check) [22023] */
};

/*
 * 0 when p is a valid surface, else CN_SSVI_EPARAM with the reason in err (may be
 * NULL): rho finite with |rho| < 1, eta finite and >= 0, gamma finite, n >= 1, every
 * t finite, positive and greater than the one before, every theta finite and positive.
 * The functions below assume a valid surface.
 */
extern int	cn_ssvi_check(const cn_ssvi *p, char *err, int errlen);

/* phi(theta) of the power law, per unit of k; theta > 0. */
extern double cn_ssvi_phi(const cn_ssvi *p, double theta);

/* theta_t, the at-the-money total variance at t > 0 years (the curve above). */
extern double cn_ssvi_theta(const cn_ssvi *p, double t);

/* Total implied variance w(k, t), dimensionless; t > 0 years, k finite. */
extern double cn_ssvi_w(const cn_ssvi *p, double k, double t);

/* Implied vol sqrt(w(k, t)/t), decimal per year. */
extern double cn_ssvi_vol(const cn_ssvi *p, double k, double t);

/* 1 when the surface is free of calendar-spread arbitrage (GJ Theorem 4.1), else 0. */
extern int	cn_ssvi_calendar_free(const cn_ssvi *p);

/*
 * 1 when GJ Theorem 4.2's conditions hold for every theta > 0 (no butterfly arbitrage
 * in any slice), else 0.  sup1 and sup2, when not NULL, receive the suprema over
 * theta > 0 of theta phi (1 + |rho|) and theta phi^2 (1 + |rho|) (+inf when unbounded).
 */
extern int	cn_ssvi_butterfly_free(const cn_ssvi *p, double *sup1, double *sup2);

typedef struct cn_ssvi_fit_result
{
	double		rho;
	double		eta;
	double		gamma;
	int			n;				/* expiries: t[0 .. n-1], theta[0 .. n-1] written */
	double		rmse;			/* sqrt(sum weight (w - fit)^2 / sum weight) */
	int			points;			/* points used (positive weight) */
	int			iterations;		/* Levenberg-Marquardt steps tried, both starts */
} cn_ssvi_fit_result;

/*
 * Fits the surface to n points (t_i years, k_i = ln(K/F), w_i = vol^2 t) with optional
 * weights (NULL: all 1; points of weight 0 are ignored); equal t are one expiry.
 * t_out and theta_out must hold n values: the fit's nodes, t increasing.  Returns
 * CN_SSVI_OK and fills *res, else a status code and a message in err (may be NULL).
 * The result does not depend on the order of the points (bit for bit).  Uses about
 * 24n doubles and 4n ints of malloc'ed memory, freed before returning.
 */
extern int	cn_ssvi_fit(const double *t, const double *k, const double *w,
						const double *weight, int n, cn_ssvi_fit_result *res,
						double *t_out, double *theta_out, char *err, int errlen);

#endif
