/*
 * occ.h -- OCC option symbols (the Options Symbology Initiative format), plain C.
 *
 * The 21-character form: the root left-aligned in 6 characters and padded with spaces,
 * the expiry as yymmdd (years 2000-2099), C or P, and the strike times 1000 as 8 digits:
 * "SPXW  251031C05800000" is the SPXW 5800 call expiring 2025-10-31.  Many vendors
 * print it without the padding ("SPXW251031C05800000"), many platforms with the strike
 * as a plain decimal ("SPXW251031C5800", "SPY251031P450.5"), the older OPRA style with
 * a leading dot (".SPXW251031C5800"): all of these are read; the 21-character form is
 * written.
 */
#ifndef CONDOR_OCC_H
#define CONDOR_OCC_H

#include <stddef.h>
#include <stdint.h>

#define CN_OCC_LEN			21
#define CN_OCC_ROOT_MAX		6
#define CN_OCC_STRIKE_MAX	INT64_C(99999999)	/* 99999.999 in thousandths */

typedef struct cn_occ
{
	char		root[CN_OCC_ROOT_MAX + 1];	/* 1 to 6 of A-Z 0-9 (a letter among them), NUL-terminated */
	int			year;			/* 2000 to 2099 */
	int			month;
	int			day;
	char		cp;				/* 'C' or 'P' */
	int64_t		strike_milli;	/* strike x 1000, 1 to CN_OCC_STRIKE_MAX */
} cn_occ;

/*
 * Read s[0..len) in any of those forms.  0 on success; otherwise -1 with a sentence saying what
 * is wrong written to why (a buffer of whylen bytes).
 */
extern int	cn_occ_parse(const char *s, size_t len, cn_occ *out, char *why, size_t whylen);

/* 1 when root[0..len) is 1 to 6 upper-case letters or digits, at least one a letter. */
extern int	cn_occ_root_ok(const char *root, size_t len);

/*
 * The strike in thousandths: 0 and *milli set when strike is a whole number of
 * thousandths in (0, 99999.999]; 1 when it has more than three decimals; 2 when it is
 * not above 0 or above 99999.999 (or not finite).
 */
extern int	cn_occ_strike_milli(double strike, int64_t *milli);

/* Write the 21-character symbol and a NUL to buf (22 bytes); o must be valid. */
extern void cn_occ_format(const cn_occ *o, char *buf);

#endif
