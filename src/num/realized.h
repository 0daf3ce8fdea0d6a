/*
 * realized.h -- realized volatility of a price history (close-to-close, Parkinson,
 * Garman-Klass, Rogers-Satchell, Yang-Zhang) and where the latest implied vol stands in
 * its own history (IV rank, IV percentile).  Pure C (no PostgreSQL).
 *
 * Every function takes the rows of a window in any order, sorts them by time in place
 * (then by the other values, so equal inputs give equal bits whatever their order) and
 * refuses two rows at one time.  The sums then run in time order, two-pass (mean first,
 * then squared deviations from it: no E[x^2] - E[x]^2 cancellation).
 *
 * Realized vol, annualised: sqrt(variance per period x periods_per_year), a decimal per
 * year (0.16 = 16%).  A period is one row to the next (a trading day for daily bars,
 * whatever the calendar gap: weekends and holidays are not stretched).  With N rows:
 *   close-to-close  returns r_i = ln(C_i / C_{i-1}), n = N - 1 of them;
 *                   sample variance sum (r - mean)^2 / (n - 1) (needs n >= 2), or with
 *                   zero_mean sum r^2 / n (needs n >= 1): the drift is not removed,
 *                   which is the convention of variance swaps and of most risk systems
 *   Parkinson       sum ln(H/L)^2 / (4 ln 2 N)                         (N >= 1)
 *   Garman-Klass    (1/N) sum [ ln(H/L)^2 / 2 - (2 ln 2 - 1) ln(C/O)^2 ]  (N >= 1); the
 *                   1980 estimator of the open-to-close variance, overnight gaps not
 *                   included
 *   Rogers-Satchell (1/N) sum [ ln(H/C) ln(H/O) + ln(L/C) ln(L/O) ]    (N >= 1)
 *   Yang-Zhang      over the n = N - 1 periods that have a previous close (the first
 *                   row lends only its close): sigma_o^2 + k sigma_c^2 + (1 - k) sigma_rs^2
 *                   with sigma_o^2 the sample variance of the overnight returns
 *                   ln(O_i / C_{i-1}), sigma_c^2 that of the open-to-close returns
 *                   ln(C_i / O_i), sigma_rs^2 the Rogers-Satchell mean over the same n
 *                   periods and k = 0.34 / (1.34 + (n + 1)/(n - 1))   (needs n >= 2)
 * Bars must have positive prices with L <= min(O, C) and H >= max(O, C).
 *
 * IV rank and percentile of the latest row (the one with the greatest time), over all
 * N rows given (the latest included):
 *   rank        (iv_latest - min) / (max - min), in [0, 1]; NaN when max = min
 *   percentile  the share of the OTHER N - 1 rows whose iv is strictly below the
 *               latest's, in [0, 1] (1 at a new high, 0 at a new low); NaN when N = 1.
 *               Counting the latest row in the denominator instead would give
 *               percentile x (N - 1)/N, which never reaches 1.
 */
#ifndef CONDOR_REALIZED_H
#define CONDOR_REALIZED_H

enum
{
	CN_RV_CLOSE = 0,			/* rows (time, close) */
	CN_RV_PARKINSON = 1,		/* rows (time, open, high, low, close) */
	CN_RV_GARMAN_KLASS = 2,
	CN_RV_ROGERS_SATCHELL = 3,
	CN_RV_YANG_ZHANG = 4
};

enum
{
	CN_RV_OK = 0,
	CN_RV_EROW = 1,				/* a price not finite and > 0, a bar whose high or
								 * low does not contain its open and close, a time or
								 * iv not finite, periods_per_year not > 0 [22023] */
	CN_RV_EDUP = 2,				/* two rows at one time [22023] */
	CN_RV_EFEW = 3				/* too few rows for the estimator [NULL] */
};

/*
 * Annualised realized vol of n rows of width 2 (close) or 5 (OHLC bars), sorted in
 * place.  *out gets the vol; on CN_RV_EDUP, *bad_time gets the repeated time; on
 * CN_RV_EROW, *bad_row the index (in the order given) of the offending row, or -1 for
 * periods_per_year.
 */
extern int	cn_realized_vol(int estimator, double *rows, int n, double periods_per_year,
							int zero_mean, double *out, double *bad_time, int *bad_row);

/* Rows of width 2 (time, iv), sorted in place; *rank and *percentile as above. */
extern int	cn_iv_rank(double *rows, int n, double *rank, double *percentile,
					   double *bad_time);

/* The minimum number of rows an estimator needs (zero_mean for close-to-close). */
extern int	cn_realized_min_rows(int estimator, int zero_mean);

#endif
