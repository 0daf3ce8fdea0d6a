/*
 * iv_normal.h -- Bachelier (normal) implied volatility after Peter Jaeckel, "Implied
 * Normal Volatility" (Wilmott, July 2017).  Pure C99 + libm, no PostgreSQL.
 */
#ifndef CONDOR_IV_NORMAL_H
#define CONDOR_IV_NORMAL_H

#include "lbr.h"				/* cn_iv_status, CN_IV_LOWER_SLACK */

/*
 * Normal volatility sigma_n (price units per sqrt(year)) of the undiscounted price of a
 * European option under V = (F - K) omega Phi(omega d) + sigma_n sqrt(t) phi(d),
 * d = (F - K)/(sigma_n sqrt(t)); F and K of any sign, t >= 0 in years, omega = +1 call,
 * -1 put.  Fixed cost: a rational initial guess for the inverse of
 * Phi~(x) = Phi(x) + phi(x)/x and one Householder step of convergence order four.
 * *status: CN_IV_OK; CN_IV_BELOW_INTRINSIC if price < max(omega (F - K), 0)
 * (1 - CN_IV_LOWER_SLACK); CN_IV_NO_TIME_VALUE if t == 0.  A price at the intrinsic
 * value gives 0 with CN_IV_OK.  There is no upper bound (sigma_n -> infinity as the
 * price grows), so CN_IV_ABOVE_MAX never occurs; CN_IV_OVERFLOW when the vol is beyond
 * the double range (|F - K| near the largest double and t tiny; where F - K itself
 * overflows the problem is solved for the halves, exactly, and the vol doubled).  On
 * any status but CN_IV_OK the result is NaN.
 * Accuracy: |sigma_n - exact| / exact <= 2 eps (1 + cond), cond = price/(sigma_n vega),
 * measured over the test_iv.c grid (|d| <= 10, sigma_n sqrt(t) from 1e-8 to 10 times
 * the forward's scale, F and K of both signs).
 */
extern double cn_bachelier_implied_vol(double price, double F, double K, double t,
									   int omega, int *status);

/*
 * The same for a DISCOUNTED price with rate r (the SQL function's arguments):
 * CN_IV_RANGE_RATE when e^{r t} is not a normal double.
 */
extern double cn_bachelier_implied_vol_disc(double price, int omega, double F, double K,
											double t, double r, int *status);

#endif
