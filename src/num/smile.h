/*
 * smile.h -- the volatility dashboard's figures from quoted implied vols: one expiry's
 * smile (ATM-forward vol, the vol at a delta, the 25-delta risk reversal and butterfly,
 * the 90% / 110% moneyness vols) and the constant-maturity ATM vol across expiries
 * (IV30, IV60, ...).  Pure C (no PostgreSQL).
 *
 * The smile of one expiry (time t in years, forward F) is built from quotes
 * (strike K_i, implied vol sigma_i):
 *   - each quote becomes a node at log-moneyness k_i = ln(K_i / F) with variance
 *     v_i = sigma_i^2; quotes at one strike (a call and a put, say) are one node whose
 *     variance is the mean of theirs;
 *   - between nodes the variance is linear in k (so is the total variance w = v t);
 *     before the first node and after the last it is flat (the end node's vol).
 * Every figure below is read off that one function, v(k).
 *
 * ATM-forward vol: sqrt(v(0)), the smile at K = F.  It is defined only when the quotes
 * bracket the forward (a strike at or below F and one at or above it): a smile seen
 * from one side would give its nearest quote's vol, which is not an at-the-money vol.
 *
 * The vol at a delta: the delta is the forward (undiscounted) Black delta, N(d1) for a
 * call and N(d1) - 1 for a put (so a 25-delta put is delta = -0.25, |delta| = 0.25),
 * with d1 = -k / sqrt(w(k)) + sqrt(w(k)) / 2 and w(k) = v(k) t: the delta each strike
 * has under its own vol.  The strike solves d1(k) = D with D = N^-1(delta) for a call,
 * -N^-1(|delta|) for a put.  d1 runs from +inf (k -> -inf) to -inf (k -> +inf), so there
 * is always a solution; on each segment of the smile d1 is unimodal (see smile.c), so
 * every solution is found exactly (Brent's method on each monotone piece, to a few ulp).
 * A steep smile can make d1 non-monotone and give several strikes one delta: the one
 * nearest the forward (smallest |k|; a tie to the lower strike) is returned.  Strikes
 * beyond the quoted ones are allowed: the smile is flat there, so the vol is the end
 * quote's.
 *
 * skew: atm; put25, call25 (the vols at delta -0.25 and 0.25); rr25 = call25 - put25;
 * bf25 = (call25 + put25)/2 - atm; m90 and m110, the vols at K = 0.9 F and 1.1 F
 * (forward moneyness; in spot moneyness K/S the points move by e^{(r-q)t}).
 *
 * Constant maturity (cn_cm_vol): rows (t, K, F, sigma) of several expiries of one quote
 * time.  Each expiry (one t, which must carry one forward) gives its ATM-forward vol as
 * above, or none when its strikes do not bracket its forward (it is then left out).
 * The target T is interpolated linearly in ATM total variance W = sigma_atm^2 t between
 * the two expiries that bracket it (flat forward variance), with flat vol (the nearest
 * expiry's ATM vol) before the first expiry and after the last, as term_vol does; an
 * expiry at exactly T is used alone.  Unlike term_vol, total variance that falls from
 * one expiry to the next is not refused: only the two bracketing expiries are used, and
 * between two positive total variances the interpolation is positive.
 */
#ifndef CONDOR_SMILE_H
#define CONDOR_SMILE_H

/* Status codes. */
enum
{
	CN_SMILE_OK = 0,
	CN_SMILE_EROW = 1,			/* a strike, vol, forward or t not finite and > 0,
								 * or a delta outside (-1, 0) u (0, 1) [22023] */
	CN_SMILE_EFWD = 2,			/* one expiry with two forwards [22023] */
	CN_SMILE_ENONE = 3,			/* no expiry whose quotes bracket its forward [NULL] */
	CN_SMILE_EEMPTY = 4			/* no rows [NULL] */
};

/*
 * A smile: n >= 1 nodes, k ascending and distinct, v > 0, in caller-owned arrays; t > 0.
 */
typedef struct cn_smile
{
	int			n;
	double	   *k;
	double	   *v;
	double		t;
} cn_smile;

/*
 * Builds a smile from n >= 1 quotes given as pairs quotes[2i] = strike, quotes[2i+1] =
 * vol (any order: the array is sorted in place by strike, then vol).  k and v must have
 * room for n values.  Returns CN_SMILE_OK, CN_SMILE_EROW (a strike, vol, forward or t
 * not finite and positive) or CN_SMILE_EEMPTY (n < 1).
 */
extern int	cn_smile_build(double *quotes, int n, double forward, double t, double *k,
						   double *v, cn_smile *s);

/* Variance sigma^2 at log-moneyness k (linear between nodes, flat outside). */
extern double cn_smile_var(const cn_smile *s, double k);

/* ATM-forward vol sqrt(v(0)); NaN when the nodes do not bracket k = 0. */
extern double cn_smile_atm(const cn_smile *s);

/*
 * The log-moneyness k = ln(K/F) whose forward delta is "delta" (signed: > 0 call,
 * < 0 put; in (-1, 1) and not 0), and its vol into *vol.  NaN (and *vol NaN) for a delta
 * out of range.
 */
extern double cn_smile_delta_k(const cn_smile *s, double delta, double *vol);

typedef struct cn_skew
{
	double		atm;			/* NaN when the quotes do not bracket the forward */
	double		put25;
	double		call25;
	double		rr25;			/* call25 - put25 */
	double		bf25;			/* (call25 + put25)/2 - atm; NaN with atm */
	double		m90;			/* vol at K = 0.9 F */
	double		m110;			/* vol at K = 1.1 F */
	double		put25_strike;	/* the strikes of put25 and call25, in price units */
	double		call25_strike;
} cn_skew;

/* The skew figures of a smile whose forward is F. */
extern void cn_smile_skew(const cn_smile *s, double forward, cn_skew *out);

/*
 * Constant-maturity ATM vol at target_t (years) from n rows of width 4
 * (t, strike, forward, vol), any order (sorted in place).  work must have room for 4n
 * doubles.  Returns CN_SMILE_OK with *out, CN_SMILE_EROW, CN_SMILE_EFWD (one t with two
 * forwards; *bad_t gets that t), CN_SMILE_ENONE or CN_SMILE_EEMPTY.  *used (when not
 * NULL) gets the number of expiries that gave an ATM vol.
 */
extern int	cn_cm_vol(double *rows, int n, double target_t, double *work, double *out,
					  double *bad_t, int *used);

#endif
