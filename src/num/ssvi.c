/*
 * ssvi.c -- the SSVI surface: evaluation, arbitrage conditions and the fit over all
 * expiries of one quote time (see ssvi.h for the model, the conditions and the method).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssvi.h"
#include "svi.h"

#define RHO_MAX		(1.0 - 1e-6)	/* the fit's bound on |rho| */
#define THETA_FLOOR 1e-12		/* the fit's floor on theta, times max w */
#define LM_STEPS	300			/* Levenberg-Marquardt steps tried, per start */

static void
set_err(char *err, int errlen, const char *msg)
{
	if (err && errlen > 0)
		snprintf(err, errlen, "%s", msg);
}

int
cn_ssvi_check(const cn_ssvi *p, char *err, int errlen)
{
	char		buf[160];

	if (!isfinite(p->rho) || !(fabs(p->rho) < 1))
		snprintf(buf, sizeof(buf), "rho %g is not in (-1, 1)", p->rho);
	else if (!isfinite(p->eta) || !(p->eta >= 0))
		snprintf(buf, sizeof(buf), "eta %g is not finite and non-negative", p->eta);
	else if (!isfinite(p->gamma))
		snprintf(buf, sizeof(buf), "gamma %g is not finite", p->gamma);
	else if (p->n < 1 || !p->t || !p->theta)
		snprintf(buf, sizeof(buf), "the theta curve has no nodes");
	else
	{
		for (int i = 0; i < p->n; i++)
		{
			if (!isfinite(p->t[i]) || !(p->t[i] > 0) || (i > 0 && !(p->t[i] > p->t[i - 1])))
			{
				snprintf(buf, sizeof(buf), "t %g (node %d) is not finite, positive and "
						 "greater than the node before", p->t[i], i + 1);
				goto bad;
			}
			if (!isfinite(p->theta[i]) || !(p->theta[i] > 0))
			{
				snprintf(buf, sizeof(buf), "theta %g (node %d) is not finite and positive",
						 p->theta[i], i + 1);
				goto bad;
			}
		}
		return CN_SSVI_OK;
	}
bad:
	set_err(err, errlen, buf);
	return CN_SSVI_EPARAM;
}

/*
 * ln(1 + 1/theta) = ln(1 + theta) - ln(theta), formed without cancellation (for
 * theta >= 1 directly, below 1 as a difference of terms of opposite signs) and without
 * overflowing 1/theta.
 */
static double
log_1p_inv(double theta)
{
	return theta >= 1 ? log1p(1.0 / theta) : log1p(theta) - log(theta);
}

/*
 * phi(theta) with eta = 1: theta^-gamma (1 + theta)^(gamma - 1) =
 * exp(gamma ln(1 + 1/theta) - ln(1 + theta)), so that no intermediate power
 * overflows when the result does not, and no infinity meets another.
 */
static double
phi_unit(double gamma, double theta)
{
	return exp((gamma == 0 ? 0.0 : gamma * log_1p_inv(theta)) - log1p(theta));
}

double
cn_ssvi_phi(const cn_ssvi *p, double theta)
{
	return p->eta == 0 ? 0.0 : p->eta * phi_unit(p->gamma, theta);
}

double
cn_ssvi_theta(const cn_ssvi *p, double t)
{
	int			lo = 0,
				hi = p->n - 1;

	if (t <= p->t[0])
		return p->theta[0] * (t / p->t[0]);
	if (t >= p->t[hi])
		return p->theta[hi] * (t / p->t[hi]);
	/* t[lo] < t < t[hi]: bisect to neighbours */
	while (hi - lo > 1)
	{
		int			mid = (lo + hi) / 2;

		if (p->t[mid] < t)
			lo = mid;
		else
			hi = mid;
	}
	if (t == p->t[hi])
		return p->theta[hi];
	return p->theta[lo] + (p->theta[hi] - p->theta[lo]) * ((t - p->t[lo]) / (p->t[hi] - p->t[lo]));
}

/*
 * theta/2 (1 + rho phi k + sqrt((phi k + rho)^2 + 1 - rho^2)).  With x = phi k + rho and
 * r = sqrt(x^2 + 1 - rho^2) the bracket is (1 - rho^2) + rho x + r; where rho x < 0 the
 * sum rho x + r cancels (the wing on the side of the skew's fall, slope
 * theta phi (1 - |rho|)/2), and is formed as (1 - rho^2)(1 + x^2)/(r - rho x) instead.
 */
static double
slice_w(double theta, double phi, double rho, double k)
{
	double		x,
				c = (1.0 - rho) * (1.0 + rho),
				r,
				s;

	if (k == 0)
		return theta;			/* also where phi overflowed */
	x = phi * k + rho;
	r = hypot(x, sqrt(c));
	if (rho * x >= 0)
		s = c + rho * x + r;
	else
	{
		/* (1 + x^2)/(r - rho x) with -rho x = |rho x|, scaled so nothing overflows */
		double		ax = fabs(x);

		s = c + c * (ax >= 1 ? (1.0 / ax + ax) / (hypot(1.0, sqrt(c) / ax) + fabs(rho)) :
					 (1.0 + ax * ax) / (r + fabs(rho) * ax));
	}
	return theta * (0.5 * s);	/* not (0.5 theta) s: half a subnormal theta is 0 */
}

double
cn_ssvi_w(const cn_ssvi *p, double k, double t)
{
	double		theta = cn_ssvi_theta(p, t);

	return slice_w(theta, cn_ssvi_phi(p, theta), p->rho, k);
}

double
cn_ssvi_vol(const cn_ssvi *p, double k, double t)
{
	return sqrt(cn_ssvi_w(p, k, t) / t);
}

int
cn_ssvi_calendar_free(const cn_ssvi *p)
{
	for (int i = 1; i < p->n; i++)
		if (p->theta[i] < p->theta[i - 1])
			return 0;
	if (p->eta == 0)
		return 1;				/* phi = 0: every slice flat at theta_t */
	/* d/dtheta (theta phi) = phi (1 - gamma)/(1 + theta), for every theta > 0 */
	if (p->gamma > 1)
		return 0;
	return p->rho * p->rho * (1.0 - p->gamma) <= 1.0 + sqrt((1.0 - p->rho) * (1.0 + p->rho));
}

/*
 * ln M(gamma), M = sup over theta > 0 of theta^(1 - 2 gamma) (1 + theta)^(2 gamma - 2)
 * for gamma < 1/2 (attained at theta = u = 1 - 2 gamma): u ln u - (u + 1) ln(u + 1) =
 * -u ln(1 + 1/u) - ln(1 + u), which stays finite for large u (M -> 0 like 1/(e u)).
 */
static double
log_sup_m(double gamma)
{
	double		u = 1.0 - 2.0 * gamma;

	if (!isfinite(u))
		return -INFINITY;
	return -u * log_1p_inv(u) - log1p(u);
}

static double
sup_m(double gamma)
{
	return exp(log_sup_m(gamma));
}

/* The two suprema of cn_ssvi_butterfly_free; returns whether the conditions hold. */
static int
butterfly_sups(double rho, double eta, double gamma, double *sup1, double *sup2)
{
	double		m = 1.0 + fabs(rho);
	int			ok1,
				ok2;

	if (eta == 0)
	{
		*sup1 = *sup2 = 0;
		return 1;
	}
	/* theta phi = eta (theta/(1 + theta))^(1 - gamma) */
	*sup1 = gamma <= 1 ? eta * m : INFINITY;
	ok1 = gamma < 1 ? *sup1 <= 4 : *sup1 < 4;	/* at gamma = 1 eta is attained */
	/* theta phi^2 = eta^2 theta^(1 - 2 gamma) (1 + theta)^(2 gamma - 2) */
	if (gamma < 0.5)
		*sup2 = exp(2.0 * log(eta) + log_sup_m(gamma) + log(m));
	else if (gamma == 0.5)
		*sup2 = eta * eta * m;	/* as theta -> 0 */
	else
		*sup2 = INFINITY;
	ok2 = *sup2 <= 4;
	return ok1 && ok2;
}

int
cn_ssvi_butterfly_free(const cn_ssvi *p, double *sup1, double *sup2)
{
	double		s1,
				s2;
	int			ok = butterfly_sups(p->rho, p->eta, p->gamma, &s1, &s2);

	if (sup1)
		*sup1 = s1;
	if (sup2)
		*sup2 = s2;
	return ok;
}

/*
 * The largest eta at which (rho, eta, gamma) passes cn_ssvi_butterfly_free, for
 * 0 <= gamma <= 1/2: min(4/(1 + |rho|), 2/sqrt(M(gamma)(1 + |rho|))), stepped down by
 * ulps until the check's own arithmetic accepts it.
 */
static double
eta_max(double rho, double gamma)
{
	double		m = 1.0 + fabs(rho),
				mg = gamma < 0.5 ? sup_m(gamma) : 1.0,
				e = fmin(4.0 / m, 2.0 / sqrt(mg * m)),
				s1,
				s2;

	for (int i = 0; i < 64 && !butterfly_sups(rho, e, gamma, &s1, &s2); i++)
		e = nextafter(e, 0);
	return e;
}

/* ---- the fit ---- */

typedef struct fit_point
{
	double		t;
	double		k;
	double		w;
	double		wt;
} fit_point;

static int
point_cmp(const void *pa, const void *pb)
{
	/* a point is its doubles, in the order compared */
	return cn_lex_cmp((const double *) pa, (const double *) pb,
					  (int) (sizeof(fit_point) / sizeof(double)));
}

typedef struct fit_ctx
{
	int			np;				/* points of positive weight, sorted */
	const double *k;
	const double *w;
	const double *wt;
	int			ns;				/* expiries */
	const int  *first;			/* points of expiry s: first[s] .. first[s+1]-1 */
	double		thmin;			/* floor on theta */
	/* scratch for a Levenberg-Marquardt step */
	double	   *g;				/* gradient J^T r, 3 + ns */
	double	   *ngt;			/* J_global^T J_theta_s, 3 per expiry */
	double	   *dth;			/* diagonal J_theta_s^T J_theta_s */
	double	   *trial;			/* a trial point, 3 + ns */
	double	   *step;			/* 3 + ns */
	double	   *bngt;			/* per theta block: reduced globals x block, 3 each */
	double	   *bd;				/* per block: J^T J diagonal */
	double	   *bg;				/* per block: gradient */
	int		   *block;			/* the block of each expiry */
	int		   *bhold;			/* per block: stays this step */
	int			iterations;
} fit_ctx;

/* x = (rho, eta, gamma, theta_1 .. theta_ns) */
#define X_RHO	0
#define X_ETA	1
#define X_GAMMA 2
#define X_THETA 3

/* Sum of weight (w - fit)^2 at x. */
static double
objective(const fit_ctx *c, const double *x)
{
	double		f = 0;

	for (int s = 0; s < c->ns; s++)
	{
		double		theta = x[X_THETA + s],
					phi = x[X_ETA] == 0 ? 0 : x[X_ETA] * phi_unit(x[X_GAMMA], theta);

		for (int j = c->first[s]; j < c->first[s + 1]; j++)
		{
			double		e = slice_w(theta, phi, x[X_RHO], c->k[j]) - c->w[j];

			f += c->wt[j] * e * e;
		}
	}
	return f;
}

/*
 * The normal equations at x: c->g = J^T r, and J^T J as its global block ngg (3 x 3),
 * c->ngt (global x theta_s) and c->dth (diagonal theta block); r_j = sqrt(weight)
 * (fit - w).  Derivatives of the slice (x = phi k + rho, r = sqrt(x^2 + 1 - rho^2)):
 * dw/drho = theta phi k (1 + 1/r)/2, dw/dphi = theta k (rho + x/r)/2,
 * dw/dtheta = w/theta + dw/dphi dphi/dtheta; dphi/deta = phi/eta,
 * dphi/dgamma = phi ln(1 + 1/theta), dphi/dtheta = -phi (gamma/theta +
 * (1 - gamma)/(1 + theta)).
 */
static void
normal_eq(fit_ctx *c, const double *x, double ngg[3][3])
{
	double		rho = x[X_RHO],
				eta = x[X_ETA],
				gamma = x[X_GAMMA];

	memset(ngg, 0, sizeof(double) * 9);
	memset(c->g, 0, sizeof(double) * (3 + c->ns));
	memset(c->ngt, 0, sizeof(double) * 3 * c->ns);
	memset(c->dth, 0, sizeof(double) * c->ns);
	for (int s = 0; s < c->ns; s++)
	{
		double		theta = x[X_THETA + s],
					phi1 = phi_unit(gamma, theta),
					phi = eta * phi1,
					dphi_dgamma = phi * log_1p_inv(theta),
					dphi_dtheta = -phi * (gamma / theta + (1.0 - gamma) / (1.0 + theta));

		for (int j = c->first[s]; j < c->first[s + 1]; j++)
		{
			double		k = c->k[j],
						xx = phi * k + rho,
						r = hypot(xx, sqrt((1.0 - rho) * (1.0 + rho))),
						wv = slice_w(theta, phi, rho, k),
						dw_dphi = 0.5 * theta * k * (rho + xx / r),
						jac[4],
						res = wv - c->w[j],
						wt = c->wt[j];

			jac[0] = 0.5 * theta * phi * k * (1.0 + 1.0 / r);
			jac[1] = dw_dphi * phi1;
			jac[2] = dw_dphi * dphi_dgamma;
			jac[3] = wv / theta + dw_dphi * dphi_dtheta;
			for (int a = 0; a < 3; a++)
			{
				for (int b = 0; b < 3; b++)
					ngg[a][b] += wt * jac[a] * jac[b];
				c->ngt[3 * s + a] += wt * jac[a] * jac[3];
				c->g[a] += wt * jac[a] * res;
			}
			c->dth[s] += wt * jac[3] * jac[3];
			c->g[X_THETA + s] += wt * jac[3] * res;
		}
	}
}

/* Pool-adjacent-violators: the closest non-decreasing sequence to v (in place). */
static void
pava(double *v, int n, double *sum, int *len)
{
	int			nb = 0;

	for (int i = 0; i < n; i++)
	{
		sum[nb] = v[i];
		len[nb] = 1;
		nb++;
		while (nb > 1 && sum[nb - 2] / len[nb - 2] > sum[nb - 1] / len[nb - 1])
		{
			sum[nb - 2] += sum[nb - 1];
			len[nb - 2] += len[nb - 1];
			nb--;
		}
	}
	for (int b = 0, i = 0; b < nb; b++)
		for (int j = 0; j < len[b]; j++)
			v[i++] = sum[b] / len[b];
}

/* x moved onto the fit's region (ssvi.h); sum and len are scratch for pava. */
static void
project(const fit_ctx *c, double *x, double *sum, int *len)
{
	x[X_RHO] = fmin(fmax(x[X_RHO], -RHO_MAX), RHO_MAX);
	x[X_GAMMA] = fmin(fmax(x[X_GAMMA], 0.0), 0.5);
	x[X_ETA] = fmin(fmax(x[X_ETA], 0.0), eta_max(x[X_RHO], x[X_GAMMA]));
	pava(x + X_THETA, c->ns, sum, len);
	for (int s = 0; s < c->ns; s++)
		x[X_THETA + s] = fmax(x[X_THETA + s], c->thmin);
}

/*
 * d eta_max / d rho and d eta_max / d gamma (for gamma < 1/2), from whichever of
 * 4/(1 + |rho|) and 2/sqrt(M(gamma)(1 + |rho|)) is the smaller (0 for rho = 0, where
 * eta_max peaks).
 */
static void
eta_max_slopes(double rho, double gamma, double *d_rho, double *d_gamma)
{
	double		m = 1.0 + fabs(rho),
				sg = rho > 0 ? 1.0 : rho < 0 ? -1.0 : 0.0,
				a = 4.0 / m,
				b = 2.0 / sqrt((gamma < 0.5 ? sup_m(gamma) : 1.0) * m);

	if (a <= b)
	{
		*d_rho = -sg * a / m;
		*d_gamma = 0;
	}
	else
	{
		*d_rho = -sg * b / (2.0 * m);
		/* d ln M / d gamma = 2 ln((2 - 2 gamma)/(1 - 2 gamma)) */
		*d_gamma = gamma < 0.5 ? -b * log((2.0 - 2.0 * gamma) / (1.0 - 2.0 * gamma)) : 0;
	}
}

/*
 * One damped Gauss-Newton step in the reduced variables of the active set: up to 3
 * global ones (rows of ngg, gr; hold[a] marks one that stays) and nb theta blocks, each
 * point depending on exactly one block, so J^T J has a diagonal block part (bd) and
 * the system (J^T J + lambda diag(J^T J)) step = -g is solved through the 3 x 3 Schur
 * complement.  step[0..2] the globals', step[3..] the blocks'.  Returns 0 when the
 * complement is not positive definite.
 */
static int
lm_step(double ngg[3][3], const double *gr, const int hold[3], int nb, const double *bngt,
		const double *bd, const double *bg, const int *bhold, double lambda, double *step)
{
	double		m[3][3],
				rhs[3],
				l[3][3] = {{0}},
				y[3];

	for (int a = 0; a < 3; a++)
	{
		for (int b = 0; b < 3; b++)
			m[a][b] = ngg[a][b];
		m[a][a] *= 1.0 + lambda;
		rhs[a] = -gr[a];
	}
	for (int s = 0; s < nb; s++)
	{
		double		d = bd[s] * (1.0 + lambda);

		if (bhold[s] || !(d > 0))
			continue;
		for (int a = 0; a < 3; a++)
		{
			for (int b = 0; b < 3; b++)
				m[a][b] -= bngt[3 * s + a] * bngt[3 * s + b] / d;
			rhs[a] += bngt[3 * s + a] * bg[s] / d;
		}
	}
	for (int a = 0; a < 3; a++)
		if (hold[a] || !(ngg[a][a] > 0))
		{
			for (int b = 0; b < 3; b++)
				m[a][b] = m[b][a] = 0;
			m[a][a] = 1;
			rhs[a] = 0;
		}
	/* Cholesky m = l l^T, then the two triangular solves */
	for (int a = 0; a < 3; a++)
		for (int b = 0; b <= a; b++)
		{
			double		s = m[a][b];

			for (int q = 0; q < b; q++)
				s -= l[a][q] * l[b][q];
			if (a == b)
			{
				if (!(s > 0))
					return 0;
				l[a][a] = sqrt(s);
			}
			else
				l[a][b] = s / l[b][b];
		}
	for (int a = 0; a < 3; a++)
	{
		double		s = rhs[a];

		for (int q = 0; q < a; q++)
			s -= l[a][q] * y[q];
		y[a] = s / l[a][a];
	}
	for (int a = 2; a >= 0; a--)
	{
		double		s = y[a];

		for (int q = a + 1; q < 3; q++)
			s -= l[q][a] * step[q];
		step[a] = s / l[a][a];
	}
	for (int a = 0; a < 3; a++)
		if (hold[a] || !(ngg[a][a] > 0))
			step[a] = 0;
	for (int s = 0; s < nb; s++)
	{
		double		d = bd[s] * (1.0 + lambda),
					v = -bg[s];

		if (bhold[s] || !(d > 0))
		{
			step[3 + s] = 0;
			continue;
		}
		for (int a = 0; a < 3; a++)
			v -= bngt[3 * s + a] * step[a];
		step[3 + s] = v / d;
	}
	return 1;
}

/*
 * Levenberg-Marquardt with an active set, from x (on the region) to a minimum of the
 * objective on the region, in place; returns the objective there.  Each step first
 * reads the active set off the gradient g at x:
 * - rho or gamma on a bound with -g pointing out stays there;
 * - eta at 0 with -g pointing out stays; eta at eta_max(rho, gamma) with -g pointing
 *   out rides the bound: eta = eta_max(rho, gamma), so the steps of rho and gamma carry
 *   eta along (their Jacobian columns gain d eta_max times eta's), except at
 *   gamma = 1/2 with gamma free, where eta_max's slope in gamma is infinite and eta
 *   stays instead;
 * - equal thetas of adjacent expiries form one block (one variable, the sum of their
 *   columns), split where the constraint's multiplier would be negative: at the prefix
 *   of the block whose gradient sum is largest, if positive (lowering that part and
 *   raising the rest gains); the first block stays at the floor if -g points below it.
 * The trial point is then projected onto the region (project) and kept when the
 * objective falls.  Ends when a step gains less than 1e-15 of the objective, when
 * damping 1e16 gains nothing, or after LM_STEPS.
 */
static double
lm_fit(fit_ctx *c, double *x, double *sum, int *len)
{
	int			ns = c->ns,
				nx = 3 + ns;
	double		f = objective(c, x),
				lambda = 1e-3,
				ngg[3][3];
	double	   *bngt = c->bngt,
			   *bd = c->bd,
			   *bg = c->bg;
	int		   *block = c->block,
			   *bhold = c->bhold;

	for (int it = 0; it < LM_STEPS && f > 0; it++)
	{
		int			hold[3],
					ride = 0,
					gained = 0,
					nb = 0;
		double		e[3][3] = {{0}},
					gr[3] = {0},
					nr[3][3] = {{0}},
					emax,
					d_rho = 0,
					d_gamma = 0;

		normal_eq(c, x, ngg);
		emax = eta_max(x[X_RHO], x[X_GAMMA]);
		hold[X_RHO] = (x[X_RHO] >= RHO_MAX && c->g[X_RHO] < 0) ||
			(x[X_RHO] <= -RHO_MAX && c->g[X_RHO] > 0);
		hold[X_GAMMA] = (x[X_GAMMA] >= 0.5 && c->g[X_GAMMA] < 0) ||
			(x[X_GAMMA] <= 0 && c->g[X_GAMMA] > 0);
		hold[X_ETA] = (x[X_ETA] <= 0 && c->g[X_ETA] > 0);
		if (!hold[X_ETA] && x[X_ETA] >= emax && c->g[X_ETA] < 0)
		{
			if (x[X_GAMMA] < 0.5 || hold[X_GAMMA])
			{
				ride = 1;
				if (fabs(x[X_RHO]) <= 1e-9 && !hold[X_RHO])
				{
					/*
					 * eta_max peaks at rho = 0, falling either way: take the side
					 * where rho's gradient, eta riding along, descends, or keep rho
					 */
					double		up;

					eta_max_slopes(1e-300, x[X_GAMMA], &d_rho, &d_gamma);
					up = c->g[X_RHO] + d_rho * c->g[X_ETA];
					if (up >= 0)
					{
						if (c->g[X_RHO] - d_rho * c->g[X_ETA] > 0)
							d_rho = -d_rho; /* the - side's slope */
						else
							hold[X_RHO] = 1;
					}
				}
				else
					eta_max_slopes(x[X_RHO], x[X_GAMMA], &d_rho, &d_gamma);
			}
			hold[X_ETA] = 1;
		}
		/* reduced globals: row a of e is the direction of variable a in (rho, eta, gamma) */
		for (int a = 0; a < 3; a++)
			e[a][a] = hold[a] ? 0 : 1;
		if (ride)
		{
			e[X_RHO][X_ETA] = hold[X_RHO] ? 0 : d_rho;
			e[X_GAMMA][X_ETA] = hold[X_GAMMA] ? 0 : d_gamma;
		}
		for (int a = 0; a < 3; a++)
		{
			for (int p = 0; p < 3; p++)
			{
				gr[a] += e[a][p] * c->g[p];
				for (int b = 0; b < 3; b++)
					for (int q = 0; q < 3; q++)
						nr[a][b] += e[a][p] * ngg[p][q] * e[b][q];
			}
		}

		/* theta blocks: runs of equal theta, split where the multiplier is negative */
		for (int s = 0; s < ns; s++)
		{
			if (s == 0 || x[X_THETA + s] != x[X_THETA + s - 1])
			{
				int			end = s + 1,
							cut = -1;
				double		run = 0,
							best = 0;

				while (end < ns && x[X_THETA + end] == x[X_THETA + s])
					end++;
				for (int j = s; j < end - 1; j++)
				{
					run += c->g[X_THETA + j];
					if (run > best)
					{
						best = run;
						cut = j;
					}
				}
				for (int j = s; j < end; j++)
					block[j] = nb + (cut >= 0 && j > cut);
				nb += cut >= 0 ? 2 : 1;
			}
		}
		for (int b = 0; b < nb; b++)
		{
			bd[b] = bg[b] = 0;
			bhold[b] = 0;
			for (int a = 0; a < 3; a++)
				bngt[3 * b + a] = 0;
		}
		for (int s = 0; s < ns; s++)
		{
			int			b = block[s];

			bd[b] += c->dth[s];
			bg[b] += c->g[X_THETA + s];
			for (int a = 0; a < 3; a++)
				for (int p = 0; p < 3; p++)
					bngt[3 * b + a] += e[a][p] * c->ngt[3 * s + p];
		}
		bhold[0] = x[X_THETA] <= c->thmin && bg[0] > 0;

		while (lambda <= 1e16)
		{
			double		ft;

			c->iterations++;
			if (lm_step(nr, gr, hold, nb, bngt, bd, bg, bhold, lambda, c->step))
			{
				for (int p = 0; p < 3; p++)
				{
					c->trial[p] = x[p];
					for (int a = 0; a < 3; a++)
						c->trial[p] += e[a][p] * c->step[a];
				}
				if (ride)
					c->trial[X_ETA] = eta_max(fmin(fmax(c->trial[X_RHO], -RHO_MAX), RHO_MAX),
											  fmin(fmax(c->trial[X_GAMMA], 0.0), 0.5));
				for (int s = 0; s < ns; s++)
					c->trial[X_THETA + s] = x[X_THETA + s] + c->step[3 + block[s]];
				project(c, c->trial, sum, len);
				ft = objective(c, c->trial);
				if (ft < f)
				{
					gained = f - ft > 1e-15 * f;
					memcpy(x, c->trial, sizeof(double) * nx);
					f = ft;
					lambda = fmax(lambda / 3, 1e-12);
					break;
				}
			}
			lambda *= 4;
		}
		if (!gained)
			break;
	}
	return f;
}

/* weighted median of v[0..n-1] (weights wt), sorting (v, wt) pairs in place */
static int
pair_cmp(const void *pa, const void *pb)
{
	const double *a = pa,
			   *b = pb;

	return (a[0] > b[0]) - (a[0] < b[0]);
}

static double
weighted_median(double *pairs, int n)
{
	double		total = 0,
				run = 0;

	qsort(pairs, n, 2 * sizeof(double), pair_cmp);
	for (int i = 0; i < n; i++)
		total += pairs[2 * i + 1];
	for (int i = 0; i < n; i++)
	{
		run += pairs[2 * i + 1];
		if (run >= 0.5 * total)
			return pairs[2 * i];
	}
	return pairs[2 * (n - 1)];
}

/*
 * The at-the-money total variance of one expiry's points (k increasing) without a
 * model: w linear in k between the points either side of k = 0, else the w of the
 * point nearest to it (the first of equal k).
 */
static double
atm_interp(const double *k, const double *w, int n)
{
	int			best = 0;

	for (int j = 0; j < n; j++)
	{
		if (k[j] == 0)
			return w[j];
		if (j > 0 && k[j - 1] < 0 && k[j] > 0)
			return w[j - 1] + (w[j] - w[j - 1]) * (-k[j - 1] / (k[j] - k[j - 1]));
		if (fabs(k[j]) < fabs(k[best]))
			best = j;
	}
	return w[best];
}

int
cn_ssvi_fit(const double *t, const double *k, const double *w, const double *weight,
			int n, cn_ssvi_fit_result *res, double *t_out, double *theta_out, char *err,
			int errlen)
{
	fit_point  *pt = NULL;
	double	   *mem = NULL,
			   *ku,
			   *wu,
			   *wtu,
			   *xa,
			   *xb,
			   *sum,
			   *pairs,
			   *phis,
			   *thetas,
			   wmax = 0,
			   wsum = 0,
			   fa = INFINITY,
			   fb = INFINITY;
	int		   *first = NULL,
			   *len = NULL,
				used = 0,
				ns = 0,
				rich = 0,
				nsvi = 0,
				rc = CN_SSVI_OK;
	fit_ctx		c;

	memset(res, 0, sizeof(*res));
	res->rho = res->eta = res->gamma = res->rmse = NAN;
	if (err && errlen > 0)
		err[0] = '\0';
	for (int i = 0; i < n; i++)
	{
		double		wt = weight ? weight[i] : 1.0;

		if (!isfinite(t[i]) || !(t[i] > 0) || !isfinite(k[i]) || !isfinite(w[i]) ||
			w[i] < 0 || !isfinite(wt) || wt < 0)
		{
			if (err && errlen > 0)
				snprintf(err, errlen, "invalid point: t %g, k %g, w %g, weight %g (all "
						 "finite, t positive, w and weight not negative)", t[i], k[i],
						 w[i], wt);
			return CN_SSVI_EROW;
		}
	}

	pt = malloc(sizeof(fit_point) * (n > 0 ? n : 1));
	first = malloc(sizeof(int) * (4 * (size_t) n + 4));
	mem = malloc(sizeof(double) * (24 * (size_t) n + 32));
	if (!pt || !first || !mem)
	{
		if (err && errlen > 0)
			snprintf(err, errlen, "out of memory for %d points", n);
		rc = CN_SSVI_ENOMEM;
		goto out;
	}
	len = first + n + 1;
	for (int i = 0; i < n; i++)
	{
		double		wt = weight ? weight[i] : 1.0;

		if (wt == 0)
			continue;
		/* x + 0.0 turns -0.0 into +0.0, so equal values are equal bits */
		pt[used].t = t[i];
		pt[used].k = k[i] + 0.0;
		pt[used].w = w[i] + 0.0;
		pt[used].wt = wt;
		used++;
	}
	qsort(pt, used, sizeof(fit_point), point_cmp);

	/* columns, expiries, and the expiries with 3 distinct k */
	ku = mem;
	wu = ku + used;
	wtu = wu + used;
	for (int i = 0; i < used; i++)
	{
		ku[i] = pt[i].k;
		wu[i] = pt[i].w;
		wtu[i] = pt[i].wt;
		wmax = fmax(wmax, pt[i].w);
		wsum += pt[i].wt;
		if (i == 0 || pt[i].t != pt[i - 1].t)
		{
			int			distinct = 1;

			first[ns] = i;
			t_out[ns] = pt[i].t;
			for (int j = i + 1; j < used && pt[j].t == pt[i].t; j++)
				distinct += pt[j].k != pt[j - 1].k;
			rich += distinct >= 3;
			ns++;
		}
	}
	first[ns] = used;
	if (rich < 2)
	{
		if (err && errlen > 0)
			snprintf(err, errlen, "expiries with at least 3 distinct log-moneyness values "
					 "of positive weight: %d (at least 2 are needed)", rich);
		rc = CN_SSVI_EFEW;
		goto out;
	}

	/* the rest of the memory: 5 (3 + ns) + 18 ns doubles, ns <= used <= n */
	xa = wtu + used;
	xb = xa + 3 + ns;
	c.g = xb + 3 + ns;
	c.trial = c.g + 3 + ns;
	c.step = c.trial + 3 + ns;
	c.ngt = c.step + 3 + ns;
	c.dth = c.ngt + 3 * ns;
	sum = c.dth + ns;
	pairs = sum + ns;			/* 2 per expiry */
	phis = pairs + 2 * ns;
	thetas = phis + ns;
	c.bngt = thetas + ns;
	c.bd = c.bngt + 3 * ns;
	c.bg = c.bd + ns;
	c.block = len + n + 1;
	c.bhold = c.block + n + 1;
	c.np = used;
	c.k = ku;
	c.w = wu;
	c.wt = wtu;
	c.ns = ns;
	c.first = first;
	c.thmin = THETA_FLOOR * (wmax > 0 ? wmax : 1.0);
	c.iterations = 0;

	/* Starts: theta per expiry, and what the SVI fits say of rho and phi. */
	for (int s = 0; s < ns; s++)
	{
		int			j0 = first[s],
					m = first[s + 1] - j0,
					distinct = 1;
		double		th = NAN;

		for (int j = j0 + 1; j < j0 + m; j++)
			distinct += ku[j] != ku[j - 1];
		if (distinct >= 5)
		{
			cn_svi_fit_result sr;
			int			src = cn_svi_fit(ku + j0, wu + j0, wtu + j0, m, &sr, NULL, 0);

			if (src == CN_SVI_ENOMEM)
			{
				set_err(err, errlen, "out of memory in the SVI fit of an expiry");
				rc = CN_SSVI_ENOMEM;
				goto out;
			}
			if (src == CN_SVI_OK)
			{
				th = cn_svi_w(&sr.p, 0.0);
				if (th > 0 && sr.p.b > 0)
				{
					double		slice_wt = 0;

					for (int j = j0; j < j0 + m; j++)
						slice_wt += wtu[j];
					pairs[2 * nsvi] = sr.p.rho;
					pairs[2 * nsvi + 1] = slice_wt;
					phis[nsvi] = 2 * sr.p.b / th;
					thetas[nsvi] = th;
					nsvi++;
				}
			}
		}
		if (!(th > 0))
			th = atm_interp(ku + j0, wu + j0, m);
		xa[X_THETA + s] = th;
	}
	/* (eta, gamma): ln phi_i + ln(1 + theta_i) = ln eta - gamma ln(theta_i/(1 + theta_i)) */
	{
		double		sx = 0,
					sy = 0,
					sxx = 0,
					sxy = 0,
					eta0 = 1,
					gamma0 = 0.5;

		for (int i = 0; i < nsvi; i++)
		{
			double		xi = log(thetas[i]) - log1p(thetas[i]),
						yi = log(phis[i]) + log1p(thetas[i]);

			sx += xi;
			sy += yi;
			sxx += xi * xi;
			sxy += xi * yi;
		}
		if (nsvi >= 2 && nsvi * sxx - sx * sx > 1e-12 * nsvi * sxx)
		{
			gamma0 = -(nsvi * sxy - sx * sy) / (nsvi * sxx - sx * sx);
			eta0 = exp((sy + gamma0 * sx) / nsvi);
		}
		else if (nsvi >= 1)
			eta0 = exp((sy + gamma0 * sx) / nsvi);
		xa[X_RHO] = nsvi > 0 ? weighted_median(pairs, nsvi) : -0.5;
		xa[X_ETA] = eta0;
		xa[X_GAMMA] = gamma0;
	}
	project(&c, xa, sum, len);

	/* the other start: the best of a grid of (rho, gamma, eta/eta_max), same thetas */
	{
		static const double rhos[4] = {-0.75, -0.25, 0.25, 0.75},
					gammas[3] = {0.1, 0.3, 0.5},
					etas[4] = {0.1, 0.3, 0.6, 0.9};
		double		best = INFINITY;

		memcpy(xb, xa, sizeof(double) * (3 + ns));
		for (int i = 0; i < 4; i++)
			for (int j = 0; j < 3; j++)
				for (int l = 0; l < 4; l++)
				{
					double		f;

					c.trial[X_RHO] = rhos[i];
					c.trial[X_GAMMA] = gammas[j];
					c.trial[X_ETA] = etas[l] * eta_max(rhos[i], gammas[j]);
					memcpy(c.trial + X_THETA, xa + X_THETA, sizeof(double) * ns);
					f = objective(&c, c.trial);
					if (f < best)
					{
						best = f;
						memcpy(xb, c.trial, sizeof(double) * 3);
					}
				}
	}

	fa = lm_fit(&c, xa, sum, len);
	fb = lm_fit(&c, xb, sum, len);
	if (!(fa <= fb) && fb < INFINITY)
	{
		memcpy(xa, xb, sizeof(double) * (3 + ns));
		fa = fb;
	}
	if (!isfinite(fa))
	{
		set_err(err, errlen, "no surface gives these points a finite sum of squares (k or w "
				"beyond the range of the model)");
		rc = CN_SSVI_EFEW;
		goto out;
	}
	res->rho = xa[X_RHO];
	res->eta = xa[X_ETA];
	res->gamma = xa[X_GAMMA];
	res->n = ns;
	for (int s = 0; s < ns; s++)
		theta_out[s] = xa[X_THETA + s];
	res->rmse = sqrt(fa / wsum);
	res->points = used;
	res->iterations = c.iterations;

out:
	free(pt);
	free(first);
	free(mem);
	return rc;
}
