/*
 * test_signals.c -- unit tests of the running EMA, RSI and MACD (src/num/signals.c).
 *
 * 1. Hand-computed values on a seven-point series (fractions worked out on paper).
 * 2. A 5000-point pseudo-random walk (fixed seed, with flat steps so that zero
 *    differences occur) against independent batch implementations written the
 *    textbook way over arrays, at 1e-12 relative.
 * 3. Warm-up NaNs, refused inputs and parameters, and the store/load round trip
 *    (also through "%.17g" text, as a float8[] state travels) mid-series, which must
 *    continue bit for bit like the uninterrupted state.
 */
#include "unit.h"
#include "signals.h"

#define NLONG		5000

static double series[NLONG];

/* xorshift64*: a fixed, portable pseudo-random stream for the long series. */
static unsigned long long rng_state = 0x9E3779B97F4A7C15ULL;

static double
rng_uniform(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double) ((rng_state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

/* A price-like random walk near 100; one step in eight repeats the last price. */
static void
make_series(void)
{
	int			i;

	series[0] = 100.0;
	for (i = 1; i < NLONG; i++)
	{
		double		u = rng_uniform();

		if (u < 0.125)
			series[i] = series[i - 1];
		else
			series[i] = series[i - 1] * (1.0 + 0.04 * (rng_uniform() - 0.5));
	}
}

/*
 * Batch EMA of x[0..n) into out (NaN before index span-1): the SMA of the first span
 * values, then ema = alpha x + (1 - alpha) ema -- the other common way to write the
 * recursion, so the comparison is not against the same expression.
 */
static void
batch_ema(const double *x, int n, int span, double *out)
{
	double		alpha = 2.0 / (span + 1);
	double		sum = 0.0;
	int			i;

	for (i = 0; i < n; i++)
		out[i] = NAN;
	if (n < span)
		return;
	for (i = 0; i < span; i++)
		sum += x[i];
	out[span - 1] = sum / span;
	for (i = span; i < n; i++)
		out[i] = alpha * x[i] + (1.0 - alpha) * out[i - 1];
}

/* Batch RSI: arrays of gains and losses, Wilder's averages, 100 - 100/(1 + RS). */
static void
batch_rsi(const double *x, int n, int period, double *out)
{
	double	   *gain = malloc(sizeof(double) * n);
	double	   *loss = malloc(sizeof(double) * n);
	double		ag = 0.0,
				al = 0.0;
	int			i;

	for (i = 0; i < n; i++)
		out[i] = NAN;
	for (i = 1; i < n; i++)
	{
		gain[i] = x[i] > x[i - 1] ? x[i] - x[i - 1] : 0.0;
		loss[i] = x[i] < x[i - 1] ? x[i - 1] - x[i] : 0.0;
	}
	for (i = period; i < n; i++)
	{
		if (i == period)
		{
			int			j;

			for (j = 1; j <= period; j++)
			{
				ag += gain[j];
				al += loss[j];
			}
			ag /= period;
			al /= period;
		}
		else
		{
			ag = (ag * (period - 1) + gain[i]) / period;
			al = (al * (period - 1) + loss[i]) / period;
		}
		if (al == 0.0)
			out[i] = ag == 0.0 ? 50.0 : 100.0;
		else
			out[i] = 100.0 - 100.0 / (1.0 + ag / al);
	}
	free(gain);
	free(loss);
}

/* Batch MACD: two full EMA arrays, their difference, and an EMA of that difference. */
static void
batch_macd(const double *x, int n, int fast, int slow, int signal,
		   double *macd, double *sig, double *hist)
{
	double	   *ef = malloc(sizeof(double) * n);
	double	   *es = malloc(sizeof(double) * n);
	int			i;

	batch_ema(x, n, fast, ef);
	batch_ema(x, n, slow, es);
	for (i = 0; i < n; i++)
	{
		macd[i] = i >= slow - 1 ? ef[i] - es[i] : NAN;
		sig[i] = hist[i] = NAN;
	}
	if (n >= slow)
	{
		batch_ema(macd + slow - 1, n - slow + 1, signal, sig + slow - 1);
		for (i = slow - 1; i < n; i++)
			hist[i] = macd[i] - sig[i];
	}
	free(ef);
	free(es);
}

/* Round trip of a stored state through "%.17g" text, as a float8[] literal. */
static void
through_text(const double *in, double *out, int k)
{
	char		buf[64];
	int			i;

	for (i = 0; i < k; i++)
	{
		snprintf(buf, sizeof(buf), "%.17g", in[i]);
		out[i] = strtod(buf, NULL);
	}
}

static const double shortx[7] = {1, 2, 3, 4, 5, 4, 3};

static void
test_hand(void)
{
	cn_ema		e;
	cn_rsi		r;
	cn_macd		m;
	double		ema_want[7] = {NAN, NAN, 2.0, 3.0, 4.0, 4.0, 3.5};
	/* RSI(3) of 1,2,3,2,4,3,3: seed G = 2/3, L = 1/3, then Wilder */
	double		rx[7] = {1, 2, 3, 2, 4, 3, 3};
	double		rsi_want[7] = {NAN, NAN, NAN, 200.0 / 3.0, 250.0 / 3.0,
	2000.0 / 33.0, 2000.0 / 33.0};
	/* MACD(2, 3, 2) of shortx */
	double		macd_want[7] = {NAN, NAN, 0.5, 0.5, 0.5, 1.0 / 6.0, -1.0 / 9.0};
	double		sig_want[7] = {NAN, NAN, NAN, 0.5, 0.5, 5.0 / 18.0, 1.0 / 54.0};
	int			i;

	UNIT_CHECK(cn_ema_init(&e, 3) == CN_SIG_OK, "ema init");
	UNIT_CHECK(cn_rsi_init(&r, 3) == CN_SIG_OK, "rsi init");
	UNIT_CHECK(cn_macd_init(&m, 2, 3, 2) == CN_SIG_OK, "macd init");
	UNIT_CHECK(isnan(cn_ema_value(&e)) && isnan(cn_rsi_value(&r)), "empty is NaN");
	for (i = 0; i < 7; i++)
	{
		double		mv,
					sv,
					hv;

		cn_ema_step(&e, shortx[i]);
		cn_rsi_step(&r, rx[i]);
		cn_macd_step(&m, shortx[i]);
		cn_macd_value(&m, &mv, &sv, &hv);

		if (isnan(ema_want[i]))
			UNIT_CHECK(isnan(cn_ema_value(&e)), "ema warm-up obs %d", i + 1);
		else
			UNIT_CHECK(unit_close(cn_ema_value(&e), ema_want[i], 1e-15, 0),
					   "ema obs %d: %.17g want %.17g", i + 1, cn_ema_value(&e),
					   ema_want[i]);
		if (isnan(rsi_want[i]))
			UNIT_CHECK(isnan(cn_rsi_value(&r)), "rsi warm-up obs %d", i + 1);
		else
			UNIT_CHECK(unit_close(cn_rsi_value(&r), rsi_want[i], 1e-14, 0),
					   "rsi obs %d: %.17g want %.17g", i + 1, cn_rsi_value(&r),
					   rsi_want[i]);
		if (isnan(macd_want[i]))
			UNIT_CHECK(isnan(mv), "macd warm-up obs %d", i + 1);
		else
			UNIT_CHECK(unit_close(mv, macd_want[i], 1e-14, 1e-15),
					   "macd obs %d: %.17g want %.17g", i + 1, mv, macd_want[i]);
		if (isnan(sig_want[i]))
			UNIT_CHECK(isnan(sv) && isnan(hv), "signal warm-up obs %d", i + 1);
		else
		{
			UNIT_CHECK(unit_close(sv, sig_want[i], 1e-14, 1e-15),
					   "signal obs %d: %.17g want %.17g", i + 1, sv, sig_want[i]);
			UNIT_CHECK(unit_close(hv, macd_want[i] - sig_want[i], 1e-14, 1e-15),
					   "histogram obs %d: %.17g", i + 1, hv);
		}
	}
	/* histogram at observation 7: -1/9 - 1/54 */
	{
		double		hv;

		cn_macd_value(&m, NULL, NULL, &hv);
		UNIT_CHECK(unit_close(hv, -7.0 / 54.0, 1e-14, 0), "histogram %.17g", hv);
	}
}

/* RSI edge readings: flat 50, rising 100, falling 0; span 1 EMA is the series. */
static void
test_edges(void)
{
	cn_rsi		flat,
				up,
				down;
	cn_ema		e1;
	int			i;

	cn_rsi_init(&flat, 14);
	cn_rsi_init(&up, 14);
	cn_rsi_init(&down, 14);
	cn_ema_init(&e1, 1);
	for (i = 0; i < 20; i++)
	{
		cn_rsi_step(&flat, 42.0);
		cn_rsi_step(&up, 10.0 + i);
		cn_rsi_step(&down, 10.0 - i);
		cn_ema_step(&e1, shortx[i % 7]);
		UNIT_CHECK(cn_ema_value(&e1) == shortx[i % 7], "ema(1) obs %d", i + 1);
		if (i < 14)
			UNIT_CHECK(isnan(cn_rsi_value(&flat)) && isnan(cn_rsi_value(&up)),
					   "rsi(14) NaN at obs %d", i + 1);
		else
		{
			UNIT_CHECK(cn_rsi_value(&flat) == 50.0, "flat rsi %g", cn_rsi_value(&flat));
			UNIT_CHECK(cn_rsi_value(&up) == 100.0, "rising rsi %g", cn_rsi_value(&up));
			UNIT_CHECK(cn_rsi_value(&down) == 0.0, "falling rsi %g",
					   cn_rsi_value(&down));
		}
	}
}

static void
test_long(void)
{
	static double want[NLONG],
				wsig[NLONG],
				whist[NLONG];
	static const int spans[] = {1, 2, 10, 50, 200};
	static const int periods[] = {1, 2, 14, 30};
	static const int macds[][3] = {{12, 26, 9}, {3, 10, 16}, {1, 2, 1}};
	int			p,
				i;
	int			bad;

	for (p = 0; p < (int) (sizeof(spans) / sizeof(spans[0])); p++)
	{
		cn_ema		e;

		batch_ema(series, NLONG, spans[p], want);
		cn_ema_init(&e, spans[p]);
		bad = 0;
		for (i = 0; i < NLONG; i++)
		{
			double		v;

			cn_ema_step(&e, series[i]);
			v = cn_ema_value(&e);
			if (i < spans[p] - 1 ? !isnan(v) : !unit_close(v, want[i], 1e-12, 0))
			{
				if (bad++ == 0)
					UNIT_CHECK(0, "ema(%d) obs %d: %.17g want %.17g", spans[p], i + 1,
							   v, want[i]);
			}
		}
		UNIT_CHECK(bad == 0, "ema(%d): %d mismatches", spans[p], bad);
	}

	for (p = 0; p < (int) (sizeof(periods) / sizeof(periods[0])); p++)
	{
		cn_rsi		r;

		batch_rsi(series, NLONG, periods[p], want);
		cn_rsi_init(&r, periods[p]);
		bad = 0;
		for (i = 0; i < NLONG; i++)
		{
			double		v;

			cn_rsi_step(&r, series[i]);
			v = cn_rsi_value(&r);

			/*
			 * 1e-12 relative, plus 1e-12 absolute: the textbook 100 - 100/(1 + RS)
			 * cancels near RSI = 0 (the one for period 1 is 0 on every down day).
			 */
			if (i < periods[p] ? !isnan(v) : !unit_close(v, want[i], 1e-12, 1e-12))
			{
				if (bad++ == 0)
					UNIT_CHECK(0, "rsi(%d) obs %d: %.17g want %.17g", periods[p],
							   i + 1, v, want[i]);
			}
		}
		UNIT_CHECK(bad == 0, "rsi(%d): %d mismatches", periods[p], bad);
	}

	for (p = 0; p < (int) (sizeof(macds) / sizeof(macds[0])); p++)
	{
		int			f = macds[p][0],
					s = macds[p][1],
					g = macds[p][2];
		cn_macd		m;

		batch_macd(series, NLONG, f, s, g, want, wsig, whist);
		cn_macd_init(&m, f, s, g);
		bad = 0;
		for (i = 0; i < NLONG; i++)
		{
			double		mv,
						sv,
						hv;
			int			ok;

			cn_macd_step(&m, series[i]);
			cn_macd_value(&m, &mv, &sv, &hv);

			/*
			 * macd is a difference of two EMAs near 100 that crosses zero: 1e-12
			 * relative to the price scale (1e-10 absolute) beside 1e-12 relative.
			 */
			if (i < s - 1)
				ok = isnan(mv) && isnan(sv) && isnan(hv);
			else if (i < s + g - 2)
				ok = unit_close(mv, want[i], 1e-12, 1e-10) && isnan(sv) && isnan(hv);
			else
				ok = unit_close(mv, want[i], 1e-12, 1e-10) &&
					unit_close(sv, wsig[i], 1e-12, 1e-10) &&
					unit_close(hv, whist[i], 1e-12, 1e-10);
			if (!ok && bad++ == 0)
				UNIT_CHECK(0, "macd(%d,%d,%d) obs %d: %.17g %.17g %.17g want %.17g "
						   "%.17g %.17g", f, s, g, i + 1, mv, sv, hv, want[i], wsig[i],
						   whist[i]);
		}
		UNIT_CHECK(bad == 0, "macd(%d,%d,%d): %d mismatches", f, s, g, bad);
	}
}

/*
 * Store at observation cut, load (directly and through text), and continue: every
 * later value must equal the uninterrupted one exactly.
 */
static void
test_roundtrip(int cut)
{
	cn_ema		e,
				e2;
	cn_rsi		r,
				r2;
	cn_macd		m,
				m2;
	double		st[CN_MACD_NSTATE],
				tx[CN_MACD_NSTATE];
	int			i,
				bad = 0;

	cn_ema_init(&e, 20);
	cn_rsi_init(&r, 14);
	cn_macd_init(&m, 12, 26, 9);
	for (i = 0; i < cut; i++)
	{
		cn_ema_step(&e, series[i]);
		cn_rsi_step(&r, series[i]);
		cn_macd_step(&m, series[i]);
	}
	cn_ema_store(&e, st);
	through_text(st, tx, CN_EMA_NSTATE);
	UNIT_CHECK(cn_ema_load(&e2, tx, CN_EMA_NSTATE, 20) == CN_SIG_OK, "ema load at %d",
			   cut);
	cn_rsi_store(&r, st);
	through_text(st, tx, CN_RSI_NSTATE);
	UNIT_CHECK(cn_rsi_load(&r2, tx, CN_RSI_NSTATE, 14) == CN_SIG_OK, "rsi load at %d",
			   cut);
	cn_macd_store(&m, st);
	through_text(st, tx, CN_MACD_NSTATE);
	UNIT_CHECK(cn_macd_load(&m2, tx, CN_MACD_NSTATE, 12, 26, 9) == CN_SIG_OK,
			   "macd load at %d", cut);

	for (i = cut; i < cut + 300; i++)
	{
		double		a[3],
					b[3];

		cn_ema_step(&e, series[i]);
		cn_ema_step(&e2, series[i]);
		cn_rsi_step(&r, series[i]);
		cn_rsi_step(&r2, series[i]);
		cn_macd_step(&m, series[i]);
		cn_macd_step(&m2, series[i]);
		cn_macd_value(&m, &a[0], &a[1], &a[2]);
		cn_macd_value(&m2, &b[0], &b[1], &b[2]);
		if (memcmp(&e, &e2, sizeof(e)) != 0 || memcmp(&r, &r2, sizeof(r)) != 0 ||
			memcmp(a, b, sizeof(a)) != 0 || memcmp(&m, &m2, sizeof(m)) != 0)
			bad++;
	}
	UNIT_CHECK(bad == 0, "round trip at %d: %d observations differ", cut, bad);
}

/* Parameters, non-finite observations and malformed states are refused. */
static void
test_refusals(void)
{
	cn_ema		e,
				before;
	cn_rsi		r;
	cn_macd		m;
	double		st[CN_MACD_NSTATE],
				bad[CN_MACD_NSTATE];
	int			i;

	UNIT_CHECK(cn_ema_init(&e, 0) == CN_SIG_EPARAM, "ema span 0");
	UNIT_CHECK(cn_ema_init(&e, CN_SIG_MAX_PERIOD + 1) == CN_SIG_EPARAM, "ema span big");
	UNIT_CHECK(cn_rsi_init(&r, -3) == CN_SIG_EPARAM, "rsi period -3");
	UNIT_CHECK(cn_macd_init(&m, 26, 12, 9) == CN_SIG_EPARAM, "macd fast > slow");
	UNIT_CHECK(cn_macd_init(&m, 12, 12, 9) == CN_SIG_EPARAM, "macd fast = slow");
	UNIT_CHECK(cn_macd_init(&m, 12, 26, 0) == CN_SIG_EPARAM, "macd signal 0");

	cn_ema_init(&e, 5);
	cn_rsi_init(&r, 5);
	cn_macd_init(&m, 2, 5, 3);
	for (i = 0; i < 7; i++)
	{
		cn_ema_step(&e, series[i]);
		cn_rsi_step(&r, series[i]);
		cn_macd_step(&m, series[i]);
	}
	before = e;
	UNIT_CHECK(cn_ema_step(&e, NAN) == CN_SIG_EVALUE, "ema NaN step");
	UNIT_CHECK(cn_ema_step(&e, INFINITY) == CN_SIG_EVALUE, "ema inf step");
	UNIT_CHECK(memcmp(&e, &before, sizeof(e)) == 0, "refused step leaves state");
	UNIT_CHECK(cn_rsi_step(&r, -INFINITY) == CN_SIG_EVALUE, "rsi inf step");
	UNIT_CHECK(cn_macd_step(&m, NAN) == CN_SIG_EVALUE, "macd NaN step");

	/* EMA states */
	cn_ema_store(&e, st);
	UNIT_CHECK(cn_ema_load(&before, st, CN_EMA_NSTATE, 5) == CN_SIG_OK, "ema good");
	UNIT_CHECK(cn_ema_load(&before, st, CN_EMA_NSTATE, 6) == CN_SIG_ESTATE,
			   "ema other span");
	UNIT_CHECK(cn_ema_load(&before, st, CN_EMA_NSTATE - 1, 5) == CN_SIG_ESTATE,
			   "ema short array");
	memcpy(bad, st, sizeof(bad));
	bad[0] = CN_RSI_TAG;
	UNIT_CHECK(cn_ema_load(&before, bad, CN_EMA_NSTATE, 5) == CN_SIG_ESTATE,
			   "ema wrong tag");
	memcpy(bad, st, sizeof(bad));
	bad[2] = 6.5;
	UNIT_CHECK(cn_ema_load(&before, bad, CN_EMA_NSTATE, 5) == CN_SIG_ESTATE,
			   "ema fractional count");
	bad[2] = -1;
	UNIT_CHECK(cn_ema_load(&before, bad, CN_EMA_NSTATE, 5) == CN_SIG_ESTATE,
			   "ema negative count");
	memcpy(bad, st, sizeof(bad));
	bad[3] = NAN;
	UNIT_CHECK(cn_ema_load(&before, bad, CN_EMA_NSTATE, 5) == CN_SIG_ESTATE,
			   "ema NaN value");

	/* RSI states */
	cn_rsi_store(&r, st);
	UNIT_CHECK(cn_rsi_load(&r, st, CN_RSI_NSTATE, 5) == CN_SIG_OK, "rsi good");
	UNIT_CHECK(cn_rsi_load(&r, st, CN_RSI_NSTATE, 14) == CN_SIG_ESTATE,
			   "rsi other period");
	memcpy(bad, st, sizeof(bad));
	bad[5] = -0.5;
	UNIT_CHECK(cn_rsi_load(&r, bad, CN_RSI_NSTATE, 5) == CN_SIG_ESTATE,
			   "rsi negative loss");
	cn_ema_store(&e, bad);
	UNIT_CHECK(cn_rsi_load(&r, bad, CN_RSI_NSTATE, 5) == CN_SIG_ESTATE,
			   "ema state as rsi");

	/* MACD states */
	cn_macd_store(&m, st);
	UNIT_CHECK(cn_macd_load(&m, st, CN_MACD_NSTATE, 2, 5, 3) == CN_SIG_OK, "macd good");
	UNIT_CHECK(cn_macd_load(&m, st, CN_MACD_NSTATE, 2, 5, 4) == CN_SIG_ESTATE,
			   "macd other signal");
	UNIT_CHECK(cn_macd_load(&m, st, CN_MACD_NSTATE, 3, 5, 3) == CN_SIG_ESTATE,
			   "macd other fast");
	memcpy(bad, st, sizeof(bad));
	bad[4] = 1e300;
	UNIT_CHECK(cn_macd_load(&m, bad, CN_MACD_NSTATE, 2, 5, 3) == CN_SIG_ESTATE,
			   "macd absurd count");
}

int
main(void)
{
	make_series();
	test_hand();
	test_edges();
	test_long();
	test_roundtrip(3);			/* inside every warm-up */
	test_roundtrip(15);			/* RSI live, EMA and MACD warming */
	test_roundtrip(30);			/* macd live, signal warming */
	test_roundtrip(2500);
	test_refusals();
	return unit_report("signals");
}
