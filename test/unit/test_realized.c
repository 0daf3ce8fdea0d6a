/*
 * test_realized.c -- realized vol estimators and IV rank / percentile.
 *
 * Independent checks: each estimator on simulated geometric Brownian motion whose true
 * vol is known, with daily bars simulated EXACTLY (the high and low of each step drawn
 * from the laws of the maximum and of the minimum of a Brownian bridge, so the range has
 * no discretisation bias; the two are drawn independently, which ignores their joint
 * law within one step: with 8, 32 and 256 steps a day and three seeds each, every
 * estimate lay within 1.9 standard errors of the truth, with no sign of a bias) and an
 * overnight gap carrying a known share of the variance:
 * close-to-close and Yang-Zhang must find the whole vol, Parkinson, Garman-Klass and
 * Rogers-Satchell the open-to-close part; Rogers-Satchell and Yang-Zhang also under a
 * strong drift.  The tolerances are 5 standard errors of each estimate, measured over
 * 40 independent batches.  Plus hand-worked small cases, row-order independence, and
 * the refusals.
 */
#include "unit.h"
#include "realized.h"

static unsigned long long rng_state = 0x9E3779B97F4A7C15ull;

/* xorshift64*: uniform in (0, 1) */
static double
uniform(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return ((rng_state * 0x2545F4914F6CDD1Dull) >> 11) * (1.0 / 9007199254740992.0) +
		0.5 / 9007199254740992.0;
}

static double
gauss(void)
{
	static int	have = 0;
	static double keep;
	double		u,
				v,
				s;

	if (have)
	{
		have = 0;
		return keep;
	}
	do
	{
		u = 2 * uniform() - 1;
		v = 2 * uniform() - 1;
		s = u * u + v * v;
	} while (s >= 1 || s == 0);
	s = sqrt(-2 * log(s) / s);
	keep = v * s;
	have = 1;
	return u * s;
}

/*
 * n daily bars (time, O, H, L, C) of log-price with per-day variance var_day, the share
 * f of it overnight, drift mu_day per day (intraday), steps intraday steps per day.
 */
static void
simulate(double *rows, int n, double var_day, double f, double mu_day, int steps)
{
	double		x = log(100.0),
				s2 = (1 - f) * var_day / steps;

	for (int d = 0; d < n; d++)
	{
		double		hi,
					lo;

		x += sqrt(f * var_day) * gauss();
		rows[5 * d] = d;
		rows[5 * d + 1] = exp(x);
		hi = lo = x;
		for (int i = 0; i < steps; i++)
		{
			double		x1 = x + mu_day / steps + sqrt(s2) * gauss(),
						dx = x1 - x,
						mx = 0.5 * (x + x1 + sqrt(dx * dx - 2 * s2 * log(uniform()))),
						mn = 0.5 * (x + x1 - sqrt(dx * dx - 2 * s2 * log(uniform())));

			hi = fmax(hi, mx);
			lo = fmin(lo, mn);
			x = x1;
		}
		rows[5 * d + 2] = exp(hi);
		rows[5 * d + 3] = exp(lo);
		rows[5 * d + 4] = exp(x);
		/* exp rounding must not break H >= max(O, C) */
		rows[5 * d + 2] = fmax(rows[5 * d + 2], fmax(rows[5 * d + 1], rows[5 * d + 4]));
		rows[5 * d + 3] = fmin(rows[5 * d + 3], fmin(rows[5 * d + 1], rows[5 * d + 4]));
	}
}

#define DAYS	40000
#define BATCHES 40

static double bars[5 * DAYS],
			work[5 * DAYS];

/* Estimator over the whole series, and the standard error of that from batch means. */
static void
estimate(int est, const double *rows, double *value, double *se)
{
	int			per = DAYS / BATCHES,
				bad_row;
	double		bad_t,
				sum = 0,
				ss = 0,
				b[BATCHES];

	if (est == CN_RV_CLOSE)
	{
		for (int i = 0; i < DAYS; i++)
		{
			work[2 * i] = rows[5 * i];
			work[2 * i + 1] = rows[5 * i + 4];
		}
		cn_realized_vol(est, work, DAYS, 252, 0, value, &bad_t, &bad_row);
	}
	else
	{
		memcpy(work, rows, sizeof(double) * 5 * DAYS);
		cn_realized_vol(est, work, DAYS, 252, 0, value, &bad_t, &bad_row);
	}
	for (int j = 0; j < BATCHES; j++)
	{
		const double *r = rows + 5 * per * j;

		if (est == CN_RV_CLOSE)
			for (int i = 0; i < per; i++)
			{
				work[2 * i] = r[5 * i];
				work[2 * i + 1] = r[5 * i + 4];
			}
		else
			memcpy(work, r, sizeof(double) * 5 * per);
		cn_realized_vol(est, work, per, 252, 0, &b[j], &bad_t, &bad_row);
		b[j] *= b[j];
		sum += b[j];
	}
	sum /= BATCHES;
	for (int j = 0; j < BATCHES; j++)
		ss += (b[j] - sum) * (b[j] - sum);
	/* standard error of the variance over all days, then of the vol (delta method) */
	*se = sqrt(ss / (BATCHES - 1) / BATCHES) / (2 * *value);
}

static void
test_monte_carlo(void)
{
	const char *names[] = {"close-to-close", "Parkinson", "Garman-Klass", "Rogers-Satchell",
	"Yang-Zhang"};
	double		vol = 0.2,
				f = 0.25,
				var_day = vol * vol / 252;

	for (int drift = 0; drift < 2; drift++)
	{
		/* drift: 300% a year, 1.2% a day (about 1 sd of a day's move) */
		simulate(bars, DAYS, var_day, f, drift ? 3.0 / 252 : 0, 32);
		for (int est = 0; est < 5; est++)
		{
			double		got,
						se,
						want = (est == CN_RV_CLOSE || est == CN_RV_YANG_ZHANG) ? vol :
						vol * sqrt(1 - f);

			/* Parkinson and Garman-Klass assume no drift: only the driftless case */
			if (drift && (est == CN_RV_PARKINSON || est == CN_RV_GARMAN_KLASS))
				continue;
			estimate(est, bars, &got, &se);
			printf("# MC %s%s: %.5f, true %.5f, (got - true)/se = %+.2f, se %.1e\n",
				   names[est], drift ? " (drift)" : "", got, want, (got - want) / se, se);
			UNIT_CHECK(fabs(got - want) <= 5 * se && se < 0.01 * want,
					   "%s drift %d: %.6f vs %.6f (se %.2g)", names[est], drift, got, want, se);
		}
	}
}

/* Hand-worked: three bars, formulas written out from the papers, rows shuffled. */
static void
test_hand(void)
{
	/* time, O, H, L, C */
	double		b[3][5] = {{1, 100, 102, 99, 101}, {2, 101.5, 103, 100, 100.5},
	{3, 100, 101, 97, 98}};
	double		rows[15],
				got,
				bad_t,
				want;
	int			bad_row;
	const double ln2 = log(2.0);
	int			order[3] = {2, 0, 1};

	for (int i = 0; i < 3; i++)
		memcpy(rows + 5 * i, b[order[i]], sizeof(b[0]));

	/* Parkinson */
	want = 0;
	for (int i = 0; i < 3; i++)
		want += pow(log(b[i][2] / b[i][3]), 2);
	want = sqrt(want / (4 * ln2 * 3) * 252);
	cn_realized_vol(CN_RV_PARKINSON, rows, 3, 252, 0, &got, &bad_t, &bad_row);
	UNIT_CHECK(unit_close(got, want, 1e-14, 0), "Parkinson %.17g want %.17g", got, want);

	/* Garman-Klass */
	want = 0;
	for (int i = 0; i < 3; i++)
		want += 0.5 * pow(log(b[i][2] / b[i][3]), 2) - (2 * ln2 - 1) * pow(log(b[i][4] / b[i][1]), 2);
	want = sqrt(want / 3 * 252);
	cn_realized_vol(CN_RV_GARMAN_KLASS, rows, 3, 252, 0, &got, &bad_t, &bad_row);
	UNIT_CHECK(unit_close(got, want, 1e-14, 0), "Garman-Klass %.17g want %.17g", got, want);

	/* Rogers-Satchell */
	want = 0;
	for (int i = 0; i < 3; i++)
		want += log(b[i][2] / b[i][4]) * log(b[i][2] / b[i][1]) +
			log(b[i][3] / b[i][4]) * log(b[i][3] / b[i][1]);
	want = sqrt(want / 3 * 252);
	cn_realized_vol(CN_RV_ROGERS_SATCHELL, rows, 3, 252, 0, &got, &bad_t, &bad_row);
	UNIT_CHECK(unit_close(got, want, 1e-14, 0), "Rogers-Satchell %.17g want %.17g", got, want);

	/* Yang-Zhang, n = 2 periods: k = 0.34 / (1.34 + 3) */
	{
		double		o1 = log(b[1][1] / b[0][4]),
					o2 = log(b[2][1] / b[1][4]),
					c1 = log(b[1][4] / b[1][1]),
					c2 = log(b[2][4] / b[2][1]),
					vo = pow(o1 - o2, 2) / 2,	/* sample variance of two values */
					vc = pow(c1 - c2, 2) / 2,
					rs = 0,
					k = 0.34 / 4.34;

		for (int i = 1; i < 3; i++)
			rs += log(b[i][2] / b[i][4]) * log(b[i][2] / b[i][1]) +
				log(b[i][3] / b[i][4]) * log(b[i][3] / b[i][1]);
		rs /= 2;
		want = sqrt((vo + k * vc + (1 - k) * rs) * 252);
		for (int i = 0; i < 3; i++)
			memcpy(rows + 5 * i, b[order[i]], sizeof(b[0]));
		cn_realized_vol(CN_RV_YANG_ZHANG, rows, 3, 252, 0, &got, &bad_t, &bad_row);
		UNIT_CHECK(unit_close(got, want, 1e-14, 0), "Yang-Zhang %.17g want %.17g", got, want);
	}

	/* close-to-close: returns ln(100.5/101), ln(98/100.5); sample and zero-mean */
	{
		double		r1 = log(100.5 / 101),
					r2 = log(98 / 100.5),
					c[6] = {3, 98, 1, 101, 2, 100.5};

		want = sqrt(pow(r1 - r2, 2) / 2 * 365);
		cn_realized_vol(CN_RV_CLOSE, c, 3, 365, 0, &got, &bad_t, &bad_row);
		UNIT_CHECK(unit_close(got, want, 1e-14, 0), "close-to-close %.17g want %.17g", got, want);
		c[0] = 3, c[1] = 98, c[2] = 1, c[3] = 101, c[4] = 2, c[5] = 100.5;
		want = sqrt((r1 * r1 + r2 * r2) / 2 * 365);
		cn_realized_vol(CN_RV_CLOSE, c, 3, 365, 1, &got, &bad_t, &bad_row);
		UNIT_CHECK(unit_close(got, want, 1e-14, 0), "zero-mean %.17g want %.17g", got, want);
	}
}

static void
test_refusals(void)
{
	double		got,
				bad_t;
	int			bad_row;

	{
		double		c[4] = {1, 100, 2, 101};

		UNIT_CHECK(cn_realized_vol(CN_RV_CLOSE, c, 2, 252, 0, &got, &bad_t, &bad_row) == CN_RV_EFEW &&
				   isnan(got), "two closes: one return, no sample variance");
		UNIT_CHECK(cn_realized_vol(CN_RV_CLOSE, c, 2, 252, 1, &got, &bad_t, &bad_row) == CN_RV_OK,
				   "zero-mean needs one return");
	}
	{
		double		c[6] = {1, 100, 2, 101, 1, 102};

		UNIT_CHECK(cn_realized_vol(CN_RV_CLOSE, c, 3, 252, 0, &got, &bad_t, &bad_row) == CN_RV_EDUP &&
				   bad_t == 1, "two closes at one time");
	}
	{
		double		b[5] = {1, 100, 99, 98, 99.5};	/* high below the open */

		UNIT_CHECK(cn_realized_vol(CN_RV_PARKINSON, b, 1, 252, 0, &got, &bad_t, &bad_row) == CN_RV_EROW &&
				   bad_row == 0, "high below open");
	}
	{
		double		b[5] = {1, 100, 101, 99, 100};

		UNIT_CHECK(cn_realized_vol(CN_RV_PARKINSON, b, 1, 0, 0, &got, &bad_t, &bad_row) == CN_RV_EROW &&
				   bad_row == -1, "periods_per_year 0");
		UNIT_CHECK(cn_realized_vol(CN_RV_YANG_ZHANG, b, 1, 252, 0, &got, &bad_t, &bad_row) == CN_RV_EFEW,
				   "Yang-Zhang needs three bars");
	}
}

static void
test_iv_rank(void)
{
	/* times out of order; latest (t = 5) iv 0.20; others 0.10, 0.30, 0.20, 0.15 */
	double		r[10] = {3, 0.30, 5, 0.20, 1, 0.10, 4, 0.20, 2, 0.15};
	double		rank,
				pct,
				bad_t;

	UNIT_CHECK(cn_iv_rank(r, 5, &rank, &pct, &bad_t) == CN_RV_OK, "iv_rank ok");
	UNIT_CHECK(unit_close(rank, 0.5, 1e-15, 0), "rank (0.2 - 0.1)/(0.3 - 0.1) = %.17g", rank);
	UNIT_CHECK(pct == 0.5, "percentile: 2 of the 4 others strictly below = %.17g", pct);
	{
		double		one[2] = {1, 0.2};

		cn_iv_rank(one, 1, &rank, &pct, &bad_t);
		UNIT_CHECK(isnan(rank) && isnan(pct), "one row: no rank, no percentile");
	}
	{
		double		flat[4] = {1, 0.2, 2, 0.2};

		cn_iv_rank(flat, 2, &rank, &pct, &bad_t);
		UNIT_CHECK(isnan(rank) && pct == 0, "flat history: no rank, percentile 0");
	}
	{
		double		hi[6] = {1, 0.2, 2, 0.1, 3, 0.5};

		cn_iv_rank(hi, 3, &rank, &pct, &bad_t);
		UNIT_CHECK(rank == 1 && pct == 1, "new high: rank 1, percentile 1");
	}
	{
		double		dup[4] = {1, 0.2, 1, 0.3};

		UNIT_CHECK(cn_iv_rank(dup, 2, &rank, &pct, &bad_t) == CN_RV_EDUP, "two rows at one time");
	}
}

int
main(void)
{
	test_hand();
	test_refusals();
	test_iv_rank();
	test_monte_carlo();
	return unit_report("realized");
}
