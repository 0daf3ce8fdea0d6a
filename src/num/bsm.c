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
#include <math.h>

#include "lbr.h"
#include "models.h"
#include "normal.h"

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
 * Undiscounted lognormal price of an option on forward F with log-moneyness
 * x = ln(F/K) and total vol s = vol*sqrt(t).
 */
static double
lognormal_price(int omega, double F, double K, double x, double s)
{
	double		ex = omega * (F - K);

	if (s == 0.0)
		return ex > 0 ? ex : 0.0;
	return sqrt(F) * sqrt(K) * cn_normalised_black(x, s, omega);
}

/*
 * The lognormal core: price and Greeks of an option on S with yield q (BSM), or on a
 * forward when called with q = r (Black-76).  x = ln(F/K) comes from the caller, which
 * forms it in the most accurate way for its inputs.
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
				d2,
				pdf,
				Nd1,
				Nd2,
				vega;

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
	pdf = cn_norm_pdf(d1);
	Nd1 = cn_norm_cdf(omega * d1);
	Nd2 = cn_norm_cdf(omega * d2);
	vega = S * Dq * pdf * sqt;

	g->price = Dr * lognormal_price(omega, S * exp((r - q) * t), K, x, s);
	g->delta = omega * Dq * Nd1;
	g->vega = 0.01 * vega;
	g->rho = 0.01 * omega * K * t * Dr * Nd2;
	g->phi = -0.01 * omega * S * t * Dq * Nd1;

	if (s > 0.0 && pdf > 0.0)
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
	else if (s > 0.0)
	{
		/* The density underflowed: only the carry terms remain. */
		g->theta = (-omega * r * K * Dr * Nd2 + omega * q * S * Dq * Nd1) / 365.0;
		g->charm = omega * q * Dq * Nd1 / 365.0;
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
	return exp(-r * t) * lognormal_price(omega, S * exp((r - q) * t), K, x, vol * sqrt(t));
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
	return exp(-r * t) * lognormal_price(omega, F, K, cn_log_moneyness(F, K), vol * sqrt(t));
}

void
cn_black76_greeks(int omega, double F, double K, double t, double vol, double r,
				  cn_greeks *g)
{
	lognormal_greeks(omega, F, K, t, vol, r, r, cn_log_moneyness(F, K), g);
	/* With F held fixed, r only discounts: dV/dr = -t V (no cancelling rho + phi). */
	g->rho = -0.01 * t * g->price;
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
	g->rho = -0.01 * t * g->price;
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
