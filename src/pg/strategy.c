/*
 * strategy.c -- the strategy type: text and binary I/O, comparison, arithmetic
 * (+, unary -, * float8), strategy_agg and legs().
 *
 * Text form, one leg after another separated by ';':
 *
 *     qty kind [strike expiry] @ premium [x multiplier]
 *
 *   qty        signed number, negative = short
 *   kind       C, P or U (underlying or its future); call/put also accepted
 *   strike     options only, > 0
 *   expiry     options only: a timestamptz, double-quoted when it contains spaces;
 *              years 1 to 9999 (UTC); a date alone means its PM close, expiry_ts(date)
 *   premium    entry price per unit (option premium, or the underlying's entry price)
 *   multiplier contract multiplier, > 0; default 100 for options, 1 for U (a share)
 *
 * e.g. '-1 P 5600 2025-10-31T20:00:00Z @ 12.35 x100; 1 P 5500 2025-10-31T20:00:00Z @ 8.1'
 * Output always writes every field, expiries in UTC ISO 8601 and numbers in their
 * shortest exact form whatever extra_float_digits says, so text round-trips every bit.
 * Everything any function can make is accepted back by input and receive: quantities
 * that overflow in a merge or a product are refused where they arise (22003), subnormal
 * numbers are read as float8in reads them.  The empty string is the empty position.
 */
#include "strategy.h"

#include <ctype.h>

#include <errno.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "calendar.h"
#include "market.h"

#define EXPIRY_RANGE "an expiry must be between 0001-01-01 and 9999-12-31 (UTC)"

static void append_leg(StringInfo buf, const cn_leg *l, bool with_qty);

/* Does a leg hold what the type allows, its quantity aside?  Returns a reason, or NULL. */
static const char *
leg_fields_problem(const cn_leg *l)
{
	if (l->kind != 'C' && l->kind != 'P' && l->kind != 'U')
		return "kind must be C, P or U";
	if (!isfinite(l->premium))
		return "premium must be finite";
	if (!(isfinite(l->multiplier) && l->multiplier > 0))
		return "multiplier must be a finite number greater than zero";
	if (l->kind != 'U')
	{
		if (!(isfinite(l->strike) && l->strike > 0))
			return "strike must be a finite number greater than zero";
		if (!STRATEGY_EXPIRY_OK(l->expiry))
			return EXPIRY_RANGE;
	}
	return NULL;
}

/* Does a leg hold what the type allows?  Returns a reason, or NULL. */
static const char *
leg_problem(const cn_leg *l)
{
	if (!isfinite(l->qty))
		return "quantity must be finite";
	return leg_fields_problem(l);
}

/* 22003 for a leg whose quantity overflowed; the leg is named without its quantity. */
static void pg_attribute_noreturn()
quantity_overflow(const cn_leg *l)
{
	StringInfoData leg;

	initStringInfo(&leg);
	append_leg(&leg, l, false);
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("strategy quantity out of range"),
			 errdetail("The quantity of the leg \"%s\" overflows float8.", leg.data)));
}

Strategy *
strategy_make(const cn_leg *legs, int n)
{
	Strategy   *s;

	if (n > STRATEGY_MAX_LEGS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a strategy can have at most %d legs, got %d", STRATEGY_MAX_LEGS, n)));
	s = palloc0(STRATEGY_SIZE(Max(n, 1)));
	for (int i = 0; i < n; i++)
	{
		cn_leg	   *l = &s->legs[i];
		const char *problem;

		/* field by field, so the padding of the stored legs stays zero */
		l->qty = legs[i].qty;
		l->kind = legs[i].kind;
		l->strike = legs[i].strike;
		l->expiry = legs[i].expiry;
		l->premium = legs[i].premium;
		l->multiplier = legs[i].multiplier;
		if (l->kind == 'U')
		{
			l->strike = NAN;
			l->expiry = 0;
		}
		if ((problem = leg_fields_problem(l)) != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid strategy leg"),
					 errdetail("Leg %d: %s.", i + 1, problem)));
		/* a product (strategy * factor) can overflow */
		if (!isfinite(l->qty))
			quantity_overflow(l);
	}
	cn_legs_normalise(s->legs, &n);
	/* a merge of finite quantities can overflow too */
	for (int i = 0; i < n; i++)
		if (!isfinite(s->legs[i].qty))
			quantity_overflow(&s->legs[i]);
	s->nlegs = n;
	SET_VARSIZE(s, STRATEGY_SIZE(n));
	return s;
}

/* ---- text input ---- */

typedef struct parser
{
	const char *input;			/* the whole literal, for messages */
	const char *p;
	int			leg;			/* 1-based leg number */
} parser;

static void pg_attribute_noreturn()
syntax_error(parser *ps, const char *fmt, const char *found)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type strategy: \"%s\"", ps->input),
			 errdetail("Leg %d: %s, found \"%s\".", ps->leg, fmt, found),
			 errhint("A leg is: qty kind [strike expiry] @ premium [x multiplier], e.g. -1 P 5600 2025-10-31T20:00:00Z @ 12.35 x100; legs are separated by ';'.")));
}

static void
skip_space(parser *ps)
{
	while (isspace((unsigned char) *ps->p))
		ps->p++;
}

/* The next token: a quoted string, '@', ';', or a run of other non-space characters. */
static char *
next_token(parser *ps)
{
	const char *start;

	skip_space(ps);
	start = ps->p;
	if (*ps->p == '\0')
		return pstrdup("");
	if (*ps->p == '"')
	{
		const char *end = strchr(ps->p + 1, '"');

		if (end == NULL)
			syntax_error(ps, "an unterminated quoted expiry", ps->p);
		ps->p = end + 1;
		return pnstrdup(start + 1, end - start - 1);
	}
	if (*ps->p == '@' || *ps->p == ';')
	{
		ps->p++;
		return pnstrdup(start, 1);
	}
	while (*ps->p && !isspace((unsigned char) *ps->p) && *ps->p != '@' && *ps->p != ';')
		ps->p++;
	return pnstrdup(start, ps->p - start);
}

/*
 * A number as float8in reads it: a subnormal result is a number (strtod flags it with
 * ERANGE all the same); only overflow, or a non-zero literal that underflows to zero, is
 * out of range (22003).  Infinity and NaN are not numbers here (22P02).
 */
static double
parse_number(parser *ps, const char *tok, const char *what)
{
	char	   *end;
	double		v;

	if (*tok == '\0')
		syntax_error(ps, psprintf("expected %s", what), "end of input");
	errno = 0;
	v = strtod(tok, &end);
	if (end == tok || *end != '\0' || isnan(v) || (isinf(v) && errno != ERANGE))
		syntax_error(ps, psprintf("expected %s (a finite number)", what), tok);
	if (errno == ERANGE && (v == 0.0 || isinf(v)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("\"%s\" is out of range for type double precision", tok),
				 errdetail("Leg %d of \"%s\": %s.", ps->leg, ps->input, what)));
	return v;
}

static bool
token_is(const char *tok, const char *word)
{
	return pg_strcasecmp(tok, word) == 0;
}

/*
 * The date parser reports an unknown full time zone name ("Mars/Olympus") by raising
 * its own error, not by returning a code.  It takes a field for a zone name when it
 * starts with a letter, is of date type (it holds '/', '-', '+', ...) and a date came
 * before it; check those names first, so that the leg can be named.
 */
/*
 * What a bare date means as an expiry, into *ts: its PM settlement, expiry_ts(date) --
 * the close of that day's session (16:00 New York, 13:00 on early-close days), or of the
 * session before when the exchange is closed that day -- whatever the session's time
 * zone.  False, where condor_expiry_instant would raise, when the day is outside the
 * exchange calendar or has no session on or before it.
 */
static bool
pm_close(int year, int mon, int mday, TimestampTz *ts)
{
	DateADT		d;

	if (!IS_VALID_JULIAN(year, mon, mday))
		return false;
	d = date2j(year, mon, mday) - POSTGRES_EPOCH_JDATE;
	if (d < 0 || d >= CN_CAL_DAYS)
		return false;
	if (condor_close_usec(d) == 0 && condor_session_day(condor_sessions_before(d) - 1) < 0)
		return false;
	*ts = condor_expiry_instant(d, false);
	return true;
}

/*
 * Is a decoded timestamp literal a date alone: midnight, and no field that is a time,
 * a time zone (numeric, named or abbreviated) or a word other than a month, a weekday,
 * AD/BC or today/tomorrow/yesterday?
 */
static bool
is_bare_date(char **field, const int *ftype, int nf, const struct pg_tm *tm, fsec_t fsec)
{
	if (tm->tm_hour != 0 || tm->tm_min != 0 || tm->tm_sec != 0 || fsec != 0)
		return false;
	for (int i = 0; i < nf; i++)
	{
		int			val,
					off;
		pg_tz	   *zone;

		switch (ftype[i])
		{
			case DTK_DATE:
				/* a date-typed field after the first that starts with a letter is a zone */
				if (i > 0 && isalpha((unsigned char) field[i][0]))
					return false;
				break;
			case DTK_NUMBER:
				break;
			case DTK_STRING:
			case DTK_SPECIAL:
				if (DecodeTimezoneAbbrev(i, field[i], &off, &zone) != UNKNOWN_FIELD)
					return false;
				switch (DecodeSpecial(i, field[i], &val))
				{
					case MONTH:
					case DOW:
					case ADBC:
					case IGNORE_DTF:
						break;
					case RESERV:
						if (val != DTK_TODAY && val != DTK_TOMORROW && val != DTK_YESTERDAY)
							return false;
						break;
					default:
						return false;
				}
				break;
			default:
				return false;
		}
	}
	return true;
}

#define UNKNOWN_ZONE (-100)		/* beyond the DTERR_ codes */

static int
check_zone_names(char **field, const int *ftype, int nf)
{
	bool		had_date = false;

	for (int i = 0; i < nf; i++)
	{
		if (ftype[i] == DTK_DATE && isalpha((unsigned char) field[i][0]) && had_date &&
			pg_tzset(field[i]) == NULL)
			return UNKNOWN_ZONE;
		if (ftype[i] == DTK_DATE || ftype[i] == DTK_NUMBER)
			had_date = true;
	}
	return 0;
}

/*
 * An expiry: any timestamptz literal, parsed as timestamptz_in parses it (session time
 * zone unless the literal names one) but with every failure reported as 22P02 naming
 * the leg, and restricted to the years 1 to 9999 (strategy.h).  A date alone
 * ('2025-09-15') means its PM close, expiry_ts(date) (16:00 New York, 13:00 on early-close
 * days, the session before on a holiday), not midnight of the session's zone: a 0DTE
 * position written that way is not expired at the open.
 */
static TimestampTz
parse_expiry(parser *ps, const char *tok)
{
	char		workbuf[MAXDATELEN + MAXDATEFIELDS];
	char	   *field[MAXDATEFIELDS];
	int			ftype[MAXDATEFIELDS];
	int			nf,
				dtype,
				tz,
				dterr;
	struct pg_tm tm;
	fsec_t		fsec;
	TimestampTz ts = 0;

	dterr = ParseDateTime(tok, workbuf, sizeof(workbuf), field, ftype, MAXDATEFIELDS, &nf);
	if (dterr == 0)
		dterr = check_zone_names(field, ftype, nf);
	if (dterr == 0)
		dterr = DecodeDateTime(field, ftype, nf, &dtype, &tm, &fsec, &tz);
	if (dterr == DTERR_FIELD_OVERFLOW || dterr == DTERR_MD_FIELD_OVERFLOW)
		syntax_error(ps, "a field of the expiry is out of range", tok);
	if (dterr == UNKNOWN_ZONE)
		syntax_error(ps, "the time zone of the expiry is not known", tok);
	if (dterr == DTERR_TZDISP_OVERFLOW)
		syntax_error(ps, "the time zone offset of the expiry is out of range", tok);
	if (dterr != 0)
		syntax_error(ps, "expected an expiry (a timestamp)", tok);
	switch (dtype)
	{
		case DTK_DATE:
			if (is_bare_date(field, ftype, nf, &tm, fsec))
			{
				if (!pm_close(tm.tm_year, tm.tm_mon, tm.tm_mday, &ts))
					syntax_error(ps, "a date alone means its PM close, which the exchange calendar knows for 2000-01-03 to 2100-12-31 only; give a time of day", tok);
			}
			else if (tm2timestamp(&tm, fsec, &tz, &ts) != 0)
				syntax_error(ps, EXPIRY_RANGE, tok);
			break;
		case DTK_EPOCH:
			ts = SetEpochTimestamp();
			break;
		case DTK_LATE:
		case DTK_EARLY:
			syntax_error(ps, "an expiry must be a finite timestamp", tok);
			break;
		default:
			syntax_error(ps, "expected an expiry (a timestamp)", tok);
	}
	if (!STRATEGY_EXPIRY_OK(ts))
		syntax_error(ps, EXPIRY_RANGE, tok);
	return ts;
}

/* One leg; the parser stands after its last token. */
static void
parse_leg(parser *ps, cn_leg *l)
{
	char	   *tok = next_token(ps);

	memset(l, 0, sizeof(*l));
	l->qty = parse_number(ps, tok, "a quantity");
	tok = next_token(ps);
	if (token_is(tok, "C") || token_is(tok, "call"))
		l->kind = 'C';
	else if (token_is(tok, "P") || token_is(tok, "put"))
		l->kind = 'P';
	else if (token_is(tok, "U"))
		l->kind = 'U';
	else
		syntax_error(ps, "expected the kind C, P or U", *tok ? tok : "end of input");

	l->strike = NAN;
	if (l->kind != 'U')
	{
		l->strike = parse_number(ps, next_token(ps), "a strike");
		if (!(l->strike > 0))
			syntax_error(ps, "a strike must be greater than zero", psprintf("%g", l->strike));
		tok = next_token(ps);
		if (*tok == '\0' || *tok == '@' || *tok == ';')
			syntax_error(ps, "expected an expiry after the strike", *tok ? tok : "end of input");
		l->expiry = parse_expiry(ps, tok);
	}
	tok = next_token(ps);
	if (*tok != '@')
		syntax_error(ps, "expected '@' before the premium", *tok ? tok : "end of input");
	l->premium = parse_number(ps, next_token(ps), "a premium");
	l->multiplier = l->kind == 'U' ? 1.0 : 100.0;

	skip_space(ps);
	if (*ps->p == 'x' || *ps->p == 'X')
	{
		ps->p++;
		l->multiplier = parse_number(ps, next_token(ps), "a multiplier after 'x'");
		if (!(l->multiplier > 0))
			syntax_error(ps, "a multiplier must be greater than zero", psprintf("%g", l->multiplier));
	}
}

static Strategy *
strategy_parse(const char *str)
{
	parser		ps = {str, str, 1};
	cn_leg	   *legs = palloc(sizeof(cn_leg) * (STRATEGY_MAX_LEGS + 1));
	int			n = 0;

	skip_space(&ps);
	while (*ps.p != '\0')
	{
		char	   *tok;

		if (n == STRATEGY_MAX_LEGS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("a strategy can have at most %d legs", STRATEGY_MAX_LEGS)));
		parse_leg(&ps, &legs[n++]);
		tok = next_token(&ps);
		if (*tok == ';')
		{
			ps.leg++;
			skip_space(&ps);
			if (*ps.p == '\0')
				syntax_error(&ps, "expected a leg after ';'", "end of input");
			continue;
		}
		if (*tok != '\0')
			syntax_error(&ps, "expected ';' or the end after the leg", tok);
	}
	return strategy_make(legs, n);
}

PG_FUNCTION_INFO_V1(strategy_in);
Datum
strategy_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_STRATEGY_P(strategy_parse(PG_GETARG_CSTRING(0)));
}

/* ---- text output ---- */

/* The shortest text that reads back as the same double, whatever extra_float_digits. */
static void
append_number(StringInfo buf, double v)
{
	char		s[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(v, s);
	appendStringInfoString(buf, s);
}

static void
append_expiry(StringInfo buf, TimestampTz ts)
{
	struct pg_tm tm;
	fsec_t		fsec;

	if (!STRATEGY_EXPIRY_OK(ts) || timestamp2tm(ts, NULL, &tm, &fsec, NULL, NULL) != 0)
		elog(ERROR, "strategy expiry " INT64_FORMAT " out of range", ts);
	appendStringInfo(buf, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year, tm.tm_mon,
					 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (fsec != 0)
		appendStringInfo(buf, ".%06d", (int) fsec);
	appendStringInfoChar(buf, 'Z');
}

/* One leg in the text form (with_qty false: without the quantity, for messages). */
static void
append_leg(StringInfo buf, const cn_leg *l, bool with_qty)
{
	if (with_qty)
	{
		append_number(buf, l->qty);
		appendStringInfoChar(buf, ' ');
	}
	appendStringInfo(buf, "%c ", l->kind);
	if (l->kind != 'U')
	{
		append_number(buf, l->strike);
		appendStringInfoChar(buf, ' ');
		append_expiry(buf, l->expiry);
		appendStringInfoChar(buf, ' ');
	}
	appendStringInfoString(buf, "@ ");
	append_number(buf, l->premium);
	appendStringInfoString(buf, " x");
	append_number(buf, l->multiplier);
}

char *
strategy_contract_text(const cn_leg *l)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, l->kind);
	if (l->kind != 'U')
	{
		appendStringInfoChar(&buf, ' ');
		append_number(&buf, l->strike);
		appendStringInfoChar(&buf, ' ');
		append_expiry(&buf, l->expiry);
	}
	return buf.data;
}

PG_FUNCTION_INFO_V1(strategy_out);
Datum
strategy_out(PG_FUNCTION_ARGS)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	StringInfoData buf;

	initStringInfo(&buf);
	for (int i = 0; i < s->nlegs; i++)
	{
		if (i > 0)
			appendStringInfoString(&buf, "; ");
		append_leg(&buf, &s->legs[i], true);
	}
	PG_RETURN_CSTRING(buf.data);
}

/* ---- binary I/O: the leg count, then each leg's fields; receive checks as input does */

PG_FUNCTION_INFO_V1(strategy_recv);
Datum
strategy_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			n = pq_getmsgint(buf, 4);
	cn_leg	   *legs;

	if (n < 0 || n > STRATEGY_MAX_LEGS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid number of legs %d in external strategy value", n)));
	legs = palloc0(sizeof(cn_leg) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		const char *problem;

		legs[i].qty = pq_getmsgfloat8(buf);
		legs[i].kind = (char) pq_getmsgbyte(buf);
		legs[i].strike = pq_getmsgfloat8(buf);
		legs[i].expiry = pq_getmsgint64(buf);
		legs[i].premium = pq_getmsgfloat8(buf);
		legs[i].multiplier = pq_getmsgfloat8(buf);
		if (legs[i].kind == 'U')
		{
			legs[i].strike = NAN;
			legs[i].expiry = 0;
		}
		if ((problem = leg_problem(&legs[i])) != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid external strategy value"),
					 errdetail("Leg %d: %s.", i + 1, problem)));
	}
	PG_RETURN_STRATEGY_P(strategy_make(legs, n));
}

PG_FUNCTION_INFO_V1(strategy_send);
Datum
strategy_send(PG_FUNCTION_ARGS)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, s->nlegs);
	for (int i = 0; i < s->nlegs; i++)
	{
		cn_leg	   *l = &s->legs[i];

		pq_sendfloat8(&buf, l->qty);
		pq_sendbyte(&buf, (uint8) l->kind);
		pq_sendfloat8(&buf, l->strike);
		pq_sendint64(&buf, l->expiry);
		pq_sendfloat8(&buf, l->premium);
		pq_sendfloat8(&buf, l->multiplier);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---- comparison: leg by leg (kind, expiry, strike, premium, multiplier, qty) ---- */

static int
cmp_double(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) ? (isnan(b) ? 0 : 1) : -1;
	return (a > b) - (a < b);
}

static int
strategy_cmp_internal(const Strategy *a, const Strategy *b)
{
	for (int i = 0; i < a->nlegs && i < b->nlegs; i++)
	{
		const cn_leg *x = &a->legs[i],
				   *y = &b->legs[i];
		int			c;

		if (x->kind != y->kind)
			return x->kind < y->kind ? -1 : 1;
		if (x->expiry != y->expiry)
			return x->expiry < y->expiry ? -1 : 1;
		if ((c = cmp_double(x->strike, y->strike)) != 0 ||
			(c = cmp_double(x->premium, y->premium)) != 0 ||
			(c = cmp_double(x->multiplier, y->multiplier)) != 0 ||
			(c = cmp_double(x->qty, y->qty)) != 0)
			return c;
	}
	return (a->nlegs > b->nlegs) - (a->nlegs < b->nlegs);
}

PG_FUNCTION_INFO_V1(strategy_cmp);
Datum
strategy_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(strategy_cmp_internal(PG_GETARG_STRATEGY_P(0), PG_GETARG_STRATEGY_P(1)));
}

#define STRATEGY_CMP_OP(name, test) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	int			c = strategy_cmp_internal(PG_GETARG_STRATEGY_P(0), PG_GETARG_STRATEGY_P(1)); \
\
	PG_RETURN_BOOL(test); \
}

STRATEGY_CMP_OP(strategy_eq, c == 0)
STRATEGY_CMP_OP(strategy_ne, c != 0)
STRATEGY_CMP_OP(strategy_lt, c < 0)
STRATEGY_CMP_OP(strategy_le, c <= 0)
STRATEGY_CMP_OP(strategy_gt, c > 0)
STRATEGY_CMP_OP(strategy_ge, c >= 0)

/* ---- arithmetic ---- */

/* a + k b, k = +1 or -1: the legs of both, normalised (a roll is new + (-old)). */
static Strategy *
strategy_combine_internal(const Strategy *a, const Strategy *b, double k)
{
	int			n = a->nlegs + b->nlegs;
	cn_leg	   *legs = palloc(sizeof(cn_leg) * Max(n, 1));

	memcpy(legs, a->legs, sizeof(cn_leg) * a->nlegs);
	memcpy(legs + a->nlegs, b->legs, sizeof(cn_leg) * b->nlegs);
	for (int i = a->nlegs; i < n; i++)
		legs[i].qty *= k;
	return strategy_make(legs, n);
}

PG_FUNCTION_INFO_V1(strategy_plus);
Datum
strategy_plus(PG_FUNCTION_ARGS)
{
	PG_RETURN_STRATEGY_P(strategy_combine_internal(PG_GETARG_STRATEGY_P(0),
												   PG_GETARG_STRATEGY_P(1), 1.0));
}

PG_FUNCTION_INFO_V1(strategy_minus);
Datum
strategy_minus(PG_FUNCTION_ARGS)
{
	PG_RETURN_STRATEGY_P(strategy_combine_internal(PG_GETARG_STRATEGY_P(0),
												   PG_GETARG_STRATEGY_P(1), -1.0));
}

/* strategy * float8: every quantity scaled (a size factor); 0 gives the empty position. */
PG_FUNCTION_INFO_V1(strategy_scale);
Datum
strategy_scale(PG_FUNCTION_ARGS)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	double		k = CONDOR_ARG(1, "factor", ARG_FINITE);
	cn_leg	   *legs = palloc(sizeof(cn_leg) * Max(s->nlegs, 1));

	memcpy(legs, s->legs, sizeof(cn_leg) * s->nlegs);
	for (int i = 0; i < s->nlegs; i++)
		legs[i].qty *= k;
	PG_RETURN_STRATEGY_P(strategy_make(legs, s->nlegs));
}

/* -strategy: every quantity negated (the trade that closes the position). */
PG_FUNCTION_INFO_V1(strategy_neg);
Datum
strategy_neg(PG_FUNCTION_ARGS)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	cn_leg	   *legs = palloc(sizeof(cn_leg) * Max(s->nlegs, 1));

	memcpy(legs, s->legs, sizeof(cn_leg) * s->nlegs);
	for (int i = 0; i < s->nlegs; i++)
		legs[i].qty = -legs[i].qty;
	PG_RETURN_STRATEGY_P(strategy_make(legs, s->nlegs));
}

/* One argument of a strategy_agg row as its error messages show it. */
static const char *
agg_arg_text(FunctionCallInfo fcinfo, int i, Oid type)
{
	if (i >= PG_NARGS() || PG_ARGISNULL(i))
		return "NULL";
	switch (type)
	{
		case FLOAT8OID:
			return condor_float8_text(PG_GETARG_FLOAT8(i));
		case TEXTOID:
			return text_to_cstring(PG_GETARG_TEXT_PP(i));
		case DATEOID:
			return DatumGetCString(DirectFunctionCall1(date_out, PG_GETARG_DATUM(i)));
		default:
			return DatumGetCString(DirectFunctionCall1(timestamptz_out, PG_GETARG_DATUM(i)));
	}
}

/*
 * A strategy_agg row with a missing value: 22023 naming the column and the row (its
 * strike and expiry say which leg it is).  Missing data is never skipped: a position
 * that silently lost a leg (sum() would skip it) can turn a put spread into a naked put.
 */
static void pg_attribute_noreturn()
agg_missing(FunctionCallInfo fcinfo, const char *column, bool date_expiry)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("strategy_agg: %s is null", column),
			 errdetail("The row has qty %s, cp %s, strike %s, expiry %s, premium %s%s%s.",
					   agg_arg_text(fcinfo, 1, FLOAT8OID), agg_arg_text(fcinfo, 2, TEXTOID),
					   agg_arg_text(fcinfo, 3, FLOAT8OID),
					   agg_arg_text(fcinfo, 4, date_expiry ? DATEOID : TIMESTAMPTZOID),
					   agg_arg_text(fcinfo, 5, FLOAT8OID),
					   PG_NARGS() > 6 ? ", multiplier " : "",
					   PG_NARGS() > 6 ? agg_arg_text(fcinfo, 6, FLOAT8OID) : ""),
			 errhint("A position with a missing value has no meaningful P&L; fill it in, or leave the row out with FILTER (WHERE ...).")));
}

/*
 * strategy_agg transition: (state, qty, cp, strike, expiry, premium [, multiplier]),
 * expiry a timestamptz, or with date_expiry a date meaning its PM close, expiry_ts(date).
 * cp is C/P/call/put or U; strike and expiry are NULL (or ignored) for U.  Every other
 * NULL is an error (agg_missing).
 */
static Datum
agg_row(FunctionCallInfo fcinfo, bool date_expiry)
{
	Strategy   *st = PG_ARGISNULL(0) ? NULL : PG_GETARG_STRATEGY_P(0);
	int			n = st ? st->nlegs : 0;
	cn_leg	   *legs;
	cn_leg	   *l;
	text	   *cp;
	const char *problem;

	if (PG_ARGISNULL(1))
		agg_missing(fcinfo, "qty", date_expiry);
	if (PG_ARGISNULL(2))
		agg_missing(fcinfo, "cp", date_expiry);
	if (PG_ARGISNULL(5))
		agg_missing(fcinfo, "premium", date_expiry);
	if (PG_NARGS() > 6 && PG_ARGISNULL(6))
		agg_missing(fcinfo, "multiplier", date_expiry);
	legs = palloc0(sizeof(cn_leg) * (n + 1));
	if (n > 0)
		memcpy(legs, st->legs, sizeof(cn_leg) * n);
	l = &legs[n];
	l->qty = CONDOR_ARG(1, "qty", ARG_FINITE);
	cp = PG_GETARG_TEXT_PP(2);
	if (VARSIZE_ANY_EXHDR(cp) == 1 && (VARDATA_ANY(cp)[0] | 0x20) == 'u')
	{
		l->kind = 'U';
		l->strike = NAN;
		l->expiry = 0;
	}
	else
	{
		l->kind = condor_cp(cp) > 0 ? 'C' : 'P';
		if (PG_ARGISNULL(3))
			agg_missing(fcinfo, "strike", date_expiry);
		if (PG_ARGISNULL(4))
			agg_missing(fcinfo, "expiry", date_expiry);
		l->strike = CONDOR_ARG(3, "strike", ARG_POSITIVE);
		if (date_expiry)
		{
			/* the PM close, expiry_ts(date); outside the exchange calendar 22008 */
			l->expiry = condor_expiry_instant(PG_GETARG_DATEADT(4), false);
		}
		else
			l->expiry = PG_GETARG_TIMESTAMPTZ(4);
	}
	l->premium = CONDOR_ARG(5, "premium", ARG_FINITE);
	l->multiplier = PG_NARGS() > 6 ? CONDOR_ARG(6, "multiplier", ARG_POSITIVE) :
		(l->kind == 'U' ? 1.0 : 100.0);
	if ((problem = leg_problem(l)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("strategy_agg: %s", problem),
				 errdetail("The row has expiry %s.",
						   agg_arg_text(fcinfo, 4, date_expiry ? DATEOID : TIMESTAMPTZOID))));
	PG_RETURN_STRATEGY_P(strategy_make(legs, n + 1));
}

PG_FUNCTION_INFO_V1(strategy_agg_sfunc);
Datum
strategy_agg_sfunc(PG_FUNCTION_ARGS)
{
	return agg_row(fcinfo, false);
}

PG_FUNCTION_INFO_V1(strategy_agg_sfunc_date);
Datum
strategy_agg_sfunc_date(PG_FUNCTION_ARGS)
{
	return agg_row(fcinfo, true);
}

/* legs(strategy): one row per leg, plain columns. */
PG_FUNCTION_INFO_V1(strategy_legs);
Datum
strategy_legs(PG_FUNCTION_ARGS)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; i < s->nlegs; i++)
	{
		cn_leg	   *l = &s->legs[i];
		Datum		v[7];
		bool		nulls[7] = {0};
		char		kind[2] = {l->kind, '\0'};

		v[0] = Int32GetDatum(i + 1);
		v[1] = Float8GetDatum(l->qty);
		v[2] = CStringGetTextDatum(kind);
		v[3] = Float8GetDatum(l->strike);
		nulls[3] = l->kind == 'U';
		v[4] = TimestampTzGetDatum(l->expiry);
		nulls[4] = l->kind == 'U';
		v[5] = Float8GetDatum(l->premium);
		v[6] = Float8GetDatum(l->multiplier);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
	}
	return (Datum) 0;
}

const double *
strategy_leg_vols(ArrayType *a, const Strategy *s)
{
	int			n = ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a));
	const double *vols;

	if (ARR_ELEMTYPE(a) != FLOAT8OID || ARR_NDIM(a) > 1 || ARR_HASNULL(a) || n != s->nlegs)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("vols must be a one-dimensional float8 array without NULLs, one per leg"),
				 errdetail("The strategy has %d legs, vols has %d elements.", s->nlegs, n),
				 errhint("Vols follow the order of legs(strategy).")));
	vols = (const double *) ARR_DATA_PTR(a);
	for (int i = 0; i < n; i++)
		condor_check_arg("vol", vols[i], ARG_NONNEGATIVE);
	return vols;
}
