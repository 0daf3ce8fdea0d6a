/*
 * lbr.c -- the normalised Black function and Black implied volatility after Peter
 * Jaeckel, "Let's Be Rational", Wilmott (January 2015), with the refinements of the 2016
 * revision and of his later notes (complementary price in the upper branch, logarithmic
 * vega so that the lowest branch never underflows).  Written from the paper; the parts
 * are named as there: the four evaluation regions of the normalised Black function,
 * the inflection point s_c and its tangent intercepts s_l, s_u, the lower and upper
 * maps, Delbourgo-Gregory rational cubic interpolation, the branch objectives and
 * Householder's third-order method.
 *
 * Where this differs from the paper, for accuracy (all measured against mpmath, see
 * test/unit/test_iv.c): the vega exponent is formed in double-double; the small-t
 * expansion takes a = 1 + hY(h) from cn_mills_defect() instead of the cancelling
 * literal formula; between the small-t and asymptotic regions, where the erfcx
 * difference would cancel by up to 25, Y(h+t) - Y(h-t) comes from A = 1 - zM(z) or
 * from the small-t series (extended to t < 0.5 near the money).  For speed: the nodes
 * of the initial guess and the first Householder step use a cheaper ~1e-11 evaluation;
 * the final step always uses the full one.
 *
 * Notation: x = ln(F/K), s = sigma sqrt(T), h = x/s, t = s/2, theta = +-1.  The
 * normalised Black function is
 *   b(x, s) = e^{x/2} Phi(h + t) - e^{-x/2} Phi(h - t)                (call)
 * with put/call symmetry b(x, s, -1) = b(-x, s, +1) and in/out-of-the-money symmetry
 * b(x, s) = 2 sinh(x/2) + b(-x, s) for x > 0.  Everything below therefore works on the
 * out-of-the-money call, x <= 0, where b is in (0, e^{x/2}).  Its vega is
 *   b'(s) = v = exp(-(h^2 + t^2)/2) / sqrt(2 pi)
 * and with Y(z) = Phi(z)/phi(z) = sqrt(pi/2) erfcx(-z/sqrt2) every region can be written
 *   b = v [Y(h + t) - Y(h - t)]
 * since e^{x/2} phi(h + t) = e^{-x/2} phi(h - t) = v.
 */
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lbr.h"
#include "lbr_nodes.h"
#include "normal.h"

#define SQRT_PI_2		1.25331413731550025120788264240552263	/* sqrt(pi/2) */
#define LN_SQRT_2PI		0.91893853320467274178032973640561764	/* ln sqrt(2 pi) */
#define TWO_PI			6.28318530717958647692528676655900577
#define SQRT2			1.41421356237309504880168872420969808
#define SQRT3			1.73205080756887729352744634150587237
#define TWO_PI_SQRT27	1.20919957615614523372938550509477049	/* 2 pi / sqrt(27) */
#define SQRT3_CBRT_2PI	0.938643487427383566075051356115075878	/* sqrt(3) / cbrt(2 pi) */
#define VELTKAMP		134217729.0 /* 2^27 + 1 */

/*
 * Region thresholds.  eta: below h = -10 the asymptotic expansion of Y(h+t) - Y(h-t)
 * reaches machine precision; tau = 2 eps^(1/16): below t = tau the Taylor expansion in
 * t needs few terms; 0.85: beyond h + t = 0.85 the first term of the Black formula is
 * most of b (the second is at most 1/4 of it) and the plain difference costs little.
 */
#define ETA				(-10.0)
#define TAU				0.210224103813428635757781369058303724
#define DIRECT_HT		0.85

/*
 * Terms of the small-t series (the highest e_n used), chosen with mpmath so that the
 * omitted tail is below 2e-18 relative for every h in the region; and the end EXT_T
 * of its extension beyond tau (for |x| <= 4).  Beyond EXT_T the erfcx difference
 * cancels by at most 2.6 (measured <= 5.3 ulp against 3.4 for the series, which would
 * cost twice as much there).
 */
#define NMAX_SMALL_T(t) ((t) < 0.02 ? 8 : (t) < 0.08 ? 10 : (t) < 0.13 ? 12 : \
						 (t) < TAU ? 14 : (t) < 0.35 ? 18 : 20)
#define EXT_T			0.5

/*
 * Each segment's bracket is widened by 1e-8 relative: its end values b_l, b_u come
 * from otm_fast() (~1e-11), and a bracket that excluded the root by that much would
 * clamp the final step.  (Inside the widened bracket every objective is still well
 * behaved: its segment's transformation is smooth across the nominal end.)
 */
#define BRACKET_DOWN	(1.0 - 1e-8)
#define BRACKET_UP		(1.0 + 1e-8)

/* Rational cubic control parameter bounds (Delbourgo and Gregory). */
#define RC_MIN_R		(-(1.0 - 1.4901161193847656e-08))	/* -(1 - sqrt(eps)) */
#define RC_MAX_R		(2.0 / (DBL_EPSILON * DBL_EPSILON))

/* 1/n for the Taylor recursion of small_t_bov(): multiplications instead of divisions */
static const double recip[36] = {
	0.0, 1.0, 1.0 / 2, 1.0 / 3, 1.0 / 4, 1.0 / 5, 1.0 / 6, 1.0 / 7, 1.0 / 8, 1.0 / 9,
	1.0 / 10, 1.0 / 11, 1.0 / 12, 1.0 / 13, 1.0 / 14, 1.0 / 15, 1.0 / 16, 1.0 / 17,
	1.0 / 18, 1.0 / 19, 1.0 / 20, 1.0 / 21, 1.0 / 22, 1.0 / 23, 1.0 / 24, 1.0 / 25,
	1.0 / 26, 1.0 / 27, 1.0 / 28, 1.0 / 29, 1.0 / 30, 1.0 / 31, 1.0 / 32, 1.0 / 33,
	1.0 / 34, 1.0 / 35
};

/* The out-of-the-money call at one (x, s). */
typedef struct otm_black
{
	double		b;				/* b(x, s), x <= 0 */
	double		v;				/* vega b'(s) */
	double		bov;			/* b / v; finite wherever h + t <= 0.85 */
	double		lnv;			/* ln v, finite even where v underflows */
} otm_black;

/* a*b = *p + *e exactly (Veltkamp split, Dekker product; no fma needed). */
static inline void
two_prod(double a, double b, double *p, double *e)
{
	double		c,
				ah,
				al,
				bh,
				bl;

	*p = a * b;
	c = VELTKAMP * a;
	ah = c - (c - a);
	al = a - ah;
	c = VELTKAMP * b;
	bh = c - (c - b);
	bl = b - bh;
	*e = ((ah * bh - *p) + ah * bl + al * bh) + al * bl;
}

/*
 * The normalised intrinsic value 2 sinh(y/2) of the in-the-money side, y > 0, as
 * u + u/(1 + u) with u = expm1(y/2): two positive terms, a couple of ulp for every y
 * (e^{y/2} - e^{-y/2} would cancel for small y).
 */
static double
normalised_intrinsic(double y)
{
	double		u = expm1(0.5 * y);

	return u + u / (1.0 + u);
}

/*
 * Y(h + t) - Y(h - t) by the asymptotic expansion Y(z) = -sum_k (-1)^k (2k-1)!! / z^(2k+1)
 * (Abramowitz and Stegun 26.2.12), for h < -10 and h + t < -10 + tau.  Jaeckel sums it
 * as a polynomial in (t/h)^2 and (h/r)^2, r = h^2 - t^2; equivalently, with
 * alpha = 1/(h+t), beta = 1/(h-t), alpha^n - beta^n = (alpha - beta) S_n,
 * S_n = sum_j alpha^j beta^(n-1-j), so
 *   Y(h+t) - Y(h-t) = (2t/r) sum_k (-1)^k (2k-1)!! S_(2k+1)
 * where every S_n is a sum of positive terms (no cancellation between the two Y) and
 * S_(n+1) = alpha S_n + beta^n.  The number of terms keeps the first omitted one below
 * 1e-17 relative: 27 at |h + t| < 12, 18 below 17, 12 beyond.
 */
static double
asymptotic_bov(double h, double t, int fast)
{
	double		hp = h + t,
				al = 1.0 / hp,
				be = 1.0 / (h - t),
				r = hp * (h - t),
				sn = 1.0,		/* S_1 */
				bn = be,		/* beta^1 */
				df = 1.0,		/* (2k-1)!! */
				sum = 1.0;
	int			nk = fast ? 10 : (hp > -12.0 ? 26 : (hp > -17.0 ? 17 : 11));

	for (int k = 1; k <= nk; k++)
	{
		sn = al * sn + bn;		/* S_(2k) */
		bn *= be;
		sn = al * sn + bn;		/* S_(2k+1) */
		bn *= be;
		df *= 2 * k - 1;
		sum += (k & 1) ? -df * sn : df * sn;
	}
	return 2.0 * t / r * sum;
}

/*
 * Y(h + t) - Y(h - t) = integral of a = Y' over [h - t, h + t] by its Taylor series in
 * t (Jaeckel's small-t expansion), for t < tau, -10 <= h <= 0, and here also for
 * t < EXT_T when |x| = 2|h|t <= 4.  With e_n = a^(n)(h)/n!:
 *   Y(h+t) - Y(h-t) = 2 sum_(n even) e_n t^(n+1)/(n+1).
 * The bottleneck Jaeckel notes is a = 1 + h Y(h), which tends to 1/h^2 and loses
 * log2(h^2) bits when formed literally; cn_mills_defect() gives a and a' to a few ulp,
 * and the ODE a'' = h a' + 2a (from Y' = 1 + hY) gives the rest:
 *   e_(n+2) = h e_(n+1)/(n+2) + e_n/(n+1).
 * Rounding in a, a' excites the ODE's other solution, which grows like e^{|h| tau}
 * across the interval; its average over it is sinh(|x|/2)/(|x|/2) <= 2.1 under the
 * limits above.  The number of terms is NMAX_SMALL_T(t).
 */
static double
small_t_bov(double h, double t)
{
	double		da,
				e0 = cn_mills_defect(-h, &da),
				e1 = -da,
				w = t * t,
				tp = t,
				sum = e0 * t;
	int			nmax = NMAX_SMALL_T(t);

	for (int n = 0; n < nmax; n += 2)
	{
		/*
		 * The pair (e_(n+2), e_(n+3)) from (e_n, e_(n+1)) in one step, so that the two
		 * are formed side by side (one multiply-add deep on the dependency chain, not
		 * two): e_(n+3) = (h^2/((n+2)(n+3)) + 1/(n+2)) e_(n+1) + h/((n+1)(n+3)) e_n.
		 * The coefficients depend on h and n only, off the chain.
		 */
		double		a1 = h * recip[n + 2],
					b1 = a1 * (h * recip[n + 3]) + recip[n + 2],
					b0 = h * recip[n + 3] * recip[n + 1],
					e2 = e1 * a1 + e0 * recip[n + 1],
					e3 = e1 * b1 + e0 * b0;

		tp *= w;
		sum += e2 * (tp * recip[n + 3]);
		e0 = e2;
		e1 = e3;
	}
	return 2.0 * sum;
}

/* a + b = *s + *e exactly (Knuth's two-sum). */
static inline void
two_sum(double a, double b, double *s, double *e)
{
	double		bb;

	*s = a + b;
	bb = *s - a;
	*e = (a - (*s - bb)) + (b - bb);
}

/*
 * Y(h + t) - Y(h - t) for h + t <= -0.7 and t >= tau through A = 1 - z M(z)
 * (cn_mills_defect): with p = -(h + t), q = t - h (both positive) Y(-z) = (1 - A(z))/z,
 * so
 *   Y(-p) - Y(-q) = [(q - p) - q A(p) + p A(q)] / (p q).
 * q - p = 2t is the large term and is formed exactly; q A(p) and p A(q) are smaller
 * (A(p) < 1/2 for p >= 0.7, ~1/p^2 beyond), so their few-ulp errors are not amplified
 * the way the erfcx difference amplifies the errors of Y (by q/(2t), up to 25).  p and
 * q carry their rounding errors (p = -(h + hlo + t) in double-double), applied to first
 * order through Y' = a: Y(-p_hi - p_lo) = Y(-p_hi) - A(p_hi) p_lo.
 */
static double
mills_difference_bov(double h, double hlo, double t)
{
	double		p,
				plo,
				q,
				qlo,
				d,
				dlo,
				ap,
				aq;

	two_sum(h, t, &p, &plo);
	p = -p;
	plo = -(plo + hlo);
	two_sum(t, -h, &q, &qlo);
	qlo -= hlo;
	two_sum(q, -p, &d, &dlo);
	ap = cn_mills_defect(p, NULL);
	aq = cn_mills_defect(q, NULL);
	return (((d - q * ap) + p * aq) + dlo) / (p * q) - ap * plo + aq * qlo;
}

/*
 * h = x/s as h + *hlo to twice working precision, and the vega exponent
 * -(h^2 + t^2)/2 as *ehi + *elo, t = s/2, s > 0, rs = 1/s (the caller may have it);
 * exact = 1 for the double-double exponent also near the money (the tests'
 * reference).  Both squares are exact (Dekker): in the wings the exponent reaches
 * -700, and a rounded h^2 would cost h^2 eps relative in every result that carries
 * the factor v.
 */
static double
vega_exponent(double x, double s, double rs, int exact, double *hlo, double *ehi,
			  double *elo)
{
	double		t = 0.5 * s,
				h = x * rs,
				p,
				e,
				hh,
				hhe,
				tt,
				tte,
				sum,
				eh;

	/*
	 * The plain exponent, in two cases.  Near the money with a moderate vol it is
	 * already within an ulp: h, the squares and the sum carry at most 4 roundings of
	 * 2^-53 relative, and the exponent is at most 1/4.  (The callers use hlo only where
	 * h + t > 0.85, or h + t <= -0.7 with t >= tau: both outside this disc.)  And where
	 * the exact squares would overflow, so does the exponent: v = 0.
	 */
	if ((h * h + t * t <= 0.5 && !exact) || fabs(h) > 1e150 || t > 1e150)
	{
		*hlo = 0.0;
		*ehi = -0.5 * (h * h + t * t);
		*elo = 0.0;
		return h;
	}
	two_prod(h, s, &p, &e);
	*hlo = ((x - p) - e) * rs;	/* x - p is exact (Sterbenz) */
	two_prod(h, h, &hh, &hhe);
	hhe += 2.0 * h * *hlo;
	two_prod(t, t, &tt, &tte);
	sum = hh + tt;
	eh = sum - hh;
	*ehi = -0.5 * sum;
	*elo = -0.5 * (((hh - (sum - eh)) + (tt - eh)) + hhe + tte);
	return h;
}

/*
 * What otm_eval() must deliver: b and v, or only b/v and ln v (no exponential);
 * EVAL_PRICE_EXACT is EVAL_PRICE with the double-double vega exponent everywhere.
 */
typedef enum
{
	EVAL_PRICE,
	EVAL_LOG,
	EVAL_PRICE_EXACT
} eval_mode;

/*
 * The out-of-the-money call, x <= 0, s >= 0, rs = 1/s, bmax = e^{x/2} (or 0: then
 * formed here, where it is needed): b/v and ln v always; b and v for EVAL_PRICE, or
 * wherever b is not proportional to v (h + t > 0.85).
 */
static void
otm_eval(double x, double s, double rs, double bmax, eval_mode mode, otm_black *o)
{
	double		h,
				t = 0.5 * s,
				hlo,
				ehi,
				elo;

	if (!(s > 0.0))
	{
		/* sigma = 0: the out-of-the-money value is 0; b'(0) = 1/sqrt(2 pi) only at x = 0 */
		o->b = 0.0;
		o->bov = 0.0;
		o->v = x == 0.0 ? CN_INV_SQRT2PI : 0.0;
		o->lnv = x == 0.0 ? -LN_SQRT_2PI : -HUGE_VAL;
		return;
	}
	h = vega_exponent(x, s, rs, mode == EVAL_PRICE_EXACT, &hlo, &ehi, &elo);
	o->lnv = (ehi - LN_SQRT_2PI) + elo;
	o->b = o->v = NAN;
	if (mode != EVAL_LOG || h + t > DIRECT_HT)
	{
		/* exp(ehi + elo) = exp(ehi) (1 + elo), |elo| <= ulp(ehi) */
		o->v = CN_INV_SQRT2PI * (exp(ehi) * (1.0 + elo));
	}

	if (h + t > DIRECT_HT)
	{
		/*
		 * The plain Black difference.  The second term is v Y(h - t) (no overflow of
		 * e^{-x/2}); the first gets the first-order correction phi(h+t) e^{x/2} dz =
		 * v dz for the rounding dz of h + t, which would otherwise cost |h| eps.
		 */
		double		z = h + t,
					zb = z - h,
					dz = ((h - (z - zb)) + (t - zb)) + hlo;

		if (bmax == 0.0)
			bmax = exp(0.5 * x);
		o->b = cn_norm_cdf(z) * bmax + o->v * dz
			- o->v * (SQRT_PI_2 * cn_erfcx((t - h) * CN_SQRT1_2));
		o->bov = o->b / o->v;
		return;
	}
	if (h < ETA && h + t < ETA + TAU)
		o->bov = asymptotic_bov(h, t, 0);
	else if (t < TAU || (t < EXT_T && x >= -4.0))
		o->bov = small_t_bov(h, t);
	else if (h + t <= -0.7)
		o->bov = mills_difference_bov(h, hlo, t);
	else
	{
		/*
		 * b/v = Y(h+t) - Y(h-t) with Y = sqrt(pi/2) erfcx(-z/sqrt2): two rational
		 * functions.  Here t >= 0.75 and h + t > -0.7, so the second term is at most
		 * about half the first: the difference costs about a bit.
		 */
		o->bov = SQRT_PI_2 * (cn_erfcx(-(h + t) * CN_SQRT1_2)
							  - cn_erfcx((t - h) * CN_SQRT1_2));
	}
	if (mode != EVAL_LOG)
		o->b = o->bov * o->v;
}

/*
 * A cheaper out-of-the-money evaluation, relative accuracy about 1e-11, for the nodes
 * of the initial guess (b_l, b_u) and for the first Householder step.  Neither needs
 * more: the final step, of convergence order four, is always taken with otm_eval(), so
 * an error d after the first step leaves ~d^4.  Here the vega exponent is a plain
 * double (h^2 eps <= 2e-13 while v is representable), the erfcx difference is used
 * wherever its cancellation Y(h+t)/(Y(h+t) - Y(h-t)) stays below ~5e4 (t >= 1.2e-4),
 * the small-t series below that, and ten terms of the asymptotic expansion
 * (truncation < 1e-10).  h = x/s is the caller's; EVAL_LOG leaves out the exponential
 * where b/v and ln v are all it needs (b and v are then NaN).
 */
static void
otm_fast(double x, double s, double h, double bmax, eval_mode mode, otm_black *o)
{
	double		t = 0.5 * s,
				e;

	if (!(s > 0.0))
	{
		otm_eval(x, s, 1.0 / s, bmax, EVAL_PRICE, o);
		return;
	}
	e = -0.5 * (h * h + t * t);
	o->lnv = e - LN_SQRT_2PI;
	o->b = o->v = NAN;
	if (mode == EVAL_PRICE || h + t > DIRECT_HT)
		o->v = CN_INV_SQRT2PI * exp(e);
	if (h + t > DIRECT_HT)
	{
		/*
		 * b = b_max - v [Y(-h-t) + Y(h-t)] (the complement, two erfcx of positive
		 * arguments): here b > b_max/2, so the difference costs at most a bit or two.
		 */
		o->b = bmax - o->v * (SQRT_PI_2 * (cn_erfcx((t + h) * CN_SQRT1_2)
										   + cn_erfcx((t - h) * CN_SQRT1_2)));
		o->bov = o->b / o->v;
		return;
	}
	if (h < ETA && h + t < ETA + TAU)
		o->bov = asymptotic_bov(h, t, 1);
	else if (t < 1.2e-4)
		o->bov = small_t_bov(h, t);
	else
		o->bov = SQRT_PI_2 * cn_erfcx_diff(-(h + t) * CN_SQRT1_2, (t - h) * CN_SQRT1_2);
	if (mode == EVAL_PRICE)
		o->b = o->bov * o->v;
}

/*
 * Below TINY_S the total vol's reciprocal would overflow in the regions above (1/s,
 * h = x/s): there the out-of-the-money value is its first-order form in s,
 * b = s (h Phi(h) + phi(h)) = s phi(h) A(-h), h = x/s <= 0 (the Bachelier limit: x is
 * at most 1700 s wherever b is not zero, so the next terms are 2^-1800 relative).
 * Returned as m 2^(*e2), so the caller can keep a value below the double range.
 */
#define TINY_S		0x1p-1000

static double
tiny_s_otm(double x, double s, double *e2)
{
	const double ln2_hi = 6.93147180369123816490e-01;
	const double ln2_lo = 1.90821492927058770002e-10;
	double		h = ldexp(x, 1000) / ldexp(s, 1000),	/* no overflow of 1/s */
				k,
				m,
				ms;
	int			e,
				es;

	*e2 = 0.0;
	if (!(h > -1700.0))
		return 0.0;				/* phi(h) below 2^-2^21 */
	/* phi(h) = exp(-h^2/2)/sqrt(2 pi) = 2^k exp(remainder)/sqrt(2 pi) */
	k = floor(-0.5 * h * h / 0.69314718055994530942);
	m = CN_INV_SQRT2PI * exp((-0.5 * h * h - k * ln2_hi) - k * ln2_lo) *
		cn_mills_defect(-h, NULL);
	/* times s, mantissa by mantissa: s may be subnormal */
	ms = frexp(s, &es);
	m = frexp(m * ms, &e);
	*e2 = k + e + es;
	return m;
}

double
cn_log_moneyness(double F, double K)
{
	double		q;

	if (F >= 0.5 * K && F <= 2.0 * K)
		return log1p((F - K) / K);
	q = F / K;
	if (q >= DBL_MIN && q <= DBL_MAX)
		return log(q);
	/* F/K overflows or falls below the normal range (a subnormal strike, say) */
	return log(F) - log(K);
}

static double
normalised_black(double x, double s, int omega, eval_mode mode)
{
	otm_black	o;
	double		m,
				e2;

	if (omega < 0)
		x = -x;					/* b(x, s, -1) = b(-x, s, +1) */
	if (s > 0.0 && s < TINY_S)
	{
		m = tiny_s_otm(-fabs(x), s, &e2);
		m = ldexp(m, (int) fmax(e2, -2000.0));
		return x > 0 ? normalised_intrinsic(x) + m : m;
	}
	if (x > 0)
	{
		/* in the money: intrinsic plus the out-of-the-money value, both positive */
		otm_eval(-x, s, 1.0 / s, 0.0, mode, &o);
		return normalised_intrinsic(x) + o.b;
	}
	otm_eval(x, s, 1.0 / s, 0.0, mode, &o);
	return o.b;
}

double
cn_normalised_black(double x, double s, int omega)
{
	return normalised_black(x, s, omega, EVAL_PRICE);
}

double
cn_normalised_black_exact_exponent(double x, double s, int omega)
{
	return normalised_black(x, s, omega, EVAL_PRICE_EXACT);
}

/*
 * cn_normalised_black(x, s, omega) = m 2^(*e2), returning m: the same bits where the
 * value is a normal double; out of the money below that, b = (b/v) v with the vega
 * v = exp(-(h^2 + t^2)/2)/sqrt(2 pi) carried as a power of two, so a normalised price
 * far below the double range keeps its value (a caller multiplies it by sqrt(F K),
 * which can be large).  Where b is formed directly (h + t > 0.85) it is b itself:
 * there b > e^{x/2}/2 is below the range only for x < -1416.
 */
double
cn_normalised_black_scaled(double x, double s, int omega, double *e2)
{
	const double ln2_hi = 6.93147180369123816490e-01;
	const double ln2_lo = 1.90821492927058770002e-10;
	double		b = cn_normalised_black(x, s, omega),
				hlo,
				ehi,
				elo,
				k,
				m;
	int			e;
	otm_black	o;

	*e2 = 0.0;
	if (omega < 0)
		x = -x;					/* b(x, s, -1) = b(-x, s, +1) */
	if (s > 0.0 && s < TINY_S && x <= 0)
	{
		m = tiny_s_otm(x, s, e2);
		m = frexp(m, &e);
		*e2 += e;
		return m;
	}
	if (b >= DBL_MIN || !(s > 0.0) || x > 0)
	{
		m = frexp(b, &e);
		*e2 = e;
		return m;
	}
	otm_eval(x, s, 1.0 / s, 0.0, EVAL_LOG, &o);
	(void) vega_exponent(x, s, 1.0 / s, 0, &hlo, &ehi, &elo);
	/* k ln2_hi below is exact for |k| < 2^21 */
	if (!(o.bov > 0.0) || !isfinite(o.bov) || !(ehi > -1.4e6))
	{
		m = frexp(b, &e);
		*e2 = e;
		return m;
	}
	/* v = exp(ehi) (1 + elo) / sqrt(2 pi), exp(ehi) = 2^k exp(remainder) */
	k = floor(ehi / 0.69314718055994530942);
	m = o.bov * (CN_INV_SQRT2PI * (exp((ehi - k * ln2_hi) - k * ln2_lo) * (1.0 + elo)));
	m = frexp(m, &e);
	*e2 = k + e;
	return m;
}

/* ---------------------------------------------------------------------------------
 * Rational cubic interpolation (R. Delbourgo and J. A. Gregory, 1985), as the paper
 * uses it.  On [xl, xr] with h = xr - xl, values yl, yr, slopes dl, dr and control
 * parameter r, in terms of z = (x - xl)/h and 1 - z (passed separately so a caller
 * can supply an accurate 1 - z near the right end):
 *   f = [yr z^3 + (r yr - h dr) z^2 (1-z) + (r yl + h dl) z (1-z)^2 + yl (1-z)^3]
 *       / [1 + (r - 3) z (1-z)];
 * r = 3 is the cubic Hermite interpolant, r -> infinity the straight line.
 */
static double
rc_value(double z, double omz, double h, double yl, double yr, double dl, double dr,
		 double r)
{
	double		num,
				den;

	if (r >= RC_MAX_R)
		return yr * z + yl * omz;
	num = yr * z * z * z + (r * yr - h * dr) * z * z * omz
		+ (r * yl + h * dl) * z * omz * omz + yl * omz * omz * omz;
	den = 1.0 + (r - 3.0) * z * omz;
	return num / den;
}

/*
 * Smallest r that keeps the interpolant monotone and/or convex where the data are
 * (Delbourgo and Gregory): monotone needs r >= (dl + dr)/S, convex or concave needs
 * r >= max(|(S-dl)/(dr-S)|, |(dr-S)/(S-dl)|), S the secant slope.
 */
static double
rc_min_r(double dl, double dr, double S, int prefer_shape)
{
	int			monotone = dl * S >= 0 && dr * S >= 0,
				convex = dl <= S && S <= dr,
				concave = dl >= S && S >= dr;
	double		r1 = -DBL_MAX,
				r2 = -DBL_MAX,
				r;

	if (!monotone && !convex && !concave)
		return RC_MIN_R;
	if (monotone)
	{
		if (S != 0.0)
			r1 = (dr + dl) / S;
		else if (prefer_shape)
			r1 = RC_MAX_R;
	}
	if (convex || concave)
	{
		double		a = S - dl,
					b = dr - S;

		/* max/min by comparison, not fmax/fmin, which are library calls */
		a = fabs(a);
		b = fabs(b);
		if (a != 0.0 && b != 0.0)
			r2 = a > b || isnan(b) ? a / b : b / a;
		else if (prefer_shape)
			r2 = RC_MAX_R;
	}
	else if (monotone && prefer_shape)
		r2 = RC_MAX_R;
	/* fmax(r1, r2): the other one where either is NaN (an infinite S) */
	r = isnan(r1) ? r2 : (isnan(r2) || r1 > r2 ? r1 : r2);
	return r > RC_MIN_R ? r : RC_MIN_R;
}

/*
 * r such that the interpolant's second derivative at the left (side < 0) or right end
 * equals d2, from f''(xl) h = 2 r (S - dl) - 2 (dr - dl) and its mirror image; raised
 * to rc_min_r() so the shape is kept.
 */
static double
rc_r_fit(int side, double h, double S, double dl, double dr, double d2,
		 int prefer_shape)
{
	double		num = 0.5 * h * d2 + (dr - dl),
				den = side < 0 ? S - dl : dr - S,
				r,
				rmin = rc_min_r(dl, dr, S, prefer_shape);

	if (num == 0.0)
		r = 0.0;
	else if (den == 0.0)
		r = num > 0 ? RC_MAX_R : RC_MIN_R;
	else
		r = num / den;
	return r > rmin ? r : rmin;
}

/* ---------------------------------------------------------------------------------
 * The transformations of the two outer branches.
 *
 * Lower map: f(s) = (2 pi / sqrt 27) |x| Phi(-z)^3, z = |x| / (sqrt3 s), which is
 * close to b itself for small b, so that f(b) is nearly linear and interpolates well.
 * Returns f, df/db and d2f/db2 at s (derivatives with respect to b, by the chain rule
 * with db/ds = v):
 *   f'  = 2 pi y Phi^2 exp(y + s^2/8),               y = z^2,
 *   f'' = 2 pi exp(2y + s^2/4) Phi (y/s) [2z + (Phi/phi(z)) (s^2/4 - 2y - 2)].
 * v is the vega b'(s) = exp(-(h^2 + s^2/4)/2)/sqrt(2 pi), h = x/s, which the caller
 * has: since h^2/2 = 3y/2, exp(s^2/8) = q^3 / (sqrt(2 pi) v) with q = exp(-y/2), one
 * exponential fewer (unless q^3 or v is too small for the quotient).
 */
static void
lower_map(double ax, double s, double v, double *f, double *fp, double *fpp)
{
	double		z = ax / (SQRT3 * s),
				y = z * z,
				s2 = s * s,
				m = SQRT_PI_2 * cn_erfcx(z * CN_SQRT1_2),	/* Phi(-z)/phi(z) */
				q = exp(-0.5 * y),
				Phi = CN_INV_SQRT2PI * q * m,
				q3 = q * q * q,
				e8 = q3 > 1e-280 && v > 1e-280 ? q3 / (CN_SQRT2PI * v) : exp(0.125 * s2),
				e1 = e8 / (q * q);	/* exp(y + s^2/8) */

	*f = TWO_PI_SQRT27 * ax * (Phi * Phi * Phi);
	*fp = TWO_PI * y * (Phi * Phi) * e1;
	*fpp = TWO_PI * e1 * e1 * Phi * (y / s) * (2.0 * z + m * (0.25 * s2 - 2.0 * y - 2.0));
}

/*
 * The cube root of a normal positive double, for the initial guess: the exponent
 * divided by three in the bit pattern (W. Kahan's seed, within 3.3%), then two of
 * Halley's steps y (y^3 + 2a)/(2y^3 + a), each cubing the relative error: within
 * 2e-15 of cbrt() for every normal a, at a quarter of its cost.  (An error of that
 * size in the guess is invisible after the two Householder steps.)
 */
static double
cube_root(double a)
{
	uint64_t	bits;
	double		y,
				y3;

	memcpy(&bits, &a, sizeof(bits));
	bits = bits / 3 + UINT64_C(0x2a9f78939b40fa00);	/* (682 - 0.0331) 2^52 */
	memcpy(&y, &bits, sizeof(y));
	for (int i = 0; i < 2; i++)
	{
		y3 = y * y * y;
		y *= (y3 + 2.0 * a) / (2.0 * y3 + a);	/* the ratio first: no underflow */
	}
	return y;
}

/* s from the lower map: Phi(-z) = (sqrt27 f / (2 pi |x|))^(1/3). */
static double
inverse_lower_map(double ax, double f)
{
	double		r = f / ax,
				z;

	/* one cube root of f/|x| unless that ratio would underflow */
	z = cn_norm_quantile(SQRT3_CBRT_2PI * (r >= DBL_MIN && r <= DBL_MAX ? cube_root(r) :
											 cbrt(f) / cbrt(ax)));

	return ax / (SQRT3 * -z);
}

/*
 * Upper map: f(s) = Phi(-s/2), which tends to 0 like b_max - b as s grows.  With respect
 * to b: f' = -exp(h^2/2)/2, f'' = sqrt(pi/2) (h^2/s) exp(h^2 + s^2/8).
 */
static void
upper_map(double x, double s, double *f, double *fp, double *fpp)
{
	double		h = x / s,
				w = h * h;

	double		e = exp(0.5 * w);

	*f = cn_norm_cdf(-0.5 * s);
	*fp = -0.5 * e;
	*fpp = SQRT_PI_2 * (w / s) * (e * e) * exp(0.125 * s * s);
}

/* Householder's third-order step nu (1 + nu h2/2) / (1 + nu (h2 + nu h3/6)). */
static double
householder3(double nu, double h2, double h3)
{
	return nu * (1.0 + 0.5 * h2 * nu) / (1.0 + nu * (h2 + nu * h3 * (1.0 / 6.0)));
}

typedef enum
{
	OBJ_LOWER,					/* g = 1/ln b(s) - 1/ln beta */
	OBJ_MIDDLE,					/* g = b(s) - beta */
	OBJ_UPPER					/* g = ln(b_max - beta) - ln(b_max - b(s)) */
} objective;

/* Below this u = sqrt|x| solve_otm does not use the lower node's fit (see there). */
#define NODE_LOWER_MIN_U	0x1p-10

/* c[0] + c[1] t + ... + c[10] t^10, one row of lbr_nodes.h */
static double
node_poly(const double *c, double t)
{
	double		t2 = t * t,
				t4 = t2 * t2,
				t8 = t4 * t4;

	/* Estrin's scheme, in the order of test/reference/lbr_nodes.py's check */
	return ((c[0] + c[1] * t) + t2 * (c[2] + c[3] * t))
		+ t4 * ((c[4] + c[5] * t) + t2 * (c[6] + c[7] * t))
		+ t8 * (c[8] + c[9] * t + c[10] * t2);
}

/*
 * The initial guess's nodes b and v at s_l or s_u from the fits of lbr_nodes.h (lbr.h
 * states what *f and *v are), within 3.6e-14 where the evaluation they replace,
 * otm_fast(), is good to 1e-11: Jaeckel's 2024 revision reads them from rational fits
 * in the same way.  0, writing nothing, for u outside [0, 4): the caller evaluates b.
 */
int
cn_lbr_node(double u, int upper, double *f, double *v)
{
	int			i;
	double		t;

	if (!(u >= 0.0 && u < NODE_FIT_INTERVALS / (double) NODE_FIT_PER_U))
		return 0;
	i = (int) (u * NODE_FIT_PER_U);
	t = 2.0 * (u * NODE_FIT_PER_U - i) - 1.0;
	*f = node_poly(node_fit[i][upper ? 2 : 0], t);
	*v = node_poly(node_fit[i][upper ? 3 : 1], t);
	return 1;
}

/*
 * s with b(x, s) = beta for the out-of-the-money call, x <= 0, 0 < beta < e^{x/2};
 * bbar = e^{x/2} - beta as the caller could form it without cancellation.
 *
 * The initial guess: the inflection point s_c = sqrt(2|x|) and the
 * tangent intercepts s_l, s_u of b through it split (0, b_max) into four segments.  On
 * the two middle ones s(b) itself is a rational cubic through the end points with the
 * slopes 1/v and zero curvature at s_c; on the outer ones the rational cubic
 * interpolates the lower/upper map f(b) and s follows from the map's inverse.  Each
 * segment then has its own objective function, chosen so that Householder's method
 * converges from that guess in two steps to machine precision: 1/ln b in the lowest
 * (b is exponentially small there), ln(b_max - b) in the highest (computed from the
 * complementary price b_max - b = v [Y(-h-t) + Y(h-t)], no cancellation), b itself in
 * between.  Every step is clamped to its segment's bracket.
 */
static double
solve_otm(double beta, double bbar, double x)
{
	double		bmax = exp(0.5 * x),
				ax = -x,
				u = sqrt(ax),
				sc = SQRT2 * u, /* sqrt(2|x|) */
				s,
				s_left = DBL_MIN,
				s_right = DBL_MAX,
				ln_beta = 0.0,
				inv_ln_beta = 0.0,
				ln_bbar = 0.0;
	otm_black	oc,
				oo;
	objective	obj;

	/*
	 * At s_c, h + t = 0 and h - t = -s_c, so b_c = v_c [Y(0) - Y(-s_c)] with
	 * v_c = e^{x/2}/sqrt(2 pi): b_c = e^{x/2} (1 - erfcx(sqrt|x|))/2.  Near x = 0,
	 * 1 - erfcx(u) = e^{u^2} erf(u) - expm1(u^2) does not cancel (e^{u^2} as
	 * 1 + expm1, erf by Cody's rational: no further library call).  (b_c is only a node
	 * of the initial guess and a branch boundary, so a few ulp are plenty.)
	 */
	oc.v = CN_INV_SQRT2PI * bmax;
	if (u <= 0.46875)
	{
		double		em = expm1(ax);

		oc.b = 0.5 * bmax * ((1.0 + em) * cn_erf_small(u) - em);
	}
	else
		oc.b = 0.5 * bmax * (1.0 - cn_erfcx(u));
	if (beta < oc.b)
	{
		double		sl = sc - oc.b / oc.v;

		/*
		 * The fit is b at the exact s_l, and the bracket below is built on the double
		 * sl, which loses digits as u -> 0 (sc - b_c/v_c cancels: 3.5e-8 relative at
		 * u = 1.5e-8, a strike one ulp from the forward): beyond the bracket's 1e-8
		 * widening, a root between the two would be clamped.  Below NODE_LOWER_MIN_U
		 * (where sl is within 1e-17) b is evaluated at sl itself, as before.
		 */
		if (u >= NODE_LOWER_MIN_U && cn_lbr_node(u, 0, &oo.b, &oo.v))
		{
			oo.b = bmax * (ax * oo.b);
			oo.v *= bmax;
		}
		else
			otm_fast(x, sl, x / sl, bmax, EVAL_PRICE, &oo);
		if (beta < oo.b)
		{
			double		f,
						fp,
						fpp,
						hl = oo.b,
						rhl = 1.0 / hl,
						z = beta * rhl,
						fb,
						r;

			lower_map(ax, sl, oo.v, &f, &fp, &fpp);
			/* f(0) = 0, f'(0) = 1; fit f'' at b_l */
			r = rc_r_fit(+1, hl, f * rhl, 1.0, fp, fpp, 1);
			fb = rc_value(z, 1.0 - z, hl, 0.0, f, 1.0, fp, r);
			if (!(fb > 0))
			{
				/* quadratic through f(0) = 0, f'(0) = 1, f(b_l): extreme |x| only */
				fb = (f * z + hl * (1.0 - z)) * z;
			}
			s = inverse_lower_map(ax, fb);
			s_right = sl * BRACKET_UP;
			ln_beta = log(beta);
			inv_ln_beta = 1.0 / ln_beta;
			obj = OBJ_LOWER;
		}
		else
		{
			double		hm = oc.b - oo.b,
						rhm = 1.0 / hm,
						z = (beta - oo.b) * rhm,
						dl = 1.0 / oo.v,
						dr = 1.0 / oc.v,
						r = rc_r_fit(+1, hm, (sc - sl) * rhm, dl, dr, 0.0, 0);

			s = rc_value(z, 1.0 - z, hm, sl, sc, dl, dr, r);
			s_left = sl * BRACKET_DOWN;
			s_right = sc * BRACKET_UP;
			obj = OBJ_MIDDLE;
		}
	}
	else
	{
		double		su = oc.v > DBL_MIN ? sc + (bmax - oc.b) / oc.v : sc;

		if (cn_lbr_node(u, 1, &oo.b, &oo.v))
		{
			oo.b = bmax - bmax * oo.b;
			oo.v *= bmax;
		}
		else
			otm_fast(x, su, x / su, bmax, EVAL_PRICE, &oo);
		if (beta <= oo.b)
		{
			double		hm = oo.b - oc.b,
						rhm = 1.0 / hm,
						z = (beta - oc.b) * rhm,
						dl = 1.0 / oc.v,
						dr = 1.0 / oo.v,
						r = rc_r_fit(-1, hm, (su - sc) * rhm, dl, dr, 0.0, 0);

			s = rc_value(z, 1.0 - z, hm, sc, su, dl, dr, r);
			s_left = sc * BRACKET_DOWN;
			if (!(s_left >= DBL_MIN))
				s_left = DBL_MIN;	/* sc = 0 at the money */
			s_right = su * BRACKET_UP;
			obj = OBJ_MIDDLE;
		}
		else
		{
			double		f,
						fp,
						fpp,
						hu = bmax - oo.b,
						rhu = 1.0 / hu,
						z = (beta - oo.b) * rhu,
						omz = bbar * rhu,	/* 1 - z without cancellation */
						fb = -1.0;

			upper_map(x, su, &f, &fp, &fpp);
			if (fpp > -1e150 && fpp < 1e150)
			{
				double		r = rc_r_fit(-1, hu, -f * rhu, fp, -0.5, fpp, 1);

				fb = rc_value(z, omz, hu, f, 0.0, fp, -0.5, r);
			}
			if (!(fb > 0))
			{
				/* quadratic through f(b_u), f(b_max) = 0, f'(b_max) = -1/2 */
				fb = (f * omz + 0.5 * hu * z) * omz;
			}
			s = -2.0 * cn_norm_quantile(fb);
			s_left = su * BRACKET_DOWN;
			ln_bbar = log(bbar);
			obj = OBJ_UPPER;
		}
	}
	if (!(s >= s_left))
		s = s_left;
	if (!(s <= s_right))
		s = s_right;

	for (int it = 0; it < 2; it++)
	{
		double		rs = 1.0 / s,
					h = x * rs,
					t = 0.5 * s,
					hs = h * rs,
					bh2 = h * hs - 0.25 * s,	/* b''/b' = x^2/s^3 - s/4 */
					bh3 = bh2 * bh2 - 3.0 * hs * hs - 0.25, /* b'''/b' */
					nu,
					h2,
					h3,
					ds,
					sn;

		if (obj == OBJ_LOWER)
		{
			/*
			 * g = 1/ln b - 1/ln beta; with lambda = 1/ln b and p = b'/b:
			 * nu = (ln beta - ln b) ln b / ln beta * b/b',
			 * g''/g' = b''/b' - p (1 + 2 lambda),
			 * g'''/g' = b'''/b' + p^2 (2 + 6 lambda (1 + lambda)) - 3 (b''/b) (1 + 2 lambda).
			 * ln b = ln(b/v) + ln v does not underflow.
			 */
			double		lnb,
						pb,
						lam,
						ot;

			if (it == 0)
				otm_fast(x, s, h, bmax, EVAL_LOG, &oo);
			else
				otm_eval(x, s, rs, bmax, EVAL_LOG, &oo);
			lnb = log(oo.bov) + oo.lnv;
			pb = 1.0 / oo.bov;
			lam = 1.0 / lnb;
			ot = 1.0 + 2.0 * lam;
			nu = (ln_beta - lnb) * lnb * inv_ln_beta * oo.bov;
			h2 = bh2 - pb * ot;
			h3 = bh3 + pb * pb * (2.0 + 6.0 * lam * (1.0 + lam)) - 3.0 * bh2 * pb * ot;
		}
		else if (obj == OBJ_MIDDLE)
		{
			if (it == 0)
				otm_fast(x, s, h, bmax, EVAL_PRICE, &oo);
			else
				otm_eval(x, s, rs, bmax, EVAL_PRICE, &oo);
			nu = (beta - oo.b) / oo.v;
			h2 = bh2;
			h3 = bh3;
		}
		else
		{
			/*
			 * g = ln(bbar) - ln(bbar(s)), bbar(s) = b_max - b(s) = v [Y(-h-t) + Y(h-t)];
			 * with G = g' = v/bbar(s): nu = -g/G, g''/g' = b''/b' + G,
			 * g'''/g' = b'''/b' + G (2G + 3 b''/b').  Here s >= s_u > s_c, so h + t > 0
			 * and both erfcx arguments are positive.
			 */
			double		hlo,
						ehi,
						elo,
						cov,
						G,
						g;

			(void) vega_exponent(x, s, rs, 0, &hlo, &ehi, &elo);
			cov = SQRT_PI_2 * (cn_erfcx((t + h) * CN_SQRT1_2) + cn_erfcx((t - h) * CN_SQRT1_2));
			G = 1.0 / cov;
			g = ln_bbar - (log(cov) + ((ehi - LN_SQRT_2PI) + elo));

			nu = -g * cov;
			h2 = bh2 + G;
			h3 = bh3 + G * (2.0 * G + 3.0 * bh2);
		}
		ds = householder3(nu, h2, h3);
		sn = s + ds;
		if (!(sn >= s_left))
			sn = s_left;
		if (!(sn <= s_right))
			sn = s_right;
		s = sn;
	}
	return s;
}

double
cn_black_implied_vol(double price, double F, double K, double t, int omega,
					 int *status)
{
	return cn_black_implied_vol_fx(price, F, K, cn_log_moneyness(F, K), F - K, t, omega,
								   status);
}

/*
 * The same with x = ln(F/K) and F - K supplied by the caller.  For BSM the forward
 * F = S e^{(r-q)t} is rounded: ln of it carries an absolute error of eps (eps/(sigma
 * sqrt T) relative in sigma on short or low-vol quotes), and F - K an absolute error of
 * eps F, which swamps the time value of an in-the-money quote.  ln(S/K) + (r - q) t and
 * (S - K + S expm1(-q t) - K expm1(-r t)) e^{rt} are exact to a few ulp of their own
 * size.  F itself only scales the price (a relative error of eps).
 */
double
cn_black_implied_vol_fx(double price, double F, double K, double x_in, double fmk,
						double t, int omega, int *status)
{
	double		intrinsic = omega < 0 ? -fmk : fmk,
				bound = omega < 0 ? K : F,
				tv,
				sqfk,
				beta,
				bbar,
				x,
				s;

	if (intrinsic < 0.0)
		intrinsic = 0.0;
	if (!(price >= intrinsic * (1.0 - CN_IV_LOWER_SLACK)))
	{
		*status = CN_IV_BELOW_INTRINSIC;
		return NAN;
	}
	if (price >= bound)
	{
		*status = CN_IV_ABOVE_MAX;
		return NAN;
	}
	if (!(t > 0.0))
	{
		*status = CN_IV_NO_TIME_VALUE;
		return NAN;
	}

	/*
	 * Out-of-the-money equivalent: the time value price - intrinsic is the price of the
	 * out-of-the-money option at this strike (put/call parity), formed here in price
	 * units where it is one rounding; its distance to that option's upper bound equals
	 * bound - price in all four cases.  Normalised by sqrt(F K), both live on
	 * x = -|ln(F/K)|, where the out-of-the-money call is b(x, s) with b_max = e^{x/2}.
	 */
	tv = price - intrinsic;
	if (tv <= 0.0)
	{
		*status = CN_IV_OK;
		return 0.0;
	}
	sqfk = sqrt(F) * sqrt(K);
	beta = tv / sqfk;
	bbar = (bound - price) / sqfk;
	x = -fabs(x_in);
	if (!(beta > 0.0))
	{
		/* the time value underflows in normalised units: sigma is 0 to working precision */
		*status = CN_IV_OK;
		return 0.0;
	}
	if (!(bbar > 0.0))
	{
		*status = CN_IV_ABOVE_MAX;
		return NAN;
	}
	s = solve_otm(beta, bbar, x);
	if (!(s >= 0.0 && s < HUGE_VAL))
	{
		*status = CN_IV_FAILED;
		return NAN;
	}
	*status = CN_IV_OK;
	return s / sqrt(t);
}

/* e^{r t} as the undiscounting factor, or 0 when it is not a normal double */
static double
undiscount(double r, double t)
{
	double		er = exp(r * t);

	return (er >= DBL_MIN && er <= DBL_MAX) ? er : 0.0;
}

/* BSM implied vol of a discounted price, through the forward (lbr.h). */
double
cn_bsm_implied_vol(double price, int omega, double S, double K, double t, double r,
				   double q, int *status)
{
	double		er = undiscount(r, t),
				d = r - q,
				c = isfinite(d) ? d * t : r * t - q * t,
				F = S * exp(c),
				x,
				fmk;

	if (er == 0.0)
	{
		*status = CN_IV_RANGE_RATE;
		return NAN;
	}
	if (!(F >= DBL_MIN && F <= DBL_MAX))
	{
		*status = CN_IV_RANGE_FORWARD;
		return NAN;
	}
	x = cn_log_moneyness(S, K) + c;
	/*
	 * F - K from the discounted legs without cancellation, S e^{-qt} - K e^{-rt} =
	 * (S - K) + S expm1(-qt) - K expm1(-rt); where a leg overflows (a large spot with
	 * a strongly negative yield) the rounded F - K, which is then far from zero.
	 */
	fmk = ((S - K) + S * expm1(-q * t) - K * expm1(-r * t)) * er;
	if (!isfinite(fmk))
		fmk = F - K;
	return cn_black_implied_vol_fx(price * er, F, K, x, fmk, t, omega, status);
}

/* Black-76 implied vol of a discounted price (lbr.h). */
double
cn_black76_implied_vol(double price, int omega, double F, double K, double t, double r,
					   int *status)
{
	double		er = undiscount(r, t);

	if (er == 0.0)
	{
		*status = CN_IV_RANGE_RATE;
		return NAN;
	}
	return cn_black_implied_vol(price * er, F, K, t, omega, status);
}
