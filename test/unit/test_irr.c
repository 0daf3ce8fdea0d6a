/*
 * test_irr.c -- unit tests of cn_xirr and cn_irr (src/num/irr.c).
 *
 * Closed forms (one or two periods), Excel's XIRR documentation example, order and
 * origin independence (bit-identical), the statuses, the choice among several roots,
 * extreme rates and amounts, and |NPV| at the returned rate over pseudo-random
 * schedules checked with a separate plain NPV loop.
 */
#include "unit.h"
#include "irr.h"

/*
 * Plain NPV at rate r with times in units of unit days, and in *mag the sum of the
 * absolute discounted terms it is measured against (the size of the cancellation).
 */
static double
npv(const double *a, const double *d, int n, double unit, double r, double *mag)
{
	double		dmin = d[0],
				s = 0.0;
	int			i;

	for (i = 1; i < n; i++)
		if (d[i] < dmin)
			dmin = d[i];
	*mag = 0.0;
	for (i = 0; i < n; i++)
	{
		double		x = a[i] * pow(1.0 + r, -(d[i] - dmin) / unit);

		s += x;
		*mag += fabs(x);
	}
	return s;
}

static unsigned long long rng_state = 0x2545F4914F6CDD1DULL;

static double
rng_uniform(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double) ((rng_state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

/* Excel's XIRR example: days from 2008-01-01 */
static const double xl_amount[5] = {-10000, 2750, 4250, 3250, 2750};
static const double xl_days[5] = {0, 60, 303, 411, 456};

static void
test_known(void)
{
	double		a[4],
				d[4],
				r,
				mag;
	int			st;

	a[0] = -1000;
	a[1] = 1100;
	d[0] = 0;
	d[1] = 365;
	st = cn_xirr(a, d, 2, 0.1, &r);
	UNIT_CHECK(st == CN_IRR_OK && unit_close(r, 0.1, 1e-14, 0), "10%%: %d %.17g", st, r);

	/* mpmath root 0.37336253351883151; Excel prints 0.373362535 (its 1e-8 stop) */
	st = cn_xirr(xl_amount, xl_days, 5, 0.1, &r);
	UNIT_CHECK(st == CN_IRR_OK && unit_close(r, 0.37336253351883151, 1e-14, 0),
			   "excel example: %d %.17g", st, r);
	UNIT_CHECK(unit_close(r, 0.373362535, 0, 2e-9), "excel printed: %.17g", r);
	UNIT_CHECK(fabs(npv(xl_amount, xl_days, 5, 365.0, r, &mag)) < 1e-13 * mag,
			   "excel npv %.3g", npv(xl_amount, xl_days, 5, 365.0, r, &mag));

	/* -100, 60, 60: 1/(1+r) = (-60 + sqrt(27600))/120 */
	a[0] = -100;
	a[1] = 60;
	a[2] = 60;
	d[0] = 0;
	d[1] = 1;
	d[2] = 2;
	st = cn_irr(a, d, 3, 0.1, &r);
	UNIT_CHECK(st == CN_IRR_OK && unit_close(r, 0.13066238629180749, 1e-14, 0),
			   "irr -100,60,60: %d %.17g", st, r);
	/* the same flows a year apart are the same rate annualised */
	d[1] = 365;
	d[2] = 730;
	st = cn_xirr(a, d, 3, 0.1, &r);
	UNIT_CHECK(st == CN_IRR_OK && unit_close(r, 0.13066238629180749, 1e-14, 0),
			   "xirr -100,60,60 yearly: %d %.17g", st, r);

	/* r = 0 exactly, and zero amounts are ignored */
	a[0] = -250;
	a[1] = 0;
	a[2] = 250;
	st = cn_irr(a, d, 3, 0.1, &r);
	UNIT_CHECK(st == CN_IRR_OK && r == 0.0, "zero rate: %d %.17g", st, r);

	/* extreme rates: 1e-6 back after ten years, 1e6 after one */
	a[0] = -1;
	a[1] = 1e-6;
	d[0] = 0;
	d[1] = 3650;
	st = cn_xirr(a, d, 2, 0.1, &r);
	UNIT_CHECK(st == CN_IRR_OK && unit_close(1.0 + r, pow(10.0, -0.6), 1e-12, 0),
			   "near -100%%: %d %.17g", st, r);
	a[1] = 1e6;
	d[1] = 365;
	st = cn_xirr(a, d, 2, 0.1, &r);
	UNIT_CHECK(st == CN_IRR_OK && unit_close(r, 999999.0, 1e-12, 0),
			   "1e6-fold: %d %.17g", st, r);

	/* huge amounts do not overflow the sums */
	a[0] = -1e300;
	a[1] = 1.1e300;
	a[2] = -1e-300;
	d[2] = 100;
	st = cn_xirr(a, d, 3, 0.1, &r);
	UNIT_CHECK(st == CN_IRR_OK && unit_close(r, 0.1, 1e-14, 0), "1e300: %d %.17g", st, r);

	/* fractional days (timestamps): half a year at 10.25% is 5% */
	a[0] = -100;
	a[1] = 105;
	d[0] = 14000.25;
	d[1] = 14000.25 + 182.5;
	st = cn_xirr(a, d, 2, 0.1, &r);
	UNIT_CHECK(st == CN_IRR_OK && unit_close(r, 0.1025, 1e-14, 0),
			   "half year: %d %.17g", st, r);
}

/* Every permutation of the Excel flows, and a shifted origin, give the same bits. */
static void
test_order(void)
{
	double		r0,
				r,
				a[5],
				d[5];
	int			perm[5],
				code,
				i,
				count = 0,
				same = 0;

	cn_xirr(xl_amount, xl_days, 5, 0.1, &r0);
	for (code = 0; code < 3125; code++)
	{
		int			used = 0,
					c = code;

		for (i = 0; i < 5; i++)
		{
			perm[i] = c % 5;
			c /= 5;
			used |= 1 << perm[i];
		}
		if (used != 0x1f)
			continue;
		for (i = 0; i < 5; i++)
		{
			a[i] = xl_amount[perm[i]];
			d[i] = xl_days[perm[i]] + 13879.0;	/* days from 1970-01-01 */
		}
		count++;
		if (cn_xirr(a, d, 5, 0.1, &r) == CN_IRR_OK && memcmp(&r, &r0, sizeof(r)) == 0)
			same++;
	}
	UNIT_CHECK(count == 120 && same == 120, "permutations: %d of %d identical", same,
			   count);
}

static void
test_status(void)
{
	double		a[3] = {100, 200, 0},
				d[3] = {0, 30, 60},
				r;

	UNIT_CHECK(cn_xirr(a, d, 3, 0.1, &r) == CN_IRR_NO_SIGN_CHANGE && isnan(r),
			   "all positive");
	a[0] = -100;
	a[1] = -200;
	UNIT_CHECK(cn_xirr(a, d, 3, 0.1, &r) == CN_IRR_NO_SIGN_CHANGE && isnan(r),
			   "all negative");
	a[0] = a[1] = 0;
	UNIT_CHECK(cn_xirr(a, d, 3, 0.1, &r) == CN_IRR_NO_SIGN_CHANGE, "all zero");
	UNIT_CHECK(cn_xirr(a, d, 0, 0.1, &r) == CN_IRR_NO_SIGN_CHANGE, "no flows");
	UNIT_CHECK(cn_xirr(a, d, -1, 0.1, &r) == CN_IRR_EARG, "n < 0");
	a[0] = -100;
	a[1] = NAN;
	UNIT_CHECK(cn_xirr(a, d, 3, 0.1, &r) == CN_IRR_EARG && isnan(r), "NaN amount");
	a[1] = 100;
	d[2] = INFINITY;
	UNIT_CHECK(cn_irr(a, d, 3, 0.1, &r) == CN_IRR_EARG, "infinite time");

	/* both signs on one date: no rate (or all rates) */
	d[1] = 0;
	d[2] = 0;
	UNIT_CHECK(cn_xirr(a, d, 3, 0.1, &r) == CN_IRR_NO_ROOT && isnan(r), "one date");

	/* -100 + 50 x - 100 x^2 < 0 for every x = 1/(1+r) > 0 */
	a[0] = -100;
	a[1] = 50;
	a[2] = -100;
	d[0] = 0;
	d[1] = 1;
	d[2] = 2;
	UNIT_CHECK(cn_irr(a, d, 3, 0.1, &r) == CN_IRR_NO_ROOT && isnan(r), "no root");
}

/*
 * Two roots: flows -1, x1 + x2, -x1 x2 at periods 0, 1, 2 have the present value
 * -(x - x1)(x - x2) / x^2 with x = 1 + r: it rises through zero at x1 and falls
 * through zero at x2.  The rate of an investment is where it falls: x2 - 1, whatever
 * the guess; the negated flows (a loan: it falls at x1) give x1 - 1.
 */
static void
test_two_roots(void)
{
	static const double roots[][2] = {
		{1.1, 1.2},				/* +10%, +20% */
		{0.95, 1.08},			/* -5%, +8% */
		{0.93, 1.04},			/* -7%, +4% */
		{0.953, 1.0452},		/* -4.7%, +4.52% */
	};
	static const double want[] = {0.2, 0.08, 0.04, 0.0452};
	static const double want_loan[] = {0.1, -0.05, -0.07, -0.047};
	double		p[3] = {0, 1, 2},
				a[3],
				r;
	int			i,
				st;

	for (i = 0; i < 4; i++)
	{
		double		x1 = roots[i][0],
					x2 = roots[i][1];

		a[0] = -1.0;
		a[1] = x1 + x2;
		a[2] = -x1 * x2;
		/* the coefficients are rounded, so the roots move by ~1e-16 / (x2 - x1) */
		for (int g = 0; g < 3; g++)
		{
			double		guess = g == 0 ? 0.1 : (g == 1 ? -0.5 : 5.0);

			st = cn_irr(a, p, 3, guess, &r);
			UNIT_CHECK(st == CN_IRR_OK && unit_close(r, want[i], 1e-12, 1e-13),
					   "two roots %g %g guess %g: %d %.17g want %g", x1, x2, guess, st, r,
					   want[i]);
			for (int j = 0; j < 3; j++)
				a[j] = -a[j];
			st = cn_irr(a, p, 3, guess, &r);
			UNIT_CHECK(st == CN_IRR_OK && unit_close(r, want_loan[i], 1e-12, 1e-13),
					   "two roots, loan %g %g guess %g: %d %.17g want %g", x1, x2, guess, st,
					   r, want_loan[i]);
			for (int j = 0; j < 3; j++)
				a[j] = -a[j];
		}
	}
}

/*
 * Random schedules: an outlay, then 2..40 flows from 30 days to 10 years later, one
 * in five a further outlay (so several roots occur).  The 30 days keep the rates
 * within range: flows a day apart can need 1 + r beyond e^700.
 */
static void
test_random(void)
{
	double		a[41],
				d[41],
				r,
				mag,
				worst = 0.0;
	int			trial,
				fails = 0,
				skipped = 0,
				near_minus_one = 0;

	for (trial = 0; trial < 2000; trial++)
	{
		int			n = 3 + (int) (rng_uniform() * 39),
					i;
		double		span = 30.0 + rng_uniform() * 3620.0,
					v;

		a[0] = -1000.0 * (0.1 + rng_uniform());
		d[0] = 14000 + (int) (rng_uniform() * 1000);
		for (i = 1; i < n; i++)
		{
			/* one flow in five is a further outlay */
			a[i] = (rng_uniform() < 0.2 ? -0.3 : 1.0) * 200.0 * rng_uniform();
			d[i] = d[0] + 30 + (int) (rng_uniform() * span);
		}
		if (cn_xirr(a, d, n, 0.1, &r) != CN_IRR_OK)
		{
			/*
			 * Allowed only when no root is certain: the sign at r = 0 (the sum)
			 * differs from the sign as r -> inf (the earliest flows) or r -> -1
			 * (the latest flows) when one is certain.
			 */
			double		s = 0.0,
						first = 0.0,
						last = 0.0,
						dlo = d[0],
						dhi = d[0];

			for (i = 0; i < n; i++)
			{
				dlo = fmin(dlo, d[i]);
				dhi = fmax(dhi, d[i]);
			}
			for (i = 0; i < n; i++)
			{
				s += a[i];
				first += d[i] == dlo ? a[i] : 0.0;
				last += d[i] == dhi ? a[i] : 0.0;
			}
			if ((s > 0.0 && first < 0.0) || (s < 0.0 && last > 0.0))
				fails++;
			else
				skipped++;
			continue;
		}
		/*
		 * Near r = -1 the double r holds 1 + r only to 1e-16/(1 + r) relative,
		 * which the NPV amplifies by the times in years: those rates (roots of the
		 * schedules with late outlays) are checked for their status only.
		 */
		if (1.0 + r < 1e-3)
		{
			near_minus_one++;
			continue;
		}
		v = fabs(npv(a, d, n, 365.0, r, &mag)) / mag;
		if (v > worst)
			worst = v;
	}
	UNIT_CHECK(fails == 0, "random: %d unexpected failures", fails);
	/* the generator is tuned so that nearly every schedule has a rate */
	UNIT_CHECK(skipped < 100 && near_minus_one < 200,
			   "random: %d schedules without a rate, %d near -100%%", skipped,
			   near_minus_one);
	UNIT_CHECK(worst < 1e-12, "random: worst |NPV| / sum |discounted a| %.3g", worst);
}

/*
 * Three falling roots: the present value of flows -1, 6.6, -14.27, 10.164 (periods
 * 0..3) is -(x - 1.1)(x - 1.2)(x - 1.4) / x^3, falling through zero at 10% and 40%
 * and rising at 20%: the falling root nearest the guess comes back.
 */
static void
test_guess(void)
{
	double		p[4] = {0, 1, 2, 3},
				a[4] = {-1.0, 3.7, -(1.1 * 1.2 + 1.1 * 1.4 + 1.2 * 1.4), 1.1 * 1.2 * 1.4},
				r;
	static const double guesses[] = {0.1, 0.0, 0.22, 0.28, 0.3, 0.5, 9.0};
	static const double want[] = {0.1, 0.1, 0.1, 0.4, 0.4, 0.4, 0.4};

	for (int i = 0; i < 7; i++)
	{
		int			st = cn_irr(a, p, 4, guesses[i], &r);

		UNIT_CHECK(st == CN_IRR_OK && unit_close(r, want[i], 1e-11, 1e-12),
				   "guess %g: %d %.17g want %g", guesses[i], st, r, want[i]);
	}
	UNIT_CHECK(cn_irr(a, p, 4, -1.0, &r) == CN_IRR_EARG, "guess -1 refused");
	UNIT_CHECK(cn_irr(a, p, 4, NAN, &r) == CN_IRR_EARG, "guess NaN refused");
}

/*
 * The flows of issue 11: both -99.990658% and +481.02% zero the NPV; the investment
 * doubled in weeks, and its rate is the one where the NPV falls: 4.8102.
 */
static void
test_issue_flows(void)
{
	double		a[] = {-2865.36, 2308.76, 97.75, 368.77, 129.51, 1959.69, 2481.90, -276.16,
	-144.49, -74.78},
				d[] = {0, 18, 88, 79, 216, 461, 397, 93, 563, 537},
				r,
				mag;
	int			st = cn_xirr(a, d, 10, 0.1, &r);

	UNIT_CHECK(st == CN_IRR_OK && fabs(r - 4.8102) < 1e-4, "issue flows: %d %.10g", st, r);
	UNIT_CHECK(fabs(npv(a, d, 10, 365.0, r, &mag)) / mag < 1e-12, "issue flows: NPV at %.10g", r);
	st = cn_xirr(a, d, 10, -0.9, &r);
	UNIT_CHECK(st == CN_IRR_OK && fabs(r - 4.8102) < 1e-4, "issue flows, guess -0.9: %.10g", r);
}

int
main(void)
{
	test_known();
	test_order();
	test_status();
	test_two_roots();
	test_guess();
	test_issue_flows();
	test_random();
	return unit_report("irr");
}
