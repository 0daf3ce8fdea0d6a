/*
 * lbr.h -- Black (lognormal) implied volatility after Peter Jaeckel, "Let's Be
 * Rational" (Wilmott, January 2015; revised 2016), and the normalised Black function it
 * rests on.  Pure C99 + libm, no PostgreSQL.
 *
 * Conventions: omega = +1 for a call, -1 for a put; prices are undiscounted (divide a
 * market price by the discount factor e^{-rT} first); BSM goes through the forward
 * F = S e^{(r-q)T}.
 */
#ifndef CONDOR_LBR_H
#define CONDOR_LBR_H

/*
 * Outcome of an implied volatility inversion (Black and Bachelier alike).  On anything
 * but CN_IV_OK the returned volatility is NaN.
 *
 *   CN_IV_OK               a volatility was found.  A price equal to the intrinsic
 *                          value of the forward (max(omega (F - K), 0)), or below it by
 *                          less than CN_IV_LOWER_SLACK relative, gives 0: sigma = 0
 *                          reproduces it exactly, and a price that close to the bound
 *                          carries no information about sigma beyond rounding.
 *   CN_IV_BELOW_INTRINSIC  price < intrinsic (1 - CN_IV_LOWER_SLACK): below the
 *                          no-arbitrage lower bound, no volatility exists.  Negative
 *                          prices land here too.
 *   CN_IV_ABOVE_MAX        Black only: price >= F (call) or >= K (put), the sigma ->
 *                          infinity limit; no finite volatility exists.
 *   CN_IV_NO_TIME_VALUE    t == 0 (and the price is within the bounds): at expiry every
 *                          volatility gives the same price, so sigma is undetermined.
 *   CN_IV_FAILED           numerical breakdown (not observed in testing; kept so that a
 *                          caller never receives an unflagged non-finite number).
 *   CN_IV_RANGE_RATE, CN_IV_RANGE_FORWARD, CN_IV_OVERFLOW
 *                          finite inputs whose discount factor, forward or implied vol
 *                          is beyond the double range: not a property of the quote but
 *                          a numeric overflow, which the SQL layer raises as 22003.
 */
typedef enum cn_iv_status
{
	CN_IV_OK = 0,
	CN_IV_BELOW_INTRINSIC = 1,
	CN_IV_ABOVE_MAX = 2,
	CN_IV_NO_TIME_VALUE = 3,
	CN_IV_FAILED = 4,
	CN_IV_RANGE_RATE = 5,		/* the discount factor e^{-r t} is beyond the normal
								 * double range [22003, naming r] */
	CN_IV_RANGE_FORWARD = 6,	/* the forward S e^{(r - q) t} is [22003] */
	CN_IV_OVERFLOW = 7			/* the vol itself is beyond the double range
								 * (Bachelier) [22003] */
} cn_iv_status;

/*
 * Relative slack of the lower-bound test.  1e-12 is ~4500 ulp: far above the rounding a
 * caller adds when it discounts a price and forms F = S e^{(r-q)T} (a few ulp of F), far
 * below what separates real arbitrage from rounding (the reference error rows violate
 * their bound by >= 1.4e-8 relative, the closest valid row sits 6e-10 above it).
 */
#define CN_IV_LOWER_SLACK 1e-12

/*
 * ln(F/K) to full relative accuracy: near the money F - K is exact (Sterbenz) and
 * log1p((F - K)/K) avoids the rounding of F/K, which would otherwise cost eps/|x|
 * relative.  Where F/K is beyond the normal range (F/K overflows, or a subnormal
 * quotient would have lost digits) it is ln F - ln K, whose size (above 708) makes
 * that difference exact to a few ulp.  F, K > 0: always finite.
 */
extern double cn_log_moneyness(double F, double K);

/*
 * The normalised Black function b(x, s, omega) = price / sqrt(F K), undiscounted, for
 * x = ln(F/K) and total volatility s = sigma sqrt(T) >= 0:
 *   b = omega [e^{x/2} Phi(omega (x/s + s/2)) - e^{-x/2} Phi(omega (x/s - s/2))].
 * Computed without cancellation: the out-of-the-money value directly (Jaeckel's four
 * regions: asymptotic expansion for x/s < -10, small-s Taylor expansion, erfcx
 * difference, plain Phi difference where the first term dominates), the in-the-money
 * value as that plus the intrinsic 2 sinh(|x|/2).  s = 0 gives the intrinsic value.
 * Accuracy against mpmath (420 digits), relative, for any s > 0 and |x| <= 50 while the
 * result is a normal double (tested down to s = 1e-300): within 4 ulp in random
 * samples of every region, within 5.3 ulp where 1 < s < 1.5 near the money (the erfcx
 * difference); the test_iv.c table of 157 points is within 2.1 ulp.  The inputs are
 * taken as exact: a caller's rounding of x moves b by |x db/dx / b| ulp (about h^2).
 */
extern double cn_normalised_black(double x, double s, int omega);

/*
 * The same with the vega exponent in double-double everywhere: cn_normalised_black
 * forms it plainly where h^2 + t^2 <= 1/2 (h = x/s, t = s/2), within an ulp there.
 * For the unit tests, which compare the two across that disc's edge.
 */
extern double cn_normalised_black_exact_exponent(double x, double s, int omega);

/*
 * The same as m 2^(*e2), returning m (1/2 <= m < 1, or 0): bit-identical where b is a
 * normal double, and out of the money below that range (down to exp(-3e6)) with the
 * same relative accuracy, where cn_normalised_black underflows.
 */
extern double cn_normalised_black_scaled(double x, double s, int omega, double *e2);

/*
 * The implied-vol solver's initial-guess nodes at u = sqrt|x|, from the polynomial
 * fits of lbr_nodes.h (written by test/reference/lbr_nodes.py): at the lower tangent
 * intercept s_l (upper = 0) *f = b(x, s_l)/(e^{x/2} |x|), at the upper one s_u
 * *f = 1 - b(x, s_u)/e^{x/2}, and *v = b'(s)/e^{x/2} at the same point; relative error
 * at most 3.6e-14.  Returns 0 (and writes nothing) for u outside [0, 4).  For the
 * solver and the unit tests, which check it against lbr_nodes.csv.
 */
extern int	cn_lbr_node(double u, int upper, double *f, double *v);

/*
 * Black implied volatility sigma (per sqrt(year)) of the undiscounted price of a
 * European option on forward F > 0 with strike K > 0 and expiry t >= 0 (years).
 * Jaeckel's rational initial guess (four branches, each with its own transformed
 * objective function) followed by at most two third-order Householder steps: fixed
 * cost, no loop that depends on the data.  *status receives a cn_iv_status; on
 * anything but CN_IV_OK the result is NaN.
 * Accuracy, with cond = price / (sigma vega) the condition number of the inversion:
 * |sigma - exact| / exact <= 7 eps (1 + cond) over 1.2 million random quotes with
 * |ln(F/K)| <= 50 and sigma sqrt(t) in [1e-12, 40] (beyond |ln(F/K)| ~ 200 up to
 * 18 eps (1 + cond)); against an mpmath inversion of the very doubles passed, every
 * row of the reference implied_vol.csv is within 1.9 eps (1 + cond).  Worst figures
 * per case: see test_iv.c's "#" output.
 */
extern double cn_black_implied_vol(double price, double F, double K, double t,
								   int omega, int *status);

/*
 * As cn_black_implied_vol, with x = ln(F/K) and fmk = F - K given by the caller, who
 * can form them more accurately than from a rounded forward (for BSM: ln(S/K) +
 * (r - q) t and (S - K + S expm1(-q t) - K expm1(-r t)) e^{rt}).
 */
extern double cn_black_implied_vol_fx(double price, double F, double K, double x,
									  double fmk, double t, int omega, int *status);

/*
 * Black-Scholes-Merton implied volatility of a discounted market price on spot S > 0
 * with strike K > 0, t >= 0, rate r and yield q: through the forward, with ln(F/K) and
 * F - K formed from S, K, r, q without rounding F (cn_black_implied_vol_fx), so 0DTE and
 * low-vol quotes keep their digits.  Status and accuracy as cn_black_implied_vol, and
 * CN_IV_RANGE_RATE when e^{r t} is not a normal double, CN_IV_RANGE_FORWARD when
 * S e^{(r - q) t} is not.
 */
extern double cn_bsm_implied_vol(double price, int omega, double S, double K, double t,
								 double r, double q, int *status);

/*
 * Black-76 implied volatility of a discounted market price on forward F with rate r:
 * as cn_black_implied_vol of price e^{r t}, and CN_IV_RANGE_RATE when e^{r t} is not a
 * normal double.
 */
extern double cn_black76_implied_vol(double price, int omega, double F, double K,
									 double t, double r, int *status);

#endif
