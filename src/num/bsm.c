/*
 * bsm.c -- European prices and Greeks under Black-Scholes-Merton, Black-76 and
 * Bachelier.
 *
 * Black-76 is BSM on the forward with q = r, so the two share one lognormal core.  Each
 * Greek is a closed form in N(d) and phi(d).  The one formula that cancels is the price
 * of an out-of-the-money option; it goes through Jaeckel's normalised Black function
 * (lbr.c), which keeps full relative accuracy in the far wings.  In-the-money prices
 * are the OTM price plus the discounted forward intrinsic (put/call symmetry): a sum of
 * positive terms, never a difference.
 *
 * Accuracy against ../shared/reference is measured by test/unit/test_models.c and
 * written in the README: prices and first-order Greeks within 1e-12 relative wherever
 * the value exceeds 1e-8 of spot, second-order Greeks within 1e-10 relative.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "lbr.h"
#include "models.h"
#include "normal.h"
#include "scaled.h"

/* The t -> 0 limit: intrinsic value, exercise indicator (1/2 at the money), zeros. */
static void
expiry_limit(int omega, double S, double K, cn_greeks *g)
{
	double		ex = omega * (S - K);

	*g = (cn_greeks) {0};
	g->price = ex > 0 ? ex : 0.0;
	g->delta = ex > 0 ? omega : (ex == 0 ? 0.5 * omega : 0.0);
}

/*
 * The standard normal density as a scaled value: cn_norm_pdf(x) itself wherever that is
 * a normal double, and below (|x| > 37.5) the same exp(-x^2/2)/sqrt(2 pi) without the
 * underflow, so a density term multiplied by large factors keeps its value.
 */
static cn_xd
pdf_xd(double x)
{
	double		p = cn_norm_pdf(x);

	if (p >= DBL_MIN)
		return cn_xd_of(p);
	return cn_xd_mulf(cn_xd_exp(-0.5 * x * x), CN_INV_SQRT2PI);
}

/* Phi(x) as a scaled value: cn_norm_cdf's bits, without its underflow in the tail. */
static cn_xd
cdf_xd(double x)
{
	double		e2,
				m = cn_norm_cdf_scaled(x, &e2);

	return cn_xd_make(m, e2);
}

/*
 * (r - q) t, as r t - q t when r - q itself overflows (rates of opposite signs near the
 * largest double; the carry can still be small when t is).  +-inf when it is beyond the
 * double range.
 */
static inline double
carry(double r, double q, double t)
{
	double		d = r - q;

	return isfinite(d) ? d * t : r * t - q * t;
}

/* e^{-(r + q) t / 2} as a scaled value, without overflow of r + q */
static cn_xd
half_discount(double r, double q, double t)
{
	double		h = r + q;

	return cn_xd_exp(isfinite(h) ? -0.5 * h * t : -(0.5 * r + 0.5 * q) * t);
}

/* 2 sinh(y/2), y >= 0, as u + u/(1 + u) with u = expm1(y/2): no cancellation */
static double
two_sinh_half(double y)
{
	double		u = expm1(0.5 * y);

	return u + u / (1.0 + u);
}

/*
 * h = x/s, x = ln(F/K) = lm + (r - q) t, for a total vol s = vol sqrt(t) > 0 given as
 * the scaled sx, as a scaled value: x/s itself, except exactly at the money in spot
 * (lm = 0), where x is the carry alone and may have underflowed: there
 * (r - q) sqrt(t)/vol, formed without underflow.  (Off the money |lm| >= 1e-16, and a
 * carry below the double range is nothing beside it.)
 */
static cn_xd
moneyness_per_vol(double x, double lm, cn_xd sx, double vol, double sqt, double r,
				  double q)
{
	double		rq = r - q;
	cn_xd		h;

	if (lm != 0.0 || r == q || vol == 0.0)
		return cn_xd_div(cn_xd_of(x), sx);
	if (isfinite(rq))
		return cn_xd_divf(cn_xd_mulf(cn_xd_of(rq), sqt), vol);
	/* r - q overflows: halve it exactly, and double the quotient */
	h = cn_xd_divf(cn_xd_mulf(cn_xd_of(0.5 * r - 0.5 * q), sqt), vol);
	h.e += 1.0;
	return h;
}

/*
 * d1, d2 = x/s +- s/2 for a total vol s = vol sqrt(t) > 0 given as the scaled sx, with
 * hx = x/s (moneyness_per_vol), as scaled values (d1 = h + s/2, d2 = d1 - s, the plain
 * formulas' roundings where they are in range) and as doubles.  Where s is beyond the
 * double range the limits are d1 = +inf, d2 = -inf (the scaled ones then unused),
 * unless x is infinite too (a carry (r - q) t beyond the range): then both come from
 * x/s = (r - q) sqrt(t)/vol.
 */
static void
standardise(double x, cn_xd hx, cn_xd sx, double vol, double sqt, double r, double q,
			cn_xd *d1x, cn_xd *d2x, double *d1, double *d2)
{
	double		s = cn_xd_value(sx),
				h;
	cn_xd		t[2];

	*d1x = *d2x = cn_xd_of(0.0);
	if (s < INFINITY)
	{
		t[0] = hx;
		t[1] = sx;
		t[1].e -= 1.0;			/* s/2 */
		*d1x = cn_xd_sum(t, 2);
		t[0] = *d1x;
		t[1] = sx;
		t[1].m = -t[1].m;
		*d2x = cn_xd_sum(t, 2);
		*d1 = cn_xd_value(*d1x);
		*d2 = cn_xd_value(*d2x);
		return;
	}
	if (isfinite(x))
	{
		*d1 = INFINITY;
		*d2 = -INFINITY;
		return;
	}
	/* here vol > 1e154, so (r - q)/vol and vol/2 are finite */
	h = isfinite(r - q) ? (r - q) / vol : 2.0 * ((0.5 * r - 0.5 * q) / vol);
	*d1 = (h + 0.5 * vol) * sqt;
	*d2 = (h - 0.5 * vol) * sqt;
}

/*
 * The normalised out-of-the-money value b(xo, s), xo <= 0, for a total vol sx below
 * TINY_S (below it 1/s would overflow inside the normalised Black function): its
 * first-order form s phi(h) A(-h), h = xo/s <= 0 given as hx (the Bachelier limit; the
 * next terms are 2^-1800 relative), A of cn_mills_defect.
 */
#define TINY_S		0x1p-1000

static cn_xd
tiny_otm(cn_xd hx, cn_xd sx)
{
	double		h = cn_xd_value(hx);

	if (!(h > -1e6))
		return cn_xd_of(0.0);
	return cn_xd_mulf(cn_xd_mul(sx, pdf_xd(h)), cn_mills_defect(-h, NULL));
}

/*
 * Beyond |ln(F/K)| = DEEP_X the in-the-money price is its intrinsic value in price
 * units plus the other side's out-of-the-money value: the two legs of the intrinsic
 * differ by e^30 (no cancellation), where the normalised form would carry the
 * rounding of x times |x|/2 (1.7e-14 relative at a strike of 1e-320) and overflow
 * beyond |x| = 1419.
 */
#define DEEP_X		30.0

/*
 * The discounted lognormal price, e^{-r t} (F N(d1) - K N(d2)) for a call with
 * F = S e^{(r - q) t}, as a scaled value; x = ln(F/K), vol >= 0.  Where e^{-r t} and
 * F are normal doubles, |x| <= DEEP_X and s = vol sqrt(t) is at least TINY_S it is the
 * plain e^{-r t} sqrt(F) sqrt(K) b(x, s), b the normalised Black value (scaled: far
 * out of the money b is below the double range when sqrt(F K) is not).  Beyond, the
 * same without the factors that leave the range: e^{-r t} sqrt(F K) = sqrt(S K)
 * e^{-(r + q) t/2}; deep in the money (|x| > DEEP_X) the intrinsic value
 * S e^{-q t} - K e^{-r t} plus the out-of-the-money value of the other side; for a
 * tiny s the first-order out-of-the-money value (tiny_otm); at vol 0 the discounted
 * intrinsic value of the forward; at infinite total vol the call is worth S e^{-q t},
 * the put K e^{-r t}.
 */
static cn_xd
lognormal_pv(int omega, double S, double K, double t, double vol, double r, double q,
			 double lm)
{
	double		x = lm + carry(r, q, t),
				sqt = sqrt(t),
				Dr = exp(-r * t),
				F = S * exp(carry(r, q, t)),
				s,
				m,
				e2;
	int			plain = Dr >= DBL_MIN && Dr <= DBL_MAX && F >= DBL_MIN && F <= DBL_MAX;
	cn_xd		sx = cn_xd_mulf(cn_xd_of(vol), sqt),
				leg[2],
				sqfk,
				v[2];

	leg[0] = cn_xd_mul(cn_xd_of(omega * S), cn_xd_exp(-q * t));
	leg[1] = cn_xd_mul(cn_xd_of(-omega * K), cn_xd_exp(-r * t));
	if (sx.m == 0.0)
	{
		cn_xd		ex;

		if (plain)
		{
			double		ep = omega * (F - K);

			return cn_xd_mulf(cn_xd_of(ep > 0 ? ep : 0.0), Dr);
		}
		ex = cn_xd_sum(leg, 2);
		return ex.m > 0 ? ex : cn_xd_of(0.0);
	}
	s = cn_xd_value(sx);
	if (s == INFINITY)
		return omega > 0 ? leg[0] : leg[1];	/* S e^{-q t}, or K e^{-r t} */
	sqfk = cn_xd_mul(cn_xd_mulf(cn_xd_of(sqrt(S)), sqrt(K)), half_discount(r, q, t));
	if (s < TINY_S)
	{
		cn_xd		hx = moneyness_per_vol(x, lm, sx, vol, sqt, r, q);
		int			itm = omega * hx.m > 0;

		hx.m = -fabs(hx.m);
		v[1] = cn_xd_mul(sqfk, tiny_otm(hx, sx));
		if (!itm)
			return v[1];
		/*
		 * in the money: the intrinsic value, normalised unless it would overflow, and
		 * as |h| s where x is so small that it may have lost digits (2 sinh(x/2) = x)
		 */
		hx.m = -hx.m;
		v[0] = fabs(x) > DEEP_X ? cn_xd_sum(leg, 2) :
			fabs(x) < 1e-100 ? cn_xd_mul(sqfk, cn_xd_mul(hx, sx)) :
			cn_xd_mulf(sqfk, two_sinh_half(fabs(x)));
		return cn_xd_sum(v, 2);
	}
	if (fabs(x) > DEEP_X && omega * x > 0)
	{
		v[0] = cn_xd_sum(leg, 2);
		m = cn_normalised_black_scaled(x, s, -omega, &e2);
		v[1] = cn_xd_mul(sqfk, cn_xd_make(m, e2));
		return cn_xd_sum(v, 2);
	}
	m = cn_normalised_black_scaled(x, s, omega, &e2);
	if (plain)
		return cn_xd_mulf(cn_xd_mul(cn_xd_mulf(cn_xd_of(sqrt(F)), sqrt(K)),
									cn_xd_make(m, e2)), Dr);
	return cn_xd_mul(sqfk, cn_xd_make(m, e2));
}

/*
 * The lognormal core in scaled arithmetic, for inputs where some factor of the plain
 * formulas is tiny or huge (see lognormal_greeks).  The discount factors, the total
 * vol, the density and the distribution function are carried as scaled values
 * (scaled.h), and each Greek is a chain of scaled products in the order of the plain
 * formula: the plain formula's bits where no intermediate leaves the normal range,
 * and the true value where one does (a density below the double range times a large
 * spot, e^{-r t} below it times a large rate).  No input gives NaN, and a field is
 * +-inf only when its true value is beyond the double range (and at the zero-vol
 * spike below).
 */
static double lognormal_price(int omega, double S, double K, double t, double vol,
							  double r, double q, double lm, const double *bp);

static void
lognormal_greeks_scaled(int omega, double S, double K, double t, double vol, double r,
						double q, double lm, cn_greeks *g)
{
	double		x = lm + carry(r, q, t);
	double		sqt = sqrt(t);
	double		d1,
				d2;
	cn_xd		sx = cn_xd_mulf(cn_xd_of(vol), sqt),
				d1x,
				d2x,
				Dq = cn_xd_exp(-q * t),
				Dr = cn_xd_exp(-r * t),
				Nd1,
				Nd2,
				pdf,
				vega,
				term[2];

	if (sx.m == 0.0)
	{
		/* Zero vol: d1 = d2 = +-infinity off the money, 0 at it. */
		d1 = d2 = (x > 0) ? INFINITY : (x < 0 ? -INFINITY : 0.0);
		d1x = d2x = cn_xd_of(0.0);
	}
	else
		standardise(x, moneyness_per_vol(x, lm, sx, vol, sqt, r, q), sx, vol, sqt, r, q,
					&d1x, &d2x, &d1, &d2);
	pdf = isfinite(d1) ? pdf_xd(d1) : cn_xd_of(0.0);
	Nd1 = cdf_xd(omega * d1);
	Nd2 = cdf_xd(omega * d2);
	/* S Dq pdf sqt, undivided by 100 */
	vega = (pdf.m == 0.0) ? pdf : cn_xd_mulf(cn_xd_mul(cn_xd_mul(cn_xd_of(S), Dq), pdf), sqt);

	/* the price as cn_bsm_price forms it, so the two agree to the bit */
	g->price = lognormal_price(omega, S, K, t, vol, r, q, lm, NULL);
	g->delta = cn_xd_value(cn_xd_mul(cn_xd_mulf(Dq, omega), Nd1));
	g->vega = 0.01 * cn_xd_value(vega);
	g->rho = cn_xd_value(cn_xd_mul(cn_xd_mul(cn_xd_mulf(cn_xd_mulf(
			cn_xd_of(0.01 * omega), K), t), Dr), Nd2));
	g->phi = cn_xd_value(cn_xd_mul(cn_xd_mul(cn_xd_mulf(cn_xd_mulf(
			cn_xd_of(-0.01 * omega), S), t), Dq), Nd1));

	/* the carry terms of theta, -omega r K Dr N(omega d2) and omega q S Dq N(omega d1) */
	term[0] = cn_xd_mul(cn_xd_mul(cn_xd_mulf(cn_xd_of(omega * r), K), Dr), Nd2);
	term[0].m = -term[0].m;
	term[1] = cn_xd_mul(cn_xd_mul(cn_xd_mulf(cn_xd_of(omega * q), S), Dq), Nd1);

	if (sx.m != 0.0 && pdf.m != 0.0)
	{
		cn_xd		th[3],
					c[2],
					ch[2];
		double		rq = r - q;

		g->gamma = cn_xd_value(cn_xd_div(cn_xd_mul(pdf, Dq), cn_xd_mul(cn_xd_of(S), sx)));
		/* dV/dt: decay of the density term plus the carry of the two legs. */
		th[0] = cn_xd_divf(cn_xd_mulf(cn_xd_mul(cn_xd_mul(cn_xd_mulf(cn_xd_of(-0.5), S),
														  Dq), pdf), vol), sqt);
		th[1] = term[0];
		th[2] = term[1];
		g->theta = cn_xd_value(cn_xd_divf(cn_xd_sum(th, 3), 365.0));
		g->vanna = cn_xd_value(cn_xd_divf(cn_xd_mul(cn_xd_mul(cn_xd_mul(cn_xd_of(-0.01), Dq),
															  pdf), d2x), vol));
		g->volga = cn_xd_value(cn_xd_divf(cn_xd_mul(cn_xd_mul(cn_xd_mulf(vega, 1e-4), d1x),
													d2x), vol));

		/*
		 * -d(delta)/dT, written without the product t*s that underflows near expiry:
		 * omega q Dq N(omega d1) + Dq pdf (d2/(2t) - (r - q)/s)
		 */
		c[0] = cn_xd_divf(cn_xd_mul(cn_xd_of(0.5), d2x), t);
		if (isfinite(rq))
			c[1] = cn_xd_div(cn_xd_of(rq), sx);
		else
		{
			/* r - q overflows: halve it exactly, and double the quotient */
			c[1] = cn_xd_div(cn_xd_of(0.5 * r - 0.5 * q), sx);
			c[1].e += 1.0;
		}
		c[1].m = -c[1].m;
		ch[0] = cn_xd_mul(cn_xd_mul(cn_xd_of(omega * q), Dq), Nd1);
		ch[1] = cn_xd_mul(cn_xd_mul(Dq, pdf), cn_xd_sum(c, 2));
		g->charm = cn_xd_value(cn_xd_divf(cn_xd_sum(ch, 2), 365.0));
	}
	else if (sx.m != 0.0)
	{
		/*
		 * The density is zero to any factor that can multiply it (|d1| beyond 1414,
		 * where it is below e^-1e6, or infinite): gamma, vanna, volga vanish, only the
		 * carry terms remain.
		 */
		g->theta = cn_xd_value(cn_xd_divf(cn_xd_sum(term, 2), 365.0));
		g->charm = cn_xd_value(cn_xd_divf(cn_xd_mul(cn_xd_mul(cn_xd_of(omega * q), Dq),
													Nd1), 365.0));
	}
	else
	{
		/*
		 * Zero vol: the limits as vol -> 0.  Off the money (pdf = 0) the second-order
		 * Greeks vanish; exactly at the forward the density is a spike, gamma is
		 * infinite, vanna tends to Dq phi(0) sqrt(t)/2 and charm to -sign(r-q) infinity.
		 */
		int			spike = pdf.m != 0.0;

		g->gamma = spike ? INFINITY : 0.0;
		g->theta = cn_xd_value(cn_xd_divf(cn_xd_sum(term, 2), 365.0));
		g->vanna = spike ? cn_xd_value(cn_xd_mulf(cn_xd_mul(cn_xd_mul(cn_xd_of(0.01 * 0.5),
																	  Dq), pdf), sqt)) : 0.0;
		g->volga = 0.0;
		g->charm = cn_xd_value(cn_xd_divf(cn_xd_mul(cn_xd_mul(cn_xd_of(omega * q), Dq),
													Nd1), 365.0));
		if (spike && r != q)
			g->charm = copysign(INFINITY, q - r);
	}
}

/*
 * Whether a factor of the plain formulas is tame: 0, or within 2^-60 .. 2^61.  A
 * product of eight tame factors, one density or normal probability of at least
 * 2^-550 and the constants (0.01, 1e-4, 1/365) stays within the normal range, so the
 * plain double formulas are exact to their roundings; otherwise the scaled ones are
 * used, which then give the same bits wherever no intermediate leaves the range.
 */
#define TAME_PROB	0x1p-550

static inline int
tame(double x)
{
	uint64_t	b;

	/* from the exponent bits: 0, or a biased exponent within 1023 +- 60 */
	memcpy(&b, &x, sizeof(b));
	return (b << 1) == 0 || ((b >> 52) & 0x7ff) - (1023 - 60) <= 120;
}

/* tame and not zero: for computed factors, whose zero would be an underflow */
static inline int
tame_nz(double x)
{
	return x != 0.0 && tame(x);
}

/*
 * The lognormal core: price and Greeks of an option on S with yield q (BSM), or on a
 * forward when called with q = r (Black-76).  x = ln(F/K) comes from the caller, which
 * forms it in the most accurate way for its inputs.  Every field is written on every
 * path.  The plain closed forms in doubles wherever every factor is tame (above), else
 * lognormal_greeks_scaled, the same formulas without intermediate overflow or
 * underflow.
 */
static void
lognormal_greeks(int omega, double S, double K, double t, double vol, double r,
				 double q, double lm, cn_greeks *g)
{
	double		x = lm + carry(r, q, t);
	double		sqt = sqrt(t);
	double		s = vol * sqt;
	double		Dq = exp(-q * t);
	double		Dr = exp(-r * t);
	double		d1,
				d2,
				pdf,
				Nd1,
				Nd2,
				b,
				vega;

	*g = (cn_greeks) {0};
	if (t == 0.0)
	{
		expiry_limit(omega, S, K, g);
		return;
	}
	/*
	 * The forward F = K e^x is not a factor of any plain formula below; where x is
	 * within DEEP_X it is within e^30 of a tame strike, and at vol 0 lognormal_price
	 * checks it.
	 */
	if (!(tame(S) & tame(K) & tame(t) & tame(vol) & (vol == 0.0 || tame_nz(s)) &
		  tame_nz(Dq) & tame_nz(Dr) & tame(r) & tame(q) & tame(r - q)) ||
		!(fabs(x) <= DEEP_X || vol == 0.0))
	{
		lognormal_greeks_scaled(omega, S, K, t, vol, r, q, lm, g);
		return;
	}
	if (s == 0.0)
		/* Zero total vol: d1 = d2 = +-infinity off the money, 0 at it. */
		d1 = d2 = (x > 0) ? INFINITY : (x < 0 ? -INFINITY : 0.0);
	else
	{
		d1 = x / s + 0.5 * s;
		d2 = d1 - s;
	}
	Nd1 = cn_norm_cdf_pdf(omega * d1, &pdf);	/* phi(-d1) = phi(d1), the same bits */
	Nd2 = cn_norm_cdf(omega * d2);
	b = s > 0.0 ? cn_normalised_black(x, s, omega) : 0.0;
	if (s > 0.0 && !((tame(d1) & tame(d2)) && pdf >= TAME_PROB && Nd1 >= TAME_PROB &&
					 Nd2 >= TAME_PROB && b >= TAME_PROB))
	{
		lognormal_greeks_scaled(omega, S, K, t, vol, r, q, lm, g);
		return;
	}
	vega = S * Dq * pdf * sqt;

	if (s > 0.0)
	{
		/*
		 * lognormal_price's plain formula, whose conditions hold here but for the
		 * half discount's range: the same bits as cn_bsm_price.  Written out rather
		 * than called: the call re-derives x, s and their checks, 7% of the
		 * instructions of the Greeks (callgrind, bench_models' chain).
		 */
		double		hd = exp(-0.5 * (r + q) * t);

		g->price = tame_nz(hd) ? hd * (sqrt(S) * sqrt(K) * b) :
			lognormal_price(omega, S, K, t, vol, r, q, lm, &b);
	}
	else
		g->price = lognormal_price(omega, S, K, t, vol, r, q, lm, NULL);
	g->delta = omega * Dq * Nd1;
	g->vega = 0.01 * vega;
	g->rho = 0.01 * omega * K * t * Dr * Nd2;
	g->phi = -0.01 * omega * S * t * Dq * Nd1;

	if (s > 0.0)
	{
		g->gamma = Dq * pdf / (S * s);
		/* dV/dt: decay of the density term plus the carry of the two legs. */
		g->theta = (-0.5 * S * Dq * pdf * vol / sqt
					- omega * r * K * Dr * Nd2
					+ omega * q * S * Dq * Nd1) / 365.0;
		g->vanna = -0.01 * Dq * pdf * d2 / vol;
		g->volga = 1e-4 * vega * d1 * d2 / vol;
		/* -d(delta)/dT, written without the product t*s that underflows near expiry */
		g->charm = (omega * q * Dq * Nd1
					+ Dq * pdf * (0.5 * d2 / t - (r - q) / s)) / 365.0;
	}
	else
	{
		/*
		 * Zero vol: the limits as vol -> 0.  Off the money (pdf = 0) the second-order
		 * Greeks vanish; exactly at the forward the density is a spike, gamma is
		 * infinite, vanna tends to Dq phi(0) sqrt(t)/2 and charm to -sign(r-q) infinity.
		 */
		g->gamma = pdf > 0 ? INFINITY : 0.0;
		g->theta = (-omega * r * K * Dr * Nd2 + omega * q * S * Dq * Nd1) / 365.0;
		g->vanna = 0.01 * 0.5 * Dq * pdf * sqt;
		g->volga = 0.0;
		g->charm = omega * q * Dq * Nd1 / 365.0;
		if (pdf > 0 && r != q)
			g->charm = copysign(INFINITY, q - r);
	}
}

/*
 * The discounted lognormal price: the plain e^{-r t} sqrt(F K) b where every factor is
 * tame (|x| <= DEEP_X then, so b does not overflow), else lognormal_pv.  The plain
 * factor is formed as sqrt(S) sqrt(K) e^{-(r + q) t/2}, one exponential instead of the
 * discount and the forward (the same value, F = S e^{(r - q) t}, three roundings
 * either way); F itself is only needed at vol 0.
 */
static double
lognormal_price(int omega, double S, double K, double t, double vol, double r, double q,
				double lm, const double *bp)
{
	double		c = carry(r, q, t),
				x = lm + c,
				s = vol * sqrt(t),
				hd,
				b;

	if (vol == 0.0)
	{
		double		Dr = exp(-r * t),
					F = S * exp(c);

		if (tame_nz(Dr) & tame_nz(F) & tame(K))
		{
			double		ex = omega * (F - K);

			return Dr * (ex > 0 ? ex : 0.0);
		}
	}
	else if (tame_nz(s) & tame(S) & tame(K) & (fabs(x) <= DEEP_X))
	{
		/* e^{-(r + q) t/2}; an r + q beyond the range gives 0 or inf: not tame */
		hd = exp(-0.5 * (r + q) * t);
		if (tame_nz(hd))
		{
			b = bp ? *bp : cn_normalised_black(x, s, omega);
			if (b >= TAME_PROB)
				return hd * (sqrt(S) * sqrt(K) * b);
		}
	}
	return cn_xd_value(lognormal_pv(omega, S, K, t, vol, r, q, lm));
}

double
cn_bsm_price(int omega, double S, double K, double t, double vol, double r, double q)
{
	if (t == 0.0)
	{
		double		ex = omega * (S - K);

		return ex > 0 ? ex : 0.0;
	}
	return lognormal_price(omega, S, K, t, vol, r, q, cn_log_moneyness(S, K), NULL);
}

void
cn_bsm_greeks(int omega, double S, double K, double t, double vol, double r, double q,
			  cn_greeks *g)
{
	lognormal_greeks(omega, S, K, t, vol, r, q, cn_log_moneyness(S, K), g);
}

double
cn_black76_price(int omega, double F, double K, double t, double vol, double r)
{
	if (t == 0.0)
	{
		double		ex = omega * (F - K);

		return ex > 0 ? ex : 0.0;
	}
	return lognormal_price(omega, F, K, t, vol, r, r, cn_log_moneyness(F, K), NULL);
}

void
cn_black76_greeks(int omega, double F, double K, double t, double vol, double r,
				  cn_greeks *g)
{
	lognormal_greeks(omega, F, K, t, vol, r, r, cn_log_moneyness(F, K), g);
	/* With F held fixed, r only discounts: dV/dr = -t V (no cancelling rho + phi). */
	g->rho = cn_xd_value(cn_xd_mulf(cn_xd_mulf(cn_xd_of(-0.01), t), g->price));
	g->phi = 0.0;
}

/*
 * Undiscounted Bachelier value of a call at standardised moneyness d, per unit of
 * total normal vol: d N(d) + phi(d).  For d << 0 the two terms cancel, so there it is
 * phi(d) c/(x + c) with x = -d and c = 1/(x + 2/(x + 3/(x + ...))), the continued
 * fraction of Mills' ratio rearranged so that no subtraction remains.
 */
static double
bachelier_mills(double x)
{
	double		c = 0.0;

	/* 40 terms reach machine precision for x >= 8 (the tail shrinks like k/x^2). */
	for (int k = 41; k >= 2; k--)
		c = k / (x + c);
	return 1.0 / (x + c);
}

static double
bachelier_unit(double d)
{
	double		c;

	if (d > -8.0)
		return d * cn_norm_cdf(d) + cn_norm_pdf(d);
	c = bachelier_mills(-d);
	return cn_norm_pdf(d) * c / (-d + c);
}

/* The same as a scaled value: phi(d) does not underflow (d > -1e300). */
static cn_xd
bachelier_unit_xd(double d)
{
	double		c;

	if (d > -8.0)
		return cn_xd_of(bachelier_unit(d));
	if (!(d > -1e300))
		return cn_xd_of(0.0);
	c = bachelier_mills(-d);
	return cn_xd_divf(cn_xd_mulf(pdf_xd(d), c), -d + c);
}

/* F - K as a scaled value: the plain difference, or 2 (F/2 - K/2) where it overflows */
static cn_xd
difference(double F, double K)
{
	double		d = F - K;
	cn_xd		r;

	if (isfinite(d))
		return cn_xd_of(d);
	r = cn_xd_of(0.5 * F - 0.5 * K);	/* exact halves: F, K are large here */
	r.e += 1.0;
	return r;
}

/*
 * The discounted Bachelier price as a scaled value, e^{-r t} s u(d),
 * d = omega (F - K)/s: with the discount, F - K and s = vol sqrt(t) as scaled values,
 * and far in the money (d beyond 1e300 or infinite) as the intrinsic value plus
 * s phi(d).
 */
static cn_xd
bachelier_pv(int omega, double F, double K, double t, double vol, double r)
{
	double		d;
	cn_xd		Dx = cn_xd_exp(-r * t),
				sx = cn_xd_mulf(cn_xd_of(vol), sqrt(t)),
				exx = difference(F, K);

	exx.m *= omega;
	if (sx.m == 0.0)
		return exx.m > 0 ? cn_xd_mul(Dx, exx) : cn_xd_of(0.0);
	d = cn_xd_value(cn_xd_div(exx, sx));
	if (d > 1e300)
	{
		cn_xd		v[2];

		v[0] = exx;
		v[1] = cn_xd_mul(sx, pdf_xd(d));
		return cn_xd_mul(Dx, cn_xd_sum(v, 2));
	}
	return cn_xd_mul(cn_xd_mul(Dx, sx), bachelier_unit_xd(d));
}

double
cn_bachelier_price(int omega, double F, double K, double t, double vol, double r)
{
	double		s = vol * sqrt(t);
	double		D = exp(-r * t);
	double		ex = omega * (F - K);

	if ((vol == 0.0 || tame_nz(s)) & tame_nz(D) & tame(ex))
	{
		if (s == 0.0)
			return D * (ex > 0 ? ex : 0.0);
		if (ex / s > -27.0)		/* u(d) > 2^-550 */
			return D * s * bachelier_unit(ex / s);
	}
	return cn_xd_value(bachelier_pv(omega, F, K, t, vol, r));
}

/*
 * Bachelier Greeks in scaled arithmetic (as lognormal_greeks_scaled), for inputs where
 * a factor of the plain formulas is not tame.
 */
static void
bachelier_greeks_scaled(int omega, double F, double K, double t, double vol, double r,
						cn_greeks *g)
{
	double		sqt = sqrt(t);
	double		d;
	cn_xd		D,
				sx = cn_xd_mulf(cn_xd_of(vol), sqt),
				pv,
				pdf,
				th[2],
				ch[2];

	D = cn_xd_exp(-r * t);
	pv = bachelier_pv(omega, F, K, t, vol, r);
	g->price = cn_xd_value(pv);
	g->rho = cn_xd_value(cn_xd_mul(cn_xd_mulf(cn_xd_of(-0.01), t), pv));
	if (sx.m == 0.0)
	{
		/* Zero vol: only the at-the-money spike survives (infinite gamma). */
		double		ex = omega * (F - K);	/* its sign is exact, even if it overflows */

		g->delta = ex > 0 ? cn_xd_value(cn_xd_mulf(D, omega)) :
			(ex == 0 ? cn_xd_value(cn_xd_mulf(D, 0.5 * omega)) : 0.0);
		g->gamma = ex == 0 ? INFINITY : 0.0;
		g->vega = ex == 0 ? cn_xd_value(cn_xd_mulf(cn_xd_mulf(cn_xd_mulf(D, 0.01), sqt),
												   CN_INV_SQRT2PI)) : 0.0;
		g->theta = cn_xd_value(cn_xd_divf(cn_xd_mul(cn_xd_of(r), pv), 365.0));
		g->charm = cn_xd_value(cn_xd_divf(cn_xd_mulf(cn_xd_mulf(D, r), ex > 0 ? omega :
														 (ex == 0 ? 0.5 * omega : 0.0)),
										  365.0));
		return;
	}
	/* (F - K)/s, without overflow of F - K or of s */
	d = cn_xd_value(cn_xd_div(difference(F, K), sx));
	pdf = isfinite(d) ? pdf_xd(d) : cn_xd_of(0.0);
	g->delta = cn_xd_value(cn_xd_mul(cn_xd_mulf(D, omega), cdf_xd(omega * d)));
	if (pdf.m == 0.0)
	{
		/* no density: only the carry of the discounted value remains */
		g->theta = cn_xd_value(cn_xd_divf(cn_xd_mul(cn_xd_of(r), pv), 365.0));
		g->charm = cn_xd_value(cn_xd_divf(cn_xd_mulf(cn_xd_mul(cn_xd_of(r), D),
													 omega * d > 0 ? omega : 0.0), 365.0));
		return;
	}
	g->gamma = cn_xd_value(cn_xd_div(cn_xd_mul(D, pdf), sx));
	g->vega = cn_xd_value(cn_xd_mul(cn_xd_mulf(cn_xd_mul(cn_xd_of(0.01), D), sqt), pdf));
	th[0] = cn_xd_mul(cn_xd_of(r), pv);
	th[1] = cn_xd_divf(cn_xd_mul(cn_xd_mulf(cn_xd_mul(cn_xd_of(-0.5), D), vol), pdf), sqt);
	g->theta = cn_xd_value(cn_xd_divf(cn_xd_sum(th, 2), 365.0));
	g->vanna = cn_xd_value(cn_xd_divf(cn_xd_mulf(cn_xd_mul(cn_xd_mul(cn_xd_of(-0.01), D), pdf),
												 d), vol));
	g->volga = cn_xd_value(cn_xd_divf(cn_xd_mulf(cn_xd_mulf(cn_xd_mul(cn_xd_mulf(
		cn_xd_mul(cn_xd_of(1e-4), D), sqt), pdf), d), d), vol));
	ch[0] = cn_xd_mul(cn_xd_of(r), cn_xd_mul(cn_xd_mulf(D, omega), cdf_xd(omega * d)));
	ch[1] = cn_xd_divf(cn_xd_mulf(cn_xd_mul(D, pdf), d), 2.0 * t);
	g->charm = cn_xd_value(cn_xd_divf(cn_xd_sum(ch, 2), 365.0));
}

/*
 * Bachelier price and Greeks: the plain closed forms where every factor is tame,
 * else bachelier_greeks_scaled.  Every field is written on every path.
 */
void
cn_bachelier_greeks(int omega, double F, double K, double t, double vol, double r,
					cn_greeks *g)
{
	double		sqt = sqrt(t);
	double		s = vol * sqt;
	double		D = exp(-r * t);
	double		fk = F - K;
	double		d,
				pdf,
				Nd;

	*g = (cn_greeks) {0};
	if (t == 0.0)
	{
		expiry_limit(omega, F, K, g);
		return;
	}
	d = s > 0.0 ? fk / s : 0.0;
	pdf = cn_norm_pdf(d);
	Nd = cn_norm_cdf(omega * d);
	if (!((tame(t) & tame(vol) & (vol == 0.0 || tame_nz(s)) & tame_nz(D) & tame(r) &
		   tame(fk)) && (s == 0.0 || (tame(d) && pdf >= TAME_PROB && Nd >= TAME_PROB))))
	{
		bachelier_greeks_scaled(omega, F, K, t, vol, r, g);
		return;
	}
	g->price = cn_bachelier_price(omega, F, K, t, vol, r);
	g->rho = -0.01 * t * g->price;
	if (s == 0.0)
	{
		/* Zero vol: only the at-the-money spike survives (infinite gamma). */
		double		ex = omega * fk;

		g->delta = ex > 0 ? omega * D : (ex == 0 ? 0.5 * omega * D : 0.0);
		g->gamma = ex == 0 ? INFINITY : 0.0;
		g->vega = ex == 0 ? 0.01 * D * sqt * CN_INV_SQRT2PI : 0.0;
		g->theta = r * g->price / 365.0;
		g->charm = r * g->delta / 365.0;
		return;
	}
	g->delta = omega * D * Nd;
	g->gamma = D * pdf / s;
	g->vega = 0.01 * D * sqt * pdf;
	g->theta = (r * g->price - 0.5 * D * vol * pdf / sqt) / 365.0;
	g->vanna = -0.01 * D * pdf * d / vol;
	g->volga = 1e-4 * D * sqt * pdf * d * d / vol;
	g->charm = (r * g->delta + D * pdf * d / (2.0 * t)) / 365.0;
}
