/*
 * realized.c -- SQL glue for realized volatility (realized_vol, parkinson_vol,
 * garman_klass_vol, rogers_satchell_vol, yang_zhang_vol) and for iv_rank and
 * iv_percentile.  Aggregates over (ts, price...) rows kept in a float8[] state
 * (rows.c); the numerics (src/num/realized.c) sort the rows by time, so the result does
 * not depend on row order and the aggregates have a combine function: they run as
 * window functions (OVER (ORDER BY day ROWS BETWEEN 20 PRECEDING AND CURRENT ROW)) and
 * in parallel plans alike.
 */
#include "condor.h"

#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "realized.h"
#include "rows.h"

#define DEFAULT_PERIODS_PER_YEAR 252.0

/* ---- close-to-close: header periods_per_year, zero_mean; rows ts, close ---- */

static const condor_cell cc_hdr[] = {CELL_POSITIVE, CELL_FLAG};
static const condor_cell cc_col[] = {CELL_TIME, CELL_POSITIVE};
/* cn_realized_vol sorts the rows by (time, price) before any arithmetic */
static const condor_rowspec cc_spec = {"realized_vol", 2, cc_hdr, 2, cc_col, false, 1};

/* ---- OHLC bars: header periods_per_year; rows ts, open, high, low, close ---- */

static const condor_cell bar_hdr[] = {CELL_POSITIVE};
static const condor_cell bar_col[] = {CELL_TIME, CELL_POSITIVE, CELL_POSITIVE, CELL_POSITIVE,
CELL_POSITIVE};
/* one state for the four estimators (ohlc_vol_sfunc, ohlc_vol_combine) */
static const condor_rowspec bar_spec = {"ohlc_vol", 1, bar_hdr, 5, bar_col, false, 1};

/* ---- iv_rank, iv_percentile: rows ts, iv ---- */

static const condor_cell ivr_col[] = {CELL_TIME, CELL_FINITE};
static const condor_rowspec ivr_spec = {"iv_rank", 0, NULL, 2, ivr_col, false, 1};

/*
 * realized_vol_sfunc(state, ts, close [, periods_per_year [, zero_mean]]).  A row with
 * a NULL is skipped.
 */
PG_FUNCTION_INFO_V1(realized_vol_sfunc);
Datum
realized_vol_sfunc(PG_FUNCTION_ARGS)
{
	double		hdr[2] = {DEFAULT_PERIODS_PER_YEAR, 0.0};
	double		row[2];

	(void) condor_agg_context(fcinfo, "realized_vol_sfunc");
	if (condor_any_null(fcinfo, 1, PG_NARGS() - 1))
		CONDOR_KEEP_STATE();
	row[0] = condor_time_cell(PG_GETARG_TIMESTAMPTZ(1), "ts");
	row[1] = CONDOR_ARG(2, "close", ARG_POSITIVE);
	if (PG_NARGS() > 3)
		hdr[0] = CONDOR_ARG(3, "periods_per_year", ARG_POSITIVE);
	if (PG_NARGS() > 4)
		hdr[1] = PG_GETARG_BOOL(4) ? 1.0 : 0.0;
	return condor_rows_append(fcinfo, &cc_spec, hdr, row);
}

PG_FUNCTION_INFO_V1(realized_vol_combine);
Datum
realized_vol_combine(PG_FUNCTION_ARGS)
{
	return condor_rows_combine(fcinfo, &cc_spec);
}

/* ohlc_vol_sfunc(state, ts, open, high, low, close [, periods_per_year]) */
PG_FUNCTION_INFO_V1(ohlc_vol_sfunc);
Datum
ohlc_vol_sfunc(PG_FUNCTION_ARGS)
{
	double		hdr[1] = {DEFAULT_PERIODS_PER_YEAR};
	double		row[5];

	(void) condor_agg_context(fcinfo, "ohlc_vol_sfunc");
	if (condor_any_null(fcinfo, 1, PG_NARGS() - 1))
		CONDOR_KEEP_STATE();
	row[0] = condor_time_cell(PG_GETARG_TIMESTAMPTZ(1), "ts");
	row[1] = CONDOR_ARG(2, "open", ARG_POSITIVE);
	row[2] = CONDOR_ARG(3, "high", ARG_POSITIVE);
	row[3] = CONDOR_ARG(4, "low", ARG_POSITIVE);
	row[4] = CONDOR_ARG(5, "close", ARG_POSITIVE);
	if (PG_NARGS() > 6)
		hdr[0] = CONDOR_ARG(6, "periods_per_year", ARG_POSITIVE);
	if (row[2] < Max(row[1], row[4]) || row[3] > Min(row[1], row[4]))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid bar at \"%s\"", timestamptz_to_str(PG_GETARG_TIMESTAMPTZ(1))),
				 errdetail("open %s, high %s, low %s, close %s: the high must be at or above the open and the close, the low at or below them.",
						   condor_float8_text(row[1]), condor_float8_text(row[2]),
						   condor_float8_text(row[3]), condor_float8_text(row[4]))));
	return condor_rows_append(fcinfo, &bar_spec, hdr, row);
}

PG_FUNCTION_INFO_V1(ohlc_vol_combine);
Datum
ohlc_vol_combine(PG_FUNCTION_ARGS)
{
	return condor_rows_combine(fcinfo, &bar_spec);
}

/* Raise 22023 for two rows at one time. */
static void pg_attribute_noreturn()
two_rows(const char *what, double t)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: two rows at \"%s\"", what, timestamptz_to_str((TimestampTz) t)),
			 errhint("One row per time: partition the window by the series (the symbol).")));
}

/* The estimate of a state, or NULL when there are too few rows. */
static Datum
realized_final_common(FunctionCallInfo fcinfo, int estimator, const char *what)
{
	const condor_rowspec *spec = estimator == CN_RV_CLOSE ? &cc_spec : &bar_spec;
	const double *hdr;
	int			n,
				rc,
				bad_row;
	double	   *v,
				out,
				bad_t = 0;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	/* condor_rows_read copies the rows; the numerics sort that copy in place */
	v = (double *) condor_rows_read(PG_GETARG_DATUM(0), spec, &hdr, &n);
	rc = cn_realized_vol(estimator, v, n, hdr[0], estimator == CN_RV_CLOSE && hdr[1] != 0,
						 &out, &bad_t, &bad_row);
	if (rc == CN_RV_EDUP)
		two_rows(what, bad_t);
	if (rc == CN_RV_EROW)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s state", spec->what),
				 errdetail("A bar's high or low does not contain its open and close.")));
	if (rc != CN_RV_OK)
		PG_RETURN_NULL();		/* too few rows */
	PG_RETURN_FLOAT8(out);
}

PG_FUNCTION_INFO_V1(realized_vol_final);
Datum
realized_vol_final(PG_FUNCTION_ARGS)
{
	return realized_final_common(fcinfo, CN_RV_CLOSE, "realized_vol");
}

PG_FUNCTION_INFO_V1(parkinson_vol_final);
Datum
parkinson_vol_final(PG_FUNCTION_ARGS)
{
	return realized_final_common(fcinfo, CN_RV_PARKINSON, "parkinson_vol");
}

PG_FUNCTION_INFO_V1(garman_klass_vol_final);
Datum
garman_klass_vol_final(PG_FUNCTION_ARGS)
{
	return realized_final_common(fcinfo, CN_RV_GARMAN_KLASS, "garman_klass_vol");
}

PG_FUNCTION_INFO_V1(rogers_satchell_vol_final);
Datum
rogers_satchell_vol_final(PG_FUNCTION_ARGS)
{
	return realized_final_common(fcinfo, CN_RV_ROGERS_SATCHELL, "rogers_satchell_vol");
}

PG_FUNCTION_INFO_V1(yang_zhang_vol_final);
Datum
yang_zhang_vol_final(PG_FUNCTION_ARGS)
{
	return realized_final_common(fcinfo, CN_RV_YANG_ZHANG, "yang_zhang_vol");
}

/* ---- iv_rank, iv_percentile ---- */

/* iv_rank_sfunc(state, ts, iv): shared by iv_rank and iv_percentile */
PG_FUNCTION_INFO_V1(iv_rank_sfunc);
Datum
iv_rank_sfunc(PG_FUNCTION_ARGS)
{
	double		row[2];

	(void) condor_agg_context(fcinfo, "iv_rank_sfunc");
	if (condor_any_null(fcinfo, 1, 2))
		CONDOR_KEEP_STATE();
	row[0] = condor_time_cell(PG_GETARG_TIMESTAMPTZ(1), "ts");
	row[1] = CONDOR_ARG(2, "iv", ARG_FINITE);
	return condor_rows_append(fcinfo, &ivr_spec, NULL, row);
}

PG_FUNCTION_INFO_V1(iv_rank_combine);
Datum
iv_rank_combine(PG_FUNCTION_ARGS)
{
	return condor_rows_combine(fcinfo, &ivr_spec);
}

static Datum
rank_final_common(FunctionCallInfo fcinfo, bool percentile, const char *what)
{
	const double *hdr;
	int			n;
	double	   *v,
				rank,
				pct,
				bad_t = 0,
				out;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	v = (double *) condor_rows_read(PG_GETARG_DATUM(0), &ivr_spec, &hdr, &n);
	if (cn_iv_rank(v, n, &rank, &pct, &bad_t) == CN_RV_EDUP)
		two_rows(what, bad_t);
	out = percentile ? pct : rank;
	if (isnan(out))
		PG_RETURN_NULL();		/* one row, or (rank) a flat history */
	PG_RETURN_FLOAT8(out);
}

PG_FUNCTION_INFO_V1(iv_rank_final);
Datum
iv_rank_final(PG_FUNCTION_ARGS)
{
	return rank_final_common(fcinfo, false, "iv_rank");
}

PG_FUNCTION_INFO_V1(iv_percentile_final);
Datum
iv_percentile_final(PG_FUNCTION_ARGS)
{
	return rank_final_common(fcinfo, true, "iv_percentile");
}
