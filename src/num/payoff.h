/*
 * payoff.h -- multi-leg positions ("strategies"): normal form, exact at-expiry algebra,
 * mark-to-model value, Greeks, probability of profit, break-evens on the T+n curve,
 * wing test and iron condor selection.  Pure C99 + libm (no PostgreSQL).
 *
 * Conventions shared by every function below and by the SQL layer:
 *
 *   Money      Every value, P&L, premium total and Greek is in currency: a leg counts
 *              qty x multiplier units of its instrument.  A leg's per-unit premium is in
 *              price units (what the quote screen shows).
 *   P&L        value - cost, where cost = sum qty x mult x premium over ALL legs
 *              (the underlying's entry price included): the profit had the position
 *              been closed at that value.
 *   Spot       S >= 0, the price of the underlying.  The at-expiry functions work on the
 *              whole domain [0, inf); S = 0 is its end, not a point beyond which the
 *              position goes on losing or gaining.
 *   Time       timestamps are int64 microseconds since 2000-01-01 00:00 UTC (PostgreSQL
 *              TimestampTz); year fractions are ACT/365: (expiry - as_of) / CN_US_PER_YEAR.
 *   Rates      r, q continuously compounded rate and dividend yield (per year).
 *   Vols       lognormal (BSM) vols per year.  Functions that value legs by model take
 *              "vols", an array parallel to legs (entry i is the vol of legs[i]; entries
 *              of 'U' legs are ignored), or NULL to use the scalar "vol" for every leg.
 *   Expired    an option leg with expiry <= as_of is worth its intrinsic value at the
 *              spot given (the settlement spot is not known here).
 *   Max P&L    the true extremes, never clamped: max_profit = the greatest P&L
 *              (negative when every outcome loses), max_loss = minus the least P&L (the
 *              greatest loss as a positive number; negative when every outcome wins);
 *              INFINITY when unbounded, which can only happen as S -> inf (decided by
 *              the slope of the curve there), never at S = 0.
 *   Rounding   the at-expiry P&L is a sum whose terms carry rounding; a value within
 *              8 (n + 2) DBL_EPSILON of the sum of the terms' magnitudes (|qty x mult|
 *              times max(S, strike) + |premium| per leg) is taken as exactly zero, and
 *              so is a tail slope within that fraction of sum |qty x mult|.  This is what
 *              lets a box spread bought at fair value have P&L "exactly" zero, with
 *              decimal premiums such as 12.35 that binary floating point cannot hold.
 *
 * Callers validate: qty, strike, premium, multiplier finite; strike > 0 for options;
 * kind one of 'C', 'P', 'U'; spot > 0 for the model functions; vols >= 0 and finite.
 * Nothing here allocates memory; every function is O(n k) or better for n legs with
 * k distinct strikes, which is meant for positions, not for books of thousands of legs.
 */
#ifndef CONDOR_PAYOFF_H
#define CONDOR_PAYOFF_H

#include <stdint.h>

#include "models.h"

/* Microseconds in an ACT/365 year. */
#define CN_US_PER_YEAR	(365.0 * 86400.0 * 1e6)

typedef struct cn_leg
{
	double		qty;			/* signed quantity, negative = short */
	char		kind;			/* 'C' call, 'P' put, 'U' underlying (or its future) */
	double		strike;			/* options only; NaN for 'U' */
	int64_t		expiry;			/* options: microseconds since 2000-01-01 00:00 UTC
								 * (PostgreSQL TimestampTz); 0 for 'U' */
	double		premium;		/* entry price per unit: option premium, or the
								 * underlying's entry price for 'U' */
	double		multiplier;		/* contract multiplier, e.g. 100 */
} cn_leg;

/* One line of an option chain, for cn_iron_condor_pick. */
typedef struct cn_quote
{
	int64_t		expiry;			/* TimestampTz microseconds, as cn_leg.expiry */
	char		cp;				/* 'C' or 'P' */
	double		strike;
	double		bid;
	double		ask;
	double		delta;			/* per unit; puts negative (only |delta| is used) */
} cn_quote;

/* ACT/365 year fraction from "from" to "to" (negative when to < from). */
extern double cn_act365(int64_t from, int64_t to);

/*
 * Normal form, so that equal positions compare equal (memcmp of the legs after the
 * padding is zeroed by the caller, or field by field).
 *
 * 'U' legs first get strike = NaN and expiry = 0 (their strike and expiry mean nothing).
 * Legs are then merged when they agree EXACTLY (==, so -0.0 equals 0.0; NaN strikes of
 * 'U' legs equal each other) in kind, expiry, strike, premium and multiplier: quantities
 * are added and legs whose total is zero are dropped.  Premium takes part because lots
 * bought at different prices are different P&L; multiplier because 1 x 100 and 100 x 1
 * are only the same position by coincidence of the product (they are kept apart, and
 * still value identically).
 *
 * Canonical order: kind ('C' < 'P' < 'U'), then expiry, strike, premium, multiplier
 * ascending.  Legs with one key are summed in ascending qty order, so the result does
 * not depend on the input order even for non-integer quantities.  *n is updated.
 */
extern void cn_legs_normalise(cn_leg *legs, int *n);

/*
 * ---- At expiry: exact piecewise-linear algebra ----
 *
 * Every leg is taken at its intrinsic value at its own expiry, as a function of one
 * terminal spot S >= 0, whatever the expiries: a calendar would therefore be seen as if
 * all its legs expired together, so the SQL layer refuses positions with several
 * expiries here (cn_expiry_count) and points to the first-expiry functions below.
 *
 *   P&L(S) = sum qty mult (max(omega (S - K), 0) - premium)   options
 *          + sum qty mult (S - premium)                       'U' legs
 *
 * It is linear between the kinks (the distinct strikes) and on [last kink, inf).
 */

/* P&L at expiry for terminal spot S >= 0, in currency (no rounding snap applied). */
extern double cn_payoff(const cn_leg *legs, int n, double spot);

/*
 * Break-evens at expiry: the points S >= 0 where the P&L crosses or touches zero, in
 * ascending order without duplicates.  Each is the exact root of its linear segment
 * (interpolated between the P&L at the two kinks, which does not cancel), or a kink
 * where the P&L is zero.  Where the P&L is zero on a whole interval (a segment or run
 * of segments), the two ends of that maximal interval are reported and nothing inside
 * it; an interval that is zero up to infinity reports only its left end; S = 0 is
 * reported when the P&L is zero there (it is in the domain).  The empty position, zero
 * everywhere, reports {0}.
 *
 * Writes at most max_out values to out and returns how many break-evens there are,
 * which is at most 2 k + 2 <= 2 n + 2 for k distinct strikes; when the return exceeds
 * max_out, call again with a larger array.
 */
extern int	cn_breakevens(const cn_leg *legs, int n, double *out, int max_out);

/* Greatest P&L at expiry over S >= 0 (negative when every outcome loses; INFINITY). */
extern double cn_max_profit(const cn_leg *legs, int n);

/* Greatest loss at expiry over S >= 0, positive (negative when every outcome wins). */
extern double cn_max_loss(const cn_leg *legs, int n);

/* Number of distinct expiries among the option legs (0 for none). */
extern int	cn_expiry_count(const cn_leg *legs, int n);

/*
 * Net option premium in currency, positive = credit received:
 * -sum qty mult premium over the option legs only.  'U' legs are left out on purpose:
 * buying stock swaps cash for an asset of the same value, it is not premium paid away,
 * and counting it would show a covered call as a large debit.  (The P&L functions do
 * count the underlying's entry price.)
 */
extern double cn_net_premium(const cn_leg *legs, int n);

/*
 * ---- Under Black-Scholes-Merton at as_of ----
 *
 * Option legs with expiry > as_of are valued by cn_bsm_price with t = ACT/365 from
 * as_of, their vol, r and q; expired legs at intrinsic at spot; 'U' legs at spot (an
 * underlying or a future marked at the spot given).
 */

/* Mark-to-model value in currency: sum qty mult price (the price of 'U' is spot). */
extern double cn_strategy_value(const cn_leg *legs, int n, double spot, int64_t as_of,
								const double *vols, double vol, double r, double q);

/*
 * Mark-to-model P&L in currency: value - cost, summed leg by leg as
 * qty mult (price - premium) so that large values and costs do not cancel.  When every
 * option leg has expired at as_of it equals cn_payoff(spot).
 */
extern double cn_strategy_pnl(const cn_leg *legs, int n, double spot, int64_t as_of,
							  const double *vols, double vol, double r, double q);

/*
 * Greeks in currency: each field is sum qty mult x (the cn_greeks field of the leg),
 * in the units of models.h (vega per vol point, theta per calendar day, ...); price is
 * cn_strategy_value.  A 'U' leg has price = spot, delta = 1 and every other Greek 0.
 * Expired legs contribute their intrinsic value and exercise indicator (delta omega in
 * the money, omega/2 at the strike, 0 out of it).
 */
extern void cn_strategy_greeks(const cn_leg *legs, int n, double spot, int64_t as_of,
							   const double *vols, double vol, double r, double q,
							   cn_greeks *g);

/*
 * Probability of profit: P(P&L at the horizon > 0), strictly positive, under the
 * risk-neutral lognormal S_T = spot exp((r - q - vol^2/2) T + vol sqrt(T) Z), with T the
 * ACT/365 time from as_of to the horizon.  The distribution always uses the scalar
 * "vol" (the underlying's vol over that period), even when "vols" is given: per-leg
 * vols only value the legs that outlive the horizon.
 *
 * The horizon is the earliest option expiry after as_of.
 *   - Single expiry (no option leg outlives the horizon): the P&L is the at-expiry
 *     piecewise-linear one and the result is exact: the sum over the profitable
 *     intervals (a, b) between break-evens of N(d2(a)) - N(d2(b)),
 *     d2(K) = (ln(spot/K) + (r - q - vol^2/2) T) / (vol sqrt T), each difference
 *     formed in the tail where it does not cancel.
 *   - Several expiries (calendars, diagonals): legs expiring at or before the horizon
 *     are at intrinsic, later legs are valued by BSM with their remaining time and vols
 *     (vols / vol as for cn_strategy_value): the curve of cn_payoff_first, whose
 *     break-evens (cn_breakevens_first, the search of cn_breakevens_at) are summed as
 *     above.
 *   - No option leg after as_of: the outcome is known, 1 if the P&L at spot is
 *     positive, else 0 (likewise when vol sqrt(T) = 0, at the forward).
 *   - No option leg at all (only 'U' legs): NaN, there is no horizon.
 * Legs that expired before as_of count at intrinsic at S_T, as everywhere else.
 */
extern double cn_pop(const cn_leg *legs, int n, double spot, int64_t as_of,
					 const double *vols, double vol, double r, double q);

/*
 * Expected move over t years (ACT/365): the one-standard-deviation move
 * spot x vol x sqrt(t), in price units -- the figure brokers quote (the normal
 * approximation: for vol sqrt(t) = 0.2 it is 1.0% below the standard deviation of the
 * lognormal S_T, spot x sqrt(exp(vol^2 t) - 1), ignoring drift).
 */
extern double cn_expected_move(double spot, double vol, double t);

/*
 * ---- The expiration line of several expiries ----
 *
 * What thinkorswim and OptionNet Explorer draw as the "expiration" line of a calendar,
 * diagonal or rolled book: the P&L at the FIRST expiry, with the legs that expire later
 * at their model value then.  The horizon t1 is the earliest option expiry after
 * as_of; legs expiring by t1 (and legs that expired before as_of) are at intrinsic at
 * the terminal spot S, later legs are valued by cn_bsm_price with t = t1 -> expiry, their
 * vol (vols[i], or vol), r and q; 'U' legs at S.  When no option leg outlives t1 every
 * leg is at intrinsic and these functions are exactly cn_payoff, cn_breakevens,
 * cn_max_profit and cn_max_loss (the exact algebra, no grid); with later legs the curve
 * is walked as described under cn_breakevens_at, from S = 0 up without a spot to centre
 * on (the range comes from the strikes and the live legs' vol sqrt(t)).  cn_pop uses
 * the same curve and the same roots.
 */

/* P&L at the first expiry after as_of if the underlying is at spot then, in currency. */
extern double cn_payoff_first(const cn_leg *legs, int n, double spot, int64_t as_of,
							  const double *vols, double vol, double r, double q);

/* Break-evens of the first-expiry line, ascending; returns the count (as cn_breakevens). */
extern int	cn_breakevens_first(const cn_leg *legs, int n, int64_t as_of,
								const double *vols, double vol, double r, double q,
								double *out, int max_out);

/*
 * The greatest P&L and the greatest loss of the first-expiry line, in the conventions
 * above: the greatest of the grid values, of every refined turn of the curve and of its
 * value at S = 0; as S -> inf the slope decides (INFINITY for max_profit when positive,
 * for max_loss when negative; a call calendar with q > 0 loses without bound, because
 * the later call's value grows like S exp(-q t)), and with a zero slope the limit of
 * the P&L counts.  Extremes between grid points are refined by Brent's minimiser to the
 * rounding of the sum.
 */
extern void cn_extremes_first(const cn_leg *legs, int n, int64_t as_of,
							  const double *vols, double vol, double r, double q,
							  double *max_profit, double *max_loss);

/*
 * The option leg expiring first after as_of whose strike is nearest the forward
 * spot exp((r - q) t1) (the first such leg on a tie), or -1 when no option leg expires
 * after as_of.  With per-leg vols its vol is the at-the-money vol of the first expiry,
 * the one the SQL layer gives cn_pop for the distribution of the spot.
 */
extern int	cn_reference_leg(const cn_leg *legs, int n, double spot, int64_t as_of,
							 double r, double q);

/*
 * Break-evens of the mark-to-model P&L curve at as_of (the "T+n" line of a risk graph):
 * the S >= 0 where cn_strategy_pnl(S) crosses zero, ascending, each refined by Brent's
 * method until its bracket is a few ulp wide (far better than 1e-9 relative).
 *
 * Search: the curve is scanned from S = 0, then over a grid in log S from lo to hi,
 * where [lo, hi] covers each live leg's centre (its strike forward-adjusted,
 * K exp(-(r - q) t_i)) times exp(+-12 s_i), s_i = vol_i sqrt(t_i), and [x/2, 2x] for
 * x = spot, every strike, every centre and every positive 'U' entry price.  The base
 * step is 1/1000 of log(hi/lo); near each centre it shrinks to (s_i + |ln S - ln K_i|)/16
 * so that the curvature of short-dated legs is resolved (never below 1e-9), and the grid
 * lands exactly on every strike and centre, so the curve is smooth between grid points.
 * Beyond hi the curve is nearly straight; if its sign disagrees with its asymptotic
 * slope, S is doubled until the root is bracketed.  Each sign change between grid
 * points is one root.  Each turn of the sampled values (up then down, or down then up)
 * is refined by Brent's minimiser on both sides of the turning grid point: a refined
 * minimum at or below zero between positive samples (or a maximum at or above zero
 * between negative ones) is a touch, or a pair of roots closer together than the grid
 * step, and is reported as such.  Grid points where the curve is zero within rounding
 * are reported as roots (the first and last of a run of them; a run reaching the end of
 * the scan only its first).  What can still be missed is a pair of turns within one
 * grid step, which the step (1/16 of a live leg's scale) does not allow for the sums of
 * BSM prices a position is.  Cost: about 1000 curve evaluations, plus up to ~200 per
 * strike of a leg within days of expiry, plus ~40 per turn; 0.4 ms for a four-leg
 * condor.
 *
 * When every option leg has expired at as_of this is cn_breakevens exactly.
 * Returns the number of roots found, writing at most max_out.
 */
extern int	cn_breakevens_at(const cn_leg *legs, int n, double spot, int64_t as_of,
							 const double *vols, double vol, double r, double q,
							 double *out, int max_out);

/*
 * Wing test: how far spot has travelled from a short strike toward the long strike
 * protecting it, 0 at or inside the short strike, 1 at the long strike, and above 1
 * beyond it (not clamped: 1.5 says spot is half a wing width past the long strike).
 *
 * Call side: the lowest short call strike Ksc, protected by the nearest long call strike
 * above it Klc; it is under pressure when spot > Ksc, and the test is
 * (spot - Ksc) / (Klc - Ksc).  Put side, mirrored: the highest short put strike Ksp, the
 * nearest long put strike below it Klp, (Ksp - spot) / (Ksp - Klp) when spot < Ksp.
 * Strike geometry, whatever the expiries.
 *
 * A pressed side without a long wing beyond its short strike is
 *   - naked when the position at expiry keeps losing as spot moves further that way
 *     (above: the slope beyond the highest strike, calls and 'U' legs, is negative, as
 *     for a naked call or a 1x2 ratio spread; below: the slope above S = 0, puts and 'U'
 *     legs, is positive): INFINITY, the most urgent reading there is;
 *   - covered otherwise (the short leg of a debit spread, a covered call): 0, the
 *     position is not under pressure from that side.
 * A side that is not pressed reads 0.  If spot presses both sides (crossed short
 * strikes) the larger value is returned.  NaN only when there is no short option.
 */
extern double cn_wing_test(const cn_leg *legs, int n, double spot);

/*
 * Iron condor from a chain of one expiry.  Quotes with a non-finite or non-positive
 * strike, non-finite delta, bid or ask, bid < 0, ask < bid, or cp not 'C'/'P' are
 * ignored.  The short put (call) is the put (call) whose |delta| is nearest
 * target_delta; ties go to the strike farther out of the money (lower put, higher call),
 * then to the better market to sell into (higher bid, then lower ask).  Each long wing
 * is the listed strike strictly beyond the short (below the put, above the call) nearest
 * to short -/+ width; ties go to the wider wing, then to the better market to buy
 * (lower ask, then higher bid).  A wing is never narrower than width / 2: when the
 * nearest strike would make one, the nearest listed strike at or beyond short -/+ width
 * is taken instead, and without one there is no condor.  Premium is the mid (bid + ask)/2, or with natural != 0
 * the bid for the shorts and the ask for the longs.  Legs have qty -1 (short) or +1,
 * multiplier 100 and the chain's expiry, and are returned normalised (C by strike, then
 * P by strike).
 *
 * Returns 1 on success; 0 when no condor can be formed (no usable put or call, no wing
 * strike beyond a short at least width / 2 away, short put strike above the short call
 * strike, target_delta outside (0, 1) or width not > 0); -1 when the quotes mix
 * expiries (a caller error).
 * A short put strike equal to the short call strike (an iron butterfly) is allowed.
 */
extern int	cn_iron_condor_pick(const cn_quote *q, int n, double target_delta,
								double width, int natural, cn_leg *out4);

#endif
