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
signal_state(FunctionCallInfo fcinfo, int k, const char *what, bool *fresh)
{
	MemoryContext aggcxt;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "%s called in non-aggregate context", what);
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

static const double *
signal_values(ArrayType *a, int k, const char *what)
{
	if (ARR_ELEMTYPE(a) != FLOAT8OID || ARR_NDIM(a) != 1 || ARR_HASNULL(a) ||
		ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a)) != k)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s state", what)));
	return (const double *) ARR_DATA_PTR(a);
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

	if (condor_any_null(fcinfo, 1, PG_NARGS() - 1))
		CONDOR_KEEP_STATE();
	span = PG_GETARG_INT32(2);
	a = signal_state(fcinfo, CN_EMA_NSTATE, "ema", &fresh);
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
	signal_check(cn_ema_load(&s, v, CN_EMA_NSTATE, (int) v[1]), "ema", "span");
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

	if (condor_any_null(fcinfo, 1, PG_NARGS() - 1))
		CONDOR_KEEP_STATE();
	period = period_arg(fcinfo, 2, CN_RSI_DEFAULT_PERIOD);
	a = signal_state(fcinfo, CN_RSI_NSTATE, "rsi", &fresh);
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
	signal_check(cn_rsi_load(&s, v, CN_RSI_NSTATE, (int) v[1]), "rsi", "period");
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
	int			fast = period_arg(fcinfo, 2, CN_MACD_DEFAULT_FAST);
	int			slow = period_arg(fcinfo, 3, CN_MACD_DEFAULT_SLOW);
	int			sig = period_arg(fcinfo, 4, CN_MACD_DEFAULT_SIGNAL);

	if (condor_any_null(fcinfo, 1, PG_NARGS() - 1))
		CONDOR_KEEP_STATE();
	a = signal_state(fcinfo, CN_MACD_NSTATE, "macd", &fresh);
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
	signal_check(cn_macd_load(&s, v, CN_MACD_NSTATE, (int) v[1], (int) v[2], (int) v[3]),
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

/* ---- xirr(amount, at), irr(amount, period) ---- */

#define IRR_W 2					/* amount, time (days or periods) */

/* xirr over dates: days since 2000-01-01; over timestamptz: fractional days. */
PG_FUNCTION_INFO_V1(xirr_sfunc);
Datum
xirr_sfunc(PG_FUNCTION_ARGS)
{
	double		row[IRR_W];
	Oid			t = get_fn_expr_argtype(fcinfo->flinfo, 2);

	if (condor_any_null(fcinfo, 1, PG_NARGS() - 1))
		CONDOR_KEEP_STATE();
	row[0] = CONDOR_ARG(1, "amount", ARG_FINITE);
	if (t == DATEOID)
	{
		DateADT		d = PG_GETARG_DATEADT(2);

		if (DATE_NOT_FINITE(d))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("xirr: dates must be finite")));
		row[1] = d;
	}
	else
	{
		TimestampTz ts = PG_GETARG_TIMESTAMPTZ(2);

		if (TIMESTAMP_NOT_FINITE(ts))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("xirr: timestamps must be finite")));
		row[1] = (double) ts / USECS_PER_DAY;
	}
	return condor_rows_append(fcinfo, "xirr", NULL, 0, row, IRR_W);
}

PG_FUNCTION_INFO_V1(irr_sfunc);
Datum
irr_sfunc(PG_FUNCTION_ARGS)
{
	double		row[IRR_W];

	if (condor_any_null(fcinfo, 1, PG_NARGS() - 1))
		CONDOR_KEEP_STATE();
	row[0] = CONDOR_ARG(1, "amount", ARG_FINITE);
	row[1] = PG_GETARG_INT32(2);
	return condor_rows_append(fcinfo, "irr", NULL, 0, row, IRR_W);
}

PG_FUNCTION_INFO_V1(irr_combine);
Datum
irr_combine(PG_FUNCTION_ARGS)
{
	return condor_rows_combine(fcinfo, "irr", 0, IRR_W);
}

static Datum
irr_final_common(FunctionCallInfo fcinfo, bool dated)
{
	const double *hdr,
			   *v;
	int			n,
				rc;
	double	   *amount,
			   *at,
				rate;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	v = condor_rows_read(PG_GETARG_DATUM(0), dated ? "xirr" : "irr", 0, IRR_W, &hdr, &n);
	amount = condor_rows_column(v, n, IRR_W, 0);
	at = condor_rows_column(v, n, IRR_W, 1);
	rc = dated ? cn_xirr(amount, at, n, &rate) : cn_irr(amount, at, n, &rate);
	if (rc == CN_IRR_ENOMEM)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	if (rc == CN_IRR_EARG)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid cash flows for %s", dated ? "xirr" : "irr")));
	if (rc != CN_IRR_OK)
		PG_RETURN_NULL();		/* no sign change, or no rate exists */
	PG_RETURN_FLOAT8(rate);
}

PG_FUNCTION_INFO_V1(xirr_final);
Datum
xirr_final(PG_FUNCTION_ARGS)
{
	return irr_final_common(fcinfo, true);
}

PG_FUNCTION_INFO_V1(irr_final);
Datum
irr_final(PG_FUNCTION_ARGS)
{
	return irr_final_common(fcinfo, false);
}
