/*
 * test_prob.c -- probability of finishing in the money and of touching a level.
 *
 * Independent checks:
 *   - touch against Monte Carlo: paths of ln S on a grid of 64 steps, each step's chance
 *     of crossing the level between its ends from the Brownian bridge,
 *     exp(-2 (b - x0)(b - x1) / (vol^2 dt)), which is exact for Brownian motion with
 *     drift given its ends; each path contributes 1 - prod(1 - p_step) (the conditional
 *     expectation, less noisy than drawing the crossings).  Bar: 5 standard errors.
 *     The same simulation must reject the closed form with the drift's -vol^2/2
 *     forgotten (so the test can fail).
 *   - touch with zero drift (r - q = vol^2/2) against the reflection principle
 *     2 N(-|b|/(vol sqrt t)) = erfc(|b|/(vol sqrt(2t))), libm's erfc.
 *   - in the money against Simpson's rule on the normal density of ln S_t.
 *   - properties: touch >= finishing beyond the level, call + put = 1, the degenerate
 *     cases (no time, no vol), no NaN at extreme inputs.
 */
#include "unit.h"
#include "prob.h"

static unsigned long long rng_state = 0x2545F4914F6CDD1Dull;

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

/* Monte Carlo touch probability and its standard error. */
static void
mc_touch(double S, double H, double t, double vol, double r, double q, int paths, int steps,
		 double *p, double *se)
{
	double		b = log(H / S),
				up = b > 0 ? 1 : -1,
				beta = fabs(b),
				mu = up * (r - q - 0.5 * vol * vol),	/* drift toward the level */
				dt = t / steps,
				sd = vol * sqrt(dt),
				sum = 0,
				ss = 0;

	for (int i = 0; i < paths; i++)
	{
		double		x = 0,
					survive = 1;

		for (int j = 0; j < steps && survive > 0; j++)
		{
			double		x1 = x + mu * dt + sd * gauss();

			if (x1 >= beta)
				survive = 0;
			else
				survive *= 1 - exp(-2 * (beta - x) * (beta - x1) / (vol * vol * dt));
			x = x1;
		}
		sum += 1 - survive;
		ss += (1 - survive) * (1 - survive);
	}
	*p = sum / paths;
	*se = sqrt((ss / paths - *p * *p) / (paths - 1));
}

/* The closed form with mu = r - q (the -vol^2/2 forgotten): a plausible wrong answer. */
static double
touch_wrong_drift(double S, double H, double t, double vol, double r, double q)
{
	double		b = log(H / S),
				beta = fabs(b),
				m = (b > 0 ? 1 : -1) * (r - q),
				sd = vol * sqrt(t);

	return 0.5 * erfc(-((-beta + m * t) / sd) / sqrt(2.0)) +
		exp(2 * m * beta / (vol * vol)) * 0.5 * erfc(-((-beta - m * t) / sd) / sqrt(2.0));
}

static void
test_monte_carlo(void)
{
	/* S, H, t, vol, r, q */
	double		cases[][6] = {
		{100, 110, 0.25, 0.2, 0.05, 0.0},
		{100, 90, 0.25, 0.2, 0.05, 0.0},
		{100, 130, 1.0, 0.6, 0.0, 0.03},
		{100, 75, 1.0, 0.6, 0.0, 0.03},
		{5800, 5465, 46 / 365.0, 0.16, 0.045, 0.013},	/* the condor's short put */
		{5800, 6100, 46 / 365.0, 0.12, 0.045, 0.013},	/* and short call */
		{100, 150, 2.0, 0.3, 0.10, 0.0},
		{100, 101, 7 / 365.0, 0.5, 0.0, 0.0},
		{100, 60, 0.5, 0.9, 0.08, 0.0},
	};
	int			ncases = sizeof(cases) / sizeof(cases[0]);
	double		worst = 0,
				wrong_worst = 0;

	for (int i = 0; i < ncases; i++)
	{
		double	   *c = cases[i],
					p,
					se,
					want = cn_prob_touch(c[0], c[1], c[2], c[3], c[4], c[5]),
					wrong = touch_wrong_drift(c[0], c[1], c[2], c[3], c[4], c[5]);

		mc_touch(c[0], c[1], c[2], c[3], c[4], c[5], 60000, 64, &p, &se);
		printf("# touch %g -> %g, t %.4f, vol %g, r %g, q %g: closed %.5f, MC %.5f +- %.5f (%+.2f se; forgotten -vol^2/2: %+.1f se)\n",
			   c[0], c[1], c[2], c[3], c[4], c[5], want, p, se, (want - p) / se,
			   (wrong - p) / se);
		worst = fmax(worst, fabs(want - p) / se);
		wrong_worst = fmax(wrong_worst, fabs(wrong - p) / se);
		UNIT_CHECK(fabs(want - p) <= 5 * se, "touch case %d: %.6f vs MC %.6f (se %.2g)", i, want,
				   p, se);
	}
	printf("# touch vs Monte Carlo: at most %.2f standard errors apart\n", worst);
	UNIT_CHECK(wrong_worst > 10, "the simulation rejects the wrong drift (%.1f se)", wrong_worst);
}

static void
test_reflection(void)
{
	double		worst = 0;
	int			n = 0;

	for (int iv = 0; iv < 6; iv++)
		for (int it = 0; it < 6; it++)
			for (int ih = -8; ih <= 8; ih++)
			{
				double		vol = 0.05 * pow(2.5, iv),
							t = 0.002 * pow(4, it),
							S = 100,
							H = S * exp(ih * 0.15 * vol * sqrt(t) * (1 + abs(ih))),
							r = 0.5 * vol * vol,	/* mu = r - q - vol^2/2 = 0 */
							got = cn_prob_touch(S, H, t, vol, r, 0),
							want = ih == 0 ? 1.0 : erfc(fabs(log(H / S)) / (vol * sqrt(2 * t)));

				if (want < 1e-300)
					continue;
				n++;
				worst = fmax(worst, fabs(got - want) / want);
				UNIT_CHECK(unit_close(got, want, 1e-12, 0),
						   "reflection vol %g t %g H %g: %.17g want %.17g", vol, t, H, got, want);
			}
	printf("# touch with zero drift vs the reflection principle: %d cases, worst %.1e relative\n",
		   n, worst);
}

/* P(S_t > K) by Simpson's rule on the density of ln S_t. */
static double
simpson_itm(double S, double K, double t, double vol, double r, double q)
{
	double		m = log(S) + (r - q - 0.5 * vol * vol) * t,
				sd = vol * sqrt(t),
				a = log(K),
				b = fmax(a, m) + 14 * sd,
				h,
				sum = 0;
	int			n = 20000;

	if (a < m - 14 * sd)
		a = m - 14 * sd;		/* the mass below is < 1e-44 */
	h = (b - a) / n;
	for (int i = 0; i <= n; i++)
	{
		double		x = a + i * h,
					z = (x - m) / sd,
					f = exp(-0.5 * z * z) / (sd * sqrt(2 * M_PI));

		sum += f * (i == 0 || i == n ? 1 : (i % 2 ? 4 : 2));
	}
	return sum * h / 3;
}

static void
test_itm(void)
{
	double		worst = 0;

	for (int iv = 0; iv < 5; iv++)
		for (int it = 0; it < 5; it++)
			for (int ik = -6; ik <= 6; ik++)
			{
				double		vol = 0.08 * pow(2, iv),
							t = 0.01 * pow(3, it),
							S = 5800,
							K = S * exp(ik * 0.4 * vol * sqrt(t)),
							r = 0.045,
							q = 0.013,
							call = cn_prob_itm(1, S, K, t, vol, r, q),
							put = cn_prob_itm(-1, S, K, t, vol, r, q),
							want = simpson_itm(S, K, t, vol, r, q);

				worst = fmax(worst, fabs(call - want));
				UNIT_CHECK(fabs(call - want) <= 1e-11, "itm vol %g t %g K %g: %.17g want %.17g",
						   vol, t, K, call, want);
				UNIT_CHECK(fabs(call + put - 1) <= 2.3e-16, "call + put = 1");
			}
	printf("# prob_itm vs Simpson's rule: worst %.1e absolute\n", worst);
	/* no randomness */
	UNIT_CHECK(cn_prob_itm(1, 100, 99, 0, 0.2, 0, 0) == 1 && cn_prob_itm(-1, 100, 99, 0, 0.2, 0, 0) == 0,
			   "t = 0: intrinsic");
	UNIT_CHECK(cn_prob_itm(1, 100, 100, 0, 0.2, 0, 0) == 0 && cn_prob_itm(-1, 100, 100, 0, 0.2, 0, 0) == 0,
			   "t = 0 at the strike: neither is strictly in the money");
	UNIT_CHECK(cn_prob_itm(1, 100, 104, 1, 0, 0.05, 0) == 1, "vol 0: the forward 105.1 > 104");
}

static void
test_properties(void)
{
	int			bad = 0,
				nan = 0;

	for (int iv = 0; iv < 6; iv++)
		for (int it = 0; it < 6; it++)
			for (int ih = -10; ih <= 10; ih++)
				for (int id = -1; id <= 1; id++)
				{
					double		vol = 0.03 * pow(2.3, iv),
								t = 0.003 * pow(4, it),
								S = 100,
								H = S * exp(ih * 0.1),
								r = 0.05 * id,
								p = cn_prob_touch(S, H, t, vol, r, 0),
								end = ih > 0 ? cn_prob_itm(1, S, H, t, vol, r, 0) :
								cn_prob_itm(-1, S, H, t, vol, r, 0),
								later = cn_prob_touch(S, H, 1.5 * t, vol, r, 0);

					if (ih == 0)
						continue;
					nan += isnan(p);
					bad += !(p >= end - 1e-15 && p <= 1 && p >= 0 && later >= p - 1e-15);
				}
	UNIT_CHECK(bad == 0 && nan == 0,
			   "touch >= finishing beyond, in [0, 1], growing with t (%d bad, %d NaN)", bad, nan);
	/* degenerate and extreme inputs */
	UNIT_CHECK(cn_prob_touch(100, 100, 1, 0.2, 0, 0) == 1, "level at spot");
	UNIT_CHECK(cn_prob_touch(100, 110, 0, 0.2, 0, 0) == 0, "no time");
	UNIT_CHECK(cn_prob_touch(100, 110, 1, 0, 0.1, 0) == 1, "vol 0: the path ends at 110.5");
	UNIT_CHECK(cn_prob_touch(100, 111, 1, 0, 0.1, 0) == 0, "vol 0: and never reaches 111");
	UNIT_CHECK(cn_prob_touch(100, 95, 1, 0, 0.1, 0.0) == 0, "vol 0: never falls");
	{
		double		p1 = cn_prob_touch(100, 110, 1, 1e-160, 0.2, 0),
					p2 = cn_prob_touch(100, 110, 1, 1e-160, -0.2, 0),
					p3 = cn_prob_touch(100, 1e-200, 30, 5, 0, 0),
					p4 = cn_prob_touch(100, 1e200, 30, 5, 0.5, 0),
					p5 = cn_prob_touch(100, 100.0000001, 1e-12, 0.2, 0, 0);

		UNIT_CHECK(p1 == 1 && p2 == 0, "tiny vol: the drift decides (%g, %g)", p1, p2);
		UNIT_CHECK(isfinite(p3) && isfinite(p4) && p3 >= 0 && p4 >= 0 && isfinite(p5),
				   "extreme levels finite (%g, %g, %g)", p3, p4, p5);
	}
}

/*
 * Vols and times far beyond use, where vol^2 t overflows while vol sqrt(t) may not: the
 * limits, never NaN (the fuzzer's short_strikes finding: vol 1e308 over 348 years).
 * As vol sqrt(t) -> Infinity the log-price drifts to -Infinity: a call finishes out of
 * the money, a put in it; every lower level is touched and an upper level H with
 * probability S/H (the reflection formula's e^{-beta} term).
 */
static void
test_limits(void)
{
	const double vols[] = {1e154, 1e200, 1e308, 1.7976931348623157e308};
	const double ts[] = {1, 348.08, 1e10, 1e300};

	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 4; j++)
		{
			double		v = vols[i],
						t = ts[j],
						c = cn_prob_itm(1, 100, 5600, t, v, 0.045, 0.013),
						p = cn_prob_itm(-1, 100, 5600, t, v, 0.045, 0.013),
						up = cn_prob_touch(100, 5600, t, v, 0.045, 0.013),
						down = cn_prob_touch(100, 90, t, v, 0.045, 0.013);

			UNIT_CHECK(c == 0 && p == 1, "itm vol %g t %g: %g %g", v, t, c, p);
			UNIT_CHECK(unit_close(up, 100.0 / 5600.0, 1e-15, 0) && down == 1,
					   "touch vol %g t %g: %.17g %.17g", v, t, up, down);
		}
	/* and at the other end, a vol so small that sqrt(t) / vol overflows */
	for (int j = 0; j < 4; j++)
	{
		double		c = cn_prob_itm(1, 100, 100.5, ts[j], 4.9e-324, 0.045, 0.013),
					up = cn_prob_touch(100, 100.5, ts[j], 4.9e-324, 0.045, 0.013),
					same = cn_prob_itm(1, 100, 100, ts[j], 4.9e-324, 0.02, 0.02);

		UNIT_CHECK(c == 1 && up == 1 && isfinite(same), "tiny vol t %g: %g %g %g", ts[j], c,
				   up, same);
	}
}

int
main(void)
{
	test_limits();
	test_reflection();
	test_itm();
	test_properties();
	test_monte_carlo();
	return unit_report("prob");
}
