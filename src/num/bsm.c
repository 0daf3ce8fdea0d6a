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
 * Undiscounted lognormal price of an option on forward F with log-moneyness
 * x = ln(F/K) and total vol s = vol*sqrt(t), as a scaled value: sqrt(F K) times the
 * normalised Black value, which far out of the money is below the double range when
 * sqrt(F K) is not.
 */
static cn_xd
lognormal_price(int omega, double F, double K, double x, double s)
{
	double		ex = omega * (F - K),
				m,
				e2;

	if (s == 0.0)
		return cn_xd_of(ex > 0 ? ex : 0.0);
	m = cn_normalised_black_scaled(x, s, omega, &e2);
	return cn_xd_mul(cn_xd_mulf(cn_xd_of(sqrt(F)), sqrt(K)), cn_xd_make(m, e2));
}

/*
 * The lognormal core: price and Greeks of an option on S with yield q (BSM), or on a
 * forward when called with q = r (Black-76).  x = ln(F/K) comes from the caller, which
 * forms it in the most accurate way for its inputs.  Every field is written on every
 * path.  The products of the density terms (and of t, r, q with the legs) are formed
 * as scaled values (scaled.h) in the order of the plain formulas, so they give the
 * plain formulas' bits in the normal range and keep their true value where a factor is
 * tiny or huge: a density below the double range times a large spot or a small vol is
 * not lost to underflow, and 0 times infinity never happens.  A field is +-inf only
 * when its true value is beyond the double range (and at the zero-vol spike below).
 */
static void
lognormal_greeks(int omega, double S, double K, double t, double vol, double r,
				 double q, double x, cn_greeks *g)
{
	double		sqt = sqrt(t);
	double		s = vol * sqt;
	double		Dq = exp(-q * t);
	double		Dr = exp(-r * t);
	double		d1,
				d2;
	cn_xd		Nd1,
				Nd2,
				pdf,
				vega,
				term[2];

	*g = (cn_greeks) {0};
	if (t == 0.0)
	{
		expiry_limit(omega, S, K, g);
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
	pdf = isfinite(d1) ? pdf_xd(d1) : cn_xd_of(0.0);
	Nd1 = cdf_xd(omega * d1);
	Nd2 = cdf_xd(omega * d2);
	/* S Dq pdf sqt, undivided by 100 */
	vega = (pdf.m == 0.0) ? pdf :
		cn_xd_mulf(cn_xd_mul(cn_xd_mulf(cn_xd_of(S), Dq), pdf), sqt);

	g->price = cn_xd_value(cn_xd_mulf(lognormal_price(omega, S * exp((r - q) * t), K, x, s),
									  Dr));
	g->delta = cn_xd_value(cn_xd_mul(cn_xd_of(omega * Dq), Nd1));
	g->vega = 0.01 * cn_xd_value(vega);
	g->rho = cn_xd_value(cn_xd_mul(cn_xd_mulf(cn_xd_mulf(cn_xd_mulf(
			cn_xd_of(0.01 * omega), K), t), Dr), Nd2));
	g->phi = cn_xd_value(cn_xd_mul(cn_xd_mulf(cn_xd_mulf(cn_xd_mulf(
			cn_xd_of(-0.01 * omega), S), t), Dq), Nd1));

	/* the carry terms of theta, -omega r K Dr N(omega d2) and omega q S Dq N(omega d1) */
	term[0] = cn_xd_mul(cn_xd_mulf(cn_xd_mulf(cn_xd_of(omega * r), K), Dr), Nd2);
	term[0].m = -term[0].m;
	term[1] = cn_xd_mul(cn_xd_mulf(cn_xd_mulf(cn_xd_of(omega * q), S), Dq), Nd1);

	if (s > 0.0 && pdf.m != 0.0)
	{
		cn_xd		th[3],
					c[2],
					ch[2];
		double		rq = r - q;

		g->gamma = cn_xd_value(cn_xd_div(cn_xd_mulf(pdf, Dq), cn_xd_mulf(cn_xd_of(S), s)));
		/* dV/dt: decay of the density term plus the carry of the two legs. */
		th[0] = cn_xd_divf(cn_xd_mulf(cn_xd_mul(cn_xd_mulf(cn_xd_mulf(cn_xd_of(-0.5), S),
															Dq), pdf), vol), sqt);
		th[1] = term[0];
		th[2] = term[1];
		g->theta = cn_xd_value(cn_xd_divf(cn_xd_sum(th, 3), 365.0));
		g->vanna = cn_xd_value(cn_xd_divf(cn_xd_mulf(cn_xd_mul(cn_xd_mulf(cn_xd_of(-0.01), Dq),
															   pdf), d2), vol));
		g->volga = cn_xd_value(cn_xd_divf(cn_xd_mulf(cn_xd_mulf(cn_xd_mulf(vega, 1e-4), d1),
													 d2), vol));

		/*
		 * -d(delta)/dT, written without the product t*s that underflows near expiry:
		 * omega q Dq N(omega d1) + Dq pdf (d2/(2t) - (r - q)/s)
		 */
		c[0] = cn_xd_divf(cn_xd_of(0.5 * d2), t);
		if (isfinite(rq))
			c[1] = cn_xd_divf(cn_xd_of(rq), s);
		else
		{
			/* r - q overflows: halve it exactly, and double the quotient */
			c[1] = cn_xd_divf(cn_xd_of(0.5 * r - 0.5 * q), s);
			c[1].e += 1.0;
		}
		c[1].m = -c[1].m;
		ch[0] = cn_xd_mul(cn_xd_mulf(cn_xd_of(omega * q), Dq), Nd1);
		ch[1] = cn_xd_mul(cn_xd_mul(cn_xd_of(Dq), pdf), cn_xd_sum(c, 2));
		g->charm = cn_xd_value(cn_xd_divf(cn_xd_sum(ch, 2), 365.0));
	}
	else if (s > 0.0)
	{
		/*
		 * The density is zero to any factor that can multiply it (|d1| beyond 1414,
		 * where it is below e^-1e6, or infinite): gamma, vanna, volga vanish, only the
		 * carry terms remain.
		 */
		g->theta = cn_xd_value(cn_xd_divf(cn_xd_sum(term, 2), 365.0));
		g->charm = cn_xd_value(cn_xd_divf(cn_xd_mul(cn_xd_mulf(cn_xd_of(omega * q), Dq),
													Nd1), 365.0));
	}
	else
	{
		/*
		 * Zero vol: the limits as vol -> 0.  Off the money (pdf = 0) the second-order
		 * Greeks vanish; exactly at the forward the density is a spike, gamma is
		 * infinite, vanna tends to Dq phi(0) sqrt(t)/2 and charm to -sign(r-q) infinity.
		 */
		double		p0 = pdf.m == 0.0 ? 0.0 : cn_xd_value(pdf);

		g->gamma = p0 > 0 ? INFINITY : 0.0;
		g->theta = cn_xd_value(cn_xd_divf(cn_xd_sum(term, 2), 365.0));
		g->vanna = 0.01 * 0.5 * Dq * p0 * sqt;
		g->volga = 0.0;
		g->charm = cn_xd_value(cn_xd_divf(cn_xd_mul(cn_xd_mulf(cn_xd_of(omega * q), Dq),
													Nd1), 365.0));
		if (p0 > 0 && r != q)
			g->charm = copysign(INFINITY, q - r);
	}
}

double
cn_bsm_price(int omega, double S, double K, double t, double vol, double r, double q)
{
	double		x;

	if (t == 0.0)
	{
		double		ex = omega * (S - K);

		return ex > 0 ? ex : 0.0;
	}
	x = cn_log_moneyness(S, K) + (r - q) * t;
	return cn_xd_value(cn_xd_mulf(lognormal_price(omega, S * exp((r - q) * t), K, x,
												  vol * sqrt(t)), exp(-r * t)));
}

void
cn_bsm_greeks(int omega, double S, double K, double t, double vol, double r, double q,
			  cn_greeks *g)
{
	lognormal_greeks(omega, S, K, t, vol, r, q, cn_log_moneyness(S, K) + (r - q) * t, g);
}

double
cn_black76_price(int omega, double F, double K, double t, double vol, double r)
{
	if (t == 0.0)
	{
		double		ex = omega * (F - K);

		return ex > 0 ? ex : 0.0;
	}
	return cn_xd_value(cn_xd_mulf(lognormal_price(omega, F, K, cn_log_moneyness(F, K),
												  vol * sqrt(t)), exp(-r * t)));
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
bachelier_unit(double d)
{
	double		x,
				c;

	if (d > -8.0)
		return d * cn_norm_cdf(d) + cn_norm_pdf(d);
	x = -d;
	/* 40 terms reach machine precision for x >= 8 (the tail shrinks like k/x^2). */
	c = 0.0;
	for (int k = 41; k >= 2; k--)
		c = k / (x + c);
	c = 1.0 / (x + c);
	return cn_norm_pdf(d) * c / (x + c);
}

double
cn_bachelier_price(int omega, double F, double K, double t, double vol, double r)
{
	double		s = vol * sqrt(t);
	double		ex = omega * (F - K);

	if (s == 0.0)
		return exp(-r * t) * (ex > 0 ? ex : 0.0);
	return exp(-r * t) * s * bachelier_unit(ex / s);
}

void
cn_bachelier_greeks(int omega, double F, double K, double t, double vol, double r,
					cn_greeks *g)
{
	double		sqt = sqrt(t);
	double		s = vol * sqt;
	double		D = exp(-r * t);
	double		d,
				pdf;

	if (t == 0.0)
	{
		expiry_limit(omega, F, K, g);
		return;
	}
	*g = (cn_greeks) {0};
	g->price = cn_bachelier_price(omega, F, K, t, vol, r);
	g->rho = cn_xd_value(cn_xd_mulf(cn_xd_mulf(cn_xd_of(-0.01), t), g->price));
	if (s == 0.0)
	{
		/* Zero vol: only the at-the-money spike survives (infinite gamma). */
		double		ex = omega * (F - K);

		g->delta = ex > 0 ? omega * D : (ex == 0 ? 0.5 * omega * D : 0.0);
		g->gamma = ex == 0 ? INFINITY : 0.0;
		g->vega = ex == 0 ? 0.01 * D * sqt * CN_INV_SQRT2PI : 0.0;
		g->theta = r * g->price / 365.0;
		g->charm = r * g->delta / 365.0;
		return;
	}
	d = (F - K) / s;
	pdf = cn_norm_pdf(d);
	g->delta = omega * D * cn_norm_cdf(omega * d);
	g->gamma = D * pdf / s;
	g->vega = 0.01 * D * sqt * pdf;
	g->theta = (r * g->price - 0.5 * D * vol * pdf / sqt) / 365.0;
	g->vanna = -0.01 * D * pdf * d / vol;
	g->volga = 1e-4 * D * sqt * pdf * d * d / vol;
	g->charm = (r * g->delta + D * pdf * d / (2.0 * t)) / 365.0;
}
