/*
 * svi.c -- raw SVI: evaluation, density, butterfly test, quasi-explicit calibration,
 * and term-structure interpolation of implied vol (see svi.h for the methods).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "normal.h"
#include "svi.h"

double
cn_svi_w(const cn_svi *p, double k)
{
	double		x = k - p->m;

	return p->a + p->b * (p->rho * x + sqrt(x * x + p->sigma * p->sigma));
}

double
cn_svi_vol(const cn_svi *p, double k, double t)
{
	double		w = cn_svi_w(p, k);

	if (!(t > 0) || !(w >= 0))
		return NAN;
	return sqrt(w / t);
}

double
cn_svi_g(const cn_svi *p, double k)
{
	double		x = k - p->m;
	double		s2 = p->sigma * p->sigma;
	double		r = sqrt(x * x + s2);
	double		w = p->a + p->b * (p->rho * x + r);
	double		w1 = p->b * (p->rho + x / r);
	double		w2 = p->b * s2 / (r * r * r);
	double		h;

	if (!(w > 0))
		return NAN;
	h = 1.0 - k * w1 / (2.0 * w);
	return h * h - 0.25 * w1 * w1 * (1.0 / w + 0.25) + 0.5 * w2;
}

double
cn_svi_density(const cn_svi *p, double k)
{
	double		w = cn_svi_w(p, k);
	double		sw,
				d2;

	if (!(w > 0))
		return NAN;
	sw = sqrt(w);
	d2 = -k / sw - 0.5 * sw;
	return cn_svi_g(p, k) * CN_INV_SQRT2PI / sw * exp(-0.5 * d2 * d2);
}

/* Golden-section minimum of g on [lo, hi]; returns g there, *at its abscissa. */
static double
g_refine(const cn_svi *p, double lo, double hi, double *at)
{
	const double ratio = 0.6180339887498949;	/* (sqrt 5 - 1)/2 */
	double		x1 = hi - ratio * (hi - lo),
				x2 = lo + ratio * (hi - lo);
	double		g1 = cn_svi_g(p, x1),
				g2 = cn_svi_g(p, x2);
	int			it;

	for (it = 0; it < 80 && hi - lo > 1e-14 * (1.0 + fabs(lo)); it++)
	{
		if (g1 <= g2)
		{
			hi = x2;
			x2 = x1;
			g2 = g1;
			x1 = hi - ratio * (hi - lo);
			g1 = cn_svi_g(p, x1);
		}
		else
		{
			lo = x1;
			x1 = x2;
			g1 = g2;
			x2 = lo + ratio * (hi - lo);
			g2 = cn_svi_g(p, x2);
		}
	}
	*at = g1 <= g2 ? x1 : x2;
	return g1 <= g2 ? g1 : g2;
}

#define BF_GRID		8001
#define BF_TOL		1e-12		/* rounding allowance on g, whose terms are O(1) */
#define BF_REFINE	64			/* local minima refined at most */

int
cn_svi_butterfly_free(const cn_svi *p, double *g_min, double *k_min)
{
	double		gmin = INFINITY,
				kmin = NAN;
	double		kmax,
				u_lo,
				u_hi,
				du,
				slope;
	double		k_prev = NAN,
				g_prev = NAN,
				k_cur = NAN,
				g_cur = NAN;
	int			refined = 0;
	int			i;

	if (g_min)
		*g_min = NAN;
	if (k_min)
		*k_min = NAN;
	if (!isfinite(p->a) || !isfinite(p->b) || !isfinite(p->rho) || !isfinite(p->m) ||
		!isfinite(p->sigma) || p->b < 0 || fabs(p->rho) > 1 || !(p->sigma > 0))
		return 0;

	/* w must stay positive: its minimum is a + b sigma sqrt(1 - rho^2). */
	if (!(p->a + p->b * p->sigma * sqrt((1.0 - p->rho) * (1.0 + p->rho)) > 0))
	{
		if (g_min)
			*g_min = -INFINITY;
		return 0;
	}

	/* Wings: g -> 1/4 - s^2/16 for a wing of slope s. */
	slope = p->b * (1.0 + fabs(p->rho));
	if (slope > 2.0)
	{
		if (g_min)
			*g_min = 0.25 - slope * slope / 16.0;
		if (k_min)
			*k_min = p->rho >= 0 ? INFINITY : -INFINITY;
		return 0;
	}

	/*
	 * Grid uniform in u with k = m + sigma sinh(u): spacing sigma du around m, where
	 * g has its structure, and relative spacing du in the wings, out to 1e4 times the
	 * core range.
	 */
	kmax = 1e4 * (3.0 + fabs(p->m) + 10.0 * p->sigma);
	u_lo = asinh((-kmax - p->m) / p->sigma);
	u_hi = asinh((kmax - p->m) / p->sigma);
	du = (u_hi - u_lo) / (BF_GRID - 1);
	for (i = 0; i <= BF_GRID; i++)
	{
		double		k = NAN,
					g = NAN;

		if (i < BF_GRID)
		{
			k = p->m + p->sigma * sinh(u_lo + i * du);
			g = cn_svi_g(p, k);
			if (g < gmin)
			{
				gmin = g;
				kmin = k;
			}
		}
		/* A local minimum of the grid (ends included): refine between neighbours. */
		if (i >= 1 && refined < BF_REFINE && g_cur < 0.01 &&
			(i == 1 || g_cur <= g_prev) && (i == BF_GRID || g_cur <= g))
		{
			double		at,
						gr;

			gr = g_refine(p, i >= 2 ? k_prev : k_cur, i < BF_GRID ? k : k_cur, &at);
			refined++;
			if (gr < gmin)
			{
				gmin = gr;
				kmin = at;
			}
		}
		k_prev = k_cur;
		g_prev = g_cur;
		k_cur = k;
		g_cur = g;
	}
	if (g_min)
		*g_min = gmin;
	if (k_min)
		*k_min = kmin;
	return gmin >= -BF_TOL;
}

/* ---- calibration ---- */

typedef struct fit_ctx
{
	int			n;
	const double *k;			/* points with positive weight */
	const double *w;
	const double *sw;			/* sqrt(weight) */
	const double *q0;			/* orthonormal basis of span(sw, sw k) */
	const double *q1;
	const double *tp;			/* sw w minus its projection on q0, q1 */
	double	   *v;				/* scratch: the z column */
	double		r00,			/* ||sw|| */
				u0,				/* q0 . (sw k) */
				u1,				/* ||sw k - u0 q0|| */
				qt0,			/* q0 . (sw w) */
				qt1;			/* q1 . (sw w) */
	double		amax;
	double		k_lo,			/* box of (m, sigma) */
				k_hi,
				s_lo,
				s_hi;
	int			evals;
} fit_ctx;

static double
dot(const double *x, const double *y, int n)
{
	double		s = 0;

	for (int i = 0; i < n; i++)
		s += x[i] * y[i];
	return s;
}

/* x -= c y */
static void
axpy(double *x, double c, const double *y, int n)
{
	for (int i = 0; i < n; i++)
		x[i] -= c * y[i];
}

/* ||R beta - qt||^2 for upper triangular 3x3 R. */
static double
phi(const double R[3][3], const double qt[3], const double beta[3])
{
	double		e0 = R[0][0] * beta[0] + R[0][1] * beta[1] + R[0][2] * beta[2] - qt[0];
	double		e1 = R[1][1] * beta[1] + R[1][2] * beta[2] - qt[1];
	double		e2 = R[2][2] * beta[2] - qt[2];

	return e0 * e0 + e1 * e1 + e2 * e2;
}

/*
 * The inner problem at (m, sigma): minimises sum weight (w - a - d y - c z)^2 over the
 * Zeliade domain.  beta = (a, d, c) out; returns the minimum (weighted sum of squares),
 * or +inf when the design is numerically rank deficient there.
 *
 * The QR factor of the weighted design [1 y z] needs work only for z: the first two
 * columns span span(sw, sw k) whatever (m, sigma), so q0, q1 and the target's
 * component outside them are computed once (cn_svi_fit); here z is orthogonalised
 * against q0, q1 (Gram-Schmidt, repeated when it lost more than half its norm, which
 * is "twice is enough") and the residual is summed from its explicit vector, so a
 * near-exact fit is not lost to the cancellation of ||t||^2 - ||Q^T t||^2.
 */
static double
inner(fit_ctx *c, double m, double sigma, double beta[3])
{
	int			n = c->n;
	const double *q0 = c->q0,
			   *q1 = c->q1,
			   *tp = c->tp;
	double	   *v = c->v;
	double		R[3][3] = {{0}},
				qt[3],
				rn2 = 0,
				inv_s = 1.0 / sigma,
				zz = 0,
				a0 = 0,
				a1 = 0,
				b0 = 0,
				b1 = 0,
				nn = 0,
				vt = 0,
				best = INFINITY,
				tol_a = 1e-12 * c->amax,
				tol_c = 4e-12 * sigma;
	double		vert[4][2] = {{0, 0}, {2 * sigma, 2 * sigma}, {4 * sigma, 0},
	{2 * sigma, -2 * sigma}};	/* (c, d) vertices of the diamond */
	int			i,
				am,
				cm;

	c->evals++;
	for (i = 0; i < n; i++)
	{
		double		y = (c->k[i] - m) * inv_s;
		double		z = c->sw[i] * sqrt(y * y + 1.0);

		v[i] = z;
		zz += z * z;
		a0 += q0[i] * z;
		a1 += q1[i] * z;
	}
	for (i = 0; i < n; i++)
	{
		v[i] -= a0 * q0[i] + a1 * q1[i];
		nn += v[i] * v[i];
		vt += v[i] * tp[i];
	}
	if (nn < 0.5 * zz)
	{
		/* Cancellation in the projection: orthogonalise once more. */
		b0 = dot(q0, v, n);
		b1 = dot(q1, v, n);
		nn = vt = 0;
		for (i = 0; i < n; i++)
		{
			v[i] -= b0 * q0[i] + b1 * q1[i];
			nn += v[i] * v[i];
			vt += v[i] * tp[i];
		}
	}
	if (!(nn > 1e-26 * zz))
		return INFINITY;		/* z numerically in span(1, y) */

	R[0][0] = c->r00;
	R[0][1] = (c->u0 - m * c->r00) * inv_s;
	R[1][1] = c->u1 * inv_s;
	R[0][2] = a0 + b0;
	R[1][2] = a1 + b1;
	R[2][2] = sqrt(nn);
	qt[0] = c->qt0;
	qt[1] = c->qt1;
	qt[2] = vt / R[2][2];
	for (i = 0; i < n; i++)
	{
		double		e = tp[i] - qt[2] * v[i] / R[2][2];

		rn2 += e * e;
	}

	/*
	 * Candidates, one per face of the domain (a box in a times a diamond in (c, d)):
	 * a free / 0 / amax, times (c, d) free / on one of the four edges of the diamond /
	 * at one of its four vertices.  The problem is convex, so its minimum lies in the
	 * relative interior of one face and is there the minimum over that face's affine
	 * hull; the best feasible face minimum is therefore the constrained minimum.  On
	 * each face beta = b0 + M theta with theta of dimension p = 0 .. 3; p = 3 only for
	 * (free, free), the unconstrained solution, which when feasible is the minimum.
	 */
	for (am = 0; am < 3; am++)
		for (cm = 0; cm < 9; cm++)
		{
			double		b0[3] = {0, 0, 0};	/* (a, d, c) */
			double		M[3][3] = {{0}};
			double		A[3][3] = {{0}};
			double		e[3],
						th[3] = {0, 0, 0},
						cand[3],
						f;
			int			p = 0,
						j,
						l;

			/* Parametrisation beta = b0 + M theta: column q of M is theta[q]'s direction. */
			if (am == 0)
				M[0][p++] = 1;
			else
				b0[0] = am == 1 ? 0 : c->amax;
			if (cm == 0)
			{
				M[1][p++] = 1;
				M[2][p++] = 1;
			}
			else if (cm <= 4)
			{
				/* Edges: d = c, d = -c from (0,0); d = 4s - c, d = c - 4s from (4s,0). */
				if (cm >= 3)
					b0[2] = 4 * sigma;
				M[2][p] = cm >= 3 ? -1 : 1;
				M[1][p] = (cm == 1 || cm == 3) ? 1 : -1;
				p++;
			}
			else
			{
				b0[2] = vert[cm - 5][0];
				b0[1] = vert[cm - 5][1];
			}

			if (p == 3)
			{
				/* Unconstrained (M = I): R beta = qt by back substitution. */
				th[2] = qt[2] / R[2][2];
				th[1] = (qt[1] - R[1][2] * th[2]) / R[1][1];
				th[0] = (qt[0] - R[0][1] * th[1] - R[0][2] * th[2]) / R[0][0];
			}
			else if (p > 0)
			{
				/* Small least squares: A = R M, e = qt - R b0, normal equations. */
				for (j = 0; j < 3; j++)
				{
					double		rb = 0;

					for (l = j; l < 3; l++)
						rb += R[j][l] * b0[l];
					e[j] = qt[j] - rb;
					for (int q = 0; q < p; q++)
						for (l = j; l < 3; l++)
							A[j][q] += R[j][l] * M[l][q];
				}
				if (p == 1)
				{
					double		aa = 0,
								ae = 0;

					for (j = 0; j < 3; j++)
					{
						aa += A[j][0] * A[j][0];
						ae += A[j][0] * e[j];
					}
					if (!(aa > 0))
						continue;
					th[0] = ae / aa;
				}
				else
				{
					double		g00 = 0,
								g01 = 0,
								g11 = 0,
								h0 = 0,
								h1 = 0,
								det;

					for (j = 0; j < 3; j++)
					{
						g00 += A[j][0] * A[j][0];
						g01 += A[j][0] * A[j][1];
						g11 += A[j][1] * A[j][1];
						h0 += A[j][0] * e[j];
						h1 += A[j][1] * e[j];
					}
					det = g00 * g11 - g01 * g01;
					if (!(det > 1e-14 * g00 * g11))
						continue;
					th[0] = (g11 * h0 - g01 * h1) / det;
					th[1] = (g00 * h1 - g01 * h0) / det;
				}
			}
			for (j = 0; j < 3; j++)
			{
				cand[j] = b0[j];
				for (l = 0; l < p; l++)
					cand[j] += M[j][l] * th[l];
			}

			/* Feasible (up to rounding)?  Then clamp onto the domain. */
			if (cand[0] < -tol_a || cand[0] > c->amax + tol_a ||
				cand[2] - fabs(cand[1]) < -tol_c ||
				4 * sigma - cand[2] - fabs(cand[1]) < -tol_c)
				continue;
			cand[0] = fmin(fmax(cand[0], 0), c->amax);
			cand[2] = fmin(fmax(cand[2], 0), 4 * sigma);
			{
				double		dmax = fmin(cand[2], 4 * sigma - cand[2]);

				cand[1] = fmin(fmax(cand[1], -dmax), dmax);
			}
			f = phi(R, qt, cand);
			if (f < best)
			{
				best = f;
				beta[0] = cand[0];
				beta[1] = cand[1];
				beta[2] = cand[2];
			}
			if (p == 3)
				goto done;		/* feasible unconstrained minimum: nothing beats it */
		}
done:
	return rn2 + best;
}

/* The outer objective at x = (m, ln sigma); +inf outside the box. */
static double
outer(fit_ctx *c, const double x[2])
{
	double		beta[3];
	double		sigma = exp(x[1]);

	if (!(x[0] >= c->k_lo && x[0] <= c->k_hi && sigma >= c->s_lo && sigma <= c->s_hi))
		return INFINITY;
	return inner(c, x[0], sigma, beta);
}

/*
 * Nelder-Mead in 2-D (coefficients 1, 2, 1/2, 1/2) from x0 with steps (h0, h1); the
 * best point to x, its value returned.  Stops when the simplex is smaller than 1e-12
 * (in m relative to 1 + |m|, and in ln sigma) or its values agree to 1e-15 relative,
 * or after 600 iterations.
 */
static double
nelder_mead(fit_ctx *c, const double x0[2], double h0, double h1, double x[2])
{
	double		s[3][2],
				f[3];
	int			it,
				i;

	s[0][0] = x0[0];
	s[0][1] = x0[1];
	s[1][0] = x0[0] + h0;
	s[1][1] = x0[1];
	s[2][0] = x0[0];
	s[2][1] = x0[1] + h1;
	for (i = 0; i < 3; i++)
		f[i] = outer(c, s[i]);

	for (it = 0; it < 600; it++)
	{
		double		cen[2],
					xr[2],
					xe[2],
					xc[2],
					fr,
					fe,
					fc,
					size = 0;
		int			lo = 0,
					hi = 0,
					mid;

		for (i = 1; i < 3; i++)
		{
			if (f[i] < f[lo])
				lo = i;
			if (f[i] >= f[hi])
				hi = i;
		}
		if (lo == hi)
			hi = (lo + 1) % 3;
		mid = 3 - lo - hi;

		for (i = 0; i < 3; i++)
		{
			size = fmax(size, fabs(s[i][0] - s[lo][0]) / (1.0 + fabs(s[lo][0])));
			size = fmax(size, fabs(s[i][1] - s[lo][1]));
		}
		if (size < 1e-12 ||
			(isfinite(f[hi]) && f[hi] - f[lo] <= 1e-15 * f[lo]))
			break;

		cen[0] = 0.5 * (s[lo][0] + s[mid][0]);
		cen[1] = 0.5 * (s[lo][1] + s[mid][1]);
		xr[0] = 2 * cen[0] - s[hi][0];
		xr[1] = 2 * cen[1] - s[hi][1];
		fr = outer(c, xr);
		if (fr < f[lo])
		{
			xe[0] = 3 * cen[0] - 2 * s[hi][0];
			xe[1] = 3 * cen[1] - 2 * s[hi][1];
			fe = outer(c, xe);
			if (fe < fr)
			{
				s[hi][0] = xe[0];
				s[hi][1] = xe[1];
				f[hi] = fe;
			}
			else
			{
				s[hi][0] = xr[0];
				s[hi][1] = xr[1];
				f[hi] = fr;
			}
			continue;
		}
		if (fr < f[mid])
		{
			s[hi][0] = xr[0];
			s[hi][1] = xr[1];
			f[hi] = fr;
			continue;
		}
		/* Contract: outside if the reflection improved on the worst, else inside. */
		if (fr < f[hi])
		{
			xc[0] = cen[0] + 0.5 * (xr[0] - cen[0]);
			xc[1] = cen[1] + 0.5 * (xr[1] - cen[1]);
		}
		else
		{
			xc[0] = cen[0] + 0.5 * (s[hi][0] - cen[0]);
			xc[1] = cen[1] + 0.5 * (s[hi][1] - cen[1]);
		}
		fc = outer(c, xc);
		if (fc < fmin(fr, f[hi]))
		{
			s[hi][0] = xc[0];
			s[hi][1] = xc[1];
			f[hi] = fc;
			continue;
		}
		/* Shrink towards the best. */
		for (i = 0; i < 3; i++)
			if (i != lo)
			{
				s[i][0] = s[lo][0] + 0.5 * (s[i][0] - s[lo][0]);
				s[i][1] = s[lo][1] + 0.5 * (s[i][1] - s[lo][1]);
				f[i] = outer(c, s[i]);
			}
	}
	i = 0;
	if (f[1] < f[i])
		i = 1;
	if (f[2] < f[i])
		i = 2;
	x[0] = s[i][0];
	x[1] = s[i][1];
	return f[i];
}

/* A point of the fit, for sorting. */
typedef struct fit_point
{
	double		k;
	double		w;
	double		wt;
} fit_point;

/* Order by (k, w, weight): a total order on finite values (-0.0 is made +0.0 first). */
static int
fit_point_cmp(const void *pa, const void *pb)
{
	const fit_point *a = pa,
			   *b = pb;

	if (a->k != b->k)
		return a->k < b->k ? -1 : 1;
	if (a->w != b->w)
		return a->w < b->w ? -1 : 1;
	if (a->wt != b->wt)
		return a->wt < b->wt ? -1 : 1;
	return 0;
}

/*
 * Validates the n points, keeps those of positive weight sorted by (k, w, weight), and
 * computes the (m, sigma)-free part of the factorisation into *c, whose arrays live in
 * *mem (malloc'ed; the caller frees it on CN_SVI_OK).  Returns a status with err
 * filled.  The sort makes every later sum run in one order whatever the order of the
 * input, so a permutation of the points gives a bit-identical fit (without it the sums
 * round differently, and the flat valley of the outer search turns those last-bit
 * differences into 1e-8 in the parameters).
 */
static int
fit_prepare(const double *k, const double *w, const double *weight, int n, fit_ctx *c,
			double **mem, char *err, int errlen)
{
	double	   *ku,
			   *wu,
			   *swu,
			   *q0,
			   *q1,
			   *tp;
	fit_point  *pt;
	int			used = 0,
				distinct,
				i,
				j;

	*mem = NULL;
	for (i = 0; i < n; i++)
	{
		double		wt = weight ? weight[i] : 1.0;

		if (!isfinite(k[i]) || !isfinite(w[i]) || !isfinite(wt) || w[i] < 0 || wt < 0)
		{
			if (err && errlen > 0)
				snprintf(err, errlen, "invalid point: k %g, w %g, weight %g (all finite, "
						 "w and weight not negative)", k[i], w[i], wt);
			return CN_SVI_EROW;
		}
	}

	/* 7 working columns, then the sorted points */
	*mem = malloc((sizeof(double) * 7 + sizeof(fit_point)) * (n > 0 ? n : 1));
	if (!*mem)
	{
		if (err && errlen > 0)
			snprintf(err, errlen, "out of memory for %d points", n);
		return CN_SVI_ENOMEM;
	}
	ku = *mem;
	wu = *mem + n;
	swu = *mem + 2 * n;
	q0 = *mem + 3 * n;
	q1 = *mem + 4 * n;
	tp = *mem + 5 * n;
	c->v = *mem + 6 * n;
	pt = (fit_point *) (*mem + 7 * n);
	for (i = 0; i < n; i++)
	{
		double		wt = weight ? weight[i] : 1.0;

		if (wt == 0)
			continue;
		/* x + 0.0 turns -0.0 into +0.0, so equal values are equal bits */
		pt[used].k = k[i] + 0.0;
		pt[used].w = w[i] + 0.0;
		pt[used].wt = wt;
		used++;
	}
	qsort(pt, used, sizeof(fit_point), fit_point_cmp);
	c->amax = 0;
	distinct = 0;
	for (i = 0; i < used; i++)
	{
		ku[i] = pt[i].k;
		wu[i] = pt[i].w;
		swu[i] = sqrt(pt[i].wt);
		c->amax = fmax(c->amax, wu[i]);
		distinct += i == 0 || ku[i] != ku[i - 1];
	}
	c->k_lo = used > 0 ? ku[0] : NAN;
	c->k_hi = used > 0 ? ku[used - 1] : NAN;
	/* The 5 parameters need 5 distinct abscissae. */
	if (distinct < 5)
	{
		if (err && errlen > 0)
			snprintf(err, errlen, "%d distinct log-moneyness values with positive "
					 "weight: at least 5 are needed", distinct);
		free(*mem);
		*mem = NULL;
		return CN_SVI_EFEW;
	}

	/*
	 * The (m, sigma)-free part of the factorisation: q0 = sw/||sw||, q1 from sw k, and
	 * the target sw w without its q0, q1 components, each orthogonalised twice.
	 */
	c->n = used;
	c->k = ku;
	c->w = wu;
	c->sw = swu;
	c->q0 = q0;
	c->q1 = q1;
	c->tp = tp;
	c->evals = 0;
	c->r00 = sqrt(dot(swu, swu, used));
	for (i = 0; i < used; i++)
	{
		q0[i] = swu[i] / c->r00;
		q1[i] = swu[i] * ku[i];
		tp[i] = swu[i] * wu[i];
	}
	c->u0 = dot(q0, q1, used);
	axpy(q1, c->u0, q0, used);
	{
		double		again = dot(q0, q1, used);

		axpy(q1, again, q0, used);
		c->u0 += again;
	}
	c->u1 = sqrt(dot(q1, q1, used));
	for (i = 0; i < used; i++)
		q1[i] /= c->u1;
	c->qt0 = c->qt1 = 0;
	for (j = 0; j < 2; j++)
	{
		double		t0 = dot(q0, tp, used);
		double		t1;

		axpy(tp, t0, q0, used);
		t1 = dot(q1, tp, used);
		axpy(tp, t1, q1, used);
		c->qt0 += t0;
		c->qt1 += t1;
	}
	return CN_SVI_OK;
}

/*
 * Fills *res from the inner solution at (m, sigma): the raw parameters, the weighted
 * rmse of the points, the butterfly flag.  Returns 0 when the design is rank deficient
 * there (res untouched).
 */
static int
fit_finish(fit_ctx *c, double m, double sigma, cn_svi_fit_result *res)
{
	double		beta[3],
				ss = 0,
				sw = 0;
	cn_svi		p;

	if (!isfinite(inner(c, m, sigma, beta)))
		return 0;
	p.m = m;
	p.sigma = sigma;
	p.a = beta[0];
	p.b = beta[2] / sigma;
	p.rho = beta[2] > 0 ? beta[1] / beta[2] : 0.0;
	for (int i = 0; i < c->n; i++)
	{
		double		r = c->w[i] - cn_svi_w(&p, c->k[i]);

		ss += c->sw[i] * c->sw[i] * r * r;
		sw += c->sw[i] * c->sw[i];
	}
	res->p = p;
	res->rmse = sqrt(ss / sw);
	res->points = c->n;
	res->evaluations = c->evals;
	res->butterfly_free = cn_svi_butterfly_free(&p, NULL, NULL);
	return 1;
}

/* The result before anything is known: every number NaN, every count 0. */
static void
fit_result_init(cn_svi_fit_result *res, char *err, int errlen)
{
	memset(res, 0, sizeof(*res));
	res->p.a = res->p.b = res->p.rho = res->p.m = res->p.sigma = NAN;
	res->rmse = NAN;
	if (err && errlen > 0)
		err[0] = '\0';
}

int
cn_svi_fit_at(const double *k, const double *w, const double *weight, int n, double m,
			  double sigma, cn_svi_fit_result *res, char *err, int errlen)
{
	fit_ctx		c;
	double	   *mem;
	int			rc;

	fit_result_init(res, err, errlen);
	if (!isfinite(m) || !isfinite(sigma) || !(sigma > 0))
	{
		if (err && errlen > 0)
			snprintf(err, errlen, "invalid m %g or sigma %g (m finite, sigma positive "
					 "and finite)", m, sigma);
		return CN_SVI_EARG;
	}
	rc = fit_prepare(k, w, weight, n, &c, &mem, err, errlen);
	if (rc != CN_SVI_OK)
		return rc;
	if (!fit_finish(&c, m, sigma, res))
	{
		if (err && errlen > 0)
			snprintf(err, errlen, "the design is numerically rank deficient at m %g, "
					 "sigma %g", m, sigma);
		rc = CN_SVI_EFEW;
	}
	free(mem);
	return rc;
}

#define GRID_M	15
#define GRID_S	12
#define STARTS	3

int
cn_svi_fit(const double *k, const double *w, const double *weight, int n,
		   cn_svi_fit_result *res, char *err, int errlen)
{
	fit_ctx		c;
	double	   *mem;
	double		grid[GRID_M][GRID_S];
	double		span,
				dm,
				ds,
				m_lo,
				ls_lo,
				best_f = INFINITY,
				best_x[2] = {0, 0};
	int			start_i[STARTS],
				start_j[STARTS],
				nstart = 0,
				rc,
				i,
				j;

	fit_result_init(res, err, errlen);
	rc = fit_prepare(k, w, weight, n, &c, &mem, err, errlen);
	if (rc != CN_SVI_OK)
		return rc;
	span = c.k_hi - c.k_lo;
	c.s_lo = 1e-4 * span;
	c.s_hi = 10 * span;
	c.k_lo -= span;
	c.k_hi += span;

	/* Coarse grid: m over the data range widened by 10%, sigma log-spaced. */
	m_lo = c.k_lo + span - 0.1 * span;
	dm = 1.2 * span / (GRID_M - 1);
	ls_lo = log(1e-3 * span);
	ds = (log(2 * span) - ls_lo) / (GRID_S - 1);
	for (i = 0; i < GRID_M; i++)
		for (j = 0; j < GRID_S; j++)
		{
			double		x[2] = {m_lo + i * dm, ls_lo + j * ds};

			grid[i][j] = outer(&c, x);
		}

	/* The best grid points, each more than one cell from those already chosen. */
	while (nstart < STARTS)
	{
		int			bi = -1,
					bj = -1;

		for (i = 0; i < GRID_M; i++)
			for (j = 0; j < GRID_S; j++)
			{
				int			near = 0;

				for (int s = 0; s < nstart; s++)
					if (abs(i - start_i[s]) <= 1 && abs(j - start_j[s]) <= 1)
						near = 1;
				if (!near && isfinite(grid[i][j]) &&
					(bi < 0 || grid[i][j] < grid[bi][bj]))
				{
					bi = i;
					bj = j;
				}
			}
		if (bi < 0)
			break;
		start_i[nstart] = bi;
		start_j[nstart] = bj;
		nstart++;
	}

	for (i = 0; i < nstart; i++)
	{
		double		x0[2] = {m_lo + start_i[i] * dm, ls_lo + start_j[i] * ds};
		double		x[2];
		double		f = nelder_mead(&c, x0, 0.5 * dm, 0.5 * ds, x);

		if (f < best_f)
		{
			best_f = f;
			best_x[0] = x[0];
			best_x[1] = x[1];
		}
	}
	/* One restart from the best: Nelder-Mead can stall on a collapsed simplex. */
	if (nstart > 0)
	{
		double		x[2];
		double		f = nelder_mead(&c, best_x, 0.05 * dm, 0.05 * ds, x);

		if (f <= best_f)
		{
			best_f = f;
			best_x[0] = x[0];
			best_x[1] = x[1];
		}
	}
	/* Cannot fail with 5 distinct k: the design is then of full rank somewhere. */
	if (!isfinite(best_f) || !fit_finish(&c, best_x[0], exp(best_x[1]), res))
	{
		if (err && errlen > 0)
			snprintf(err, errlen, "no (m, sigma) gave a full-rank design");
		free(mem);
		return CN_SVI_EFEW;
	}
	free(mem);
	return CN_SVI_OK;
}

/* ---- term structure ---- */

typedef struct tenor
{
	double		t;
	double		vol;
} tenor;

static int
tenor_cmp(const void *pa, const void *pb)
{
	double		a = ((const tenor *) pa)->t;
	double		b = ((const tenor *) pb)->t;

	return (a > b) - (a < b);
}

int
cn_term_vol(const double *t, const double *vol, int n, double target_t, double *out,
			char *err, int errlen)
{
	tenor	   *p;
	double		wt;
	int			i,
				m;

	*out = NAN;
	if (err && errlen > 0)
		err[0] = '\0';
	if (n < 1 || !(target_t > 0) || !isfinite(target_t))
	{
		if (err && errlen > 0)
			snprintf(err, errlen, n < 1 ? "no tenors" :
					 "target time must be positive and finite");
		return CN_TERM_EARG;
	}
	for (i = 0; i < n; i++)
		if (!isfinite(t[i]) || !(t[i] > 0) || !isfinite(vol[i]) || vol[i] < 0)
		{
			if (err && errlen > 0)
				snprintf(err, errlen, "invalid tenor: t %g, vol %g (t must be positive, "
						 "vol not negative, both finite)", t[i], vol[i]);
			return CN_TERM_EROW;
		}
	p = malloc(sizeof(tenor) * n);
	if (!p)
	{
		if (err && errlen > 0)
			snprintf(err, errlen, "out of memory for %d tenors", n);
		return CN_TERM_ENOMEM;
	}
	for (i = 0; i < n; i++)
	{
		p[i].t = t[i];
		p[i].vol = vol[i];
	}
	qsort(p, n, sizeof(tenor), tenor_cmp);

	/* Merge equal tenors, then check that total variance never falls. */
	m = 0;
	for (i = 0; i < n; i++)
	{
		if (m > 0 && p[i].t == p[m - 1].t)
		{
			if (p[i].vol != p[m - 1].vol)
			{
				if (err && errlen > 0)
					snprintf(err, errlen, "tenor %g has two vols, %g and %g", p[i].t,
							 p[m - 1].vol, p[i].vol);
				free(p);
				return CN_TERM_EDUP;
			}
			continue;
		}
		p[m++] = p[i];
	}
	for (i = 1; i < m; i++)
	{
		double		w0 = p[i - 1].vol * p[i - 1].vol * p[i - 1].t;
		double		w1 = p[i].vol * p[i].vol * p[i].t;

		if (w1 < w0 * (1.0 - 1e-12))
		{
			if (err && errlen > 0)
				snprintf(err, errlen,
						 "total variance falls from %g at t %g to %g at t %g (calendar "
						 "arbitrage)", w0, p[i - 1].t, w1, p[i].t);
			free(p);
			return CN_TERM_ECALENDAR;
		}
	}

	if (target_t <= p[0].t)
		*out = p[0].vol;
	else if (target_t >= p[m - 1].t)
		*out = p[m - 1].vol;
	else
	{
		double		w0,
					w1;

		for (i = 1; p[i].t < target_t; i++)
			;
		/* p[i-1].t < target_t <= p[i].t */
		w0 = p[i - 1].vol * p[i - 1].vol * p[i - 1].t;
		w1 = p[i].vol * p[i].vol * p[i].t;
		wt = w0 + (w1 - w0) * (target_t - p[i - 1].t) / (p[i].t - p[i - 1].t);
		*out = sqrt(wt / target_t);
	}
	free(p);
	return CN_TERM_OK;
}
