/*
 * forward.h -- the implied forward and discount factor of one expiry from put-call
 * parity, and the edge of the parity trades.  Pure C (no PostgreSQL).
 *
 * Put-call parity for European options: C - P = D (F - K), a straight line in K with
 * slope -D and intercept D F.  cn_implied_forward fits that line to (K, C - P) points:
 *
 *   1. a robust start: the Theil-Sen line (median of pairwise slopes, then median of
 *      y + D K).  All pairs when there are at most 362 points (65,341 slopes); above
 *      that the n/2 pairs (i, i + n/2) of the strike-sorted points, which keeps the
 *      widest baselines and still tolerates about 29% bad points;
 *   2. trimming: s = 1.4826 MAD of the residuals (the normal-consistent scale),
 *      points with |residual| > 3 s are dropped (with a floor of 1e-12 of the price
 *      scale, so exact data loses nothing to rounding), ordinary least squares on the
 *      rest, repeated until the kept set stops changing (at most 20 rounds).
 *
 * Measured (test/unit/test_surface.c; S = 100, t = 0.5, strikes 60..140): exact Black
 * prices give F to 2e-16 relative and r to 2e-15, for 161 and for 801 strikes; with
 * 5% of the quotes moved by 2% to 50% of the underlying, the same (every bad quote is
 * dropped); with +-0.005 uniform noise on every price as well (161 strikes, 50 seeds),
 * F to 3.3e-6 relative rms (worst 8.7e-6) and r to 2.7e-5 rms (worst 6.3e-5): the
 * least-squares noise floor, sd(D) = sd(C - P)/sqrt(sum (K - Kbar)^2).
 */
#ifndef CONDOR_FORWARD_H
#define CONDOR_FORWARD_H

typedef struct cn_forward_result
{
	double		forward;		/* F, in price units */
	double		discount;		/* D = e^{-r t} */
	double		rate;			/* r = -ln(D)/t, continuously compounded */
	double		dividend_yield; /* q = r - ln(F/S)/t; NaN without a spot */
	double		residual;		/* RMS of C - P - D (F - K) over the kept points */
	int			strikes_used;	/* points kept by the final fit */
	int			strikes;		/* points given */
} cn_forward_result;

enum
{
	CN_FWD_OK = 0,
	CN_FWD_EARG = 1,			/* t not positive/finite, fewer than 2 points [22023] */
	CN_FWD_EROW = 2,			/* strike <= 0 or a value not finite, or a negative
								 * price [22023] */
	CN_FWD_EFEW = 3,			/* fewer than 2 distinct strikes [22023] */
	CN_FWD_EDISC = 4,			/* the fitted discount is not positive: C - P does
								 * not fall with K [22000] */
	CN_FWD_ENOMEM = 5			/* out of memory (malloc) */
};

/*
 * Fits parity over n (strike, call, put) prices of one expiry t (years).  spot, when
 * positive and finite, gives the implied dividend yield; pass NaN otherwise.  Returns
 * CN_FWD_OK and fills *res, or a status code with a message in err (may be NULL).
 * Uses O(n) temporary memory from malloc, freed before returning.
 */
extern int	cn_implied_forward(const double *strike, const double *call,
							   const double *put, int n, double t, double spot,
							   cn_forward_result *res, char *err, int errlen);

/*
 * The edge, in price units per unit of underlying, of the two parity trades at strike
 * K after crossing the spread, against the forward F with discount factor D; positive
 * means the trade locks in a profit:
 *   conversion  sell the call at its bid, buy the put at its ask, buy the underlying
 *               forward at F.  Pays K - F at expiry whatever happens, so
 *               edge = (call_bid - put_ask) - D (F - K).
 *   reversal    buy the call at its ask, sell the put at its bid, sell forward at F.
 *               Pays F - K at expiry, so edge = D (F - K) - (call_ask - put_bid).
 * conversion + reversal = -(call spread + put spread) <= 0: both are never positive on
 * uncrossed quotes.  Returns 0, or -1 (outputs NaN) when a value is not finite or
 * D <= 0.
 */
extern int	cn_parity_gap(double call_bid, double call_ask, double put_bid,
						  double put_ask, double strike, double forward, double discount,
						  double *conversion, double *reversal);

#endif
