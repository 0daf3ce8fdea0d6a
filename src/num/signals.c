/*
 * signals.c -- running EMA, RSI and MACD (see signals.h for the conventions).
 */
#include <math.h>

#include "signals.h"

/* Counts above this are not exact in a double; no stored state can hold one. */
#define COUNT_MAX	9007199254740992.0	/* 2^53 */

/*
 * Feeds observation number n (1-based) of a series to an EMA slot *v of the given
 * span: a running sum before n = span, the seed SMA at n = span, then the recursion.
 * The update is TA-Lib's ema + (x - ema) alpha, which keeps the arithmetic of the
 * textbook loop.
 */
static void
ema_feed(double *v, double span, double n, double x)
{
	if (n < span)
		*v += x;
	else if (n == span)
		*v = (*v + x) / span;
	else
		*v += (x - *v) * (2.0 / (span + 1.0));
}

/* A period the indicators accept: 1 .. CN_SIG_MAX_PERIOD. */
static int
period_ok(int p)
{
	return p >= 1 && p <= CN_SIG_MAX_PERIOD;
}

/* A stored count: finite, integral, in [0, 2^53]. */
static int
count_ok(double c)
{
	return c >= 0.0 && c <= COUNT_MAX && c == floor(c);
}

/* All of v[0..n) finite. */
static int
all_finite(const double *v, int n)
{
	int			i;

	for (i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return 0;
	return 1;
}

/* ---------------------------------------------------------------- EMA */

int
cn_ema_init(cn_ema *s, int span)
{
	*s = (cn_ema) {0};
	if (!period_ok(span))
		return CN_SIG_EPARAM;
	s->span = span;
	s->count = 0.0;
	s->value = 0.0;
	return CN_SIG_OK;
}

int
cn_ema_step(cn_ema *s, double x)
{
	if (!isfinite(x))
		return CN_SIG_EVALUE;
	if (s->count < COUNT_MAX)
		s->count += 1.0;
	ema_feed(&s->value, s->span, s->count, x);
	return CN_SIG_OK;
}

double
cn_ema_value(const cn_ema *s)
{
	return s->count >= s->span ? s->value : NAN;
}

void
cn_ema_store(const cn_ema *s, double *out)
{
	out[0] = CN_EMA_TAG;
	out[1] = s->span;
	out[2] = s->count;
	out[3] = s->value;
}

int
cn_ema_load(cn_ema *s, const double *in, int k, int span)
{
	*s = (cn_ema) {0};
	if (k != CN_EMA_NSTATE || !period_ok(span) || !all_finite(in, k) ||
		in[0] != CN_EMA_TAG || in[1] != (double) span || !count_ok(in[2]))
		return CN_SIG_ESTATE;
	/* an empty state is exactly what init makes */
	if (in[2] == 0.0 && in[3] != 0.0)
		return CN_SIG_ESTATE;
	s->span = in[1];
	s->count = in[2];
	s->value = in[3];
	return CN_SIG_OK;
}

/* ---------------------------------------------------------------- RSI */

int
cn_rsi_init(cn_rsi *s, int period)
{
	*s = (cn_rsi) {0};
	if (!period_ok(period))
		return CN_SIG_EPARAM;
	s->period = period;
	s->count = 0.0;
	s->prev = 0.0;
	s->gain = 0.0;
	s->loss = 0.0;
	return CN_SIG_OK;
}

int
cn_rsi_step(cn_rsi *s, double x)
{
	double		d,
				g,
				l,
				ndiff;

	if (!isfinite(x))
		return CN_SIG_EVALUE;
	if (s->count < COUNT_MAX)
		s->count += 1.0;
	if (s->count == 1.0)
	{
		s->prev = x;
		return CN_SIG_OK;
	}
	d = x - s->prev;
	s->prev = x;
	g = d > 0.0 ? d : 0.0;
	l = d < 0.0 ? -d : 0.0;

	/* this is difference number count - 1 */
	ndiff = s->count - 1.0;
	if (ndiff <= s->period)
	{
		s->gain += g;
		s->loss += l;
		if (ndiff == s->period)
		{
			s->gain /= s->period;
			s->loss /= s->period;
		}
	}
	else
	{
		/* Wilder's smoothing, an EMA with alpha = 1/period */
		s->gain = (s->gain * (s->period - 1.0) + g) / s->period;
		s->loss = (s->loss * (s->period - 1.0) + l) / s->period;
	}
	return CN_SIG_OK;
}

double
cn_rsi_value(const cn_rsi *s)
{
	double		sum;

	if (s->count < s->period + 1.0)
		return NAN;
	sum = s->gain + s->loss;
	/* no movement over the whole smoothing memory: neutral, see signals.h */
	if (sum == 0.0)
		return 50.0;
	return 100.0 * (s->gain / sum);
}

void
cn_rsi_store(const cn_rsi *s, double *out)
{
	out[0] = CN_RSI_TAG;
	out[1] = s->period;
	out[2] = s->count;
	out[3] = s->prev;
	out[4] = s->gain;
	out[5] = s->loss;
}

int
cn_rsi_load(cn_rsi *s, const double *in, int k, int period)
{
	*s = (cn_rsi) {0};
	if (k != CN_RSI_NSTATE || !period_ok(period) || !all_finite(in, k) ||
		in[0] != CN_RSI_TAG || in[1] != (double) period || !count_ok(in[2]) ||
		in[4] < 0.0 || in[5] < 0.0)
		return CN_SIG_ESTATE;
	/* before the second observation there is nothing to have accumulated */
	if ((in[2] == 0.0 && in[3] != 0.0) ||
		(in[2] <= 1.0 && (in[4] != 0.0 || in[5] != 0.0)))
		return CN_SIG_ESTATE;
	s->period = in[1];
	s->count = in[2];
	s->prev = in[3];
	s->gain = in[4];
	s->loss = in[5];
	return CN_SIG_OK;
}

/* ---------------------------------------------------------------- MACD */

/* MACD periods: each in range, and the fast EMA strictly shorter than the slow. */
static int
macd_params_ok(int fast, int slow, int signal)
{
	return period_ok(fast) && period_ok(slow) && period_ok(signal) && fast < slow;
}

int
cn_macd_init(cn_macd *s, int fast, int slow, int signal)
{
	*s = (cn_macd) {0};
	if (!macd_params_ok(fast, slow, signal))
		return CN_SIG_EPARAM;
	s->fast = fast;
	s->slow = slow;
	s->signal = signal;
	s->count = 0.0;
	s->fast_ema = 0.0;
	s->slow_ema = 0.0;
	s->signal_ema = 0.0;
	return CN_SIG_OK;
}

int
cn_macd_step(cn_macd *s, double x)
{
	if (!isfinite(x))
		return CN_SIG_EVALUE;
	if (s->count < COUNT_MAX)
		s->count += 1.0;
	ema_feed(&s->fast_ema, s->fast, s->count, x);
	ema_feed(&s->slow_ema, s->slow, s->count, x);
	/* fast < slow, so both EMAs are seeded once the slow one is */
	if (s->count >= s->slow)
		ema_feed(&s->signal_ema, s->signal, s->count - s->slow + 1.0,
				 s->fast_ema - s->slow_ema);
	return CN_SIG_OK;
}

void
cn_macd_value(const cn_macd *s, double *macd, double *signal, double *histogram)
{
	double		m = NAN,
				sg = NAN,
				h = NAN;

	if (s->count >= s->slow)
	{
		m = s->fast_ema - s->slow_ema;
		if (s->count - s->slow + 1.0 >= s->signal)
		{
			sg = s->signal_ema;
			h = m - sg;
		}
	}
	if (macd)
		*macd = m;
	if (signal)
		*signal = sg;
	if (histogram)
		*histogram = h;
}

void
cn_macd_store(const cn_macd *s, double *out)
{
	out[0] = CN_MACD_TAG;
	out[1] = s->fast;
	out[2] = s->slow;
	out[3] = s->signal;
	out[4] = s->count;
	out[5] = s->fast_ema;
	out[6] = s->slow_ema;
	out[7] = s->signal_ema;
}

int
cn_macd_load(cn_macd *s, const double *in, int k, int fast, int slow, int signal)
{
	*s = (cn_macd) {0};
	if (k != CN_MACD_NSTATE || !macd_params_ok(fast, slow, signal) ||
		!all_finite(in, k) || in[0] != CN_MACD_TAG || in[1] != (double) fast ||
		in[2] != (double) slow || in[3] != (double) signal || !count_ok(in[4]))
		return CN_SIG_ESTATE;
	/* slots not yet fed must still hold init's zeros */
	if ((in[4] == 0.0 && (in[5] != 0.0 || in[6] != 0.0)) ||
		(in[4] < in[2] && in[7] != 0.0))
		return CN_SIG_ESTATE;
	s->fast = in[1];
	s->slow = in[2];
	s->signal = in[3];
	s->count = in[4];
	s->fast_ema = in[5];
	s->slow_ema = in[6];
	s->signal_ema = in[7];
	return CN_SIG_OK;
}
