/*
 * models.h -- European option prices and Greeks: Black-Scholes-Merton, Black-76 and
 * Bachelier.  Pure C (no PostgreSQL).
 *
 * Conventions shared by every model and by the SQL layer:
 *   omega    +1 for a call, -1 for a put
 *   t        time to expiry, year fraction (ACT/365)
 *   vol      lognormal vol (BSM, Black-76) or normal vol in price units (Bachelier)
 *   r, q     continuously compounded rate and dividend yield
 * Callers validate arguments: these functions assume finite inputs, t >= 0, vol >= 0 and,
 * for the lognormal models, spot/forward and strike > 0.
 *
 * Every field of the cn_greeks result is written on every path.  A Greek whose density
 * factor is below the double range is still its true value when the other factors
 * bring it back (a large spot, a small vol), and 0 (with the sign of the true value)
 * when they do not.
 */
#ifndef CONDOR_MODELS_H
#define CONDOR_MODELS_H

#include <math.h>

/*
 * The Greeks in the units of the SQL composite "greeks" (per one unit of underlying):
 *   delta dV/dS, gamma d2V/dS2, vega dV/dvol x 0.01, theta -dV/dT / 365 (per calendar
 *   day), rho dV/dr x 0.01, phi dV/dq x 0.01, vanna d2V/dS dvol x 0.01,
 *   volga d2V/dvol2 x 1e-4, charm -d(delta)/dT / 365 (per calendar day).
 * Black-76 and Bachelier: S is the forward, rho holds F fixed (= -t V / 100), phi = 0.
 */
typedef struct cn_greeks
{
	double		price;
	double		delta;
	double		gamma;
	double		vega;
	double		theta;
	double		rho;
	double		phi;
	double		vanna;
	double		volga;
	double		charm;
} cn_greeks;

#define CN_GREEKS_N 10

/*
 * The carry the models are computed for: |r| t and |q| t up to CN_MAX_CARRY, discount
 * factors within e^-100000 .. e^100000.  Within it every quantity is carried exactly
 * (scaled.h), so a result is finite, or infinite only where its true value is beyond
 * the double range; beyond it the exponents of the factors themselves cannot be
 * formed reliably (e^{r t} with r t = 1e300 has no digit of its exponent right), and
 * the SQL layer raises 22003.  cn_carry_ok is 1 when |x| t is within it.
 */
#define CN_MAX_CARRY	1e5

static inline int
cn_carry_ok(double x, double t)
{
	return fabs(x) * t <= CN_MAX_CARRY;
}

extern double cn_bsm_price(int omega, double S, double K, double t, double vol,
						   double r, double q);
extern void cn_bsm_greeks(int omega, double S, double K, double t, double vol,
						  double r, double q, cn_greeks *g);

extern double cn_black76_price(int omega, double F, double K, double t, double vol,
							   double r);
extern void cn_black76_greeks(int omega, double F, double K, double t, double vol,
							  double r, cn_greeks *g);

extern double cn_bachelier_price(int omega, double F, double K, double t, double vol,
								 double r);
extern void cn_bachelier_greeks(int omega, double F, double K, double t, double vol,
								double r, cn_greeks *g);

#endif
