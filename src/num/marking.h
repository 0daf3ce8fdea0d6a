/*
 * marking.h -- a position valued from the market: the price at which each leg is marked
 * from its quote (mid, natural or mark fills), each leg's implied vol from its quote,
 * the distance from spot to the nearest break-even in standard deviations, and the
 * time value (extrinsic) of legs.  Pure C99 + libm (no PostgreSQL); the conventions are
 * those of payoff.h (money in currency, ACT/365 year fractions, TimestampTz expiries).
 *
 * A quote is (bid, ask) per unit, a side that is absent being NaN.  A leg that cannot
 * be valued from its quote is reported with a cn_quote_status, never given a price.
 */
#ifndef CONDOR_MARKING_H
#define CONDOR_MARKING_H

#include "payoff.h"

/*
 * How a leg is filled from its quote.
 *   CN_FILL_MID      (bid + ask) / 2 for every leg; both sides needed.
 *   CN_FILL_NATURAL  what closing the position would cost now: a long leg is sold at
 *                    the bid, a short one bought back at the ask (one side needed).
 *   CN_FILL_MARK     the desk's conservative mark: the mid when the market is two-sided
 *                    (a bid above zero and an ask); otherwise the side the position
 *                    would close into -- a long leg at the bid, which is 0 when nobody
 *                    bids (a bid of 0 or none: what cannot be sold is worth nothing), a
 *                    short leg at the ask (none: not markable, nobody sells it).
 */
typedef enum cn_fill
{
	CN_FILL_MID = 0,
	CN_FILL_NATURAL = 1,
	CN_FILL_MARK = 2
} cn_fill;

/* Why a leg has no price (or no implied vol). */
typedef enum cn_quote_status
{
	CN_QUOTE_OK = 0,
	CN_QUOTE_NONE,				/* no quote for the contract */
	CN_QUOTE_NO_MARKET,			/* a quote with neither bid nor ask */
	CN_QUOTE_NO_BID,			/* the fill needs a bid and there is none */
	CN_QUOTE_NO_ASK,			/* the fill needs an ask and there is none */
	CN_QUOTE_CROSSED,			/* bid above ask */
	CN_QUOTE_BELOW_INTRINSIC,	/* mid below the discounted intrinsic value: no vol */
	CN_QUOTE_ABOVE_MAX,			/* mid at or above the no-arbitrage maximum: no vol */
	CN_QUOTE_IV_FAILED			/* the solver broke down (never observed) */
} cn_quote_status;

/* A short English phrase for a status ("no quote", "crossed quote", ...). */
extern const char *cn_quote_status_text(cn_quote_status s);

/*
 * The price per unit at which a leg of signed quantity qty is marked from a quote
 * (bid, ask >= 0, NaN where absent) with the given fill.  Returns CN_QUOTE_OK and sets
 * *price, or a status (*price NaN).  A crossed quote (bid > ask) is never used.
 */
extern cn_quote_status cn_fill_price(double qty, double bid, double ask, cn_fill fill,
									 double *price);

/*
 * The BSM implied vol of an option leg from its quote's mid at as_of, spot, r, q:
 * CN_QUOTE_OK and *vol, or a status (*vol NaN).  A leg that has expired at as_of needs
 * no quote and gets vol 0 (it is worth its intrinsic value whatever the vol); so does a
 * 'U' leg.  bid and ask as for cn_fill_price.
 */
extern cn_quote_status cn_market_vol(const cn_leg *leg, double spot, int64_t as_of,
									 double bid, double ask, double r, double q,
									 double *vol);

/*
 * The distance from spot to the nearest break-even of the first-expiry line (the P&L
 * at the first option expiry after as_of, later legs by BSM: cn_breakevens_first), in
 * standard deviations of ln S over that time: min |ln(b / spot)| / (vol sqrt t1), t1 the
 * ACT/365 time to the first expiry.  Signed: positive when the P&L at spot on that line
 * is positive (the distance to trouble), negative when spot is already where the
 * position loses (the distance back to a break-even); 0 at a break-even.  No
 * break-even: +INFINITY (profit at every spot) or -INFINITY (loss at every spot), and
 * so with vol sqrt t1 = 0 away from a break-even.  vol is the scalar vol, or with vols
 * the vol of cn_reference_leg (the first expiry's leg nearest the forward), as for
 * cn_pop.  NaN when no option leg expires after as_of (there is no first expiry).
 */
extern double cn_breakeven_distance(const cn_leg *legs, int n, double spot, int64_t as_of,
									const double *vols, double vol, double r, double q);

/*
 * Time value of one leg per unit at as_of: its BSM price (vol, r, q; t = ACT/365 to its
 * expiry) minus its intrinsic value at spot, max(omega (spot - K), 0), undiscounted, as
 * screens show it.  *price and *intrinsic receive the two terms.  An expired option leg
 * is worth its intrinsic value (time value 0); a 'U' leg has price spot and time value
 * 0.  A deep in-the-money European put (r > q) or call (q > r) can be worth less than
 * its intrinsic value: its time value is then negative.
 */
extern double cn_leg_extrinsic(const cn_leg *leg, double spot, int64_t as_of, double vol,
							   double r, double q, double *price, double *intrinsic);

/* Time value of the position in currency: sum qty mult cn_leg_extrinsic (vols as payoff.h). */
extern double cn_extrinsic(const cn_leg *legs, int n, double spot, int64_t as_of,
						   const double *vols, double vol, double r, double q);

#endif
