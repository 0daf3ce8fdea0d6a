/*
 * american.c -- American options under Black-Scholes-Merton (see american.h).
 *
 * Everything is computed for a put; a call is the put with spot and strike, and r and
 * q, exchanged (McDonald-Schroder put-call symmetry): C(S, K, r, q) = P(K, S, q, r).
 * Exercising a put and holding K - S beats waiting only where r K - q S > 0 below the
 * strike, which gives these cases (for a call swap r and q):
 *
 *   r > 0, or r = 0 and q < 0   one exercise boundary B(tau), starting at
 *                               X = K min(1, r/q) (X = K when q <= 0): the method of
 *                               Andersen, Lake and Offengenden below
 *   r <= 0 and q >= r           r K - q S < 0 for every S < K: never exercised early,
 *                               the American price is the European price exactly
 *   r < 0 and q < r             the exercise region lies between two boundaries that
 *                               start at K r/q and K and meet at a finite tau (Battauz,
 *                               De Donno and Sbuelz 2015).  The single-boundary integral
 *                               equation does not hold, so a finite-difference solver
 *                               of the linear complementarity problem is used instead
 *   vol = 0                     the deterministic limit: the largest of
 *                               e^{-r t} K - e^{-q t} S over exercise times t in [0, T]
 *
 * So a call with q <= 0 and r >= q is European, a call with q = 0 and r < 0 is not
 * (paying the strike early saves the negative interest), and r < q < 0 is the
 * double-boundary call.
 *
 * The single-boundary method follows Andersen, Lake and Offengenden, "High-Performance
 * American Option Pricing" (2016), "ALO" below:
 *  - the boundary is carried as H = (ln(B/X))^2 at n + 1 Chebyshev-Lobatto nodes in
 *    sqrt(tau) (ALO section 5.1): H is smooth where B behaves like sqrt(tau ln tau);
 *    here the node map is stretched when the boundary settles early (put_boundary);
 *  - the start is the QD+ boundary of Li (2010) (ALO section 4.4);
 *  - the collocation equations are the value-matching fixed-point system B = N/D (ALO
 *    section 4, the form QuantLib calls FP_B), solved by m Newton passes on all the
 *    node values at once rather than by ALO's fixed-point iteration, which converges
 *    slowly (value-matching form) or diverges for long, low-vol maturities
 *    (smooth-pasting form).  The solution is the same collocation solution;
 *  - every integral over u in [0, tau] is taken with u = tau sin^2(pi t/2) and
 *    Gauss-Legendre in t: sqrt(u) and sqrt(tau - u) are both smooth in t, which removes
 *    the square-root behaviour at both ends that makes plain Gauss-Legendre in u (as in
 *    QuantLib's Legendre schemes) converge only algebraically.  Measured on
 *    american.csv with n = 32: plain Gauss-Legendre in u gives 1.3e-6 at l = 12 and
 *    2.6e-8 at l = 48 (about l^-2.8); the substitution 2.6e-9 at l = 12 and 1.5e-11
 *    at l = 48;
 *  - the price is the European price plus the early-exercise premium integral (ALO
 *    eq. 2.5), with its points graded towards the thin layers it can have.
 * All counts are fixed per scheme, so the price is a smooth function of the inputs and
 * finite differences of it give clean Greeks.
 *
 * Measured (test/unit/test_american.c, test/bench/bench_american.c): against
 * american.csv, relative RMSE 6.0e-9 (default) and 1.2e-6 (fast); against the finest
 * QdFp column of american_convergence.csv within 2.7e-9; 40 us and 9.5 us per price.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "american.h"
#include "roots.h"
#include "models.h"
#include "normal.h"

/*
 * Discretisations: Chebyshev degree n, Gauss-Legendre order l of the boundary
 * integrals, Newton passes m, Gauss-Legendre order p of each of the two premium panels.
 * Chosen on american.csv and on 300 random cases (vol 5% to 150%, T 1 day to 10 years,
 * r to 15%, q -5% to 15%) against a converged solution (n = 48, l = 64, p = 96):
 *   default 12/12/3/16   6.0e-9 on american.csv, 1e-7 RMS and 8e-7 worst on the wide set
 *   fast     5/8/2/8     1.2e-6 on american.csv, 4e-5 RMS and 5e-4 worst on the wide set
 * The error is set by n; the third Newton pass removes a 2e-8 bias of two passes.
 */
#define AM_ACC_N	12
#define AM_ACC_L	12
#define AM_ACC_M	3
#define AM_ACC_P	16
#define AM_FAST_N	5
#define AM_FAST_L	8
#define AM_FAST_M	2
#define AM_FAST_P	8

#ifndef AM_MAXN
#define AM_MAXN		12			/* array bounds: the largest n and l, p of the schemes */
#endif
#ifndef AM_MAXQ
#define AM_MAXQ		16
#endif

/* a scheme larger than the arrays would not compile: negative array size */
typedef char am_check_n[(AM_ACC_N <= AM_MAXN && AM_FAST_N <= AM_MAXN) ? 1 : -1];
typedef char am_check_q[(AM_ACC_L <= AM_MAXQ && AM_ACC_P <= AM_MAXQ && AM_FAST_L <= AM_MAXQ
						 && AM_FAST_P <= AM_MAXQ) ? 1 : -1];

/* split of the premium integral, in theta with T - u = T sin^2(pi theta/2) */
#define AM_THETA_S	0.5

/* largest stretch of the node map (put_boundary): half the nodes below 1e-4 T */
#define AM_MAX_MAP	50.0

/* ------------------------------------------------------------------------------------
 * Tables of a scheme
 * ------------------------------------------------------------------------------------ */

typedef struct am_scheme
{
	int			n;				/* Chebyshev degree: nodes j = 0..n, tau_n = 0 */
	int			l;				/* Gauss-Legendre order of the boundary integrals */
	int			m;				/* Newton passes */
	int			p;				/* Gauss-Legendre order of each premium panel */
	int			ready;			/* tables below built */
	double		z[AM_MAXN + 1]; /* Chebyshev-Lobatto nodes cos(j pi/n), z_0 = 1 */
	double		bw[AM_MAXN + 1];	/* barycentric weights (-1)^j, halved at the ends */
	double		fs[AM_MAXQ];	/* boundary rule: sin, cos of pi t/2 at the nodes t */
	double		fc[AM_MAXQ];
	double		fw[AM_MAXQ];	/* its weights times the Jacobian pi sin cos */
	double		py[AM_MAXQ];	/* premium rule: Gauss-Legendre nodes and weights on */
	double		pyw[AM_MAXQ];	/* [0, 1] */
	double		ps[AM_MAXQ];	/* sin, cos of pi theta/2 at the outer panel's nodes */
	double		pc[AM_MAXQ];
} am_scheme;

static am_scheme am_schemes[2] = {
	{.n = AM_ACC_N,.l = AM_ACC_L,.m = AM_ACC_M,.p = AM_ACC_P},
	{.n = AM_FAST_N,.l = AM_FAST_L,.m = AM_FAST_M,.p = AM_FAST_P},
};

/*
 * Gauss-Legendre nodes t and weights w on [0, 1], by Newton's method on the Legendre
 * recurrence; both to a few ulp.
 */
static void
gauss_legendre(int n, double *t, double *w)
{
	for (int i = 0; i < (n + 1) / 2; i++)
	{
		double		x = cos(M_PI * (i + 0.75) / (n + 0.5)),
					dp = 1.0;

		for (int it = 0; it < 100; it++)
		{
			double		p0 = 1.0,
						p1 = x,
						dx;

			for (int j = 2; j <= n; j++)
			{
				double		p2 = ((2 * j - 1) * x * p1 - (j - 1) * p0) / j;

				p0 = p1;
				p1 = p2;
			}
			dp = n * (x * p1 - p0) / (x * x - 1.0);
			dx = p1 / dp;
			x -= dx;
			if (fabs(dx) < 1e-16)
				break;
		}
		/* x on [-1, 1] maps to t = (1 -+ x)/2; the symmetric pair stays exact */
		t[i] = 0.5 * (1.0 - x);
		t[n - 1 - i] = 0.5 * (1.0 + x);
		w[i] = w[n - 1 - i] = 1.0 / ((1.0 - x * x) * dp * dp);
	}
}

/*
 * Barycentric Lagrange weights of the Chebyshev-Lobatto nodes at x, for j < n only (node
 * n, tau = 0, always carries H = 0): w_j Q_j / sum_i w_i Q_i with Q_j = prod_{i != j}
 * (x - z_i), formed from prefix and suffix products so that a row costs one division
 * instead of n + 1.  For n <= 64 the products stay far from over- and underflow.
 */
static void
lagrange_row(const am_scheme *sc, double x, double *L)
{
	int			n = sc->n;
	double		d[AM_MAXN + 1],
				pre[AM_MAXN + 2],
				c[AM_MAXN + 1],
				suf = 1.0,
				sum = 0.0,
				inv;

	pre[0] = 1.0;
	for (int j = 0; j <= n; j++)
	{
		d[j] = x - sc->z[j];
		pre[j + 1] = pre[j] * d[j];
	}
	if (pre[n + 1] == 0.0)
	{
		/* x on a node: the delta row */
		int			jm = 0;

		for (int j = 1; j <= n; j++)
			if (fabs(d[j]) < fabs(d[jm]))
				jm = j;
		for (int k = 0; k < n; k++)
			L[k] = (k == jm);
		return;
	}
	for (int j = n; j >= 0; j--)
	{
		c[j] = sc->bw[j] * pre[j] * suf;
		sum += c[j];
		suf *= d[j];
	}
	inv = 1.0 / sum;
	for (int j = 0; j < n; j++)
		L[j] = c[j] * inv;
}

/*
 * lagrange_row for m points x[k] at once, into L[j][k]: the same products with the
 * point index innermost, so that the m product chains run side by side.
 */
static void
lagrange_batch(const am_scheme *sc, const double *x, int m, double L[][AM_MAXQ])
{
	int			n = sc->n,
				onnode = 0;
	double		dif[AM_MAXN + 1][AM_MAXQ],
				pre[AM_MAXN + 1][AM_MAXQ],
				run[AM_MAXQ],
				sum[AM_MAXQ];

	for (int k = 0; k < m; k++)
		run[k] = 1.0;
	for (int j = 0; j <= n; j++)
		for (int k = 0; k < m; k++)
		{
			dif[j][k] = x[k] - sc->z[j];
			pre[j][k] = run[k];
			run[k] *= dif[j][k];
		}
	for (int k = 0; k < m; k++)
	{
		onnode |= (run[k] == 0.0);
		/* from here run[] holds the suffix products */
		sum[k] = sc->bw[n] * pre[n][k];
		run[k] = dif[n][k];
	}
	for (int j = n - 1; j >= 0; j--)
		for (int k = 0; k < m; k++)
		{
			double		c = sc->bw[j] * pre[j][k] * run[k];

			L[j][k] = c;
			sum[k] += c;
			run[k] *= dif[j][k];
		}
	for (int k = 0; k < m; k++)
		sum[k] = 1.0 / sum[k];
	for (int j = 0; j < n; j++)
		for (int k = 0; k < m; k++)
			L[j][k] *= sum[k];
	if (onnode)
		for (int k = 0; k < m; k++)
		{
			double		Lr[AM_MAXN],
						prod = 1.0;

			for (int j = 0; j <= n; j++)
				prod *= dif[j][k];
			if (prod != 0.0)
				continue;
			lagrange_row(sc, x[k], Lr);
			for (int j = 0; j < n; j++)
				L[j][k] = Lr[j];
		}
}

static void
scheme_init(am_scheme *sc)
{
	int			n = sc->n;
	double		t[AM_MAXQ];

	for (int j = 0; j <= n; j++)
	{
		sc->z[j] = cos(M_PI * j / n);
		sc->bw[j] = ((j & 1) ? -1.0 : 1.0) * ((j == 0 || j == n) ? 0.5 : 1.0);
	}
	sc->z[n] = -1.0;

	/*
	 * int_0^tau f(u) du = tau sum_k fw_k f(u_k) with u_k = tau fs_k^2, tau - u_k = tau
	 * fc_k^2; cos(pi t/2) is taken as sin(pi (1 - t)/2) for full accuracy near t = 1
	 */
	gauss_legendre(sc->l, t, sc->fw);
	for (int k = 0; k < sc->l; k++)
	{
		sc->fs[k] = sin(0.5 * M_PI * t[k]);
		sc->fc[k] = sin(0.5 * M_PI * (1.0 - t[k]));
		sc->fw[k] *= M_PI * sc->fs[k] * sc->fc[k];
	}

	gauss_legendre(sc->p, sc->py, sc->pyw);
	for (int k = 0; k < sc->p; k++)
	{
		double		th = AM_THETA_S + (1.0 - AM_THETA_S) * sc->py[k];

		sc->ps[k] = sin(0.5 * M_PI * th);
		sc->pc[k] = sin(0.5 * M_PI * (1.0 - th));
	}
	sc->ready = 1;
}

/*
 * The tables of a scheme, built on first use.  PostgreSQL backends are single-threaded;
 * in a threaded program two simultaneous first calls would write the same values twice.
 */
static const am_scheme *
get_scheme(int scheme)
{
	am_scheme  *sc = &am_schemes[scheme == CN_AM_FAST ? 1 : 0];

	if (!sc->ready)
		scheme_init(sc);
	return sc;
}

/* ------------------------------------------------------------------------------------
 * Normal distribution pieces for the quadrature loops
 * ------------------------------------------------------------------------------------ */

/*
 * exp(-x^2/2), and 0 where that underflows: glibc's exp takes a slow path (and sets
 * errno) for results below DBL_MIN, which the quadrature tails reach often.
 */
static inline double
gauss(double x)
{
	return (x * x < 1400.0) ? exp(-0.5 * x * x) : 0.0;
}

/*
 * Phi(x) given g = gauss(x), which the callers need anyway for the density:
 * Phi(-|x|) = g erfcx(|x|/sqrt 2)/2, and Cody's erfcx needs no exponential above
 * 0.46875; below, Phi comes from erf directly.  Half the cost of cn_norm_cdf plus
 * cn_norm_pdf, to the same few ulp.
 */
static inline double
cdf_with_gauss(double x, double g)
{
	double		y = fabs(x) * CN_SQRT1_2,
				t;

	if (y <= 0.46875)
		return 0.5 * cn_erfc(-x * CN_SQRT1_2);
	t = 0.5 * g * cn_erfcx(y);
	return x < 0.0 ? t : 1.0 - t;
}

/* sum_k a_k b_k in four interleaved partial sums, so the additions do not queue */
static inline double
dot(const double *a, const double *b, int m)
{
	double		s0 = 0.0,
				s1 = 0.0,
				s2 = 0.0,
				s3 = 0.0;
	int			k = 0;

	for (; k + 4 <= m; k += 4)
	{
		s0 += a[k] * b[k];
		s1 += a[k + 1] * b[k + 1];
		s2 += a[k + 2] * b[k + 2];
		s3 += a[k + 3] * b[k + 3];
	}
	for (; k < m; k++)
		s0 += a[k] * b[k];
	return (s0 + s1) + (s2 + s3);
}

/*
 * Solves the dense n x n system whose augmented rows [A | b] are a[0..n-1], by Gaussian
 * elimination with partial pivoting; x replaces b.  Returns 0 if a pivot vanishes.
 */
static int
dense_solve(int n, double a[][AM_MAXN + 1])
{
	for (int c = 0; c < n; c++)
	{
		int			pv = c;

		for (int i = c + 1; i < n; i++)
			if (fabs(a[i][c]) > fabs(a[pv][c]))
				pv = i;
		if (!(fabs(a[pv][c]) > 0.0))
			return 0;
		if (pv != c)
			for (int j = c; j <= n; j++)
			{
				double		t = a[c][j];

				a[c][j] = a[pv][j];
				a[pv][j] = t;
			}
		for (int i = c + 1; i < n; i++)
		{
			double		f = a[i][c] / a[c][c];

			for (int j = c; j <= n; j++)
				a[i][j] -= f * a[c][j];
		}
	}
	for (int c = n - 1; c >= 0; c--)
	{
		double		acc = a[c][n];

		for (int j = c + 1; j < n; j++)
			acc -= a[c][j] * a[j][n];
		a[c][n] = acc / a[c][c];
	}
	return 1;
}

/* ------------------------------------------------------------------------------------
 * The put with one exercise boundary, in units of the strike (K = 1)
 * ------------------------------------------------------------------------------------ */

typedef struct am_put
{
	const am_scheme *sc;
	double		r,
				q,
				vol,
				T;
	double		X,				/* B(0+) = min(1, r/q) */
				lnX;
	double		amap;			/* stretch of the node map; 0 is uniform in sqrt(tau) */
	double		H[AM_MAXN + 1]; /* (ln(B/X))^2 at the nodes; H[n] = 0 */
	/* Lagrange weights of node j at quadrature point k of node i: L[i][j][k] */
	double		L[AM_MAXN][AM_MAXN][AM_MAXQ];
} am_put;

/* sqrt(tau) at the Chebyshev abscissa z: sqrt(T) w/(1 + a(1 - w)), w = (1 + z)/2 */
static double
xi_of_z(const am_put *bp, double z)
{
	double		w = 0.5 * (1.0 + z);

	return sqrt(bp->T) * w / (1.0 + bp->amap * (1.0 - w));
}

/* its inverse: the Chebyshev abscissa of sqrt(tau) = xi */
static double
z_of_xi(const am_put *bp, double xi)
{
	double		a = bp->amap,
				w = xi * (1.0 + a) / (sqrt(bp->T) + a * xi);

	return 2.0 * w - 1.0;
}

/* ln B(u) from the interpolant, for u in [0, T] */
static double
boundary_lnB(const am_put *bp, double u)
{
	double		L[AM_MAXN],
				h = 0.0;

	lagrange_row(bp->sc, z_of_xi(bp, sqrt(u)), L);
	for (int j = 0; j < bp->sc->n; j++)
		h += L[j] * bp->H[j];
	return bp->lnX - sqrt(h > 0.0 ? h : 0.0);
}

/*
 * QD+ approximation of the put boundary at time to expiry tau (Li 2010; ALO section
 * 4.4), strike 1: the root in (0, X] of
 *   F(B) = (1 - Dq N(-d1)) B - beta (1 - B - p(B)) + kappa Theta(B)
 * which is Li's smooth-pasting condition multiplied through by the exercise premium
 * 1 - B - p(B), so that no division by that vanishing quantity remains; p is the
 * European put and Theta its derivative in calendar time.  With h = 1 - Dr, lambda the
 * negative root of Li's quadratic and g = h/r (= tau at r = 0, so r = 0 with q < 0
 * needs no special case), 2 lambda + omega - 1 = -sqrt(Q), which turns ALO's alpha/h,
 * alpha lambda'/(2 lambda + omega - 1) and alpha/(Dr r) into the closed forms below.
 * Newton from guess, safeguarded by bisection on the bracket the signs of F build up.
 * Returns B.
 */
static double
qdplus_boundary(double r, double q, double vol, double tau, double X, double guess)
{
	double		sqt = sqrt(tau),
				v = vol * sqt,
				s2 = vol * vol,
				Dr = exp(-r * tau),
				Dq = exp(-q * tau),
				g = (r != 0.0) ? -expm1(-r * tau) / r : tau,
				om1 = 2.0 * (r - q) / s2 - 1.0,
				Q = om1 * om1 + 8.0 / (s2 * g),
				sQ = sqrt(Q),
				lambda = 0.5 * (-om1 - sQ),
				beta = -2.0 * Dr / (s2 * sQ * g)
				+ 4.0 * Dr / (s2 * s2 * g * g * Q * sQ) - lambda,
				kappa = -2.0 / (s2 * sQ);
	double		lo = 0.0,
				hi = X,
				B = guess;

	if (!(B > 0.0 && B <= X))
		B = X;
	for (int it = 0; it < 100; it++)
	{
		double		d1 = (log(B) + (r - q) * tau) / v + 0.5 * v,
					d2 = d1 - v,
					g1 = gauss(d1),
					n1 = cdf_with_gauss(-d1, g1),
					n2 = cdf_with_gauss(-d2, gauss(d2)),
					f1 = CN_INV_SQRT2PI * g1,
					p = Dr * n2 - B * Dq * n1,
					theta = r * Dr * n2 - q * B * Dq * n1 - 0.5 * vol * B * Dq * f1 / sqt,
					dtheta = Dq * (f1 * ((q - r) / v - 0.5 * vol / sqt + 0.5 * d1 / tau)
								   - q * n1),
					F = (1.0 - Dq * n1) * B - beta * (1.0 - B - p) + kappa * theta,
					dF = 1.0 - Dq * n1 + Dq * f1 / v + beta * (1.0 - Dq * n1)
					+ kappa * dtheta,
					Bn;

		if (F > 0.0)
			hi = B;
		else
			lo = B;
		Bn = B - F / dF;
		if (!(Bn > lo && Bn < hi))
			Bn = 0.5 * (lo + hi);
		/*
		 * A Newton step below 1e-7 B leaves an error near 1e-14 B, far inside what QD+
		 * itself is worth (about 1e-3); the Newton passes on the collocation equations
		 * square whatever remains.
		 */
		if (fabs(Bn - B) <= 1e-7 * B || hi - lo <= 1e-12 * hi)
			return Bn;
		B = Bn;
	}
	return B;
}

/*
 * Solves for the exercise boundary of the put with strike 1 on [0, T] and fills bp.
 *
 * Equations.  The value-matching form of the integral equation (ALO section 4; the
 * system QuantLib calls FP_B): at each node tau_i, B = N/D with
 *   N = e^{-r tau} N(d2(tau, B)) + r int_0^tau e^{-r(tau-u)} N(d2(tau-u, B(tau)/B(u))) du
 *   D = e^{-q tau} N(d1(tau, B)) + q int_0^tau e^{-q(tau-u)} N(d1(tau-u, B(tau)/B(u))) du
 * with d1,2(s, x) = (ln x + (r - q) s)/(vol sqrt s) +- vol sqrt(s)/2 (ALO write e^{ru},
 * e^{qu} and a factor e^{-(r-q) tau}; the discounted form cannot overflow).
 *
 * Solver.  ALO iterate B <- N/D, with a first Jacobi-Newton step on the non-integral
 * terms.  Measured on american.csv, that iteration needs eight or more passes for 1e-9;
 * the smooth-pasting form, four where it converges, but it diverges for long dates at
 * low vol (r 8%, vol 10%, T 5y oscillates with growing amplitude).  So the n equations
 * R_i = ln B_i - ln(N_i/D_i) = 0 are solved by Newton's method on all node values at
 * once.  The Jacobian comes nearly free: its entries are the densities already at hand
 * for the integrals times the Lagrange weights that carry node j into B(u), n^2 l flops
 * to assemble and n^3/3 to solve against n l normal distribution evaluations per pass.
 * From the QD+ start (error ~3e-3 in ln B) the error falls to ~7e-5, 2e-7 and 5e-12.
 *
 * Nodes.  The boundary moves from X to its perpetual level B_inf over a time tau_c ~
 * (ln(X/B_inf)/vol)^2 and is flat after.  When T >> tau_c (low vol against the carry,
 * long dates) nodes uniform in sqrt(tau) leave that stretch to two or three of them, so
 * sqrt(tau) = sqrt(T) w/(1 + a(1 - w)), w = (1 + z)/2, with a = sqrt(T/tau_c): linear
 * in w near expiry, compressed where the boundary is flat.  B_inf = lambda/(lambda - 1)
 * with lambda the negative root of vol^2/2 l(l - 1) + (r - q) l - r.  Measured: the
 * american.csv error at n = 16 falls from 1.8e-9 to 1.1e-9, and at vol 1%, q - r 5%,
 * T 5y from 7e-5 to 1.3e-5.  With r = 0 the boundary tends to 0: no stretch.
 *
 * Integrals.  u = tau_i s^2 with s = sin(pi t/2), Gauss-Legendre in t (see the top).
 */
static void
put_boundary(am_put *bp, double r, double q, double vol, double T, const am_scheme *sc)
{
	int			n = sc->n,
				l = sc->l;
	double		sH[AM_MAXN + 1],
				Jm[AM_MAXN][AM_MAXN + 1],
				lbprev = 0.0,
				sqprev = 0.0;

	/* per (node, quadrature point), fixed across the passes */
	double		ism[AM_MAXN][AM_MAXQ],	/* 1/sv, sv = vol sqrt(tau - u) */
				drf[AM_MAXN][AM_MAXQ],	/* (r - q)(tau - u)/sv + sv/2 */
				svv[AM_MAXN][AM_MAXQ],	/* sv */
				wr[AM_MAXN][AM_MAXQ],	/* weight times e^{-r(tau - u)} */
				wq[AM_MAXN][AM_MAXQ];	/* weight times e^{-q(tau - u)} */

	bp->sc = sc;
	bp->r = r;
	bp->q = q;
	bp->vol = vol;
	bp->T = T;
	bp->X = (q > r) ? r / q : 1.0;
	bp->lnX = (q > r) ? log(r / q) : 0.0;
	bp->amap = 0.0;
	if (r > 0.0)
	{
		double		bq = r - q - 0.5 * vol * vol,
					lam = (-bq - sqrt(bq * bq + 2.0 * vol * vol * r)) / (vol * vol),
					dl = fabs(bp->lnX - log(lam / (lam - 1.0))) / vol;

		bp->amap = (dl * AM_MAX_MAP > sqrt(T)) ? sqrt(T) / dl : AM_MAX_MAP;
	}

	/*
	 * QD+ from the shortest expiry outwards, each root seeding the next: ln(B/X) grows
	 * about like sqrt(tau), so the previous root is scaled accordingly.
	 */
	bp->H[n] = 0.0;
	for (int j = n - 1; j >= 0; j--)
	{
		double		sqtau = xi_of_z(bp, sc->z[j]),
					guess = (sqprev > 0.0) ? bp->X * exp(lbprev * sqtau / sqprev) : bp->X,
					B = qdplus_boundary(r, q, vol, sqtau * sqtau, bp->X, guess),
					lb = log(B) - bp->lnX;

		bp->H[j] = lb < 0.0 ? lb * lb : 0.0;
		lbprev = lb < 0.0 ? lb : 0.0;
		sqprev = sqtau;
	}

	for (int i = 0; i < n; i++)
	{
		double		sqtau = xi_of_z(bp, sc->z[i]),
					zk[AM_MAXQ];

		/* u = tau_i s_k^2 has sqrt(u) = sqrt(tau_i) s_k */
		for (int k = 0; k < l; k++)
			zk[k] = z_of_xi(bp, sqtau * sc->fs[k]);
		lagrange_batch(sc, zk, l, bp->L[i]);
		for (int k = 0; k < l; k++)
		{
			double		su = sqtau * sc->fc[k],
						sv = vol * su,
						dt = su * su;

			svv[i][k] = sv;
			ism[i][k] = 1.0 / sv;
			drf[i][k] = (r - q) * dt / sv + 0.5 * sv;
			wr[i][k] = sc->fw[k] * exp(-r * dt);
			wq[i][k] = sc->fw[k] * exp(-q * dt);
		}
	}

	for (int it = 0; it < sc->m; it++)
	{
		for (int j = 0; j <= n; j++)
			sH[j] = sqrt(bp->H[j]);

		for (int i = 0; i < n; i++)
		{
			double		sqtau = xi_of_z(bp, sc->z[i]),
						tau = sqtau * sqtau,
						v = vol * sqtau,
						lnBi = bp->lnX - sH[i],
						hu[AM_MAXQ],
						shu[AM_MAXQ],
						ak[AM_MAXQ],
						bk[AM_MAXQ],
						gk[AM_MAXQ],
						In = 0.0,
						Id = 0.0,
						sa = 0.0,
						sb = 0.0,
						d1,
						d2,
						g1,
						g2,
						N,
						D,
						iN,
						iD;

			/* H at the quadrature points, as independent sums over the nodes */
			for (int k = 0; k < l; k++)
				hu[k] = 0.0;
			for (int j = 0; j < n; j++)
			{
				const double *L = bp->L[i][j];
				double		Hj = bp->H[j];

				for (int k = 0; k < l; k++)
					hu[k] += L[k] * Hj;
			}

			for (int k = 0; k < l; k++)
			{
				double		e1,
							e2,
							p1,
							p2;

				/* d1,2(tau - u, B(tau)/B(u)) with ln B = ln X - sqrt(H) */
				shu[k] = sqrt(hu[k] > 0.0 ? hu[k] : 0.0);
				e1 = (shu[k] - sH[i]) * ism[i][k] + drf[i][k];
				e2 = e1 - svv[i][k];
				p1 = gauss(e1);
				p2 = gauss(e2);
				In += wr[i][k] * cdf_with_gauss(e2, p2);
				Id += wq[i][k] * cdf_with_gauss(e1, p1);
				/* d/d ln B(tau_i) of the two integrands */
				ak[k] = r * tau * CN_INV_SQRT2PI * wr[i][k] * ism[i][k] * p2;
				bk[k] = q * tau * CN_INV_SQRT2PI * wq[i][k] * ism[i][k] * p1;
				sa += ak[k];
				sb += bk[k];
			}
			d1 = (lnBi + (r - q) * tau) / v + 0.5 * v;
			d2 = d1 - v;
			g1 = gauss(d1);
			g2 = gauss(d2);
			N = exp(-r * tau) * cdf_with_gauss(d2, g2) + r * tau * In;
			D = exp(-q * tau) * cdf_with_gauss(d1, g1) + q * tau * Id;

			for (int j = 0; j < n; j++)
				Jm[i][j] = 0.0;
			if (!(N > 0.0 && D > 0.0))
			{
				/* off the domain of the equations: hold this node for the pass */
				Jm[i][i] = 1.0;
				Jm[i][n] = 0.0;
				continue;
			}
			iN = 1.0 / N;
			iD = 1.0 / D;

			/*
			 * Row i of the Jacobian of R in y_j = ln B_j.  Directly through B(tau_i):
			 * 1 - N'/N + D'/D.  Through B(u): ln B(u) = ln X - sqrt(H(u)) with H(u) =
			 * sum_j L_j(u) (y_j - ln X)^2, so d ln B(u)/d y_j = L_j(u) sqrt(H_j/H(u)).
			 */
			Jm[i][i] = 1.0
				- (CN_INV_SQRT2PI * exp(-r * tau) * g2 / v + sa) * iN
				+ (CN_INV_SQRT2PI * exp(-q * tau) * g1 / v + sb) * iD;
			for (int k = 0; k < l; k++)
				gk[k] = shu[k] > 0.0 ? (ak[k] * iN - bk[k] * iD) / shu[k] : 0.0;
			for (int j = 0; j < n; j++)
				Jm[i][j] += dot(gk, bp->L[i][j], l) * sH[j];
			Jm[i][n] = log(N * iD) - lnBi;	/* -R_i */
		}

		/* the Newton step; a pass that cannot be solved leaves the boundary as it is */
		if (!dense_solve(n, Jm))
			break;
		for (int i = 0; i < n; i++)
		{
			double		lb = Jm[i][n] - sH[i];

			/* the boundary never rises above X */
			if (isfinite(lb))
				bp->H[i] = lb < 0.0 ? lb * lb : 0.0;
		}
	}
}

/*
 * ln(forward of x at s / B(T - s)) with s = T sin^2(pi theta/2): where it changes sign
 * the premium kernels step from 0 to 1 over a width ~ vol sqrt(s) in this quantity.
 */
static double
forward_gap(const am_put *bp, double lnx, double th)
{
	double		ss = sin(0.5 * M_PI * th),
				cc = cos(0.5 * M_PI * th);

	return lnx + (bp->r - bp->q) * bp->T * ss * ss - boundary_lnB(bp, bp->T * cc * cc);
}

/*
 * Maps y in [0, 1] to t in [0, 1], clustering around c with scale eps (a sinh map,
 * Johnston and Elliott 2005); eps -> infinity is the identity.  Returns t, and dt/dy in
 * *dt.
 */
static double
sinh_map(double y, double c, double eps, double *dt)
{
	double		a0,
				a1,
				arg;

	if (!(eps < 1e6))
	{
		*dt = 1.0;
		return y;
	}
	a0 = asinh(-c / eps);
	a1 = asinh((1.0 - c) / eps);
	arg = a0 + (a1 - a0) * y;
	*dt = eps * (a1 - a0) * cosh(arg);
	return c + eps * sinh(arg);
}

/*
 * One point of the premium integral and of its x-derivatives: at s = T - u ahead, with
 * the boundary ln B(u), dr = e^{-r s}, dq = e^{-q s}, sv = vol sqrt(s) and weight w.
 * Accumulates into acc[0..2].
 */
static inline void
premium_point(const am_put *bp, double lnx, double x, double lnB, double s, double sv,
			  double dr, double dq, double w, int want, double *acc)
{
	double		r = bp->r,
				q = bp->q,
				d1 = (lnx - lnB + (r - q) * s) / sv + 0.5 * sv,
				d2 = d1 - sv,
				g1 = gauss(d1),
				n1 = cdf_with_gauss(-d1, g1);

	acc[0] += w * (r * dr * cdf_with_gauss(-d2, gauss(d2)) - q * x * dq * n1);
	if (want)
	{
		double		qphi = CN_INV_SQRT2PI * dq * g1 / sv,
					c = q - r * exp(-lnB);

		acc[1] += w * (c * qphi - q * dq * n1);
		acc[2] += w * qphi / x * (q - c * d1 / sv);
	}
}

/*
 * Early-exercise premium of the put with strike 1 at spot x > B(T), on the boundary of
 * bp (ALO eq. 2.5):
 *   int_0^T [r e^{-r s} N(-d2(s, x/B(u))) - q x e^{-q s} N(-d1(s, x/B(u)))] du
 * with s = T - u.  When want != 0, also its first and second x-derivatives in
 * dx[0..1], differentiated under the integral sign and simplified with
 * B e^{-r s} phi(d2) = x e^{-q s} phi(d1):
 *   d/dx   : e^{-q s} [(q - r/B) phi(d1)/(vol sqrt s) - q N(-d1)]
 *   d2/dx2 : e^{-q s} phi(d1)/(x vol sqrt s) [q - (q - r/B) d1/(vol sqrt s)]
 *
 * Quadrature in theta, T - u = T sin^2(pi theta/2), where sqrt(u) and sqrt(s) are
 * smooth, in two panels of p Gauss-Legendre points split at AM_THETA_S.  Two features
 * can be much thinner than the panels:
 *  - near theta = 0 the kernels switch on over sqrt(s) ~ ln(x/B(T))/vol, arbitrarily
 *    thin for spots just above the boundary, and carrying an O(1) part of gamma however
 *    thin it is.  The inner panel is therefore graded, theta = AM_THETA_S (e^{lambda t}
 *    - 1)/(e^lambda - 1), with lambda chosen so that the mesh near 0 has that scale
 *    (lambda -> 0 is uniform);
 *  - where the forward of x crosses the boundary (forward_gap = 0) the kernels step from
 *    0 to 1 over a width vol sqrt(s) in log-moneyness: narrow when the drift |r - q| T
 *    dominates vol sqrt(T) (at vol 1%, T 30y plain Gauss-Legendre needs 64 points per
 *    panel for 1e-10).  The first pass over the points doubles as a scan for the
 *    crossing; when there is one, both panels cluster their points around it with a
 *    sinh map of that width, fading with the distance from a panel that does not
 *    contain it.  Measured in that case: 1.2e-3 relative error becomes 1.7e-7 at p = 16.
 * The maps depend smoothly on x and the inputs, so the price stays smooth, except where
 * a crossing first appears (at s = T, where the integrand's weight vanishes).
 */
static double
put_premium(const am_put *bp, double x, int want, double *dx)
{
	const am_scheme *sc = bp->sc;
	int			p = sc->p,
				np = 2 * p;
	double		r = bp->r,
				q = bp->q,
				vol = bp->vol,
				T = bp->T,
				sqT = sqrt(T),
				lnx = log(x),
				lnBT = bp->lnX - sqrt(bp->H[0]),
				acc[3] = {0.0, 0.0, 0.0},
				rho,
				lam = 0.0,
				el,
				thc = -1.0,
				wth = 0.0,
				th[2 * AM_MAXQ],
				wt[2 * AM_MAXQ],
				zk[2 * AM_MAXQ],
				ss[2 * AM_MAXQ],
				cc[2 * AM_MAXQ],
				lnB[2 * AM_MAXQ],
				L[AM_MAXN][AM_MAXQ];

	/* the layer: sqrt(s) = ln(x/B(T))/vol <=> theta ~ (2/pi) ln(x/B(T))/(vol sqrt T) */
	rho = (2.0 / M_PI) * (lnx - lnBT) / (vol * sqT) / AM_THETA_S;
	if (rho < 1e-8)
		rho = 1e-8;
	if (rho < 0.5)
	{
		/* lambda/(e^lambda - 1) = rho, by Newton in lambda from ln(1/rho) */
		lam = -log(rho);
		for (int it = 0; it < 30; it++)
		{
			double		em = expm1(lam),
						f = lam / em - rho,
						df = (em - lam * (em + 1.0)) / (em * em),
						dl = f / df;

			lam -= dl;
			if (fabs(dl) < 1e-13 * lam)
				break;
		}
	}
	el = expm1(lam);

	for (int stage = 0; stage < 2; stage++)
	{
		for (int panel = 0; panel < 2; panel++)
		{
			double		c = 0.0,
						eps = HUGE_VAL;

			/* where the crossing sits in this panel's t variable, and its scale there */
			if (stage == 1)
			{
				double		tstar,
							slope;

				if (panel == 0 && lam > 0.0)
				{
					double		tt = log1p(fmin(thc, AM_THETA_S) * el / AM_THETA_S) / lam;

					slope = AM_THETA_S * lam * exp(lam * tt) / el;
					tstar = tt + (thc > AM_THETA_S ? (thc - AM_THETA_S) / slope : 0.0);
				}
				else if (panel == 0)
				{
					slope = AM_THETA_S;
					tstar = thc / AM_THETA_S;
				}
				else
				{
					slope = 1.0 - AM_THETA_S;
					tstar = (thc - AM_THETA_S) / slope;
				}
				c = fmin(fmax(tstar, 0.0), 1.0);
				eps = wth / slope + fabs(tstar - c);
			}

			for (int k = 0; k < p; k++)
			{
				int			i = panel * p + k;
				double		dt = 1.0,
							t = (stage == 1) ? sinh_map(sc->py[k], c, eps, &dt) : sc->py[k],
							dth;

				if (panel == 1)
				{
					th[i] = AM_THETA_S + (1.0 - AM_THETA_S) * t;
					dth = 1.0 - AM_THETA_S;
				}
				else if (lam > 0.0)
				{
					th[i] = AM_THETA_S * expm1(lam * t) / el;
					dth = AM_THETA_S * lam * exp(lam * t) / el;
				}
				else
				{
					th[i] = AM_THETA_S * t;
					dth = AM_THETA_S;
				}
				if (stage == 0 && panel == 1)
				{
					ss[i] = sc->ps[k];
					cc[i] = sc->pc[k];
				}
				else
				{
					ss[i] = sin(0.5 * M_PI * th[i]);
					cc[i] = cos(0.5 * M_PI * th[i]);
				}
				wt[i] = sc->pyw[k] * dt * dth * M_PI * ss[i] * cc[i];
				/* B(u) at sqrt(u) = sqrt(T) cos(pi theta/2) */
				zk[i] = z_of_xi(bp, sqT * cc[i]);
			}
		}
		for (int half = 0; half < 2; half++)
		{
			lagrange_batch(sc, zk + half * p, p, L);
			for (int k = 0; k < p; k++)
			{
				double		h = 0.0;

				for (int j = 0; j < sc->n; j++)
					h += L[j][k] * bp->H[j];
				lnB[half * p + k] = bp->lnX - sqrt(h > 0.0 ? h : 0.0);
			}
		}
		if (stage == 1)
			break;

		/* scan the gaps in increasing theta for the first crossing */
		{
			double		ta = 0.0,
						ga = lnx - lnBT;

			for (int i = 0; i < np; i++)
			{
				double		g = lnx + (r - q) * T * ss[i] * ss[i] - lnB[i];

				if (g <= 0.0)
				{
					double		a = ta,
								b = th[i],
								gb = g,
								dg,
								eta;
					int			side = 0;

					/*
					 * Illinois on the interpolated boundary, a fixed number of steps so
					 * that the crossing is a smooth function of the inputs; from a bracket
					 * of one quadrature interval eight steps leave an error far below the
					 * width it is used with.
					 */
					for (int it = 0; it < 8; it++)
					{
						double		m = (a * gb - b * ga) / (gb - ga),
									gm = forward_gap(bp, lnx, m);

						if (gm > 0.0)
						{
							a = m;
							ga = gm;
							if (side == -1)
								gb *= 0.5;
							side = -1;
						}
						else
						{
							b = m;
							gb = gm;
							if (side == 1)
								ga *= 0.5;
							side = 1;
						}
					}
					thc = 0.5 * (a + b);
					eta = fmin(1e-5, fmin(thc, 1.0 - thc));
					dg = (eta > 0.0)
						? (forward_gap(bp, lnx, thc + eta)
						   - forward_gap(bp, lnx, thc - eta)) / (2.0 * eta)
						: (forward_gap(bp, lnx, thc)
						   - forward_gap(bp, lnx, thc - 1e-5)) / 1e-5;
					/* d changes by one over this many theta units */
					wth = vol * sqT * sin(0.5 * M_PI * thc) / fmax(fabs(dg), 1e-300);
					break;
				}
				ta = th[i];
				ga = g;
			}
		}
		if (thc < 0.0)
			break;
	}

	for (int i = 0; i < np; i++)
	{
		double		s = T * ss[i] * ss[i];

		premium_point(bp, lnx, x, lnB[i], s, vol * sqT * ss[i], exp(-r * s), exp(-q * s),
					  wt[i], want, acc);
	}
	if (want)
	{
		dx[0] = T * acc[1];
		dx[1] = T * acc[2];
	}
	return T * acc[0];
}

/* ------------------------------------------------------------------------------------
 * Finite-difference fallback for the double-boundary put (r < 0, q < r)
 * ------------------------------------------------------------------------------------ */

/*
 * Grid of the fallback, per scheme: intervals in ln S and time steps.  Measured against
 * nx = 3000, nt = 1200 on 40 random double-boundary puts (vol 2% to 100%, T 1 day to
 * 10 years, q < r < 0), errors relative to max(price, 1e-3 K): 1000/300 gives 2.7e-6
 * RMS, 1.0e-5 worst, in about 20 ms; 500/150 gives 5.7e-6 and 2.2e-5 in about 6 ms.
 * At low vol against a strong carry (vol 4%, r - q 9%, T 6y) the grid sequence
 * converges unevenly, to about 1.4e-6 K.  On single-boundary puts, against the
 * fixed-point method, 500/200 is within 1e-7 K.
 */
static const int am_fd_grid[2][2] = {{1000, 300}, {500, 150}};

/*
 * Half-width cap of the grid in ln S, beyond which far-end European values are what
 * the American ones are anyway, and e^{+-8 vol sqrt T} would overflow for absurd
 * inputs; and the most intervals the low-vol refinement of fd_put may use.
 */
#define AM_FD_MAXW	40.0
#define AM_FD_MAXNX 4000

/*
 * One time step of the linear complementarity problem
 *   min(A V - rhs, V - g) = 0,   A = tridiag(-th a, 1 - th b, -th c)
 * by policy iteration (Howard's algorithm): each row takes whichever of its two
 * equations is currently the smaller, the tridiagonal system is solved, and this
 * repeats until no row changes.  A is an M-matrix, so this ends, usually after one or
 * two solves, at the exact discrete solution: unlike a projection after a linear solve
 * it adds no first-order time error.  Where the payoff is 0 holding is always better.
 * V holds the previous step on entry and the solution on exit; rows 0 and N are
 * Dirichlet.  ex, cp and dp are work arrays of N + 1 entries.
 */
static void
fd_lcp_step(int N, double th, double a, double b, double c, const double *rhs,
			const double *g, double *V, char *ex, double *cp, double *dp)
{
	for (int i = 1; i < N; i++)
		ex[i] = g[i] > 0.0 && V[i] <= g[i];
	for (int it = 0; it < 100; it++)
	{
		int			changed = 0;
		double		moved = 0.0,
					scale = 0.0;

		/* Thomas algorithm on the rows the policy selects */
		cp[0] = 0.0;
		dp[0] = V[0];
		for (int i = 1; i < N; i++)
		{
			double		lo = ex[i] ? 0.0 : -th * a,
						di = ex[i] ? 1.0 : 1.0 - th * b,
						up = ex[i] ? 0.0 : -th * c,
						ri = ex[i] ? g[i] : rhs[i],
						m = di - lo * cp[i - 1];

			cp[i] = up / m;
			dp[i] = (ri - lo * dp[i - 1]) / m;
		}
		for (int i = N - 1; i >= 1; i--)
		{
			double		vi = dp[i] - cp[i] * V[i + 1];

			moved = fmax(moved, fabs(vi - V[i]));
			scale = fmax(scale, fabs(vi));
			V[i] = vi;
		}
		/*
		 * In exact arithmetic the iteration ends; in floating point rows whose two
		 * equations agree to rounding can swap back and forth for ever (measured:
		 * moves of 14 ulp, 100 solves per step, 0.8 s per price at T = 1.05e-10).  A
		 * solve that moved no value by 1e-12 of the largest is taken as the solution:
		 * the grid's own error is about 1e-6.
		 */
		if (it > 0 && moved <= 1e-12 * scale)
			break;

		for (int i = 1; i < N; i++)
		{
			double		cont = -th * a * V[i - 1] + (1.0 - th * b) * V[i]
			- th * c * V[i + 1] - rhs[i];
			char		e = g[i] > 0.0 && (V[i] - g[i]) < cont;

			if (e != ex[i])
			{
				ex[i] = e;
				changed = 1;
			}
		}
		if (!changed)
			break;
	}
}

/*
 * American put (any r, q) with strike 1 at spot x by Crank-Nicolson in y = ln S on the
 * grid y_j = yb + j h, j = j0..j0 + N (yb = 0 puts the strike on a node), with nt time
 * steps uniform in sqrt(tau) -- short near expiry, where the boundaries move like
 * sqrt(tau); uniform steps leave an O(dt) error there -- the first two implicit Euler
 * (Rannacher) to damp the payoff kink.  Far ends are Dirichlet at max(intrinsic,
 * European).  Returns the value at x by cubic interpolation in y, and its first two
 * x-derivatives in d[0..1]; NaN if out of memory.
 */
static double
fd_put_grid(double x, double r, double q, double vol, double T, double yb, double h,
			int j0, int N, int nt, double *d)
{
	double	   *V,
			   *g,
			   *rhs,
			   *cp,
			   *dp;
	char	   *ex;
	double		y0 = log(x),
				mu = r - q - 0.5 * vol * vol,
				s2 = vol * vol,
				a,
				b,
				c,
				tau = 0.0,
				v,
				t,
				c1,
				c2,
				c3,
				p1,
				p2;
	int			i;

	V = malloc((5 * sizeof(double) + 1) * (N + 1));
	if (V == NULL)
		return NAN;
	g = V + (N + 1);
	rhs = g + (N + 1);
	cp = rhs + (N + 1);
	dp = cp + (N + 1);
	ex = (char *) (dp + (N + 1));

	/* central differences while they keep an M-matrix, else upwind the drift */
	if (fabs(mu) * h <= s2)
	{
		a = 0.5 * s2 / (h * h) - 0.5 * mu / h;
		c = 0.5 * s2 / (h * h) + 0.5 * mu / h;
	}
	else if (mu > 0)
	{
		a = 0.5 * s2 / (h * h);
		c = 0.5 * s2 / (h * h) + mu / h;
	}
	else
	{
		a = 0.5 * s2 / (h * h) - mu / h;
		c = 0.5 * s2 / (h * h);
	}
	b = -(a + c) - r;

	for (int j = 0; j <= N; j++)
	{
		double		y = yb + (j0 + j) * h;

		/* -expm1 keeps the payoff exact near the strike */
		g[j] = (y < 0.0) ? -expm1(y) : 0.0;
		V[j] = g[j];
	}
	for (int step = 0; step < nt; step++)
	{
		double		t1 = T * ((double) (step + 1) / nt) * ((double) (step + 1) / nt),
					dt = t1 - tau,
					th = (step < 2) ? 1.0 : 0.5;

		tau = t1;
		for (int j = 1; j < N; j++)
			rhs[j] = V[j] + (1.0 - th) * dt * (a * V[j - 1] + b * V[j] + c * V[j + 1]);
		for (int e = 0; e <= N; e += N)
		{
			double		eu = cn_bsm_price(-1, exp(yb + (j0 + e) * h), 1.0, tau, vol, r, q);

			V[e] = eu > g[e] ? eu : g[e];
		}
		fd_lcp_step(N, th * dt, a, b, c, rhs, g, V, ex, cp, dp);
	}

	/* the cubic through the four nodes around y0 (Newton form), and its derivatives */
	i = (int) floor((y0 - yb) / h) - j0 - 1;
	if (i < 0)
		i = 0;
	if (i > N - 3)
		i = N - 3;
	t = (y0 - yb - (j0 + i) * h) / h;	/* in [1, 2] away from the ends */
	c1 = V[i + 1] - V[i];
	c2 = 0.5 * (V[i + 2] - 2.0 * V[i + 1] + V[i]);
	c3 = (V[i + 3] - 3.0 * V[i + 2] + 3.0 * V[i + 1] - V[i]) / 6.0;
	v = V[i] + t * (c1 + (t - 1.0) * (c2 + (t - 2.0) * c3));
	p1 = (c1 + c2 * (2.0 * t - 1.0) + c3 * (3.0 * t * t - 6.0 * t + 2.0)) / h;
	p2 = (2.0 * c2 + c3 * (6.0 * t - 6.0)) / (h * h);
	/* from y = ln S to S */
	d[0] = p1 / x;
	d[1] = (p2 - p1) / (x * x);
	free(V);
	return v;
}

/*
 * The finite-difference fallback: fd_put_grid on about nx intervals over ln x +- (8 vol
 * sqrt T + |r - q| T), and on the grid with half the step, combined by Richardson
 * extrapolation (the space error is O(h^2), ratio 4.0 per halving on single-boundary
 * puts; the sqrt(tau) steps keep the time error below it).  Returns the value and the
 * extrapolated x-derivatives in d[0..1].
 */
static double
fd_put(double x, double r, double q, double vol, double T, int nx, int nt, double *d)
{
	double		y0 = log(x),
				W = fmin(8.0 * vol * sqrt(T) + fabs(r - q) * T, AM_FD_MAXW),
				mu = fabs(r - q - 0.5 * vol * vol),
				dc[2],
				df[2],
				vc,
				vf,
				h,
				yb;
	int			j0,
				N;

	/*
	 * x = 0 or inf (a spot or strike at the ends of the double range, divided by the
	 * other): the put on strike 1 is then exercised at once (1 - x = 1) or worthless;
	 * the grid below would have no finite node (and ceil/floor of NaN as a node count).
	 */
	if (!isfinite(y0))
	{
		d[0] = y0 < 0 ? -1.0 : 0.0;
		d[1] = 0.0;
		return y0 < 0 ? 1.0 : 0.0;
	}

	/*
	 * Central differences need h <= vol^2/|mu|; at low vol against the carry the grid is
	 * refined to that, up to AM_FD_MAXNX intervals, as upwinding the drift instead is
	 * first order and smears the solution like a vol of sqrt(|mu| h).
	 */
	if (mu * 2.0 * W > nx * vol * vol)
		nx = (int) fmin(ceil(mu * 2.0 * W / (vol * vol)), AM_FD_MAXNX);
	h = 2.0 * W / nx;
	/* nodes at yb + j h: the strike on a node when it is inside the grid */
	yb = (fabs(y0) < W) ? 0.0 : y0;
	j0 = (int) floor((y0 - yb - W) / h);
	N = (int) ceil((y0 - yb + W) / h) - j0;
	vc = fd_put_grid(x, r, q, vol, T, yb, h, j0, N, nt, dc);
	vf = fd_put_grid(x, r, q, vol, T, yb, 0.5 * h, 2 * j0, 2 * N, nt, df);
	d[0] = (4.0 * df[0] - dc[0]) / 3.0;
	d[1] = (4.0 * df[1] - dc[1]) / 3.0;
	return (4.0 * vf - vc) / 3.0;
}

/* ------------------------------------------------------------------------------------
 * Dispatch over the cases of the table at the top
 * ------------------------------------------------------------------------------------ */

typedef struct am_val
{
	double		price;
	double		delta;			/* dV/dS */
	double		gamma;			/* d2V/dS2 */
} am_val;

enum
{
	AM_EUROPEAN,
	AM_SINGLE,
	AM_DOUBLE
};

/* The case a put with rate r and yield q falls in. */
static int
put_regime(double r, double q)
{
	if (r > 0.0 || (r == 0.0 && q < 0.0))
		return AM_SINGLE;
	if (q >= r)
		return AM_EUROPEAN;
	return AM_DOUBLE;
}

/*
 * Zero vol, strike 1: the forward is certain, so the holder exercises at the best time.
 * Returns the largest of e^{-r t} - x e^{-q t} at t = 0, T and the stationary point
 * t* = ln(r/(q x))/(r - q) when inside, and 0; the chosen time in *tex (-1: none).
 */
static double
put_zero_vol(double x, double r, double q, double T, double *tex)
{
	double		cand[3] = {0.0, T, -1.0},
				best = 0.0;

	*tex = -1.0;
	if (r != q && r * q > 0.0)
	{
		double		ts = log(r / (q * x)) / (r - q);

		if (ts > 0.0 && ts < T)
			cand[2] = ts;
	}
	for (int i = 0; i < 3; i++)
	{
		double		f;

		if (cand[i] < 0.0)
			continue;
		f = exp(-r * cand[i]) - x * exp(-q * cand[i]);
		if (f > best)
		{
			best = f;
			*tex = cand[i];
		}
	}
	return best;
}

/*
 * Below AM_TINY_T years to expiry, or a total vol below AM_TINY_S, the price comes from
 * the bounds (am_value) instead of the boundary or the finite-difference grid, whose
 * steps would be far below the rounding of their coordinates.
 */
#define AM_TINY_T	1e-10
#define AM_TINY_S	1e-10

/*
 * Raise *out (price, delta, gamma) to the European value where that is higher: the
 * American price is never below it.
 */
static void
european_floor(int omega, double S, double K, double t, double vol, double r, double q,
			   int want, am_val *out)
{
	cn_greeks	g;

	if (want)
		cn_bsm_greeks(omega, S, K, t, vol, r, q, &g);
	else
		g.price = cn_bsm_price(omega, S, K, t, vol, r, q);
	if (g.price > out->price)
	{
		out->price = g.price;
		out->delta = want ? g.delta : 0.0;
		out->gamma = want ? g.gamma : 0.0;
	}
}

/*
 * Price, and when want != 0 delta and gamma, of the American option.  Works on the put
 * (S', K', r', q') = (S, K, r, q) for a put, (K, S, q, r) for a call, scaled to strike 1
 * at x = S'/K'.  A put value K' v(x) gives the S-derivatives by homogeneity of degree
 * one: for a put dV/dS = v'(x), d2V/dS2 = v''(x)/K; for a call (K' = S, x = K/S)
 * dV/dS = v(x) - x v'(x), d2V/dS2 = x^2 v''(x)/S.
 */
static void
am_value(int omega, double S, double K, double t, double vol, double r, double q,
		 int scheme, int want, am_val *out)
{
	double		Sp = omega > 0 ? K : S,
				Kp = omega > 0 ? S : K,
				rp = omega > 0 ? q : r,
				qp = omega > 0 ? r : q,
				x = Sp / Kp,
				intrinsic = omega * (S - K) > 0.0 ? omega * (S - K) : 0.0,
				v,
				eu,				/* the European put at x, strike 1 */
				v1 = 0.0,
				v2 = 0.0,
				tex;
	int			regime = put_regime(rp, qp);

	out->price = intrinsic;
	out->delta = intrinsic > 0.0 ? omega : 0.0;
	out->gamma = 0.0;
	if (t <= 0.0)
		return;

	if (t < AM_TINY_T)
	{
		/*
		 * So close to expiry the early-exercise premium, at most (|r| K + |q| S) t, is
		 * below 2e-10 max(S, K) (within the ranges of cn_american_range): the price is
		 * the larger of the intrinsic and the European value.
		 */
		european_floor(omega, S, K, t, vol, r, q, want, out);
		return;
	}

	if (vol <= 0.0)
	{
		out->price = Kp * put_zero_vol(x, rp, qp, t, &tex);
		/* envelope theorem: the derivative at the chosen exercise time */
		out->delta = tex < 0.0 ? 0.0 : omega * exp(-q * tex);
		return;
	}
	if (vol * sqrt(t) < AM_TINY_S)
	{
		/*
		 * A total vol this small moves the price by at most about 0.4 S vol sqrt(t)
		 * < 4e-11 S from its zero-vol value: that value, or the European one where it
		 * is larger (near the money, where the time value is of the order of the vol).
		 */
		out->price = Kp * put_zero_vol(x, rp, qp, t, &tex);
		out->delta = tex < 0.0 ? 0.0 : omega * exp(-q * tex);
		european_floor(omega, S, K, t, vol, r, q, want, out);
		return;
	}

	if (regime == AM_EUROPEAN)
	{
		if (want)
		{
			cn_greeks	g;

			cn_bsm_greeks(omega, S, K, t, vol, r, q, &g);
			out->price = g.price;
			out->delta = g.delta;
			out->gamma = g.gamma;
		}
		else
			out->price = cn_bsm_price(omega, S, K, t, vol, r, q);
		return;
	}

	if (regime == AM_DOUBLE)
	{
		double		dv[2];

		v = fd_put(x, rp, qp, vol, t, am_fd_grid[scheme == CN_AM_FAST][0],
				   am_fd_grid[scheme == CN_AM_FAST][1], dv);
		v1 = dv[0];
		v2 = dv[1];
		eu = cn_bsm_price(-1, x, 1.0, t, vol, rp, qp);
	}
	else
	{
		am_put		bp;
		double		e,
					de[2] = {0.0, 0.0};

		put_boundary(&bp, rp, qp, vol, t, get_scheme(scheme));
		/*
		 * At or below B(T): exercise now -- unless the European value is above the
		 * intrinsic there, which happens when the computed boundary at T has not moved
		 * off the strike (tiny T): the American is never worth less than the European.
		 */
		if (x <= exp(bp.lnX - sqrt(bp.H[0])))
		{
			european_floor(omega, S, K, t, vol, r, q, want, out);
			return;
		}
		e = put_premium(&bp, x, want, de);
		if (e < 0.0)
			e = 0.0;
		if (want)
		{
			cn_greeks	g;

			cn_bsm_greeks(-1, x, 1.0, t, vol, rp, qp, &g);
			eu = g.price;
			v1 = g.delta + de[0];
			v2 = g.gamma + de[1];
		}
		else
			eu = cn_bsm_price(-1, x, 1.0, t, vol, rp, qp);
		v = eu + e;
	}

	/*
	 * The bounds every American put obeys, as a guard for the finite-difference fallback
	 * and for absurd inputs (vol sqrt(T) ~ 50): at least the European value and the
	 * zero-vol value (worth of exercising at the best deterministic time, by Jensen), at
	 * most K max(1, e^{-rT}).  Inside the fixed-point method's range they never bind.
	 */
	v = fmax(v, fmax(put_zero_vol(x, rp, qp, t, &tex), eu));
	v = fmin(v, fmax(1.0, exp(-rp * t)));

	out->price = Kp * v;
	if (omega < 0)
	{
		out->delta = v1;
		out->gamma = v2 / K;
	}
	else
	{
		out->delta = v - x * v1;
		out->gamma = x * x * v2 / S;
	}
	if (out->price <= intrinsic)
	{
		out->price = intrinsic;
		out->delta = intrinsic > 0.0 ? omega : 0.0;
		out->gamma = 0.0;
	}
}

int
cn_american_range(double S, double K, double t, double vol, double r, double q)
{
	if (!(t <= CN_AM_MAX_T))
		return CN_AM_RANGE_T;
	if (!(vol <= CN_AM_MAX_VOL) || !(vol * sqrt(t) <= CN_AM_MAX_TOTAL_VOL))
		return CN_AM_RANGE_VOL;
	if (!(fabs(r) <= CN_AM_MAX_RATE))
		return CN_AM_RANGE_R;
	if (!(fabs(q) <= CN_AM_MAX_RATE))
		return CN_AM_RANGE_Q;
	/* S/K within 1e-12 .. 1e12, without forming a quotient that could overflow */
	if (!(S / CN_AM_MAX_MONEYNESS <= K && K / CN_AM_MAX_MONEYNESS <= S))
		return CN_AM_RANGE_MONEYNESS;
	return CN_AM_RANGE_OK;
}

double
cn_american_price(int omega, double S, double K, double t, double vol, double r,
				  double q, int scheme)
{
	am_val		v;

	am_value(omega, S, K, t, vol, r, q, scheme, 0, &v);
	return v.price;
}

/* ------------------------------------------------------------------------------------
 * Greeks
 * ------------------------------------------------------------------------------------ */

/*
 * Steps of the finite differences in cn_american_greeks.  The price is a smooth function
 * of vol, r, q and t with rounding noise near 1e-14 of its value, so a central
 * difference of step h errs by h^2 f'''/6 + 1e-14 f/h: 2e-4 vol keeps both below 1e-8
 * of vega and puts volga's 1e-14/h^2 near 1e-6 of it; 1e-5 suits the rates (absolute,
 * per year) and 1e-4 t the time to expiry, on which delta varies on the scale of t.
 */
#define AM_H_VOL	2e-4
#define AM_H_RATE	1e-5
#define AM_H_TIME	1e-4

/*
 * dV/dr (which = 0) or dV/dq (which = 1): a central difference of step AM_H_RATE, or a
 * one-sided three-point difference on the side that stays in the same case of the table
 * at the top.  At r = 0 (put) or q = 0 (call) the method changes, and a difference
 * across the change would mix two methods' errors into the derivative.  f0 is the price
 * at (r, q).
 */
static double
rate_derivative(int omega, double S, double K, double t, double vol, double r, double q,
				int scheme, int which, double f0)
{
	static const double steps[4] = {1.0, -1.0, 2.0, -2.0};
	double		h = AM_H_RATE,
				f[4];
	int			base = put_regime(omega > 0 ? q : r, omega > 0 ? r : q),
				ok[4];

	for (int k = 0; k < 4; k++)
	{
		double		rr = which ? r : r + steps[k] * h,
					qq = which ? q + steps[k] * h : q;

		ok[k] = put_regime(omega > 0 ? qq : rr, omega > 0 ? rr : qq) == base;
		f[k] = (k < 2 || !(ok[0] && ok[1]))
			? cn_american_price(omega, S, K, t, vol, rr, qq, scheme) : 0.0;
	}
	if (ok[0] && ok[1])
		return (f[0] - f[1]) / (2.0 * h);
	if (ok[0] && ok[2])
		return (-3.0 * f0 + 4.0 * f[0] - f[2]) / (2.0 * h);
	if (ok[1] && ok[3])
		return (3.0 * f0 - 4.0 * f[1] + f[3]) / (2.0 * h);
	return (f[0] - f[1]) / (2.0 * h);
}

/*
 * Price and Greeks.  Delta and gamma are analytic on the boundary (derivatives of the
 * premium integral) or from the grid of the fallback; vega, rho, phi, theta are central
 * differences of the price, vanna and charm of the analytic delta, volga the second
 * difference in vol: nine prices in all.
 */
void
cn_american_greeks(int omega, double S, double K, double t, double vol, double r,
				   double q, int scheme, cn_greeks *g)
{
	am_val		v0,
				vp,
				vm;
	double		h;

	*g = (cn_greeks) {0};
	if (t <= 0.0)
	{
		/* at expiry: intrinsic value and exercise indicator, as the European code */
		cn_bsm_greeks(omega, S, K, 0.0, vol, r, q, g);
		return;
	}
	if (t < AM_TINY_T)
	{
		/*
		 * The price is the larger of the European value and the intrinsic (am_value);
		 * so are the Greeks, which finite differences of step 1e-4 t could not resolve
		 * (a subnormal t gives a step of 0).
		 */
		cn_bsm_greeks(omega, S, K, t, vol, r, q, g);
		if (!(g->price >= fmax(omega * (S - K), 0.0)))
			cn_bsm_greeks(omega, S, K, 0.0, vol, r, q, g);
		return;
	}
	am_value(omega, S, K, t, vol, r, q, scheme, 1, &v0);
	g->price = v0.price;
	g->delta = v0.delta;
	g->gamma = v0.gamma;

	if (vol > 1e-300)
	{
		h = AM_H_VOL * vol;
		am_value(omega, S, K, t, vol + h, r, q, scheme, 1, &vp);
		am_value(omega, S, K, t, vol - h, r, q, scheme, 1, &vm);
		g->vega = 0.01 * (vp.price - vm.price) / (2.0 * h);
		g->vanna = 0.01 * (vp.delta - vm.delta) / (2.0 * h);
		/* h h underflows below vol = 1e-150: divide twice there */
		g->volga = h >= 1e-150 ? 1e-4 * (vp.price - 2.0 * v0.price + vm.price) / (h * h) :
			1e-4 * ((vp.price - 2.0 * v0.price + vm.price) / h) / h;
	}
	else
	{
		/* one-sided at vol = 0 (and below 1e-300, where a relative step underflows) */
		h = 1e-6;
		am_value(omega, S, K, t, vol + h, r, q, scheme, 1, &vp);
		am_value(omega, S, K, t, vol + 2.0 * h, r, q, scheme, 1, &vm);
		g->vega = 0.01 * (-3.0 * v0.price + 4.0 * vp.price - vm.price) / (2.0 * h);
		g->vanna = 0.01 * (-3.0 * v0.delta + 4.0 * vp.delta - vm.delta) / (2.0 * h);
		g->volga = 1e-4 * (v0.price - 2.0 * vp.price + vm.price) / (h * h);
	}

	g->rho = 0.01 * rate_derivative(omega, S, K, t, vol, r, q, scheme, 0, v0.price);
	g->phi = 0.01 * rate_derivative(omega, S, K, t, vol, r, q, scheme, 1, v0.price);

	/* theta = -dV/dT and charm = -d(delta)/dT, per calendar day */
	h = AM_H_TIME * t;
	am_value(omega, S, K, t + h, vol, r, q, scheme, 1, &vp);
	am_value(omega, S, K, t - h, vol, r, q, scheme, 1, &vm);
	g->theta = (vm.price - vp.price) / (2.0 * h) / 365.0;
	g->charm = (vm.delta - vp.delta) / (2.0 * h) / 365.0;
}

/* ------------------------------------------------------------------------------------
 * Implied volatility
 * ------------------------------------------------------------------------------------ */

/*
 * European BSM implied vol of price, only as the starting point: the American price is
 * at least the European one at every vol, so this is an upper bound on the answer.
 * Newton in vol safeguarded by bisection; 0 below the European range, NaN above it.
 */
static double
european_vol_guess(int omega, double price, double S, double K, double t, double r,
				   double q)
{
	double		Fd = S * exp(-q * t),
				Kd = K * exp(-r * t),
				lb = omega * (Fd - Kd) > 0.0 ? omega * (Fd - Kd) : 0.0,
				ub = omega > 0 ? Fd : Kd,
				lo = 0.0,
				hi = 50.0 / sqrt(t),
				s;

	if (price <= lb)
		return 0.0;
	if (price >= ub)
		return NAN;
	/* Brenner-Subrahmanyam at the money, a fair start anywhere */
	s = sqrt(2.0 * M_PI / t) * (price - 0.5 * lb) / (0.5 * (Fd + Kd));
	if (!(s > 0.0 && s < hi))
		s = 0.5;
	for (int it = 0; it < 60; it++)
	{
		cn_greeks	g;
		double		f,
					sn;

		cn_bsm_greeks(omega, S, K, t, s, r, q, &g);
		f = g.price - price;
		if (f > 0.0)
			hi = s;
		else
			lo = s;
		sn = (g.vega > 0.0) ? s - f / (100.0 * g.vega) : 0.5 * (lo + hi);
		if (!(sn > lo && sn < hi))
			sn = 0.5 * (lo + hi);
		if (fabs(sn - s) <= 1e-10 * s)
			return sn;
		s = sn;
	}
	return s;
}

/* American price minus the target: the function whose root is the implied vol. */
static double
iv_objective(double price, int omega, double S, double K, double t, double vol,
			 double r, double q, int scheme)
{
	return cn_american_price(omega, S, K, t, vol, r, q, scheme) - price;
}

#define AM_IV_MAX	100.0		/* largest vol searched */

/* iv_objective as a cn_root_fn */
typedef struct iv_ctx
{
	double		price;
	int			omega;
	double		S,
				K,
				t,
				r,
				q;
	int			scheme;
} iv_ctx;

static double
iv_root(double vol, void *p)
{
	const iv_ctx *c = (const iv_ctx *) p;

	return iv_objective(c->price, c->omega, c->S, c->K, c->t, vol, c->r, c->q, c->scheme);
}

/*
 * The vol at which the American price equals price.
 *
 * The American price is continuous and non-decreasing in vol, from V0 at vol = 0 (the
 * best discounted intrinsic value over exercise times, put_zero_vol) towards its
 * supremum, S max(1, e^{-qT}) for a call and K max(1, e^{-rT}) for a put.  Hence:
 *   price < V0 (in particular below intrinsic)  CN_AIV_BELOW_INTRINSIC
 *   price >= the supremum, or above the price   CN_AIV_ABOVE_MAX
 *   at AM_IV_MAX (10,000%)
 *   t = 0                                       CN_AIV_NO_TIME_VALUE: every vol gives
 *                                               the same price
 *   price = V0 to 1e-12 relative                0, CN_AIV_OK: vol 0 reproduces the price,
 *                                               as the European solver answers for a
 *                                               price at intrinsic (for deep puts every
 *                                               vol up to a threshold does, as they are
 *                                               exercised at once; 0 is the smallest)
 *   otherwise                                   the vol, to about 1e-13 relative
 * The two families' statuses thus mean the same thing.  The root is bracketed from the
 * European implied vol of the price (an upper bound) and refined by Brent's method on
 * the American price: 8 to 12 prices in all.  CN_AIV_NOT_CONVERGED only when Brent fails
 * (not observed in testing).
 */
double
cn_american_implied_vol(double price, int omega, double S, double K, double t,
						double r, double q, int scheme, int *status)
{
	double		intrinsic = omega * (S - K) > 0.0 ? omega * (S - K) : 0.0,
				sup = omega > 0 ? S * fmax(1.0, exp(-q * t)) : K * fmax(1.0, exp(-r * t)),
				slack = 1e-12 * fmax(price, 1e-300),
				v0,
				a,
				b,
				fa,
				fb;

	*status = CN_AIV_OK;
	if (!(price >= intrinsic - slack))
	{
		*status = CN_AIV_BELOW_INTRINSIC;
		return NAN;
	}
	if (price >= sup)
	{
		*status = CN_AIV_ABOVE_MAX;
		return NAN;
	}
	if (t <= 0.0)
	{
		*status = CN_AIV_NO_TIME_VALUE;
		return NAN;
	}
	v0 = cn_american_price(omega, S, K, t, 0.0, r, q, scheme);
	if (price < v0 - slack)
	{
		*status = CN_AIV_BELOW_INTRINSIC;
		return NAN;
	}
	if (price <= v0 + slack)
		return 0.0;

	/* a bracket [a, b] with f(a) < 0 <= f(b), f the price error */
	b = european_vol_guess(omega, price, S, K, t, r, q);
	if (!(b > 0.0) || !isfinite(b))
		b = 0.5;
	a = 0.0;
	fa = v0 - price;
	fb = iv_objective(price, omega, S, K, t, b, r, q, scheme);
	while (fb < 0.0)
	{
		a = b;
		fa = fb;
		b *= 2.0;
		if (b > AM_IV_MAX)
		{
			*status = CN_AIV_ABOVE_MAX;
			return NAN;
		}
		fb = iv_objective(price, omega, S, K, t, b, r, q, scheme);
	}
	if (a == 0.0)
	{
		/* the European vol is too high by about the premium over the vega: step down */
		double		s = b;

		for (int it = 0; it < 60 && fb > 0.0; it++)
		{
			cn_greeks	g;
			double		f,
						sn;

			cn_bsm_greeks(omega, S, K, t, s, r, q, &g);
			sn = (g.vega > 0.0) ? s - fb / (100.0 * g.vega) : 0.5 * s;
			if (!(sn > 0.5 * s))
				sn = 0.5 * s;
			f = iv_objective(price, omega, S, K, t, sn, r, q, scheme);
			if (f < 0.0)
			{
				a = sn;
				fa = f;
				break;
			}
			b = s = sn;
			fb = f;
			if (sn < 1e-12)
				break;
		}
	}
	if (fb == 0.0)
		return b;

	/* Brent's method on [a, b], to about 1e-13 relative */
	{
		iv_ctx		ctx = {price, omega, S, K, t, r, q, scheme};
		int			ok;
		double		v = cn_brent(iv_root, &ctx, a, b, fa, fb, 0.0, 1e-13, 100, &ok);

		if (ok)
			return v;
	}
	*status = CN_AIV_NOT_CONVERGED;
	return NAN;
}
