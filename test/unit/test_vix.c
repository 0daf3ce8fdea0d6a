/*
 * test_vix.c -- the volatility index against Cboe's worked example
 * (test/reference/cboe_vix: two quote boards and the published results).
 *
 * The boards carry no dates, so as_of is the example's quote time, 2022-09-27 10:45:15
 * ET (14:45:15 UTC), and each expiry is as_of plus the README's minutes to expiration.
 * Tolerances: the README prints F to 5 decimals, sigma^2 to 9 and the index to 8, so F
 * is checked at 1e-5, T at 1e-7 (7 printed digits), sigma^2 at 1e-8 (the README's bar)
 * and the index at 1e-8 of its decimal value (0.13927842); the 2014 variant publishes
 * only 13.69, checked at its rounding, 0.005.
 */
#include "unit.h"
#include "vix.h"

#define AS_OF	INT64_C(717605115000000)	/* 2022-09-27 14:45:15 UTC */
#define MINUTE	INT64_C(60000000)

typedef struct board
{
	int			n;
	double		k[256],
				cb[256],
				ca[256],
				pb[256],
				pa[256];
} board;

/* Reads one tab-separated board (header line, then strike, call bid/ask, put bid/ask). */
static void
read_board(const char *file, board *b)
{
	char		line[1024];
	FILE	   *f = unit_ref_open(file);

	if (!fgets(line, sizeof(line), f))
	{
		fprintf(stderr, "FAIL reference file %s is empty\n", file);
		exit(2);
	}
	b->n = 0;
	while (fgets(line, sizeof(line), f) && b->n < 256)
	{
		char	   *s = line,
				   *e;
		double		v[5];
		int			j;

		for (j = 0; j < 5; j++)
		{
			v[j] = strtod(s, &e);
			if (e == s)
				break;
			s = e;
		}
		if (j < 5)
			continue;			/* blank or malformed line */
		b->k[b->n] = v[0];
		b->cb[b->n] = v[1];
		b->ca[b->n] = v[2];
		b->pb[b->n] = v[3];
		b->pa[b->n] = v[4];
		b->n++;
	}
	fclose(f);
}

/* Appends the board's 2n rows at the given expiry and rate; returns the new count. */
static int
add_board(cn_vix_row *rows, int n, const board *b, int64_t expiry, double rate)
{
	for (int i = 0; i < b->n; i++)
	{
		rows[n++] = (cn_vix_row) {expiry, 'C', b->k[i], b->cb[i], b->ca[i], rate};
		rows[n++] = (cn_vix_row) {expiry, 'P', b->k[i], b->pb[i], b->pa[i], rate};
	}
	return n;
}

static board near_b,
			next_b;
static cn_vix_row rows[4096];

static int
example(int64_t near_min, double r1, int64_t next_min, double r2)
{
	int			n = add_board(rows, 0, &near_b, AS_OF + near_min * MINUTE, r1);

	return add_board(rows, n, &next_b, AS_OF + next_min * MINUTE, r2);
}

static void
test_current(void)
{
	cn_vix_result res;
	char		err[256];
	int			n = example(34484, 0.00031664, 44954, 0.00028797);
	int			rc = cn_vix_compute(rows, n, AS_OF, 30, &res, err, sizeof(err));
	cn_vix_term *a = &res.term[0],
			   *b = &res.term[1];

	UNIT_CHECK(rc == CN_VIX_OK, "current example: rc %d %s", rc, err);
	UNIT_CHECK(res.nterms == 2, "nterms %d", res.nterms);
	UNIT_CHECK(a->minutes == 34484 && b->minutes == 44954, "minutes %g %g",
			   a->minutes, b->minutes);
	UNIT_CHECK(unit_close(a->t, 0.0656088, 0, 1e-7), "T1 %.10g", a->t);
	UNIT_CHECK(unit_close(b->t, 0.0855289, 0, 1e-7), "T2 %.10g", b->t);
	UNIT_CHECK(a->k_star == 1965 && b->k_star == 1960, "K* %g %g", a->k_star, b->k_star);
	UNIT_CHECK(unit_close(a->forward, 1962.89996, 0, 1e-5), "F1 %.10f", a->forward);
	UNIT_CHECK(unit_close(b->forward, 1962.40006, 0, 1e-5), "F2 %.10f", b->forward);
	UNIT_CHECK(a->k0 == 1960 && b->k0 == 1960, "K0 %g %g", a->k0, b->k0);
	UNIT_CHECK(unit_close(a->variance, 0.019233906, 0, 1e-8), "sigma1^2 %.12g err %.2e",
			   a->variance, a->variance - 0.019233906);
	UNIT_CHECK(unit_close(b->variance, 0.019423884, 0, 1e-8), "sigma2^2 %.12g err %.2e",
			   b->variance, b->variance - 0.019423884);
	UNIT_CHECK(unit_close(res.index / 100, 0.13927842, 0, 1e-8), "index %.12g",
			   res.index);
	UNIT_CHECK(fabs(res.index - 13.93) <= 0.005, "index %.4f rounds to 13.93", res.index);

	/*
	 * The strip ends read off the boards: near puts end at 1370 (1365 and 1360 are two
	 * zero bids), near calls at 2125 (2120's zero bid skipped, 2150 and 2175 end it);
	 * next puts end at 1275 (1250, 1225), next calls at 2200 (2225, 2250).
	 */
	UNIT_CHECK(a->k_low == 1370 && a->k_high == 2125, "near strip %g..%g",
			   a->k_low, a->k_high);
	UNIT_CHECK(b->k_low == 1275 && b->k_high == 2200, "next strip %g..%g",
			   b->k_low, b->k_high);
	UNIT_CHECK(unit_close(a->weight + b->weight, 1, 1e-15, 0) &&
			   unit_close(a->weight, (44954.0 - 43200) / (44954 - 34484), 1e-15, 0),
			   "weights %.17g %.17g", a->weight, b->weight);
	UNIT_CHECK(res.rows_used == 2 * (near_b.n + next_b.n) && res.rows_skipped == 0,
			   "rows used %d skipped %d", res.rows_used, res.rows_skipped);
	printf("# current: F %.8f %.8f sigma^2 %.10f (%+.1e) %.10f (%+.1e) index %.8f\n",
		   a->forward, b->forward, a->variance, a->variance - 0.019233906, b->variance,
		   b->variance - 0.019423884, res.index);
}

static void
test_2014(void)
{
	cn_vix_result res;
	char		err[256];
	int			n = example(35924, 0.000305, 46394, 0.000286);
	int			rc = cn_vix_compute(rows, n, AS_OF, 30, &res, err, sizeof(err));

	UNIT_CHECK(rc == CN_VIX_OK, "2014 example: rc %d %s", rc, err);
	UNIT_CHECK(unit_close(res.term[0].forward, 1962.89996, 0, 1e-5), "F1 %.10f",
			   res.term[0].forward);
	UNIT_CHECK(unit_close(res.term[1].forward, 1962.40006, 0, 1e-5), "F2 %.10f",
			   res.term[1].forward);
	UNIT_CHECK(res.term[0].k0 == 1960 && res.term[1].k0 == 1960, "K0");
	UNIT_CHECK(fabs(res.index - 13.69) <= 0.005, "2014 index %.8f, published 13.69",
			   res.index);
	printf("# 2014: sigma^2 %.10f %.10f index %.8f\n", res.term[0].variance,
		   res.term[1].variance, res.index);
}

/* Row order, extra ineligible expiries and the float8 packing change nothing. */
static void
test_invariance(void)
{
	cn_vix_result ref,
				res;
	char		err[256];
	int			n = example(34484, 0.00031664, 44954, 0.00028797);
	int			rc;
	unsigned	seed = 12345;
	double		packed[CN_VIX_ROW_WIDTH];

	rc = cn_vix_compute(rows, n, AS_OF, 30, &ref, err, sizeof(err));
	UNIT_CHECK(rc == CN_VIX_OK, "reference: %s", err);

	/* Deterministic Fisher-Yates shuffle (LCG). */
	for (int i = n - 1; i > 0; i--)
	{
		int			j;
		cn_vix_row	tmp;

		seed = seed * 1103515245u + 12345u;
		j = (int) ((seed >> 8) % (unsigned) (i + 1));
		tmp = rows[i];
		rows[i] = rows[j];
		rows[j] = tmp;
	}
	rc = cn_vix_compute(rows, n, AS_OF, 30, &res, err, sizeof(err));
	UNIT_CHECK(rc == CN_VIX_OK && res.index == ref.index &&
			   res.term[0].variance == ref.term[0].variance &&
			   res.term[1].variance == ref.term[1].variance,
			   "shuffled rows: %.17g vs %.17g", res.index, ref.index);

	/* Lower-case cp, an expired expiry, one under a day away, and one far away. */
	n = example(34484, 0.00031664, 44954, 0.00028797);
	for (int i = 0; i < n; i++)
		if (i % 3 == 0)
			rows[i].cp += 'a' - 'A';
	n = add_board(rows, n, &next_b, AS_OF - 10 * MINUTE, 0.01);
	n = add_board(rows, n, &near_b, AS_OF + 1439 * MINUTE, 0.02);
	n = add_board(rows, n, &near_b, AS_OF + 90 * 1440 * MINUTE, 0.03);
	rc = cn_vix_compute(rows, n, AS_OF, 30, &res, err, sizeof(err));
	UNIT_CHECK(rc == CN_VIX_OK && res.index == ref.index,
			   "with extra expiries: rc %d %s index %.17g vs %.17g", rc, err, res.index,
			   ref.index);

	/*
	 * A side that is not quoted (NaN bid) is neither a zero bid nor a quote: making the
	 * near 1365 put unquoted leaves 1360 a lone zero bid, so the walk goes on past
	 * 1355 and 1350 and ends at the zero bids of 1345 and 1340.
	 */
	n = example(34484, 0.00031664, 44954, 0.00028797);
	for (int i = 0; i < n; i++)
		if (rows[i].cp == 'P' && rows[i].strike == 1365 &&
			rows[i].expiry == AS_OF + 34484 * MINUTE)
			rows[i].bid = NAN;
	rc = cn_vix_compute(rows, n, AS_OF, 30, &res, err, sizeof(err));
	UNIT_CHECK(rc == CN_VIX_OK && res.rows_skipped == 1 && res.term[0].k_low == 1350 &&
			   res.term[0].variance > ref.term[0].variance,
			   "unquoted 1365 put: rc %d skipped %d low %g", rc, res.rows_skipped,
			   res.term[0].k_low);

	/* An expiry exactly one day away is eligible: target 1 day uses it alone. */
	n = add_board(rows, 0, &near_b, AS_OF + 1440 * MINUTE, 0.0);
	rc = cn_vix_compute(rows, n, AS_OF, 1, &res, err, sizeof(err));
	UNIT_CHECK(rc == CN_VIX_OK && res.nterms == 1 && res.term[0].minutes == 1440,
			   "one-day expiry: rc %d %s", rc, err);

	/* float8[] packing round trip */
	n = example(34484, 0.00031664, 44954, 0.00028797);
	for (int i = 0; i < n; i++)
	{
		cn_vix_row	back;

		cn_vix_row_to_float8(&rows[i], packed);
		UNIT_CHECK(cn_vix_row_from_float8(packed, &back) &&
				   back.expiry == rows[i].expiry && back.cp == rows[i].cp &&
				   back.strike == rows[i].strike && back.bid == rows[i].bid &&
				   back.ask == rows[i].ask && back.rate == rows[i].rate,
				   "float8 round trip row %d", i);
	}
	packed[1] = 0.5;
	UNIT_CHECK(!cn_vix_row_from_float8(packed, &(cn_vix_row) {0}), "cp 0.5 rejected");
	packed[1] = 1;
	packed[0] = 1.5;
	UNIT_CHECK(!cn_vix_row_from_float8(packed, &(cn_vix_row) {0}),
			   "fractional expiry rejected");
}

/* Other targets: the bracketing pair, the exact match, the weights. */
static void
test_targets(void)
{
	cn_vix_result res,
				one;
	char		err[256];
	int			n;
	int			rc;

	/* Expiries at 3, 7, 14 and 20 days; a 9-day target uses 7 and 14. */
	n = add_board(rows, 0, &near_b, AS_OF + 3 * 1440 * MINUTE, 0.0003);
	n = add_board(rows, n, &near_b, AS_OF + 7 * 1440 * MINUTE, 0.0003);
	n = add_board(rows, n, &next_b, AS_OF + 14 * 1440 * MINUTE, 0.0003);
	n = add_board(rows, n, &next_b, AS_OF + 20 * 1440 * MINUTE, 0.0003);
	rc = cn_vix_compute(rows, n, AS_OF, 9, &res, err, sizeof(err));
	UNIT_CHECK(rc == CN_VIX_OK && res.nterms == 2 &&
			   res.term[0].minutes == 7 * 1440 && res.term[1].minutes == 14 * 1440,
			   "9-day target: rc %d %s terms %g %g", rc, err, res.term[0].minutes,
			   res.term[1].minutes);
	UNIT_CHECK(unit_close(res.term[0].weight, 5.0 / 7, 1e-15, 0) &&
			   unit_close(res.term[1].weight, 2.0 / 7, 1e-15, 0), "9-day weights %g %g",
			   res.term[0].weight, res.term[1].weight);
	/* sigma^2 T interpolates linearly in minutes, annualised over the 9 days. */
	UNIT_CHECK(unit_close(res.variance,
						  (res.term[0].variance * 7 * 5 / 7 +
						   res.term[1].variance * 14 * 2 / 7) / 9, 1e-14, 0),
			   "9-day variance %.17g", res.variance);

	/* Target exactly on an expiry: that term alone, index = 100 sigma. */
	rc = cn_vix_compute(rows, n, AS_OF, 7, &one, err, sizeof(err));
	UNIT_CHECK(rc == CN_VIX_OK && one.nterms == 1 && one.term[0].weight == 1 &&
			   one.term[0].minutes == 7 * 1440 &&
			   unit_close(one.index, 100 * sqrt(one.term[0].variance), 1e-15, 0),
			   "7-day target: rc %d nterms %d index %.17g", rc, one.nterms, one.index);
	UNIT_CHECK(one.term[0].variance == res.term[0].variance, "same 7-day term");

	/* Target in the current example's near term alone (34484 minutes). */
	n = example(34484, 0.00031664, 44954, 0.00028797);
	rc = cn_vix_compute(rows, n, AS_OF, 34484.0 / 1440, &one, err, sizeof(err));
	UNIT_CHECK(rc == CN_VIX_OK && one.nterms == 1 &&
			   unit_close(one.term[0].variance, 0.019233906, 0, 1e-8),
			   "near-term target: rc %d %s", rc, err);
}

static int
expect_error(cn_vix_row *r, int n, double target, int want, const char *needle)
{
	cn_vix_result res;
	char		err[256];
	int			rc = cn_vix_compute(r, n, AS_OF, target, &res, err, sizeof(err));

	UNIT_CHECK(rc == want && strstr(err, needle) != NULL,
			   "want error %d containing \"%s\", got %d \"%s\"", want, needle, rc, err);
	return rc;
}

static void
test_errors(void)
{
	int64_t		e1 = AS_OF + 34484 * MINUTE;
	int64_t		e2 = AS_OF + 44954 * MINUTE;
	cn_vix_row	small[8];
	int			n;

	n = add_board(rows, 0, &near_b, e1, 0.0003);
	expect_error(rows, n, 30, CN_VIX_ENONEXT, "no expiry more than 30 days");
	n = add_board(rows, 0, &next_b, e2, 0.0003);
	expect_error(rows, n, 30, CN_VIX_ENONEAR, "at most 30 days");
	expect_error(rows, n, 0, CN_VIX_EARG, "target days");
	expect_error(rows, n, NAN, CN_VIX_EARG, "target days");
	expect_error(rows, 0, 30, CN_VIX_EARG, "no quote rows");

	n = example(34484, 0.00031664, 44954, 0.00028797);
	rows[5].cp = 'X';
	expect_error(rows, n, 30, CN_VIX_EROW, "cp \"X\"");
	n = example(34484, 0.00031664, 44954, 0.00028797);
	rows[7].strike = -1;
	expect_error(rows, n, 30, CN_VIX_EROW, "strike -1");
	n = example(34484, 0.00031664, 44954, 0.00028797);
	rows[n] = rows[3];
	expect_error(rows, n + 1, 30, CN_VIX_EDUP, "two quotes for the put at strike 900");
	n = example(34484, 0.00031664, 44954, 0.00028797);
	rows[2].rate = 0.01;
	expect_error(rows, n, 30, CN_VIX_ERATE, "2022-10-21 13:29:15 UTC (34484 minutes)");

	/* The near term without its puts: no strike has both sides. */
	n = 0;
	for (int i = 0; i < near_b.n; i++)
		rows[n++] = (cn_vix_row) {e1, 'C', near_b.k[i], near_b.cb[i], near_b.ca[i], 0};
	n = add_board(rows, n, &next_b, e2, 0);
	expect_error(rows, n, 30, CN_VIX_ENOPAIR, "no strike has both a call and a put");

	/* Forward below every strike: K*=100 gives F = 100 + (1 - 5) = 96. */
	small[0] = (cn_vix_row) {e1, 'C', 100, 0.9, 1.1, 0};
	small[1] = (cn_vix_row) {e1, 'P', 100, 4.9, 5.1, 0};
	small[2] = (cn_vix_row) {e1, 'C', 110, 0.1, 0.2, 0};
	small[3] = (cn_vix_row) {e1, 'P', 110, 14, 15, 0};
	expect_error(small, 4, 34484.0 / 1440, CN_VIX_ENOK0, "no quoted strike at or below");

	/* Only K0 remains: the one call above it has a zero bid. */
	small[0] = (cn_vix_row) {e1, 'C', 100, 5.9, 6.1, 0};
	small[1] = (cn_vix_row) {e1, 'P', 100, 0.9, 1.1, 0};
	small[2] = (cn_vix_row) {e1, 'C', 110, 0.0, 0.2, 0};
	small[3] = (cn_vix_row) {e1, 'P', 110, 4.9, 5.1, 0};
	expect_error(small, 4, 34484.0 / 1440, CN_VIX_ESTRIP, "fewer than 2 strikes");

	/*
	 * F = 149 far above K0 = 100 whose only quoted side is a 0.01 put (the call is
	 * crossed, so not quoted): (F/K0 - 1)^2 outweighs the strip.
	 */
	small[0] = (cn_vix_row) {e1, 'C', 100, 1.0, 0.5, 0};
	small[1] = (cn_vix_row) {e1, 'P', 100, 0.01, 0.01, 0};
	small[2] = (cn_vix_row) {e1, 'C', 150, 0.4, 0.6, 0};
	small[3] = (cn_vix_row) {e1, 'P', 150, 1.4, 1.6, 0};
	expect_error(small, 4, 34484.0 / 1440, CN_VIX_EVAR, "not positive");
}

int
main(void)
{
	read_board("cboe_vix/near_term.tsv", &near_b);
	read_board("cboe_vix/next_term.tsv", &next_b);
	UNIT_CHECK(near_b.n == 185 && next_b.n == 128, "boards: %d and %d strikes",
			   near_b.n, next_b.n);
	test_current();
	test_2014();
	test_invariance();
	test_targets();
	test_errors();
	return unit_report("vix");
}
