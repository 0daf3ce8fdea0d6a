/*
 * test_occ.c -- unit tests of OCC symbol reading and writing (src/num/occ.c).
 *
 * 1. Known symbols, typed by hand, read field by field.
 * 2. 20,000 random contracts: written, read back in the padded and the compact form,
 *    and compared field by field; every written symbol has the OSI layout.
 * 3. Malformed symbols, each refused with a reason naming the faulty part.
 * 4. Strikes: three decimals accepted exactly as text gives them, a fourth refused.
 */
#include "unit.h"
#include "occ.h"

static unsigned long long rng_state = 0x2545F4914F6CDD1DULL;

static unsigned long long
rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static int
parse(const char *s, cn_occ *o, char *why)
{
	return cn_occ_parse(s, strlen(s), o, why, 256);
}

static void
test_known(void)
{
	cn_occ		o;
	char		why[256];

	UNIT_CHECK(parse("SPXW  251031C05800000", &o, why) == 0 && strcmp(o.root, "SPXW") == 0 &&
			   o.year == 2025 && o.month == 10 && o.day == 31 && o.cp == 'C' &&
			   o.strike_milli == 5800000, "SPXW 5800 call");
	UNIT_CHECK(parse("SPXW251031C05800000", &o, why) == 0 && strcmp(o.root, "SPXW") == 0 &&
			   o.strike_milli == 5800000, "compact SPXW");
	/* the decimal forms, with and without the OPRA dot */
	UNIT_CHECK(parse("SPXW251031C5800", &o, why) == 0 && strcmp(o.root, "SPXW") == 0 &&
			   o.year == 2025 && o.month == 10 && o.day == 31 && o.cp == 'C' &&
			   o.strike_milli == 5800000, "decimal SPXW: %s", why);
	UNIT_CHECK(parse(".SPXW251031C5800", &o, why) == 0 && strcmp(o.root, "SPXW") == 0 &&
			   o.strike_milli == 5800000, "dotted SPXW: %s", why);
	UNIT_CHECK(parse("SPY251031P450.5", &o, why) == 0 && strcmp(o.root, "SPY") == 0 &&
			   o.cp == 'P' && o.strike_milli == 450500, "SPY 450.5 put: %s", why);
	UNIT_CHECK(parse(".X991231C0.001", &o, why) == 0 && o.year == 2099 && o.strike_milli == 1,
			   "dotted 0.001: %s", why);
	UNIT_CHECK(parse("AAPL1251031C150", &o, why) == 0 && strcmp(o.root, "AAPL1") == 0 &&
			   o.strike_milli == 150000, "adjusted root: %s", why);
	UNIT_CHECK(parse("SPY251031P450.1234", &o, why) != 0, "four decimals refused");
	UNIT_CHECK(parse("SPY251031P4.5.0", &o, why) != 0, "two points refused");
	UNIT_CHECK(parse(".SPY251031P0", &o, why) != 0, "zero strike refused");
	UNIT_CHECK(parse(".SPY251031P100000", &o, why) != 0, "strike above 99999.999 refused");
	UNIT_CHECK(parse(".SPY251331P100", &o, why) != 0, "month 13 refused");
	UNIT_CHECK(parse(".251031P100", &o, why) != 0, "no root refused");
	UNIT_CHECK(parse(".spy251031P100", &o, why) != 0, "lower-case root refused");
	UNIT_CHECK(parse("SPY251031X100", &o, why) != 0, "no C or P refused");
	UNIT_CHECK(parse("SPY   260116P00450500", &o, why) == 0 && strcmp(o.root, "SPY") == 0 &&
			   o.year == 2026 && o.month == 1 && o.day == 16 && o.cp == 'P' &&
			   o.strike_milli == 450500, "SPY 450.5 put");
	UNIT_CHECK(parse("VIX   251022C00017500", &o, why) == 0 && o.strike_milli == 17500, "VIX 17.5 call");
	UNIT_CHECK(parse("BRKB  240119C00400000", &o, why) == 0 && strcmp(o.root, "BRKB") == 0, "BRKB");
	UNIT_CHECK(parse("GOOGL1240119C00000500", &o, why) == 0 && strcmp(o.root, "GOOGL1") == 0 &&
			   o.strike_milli == 500, "six-character root, 0.5 strike");
	UNIT_CHECK(parse("F     000229P99999999", &o, why) == 0 && o.year == 2000 && o.month == 2 &&
			   o.day == 29 && o.strike_milli == 99999999, "leap day 2000, largest strike");
	UNIT_CHECK(parse("F991231C00000001", &o, why) == 0 && o.year == 2099 && o.strike_milli == 1,
			   "compact one-letter root, 2099, 0.001");
}

static void
test_round_trip(void)
{
	static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	int			bad = 0,
				n = 20000;

	for (int i = 0; i < n; i++)
	{
		cn_occ		o,
					p,
					q;
		char		buf[CN_OCC_LEN + 1],
					compact[CN_OCC_LEN + 1],
					why[256];
		int			rl = 1 + (int) (rng_next() % 6),
					k = 0;

		for (int j = 0; j < rl; j++)
			o.root[j] = alnum[rng_next() % (j == 0 ? 26 : 36)];
		o.root[rl] = '\0';
		o.year = 2000 + (int) (rng_next() % 100);
		o.month = 1 + (int) (rng_next() % 12);
		o.day = 1 + (int) (rng_next() % 28);
		o.cp = rng_next() % 2 ? 'C' : 'P';
		o.strike_milli = 1 + (int64_t) (rng_next() % CN_OCC_STRIKE_MAX);
		cn_occ_format(&o, buf);
		if (strlen(buf) != CN_OCC_LEN || strncmp(buf, o.root, rl) != 0)
			bad++;
		for (int j = rl; j < 6; j++)
			bad += buf[j] != ' ';
		for (int j = 0; j < CN_OCC_LEN; j++)
			if (buf[j] != ' ')
				compact[k++] = buf[j];
		compact[k] = '\0';
		if (parse(buf, &p, why) != 0 || parse(compact, &q, why) != 0)
		{
			bad++;
			UNIT_CHECK(0, "%s or %s refused: %s", buf, compact, why);
			continue;
		}
		if (strcmp(p.root, o.root) || p.year != o.year || p.month != o.month ||
			p.day != o.day || p.cp != o.cp || p.strike_milli != o.strike_milli ||
			strcmp(q.root, o.root) || q.year != o.year || q.month != o.month ||
			q.day != o.day || q.cp != o.cp || q.strike_milli != o.strike_milli)
			bad++;
		/* the decimal form, trailing zeros of the decimals dropped, with or without a dot */
		{
			char		dec[40];
			int64_t		w = o.strike_milli / 1000,
						f = o.strike_milli % 1000;
			int			len = snprintf(dec, sizeof(dec), "%s%s%02d%02d%02d%c%lld",
									   rng_next() % 2 ? "." : "", o.root, o.year % 100,
									   o.month, o.day, o.cp, (long long) w);

			if (f != 0)
			{
				len += snprintf(dec + len, sizeof(dec) - len, ".%03lld", (long long) f);
				while (dec[len - 1] == '0')
					dec[--len] = '\0';
			}
			if (parse(dec, &q, why) != 0 || strcmp(q.root, o.root) || q.year != o.year ||
				q.month != o.month || q.day != o.day || q.cp != o.cp ||
				q.strike_milli != o.strike_milli)
			{
				bad++;
				UNIT_CHECK(0, "decimal form %s: %s", dec, why);
			}
		}
		/* the strike as a double comes back to the same thousandths */
		{
			int64_t		m;

			if (cn_occ_strike_milli(o.strike_milli / 1000.0, &m) != 0 || m != o.strike_milli)
				bad++;
		}
	}
	UNIT_CHECK(bad == 0, "%d of %d random symbols fail the round trip", bad, n);
}

static void
test_malformed(void)
{
	static const struct
	{
		const char *sym;
		const char *reason;		/* a part of the reason */
	}			cases[] = {
		{"", "0 characters"},
		{"SPXW", "4 characters"},
		{"251031C05800000", "15 characters"},
		{"      251031C05800000", "starts with a space"},
		{"1251031C05800000", "1 to 6 upper-case"},
		{"SPXWXYZ251031C05800000", "at most 21"},
		{" SPXW 251031C05800000", "starts with a space"},
		{"SP XW 251031C05800000", "contains a space"},
		{"SPXW 251031C05800000", "padded to 5"},
		{"SPXW   251031C05800000", "at most 21"},
		{"spxw  251031C05800000", "upper-case"},
		{"SPX.W 251031C05800000", "upper-case"},
		{"SPXW  25103XC05800000", "six digits"},
		{"SPXW  251331C05800000", "month 13"},
		{"SPXW  250230C05800000", "no day 30"},
		{"SPXW  250229C05800000", "no day 29"},
		{"SPXW  251000C05800000", "no day 00"},
		{"SPXW  251031X05800000", "not C or P"},
		{"SPXW  251031c05800000", "not C or P"},
		{"SPXW  251031C0580000X", "eight digits"},
		{"SPXW  251031C-5800000", "eight digits"},
		{"SPXW  251031C00000000", "zero"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
	{
		cn_occ		o;
		char		why[256] = "";
		int			rc = parse(cases[i].sym, &o, why);

		UNIT_CHECK(rc != 0 && strstr(why, cases[i].reason) != NULL,
				   "\"%s\": rc %d, reason \"%s\", want \"%s\"", cases[i].sym, rc, why,
				   cases[i].reason);
	}
	UNIT_CHECK(parse("SPXW  240229C05800000", &(cn_occ) {0}, (char[256]) {0}) == 0,
			   "2024-02-29 is a date");
}

static void
test_strikes(void)
{
	int64_t		m = -1;

	UNIT_CHECK(cn_occ_strike_milli(5800.125, &m) == 0 && m == 5800125, "5800.125");
	UNIT_CHECK(cn_occ_strike_milli(0.001, &m) == 0 && m == 1, "0.001");
	UNIT_CHECK(cn_occ_strike_milli(99999.999, &m) == 0 && m == 99999999, "99999.999");
	UNIT_CHECK(cn_occ_strike_milli(17.5, &m) == 0 && m == 17500, "17.5");
	UNIT_CHECK(cn_occ_strike_milli(0.1 + 0.2, &m) == 1, "0.1 + 0.2 is not 0.3");
	UNIT_CHECK(cn_occ_strike_milli(5800.1255, &m) == 1, "four decimals");
	UNIT_CHECK(cn_occ_strike_milli(0.0004, &m) == 1, "0.0004");
	UNIT_CHECK(cn_occ_strike_milli(100000, &m) == 2, "100000");
	UNIT_CHECK(cn_occ_strike_milli(99999.9991, &m) == 2, "above 99999.999");
	UNIT_CHECK(cn_occ_strike_milli(0, &m) == 2, "0");
	UNIT_CHECK(cn_occ_strike_milli(-5, &m) == 2, "-5");
	UNIT_CHECK(cn_occ_strike_milli(NAN, &m) == 2, "NaN");
	UNIT_CHECK(cn_occ_strike_milli(INFINITY, &m) == 2, "Infinity");
	/* every thousandth from 0.001 to 1000 and near the top reads back exactly */
	{
		int			bad = 0;

		for (int64_t k = 1; k <= 1000000; k++)
			if (cn_occ_strike_milli(k / 1000.0, &m) != 0 || m != k)
				bad++;
		for (int64_t k = CN_OCC_STRIKE_MAX - 100000; k <= CN_OCC_STRIKE_MAX; k++)
			if (cn_occ_strike_milli(k / 1000.0, &m) != 0 || m != k)
				bad++;
		UNIT_CHECK(bad == 0, "%d thousandths do not read back", bad);
	}
}

int
main(void)
{
	test_known();
	test_round_trip();
	test_malformed();
	test_strikes();
	return unit_report("occ");
}
