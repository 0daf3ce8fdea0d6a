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
 * A candidate of the inner problem: if beta = (a, d, c) lies in the domain (below) up
 * to rounding (4e-12 sigma in c and d, 1e-12 max w in a), it is moved onto the domain
 * and, when its objective is below *best, becomes the best (*best and out updated).
 * Returns 1 when the candidate was feasible.  The domain: c + |d| <= 4 sigma,
 * a <= amax, and sqrt(max(-a, 0)^2 + d^2) <= c, i.e. |d| <= c and a minimum variance
 * a + sqrt(c^2 - d^2) >= 0.
 */
static int
try_candidate(const double R[3][3], const double qt[3], const double cand[3],
			  double sigma, double amax, double *best, double out[3])
{
	double		a = cand[0],
				d = cand[1],
				c = cand[2],
				tol_a = 1e-12 * amax,
				tol_c = 4e-12 * sigma,
				dmax,
				f,
				b[3];

	if (!isfinite(a) || !isfinite(d) || !isfinite(c))
		return 0;
	if (a > amax + tol_a || c < -tol_c || c + fabs(d) > 4 * sigma + tol_c ||
		(a >= 0 ? fabs(d) > c + tol_c : hypot(a, d) > c + tol_c))
		return 0;
	c = fmin(fmax(c, 0), 4 * sigma);
	dmax = fmin(c, 4 * sigma - c);
	d = fmin(fmax(d, -dmax), dmax);
	/* (c - |d|)(c + |d|) rather than c^2 - d^2: no cancellation near the wedge */
	a = fmax(fmin(a, amax), -sqrt((c - fabs(d)) * (c + fabs(d))));
	b[0] = a;
	b[1] = d;
	b[2] = c;
	f = phi(R, qt, b);
	if (f < *best)
	{
		*best = f;
		out[0] = a;
		out[1] = d;
		out[2] = c;
	}
	return 1;
}

/* p(x) for the polynomial c[0] + c[1] x + ... + c[deg] x^deg (Horner). */
static double
poly_eval(const double *c, int deg, double x)
{
	double		s = c[deg];

	for (int i = deg - 1; i >= 0; i--)
		s = s * x + c[i];
	return s;
}

/*
 * The root of p in [lo, hi], where p is monotone and p(lo) = flo, p(hi) have opposite
 * signs (or one is 0): Newton's method kept inside the bracket, which shrinks every
 * step, bisection where Newton would leave it or stall.  Ends when the bracket is
 * 1e-16 wide relative to (1 + |x|), or after 200 steps.
 */
static double
poly_root_in(const double *c, const double *dc, int deg, double lo, double hi, double flo)
{
	double		x = 0.5 * (lo + hi),
				width = hi - lo;

	if (flo == 0)
		return lo;
	for (int it = 0; it < 200 && hi - lo > 1e-16 * (1.0 + fabs(x)); it++)
	{
		double		f = poly_eval(c, deg, x),
					df = poly_eval(dc, deg - 1, x),
					nx;

		if (f == 0)
			return x;
		if ((f < 0) == (flo < 0))
			lo = x;
		else
			hi = x;
		nx = x - f / df;
		/* Newton only inside the bracket and while it halves the bracket's width */
		if (!(nx > lo && nx < hi) || hi - lo > 0.5 * width)
			nx = 0.5 * (lo + hi);
		width = hi - lo;
		x = nx;
	}
	return x;
}

/*
 * The real roots of c[0] + c[1] x + ... + c[deg] x^deg (deg <= 5) in (lo, hi), in
 * increasing order, into out; returns how many.  The roots of the derivative, found
 * the same way (recursively, down to degree 1), cut [lo, hi] into pieces on which the
 * polynomial is monotone; a piece whose ends have opposite signs holds exactly one
 * root.  A root of even multiplicity (no sign change) is not reported: the callers
 * look for minima, which it is not.
 */
static int
poly_roots(const double *c, int deg, double lo, double hi, double *out)
{
	double		dc[5] = {0, 0, 0, 0, 0},
				cut[6],
				prev,
				fprev;
	int			ncut,
				nout = 0;

	while (deg > 0 && c[deg] == 0)
		deg--;
	if (deg == 0)
		return 0;
	if (deg == 1)
	{
		double		x = -c[0] / c[1];

		if (x > lo && x < hi)
			out[nout++] = x;
		return nout;
	}
	for (int i = 1; i <= deg; i++)
		dc[i - 1] = i * c[i];
	ncut = poly_roots(dc, deg - 1, lo, hi, cut);
	cut[ncut++] = hi;
	prev = lo;
	fprev = poly_eval(c, deg, lo);
	for (int i = 0; i < ncut; i++)
	{
		double		f = poly_eval(c, deg, cut[i]);

		if ((fprev < 0 && f > 0) || (fprev > 0 && f < 0) ||
			(fprev == 0 && prev > lo))
			out[nout++] = poly_root_in(c, dc, deg, prev, cut[i], fprev);
		prev = cut[i];
		fprev = f;
	}
	/* a root exactly at an interior cut is found once, from the piece to its right */
	return nout;
}

/*
 * The candidates on the curved part of the domain's boundary, where the minimum
 * variance a + sqrt(c^2 - d^2) is 0 with a < 0, i.e. the cone a^2 + d^2 = c^2:
 *
 * - the cone alone.  Its half a <= 0 is beta = s (t^2 - 1, 2t, 1 + t^2), s >= 0,
 *   t in [-1, 1] (t = tan of half the angle of (d, -a)).  For fixed t the best s is
 *   N/D with N = (R u).qt, D = ||R u||^2, u = (t^2 - 1, 2t, 1 + t^2), and the objective
 *   ||qt||^2 - N^2/D (when N > 0; else s = 0, the apex).  N is quadratic and D quartic
 *   in t, so N^2/D is stationary where N = 0 or P = 2 N' D - N D' = 0, a quartic (the
 *   degree-5 terms cancel): every root of P in (-1, 1) and both ends are candidates.
 * - the cone on the edge c + s d = 4 sigma (s = +-1): beta = 2 sigma (2x, s (1 - x^2),
 *   1 + x^2), x in [-1, 0], a quartic objective in x, whose stationary points are the
 *   roots of a cubic.  x = -1 is the point (-4 sigma, 0, 4 sigma) on both edges.
 * - the apex beta = 0.
 *
 * On a piece of the boundary where no other constraint is active, the convex problem's
 * minimum is the minimum over that whole piece, so taking every stationary point is
 * exact.  Each candidate goes through try_candidate.
 */
static void
cone_candidates(const double R[3][3], const double qt[3], double sigma, double amax,
				double *best, double beta[3])
{
	double		A2[3],
				A1[3],
				A0[3],
				n2 = 0,
				n1 = 0,
				n0 = 0,
				d4 = 0,
				d3 = 0,
				d2 = 0,
				d1 = 0,
				d0 = 0,
				P[5],
				ts[6];
	double		zero[3] = {0, 0, 0};
	int			nt,
				i,
				j;

	/* R u(t) = A2 t^2 + A1 t + A0 */
	for (i = 0; i < 3; i++)
	{
		A2[i] = R[i][0] + R[i][2];
		A1[i] = 2 * R[i][1];
		A0[i] = R[i][2] - R[i][0];
	}
	for (i = 0; i < 3; i++)
	{
		n2 += A2[i] * qt[i];
		n1 += A1[i] * qt[i];
		n0 += A0[i] * qt[i];
		d4 += A2[i] * A2[i];
		d3 += 2 * A2[i] * A1[i];
		d2 += A1[i] * A1[i] + 2 * A2[i] * A0[i];
		d1 += 2 * A1[i] * A0[i];
		d0 += A0[i] * A0[i];
	}
	P[0] = 2 * n1 * d0 - n0 * d1;
	P[1] = 4 * n2 * d0 + n1 * d1 - 2 * n0 * d2;
	P[2] = 3 * n2 * d1 - 3 * n0 * d3;
	P[3] = 2 * n2 * d2 - n1 * d3 - 4 * n0 * d4;
	P[4] = n2 * d3 - 2 * n1 * d4;
	nt = poly_roots(P, 4, -1, 1, ts);
	ts[nt++] = -1;
	ts[nt++] = 1;
	for (j = 0; j < nt; j++)
	{
		double		t = ts[j],
					N = (n2 * t + n1) * t + n0,
					D = (((d4 * t + d3) * t + d2) * t + d1) * t + d0,
					cand[3];

		if (!(N > 0 && D > 0))
			continue;
		cand[0] = N / D * (t * t - 1);
		cand[1] = N / D * 2 * t;
		cand[2] = N / D * (1 + t * t);
		(void) try_candidate(R, qt, cand, sigma, amax, best, beta);
	}

	for (int s = -1; s <= 1; s += 2)
	{
		double		B2[3] = {0, -s * 2 * sigma, 2 * sigma},
					B1[3] = {4 * sigma, 0, 0},
					B0[3] = {0, s * 2 * sigma, 2 * sigma},
					V2[3],
					V1[3],
					V0[3],
					g[4] = {0, 0, 0, 0},
					xs[5];
		int			nx;

		for (i = 0; i < 3; i++)
		{
			V2[i] = V1[i] = V0[i] = 0;
			for (int l = i; l < 3; l++)
			{
				V2[i] += R[i][l] * B2[l];
				V1[i] += R[i][l] * B1[l];
				V0[i] += R[i][l] * B0[l];
			}
			V0[i] -= qt[i];
		}
		/* (1/2) d/dx ||V2 x^2 + V1 x + V0||^2 */
		for (i = 0; i < 3; i++)
		{
			g[3] += 2 * V2[i] * V2[i];
			g[2] += 3 * V1[i] * V2[i];
			g[1] += V1[i] * V1[i] + 2 * V0[i] * V2[i];
			g[0] += V0[i] * V1[i];
		}
		nx = poly_roots(g, 3, -1, 0, xs);
		xs[nx++] = -1;
		xs[nx++] = 0;
		for (j = 0; j < nx; j++)
		{
			double		x = xs[j],
						cand[3];

			for (i = 0; i < 3; i++)
				cand[i] = (B2[i] * x + B1[i]) * x + B0[i];
			(void) try_candidate(R, qt, cand, sigma, amax, best, beta);
		}
	}
	(void) try_candidate(R, qt, zero, sigma, amax, best, beta);
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
				best = INFINITY;
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
	 * Candidates, one per face of the domain.  The domain is convex: it is the set
	 * sqrt(max(-a, 0)^2 + d^2) <= c (a >= 0: the wedge |d| <= c; a < 0: the cone
	 * a^2 + d^2 <= c^2, i.e. a non-negative minimum variance a + sqrt(c^2 - d^2)),
	 * cut by the diamond's outer edges c + |d| <= 4 sigma and by a <= max w.  The
	 * objective is convex too, so the constrained minimum is the minimum over the
	 * manifold of its active constraints, and the best feasible manifold minimum is the
	 * constrained minimum.  The flat faces: a free / amax, times (c, d) free / on one
	 * of the four edges of the diamond (|d| = c are the wedge's faces) / at one of its
	 * four vertices; on each beta = b0 + M theta with theta of dimension p = 0 .. 3;
	 * p = 3 only for (free, free), the unconstrained solution, which when feasible is
	 * the minimum.  Then the curved faces (cone_candidates): the cone alone, the cone
	 * on either outer edge, and the apex.
	 */
	for (am = 0; am < 2; am++)
		for (cm = 0; cm < 9; cm++)
		{
			double		b0[3] = {0, 0, 0};	/* (a, d, c) */
			double		M[3][3] = {{0}};
			double		A[3][3] = {{0}};
			double		e[3],
						th[3] = {0, 0, 0},
						cand[3];
			int			p = 0,
						j,
						l;

			/* Parametrisation beta = b0 + M theta: column q of M is theta[q]'s direction. */
			if (am == 0)
				M[0][p++] = 1;
			else
				b0[0] = c->amax;
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
			if (try_candidate(R, qt, cand, sigma, c->amax, &best, beta) && p == 3)
				goto done;		/* feasible unconstrained minimum: nothing beats it */
		}
	cone_candidates(R, qt, sigma, c->amax, &best, beta);
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
	/* a point is its doubles, in the order compared */
	return cn_lex_cmp((const double *) pa, (const double *) pb,
					  (int) (sizeof(fit_point) / sizeof(double)));
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
