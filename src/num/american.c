/*
 * american.c -- American options under Black-Scholes-Merton (see american.h).
 *
 * Everything is computed for a put; a call is the put with spot and strike, and r and
 * q, exchanged (McDonald-Schroder put-call symmetry): C(S, K, r, q) = P(K, S, q, r).
 * For the put with rates (r, q) the early-exercise region is where exercising and
 * holding K - S beats waiting, which needs r K - q S > 0 below the strike.  That gives
 * four cases:
 *
 *   r > 0, or r = 0 and q < 0   one boundary B(tau) starting at X = K min(1, r/q)
 *                               (X = K when q <= 0): the fixed-point method below
 *   r <= 0 and q >= r           r K - q S < 0 for all S < K: never exercised early,
 *                               the American price is the European price exactly
 *   r < 0 and q < r             exercise region between two boundaries that start at
 *                               K r/q and K and meet at a finite tau (Battauz, De Donno
 *                               and Sbuelz 2015): the single-boundary integral
 *                               equation does not apply; a finite-difference solver of
 *                               the linear complementarity problem is used instead
 *   vol = 0                     the deterministic limit: max over exercise times
 *                               t in [0, T] of e^{-r t}(K - S e^{(r-q) t})^+
 *
 * For calls the same table with r and q swapped: a call with q <= 0 and r >= q is
 * European; a call with q = 0 and r < 0 is not (paying the strike early saves the
 * negative interest); r < q < 0 is the double-boundary call.
 *
 * The single-boundary method (Andersen, Lake and Offengenden 2016, "ALO"):
 *  - the boundary is carried as H = (ln(B/X))^2 on n + 1 Chebyshev-Lobatto nodes in
 *    sqrt(tau) (ALO section 5.1), where it is smooth although B itself behaves like
 *    sqrt(tau ln tau) near expiry;
 *  - the starting boundary is the QD+ approximation of Li (2010) (ALO section 4.4);
 *  - m passes of the fixed-point system in its smooth-pasting form, the one whose kernels
 *    carry phi(d)/(sigma sqrt(tau - u)) (ALO eq. 4.x; QuantLib calls it FP_A).  On the
 *    reference set it converges to 1e-9 in four passes where the value-matching form
 *    needs eight; a Jacobi-Newton first pass (ALO section 5.3) measured no gain with
 *    this form and is not used;
 *  - every integral over u in [0, tau] is taken in t with u = tau sin^2(pi t/2) and
 *    Gauss-Legendre in t.  sqrt(u) and sqrt(tau - u) are then both smooth in t, which
 *    removes the 1/sqrt(tau - u) singularity of the kernels and the square-root
 *    behaviour of the boundary near u = 0 at the same time.  Gauss-Legendre directly
 *    in u, as QuantLib's Legendre schemes do, meets both as endpoint singularities and
 *    stalls near 1e-6; here the quadrature error falls below 1e-10 with 16 to 24 nodes
 *    and the Chebyshev degree is what sets the accuracy;
 *  - the price is the European price plus the early-exercise premium integral (ALO
 *    eq. 2.5) in the same substitution.
 * All counts are fixed per scheme, so the price is a smooth function of every input.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "american.h"
#include "models.h"
#include "normal.h"

/* split of the premium integral, in theta with T - u = T sin^2(pi theta/2) */
#define AM_THETA_S	0.5

/* largest stretch of the node map (see put_boundary): half the nodes below 1e-4 T */
#define AM_MAX_MAP	50.0

#ifndef AM_MAXN
#define AM_MAXN		16			/* largest Chebyshev degree of any scheme */
#endif
#ifndef AM_MAXQ
#define AM_MAXQ		32			/* largest Gauss-Legendre order of any scheme */
#endif

/* ------------------------------------------------------------------------------------
 * Discretisation tables
 * ------------------------------------------------------------------------------------ */

typedef struct am_scheme
{
	int			n;				/* Chebyshev degree: nodes j = 0..n, tau_n = 0 */
	int			l;				/* Gauss-Legendre order of the fixed-point integrals */
	int			m;				/* fixed-point passes */
	int			p;				/* Gauss-Legendre order of each premium panel */
	int			ready;
	double		z[AM_MAXN + 1]; /* Chebyshev-Lobatto nodes cos(j pi/n): z_0 = 1 */
	double		bw[AM_MAXN + 1];	/* their barycentric weights (-1)^j, halved at the ends */
	double		fs[AM_MAXQ];	/* fixed-point rule: sin(pi t/2), cos(pi t/2), and */
	double		fc[AM_MAXQ];	/* the weight times the Jacobian pi sin cos */
	double		fw[AM_MAXQ];
	double		py[AM_MAXQ];	/* premium rule: Gauss-Legendre on [0, 1] */
	double		pyw[AM_MAXQ];
	double		ps[AM_MAXQ];	/* outer premium panel: sin, cos of pi theta/2, weight */
	double		pc[AM_MAXQ];
	double		pw[AM_MAXQ];
	/*
	 * Lagrange weights of node j at the points where the integrals need B(u): fL[i][j][k]
	 * for quadrature point k of node i, pL[k][j] for the premium rule
	 */
	double		fL[AM_MAXN][AM_MAXN][AM_MAXQ];
	double		pL[AM_MAXQ][AM_MAXN];
} am_scheme;

static am_scheme am_schemes[2] = {
	{.n = 12,.l = 12,.m = 3,.p = 16},	/* CN_AM_ACCURATE */
	{.n = 6,.l = 8,.m = 2,.p = 8},		/* CN_AM_FAST */
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
		double		x = cos(M_PI * (i + 0.75) / (n + 0.5));
		double		dp = 1.0;

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
 * The rule for int_0^tau f(u) du = tau sum_k w_k f(u_k) with u_k = tau s_k^2 and
 * tau - u_k = tau c_k^2 (s, c = sin, cos of pi t_k/2).
 */
static void
map_rule(int n, double *s, double *c, double *w)
{
	double		t[AM_MAXQ];

	gauss_legendre(n, t, w);
	for (int k = 0; k < n; k++)
	{
		/* cos(pi t/2) as sin(pi (1 - t)/2): full relative accuracy near t = 1 */
		s[k] = sin(0.5 * M_PI * t[k]);
		c[k] = sin(0.5 * M_PI * (1.0 - t[k]));
		w[k] *= M_PI * s[k] * c[k];
	}
}

/*
 * Barycentric Lagrange weights of the Chebyshev-Lobatto nodes at x, for j < n only:
 * node n (tau = 0) always carries H = 0.  With w_j = (-1)^j (halved at the ends) the
 * weights are w_j Q_j / sum_i w_i Q_i where Q_j = prod_{i != j} (x - z_i), formed from
 * prefix and suffix products: one division per row instead of n + 1.  The products
 * stay within [2^-60, 2^n] for the node counts used, so nothing over- or underflows.
 */
static inline void
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
		/* x is a node (or so close that the product underflowed): exact delta row */
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
 * lagrange_row for m points at once, into L[j][k] (j < n, k < m): the same products,
 * with the point index innermost so that the m product chains run side by side.
 */
static void
lagrange_batch(const am_scheme *sc, const double *x, int m, double L[][AM_MAXQ])
{
	int			n = sc->n;
	double		dif[AM_MAXN + 1][AM_MAXQ],
				pre[AM_MAXN + 1][AM_MAXQ],
				run[AM_MAXQ],
				sum[AM_MAXQ];

	for (int k = 0; k < m; k++)
	{
		run[k] = 1.0;
		sum[k] = 0.0;
	}
	for (int j = 0; j <= n; j++)
		for (int k = 0; k < m; k++)
		{
			dif[j][k] = x[k] - sc->z[j];
			pre[j][k] = run[k];
			run[k] *= dif[j][k];
		}
	int			onnode = 0;

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
						p = 1.0;

			for (int j = 0; j <= n; j++)
				p *= dif[j][k];
			if (p != 0.0)
				continue;
			/* a point on a node: its row from the single-point routine */
			lagrange_row(sc, x[k], Lr);
			for (int j = 0; j < n; j++)
				L[j][k] = Lr[j];
		}
}

static void
scheme_init(am_scheme *sc)
{
	int			n = sc->n;

	for (int j = 0; j <= n; j++)
	{
		sc->z[j] = cos(M_PI * j / n);
		sc->bw[j] = ((j & 1) ? -1.0 : 1.0) * ((j == 0 || j == n) ? 0.5 : 1.0);
	}
	sc->z[n] = -1.0;
	map_rule(sc->l, sc->fs, sc->fc, sc->fw);
	gauss_legendre(sc->p, sc->py, sc->pyw);
	/* outer panel theta in [AM_THETA_S, 1]: u = T cos^2(pi theta/2) */
	for (int k = 0; k < sc->p; k++)
	{
		double		th = AM_THETA_S + (1.0 - AM_THETA_S) * sc->py[k];

		sc->ps[k] = sin(0.5 * M_PI * th);
		sc->pc[k] = sin(0.5 * M_PI * (1.0 - th));
		sc->pw[k] = sc->pyw[k] * (1.0 - AM_THETA_S) * M_PI * sc->ps[k] * sc->pc[k];
	}
	/* at node i, u = tau_i s_k^2 lies at z = s_k (1 + z_i) - 1 since z = 2 sqrt(u/T) - 1 */
	for (int i = 0; i < n; i++)
		for (int k = 0; k < sc->l; k++)
		{
			double		L[AM_MAXN];

			lagrange_row(sc, sc->fs[k] * (1.0 + sc->z[i]) - 1.0, L);
			for (int j = 0; j < n; j++)
				sc->fL[i][j][k] = L[j];
		}
	for (int k = 0; k < sc->p; k++)
		lagrange_row(sc, 2.0 * sc->pc[k] - 1.0, sc->pL[k]);
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
	double		H[AM_MAXN + 1]; /* (ln(B/X))^2 at the nodes; H[n] = 0 */
	/* along the premium rule: ln B(u_k), e^{-r(T-u_k)}, e^{-q(T-u_k)}, vol sqrt(T-u_k) */
	double		plnB[AM_MAXQ];
	double		pdr[AM_MAXQ];
	double		pdq[AM_MAXQ];
	double		psv[AM_MAXQ];
	double		pdt[AM_MAXQ];	/* T - u_k */
	double		amap;			/* stretch of the node map, 0 = linear in sqrt(tau) */
	double		fLc[AM_MAXN][AM_MAXN][AM_MAXQ];
} am_put;

/* sqrt(tau) at Chebyshev abscissa z: sqrt(T) w/(1 + a(1 - w)), w = (1 + z)/2 */
static double
xi_of_z(const am_put *bp, double z)
{
	double		w = 0.5 * (1.0 + z);

	return sqrt(bp->T) * w / (1.0 + bp->amap * (1.0 - w));
}

/* the inverse map */
static double
z_of_xi(const am_put *bp, double xi)
{
	double		a = bp->amap,
				w = xi * (1.0 + a) / (sqrt(bp->T) + a * xi);

	return 2.0 * w - 1.0;
}

/*
 * Phi(x) when g = exp(-x^2/2) is already at hand (the callers need the density too):
 * Phi(-|x|) = g erfcx(|x|/sqrt 2)/2, and Cody's erfcx needs no exponential for
 * arguments above 0.46875; below, Phi comes from erf directly.  This halves the cost of
 * the quadrature loops against calling cn_norm_cdf and cn_norm_pdf separately.
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

/*
 * QD+ approximation of the put boundary at time to expiry tau (Li 2010; ALO section
 * 4.4), strike 1: the root in (0, X] of
 *   F(B) = (1 - Dq N(-d1)) B - beta (1 - B - p(B)) + kappa Theta(B)
 * which is Li's smooth-pasting condition multiplied through by the exercise premium
 * 1 - B - p(B), so that no division by that vanishing quantity remains.  p is the
 * European put and Theta its derivative in calendar time.  The coefficients are written
 * with g = (1 - e^{-r tau})/r (= tau at r = 0), so r = 0, q < 0 needs no special case:
 * with h = 1 - Dr and lambda the negative root of Li's quadratic, 2 lambda + omega - 1
 * = -sqrt(Q), which turns ALO's alpha/h, alpha lambda'/(2 lambda + omega - 1) and
 * alpha/(Dr r) into the closed forms below.  Newton, safeguarded by bisection on the
 * bracket that the signs of F build up.  Returns B.
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
					g1 = exp(-0.5 * d1 * d1),
					n1 = cdf_with_gauss(-d1, g1),
					/* phi(d2) = B e^{(r-q) tau} phi(d1) at strike 1 */
					n2 = cdf_with_gauss(-d2, g1 * B * Dq / Dr),
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
		 * itself is worth (1e-3); the Newton passes on the collocation equations
		 * square whatever remains.
		 */
		if (fabs(Bn - B) <= 1e-7 * B || hi - lo <= 1e-12 * hi)
			return Bn;
		B = Bn;
	}
	return B;
}

/* sum_k a_k b_k in four interleaved partial sums, so the additions do not wait in line */
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
 * Solves A x = b in place for a dense n x n system (Gaussian elimination with partial
 * pivoting); a is n rows of n + 1 with b in the last column, which returns x.  Returns
 * 0 if a pivot vanishes.
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

/*
 * Solves for the exercise boundary of the put with strike 1 on [0, T].
 *
 * The collocation equations are the value-matching form of the fixed-point system
 * (ALO eq. 4.x; QuantLib's FP_B): at each node tau_i, B = N/D with
 *   N = e^{-r tau} N(d2(tau, B)) + r int_0^tau e^{-r(tau-u)} N(d2(tau-u, B(tau)/B(u))) du
 *   D = e^{-q tau} N(d1(tau, B)) + q int_0^tau e^{-q(tau-u)} N(d1(tau-u, B(tau)/B(u))) du
 * (ALO write e^{ru} and e^{qu} with a factor e^{-(r-q) tau} outside; the discounted
 * form cannot overflow), d1,2(s, x) = (ln x + (r - q) s)/(vol sqrt s) +- vol sqrt(s)/2.
 *
 * ALO iterate B <- N/D, with a Jacobi-Newton first step that uses the derivative of
 * the non-integral terms.  Measured on the reference rows that iteration needs eight
 * or more passes for 1e-9, and the smooth-pasting form, which converges in four where
 * it converges, diverges for long maturities at low volatility (r = 8%, vol = 10%,
 * T = 5y).  So the equations R_i = ln B_i - ln(N_i/D_i) = 0 are solved instead by
 * Newton's method on all n node values at once.  The Jacobian comes almost free: its
 * entries are the densities already computed for the integrals, times the Lagrange
 * weights that carry each node value into B(u); assembling it costs n^2 l flops and
 * solving it n^3/3, against n l evaluations of the normal distribution per pass.  From
 * the QD+ start the error falls 1e-3 -> 1e-6 -> 1e-12, so two passes reach the
 * discretisation error.  The solution is the same collocation solution ALO's
 * iteration converges to.  A fixed pass count keeps the price smooth in the inputs.
 *
 * Fills bp, including the boundary along the outer premium panel.
 */
static void
put_boundary(am_put *bp, double r, double q, double vol, double T, const am_scheme *sc)
{
	int			n = sc->n,
				l = sc->l;
	double		sqT = sqrt(T);
	double		sH[AM_MAXN + 1],
				Jm[AM_MAXN][AM_MAXN + 1];

	/* per (node, quadrature point), fixed across passes */
	double		ism[AM_MAXN][AM_MAXQ],	/* 1/(vol sqrt(tau - u)) */
				drf[AM_MAXN][AM_MAXQ],	/* (r - q)(tau - u)/sv + sv/2 */
				svv[AM_MAXN][AM_MAXQ],	/* sv = vol sqrt(tau - u) */
				wr[AM_MAXN][AM_MAXQ],	/* weight times e^{-r(tau - u)} */
				wq[AM_MAXN][AM_MAXQ];	/* weight times e^{-q(tau - u)} */
	bp->sc = sc;
	bp->r = r;
	bp->q = q;
	bp->vol = vol;
	bp->T = T;
	bp->X = (q > r) ? r / q : 1.0;
	bp->lnX = (q > r) ? log(r / q) : 0.0;
	/*
	 * Node placement.  The boundary moves from X to its perpetual level B_inf over a
	 * time tau_c ~ (ln(X/B_inf)/vol)^2 and is flat after.  When T >> tau_c (low vol
	 * against the carry, long dates) Chebyshev nodes uniform in sqrt(tau) leave that
	 * stretch to two or three nodes, so sqrt(tau) = sqrt(T) w/(1 + a(1 - w)), w =
	 * (1 + z)/2, with a = sqrt(T/tau_c): linear in w near expiry, compressed where the
	 * boundary is flat.  Measured: a = sqrt(T/tau_c) lowers the reference-set error from
	 * 1.8e-9 to 1.1e-9 at n = 16 and the error at vol = 1%, |r - q| = 5%, T = 5y from
	 * 7e-5 to 1e-5 at n = 16 and 6e-10 at n = 32.  B_inf = K lambda/(lambda - 1) with
	 * lambda the negative root of vol^2/2 l (l - 1) + (r - q) l - r = 0.  With r = 0 the
	 * boundary tends to 0 and no map is needed.
	 */
	bp->amap = 0.0;
	if (r > 0.0)
	{
		double		bq = r - q - 0.5 * vol * vol,
					lam = (-bq - sqrt(bq * bq + 2.0 * vol * vol * r)) / (vol * vol),
					dl = (bp->lnX - log(lam / (lam - 1.0))) / vol;

		bp->amap = (fabs(dl) * AM_MAX_MAP > sqrt(T)) ? sqrt(T) / fabs(dl) : AM_MAX_MAP;
	}

	/*
	 * QD+ from the shortest expiry outwards, each root seeding the next: ln(B/X) grows
	 * about like sqrt(tau), so the previous root is scaled accordingly.
	 */
	bp->H[n] = 0.0;
	{
		double		lbprev = 0.0,
					sqprev = 0.0;

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
	}

	for (int i = 0; i < n; i++)
	{
		double		sqtau = xi_of_z(bp, sc->z[i]),
					zk[AM_MAXQ];

		for (int k = 0; k < l; k++)
			zk[k] = z_of_xi(bp, sqtau * sc->fs[k]);
		lagrange_batch(sc, zk, l, bp->fLc[i]);
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
				const double *L = bp->fLc[i][j];
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
				p1 = exp(-0.5 * e1 * e1);
				p2 = exp(-0.5 * e2 * e2);
				In += wr[i][k] * cdf_with_gauss(e2, p2);
				Id += wq[i][k] * cdf_with_gauss(e1, p1);
				/* d/d ln B(tau) of the two integrands, for the Jacobian */
				ak[k] = r * tau * CN_INV_SQRT2PI * wr[i][k] * ism[i][k] * p2;
				bk[k] = q * tau * CN_INV_SQRT2PI * wq[i][k] * ism[i][k] * p1;
				sa += ak[k];
				sb += bk[k];
			}
			d1 = (lnBi + (r - q) * tau) / v + 0.5 * v;
			d2 = d1 - v;
			g1 = exp(-0.5 * d1 * d1);
			g2 = exp(-0.5 * d2 * d2);
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
			 * 1 - N'/N + D'/D.  Through B(u), ln B(u) = ln X - sqrt(H(u)) with H(u) =
			 * sum_j L_j(u) (y_j - ln X)^2, so d ln B(u)/d y_j = L_j(u) sqrt(H_j)/sqrt(H(u)).
			 */
			Jm[i][i] = 1.0
				- (CN_INV_SQRT2PI * exp(-r * tau) * g2 / v + sa) * iN
				+ (CN_INV_SQRT2PI * exp(-q * tau) * g1 / v + sb) * iD;
			for (int k = 0; k < l; k++)
				gk[k] = shu[k] > 0.0 ? (ak[k] * iN - bk[k] * iD) / shu[k] : 0.0;
			for (int j = 0; j < n; j++)
				Jm[i][j] += dot(gk, bp->fLc[i][j], l) * sH[j];
			Jm[i][n] = log(N * iD) - lnBi;	/* -R_i */
		}

		/* the Newton step; a pass that cannot be solved leaves the boundary as it is */
		if (!dense_solve(n, Jm))
			break;
		for (int i = 0; i < n; i++)
		{
			double		lb = Jm[i][n] - sH[i];

			if (!isfinite(lb))
				continue;
			/* the boundary never rises above X */
			bp->H[i] = lb < 0.0 ? lb * lb : 0.0;
		}
	}

	for (int k = 0; k < sc->p; k++)
	{
		double		L[AM_MAXN];
		double		h = 0.0,
					su = sqT * sc->ps[k],
					dt = su * su;

		lagrange_row(sc, z_of_xi(bp, sqT * sc->pc[k]), L);
		for (int j = 0; j < n; j++)
			h += L[j] * bp->H[j];
		bp->plnB[k] = bp->lnX - sqrt(h > 0.0 ? h : 0.0);
		bp->pdr[k] = exp(-r * dt);
		bp->pdq[k] = exp(-q * dt);
		bp->psv[k] = vol * su;
		bp->pdt[k] = dt;
	}
}

/*
 * One point of the premium integral and of its x-derivatives: at time s = T - u ahead,
 * with the boundary ln B(u), discount factors dr = e^{-r s}, dq = e^{-q s}, sv =
 * vol sqrt(s) and quadrature weight w.  Accumulates into acc[0..2].
 */
static inline void
premium_point(const am_put *bp, double lnx, double x, double lnB, double s, double sv,
			  double dr, double dq, double w, int want, double *acc)
{
	double		r = bp->r,
				q = bp->q,
				d1 = (lnx - lnB + (r - q) * s) / sv + 0.5 * sv,
				d2 = d1 - sv,
				g1 = exp(-0.5 * d1 * d1),
				n1 = cdf_with_gauss(-d1, g1);

	acc[0] += w * (r * dr * cdf_with_gauss(-d2, exp(-0.5 * d2 * d2)) - q * x * dq * n1);
	if (want)
	{
		double		qphi = CN_INV_SQRT2PI * dq * g1 / sv,
					c = q - r * exp(-lnB);

		acc[1] += w * (c * qphi - q * dq * n1);
		acc[2] += w * qphi / x * (q - c * d1 / sv);
	}
}

/* ln B(u) from the interpolant, for u in [0, T]. */
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
 * Maps y in [0, 1] to t in [0, 1] clustering around c with scale eps (a sinh map,
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
 * Early-exercise premium of the put with strike 1 at spot x > B(T), on the boundary of
 * bp (ALO eq. 2.5):
 *   int_0^T [r e^{-r s} N(-d2(s, x/B(u))) - q x e^{-q s} N(-d1(s, x/B(u)))] du
 * with s = T - u the time until the boundary point is reached.  When want != 0 also the
 * first and second x-derivatives in dx[0..1], differentiated under the integral and
 * simplified with B e^{-r s} phi(d2) = x e^{-q s} phi(d1):
 *   d/dx   : e^{-q s} [(q - r/B) phi(d1)/(vol sqrt s) - q N(-d1)]
 *   d2/dx2 : e^{-q s} phi(d1)/(x vol sqrt s) [q - (q - r/B) d1/(vol sqrt s)]
 *
 * Quadrature.  With T - u = T sin^2(pi theta/2), theta in [0, 1], sqrt(u) and sqrt(s) are
 * smooth in theta.  Two things make the integrand sharp:
 *  - near theta = 0 the kernels switch on over sqrt(s) ~ ln(x/B(T))/vol, a layer that
 *    is arbitrarily thin for spots just above the boundary and carries an O(1) part of
 *    gamma however thin it is.  theta in [0, AM_THETA_S] is therefore graded,
 *    theta = AM_THETA_S (e^{lambda t} - 1)/(e^lambda - 1), lambda chosen so that the
 *    mesh near 0 is on the scale of the layer (lambda -> 0 is uniform);
 *  - where the forward of x reaches the boundary (forward_gap = 0) the kernels step
 *    from 0 to 1 over a width vol sqrt(s) in log-moneyness, which is narrow when the
 *    drift |r - q| T dominates vol sqrt(T) (low vol, long dates: at vol = 1%, T = 30y
 *    plain Gauss-Legendre needs 64 points per panel for 1e-10).  Both panels then
 *    cluster their points around that crossing with a sinh map whose scale is the
 *    width, fading out with the distance from a panel that does not contain it.
 * All maps depend smoothly on x and the inputs, so the price stays smooth, except at
 * the rare inputs where a crossing first appears (at s = T, where the weight vanishes).
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

	/* the layer in theta: sqrt(s) = ln(x/B(T))/vol <=> theta ~ (2/pi) ln(x/B(T))/(vol sqrt T) */
	rho = (2.0 / M_PI) * (lnx - lnBT) / (vol * sqT) / AM_THETA_S;
	if (rho < 1e-8)
		rho = 1e-8;
	if (rho < 0.5)
	{
		/* solve lambda/(e^lambda - 1) = rho by Newton in lambda from ln(1/rho) */
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

	/*
	 * Two passes over the points: the first on the base maps, whose gaps double as the
	 * scan for a crossing; only if one is found are the points moved and the boundary
	 * looked up again.
	 */
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
					/* the fixed outer points: sines from the tables */
					ss[i] = sc->ps[k];
					cc[i] = sc->pc[k];
				}
				else
				{
					ss[i] = sin(0.5 * M_PI * th[i]);
					cc[i] = cos(0.5 * M_PI * th[i]);
				}
				wt[i] = sc->pyw[k] * dt * dth * M_PI * ss[i] * cc[i];
				/* B(u) at u = T cos^2(pi theta/2) */
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

		/* scan the gaps, in increasing theta, for the first crossing */
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
 * One time step of the linear complementarity problem
 *   min(A V - rhs, V - g) = 0,   A = tridiag(-th a, 1 - th b, -th c)
 * by policy iteration (Howard's algorithm): each row takes whichever of its two
 * equations is currently the smaller, the linear system is solved, and this repeats
 * until no row changes.  A is an M-matrix, so this terminates, usually in two or three
 * solves, with the exact discrete solution; unlike projecting after a linear solve it
 * adds no first-order time error.  V holds a guess on entry (the previous step) and the
 * solution on exit; rows 0 and N are Dirichlet.  ex and the work arrays have N + 1
 * entries.
 */
static void
fd_lcp_step(int N, double th, double a, double b, double c, const double *rhs,
			const double *g, double *V, char *ex, double *cp, double *dp)
{
	/* start from the last step's policy; where the payoff is 0 holding is always better */
	for (int i = 1; i < N; i++)
		ex[i] = g[i] > 0.0 && V[i] <= g[i];
	for (int it = 0; it < 100; it++)
	{
		int			changed = 0;

		/* Thomas algorithm on the rows as the policy sets them */
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
			V[i] = dp[i] - cp[i] * V[i + 1];

		for (int i = 1; i < N; i++)
		{
			double		cont = -th * a * V[i - 1] + (1.0 - th * b) * V[i] - th * c * V[i + 1]
			- rhs[i];
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
 * uniform grid y_j = j h, j = j0..j0 + N, which puts the strike (y = 0) on a node; nt
 * time steps uniform in sqrt(tau) (short near expiry, where the boundaries move like
 * sqrt(tau); uniform steps leave an O(dt) error there), the first two implicit Euler
 * (Rannacher) to damp the payoff kink.  Far ends are Dirichlet at max(intrinsic,
 * European).  Returns the value at x by cubic interpolation in y, and its first two
 * x-derivatives in d[0..1]; NaN if out of memory.
 */
static double
fd_put_grid(double x, double r, double q, double vol, double T, double h, int j0, int N,
			int nt, double *d)
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
				v;
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
		/* -expm1 keeps the payoff exact near the strike */
		g[j] = (j0 + j < 0) ? -expm1((j0 + j) * h) : 0.0;
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
			double		eu = cn_bsm_price(-1, exp((j0 + e) * h), 1.0, tau, vol, r, q);

			V[e] = eu > g[e] ? eu : g[e];
		}
		fd_lcp_step(N, th * dt, a, b, c, rhs, g, V, ex, cp, dp);
	}

	/* cubic through the four nodes around y0, and its derivatives there */
	i = (int) floor(y0 / h) - j0 - 1;
	if (i < 0)
		i = 0;
	if (i > N - 3)
		i = N - 3;
	{
		double		t = (y0 - (j0 + i) * h) / h,	/* in [1, 2] normally */
					f0 = V[i],
					f1 = V[i + 1],
					f2 = V[i + 2],
					f3 = V[i + 3],
					/* Newton form on the nodes 0, 1, 2, 3 */
					c1 = f1 - f0,
					c2 = 0.5 * (f2 - 2.0 * f1 + f0),
					c3 = (f3 - 3.0 * f2 + 3.0 * f1 - f0) / 6.0,
					p1,
					p2;

		v = f0 + t * (c1 + (t - 1.0) * (c2 + (t - 2.0) * c3));
		p1 = c1 + c2 * (2.0 * t - 1.0) + c3 * (3.0 * t * t - 6.0 * t + 2.0);
		p2 = 2.0 * c2 + c3 * (6.0 * t - 6.0);
		p1 /= h;
		p2 /= h * h;
		/* from y = ln S to S */
		d[0] = p1 / x;
		d[1] = (p2 - p1) / (x * x);
	}
	free(V);
	return v;
}

/*
 * Half-width cap of the grid in ln S: beyond vol sqrt(T) + |r - q| T ~ 5 the grid would
 * reach spots of e^{+-40}, where the far-end European values are what the American
 * values are anyway, and e^{+-8 vol sqrt T} overflows for absurd inputs.
 */
#define AM_FD_MAXW	40.0

/*
 * The finite-difference fallback: fd_put_grid on about nx intervals over ln x +- (8 vol
 * sqrt T + |r - q| T), and on the grid with half the step, combined by Richardson
 * extrapolation (the space error is O(h^2): ratio 4.0 per halving on single-boundary
 * puts; the sqrt(tau) steps put the time error below it).  Measured against the
 * fixed-point method on single-boundary puts: nx = 500, nt = 200 gives about 1e-7 K.
 * On double-boundary puts, against nx = 3000, nt = 1200: nx = 1000, nt = 300 gives
 * 7e-6 relative RMS, 4e-5 worst (the closing of the exercise interval slows the
 * convergence).  Returns the value and the extrapolated x-derivatives in d[0..1].
 */
static double
fd_put(double x, double r, double q, double vol, double T, int nx, int nt, double *d)
{
	double		y0 = log(x),
				W = fmin(8.0 * vol * sqrt(T) + fabs(r - q) * T, AM_FD_MAXW),
				h = 2.0 * W / nx,
				dc[2],
				df[2],
				vc,
				vf;
	int			j0 = (int) floor((y0 - W) / h),
				N = (int) ceil((y0 + W) / h) - j0;

	vc = fd_put_grid(x, r, q, vol, T, h, j0, N, nt, dc);
	vf = fd_put_grid(x, r, q, vol, T, 0.5 * h, 2 * j0, 2 * N, nt, df);
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
 * Zero volatility, strike 1: the forward path is deterministic, so the holder exercises
 * at the best time; the value is the largest of e^{-r t} - x e^{-q t} at t = 0, t = T
 * and the interior stationary point t* = ln(r/(q x))/(r - q), and 0.  Returns the value
 * and in *tex the chosen exercise time (-1 when worthless).
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

/* Grid of the finite-difference fallback, per scheme: (space intervals, time steps). */
static const int am_fd_grid[2][2] = {{1000, 300}, {500, 150}};

/*
 * Price, and when want != 0 delta and gamma, of the American option.  Works on the put
 * (S', K', r', q') = (S, K, r, q) for a put, (K, S, q, r) for a call, scaled to strike 1
 * at x = S'/K'.  A put-world value K' v(x) is turned back into S-derivatives by
 * homogeneity of degree one: for a put dV/dS = v'(x), d2V/dS2 = v''(x)/K; for a call
 * (K' = S, x = K/S) dV/dS = v(x) - x v'(x), d2V/dS2 = x^2 v''(x)/S.
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
				v1 = 0.0,
				v2 = 0.0;
	int			regime = put_regime(rp, qp);

	out->price = intrinsic;
	out->delta = intrinsic > 0.0 ? omega : 0.0;
	out->gamma = 0.0;
	if (t <= 0.0)
		return;

	if (vol <= 0.0)
	{
		double		tex;

		v = put_zero_vol(x, rp, qp, t, &tex);
		out->price = Kp * v;
		/* envelope theorem: d/dS of the optimum is that of the chosen exercise time */
		out->delta = tex < 0.0 ? 0.0 : omega * exp(-q * tex);
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
		int			nx = am_fd_grid[scheme == CN_AM_FAST][0],
					nt = am_fd_grid[scheme == CN_AM_FAST][1];

		double		dv[2];

		v = fd_put(x, rp, qp, vol, t, nx, nt, dv);
		v1 = dv[0];
		v2 = dv[1];
	}
	else
	{
		am_put		bp;
		double		e,
					e1 = 0.0,
					e2 = 0.0;

		put_boundary(&bp, rp, qp, vol, t, get_scheme(scheme));
		/* at or below B(T): exercise now */
		if (x <= exp(bp.lnX - sqrt(bp.H[0])))
			return;
		{
			double		de[2] = {0.0, 0.0};

			e = put_premium(&bp, x, want, de);
			e1 = de[0];
			e2 = de[1];
		}
		if (e < 0.0)
			e = 0.0;
		if (want)
		{
			cn_greeks	g;

			cn_bsm_greeks(-1, x, 1.0, t, vol, rp, qp, &g);
			v = g.price + e;
			v1 = g.delta + e1;
			v2 = g.gamma + e2;
		}
		else
			v = cn_bsm_price(-1, x, 1.0, t, vol, rp, qp) + e;
	}

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

double
cn_american_price(int omega, double S, double K, double t, double vol, double r,
				  double q, int scheme)
{
	am_val		v;

	am_value(omega, S, K, t, vol, r, q, scheme, 0, &v);
	return v.price;
}

/*
 * Relative bump sizes of the finite differences in cn_american_greeks.  The price is a
 * smooth function of vol, r, q and t (fixed node, pass and point counts), with rounding
 * noise near 1e-14 of its value, so a central difference with step h has error
 * h^2 f'''/6 + 1e-14 f/h: h = 2e-4 vol keeps both below 1e-8 of vega and volga's
 * (1e-14/h^2) term near 1e-6 of it; 1e-5 suits the rates (absolute, in years^-1);
 * 1e-4 t suits the time to expiry, on which delta varies on the scale of t itself.
 */
#define AM_H_VOL	2e-4
#define AM_H_RATE	1e-5
#define AM_H_TIME	1e-4

/*
 * dV/dr (which = 0) or dV/dq (which = 1) by central differences of step AM_H_RATE, or a
 * one-sided three-point difference on the side that stays in the same case of the table
 * at the top: at r = 0 (put) or q = 0 (call) the method changes (European, fixed point,
 * finite differences), and a difference across the change would mix the methods'
 * errors into the derivative.  f0 is the price at (r, q).
 */
static double
rate_derivative(int omega, double S, double K, double t, double vol, double r, double q,
				int scheme, int which, double f0)
{
	double		h = AM_H_RATE,
				f[4];
	int			base = put_regime(omega > 0 ? q : r, omega > 0 ? r : q),
				ok[4];
	static const double steps[4] = {1.0, -1.0, 2.0, -2.0};

	for (int k = 0; k < 4; k++)
	{
		double		rr = which ? r : r + steps[k] * h,
					qq = which ? q + steps[k] * h : q;

		ok[k] = put_regime(omega > 0 ? qq : rr, omega > 0 ? rr : qq) == base;
		f[k] = (k < 2 || !(ok[0] && ok[1])) ? cn_american_price(omega, S, K, t, vol, rr, qq,
															  scheme) : 0.0;
	}
	if (ok[0] && ok[1])
		return (f[0] - f[1]) / (2.0 * h);
	if (ok[0] && ok[2])
		return (-3.0 * f0 + 4.0 * f[0] - f[2]) / (2.0 * h);
	if (ok[1] && ok[3])
		return (3.0 * f0 - 4.0 * f[1] + f[3]) / (2.0 * h);
	return (f[0] - f[1]) / (2.0 * h);
}

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
	am_value(omega, S, K, t, vol, r, q, scheme, 1, &v0);
	g->price = v0.price;
	g->delta = v0.delta;
	g->gamma = v0.gamma;

	/* vol: vega, vanna (from the analytic deltas), volga; one-sided at vol = 0 */
	if (vol > 0.0)
	{
		h = AM_H_VOL * vol;
		am_value(omega, S, K, t, vol + h, r, q, scheme, 1, &vp);
		am_value(omega, S, K, t, vol - h, r, q, scheme, 1, &vm);
		g->vega = 0.01 * (vp.price - vm.price) / (2.0 * h);
		g->vanna = 0.01 * (vp.delta - vm.delta) / (2.0 * h);
		g->volga = 1e-4 * (vp.price - 2.0 * v0.price + vm.price) / (h * h);
	}
	else
	{
		h = 1e-6;
		am_value(omega, S, K, t, h, r, q, scheme, 1, &vp);
		am_value(omega, S, K, t, 2.0 * h, r, q, scheme, 1, &vm);
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
	g->theta = -(vp.price - vm.price) / (2.0 * h) / 365.0;
	g->charm = -(vp.delta - vm.delta) / (2.0 * h) / 365.0;
}

/* ------------------------------------------------------------------------------------
 * Implied volatility
 * ------------------------------------------------------------------------------------ */

/*
 * European BSM implied vol of price, used only as the starting point (the American
 * price is at least the European one at every vol, so this is an upper bound on the
 * answer).  Newton in vol safeguarded by bisection; returns 0 below the European range
 * and NaN above it.
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

/* American price minus target, the function whose root is the implied vol. */
static double
iv_objective(double price, int omega, double S, double K, double t, double vol,
			 double r, double q, int scheme)
{
	am_val		v;

	am_value(omega, S, K, t, vol, r, q, scheme, 0, &v);
	return v.price - price;
}

#define AM_IV_MAX	100.0		/* largest vol searched */

/*
 * The vol at which the American price equals price.
 *
 * The American price is continuous and non-decreasing in vol, from V0, its value at
 * vol = 0 (the best discounted intrinsic value over exercise times, see put_zero_vol),
 * towards its supremum S max(1, e^{-qT}) for a call and K max(1, e^{-rT}) for a put
 * (the European limits, or immediate exercise when that is worth more).  So:
 *   price < V0 (in particular below intrinsic)   CN_AIV_BELOW_INTRINSIC
 *   price >= supremum                            CN_AIV_ABOVE_MAX
 *   price = V0 to 1e-12 relative, or t = 0       CN_AIV_NO_TIME_VALUE: every vol from 0
 *                                                up to some value gives this price (deep
 *                                                in the money puts are exercised at once
 *                                                for all vols below a threshold)
 *   otherwise                                    the smallest vol with that price
 * It is bracketed from the European implied vol of the price (an upper bound) and
 * refined by Brent's method on the American price; 8 to 12 prices in all.
 * CN_AIV_NOT_CONVERGED when the answer would exceed AM_IV_MAX or Brent does not reach
 * its tolerance.
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
				c,
				fa,
				fb,
				fc,
				d,
				e;

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
	{
		*status = CN_AIV_NO_TIME_VALUE;
		return NAN;
	}

	/* bracket [a, b] with f(a) < 0 <= f(b), f the price error */
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
			*status = CN_AIV_NOT_CONVERGED;
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

	/* Brent's method on [a, b] (Brent 1973, "zero") */
	c = a;
	fc = fa;
	d = e = b - a;
	for (int it = 0; it < 100; it++)
	{
		double		tol,
					m,
					p,
					qq,
					rr,
					ss;

		if ((fb > 0.0) == (fc > 0.0))
		{
			c = a;
			fc = fa;
			d = e = b - a;
		}
		if (fabs(fc) < fabs(fb))
		{
			a = b;
			b = c;
			c = a;
			fa = fb;
			fb = fc;
			fc = fa;
		}
		tol = 2.0 * DBL_EPSILON * fabs(b) + 1e-13 * fabs(b);
		m = 0.5 * (c - b);
		if (fabs(m) <= tol || fb == 0.0)
			return b;
		if (fabs(e) >= tol && fabs(fa) > fabs(fb))
		{
			/* inverse quadratic interpolation, or secant when a == c */
			ss = fb / fa;
			if (a == c)
			{
				p = 2.0 * m * ss;
				qq = 1.0 - ss;
			}
			else
			{
				qq = fa / fc;
				rr = fb / fc;
				p = ss * (2.0 * m * qq * (qq - rr) - (b - a) * (rr - 1.0));
				qq = (qq - 1.0) * (rr - 1.0) * (ss - 1.0);
			}
			if (p > 0.0)
				qq = -qq;
			else
				p = -p;
			if (2.0 * p < fmin(3.0 * m * qq - fabs(tol * qq), fabs(e * qq)))
			{
				e = d;
				d = p / qq;
			}
			else
				d = e = m;
		}
		else
			d = e = m;
		a = b;
		fa = fb;
		b += fabs(d) > tol ? d : (m > 0.0 ? tol : -tol);
		fb = iv_objective(price, omega, S, K, t, b, r, q, scheme);
	}
	*status = CN_AIV_NOT_CONVERGED;
	return NAN;
}
