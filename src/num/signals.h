/*
 * signals.h -- running market indicators (EMA, RSI, MACD) for SQL aggregates used as
 * window functions.  Pure C (no PostgreSQL).
 *
 * Each indicator is a fixed-size state of doubles with init / step / value, fed one
 * observation at a time in series order.  The SQL layer keeps the state as a float8[]
 * of exactly CN_*_NSTATE elements through cn_*_store and cn_*_load; a loaded state is
 * validated (tag, parameters, count, finiteness) so a hand-edited or mismatched array
 * is rejected instead of silently giving a wrong figure.  Element 0 of every stored
 * state is a tag naming the indicator and its layout version.
 *
 * The states depend on the order of the observations: they have no combine function
 * (an aggregate over them cannot run in parallel), and the SQL caller must supply the
 * order (ORDER BY in the window or in the aggregate call).
 *
 * Conventions (TA-Lib's, with the departures stated):
 *   EMA(span)   alpha = 2/(span+1).  The first value, at observation span, is the
 *               simple average of the first span values; afterwards
 *               ema += alpha (x - ema).  NaN before observation span.
 *   RSI(period) gains and losses are the positive and negative parts of consecutive
 *               differences.  Their averages are seeded with the simple average of
 *               the first period of them (observations 1..period+1) and then follow
 *               Wilder's smoothing avg = (avg (period-1) + current)/period.
 *               RSI = 100 - 100/(1 + G/L), computed as 100 G/(G + L), which needs no
 *               special case for L = 0 (gives 100).  First value at observation
 *               period+1, NaN before.
 *               G = L = 0 (a flat series): 50, the neutral reading.  TA-Lib returns 0
 *               there (and whenever G + L < 1e-8, even for a moving series of tiny
 *               prices); 0 would read as "extremely oversold" for a price that did
 *               not move, which an alert rule must not fire on.
 *   MACD(fast, slow, signal)
 *               macd = EMA_fast - EMA_slow, each EMA as above seeded with the SMA of
 *               its own first values, so macd is defined from observation slow.
 *               signal = EMA(signal) of the macd series (seeded with the SMA of the
 *               first signal macd values, so defined from observation
 *               slow + signal - 1); histogram = macd - signal.
 *               TA-Lib instead seeds the fast EMA at observation slow with the SMA of
 *               observations slow-fast+1..slow; that needs the last fast values, which
 *               a fixed-size state cannot keep.  The two macd series differ by a term
 *               that decays as (1 - 2/(fast+1))^k after observation slow (for fast=12,
 *               to 1e-8 of the initial gap after 111 observations).  TA-Lib's
 *               signal and histogram begin at the same observation as ours.
 *
 * Parameters are integers in [1, CN_SIG_MAX_PERIOD] (TA-Lib allows up to 100000);
 * MACD also needs fast < slow (TA-Lib silently swaps them; a swapped call is more
 * likely a mistake than a wish).  Inputs must be finite: a step with NaN or an
 * infinity is refused and leaves the state unchanged, so the caller decides whether
 * to raise an error or skip the row (NULLs are for the SQL layer to skip).
 *
 * Accuracy: the same arithmetic as the textbook batch loops in the same order, so the
 * results agree with them to a few ulps (test/unit/test_signals.c checks 1e-12
 * relative over 5000 observations).  The count is a double, exact to 2^53
 * observations.
 */
#ifndef CONDOR_SIGNALS_H
#define CONDOR_SIGNALS_H

#define CN_SIG_MAX_PERIOD	100000

/* Status codes of init, step and load (which on failure leave *s all zeros). */
enum
{
	CN_SIG_OK = 0,
	CN_SIG_EPARAM = 1,			/* period out of [1, CN_SIG_MAX_PERIOD], or MACD
								 * fast >= slow [22023] */
	CN_SIG_EVALUE = 2,			/* an observation is NaN or infinite [22023]; the
								 * state is unchanged */
	CN_SIG_ESTATE = 3			/* a stored state is malformed, of another
								 * indicator, or built with other parameters
								 * [22P02 from text, else 22023] */
};

/* Tags stored in element 0: indicator * 1000 + layout version. */
#define CN_EMA_TAG		1001.0
#define CN_RSI_TAG		2001.0
#define CN_MACD_TAG		3001.0

/*
 * EMA.  Stored as double[4] = {tag, span, count, value}; value is the running sum of
 * the observations while count < span, the EMA from count = span on.
 */
#define CN_EMA_NSTATE	4

typedef struct cn_ema
{
	double		span;
	double		count;			/* observations seen */
	double		value;			/* sum while warming up, then the EMA */
} cn_ema;

/* Starts an empty EMA of the given span; CN_SIG_EPARAM if span is out of range. */
extern int	cn_ema_init(cn_ema *s, int span);

/* Adds the next observation; CN_SIG_EVALUE (state unchanged) if x is not finite. */
extern int	cn_ema_step(cn_ema *s, double x);

/* The current EMA, in the units of the observations; NaN before observation span. */
extern double cn_ema_value(const cn_ema *s);

/* Writes the state to out[0 .. CN_EMA_NSTATE). */
extern void cn_ema_store(const cn_ema *s, double *out);

/*
 * Reads a stored state of k elements that must have been built with this span;
 * CN_SIG_ESTATE (and *s all zeros) otherwise.
 */
extern int	cn_ema_load(cn_ema *s, const double *in, int k, int span);

/*
 * RSI.  Stored as double[6] = {tag, period, count, prev, gain, loss}: prev is the last
 * observation; gain and loss are the sums of the gains and losses while
 * count <= period, Wilder's averages from count = period + 1 on.
 */
#define CN_RSI_NSTATE	6
#define CN_RSI_DEFAULT_PERIOD	14

typedef struct cn_rsi
{
	double		period;
	double		count;
	double		prev;			/* last observation (meaningless while count = 0) */
	double		gain;			/* sum of gains, then average gain (>= 0) */
	double		loss;			/* sum of losses, then average loss (>= 0, as a
								 * positive number) */
} cn_rsi;

/* Starts an empty RSI; CN_SIG_EPARAM if period is out of range. */
extern int	cn_rsi_init(cn_rsi *s, int period);

/* Adds the next observation; CN_SIG_EVALUE (state unchanged) if x is not finite. */
extern int	cn_rsi_step(cn_rsi *s, double x);

/* The current RSI in [0, 100]; NaN before observation period + 1. */
extern double cn_rsi_value(const cn_rsi *s);

/* Writes the state to out[0 .. CN_RSI_NSTATE). */
extern void cn_rsi_store(const cn_rsi *s, double *out);

/* Reads a stored state built with this period; CN_SIG_ESTATE otherwise. */
extern int	cn_rsi_load(cn_rsi *s, const double *in, int k, int period);

/*
 * MACD.  Stored as double[8] = {tag, fast, slow, signal, count, fast_ema, slow_ema,
 * signal_ema}; each EMA slot holds its running sum until its own seed point.  The
 * macd series has count - slow + 1 values once count >= slow.
 */
#define CN_MACD_NSTATE	8
#define CN_MACD_DEFAULT_FAST	12
#define CN_MACD_DEFAULT_SLOW	26
#define CN_MACD_DEFAULT_SIGNAL	9

typedef struct cn_macd
{
	double		fast;
	double		slow;
	double		signal;
	double		count;
	double		fast_ema;
	double		slow_ema;
	double		signal_ema;
} cn_macd;

/* Starts an empty MACD; CN_SIG_EPARAM if a period is out of range or fast >= slow. */
extern int	cn_macd_init(cn_macd *s, int fast, int slow, int signal);

/* Adds the next observation; CN_SIG_EVALUE (state unchanged) if x is not finite. */
extern int	cn_macd_step(cn_macd *s, double x);

/*
 * The current macd line, signal line and histogram (macd - signal), in the units of
 * the observations.  macd is NaN before observation slow; signal and histogram are NaN
 * before observation slow + signal - 1.  Any output pointer may be NULL.
 */
extern void cn_macd_value(const cn_macd *s, double *macd, double *signal,
						  double *histogram);

/* Writes the state to out[0 .. CN_MACD_NSTATE). */
extern void cn_macd_store(const cn_macd *s, double *out);

/* Reads a stored state built with these periods; CN_SIG_ESTATE otherwise. */
extern int	cn_macd_load(cn_macd *s, const double *in, int k, int fast, int slow,
						 int signal);

#endif
