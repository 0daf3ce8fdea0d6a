/*
 * vix.h -- the Cboe volatility index methodology for any target horizon.  Pure C (no
 * PostgreSQL).
 *
 * Reference: Cboe, "Cboe Volatility Index - Methodology" (current), and "The CBOE
 * Volatility Index - VIX" white paper (2014).  Both describe the same computation; the
 * two worked examples differ only in the minutes to expiration and the rates, which are
 * inputs here, so one function serves both (test/unit/test_vix.c reproduces both).
 *
 * Input: the option quotes of ONE quote time, one row per (expiry, call/put, strike),
 * in any order, with the continuously compounded rate of that row's expiry.  Times are
 * int64 microseconds since 2000-01-01 00:00 UTC (PostgreSQL TimestampTz).
 *
 * 1. Term selection.  Minutes to expiration N = (expiry - as_of) / 60e6, a double;
 *    T = N / 525600.  Expiries with N < CN_VIX_MIN_MINUTES (one day) are not eligible
 *    (our choice for short targets; for target 30 Cboe's window below starts at 23
 *    days anyway): the 1/T of the variance formula magnifies the quote noise of an
 *    expiring session.  With N_target = target_days x 1440:
 *      near term  the eligible expiry with the largest N <= N_target,
 *      next term  the eligible expiry with the smallest N > N_target.
 *    If the near term has N == N_target exactly it is used alone with weight 1 (the
 *    result has one term).  Otherwise both must exist (CN_VIX_ENONEAR / CN_VIX_ENONEXT)
 *    and the result interpolates between them -- never extrapolates.
 *    For target 30 this is Cboe's standard selection ("near- and next-term options with
 *    more than 23 and less than 37 days to expiration", the two expiries bracketing 30
 *    days) whenever the chain lists an expiry in (23, 30] and one in (30, 37) days, as
 *    SPX has since daily expiries.  On a chain with gaps (monthly-only history) there
 *    may be no such pair (the pre-2014 rule then rolled to the second and third months
 *    and extrapolated); here the bracketing pair is used whatever its width, and the
 *    audit lines show its minutes so a caller can reject a pair it finds too wide.
 *
 * 2. Per term, on that expiry's rows (a side whose bid or ask is not finite, whose bid
 *    is negative or whose ask is below its bid is treated as not quoted; such sides are
 *    counted in rows_skipped; mid = (bid + ask)/2):
 *    - K* = the strike with both a call and a put quote minimising |call mid - put mid|
 *      (ties, which the methodology does not address: the lowest such strike);
 *      F = K* + e^{RT} (C(K*) - P(K*)).
 *    - K0 = the largest quoted strike <= F (CN_VIX_ENOK0 if none).
 *    - Strip: K0 with Q = the average of its call and put mids (the one mid if only one
 *      side is quoted); walking down from K0 the puts, walking up the calls.  A quote
 *      with a zero bid is skipped; two consecutive zero bids end the walk (a strike with
 *      no quote on that side is neither, it does not reset the count).
 *    - dK(K_i) = (K_{i+1} - K_{i-1})/2 over the strikes that REMAIN in the strip; at
 *      the two ends the distance to the single neighbour.  (Half the listed spacing
 *      would give sigma^2 = 0.0191948 instead of the published 0.0192339.)
 *    - sigma^2 = (2/T) sum dK/K^2 e^{RT} Q(K) - (1/T) (F/K0 - 1)^2.
 *    A term needs at least 2 strikes in its strip and a positive sigma^2.
 *
 * 3. Index = 100 sqrt( (T1 s1^2 w1 + T2 s2^2 w2) N365 / N_target ),
 *    w1 = (N2 - N_target)/(N2 - N1), w2 = (N_target - N1)/(N2 - N1), N365 = 525600.
 *
 * Accuracy: on the Cboe worked example (test/unit/test_vix.c) sigma^2 agrees with the
 * published 0.019233906 and 0.019423884 to 4.8e-10 and 2.8e-10, within their printed
 * rounding, and the index with the published 0.13927842 to 3.5e-10; the 2014 variant
 * gives 13.6858 (published 13.69).
 */
#ifndef CONDOR_VIX_H
#define CONDOR_VIX_H

#include <stdint.h>

#define CN_VIX_MINUTES_PER_YEAR	525600.0
#define CN_VIX_MIN_MINUTES		1440.0	/* expiries closer than one day are skipped */
#define CN_USECS_PER_MINUTE		60000000.0

/* One quote.  cp is 'C' or 'P' (lower case accepted). */
typedef struct cn_vix_row
{
	int64_t		expiry;			/* microseconds since 2000-01-01 UTC */
	char		cp;
	double		strike;
	double		bid;
	double		ask;
	double		rate;			/* continuously compounded, decimal (0.0003 = 0.03%) */
} cn_vix_row;

/*
 * A row as the SQL layer stores it in a float8[] state: CN_VIX_ROW_WIDTH doubles
 * (expiry microseconds, cp as +1 call / -1 put, strike, bid, ask, rate).  Expiry
 * microseconds are exact in a double within 2^53 us of 2000-01-01 (years 1715 to
 * 2285), and a float8[] prints and reads back exactly (shortest round-trip output,
 * PostgreSQL 12+), so the state is text round-trippable.
 */
#define CN_VIX_ROW_WIDTH 6

/* The audit line of one term. */
typedef struct cn_vix_term
{
	int64_t		expiry;			/* microseconds since 2000-01-01 UTC */
	double		minutes;		/* N_T, minutes from as_of to expiry */
	double		t;				/* N_T / 525600, years */
	double		rate;			/* R, continuously compounded */
	double		k_star;			/* strike of the smallest |call mid - put mid| */
	double		forward;		/* F */
	double		k0;				/* first strike <= F */
	int			strikes;		/* strikes in the strip (K0 counted once) */
	double		k_low;			/* lowest and highest strike of the strip */
	double		k_high;
	double		variance;		/* sigma^2, annualised */
	double		weight;			/* interpolation weight w_i (sums to 1 over terms) */
} cn_vix_term;

typedef struct cn_vix_result
{
	double		index;			/* 100 x annualised volatility, e.g. 13.93 */
	double		variance;		/* annualised variance at the target, (index/100)^2 */
	int			nterms;			/* 1 (exact match) or 2 */
	int			rows_used;		/* rows on the selected expiries */
	int			rows_skipped;	/* sides treated as not quoted (see above) */
	cn_vix_term term[2];		/* near, next */
} cn_vix_result;

/*
 * Status codes of cn_vix_compute.  Suggested SQLSTATEs for the SQL layer in brackets:
 * argument mistakes are 22023 (invalid_parameter_value); a chain that cannot produce an
 * index is 22000 (data_exception) or a NULL result, at the caller's choice.
 */
enum
{
	CN_VIX_OK = 0,
	CN_VIX_EARG = 1,			/* n < 1, target not positive/finite [22023] */
	CN_VIX_EROW = 2,			/* bad cp, strike <= 0 or not finite, rate not
								 * finite [22023] */
	CN_VIX_EDUP = 3,			/* two quotes for one (expiry, cp, strike) [22023] */
	CN_VIX_ERATE = 4,			/* rows of one expiry carry different rates [22023] */
	CN_VIX_ENONEAR = 5,			/* no eligible expiry at or before the target */
	CN_VIX_ENONEXT = 6,			/* no eligible expiry after the target */
	CN_VIX_ENOPAIR = 7,			/* a term has no strike quoted on both sides */
	CN_VIX_ENOK0 = 8,			/* a term has no strike at or below F */
	CN_VIX_ESTRIP = 9,			/* a term has fewer than 2 strikes in its strip */
	CN_VIX_EVAR = 10,			/* a term's sigma^2 is not positive */
	CN_VIX_EWINDOW = 11			/* cn_vix_cboe_window: a term outside the window */
};

/*
 * Computes the volatility index of horizon target_days (30 for VIX) from n quote rows
 * of one quote time as_of.  rows is REORDERED in place (sorted by expiry, strike, cp)
 * and lower-case cp is rewritten upper-case.  Every row is validated (EROW), not only
 * those of the selected expiries.
 * Returns CN_VIX_OK and fills *res, or a status code with a one-line message in err
 * (naming the expiry and what is missing; err may be NULL).
 */
extern int	cn_vix_compute(cn_vix_row *rows, int n, int64_t as_of, double target_days,
						   cn_vix_result *res, char *err, int errlen);

/*
 * Unpacks one CN_VIX_ROW_WIDTH-double row of a float8[] state; returns 0 when the row
 * is malformed (expiry not an integer or beyond 2^53, cp not +-1), leaving *row all
 * zeros.  Strike, quotes and rate are checked by cn_vix_compute.
 */
extern int	cn_vix_row_from_float8(const double *v, cn_vix_row *row);

/*
 * Cboe's rule for the 30-day index: the near and next terms both lie more than 23 and
 * less than 37 days from the quote time; for another target, the same window of 7 days
 * either side of it.  Returns CN_VIX_OK, or CN_VIX_EWINDOW with a message in err.
 */
extern int	cn_vix_cboe_window(const cn_vix_result *res, double target_days, char *err,
							   int errlen);

/* Packs a row into CN_VIX_ROW_WIDTH doubles, the inverse of cn_vix_row_from_float8. */
extern void cn_vix_row_to_float8(const cn_vix_row *row, double *v);

#endif
