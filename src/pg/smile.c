/*
 * smile.c -- SQL glue for the vol dashboard's chain figures: cm_vol (constant-maturity
 * ATM vol: IV30, IV60 ...) and cm_vol_status, skew (ATM, 25-delta put and call, risk
 * reversal, butterfly, 90% / 110% vols of one expiry) and delta_vol (the vol at any
 * delta).  The aggregates keep their rows in a float8[] state (rows.c); the numerics,
 * which sort the rows themselves, are src/num/smile.c.
 */
#include "condor.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "rows.h"
#include "smile.h"

#define USECS_PER_YEAR_365 (365.0 * USECS_PER_DAY)

/* Form a composite result of the function's declared row type. */
static Datum
form_result(FunctionCallInfo fcinfo, Datum *values, bool *nulls)
{
	TupleDesc	desc;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	desc = BlessTupleDesc(desc);
	return HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
}

/*
 * The rows of a state as a writable copy: condor_rows_read copies them, and the
 * numerics sort that copy in place.
 */
static double *
read_rows(Datum state, const condor_rowspec *spec, const double **hdr, int *n)
{
	return (double *) condor_rows_read(state, spec, hdr, n);
}

/* ---- cm_vol ---- */

/*
 * Two forms.  With timestamps: header as_of, target_days; rows expiry, strike, forward,
 * iv.  With year fractions: header target_days; rows t, strike, forward, iv.
 * cn_cm_vol sorts the rows (t, strike, forward, iv) before any arithmetic.
 */
static const condor_cell cmts_hdr[] = {CELL_TIME, CELL_POSITIVE};
static const condor_cell cmts_col[] = {CELL_TIME, CELL_POSITIVE, CELL_POSITIVE, CELL_POSITIVE};
static const condor_rowspec cmts_spec = {"cm_vol", 2, cmts_hdr, 4, cmts_col, false, 1};
static const condor_cell cmt_hdr[] = {CELL_POSITIVE};
static const condor_cell cmt_col[] = {CELL_POSITIVE, CELL_POSITIVE, CELL_POSITIVE, CELL_POSITIVE};
static const condor_rowspec cmt_spec = {"cm_vol", 1, cmt_hdr, 4, cmt_col, false, 1};

/* cm_vol_ts_sfunc(state, as_of, expiry, strike, forward, iv, target_days) */
PG_FUNCTION_INFO_V1(cm_vol_ts_sfunc);
Datum
cm_vol_ts_sfunc(PG_FUNCTION_ARGS)
{
	double		hdr[2];
	double		row[4];

	(void) condor_agg_context(fcinfo, "cm_vol_ts_sfunc");
	if (condor_any_null(fcinfo, 1, 6))
		CONDOR_KEEP_STATE();
	hdr[0] = condor_time_cell(PG_GETARG_TIMESTAMPTZ(1), "as_of");
	hdr[1] = CONDOR_ARG(6, "target_days", ARG_POSITIVE);
	row[0] = condor_time_cell(PG_GETARG_TIMESTAMPTZ(2), "expiry");
	row[1] = CONDOR_ARG(3, "strike", ARG_POSITIVE);
	row[2] = CONDOR_ARG(4, "forward", ARG_POSITIVE);
	row[3] = CONDOR_ARG(5, "iv", ARG_POSITIVE);
	return condor_rows_append(fcinfo, &cmts_spec, hdr, row);
}

/* cm_vol_sfunc(state, t, strike, forward, iv, target_days) */
PG_FUNCTION_INFO_V1(cm_vol_sfunc);
Datum
cm_vol_sfunc(PG_FUNCTION_ARGS)
{
	double		hdr[1];
	double		row[4];

	(void) condor_agg_context(fcinfo, "cm_vol_sfunc");
	if (condor_any_null(fcinfo, 1, 5))
		CONDOR_KEEP_STATE();
	hdr[0] = CONDOR_ARG(5, "target_days", ARG_POSITIVE);
	row[0] = CONDOR_ARG(1, "t", ARG_POSITIVE);
	row[1] = CONDOR_ARG(2, "strike", ARG_POSITIVE);
	row[2] = CONDOR_ARG(3, "forward", ARG_POSITIVE);
	row[3] = CONDOR_ARG(4, "iv", ARG_POSITIVE);
	return condor_rows_append(fcinfo, &cmt_spec, hdr, row);
}

PG_FUNCTION_INFO_V1(cm_vol_ts_combine);
Datum
cm_vol_ts_combine(PG_FUNCTION_ARGS)
{
	return condor_rows_combine(fcinfo, &cmts_spec);
}

PG_FUNCTION_INFO_V1(cm_vol_combine);
Datum
cm_vol_combine(PG_FUNCTION_ARGS)
{
	return condor_rows_combine(fcinfo, &cmt_spec);
}

/*
 * The constant-maturity vol of a state: true with *out, or false with the reason in
 * why (no expiry after as_of, none whose strikes bracket its forward).  One expiry
 * with two forwards is a grouping mistake: 22023.
 */
static bool
cm_run(Datum state, bool timed, double *out, const char **why)
{
	const double *hdr;
	int			n,
				m = 0,
				used,
				rc;
	double	   *v = read_rows(state, timed ? &cmts_spec : &cmt_spec, &hdr, &n);
	double		target_t,
				bad_t = 0;
	double	   *work;

	if (timed)
	{
		/* rows of expiries after as_of, with t = ACT/365 as year_frac computes it */
		for (int i = 0; i < n; i++)
			if (v[4 * i] > hdr[0])
			{
				v[4 * m] = (v[4 * i] - hdr[0]) / USECS_PER_YEAR_365;
				for (int c = 1; c < 4; c++)
					v[4 * m + c] = v[4 * i + c];
				m++;
			}
		target_t = hdr[1] / 365.0;
	}
	else
	{
		m = n;
		target_t = hdr[0] / 365.0;
	}
	if (m == 0)
	{
		*why = "no expiry after as_of";
		return false;
	}
	work = palloc(sizeof(double) * 6 * m);
	rc = cn_cm_vol(v, m, target_t, work, out, &bad_t, &used);
	if (rc == CN_SMILE_EFWD)
	{
		const char *which = timed ?
			psprintf("\"%s\"", timestamptz_to_str((TimestampTz) llround(hdr[0] + bad_t * USECS_PER_YEAR_365))) :
			psprintf("at t \"%s\"", condor_float8_text(bad_t));

		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cm_vol: two forwards for the expiry %s", which),
				 errhint("Give every row of an expiry the same forward, and group by the quote time.")));
	}
	if (rc == CN_SMILE_EROW)
		condor_rows_bad_state(&cmt_spec, "A strike, forward, time or vol is not positive.");
	if (rc != CN_SMILE_OK)
	{
		*why = "no expiry with strikes on both sides of its forward";
		return false;
	}
	return true;
}

static Datum
cm_final_common(FunctionCallInfo fcinfo, bool timed)
{
	double		out;
	const char *why;

	if (PG_ARGISNULL(0) || !cm_run(PG_GETARG_DATUM(0), timed, &out, &why))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(out);
}

static Datum
cm_status_common(FunctionCallInfo fcinfo, bool timed)
{
	double		out;
	const char *why = "ok";

	if (PG_ARGISNULL(0))
		PG_RETURN_TEXT_P(cstring_to_text("no rows"));
	(void) cm_run(PG_GETARG_DATUM(0), timed, &out, &why);
	PG_RETURN_TEXT_P(cstring_to_text(why));
}

PG_FUNCTION_INFO_V1(cm_vol_ts_final);
Datum
cm_vol_ts_final(PG_FUNCTION_ARGS)
{
	return cm_final_common(fcinfo, true);
}

PG_FUNCTION_INFO_V1(cm_vol_final);
Datum
cm_vol_final(PG_FUNCTION_ARGS)
{
	return cm_final_common(fcinfo, false);
}

PG_FUNCTION_INFO_V1(cm_vol_ts_status_final);
Datum
cm_vol_ts_status_final(PG_FUNCTION_ARGS)
{
	return cm_status_common(fcinfo, true);
}

PG_FUNCTION_INFO_V1(cm_vol_status_final);
Datum
cm_vol_status_final(PG_FUNCTION_ARGS)
{
	return cm_status_common(fcinfo, false);
}

/* ---- skew and delta_vol: one expiry's quotes ---- */

/* header: forward, t (skew), and the delta (delta_vol); rows: strike, iv */
static const condor_cell skew_hdr[] = {CELL_POSITIVE, CELL_POSITIVE};
static const condor_cell dv_hdr[] = {CELL_POSITIVE, CELL_POSITIVE, CELL_FINITE};
static const condor_cell smile_col[] = {CELL_POSITIVE, CELL_POSITIVE};
/* cn_smile_build sorts the quotes (strike, iv) before any arithmetic */
static const condor_rowspec skew_spec = {"skew", 2, skew_hdr, 2, smile_col, false, 1};
/* the delta is stored as given; its range, (-1, 0) or (0, 1), is checked by the final */
static const condor_rowspec dv_spec = {"delta_vol", 3, dv_hdr, 2, smile_col, false, 1};

/* skew_sfunc(state, strike, iv, forward, t) */
PG_FUNCTION_INFO_V1(skew_sfunc);
Datum
skew_sfunc(PG_FUNCTION_ARGS)
{
	double		hdr[2];
	double		row[2];

	(void) condor_agg_context(fcinfo, "skew_sfunc");
	if (condor_any_null(fcinfo, 1, 4))
		CONDOR_KEEP_STATE();
	row[0] = CONDOR_ARG(1, "strike", ARG_POSITIVE);
	row[1] = CONDOR_ARG(2, "iv", ARG_POSITIVE);
	hdr[0] = CONDOR_ARG(3, "forward", ARG_POSITIVE);
	hdr[1] = CONDOR_ARG(4, "t", ARG_POSITIVE);
	return condor_rows_append(fcinfo, &skew_spec, hdr, row);
}

PG_FUNCTION_INFO_V1(skew_combine);
Datum
skew_combine(PG_FUNCTION_ARGS)
{
	return condor_rows_combine(fcinfo, &skew_spec);
}

/* The smile of a state's quotes (forward hdr[0], t hdr[1]). */
static void
state_smile(Datum state, const condor_rowspec *spec, const double **hdr, cn_smile *s)
{
	int			n;
	double	   *v = read_rows(state, spec, hdr, &n);
	double	   *k = palloc(sizeof(double) * Max(n, 1));
	double	   *var = palloc(sizeof(double) * Max(n, 1));

	if (cn_smile_build(v, n, (*hdr)[0], (*hdr)[1], k, var, s) != CN_SMILE_OK)
		condor_rows_bad_state(spec, "A strike, the forward, the time or a vol is not positive.");
}

PG_FUNCTION_INFO_V1(skew_final);
Datum
skew_final(PG_FUNCTION_ARGS)
{
	const double *hdr;
	cn_smile	s;
	cn_skew		sk;
	double		f[9];
	Datum		values[9];
	bool		nulls[9];

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state_smile(PG_GETARG_DATUM(0), &skew_spec, &hdr, &s);
	cn_smile_skew(&s, hdr[0], &sk);
	f[0] = sk.atm;
	f[1] = sk.put25;
	f[2] = sk.call25;
	f[3] = sk.rr25;
	f[4] = sk.bf25;
	f[5] = sk.m90;
	f[6] = sk.m110;
	f[7] = sk.put25_strike;
	f[8] = sk.call25_strike;
	for (int i = 0; i < 9; i++)
	{
		values[i] = Float8GetDatum(f[i]);
		nulls[i] = isnan(f[i]);	/* atm and bf25 when the quotes miss the forward */
	}
	PG_RETURN_DATUM(form_result(fcinfo, values, nulls));
}

/* A call delta in (0, 1) or a put delta in (-1, 0). */
static bool
delta_ok(double delta)
{
	return delta > -1 && delta < 1 && delta != 0;
}

/* delta_vol_sfunc(state, strike, iv, forward, t, delta) */
PG_FUNCTION_INFO_V1(delta_vol_sfunc);
Datum
delta_vol_sfunc(PG_FUNCTION_ARGS)
{
	double		hdr[3];
	double		row[2];
	double		delta;

	(void) condor_agg_context(fcinfo, "delta_vol_sfunc");
	if (condor_any_null(fcinfo, 1, 5))
		CONDOR_KEEP_STATE();
	row[0] = CONDOR_ARG(1, "strike", ARG_POSITIVE);
	row[1] = CONDOR_ARG(2, "iv", ARG_POSITIVE);
	hdr[0] = CONDOR_ARG(3, "forward", ARG_POSITIVE);
	hdr[1] = CONDOR_ARG(4, "t", ARG_POSITIVE);
	delta = PG_GETARG_FLOAT8(5);
	if (!delta_ok(delta))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid delta \"%s\"", condor_float8_text(delta)),
				 errdetail("delta must be a forward delta in (0, 1) for a call or in (-1, 0) for a put (-0.25 for the 25-delta put).")));
	hdr[2] = delta;
	return condor_rows_append(fcinfo, &dv_spec, hdr, row);
}

PG_FUNCTION_INFO_V1(delta_vol_combine);
Datum
delta_vol_combine(PG_FUNCTION_ARGS)
{
	return condor_rows_combine(fcinfo, &dv_spec);
}

PG_FUNCTION_INFO_V1(delta_vol_final);
Datum
delta_vol_final(PG_FUNCTION_ARGS)
{
	const double *hdr;
	cn_smile	s;
	double		vol,
				delta;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state_smile(PG_GETARG_DATUM(0), &dv_spec, &hdr, &s);
	delta = hdr[2];
	if (!delta_ok(delta))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid delta_vol state"),
				 errdetail("Header value 3 is %s, not a delta in (-1, 0) or (0, 1).",
						   condor_float8_text(delta))));
	(void) cn_smile_delta_k(&s, delta, &vol);
	if (isnan(vol))
		elog(ERROR, "delta_vol: no strike found for delta %s", condor_float8_text(delta));
	PG_RETURN_FLOAT8(vol);
}
