/*
 * american.h -- American option prices, Greeks and implied volatility under
 * Black-Scholes-Merton.  Pure C (no PostgreSQL).
 *
 * Method: the fixed-point (spectral collocation) method of Andersen, Lake and
 * Offengenden, "High-Performance American Option Pricing" (2016), on the put; calls
 * through put-call symmetry.  Cases the single-boundary method does not cover are
 * handled by exact European prices where early exercise is never optimal, by the
 * deterministic limit at zero volatility, and by a finite-difference fallback for the
 * double exercise boundary of negative rates (see american.c for the full case table).
 *
 * Measured accuracy against ../shared/reference/american.csv (QuantLib QdFp high
 * precision, itself good to about 1e-8), rows priced above 0.01, from
 * test/unit/test_american.c:
 *   scheme 0 (default)  RMSE of relative error 2.8e-9, max |error| 1.2e-9 * K
 *   scheme 1 (fast)     RMSE of relative error 2.0e-7, max |error| 1.4e-7 * K
 * Against the much finer qdfp_ultra column of american_convergence.csv the default
 * scheme is within 2e-9 relative.  The double-boundary fallback is good to about
 * 1e-6 relative.
 *
 * Conventions are those of models.h: omega +1 call, -1 put; t in years; r, q
 * continuously compounded; the caller validates the inputs (finite, S > 0, K > 0,
 * t >= 0, vol >= 0).
 */
#ifndef CONDOR_AMERICAN_H
#define CONDOR_AMERICAN_H

#include "models.h"

/* scheme argument */
#define CN_AM_ACCURATE	0		/* default: about 1e-9 relative */
#define CN_AM_FAST		1		/* about 1e-7 relative, several times faster */

/* status of cn_american_implied_vol */
enum
{
	CN_AIV_OK = 0,
	CN_AIV_BELOW_INTRINSIC = 1,
	CN_AIV_ABOVE_MAX = 2,
	CN_AIV_NO_TIME_VALUE = 3,
	CN_AIV_NOT_CONVERGED = 4
};

/* American price, in the currency of S and K. */
extern double cn_american_price(int omega, double S, double K, double t, double vol,
								double r, double q, int scheme);

/* American price and Greeks in the units of cn_greeks (models.h). */
extern void cn_american_greeks(int omega, double S, double K, double t, double vol,
							   double r, double q, int scheme, cn_greeks *g);

/*
 * Volatility (decimal, annualised) whose American price equals price; NaN with
 * *status set when there is none.
 */
extern double cn_american_implied_vol(double price, int omega, double S, double K,
									  double t, double r, double q, int scheme,
									  int *status);

#endif
