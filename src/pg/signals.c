/*
 * signals.c -- market signals as aggregates usable as running window functions
 * (ema, rsi, macd), and returns (xirr, irr).
 *
 * The indicator states are short float8[] arrays (a tag, the parameters, a count and the
 * running values: src/num/signals.h), updated in place in the aggregate's memory
 * context.  They depend on row order, so they have no combine function: a partial
 * aggregate over an arbitrary share of the rows would be meaningless, and PostgreSQL
 * then simply does not split them across workers.  xirr and irr do not depend on order;
 * they collect (amount, time) rows in a float8[] state (rows.c) and combine by
 * concatenation.
 */
#include "condor.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/timestamp.h"

#include "irr.h"
#include "rows.h"
#include "signals.h"

/* The state array (argument 0), created with k zeros on the first row. */
static ArrayType *
signal_state(FunctionCallInfo fcinfo, MemoryContext aggcxt, int k, bool *fresh)
{
	*fresh = PG_ARGISNULL(0);
	if (*fresh)
	{
		MemoryContext old = MemoryContextSwitchTo(aggcxt);
		Datum	   *zeros = palloc0(sizeof(Datum) * k);
		ArrayType  *a;

		for (int i = 0; i < k; i++)
			zeros[i] = Float8GetDatum(0.0);
		a = construct_array(zeros, k, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
		MemoryContextSwitchTo(old);
		return a;
	}
	return PG_GETARG_ARRAYTYPE_P(0);
}

/* The k values of a state, after checking its shape (the values: cn_*_load). */
static const double *
signal_values(ArrayType *a, int k, const char *what)
{
	if (ARR_ELEMTYPE(a) != FLOAT8OID || ARR_NDIM(a) != 1 || ARR_LBOUND(a)[0] != 1 ||
		ARR_HASNULL(a) || ARR_DIMS(a)[0] != k ||
		ARR_DATA_OFFSET(a) + k * sizeof(double) > VARSIZE(a))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s state", what),
				 errdetail("A %s state is a one-dimensional float8 array of %d values without NULLs.",
						   what, k)));
	return (const double *) ARR_DATA_PTR(a);
}

/*
 * A period as stored in a state, or 0 (which every cn_*_load refuses) when the value
 * is not a whole number in range: never an out-of-range conversion to int.
 */
static int
stored_period(double x)
{
	return (x >= 1 && x <= CN_SIG_MAX_PERIOD && x == floor(x)) ? (int) x : 0;
}

static void
signal_check(int rc, const char *what, const char *param)
{
	if (rc == CN_SIG_EPARAM)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s for %s", param, what),
				 errdetail("Periods must be whole numbers from 1 to 100000%s.",
						   strcmp(what, "macd") == 0 ? ", and fast shorter than slow" : "")));
	if (rc == CN_SIG_EVALUE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the series value must be a finite number", what)));
	if (rc != CN_SIG_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s state", what),
				 errdetail("The state does not match the aggregate's parameters.")));
}

/* The period argument at position n (int), or def when the aggregate has no such argument. */
static int
period_arg(FunctionCallInfo fcinfo, int n, int def)
{
	return PG_NARGS() > n ? PG_GETARG_INT32(n) : def;
}

/* ---- ema(x, span) ---- */

PG_FUNCTION_INFO_V1(ema_sfunc);
Datum
ema_sfunc(PG_FUNCTION_ARGS)
{
	ArrayType  *a;
	cn_ema		s;
	bool		fresh;
	int			span;

	MemoryContext aggcxt = condor_agg_context(fcinfo, "ema_sfunc");

	if (condor_any_null(fcinfo, 1, PG_NARGS() - 1))
		CONDOR_KEEP_STATE();
	span = PG_GETARG_INT32(2);
	a = signal_state(fcinfo, aggcxt, CN_EMA_NSTATE, &fresh);
	signal_check(fresh ? cn_ema_init(&s, span)
				 : cn_ema_load(&s, signal_values(a, CN_EMA_NSTATE, "ema"), CN_EMA_NSTATE, span),
				 "ema", "span");
	signal_check(cn_ema_step(&s, PG_GETARG_FLOAT8(1)), "ema", "span");
	cn_ema_store(&s, (double *) ARR_DATA_PTR(a));
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(ema_final);
Datum
ema_final(PG_FUNCTION_ARGS)
{
	const double *v;
	cn_ema		s;
	double		x;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	v = signal_values(PG_GETARG_ARRAYTYPE_P(0), CN_EMA_NSTATE, "ema");
	signal_check(cn_ema_load(&s, v, CN_EMA_NSTATE, stored_period(v[1])), "ema", "span");
	x = cn_ema_value(&s);
	if (isnan(x))
		PG_RETURN_NULL();		/* not warmed up */
	PG_RETURN_FLOAT8(x);
}

/* ---- rsi(x [, period]) ---- */

PG_FUNCTION_INFO_V1(rsi_sfunc);
Datum
rsi_sfunc(PG_FUNCTION_ARGS)
{
	ArrayType  *a;
	cn_rsi		s;
	bool		fresh;
	int			period;

	MemoryContext aggcxt = condor_agg_context(fcinfo, "rsi_sfunc");

	if (condor_any_null(fcinfo, 1, PG_NARGS() - 1))
		CONDOR_KEEP_STATE();
	period = period_arg(fcinfo, 2, CN_RSI_DEFAULT_PERIOD);
	a = signal_state(fcinfo, aggcxt, CN_RSI_NSTATE, &fresh);
	signal_check(fresh ? cn_rsi_init(&s, period)
				 : cn_rsi_load(&s, signal_values(a, CN_RSI_NSTATE, "rsi"), CN_RSI_NSTATE, period),
				 "rsi", "period");
	signal_check(cn_rsi_step(&s, PG_GETARG_FLOAT8(1)), "rsi", "period");
	cn_rsi_store(&s, (double *) ARR_DATA_PTR(a));
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(rsi_final);
Datum
rsi_final(PG_FUNCTION_ARGS)
{
	const double *v;
	cn_rsi		s;
	double		x;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	v = signal_values(PG_GETARG_ARRAYTYPE_P(0), CN_RSI_NSTATE, "rsi");
	signal_check(cn_rsi_load(&s, v, CN_RSI_NSTATE, stored_period(v[1])), "rsi", "period");
	x = cn_rsi_value(&s);
	if (isnan(x))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(x);
}

/* ---- macd(x [, fast, slow, signal]) ---- */

PG_FUNCTION_INFO_V1(macd_sfunc);
Datum
macd_sfunc(PG_FUNCTION_ARGS)
{
	ArrayType  *a;
	cn_macd		s;
	bool		fresh;
	MemoryContext aggcxt = condor_agg_context(fcinfo, "macd_sfunc");
	int			fast,
				slow,
				sig;

	if (condor_any_null(fcinfo, 1, PG_NARGS() - 1))
		CONDOR_KEEP_STATE();
	fast = period_arg(fcinfo, 2, CN_MACD_DEFAULT_FAST);
	slow = period_arg(fcinfo, 3, CN_MACD_DEFAULT_SLOW);
	sig = period_arg(fcinfo, 4, CN_MACD_DEFAULT_SIGNAL);
	a = signal_state(fcinfo, aggcxt, CN_MACD_NSTATE, &fresh);
	signal_check(fresh ? cn_macd_init(&s, fast, slow, sig)
				 : cn_macd_load(&s, signal_values(a, CN_MACD_NSTATE, "macd"), CN_MACD_NSTATE,
								fast, slow, sig),
				 "macd", "periods");
	signal_check(cn_macd_step(&s, PG_GETARG_FLOAT8(1)), "macd", "periods");
	cn_macd_store(&s, (double *) ARR_DATA_PTR(a));
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(macd_final);
Datum
macd_final(PG_FUNCTION_ARGS)
{
	const double *v;
	cn_macd		s;
	double		out[3];
	Datum		values[3];
	bool		nulls[3];
	TupleDesc	desc;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	v = signal_values(PG_GETARG_ARRAYTYPE_P(0), CN_MACD_NSTATE, "macd");
	signal_check(cn_macd_load(&s, v, CN_MACD_NSTATE, stored_period(v[1]), stored_period(v[2]),
							  stored_period(v[3])),
				 "macd", "periods");
	cn_macd_value(&s, &out[0], &out[1], &out[2]);
	for (int i = 0; i < 3; i++)
	{
		values[i] = Float8GetDatum(out[i]);
		nulls[i] = isnan(out[i]);	/* each part NULL until it is warmed up */
	}
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}

/* ---- xirr(amount, at [, guess]), irr(amount, period [, guess]) ---- */

/*
 * Rows: amount, time (xirr: days since 2000-01-01, fractional for timestamps; irr: the
 * period).  The forms with a guess carry it as their one header value.
 */
static const condor_cell xirr_col[] = {CELL_FINITE, CELL_DAYS};
static const condor_cell irr_col[] = {CELL_FINITE, CELL_INT32};
static const condor_cell guess_hdr[] = {CELL_FINITE};
/* cn_xirr and cn_irr sort the flows by (time, amount) before any arithmetic */
static const condor_rowspec xirr_spec = {"xirr", 0, NULL, 2, xirr_col, false, 1};
static const condor_rowspec irr_spec = {"irr", 0, NULL, 2, irr_col, false, 1};
static const condor_rowspec xirr_guess_spec = {"xirr", 1, guess_hdr, 2, xirr_col, false, 1};
static const condor_rowspec irr_guess_spec = {"irr", 1, guess_hdr, 2, irr_col, false, 1};

#define DEFAULT_GUESS 0.1		/* as spreadsheets */

/* The guess argument n: finite and > -1 (a rate of -100% or less has no meaning). */
static double
guess_arg(FunctionCallInfo fcinfo, int n)
{
	double		g = PG_GETARG_FLOAT8(n);

	if (!(g > -1.0) || !isfinite(g))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid guess \"%s\"", condor_float8_text(g)),
				 errdetail("guess must be a finite rate greater than -1 (0.1 = 10%%).")));
	return g;
}

/* One cash flow at time "days"; with a guess as argument 3 when guessed. */
static Datum
flow_append(FunctionCallInfo fcinfo, const condor_rowspec *spec, double days)
{
	double		hdr[1];
	double		row[2];

	row[0] = CONDOR_ARG(1, "amount", ARG_FINITE);
	row[1] = days;
	if (spec->nhdr > 0)
		hdr[0] = guess_arg(fcinfo, 3);
	return condor_rows_append(fcinfo, spec, hdr, row);
}

/* Days since 2000-01-01 of a date, or 22023. */
static double
date_days(FunctionCallInfo fcinfo)
{
	DateADT		d = PG_GETARG_DATEADT(2);

	if (DATE_NOT_FINITE(d))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("xirr: dates must be finite")));
	return d;
}

/* Fractional days since 2000-01-01 of a timestamp, or 22023. */
static double
timestamp_days(FunctionCallInfo fcinfo)
{
	TimestampTz ts = PG_GETARG_TIMESTAMPTZ(2);

	if (TIMESTAMP_NOT_FINITE(ts))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("xirr: timestamps must be finite")));
	return (double) ts / USECS_PER_DAY;
}

/* The period of irr, an int argument. */
static double
period_value(FunctionCallInfo fcinfo)
{
	return PG_GETARG_INT32(2);
}

/*
 * Transition functions: one C entry point per argument type (no function can ask the
 * expression tree which type it was given: Citus calls them without one).
 */
#define FLOW_SFUNC(name, spec, timefn) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	(void) condor_agg_context(fcinfo, #name); \
	if (condor_any_null(fcinfo, 1, PG_NARGS() - 1)) \
		CONDOR_KEEP_STATE(); \
	return flow_append(fcinfo, &(spec), timefn(fcinfo)); \
}

FLOW_SFUNC(xirr_date_sfunc, xirr_spec, date_days)
FLOW_SFUNC(xirr_sfunc, xirr_spec, timestamp_days)
FLOW_SFUNC(irr_sfunc, irr_spec, period_value)
FLOW_SFUNC(xirr_guess_date_sfunc, xirr_guess_spec, date_days)
FLOW_SFUNC(xirr_guess_sfunc, xirr_guess_spec, timestamp_days)
FLOW_SFUNC(irr_guess_sfunc, irr_guess_spec, period_value)

/* xirr and irr states have the same shape, so one combine serves both. */
PG_FUNCTION_INFO_V1(irr_combine);
Datum
irr_combine(PG_FUNCTION_ARGS)
{
	return condor_rows_combine(fcinfo, &xirr_spec);
}

PG_FUNCTION_INFO_V1(irr_guess_combine);
Datum
irr_guess_combine(PG_FUNCTION_ARGS)
{
	return condor_rows_combine(fcinfo, &xirr_guess_spec);
}

static Datum
irr_final_common(FunctionCallInfo fcinfo, const condor_rowspec *spec, bool dated)
{
	const double *hdr,
			   *v;
	int			n,
				rc;
	double		rate;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	v = condor_rows_read(PG_GETARG_DATUM(0), spec, &hdr, &n);
	rc = (dated ? cn_xirr : cn_irr) (condor_rows_column(v, n, 2, 0),
									  condor_rows_column(v, n, 2, 1), n,
									  spec->nhdr > 0 ? hdr[0] : DEFAULT_GUESS, &rate);
	if (rc == CN_IRR_ENOMEM)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	if (rc == CN_IRR_EARG)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid cash flows for %s", spec->what),
				 errdetail("The guess must be greater than -1.")));
	if (rc != CN_IRR_OK)
		PG_RETURN_NULL();		/* no sign change, or no rate exists */
	PG_RETURN_FLOAT8(rate);
}

PG_FUNCTION_INFO_V1(xirr_final);
Datum
xirr_final(PG_FUNCTION_ARGS)
{
	return irr_final_common(fcinfo, &xirr_spec, true);
}

PG_FUNCTION_INFO_V1(irr_final);
Datum
irr_final(PG_FUNCTION_ARGS)
{
	return irr_final_common(fcinfo, &irr_spec, false);
}

PG_FUNCTION_INFO_V1(xirr_guess_final);
Datum
xirr_guess_final(PG_FUNCTION_ARGS)
{
	return irr_final_common(fcinfo, &xirr_guess_spec, true);
}

PG_FUNCTION_INFO_V1(irr_guess_final);
Datum
irr_guess_final(PG_FUNCTION_ARGS)
{
	return irr_final_common(fcinfo, &irr_guess_spec, false);
}
