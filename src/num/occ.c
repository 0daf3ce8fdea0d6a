/*
 * occ.c -- reading and writing OCC option symbols (see occ.h).
 */
#include "occ.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define TAIL_LEN	15			/* yymmdd + C/P + 8 strike digits */

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return 0;
	return 1;
}

static int
digits_value(const char *s, size_t n)
{
	int			v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

int
cn_occ_root_ok(const char *root, size_t len)
{
	int			letters = 0;

	if (len < 1 || len > CN_OCC_ROOT_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
	{
		if (root[i] >= 'A' && root[i] <= 'Z')
			letters++;
		else if (!is_digit(root[i]))
			return 0;
	}
	return letters > 0;
}

static int
days_in_month(int y, int m)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return 29;
	return mdays[m - 1];
}

static int	parse_osi(const char *s, size_t len, cn_occ *out, char *why, size_t whylen);

/* The expiry yymmdd at t (6 characters) into out; -1 with a reason when it is no date. */
static int
parse_expiry(const char *t, cn_occ *out, char *why, size_t whylen)
{
	if (!all_digits(t, 6))
	{
		snprintf(why, whylen, "The expiry \"%.6s\" is not six digits (yymmdd).", t);
		return -1;
	}
	out->year = 2000 + digits_value(t, 2);
	out->month = digits_value(t + 2, 2);
	out->day = digits_value(t + 4, 2);
	if (out->month < 1 || out->month > 12)
	{
		snprintf(why, whylen, "The expiry \"%.6s\" has month %02d.", t, out->month);
		return -1;
	}
	if (out->day < 1 || out->day > days_in_month(out->year, out->month))
	{
		snprintf(why, whylen, "The expiry \"%.6s\" is not a date: %04d-%02d has no day %02d.",
				 t, out->year, out->month, out->day);
		return -1;
	}
	return 0;
}

/*
 * The decimal form many platforms print: root, yymmdd, C or P, and the strike as a
 * plain decimal number ("SPXW251031C5800", "SPY251031P450.5"), with a leading dot in
 * the older OPRA style (".SPXW251031C5800").
 */
static int
parse_decimal(const char *s, size_t len, cn_occ *out, char *why, size_t whylen)
{
	size_t		k = len,
				rootlen;
	int64_t		milli = 0;
	int			decimals = -1;

	while (k > 0 && (is_digit(s[k - 1]) || s[k - 1] == '.'))
		k--;
	if (k == 0 || (s[k - 1] != 'C' && s[k - 1] != 'P'))
	{
		snprintf(why, whylen, "No C or P followed by the strike was found in \"%.*s\".",
				 (int) len, s);
		return -1;
	}
	if (k == len)
	{
		snprintf(why, whylen, "The strike after %c is missing.", s[k - 1]);
		return -1;
	}
	for (size_t i = k; i < len; i++)
	{
		if (s[i] == '.')
		{
			if (decimals >= 0)
			{
				snprintf(why, whylen, "The strike \"%.*s\" has two decimal points.",
						 (int) (len - k), s + k);
				return -1;
			}
			decimals = 0;
			continue;
		}
		if (decimals >= 0 && ++decimals > 3)
		{
			snprintf(why, whylen, "The strike \"%.*s\" has more than three decimals.",
					 (int) (len - k), s + k);
			return -1;
		}
		milli = milli * 10 + (s[i] - '0');
		if (milli > CN_OCC_STRIKE_MAX)
		{
			snprintf(why, whylen, "The strike \"%.*s\" is above 99999.999.", (int) (len - k),
					 s + k);
			return -1;
		}
	}
	for (int d = decimals < 0 ? 0 : decimals; d < 3; d++)
		milli *= 10;
	if (milli > CN_OCC_STRIKE_MAX || milli == 0)
	{
		snprintf(why, whylen, milli == 0 ? "The strike is zero." :
				 "The strike \"%.*s\" is above 99999.999.", (int) (len - k), s + k);
		return -1;
	}
	out->cp = s[k - 1];
	if (k - 1 < 7)
	{
		snprintf(why, whylen, "A root and the expiry (yymmdd) must come before %c.", s[k - 1]);
		return -1;
	}
	if (parse_expiry(s + k - 7, out, why, whylen) != 0)
		return -1;
	rootlen = k - 7;
	if (!cn_occ_root_ok(s, rootlen))
	{
		snprintf(why, whylen, "The root \"%.*s\" is not 1 to 6 upper-case letters or digits, one at least a letter.",
				 (int) rootlen, s);
		return -1;
	}
	memcpy(out->root, s, rootlen);
	out->root[rootlen] = '\0';
	out->strike_milli = milli;
	return 0;
}

int
cn_occ_parse(const char *s, size_t len, cn_occ *out, char *why, size_t whylen)
{
	if (len > 0 && s[0] == '.')
		return parse_decimal(s + 1, len - 1, out, why, whylen);
	/*
	 * Without spaces, and without the OSI ending (C or P, then eight digits), the strike
	 * is written as a decimal: "SPXW251031C5800".  Eight digits cannot be a decimal
	 * strike (it would exceed 99999.999), so the two forms never read one text.
	 */
	if (memchr(s, ' ', len) == NULL && len >= 9 &&
		!((s[len - 9] == 'C' || s[len - 9] == 'P') && all_digits(s + len - 8, 8)) &&
		(memchr(s, 'C', len) != NULL || memchr(s, 'P', len) != NULL))
		return parse_decimal(s, len, out, why, whylen);
	return parse_osi(s, len, out, why, whylen);
}

/* The 21-character form, or that form without its padding. */
static int
parse_osi(const char *s, size_t len, cn_occ *out, char *why, size_t whylen)
{
	const char *tail;
	size_t		head,
				rootlen;

	if (len < 1 + TAIL_LEN)
	{
		snprintf(why, whylen, "It has %zu characters; a symbol has a root of 1 to 6 characters, "
				 "then 15: the expiry (yymmdd), C or P, and the strike times 1000 in 8 digits.", len);
		return -1;
	}
	if (len > CN_OCC_LEN)
	{
		snprintf(why, whylen, "It has %zu characters; a symbol has at most %d.", len, CN_OCC_LEN);
		return -1;
	}
	head = len - TAIL_LEN;
	tail = s + head;

	/* the root, then spaces only in the padded form, which is exactly 21 characters */
	for (rootlen = 0; rootlen < head && s[rootlen] != ' '; rootlen++)
		;
	if (rootlen == 0)
	{
		snprintf(why, whylen, "The root is missing: the symbol starts with %s.",
				 s[0] == ' ' ? "a space" : "the expiry");
		return -1;
	}
	if (rootlen < head)
	{
		for (size_t i = rootlen; i < head; i++)
			if (s[i] != ' ')
			{
				snprintf(why, whylen, "The root \"%.*s\" contains a space.", (int) head, s);
				return -1;
			}
		if (len != CN_OCC_LEN)
		{
			snprintf(why, whylen, "The root is padded to %zu characters; the padded form pads it "
					 "to 6 (21 characters in all), the compact form not at all.", head);
			return -1;
		}
	}
	if (!cn_occ_root_ok(s, rootlen))
	{
		snprintf(why, whylen, "The root \"%.*s\" is not 1 to 6 upper-case letters or digits, one at least a letter.",
				 (int) rootlen, s);
		return -1;
	}
	if (parse_expiry(tail, out, why, whylen) != 0)
		return -1;
	if (tail[6] != 'C' && tail[6] != 'P')
	{
		snprintf(why, whylen, "The option type \"%c\" is not C or P.", tail[6]);
		return -1;
	}
	out->cp = tail[6];
	if (!all_digits(tail + 7, 8))
	{
		snprintf(why, whylen, "The strike \"%.8s\" is not eight digits (the strike times 1000).",
				 tail + 7);
		return -1;
	}
	out->strike_milli = digits_value(tail + 7, 8);
	if (out->strike_milli == 0)
	{
		snprintf(why, whylen, "The strike is zero.");
		return -1;
	}
	memcpy(out->root, s, rootlen);
	out->root[rootlen] = '\0';
	return 0;
}

int
cn_occ_strike_milli(double strike, int64_t *milli)
{
	double		m;

	if (!isfinite(strike) || !(strike > 0) || strike > CN_OCC_STRIKE_MAX / 1000.0)
		return 2;
	m = nearbyint(strike * 1000.0);
	/*
	 * A strike of three decimals is the double nearest k/1000 for a whole k, and k/1000.0
	 * (one correctly rounded division) is that double: comparing it with the argument
	 * accepts exactly the doubles that text like "5800.125" gives.
	 */
	if (m < 1 || m / 1000.0 != strike)
		return 1;
	*milli = (int64_t) m;
	return 0;
}

void
cn_occ_format(const cn_occ *o, char *buf)
{
	size_t		n = strlen(o->root);
	int64_t		k = o->strike_milli;
	int			yy = o->year % 100;

	memcpy(buf, o->root, n);
	memset(buf + n, ' ', CN_OCC_ROOT_MAX - n);
	buf[6] = '0' + yy / 10;
	buf[7] = '0' + yy % 10;
	buf[8] = '0' + o->month / 10;
	buf[9] = '0' + o->month % 10;
	buf[10] = '0' + o->day / 10;
	buf[11] = '0' + o->day % 10;
	buf[12] = o->cp;
	for (int i = 20; i >= 13; i--, k /= 10)
		buf[i] = '0' + (int) (k % 10);
	buf[CN_OCC_LEN] = '\0';
}
