/*
 * marking.c -- a position valued from the market.
 *
 *   strategy_mark(s, cp, strike, expiry, bid, ask [, fill])   aggregate: the position's
 *       value and P&L at the quotes of its legs (mid, natural or mark fills), which legs
 *       had no usable quote and why
 *   market_greeks / market_vols / market_greeks_status(s, cp, strike, expiry, bid, ask,
 *       spot, as_of, r, q)   aggregates: each leg's implied vol solved from its quote's
 *       mid, the position's Greeks at those vols, and why they are NULL when they are
 *   breakeven_distance(s, spot, as_of, vol | vols[], r, q), extrinsic(same),
 *   leg_extrinsic(same)   the distance to trouble and the time value
 *
 * Used as ... FROM book b JOIN chain c ON ... GROUP BY b.id, c.quote_ts: each row
 * carries the position and one quote; each leg finds its own quote among the rows
 * (kind, strike and expiry equal; a row with cp 'U' quotes the underlying).
 *
 * The state (float8[], rows.c).  Header: the aggregate's parameters (the fill and the
 * number of legs; or the number of legs, spot, as_of, r and q), equal on every row of a
 * group.  Rows of 7 values, the first saying what the row is:
 *     0, kind, strike, expiry, qty, premium, multiplier    a leg of the position
 *     1, kind, strike, expiry, bid, ask, 0                  a quote that matches a leg
 * kind +1 call, -1 put, 0 underlying (strike NaN and expiry 0); a side of a quote that is
 * absent is NaN.  The first row of a group writes the position's legs; every later row
 * must carry the same position (compared leg by leg with the legs at the front of the
 * state: only rows that a transition function wrote precede them), and only quotes
 * that match a leg are kept, so a state holds a few rows whatever the chain's size.  The
 * combine function concatenates (rows.c), so a combined state holds one copy of the
 * legs per partial state; the final functions keep one, and refuse a state whose legs
 * are not one position's (two positions in one group, or a crafted state).  The rows
 * are sorted before use: the result does not depend on the order of the rows or on the
 * plan's partitioning.
 */
#include "strategy.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "marking.h"
#include "rows.h"

#define BOOK_WIDTH	7
#define TAG_LEG		0.0
#define TAG_QUOTE	1.0

static const condor_cell book_col[] = {CELL_FLAG, CELL_KIND, CELL_POSITIVE_OR_NAN, CELL_TIME,
CELL_ANY, CELL_ANY, CELL_ANY};

/* strategy_mark: header fill (cn_fill), number of legs */
static const condor_cell mark_hdr[] = {CELL_INT32, CELL_INT32};
static const condor_rowspec mark_spec = {"strategy_mark", 2, mark_hdr, BOOK_WIDTH, book_col, true};

/* market_greeks: header number of legs, spot, as_of, r, q */
static const condor_cell market_hdr[] = {CELL_INT32, CELL_POSITIVE, CELL_TIME, CELL_FINITE,
CELL_FINITE};
static const condor_rowspec market_spec = {"market_greeks", 5, market_hdr, BOOK_WIDTH, book_col,
true};

static double
kind_code(char kind)
{
	return kind == 'C' ? 1.0 : kind == 'P' ? -1.0 : 0.0;
}

static char
kind_char(double code)
{
	return code > 0 ? 'C' : code < 0 ? 'P' : 'U';
}

/* The legs of s as state rows, into out (s->nlegs rows). */
static void
leg_rows(const Strategy *s, double *out)
{
	for (int i = 0; i < s->nlegs; i++)
	{
		const cn_leg *l = &s->legs[i];
		double	   *r = out + i * BOOK_WIDTH;

		r[0] = TAG_LEG;
		r[1] = kind_code(l->kind);
		r[2] = l->kind == 'U' ? NAN : l->strike;
		r[3] = l->kind == 'U' ? 0.0 : condor_time_cell(l->expiry, "expiry of a leg");
		r[4] = l->qty;
		r[5] = l->premium;
		r[6] = l->multiplier;
	}
}

/*
 * The quote of a row (arguments 2..6: cp, strike, expiry, bid, ask) as a state row,
 * if it is the quote of one of s's legs.  A row without cp, or an option row without
 * strike or expiry, quotes nothing; a missing bid or ask is an absent side.
 */
static bool
quote_row(FunctionCallInfo fcinfo, const Strategy *s, double *row)
{
	text	   *cp;
	double		kind;
	double		strike = NAN;
	TimestampTz expiry = 0;

	if (PG_ARGISNULL(2))
		return false;
	cp = PG_GETARG_TEXT_PP(2);
	if (VARSIZE_ANY_EXHDR(cp) == 1 && (VARDATA_ANY(cp)[0] | 0x20) == 'u')
		kind = 0.0;
	else
	{
		kind = condor_cp(cp);
		if (PG_ARGISNULL(3) || PG_ARGISNULL(4))
			return false;
		strike = CONDOR_ARG(3, "strike", ARG_POSITIVE);
		expiry = PG_GETARG_TIMESTAMPTZ(4);
	}
	row[0] = TAG_QUOTE;
	row[1] = kind;
	row[2] = strike;
	row[3] = 0.0;
	row[4] = PG_ARGISNULL(5) ? NAN : CONDOR_ARG(5, "bid", ARG_NONNEGATIVE);
	row[5] = PG_ARGISNULL(6) ? NAN : CONDOR_ARG(6, "ask", ARG_NONNEGATIVE);
	row[6] = 0.0;
	for (int i = 0; i < s->nlegs; i++)
	{
		const cn_leg *l = &s->legs[i];

		if (kind_code(l->kind) != kind)
			continue;
		if (kind == 0.0 || (l->strike == strike && l->expiry == expiry))
		{
			/* a leg's expiry is a valid state time (leg_rows checked it) */
			row[3] = kind == 0.0 ? 0.0 : (double) expiry;
			return true;
		}
	}
	return false;
}

/*
 * The transition step shared by the aggregates: the position s (argument 1, not NULL)
 * and the quote of the row (arguments 2..6) into the state, with the header values hdr
 * (the number of legs among them).
 */
static Datum
book_step(FunctionCallInfo fcinfo, const condor_rowspec *spec, const double *hdr,
		  const Strategy *s)
{
	int			nlegs_at = spec == &mark_spec ? 1 : 0;
	double	   *legs;
	double		quote[BOOK_WIDTH];
	bool		quoted;
	int			n;
	const double *v;

	legs = palloc(sizeof(double) * BOOK_WIDTH * Max(s->nlegs, 1));
	leg_rows(s, legs);
	quoted = quote_row(fcinfo, s, quote);
	if (PG_ARGISNULL(0))
	{
		if (quoted)
		{
			legs = repalloc(legs, sizeof(double) * BOOK_WIDTH * (s->nlegs + 1));
			memcpy(legs + BOOK_WIDTH * s->nlegs, quote, sizeof(quote));
		}
		return condor_rows_start(fcinfo, spec, hdr, legs, s->nlegs + (quoted ? 1 : 0));
	}
	/* the group's position is the one whose legs open the state */
	v = condor_rows_peek(PG_GETARG_DATUM(0), spec, NULL, &n);
	if (v[nlegs_at] != s->nlegs || n < spec->nhdr + BOOK_WIDTH * s->nlegs ||
		memcmp(v + spec->nhdr, legs, sizeof(double) * BOOK_WIDTH * s->nlegs) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the rows of one group must share their strategy", spec->what),
				 errhint("Group by the position (and the quote time), e.g. GROUP BY b.id, c.quote_ts.")));
	if (!quoted)
	{
		/* the other parameters (fill; spot, as_of, r, q) must agree all the same */
		(void) condor_rows_peek(PG_GETARG_DATUM(0), spec, hdr, &n);
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	return condor_rows_append(fcinfo, spec, hdr, quote);
}

/* A position read back from a state, with the quote of each leg (NaN sides when none). */
typedef struct book
{
	const double *hdr;
	Strategy   *s;
	bool	   *has_quote;
	double	   *bid;
	double	   *ask;
} book;

/* Is state row r a valid leg row (tag aside)?  Fills *l. */
static bool
leg_from_row(const double *r, cn_leg *l)
{
	memset(l, 0, sizeof(*l));
	l->kind = kind_char(r[1]);
	l->strike = r[2];
	l->expiry = (int64) r[3];
	l->qty = r[4];
	l->premium = r[5];
	l->multiplier = r[6];
	if (l->kind == 'U')
		return isnan(r[2]) && r[3] == 0.0 && isfinite(l->qty) && l->qty != 0 &&
			isfinite(l->premium) && isfinite(l->multiplier) && l->multiplier > 0;
	return isfinite(l->strike) && STRATEGY_EXPIRY_OK(l->expiry) && isfinite(l->qty) &&
		l->qty != 0 && isfinite(l->premium) && isfinite(l->multiplier) && l->multiplier > 0;
}

static bool
same_contract(const double *a, const double *b)
{
	return a[1] == b[1] && a[3] == b[3] && (a[2] == b[2] || (isnan(a[2]) && isnan(b[2])));
}

static void
book_read(Datum state, const condor_rowspec *spec, int nlegs_at, book *bk)
{
	const double *rows;
	int			nrows,
				nlegs,
				i;
	cn_leg	   *legs;

	rows = condor_rows_read(state, spec, &bk->hdr, &nrows);
	nlegs = (int) bk->hdr[nlegs_at];
	if (nlegs < 0 || nlegs > STRATEGY_MAX_LEGS)
		condor_rows_bad_state(spec, psprintf("It counts %d legs.", nlegs));
	/* the leg rows come first (tag 0 sorts first); copies from partial states are equal */
	legs = palloc(sizeof(cn_leg) * Max(nrows, 1));
	{
		int			distinct = 0;

		for (i = 0; i < nrows && rows[i * BOOK_WIDTH] == TAG_LEG; i++)
		{
			const double *r = rows + i * BOOK_WIDTH;

			if (i > 0 && memcmp(r, r - BOOK_WIDTH, sizeof(double) * BOOK_WIDTH) == 0)
				continue;
			if (!leg_from_row(r, &legs[distinct]))
				condor_rows_bad_state(spec, psprintf("Row %d is not a leg of a strategy.", i + 1));
			distinct++;
		}
		if (distinct != nlegs)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: the rows of one group must share their strategy", spec->what),
					 errdetail("The state holds %d distinct legs for a strategy of %d.", distinct, nlegs),
					 errhint("Group by the position (and the quote time), e.g. GROUP BY b.id, c.quote_ts.")));
		bk->s = strategy_make(legs, distinct);
		if (bk->s->nlegs != nlegs)
			condor_rows_bad_state(spec, "Its legs are not in normal form.");
	}
	bk->has_quote = palloc0(sizeof(bool) * Max(nlegs, 1));
	bk->bid = palloc(sizeof(double) * Max(nlegs, 1));
	bk->ask = palloc(sizeof(double) * Max(nlegs, 1));
	for (int k = 0; k < nlegs; k++)
		bk->bid[k] = bk->ask[k] = NAN;
	for (; i < nrows; i++)
	{
		const double *r = rows + i * BOOK_WIDTH;

		if ((!isnan(r[4]) && !(isfinite(r[4]) && r[4] >= 0)) ||
			(!isnan(r[5]) && !(isfinite(r[5]) && r[5] >= 0)) || r[6] != 0.0 ||
			(r[1] == 0.0 ? !(isnan(r[2]) && r[3] == 0.0) : isnan(r[2])))
			condor_rows_bad_state(spec, psprintf("Row %d is not a quote.", i + 1));
		/* rows are sorted: two quotes of one contract are neighbours */
		if (i > 0 && rows[(i - 1) * BOOK_WIDTH] == TAG_QUOTE && same_contract(r, r - BOOK_WIDTH))
		{
			cn_leg		c = {0};

			c.kind = kind_char(r[1]);
			c.strike = r[2];
			c.expiry = (int64) r[3];
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: two quotes for one contract", spec->what),
					 errdetail("Contract %s is quoted %s/%s and %s/%s.", strategy_contract_text(&c),
							   condor_float8_text(r[-BOOK_WIDTH + 4]),
							   condor_float8_text(r[-BOOK_WIDTH + 5]),
							   condor_float8_text(r[4]), condor_float8_text(r[5])),
					 errhint("Group by the quote time too, or keep one quote per contract.")));
		}
		for (int k = 0; k < nlegs; k++)
		{
			const cn_leg *l = &bk->s->legs[k];
			double		lr[BOOK_WIDTH];

			lr[1] = kind_code(l->kind);
			lr[2] = l->kind == 'U' ? NAN : l->strike;
			lr[3] = l->kind == 'U' ? 0.0 : (double) l->expiry;
			if (same_contract(lr, r))
			{
				bk->has_quote[k] = true;
				bk->bid[k] = r[4];
				bk->ask[k] = r[5];
			}
		}
	}
}

/* "leg 2 (C 6135 2025-10-31T20:00:00Z): no quote" appended to a status, "; "-separated */
static void
status_add(StringInfo buf, const book *bk, int k, cn_quote_status st)
{
	if (buf->len > 0)
		appendStringInfoString(buf, "; ");
	appendStringInfo(buf, "leg %d (%s): %s", k + 1, strategy_contract_text(&bk->s->legs[k]),
					 cn_quote_status_text(st));
}

/* ---- strategy_mark ---- */

static double
fill_code(text *t)
{
	char	   *f = text_to_cstring(t);

	if (pg_strcasecmp(f, "mid") == 0)
		return CN_FILL_MID;
	if (pg_strcasecmp(f, "natural") == 0)
		return CN_FILL_NATURAL;
	if (pg_strcasecmp(f, "mark") == 0)
		return CN_FILL_MARK;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid fill \"%s\"", f),
			 errhint("Use 'mid', 'natural' (close at the bid and the ask) or 'mark'.")));
	return 0;
}

/* strategy_mark(s, cp, strike, expiry, bid, ask [, fill]) */
PG_FUNCTION_INFO_V1(strategy_mark_sfunc);
Datum
strategy_mark_sfunc(PG_FUNCTION_ARGS)
{
	double		hdr[2] = {CN_FILL_MID, 0};
	Strategy   *s;

	(void) condor_agg_context(fcinfo, "strategy_mark_sfunc");
	if (PG_ARGISNULL(1))
		CONDOR_KEEP_STATE();
	s = PG_GETARG_STRATEGY_P(1);
	if (PG_NARGS() > 7)
	{
		if (PG_ARGISNULL(7))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("strategy_mark: fill must not be NULL")));
		hdr[0] = fill_code(PG_GETARG_TEXT_PP(7));
	}
	hdr[1] = s->nlegs;
	return book_step(fcinfo, &mark_spec, hdr, s);
}

PG_FUNCTION_INFO_V1(strategy_mark_combine);
Datum
strategy_mark_combine(PG_FUNCTION_ARGS)
{
	return condor_rows_combine(fcinfo, &mark_spec);
}

/* mark (value, pnl, legs_quoted, legs_missing, status) */
PG_FUNCTION_INFO_V1(strategy_mark_final);
Datum
strategy_mark_final(PG_FUNCTION_ARGS)
{
	book		bk;
	TupleDesc	desc;
	Datum		out[5];
	bool		nulls[5] = {0};
	double		value = 0.0,
				pnl = 0.0;
	int			quoted = 0,
				nmissing = 0;
	Datum	   *missing;
	StringInfoData status;
	cn_fill		fill;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "strategy_mark_final must return a composite");
	book_read(PG_GETARG_DATUM(0), &mark_spec, 1, &bk);
	if (bk.hdr[0] < CN_FILL_MID || bk.hdr[0] > CN_FILL_MARK)
		condor_rows_bad_state(&mark_spec, psprintf("Header value 1 is %s.",
												   condor_float8_text(bk.hdr[0])));
	fill = (cn_fill) (int) bk.hdr[0];
	missing = palloc(sizeof(Datum) * Max(bk.s->nlegs, 1));
	initStringInfo(&status);
	for (int k = 0; k < bk.s->nlegs; k++)
	{
		const cn_leg *l = &bk.s->legs[k];
		double		price;
		cn_quote_status st = bk.has_quote[k] ?
			cn_fill_price(l->qty, bk.bid[k], bk.ask[k], fill, &price) : CN_QUOTE_NONE;

		if (st != CN_QUOTE_OK)
		{
			missing[nmissing++] = Int32GetDatum(k + 1);
			status_add(&status, &bk, k, st);
			continue;
		}
		quoted++;
		value += l->qty * l->multiplier * price;
		/* leg by leg, so that a large value and cost do not cancel */
		pnl += l->qty * l->multiplier * (price - l->premium);
	}
	out[0] = Float8GetDatum(value);
	out[1] = Float8GetDatum(pnl);
	nulls[0] = nulls[1] = nmissing > 0;
	out[2] = Int32GetDatum(quoted);
	out[3] = PointerGetDatum(construct_array(missing, nmissing, INT4OID, sizeof(int32), true,
											 TYPALIGN_INT));
	out[4] = CStringGetTextDatum(nmissing > 0 ? status.data : "ok");
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), out, nulls)));
}

/* ---- market_greeks, market_vols, market_greeks_status ---- */

/* (s, cp, strike, expiry, bid, ask, spot, as_of, r, q) */
PG_FUNCTION_INFO_V1(market_greeks_sfunc);
Datum
market_greeks_sfunc(PG_FUNCTION_ARGS)
{
	double		hdr[5];
	Strategy   *s;

	(void) condor_agg_context(fcinfo, "market_greeks_sfunc");
	if (PG_ARGISNULL(1))
		CONDOR_KEEP_STATE();
	s = PG_GETARG_STRATEGY_P(1);
	if (condor_any_null(fcinfo, 7, 10))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("market_greeks: spot, as_of, r and q must not be NULL")));
	hdr[0] = s->nlegs;
	hdr[1] = CONDOR_ARG(7, "spot", ARG_POSITIVE);
	hdr[2] = condor_time_cell(PG_GETARG_TIMESTAMPTZ(8), "as_of");
	hdr[3] = CONDOR_ARG(9, "r", ARG_FINITE);
	hdr[4] = CONDOR_ARG(10, "q", ARG_FINITE);
	return book_step(fcinfo, &market_spec, hdr, s);
}

PG_FUNCTION_INFO_V1(market_greeks_combine);
Datum
market_greeks_combine(PG_FUNCTION_ARGS)
{
	return condor_rows_combine(fcinfo, &market_spec);
}

/*
 * Each leg's vol from its quote: NaN where none (*ok false then), the reasons in
 * *status when status is not NULL.
 */
static double *
market_book_vols(Datum state, book *bk, bool *ok, StringInfo status)
{
	double	   *vols;

	book_read(state, &market_spec, 0, bk);
	vols = palloc(sizeof(double) * Max(bk->s->nlegs, 1));
	*ok = true;
	for (int k = 0; k < bk->s->nlegs; k++)
	{
		const cn_leg *l = &bk->s->legs[k];
		cn_quote_status st = cn_market_vol(l, bk->hdr[1], (int64) bk->hdr[2], bk->bid[k],
										   bk->ask[k], bk->hdr[3], bk->hdr[4], &vols[k]);

		/* a leg that needs a quote and has none (cn_market_vol saw two absent sides) */
		if (st == CN_QUOTE_NO_MARKET && !bk->has_quote[k])
			st = CN_QUOTE_NONE;
		if (st != CN_QUOTE_OK)
		{
			*ok = false;
			if (status)
				status_add(status, bk, k, st);
		}
	}
	return vols;
}

/* The position's Greeks in currency at each leg's market vol; NULL when a leg has none. */
PG_FUNCTION_INFO_V1(market_greeks_final);
Datum
market_greeks_final(PG_FUNCTION_ARGS)
{
	book		bk;
	bool		ok;
	double	   *vols;
	cn_greeks	g;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	vols = market_book_vols(PG_GETARG_DATUM(0), &bk, &ok, NULL);
	if (!ok)
		PG_RETURN_NULL();
	cn_strategy_greeks(bk.s->legs, bk.s->nlegs, bk.hdr[1], (int64) bk.hdr[2], vols, 0.0,
					   bk.hdr[3], bk.hdr[4], &g);
	PG_RETURN_DATUM(condor_greeks_datum(fcinfo, &g));
}

/* Each leg's market vol in legs() order: NULL where none, 0 for U and expired legs. */
PG_FUNCTION_INFO_V1(market_vols_final);
Datum
market_vols_final(PG_FUNCTION_ARGS)
{
	book		bk;
	bool		ok;
	double	   *vols;
	Datum	   *d;
	bool	   *nulls;
	int			dims[1],
				lbs[1] = {1};

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	vols = market_book_vols(PG_GETARG_DATUM(0), &bk, &ok, NULL);
	d = palloc(sizeof(Datum) * Max(bk.s->nlegs, 1));
	nulls = palloc(sizeof(bool) * Max(bk.s->nlegs, 1));
	for (int k = 0; k < bk.s->nlegs; k++)
	{
		d[k] = Float8GetDatum(vols[k]);
		nulls[k] = isnan(vols[k]);
	}
	dims[0] = bk.s->nlegs;
	if (bk.s->nlegs == 0)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(FLOAT8OID));
	PG_RETURN_ARRAYTYPE_P(construct_md_array(d, nulls, 1, dims, lbs, FLOAT8OID, sizeof(float8),
											 FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/* 'ok', or which legs have no market vol and why. */
PG_FUNCTION_INFO_V1(market_greeks_status_final);
Datum
market_greeks_status_final(PG_FUNCTION_ARGS)
{
	book		bk;
	bool		ok;
	StringInfoData status;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	initStringInfo(&status);
	(void) market_book_vols(PG_GETARG_DATUM(0), &bk, &ok, &status);
	PG_RETURN_TEXT_P(cstring_to_text(ok ? "ok" : status.data));
}
