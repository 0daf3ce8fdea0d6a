/*
 * american.h -- American option prices, Greeks and implied volatility under
 * Black-Scholes-Merton.  Pure C (no PostgreSQL).
 *
 * Method: the spectral collocation method of Andersen, Lake and Offengenden,
 * "High-Performance American Option Pricing" (2016), on the put; calls through put-call
 * symmetry.  Where early exercise is never optimal the price is the European one
 * exactly; at vol = 0 it is the deterministic limit; the double exercise boundary of
 * negative rates (put with q < r < 0, call with r < q < 0) goes to a finite-difference
 * solver.  american.c has the full case table and the numerics.
 *
 * Accuracy, measured by test/unit/test_american.c against
 * ../shared/reference/american.csv (QuantLib QdFp high precision, itself good to about
 * 1e-8), over the rows priced above 0.01:
 *
 *   scheme               RMSE rel. error  max rel. error  max |error|/K  us/price
 *   CN_AM_ACCURATE (0)   6.0e-9           6.3e-8          1.2e-8         ~40
 *   CN_AM_FAST (1)       1.2e-6           1.0e-5          2.4e-6         ~9
 *   (QuantLib qdfp_fast  1.1e-5           1.0e-4          1.6e-5)
 *   (Bjerksund-Stensland 4.8e-3           3.2e-2          7.7e-3)
 *
 * Against the finest QdFp scheme (american_convergence.csv, qdfp_ultra) the default is
 * within 2.7e-9.  On 800 random cases well outside that set (1 minute to 30 years, vol
 * 1% to 300%, r to 30%, q -10% to 30%) its error against a converged solution stays
 * below 1e-6 of max(price, 1e-3 max(S, K)).  The double-boundary fallback is good to
 * about 3e-6 relative RMS (1e-5 worst; about 1e-6 K at low vol against a strong carry)
 * and costs about 20 ms.  Greeks agree with finite differences of the price taken
 * independently to 5e-6 of their natural scale (delta, gamma; the test's own step
 * dominates) and 4e-7 (the others); the implied vol inverts the price to 1e-11.
 * Timings from test/bench/bench_american.c (SPY-like chain, one core).
 *
 * Conventions are those of models.h: omega +1 call, -1 put; t in years; r, q
 * continuously compounded; the caller validates the inputs (finite, S > 0, K > 0,
 * t >= 0, vol >= 0).
 */
#ifndef CONDOR_AMERICAN_H
#define CONDOR_AMERICAN_H

#include "models.h"

/* the scheme argument */
#define CN_AM_ACCURATE	0
#define CN_AM_FAST		1

/* status of cn_american_implied_vol */
enum
{
	CN_AIV_OK = 0,
	CN_AIV_BELOW_INTRINSIC = 1,
	CN_AIV_ABOVE_MAX = 2,
	CN_AIV_NO_TIME_VALUE = 3,
	CN_AIV_NOT_CONVERGED = 4
};

/*
 * The inputs the engine is built and tested for; the SQL functions raise 22003 naming
 * the argument outside them.  Within them (and S, K > 0, t >= 0, vol >= 0) every price,
 * Greek and implied vol is finite, or beyond the double range only where its true value
 * is (a gamma at a subnormal strike), and takes at most a few tens of milliseconds
 * (test/unit/test_extremes.c sweeps the corners).
 */
#define CN_AM_MAX_T			100.0	/* years */
#define CN_AM_MAX_VOL		10.0	/* 1000% */
#define CN_AM_MAX_TOTAL_VOL	30.0	/* vol sqrt(t): beyond about 40 the boundary's
									 * derivatives give NaN deltas */
#define CN_AM_MAX_RATE		1.0		/* |r| and |q|: 100% */
#define CN_AM_MAX_MONEYNESS	1e12	/* S/K and K/S */

enum
{
	CN_AM_RANGE_OK = 0,
	CN_AM_RANGE_T,
	CN_AM_RANGE_VOL,
	CN_AM_RANGE_R,
	CN_AM_RANGE_Q,
	CN_AM_RANGE_MONEYNESS
};

/* Which of the limits above the arguments break (the first, in this order), or 0. */
extern int	cn_american_range(double S, double K, double t, double vol, double r,
							  double q);

/* American price, in the currency of S and K; scheme CN_AM_ACCURATE or CN_AM_FAST. */
extern double cn_american_price(int omega, double S, double K, double t, double vol,
								double r, double q, int scheme);

/*
 * American price and Greeks in the units of cn_greeks (models.h).  Delta and gamma are
 * analytic on the computed boundary; the others are finite differences of the price
 * (nine prices).  At t = 0 the same as cn_bsm_greeks: intrinsic value and exercise
 * indicator.
 */
extern void cn_american_greeks(int omega, double S, double K, double t, double vol,
							   double r, double q, int scheme, cn_greeks *g);

/*
 * The vol (decimal, annualised) at which cn_american_price(..., scheme) equals price;
 * NaN with *status set when there is none:
 *   CN_AIV_BELOW_INTRINSIC  price below the vol -> 0 value (intrinsic, or the best
 *                           discounted intrinsic value over exercise times if higher)
 *   CN_AIV_ABOVE_MAX        price at or above the supremum S max(1, e^{-qT}) (call),
 *                           K max(1, e^{-rT}) (put)
 *   CN_AIV_NO_TIME_VALUE    price equal to that vol -> 0 value (to 1e-12), or t = 0:
 *                           a whole range of vols fits (deep puts exercised at once)
 *   CN_AIV_NOT_CONVERGED    the vol would exceed 100, or the search failed
 */
extern double cn_american_implied_vol(double price, int omega, double S, double K,
									  double t, double r, double q, int scheme,
									  int *status);

#endif
