/*
 * ssvi.c -- SQL glue for the SSVI surface (the composite type ssvi): ssvi_fit and
 * ssvi_fit_status over (t, k, w [, weight]) or (as_of, expiry, k, w [, weight]) rows,
 * ssvi_w, ssvi_vol, ssvi_calendar_free and ssvi_butterfly_free.  The aggregates keep
 * their rows in a float8[] state (rows.c); the numerics are src/num/ssvi.c.
 */
#include "condor.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "rows.h"
#include "ssvi.h"

#define ERRLEN 256
#define USECS_PER_YEAR_365 (365.0 * USECS_PER_DAY)

/*
 * Two forms.  With year fractions: rows t, k, w, weight.  With timestamps: header
 * as_of; rows expiry, k, w, weight.  presort is off: cn_ssvi_fit sorts the points by
 * (t, k, w, weight) before any arithmetic, and everything before it is row by row.
 */
static const condor_cell ssvi_col[] = {CELL_POSITIVE, CELL_FINITE, CELL_NONNEG, CELL_NONNEG};
static const condor_rowspec ssvi_spec = {"ssvi_fit", 0, NULL, 4, ssvi_col, false, 1};
static const condor_cell ssvits_hdr[] = {CELL_TIME};
static const condor_cell ssvits_col[] = {CELL_TIME, CELL_FINITE, CELL_NONNEG, CELL_NONNEG};
static const condor_rowspec ssvits_spec = {"ssvi_fit", 1, ssvits_hdr, 4, ssvits_col, false, 1};

/* ssvi_sfunc(state, t, k, w [, weight]) */
PG_FUNCTION_INFO_V1(ssvi_sfunc);
Datum
ssvi_sfunc(PG_FUNCTION_ARGS)
{
	double		row[4];

	(void) condor_agg_context(fcinfo, "ssvi_sfunc");
	if (condor_any_null(fcinfo, 1, 3) || (PG_NARGS() > 4 && PG_ARGISNULL(4)))
		CONDOR_KEEP_STATE();
	row[0] = CONDOR_ARG(1, "t", ARG_POSITIVE);
	row[1] = CONDOR_ARG(2, "k", ARG_FINITE);
	row[2] = CONDOR_ARG(3, "w", ARG_NONNEGATIVE);
	row[3] = PG_NARGS() > 4 ? CONDOR_ARG(4, "weight", ARG_NONNEGATIVE) : 1.0;
	return condor_rows_append(fcinfo, &ssvi_spec, NULL, row);
}

/* ssvi_ts_sfunc(state, as_of, expiry, k, w [, weight]) */
PG_FUNCTION_INFO_V1(ssvi_ts_sfunc);
Datum
ssvi_ts_sfunc(PG_FUNCTION_ARGS)
{
	double		hdr[1];
	double		row[4];

	(void) condor_agg_context(fcinfo, "ssvi_ts_sfunc");
	if (condor_any_null(fcinfo, 1, 4) || (PG_NARGS() > 5 && PG_ARGISNULL(5)))
		CONDOR_KEEP_STATE();
	hdr[0] = condor_time_cell(PG_GETARG_TIMESTAMPTZ(1), "as_of");
	row[0] = condor_time_cell(PG_GETARG_TIMESTAMPTZ(2), "expiry");
	row[1] = CONDOR_ARG(3, "k", ARG_FINITE);
	row[2] = CONDOR_ARG(4, "w", ARG_NONNEGATIVE);
	row[3] = PG_NARGS() > 5 ? CONDOR_ARG(5, "weight", ARG_NONNEGATIVE) : 1.0;
	return condor_rows_append(fcinfo, &ssvits_spec, hdr, row);
}

PG_FUNCTION_INFO_V1(ssvi_combine);
Datum
ssvi_combine(PG_FUNCTION_ARGS)
{
	return condor_rows_combine(fcinfo, &ssvi_spec);
}

PG_FUNCTION_INFO_V1(ssvi_ts_combine);
Datum
ssvi_ts_combine(PG_FUNCTION_ARGS)
{
	return condor_rows_combine(fcinfo, &ssvits_spec);
}

/* A fitted surface: the result and its nodes. */
typedef struct ssvi_fitted
{
	cn_ssvi_fit_result res;
	double	   *t;
	double	   *theta;
} ssvi_fitted;

/*
 * The fit of a state: true with *out, or false with the reason in err when the rows
 * cannot give a surface (fewer than two expiries with three distinct k; with
 * timestamps, no expiry after as_of).  The state's values were checked, so the
 * numerics can only object to the data.
 */
static bool
ssvi_run(Datum state, bool timed, ssvi_fitted *out, char *err, int errlen)
{
	const double *hdr;
	int			n,
				m = 0,
				rc;
	const double *v = condor_rows_read(state, timed ? &ssvits_spec : &ssvi_spec, &hdr, &n);
	double	   *t = palloc(sizeof(double) * Max(n, 1)),
			   *k = palloc(sizeof(double) * Max(n, 1)),
			   *w = palloc(sizeof(double) * Max(n, 1)),
			   *wt = palloc(sizeof(double) * Max(n, 1));

	for (int i = 0; i < n; i++)
	{
		const double *r = v + 4 * i;

		if (timed)
		{
			/* expiries after as_of, t = ACT/365 as year_frac computes it */
			if (!(r[0] > hdr[0]))
				continue;
			t[m] = (r[0] - hdr[0]) / USECS_PER_YEAR_365;
		}
		else
			t[m] = r[0];
		k[m] = r[1];
		w[m] = r[2];
		wt[m] = r[3];
		m++;
	}
	if (m == 0)
	{
		snprintf(err, errlen, "no expiry after as_of");
		return false;
	}
	out->t = palloc(sizeof(double) * m);
	out->theta = palloc(sizeof(double) * m);
	rc = cn_ssvi_fit(t, k, w, wt, m, &out->res, out->t, out->theta, err, errlen);
	if (rc == CN_SSVI_ENOMEM)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	if (rc == CN_SSVI_EROW)
		elog(ERROR, "ssvi_fit: %s", err);	/* the state was checked */
	return rc == CN_SSVI_OK;
}

static Datum
float8_array(const double *x, int n)
{
	Datum	   *d = palloc(sizeof(Datum) * Max(n, 1));

	for (int i = 0; i < n; i++)
		d[i] = Float8GetDatum(x[i]);
	return PointerGetDatum(construct_array(d, n, FLOAT8OID, sizeof(float8),
										   FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

static Datum
ssvi_final_common(FunctionCallInfo fcinfo, bool timed)
{
	ssvi_fitted f;
	char		err[ERRLEN] = "";
	Datum		values[6];
	bool		nulls[6] = {0};
	TupleDesc	desc;

	if (PG_ARGISNULL(0) || !ssvi_run(PG_GETARG_DATUM(0), timed, &f, err, sizeof(err)))
		PG_RETURN_NULL();
	values[0] = Float8GetDatum(f.res.rho);
	values[1] = Float8GetDatum(f.res.eta);
	values[2] = Float8GetDatum(f.res.gamma);
	values[3] = float8_array(f.t, f.res.n);
	values[4] = float8_array(f.theta, f.res.n);
	values[5] = Float8GetDatum(f.res.rmse);
	/* the declared result type, from the catalog: no expression tree needed */
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	desc = BlessTupleDesc(desc);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

static Datum
ssvi_status_common(FunctionCallInfo fcinfo, bool timed)
{
	ssvi_fitted f;
	char		err[ERRLEN] = "";

	if (PG_ARGISNULL(0))
		PG_RETURN_TEXT_P(cstring_to_text("no rows"));
	PG_RETURN_TEXT_P(cstring_to_text(ssvi_run(PG_GETARG_DATUM(0), timed, &f, err, sizeof(err))
									 ? "ok" : err));
}

PG_FUNCTION_INFO_V1(ssvi_final);
Datum
ssvi_final(PG_FUNCTION_ARGS)
{
	return ssvi_final_common(fcinfo, false);
}

PG_FUNCTION_INFO_V1(ssvi_ts_final);
Datum
ssvi_ts_final(PG_FUNCTION_ARGS)
{
	return ssvi_final_common(fcinfo, true);
}

PG_FUNCTION_INFO_V1(ssvi_status_final);
Datum
ssvi_status_final(PG_FUNCTION_ARGS)
{
	return ssvi_status_common(fcinfo, false);
}

PG_FUNCTION_INFO_V1(ssvi_ts_status_final);
Datum
ssvi_ts_status_final(PG_FUNCTION_ARGS)
{
	return ssvi_status_common(fcinfo, true);
}

/* ---- an ssvi value ---- */

static const char *const ssvi_fields[] = {"rho", "eta", "gamma", "t", "theta"};

/* Field i of the composite; a NULL one is 22004 naming it. */
static Datum
ssvi_field(HeapTupleHeader rec, int i)
{
	bool		isnull;
	Datum		d = GetAttributeByNum(rec, i + 1, &isnull);

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("ssvi field \"%s\" is NULL", ssvi_fields[i])));
	return d;
}

/* The nodes of field i (t or theta): a one-dimensional float8 array without NULLs. */
static const double *
ssvi_nodes(HeapTupleHeader rec, int i, int *n)
{
	ArrayType  *a = DatumGetArrayTypeP(ssvi_field(rec, i));

	*n = ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a));
	if (ARR_ELEMTYPE(a) != FLOAT8OID || ARR_NDIM(a) != 1 || ARR_HASNULL(a))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid ssvi field \"%s\"", ssvi_fields[i]),
				 errdetail("t and theta must be non-empty one-dimensional float8 arrays without NULLs.")));
	return (const double *) ARR_DATA_PTR(a);
}

/* Read and check an ssvi value; 22023 naming what is wrong. */
static void
ssvi_read(HeapTupleHeader rec, cn_ssvi *p)
{
	char		err[ERRLEN];
	int			nt,
				nth;

	p->rho = DatumGetFloat8(ssvi_field(rec, 0));
	p->eta = DatumGetFloat8(ssvi_field(rec, 1));
	p->gamma = DatumGetFloat8(ssvi_field(rec, 2));
	p->t = ssvi_nodes(rec, 3, &nt);
	p->theta = ssvi_nodes(rec, 4, &nth);
	if (nt != nth)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid ssvi value: %d t and %d theta", nt, nth),
				 errdetail("t and theta hold the nodes of the theta curve, one value each.")));
	p->n = nt;
	if (cn_ssvi_check(p, err, sizeof(err)) != CN_SSVI_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid ssvi value: %s", err),
				 errdetail("An ssvi value has |rho| < 1, eta >= 0, a finite gamma, and nodes with t positive and increasing, theta positive.")));
}

/* ssvi_w(s, k, t): total implied variance at log-moneyness k and t years. */
PG_FUNCTION_INFO_V1(ssvi_w);
Datum
ssvi_w(PG_FUNCTION_ARGS)
{
	cn_ssvi		p;
	double		k = CONDOR_ARG(1, "k", ARG_FINITE);
	double		t = CONDOR_ARG(2, "t", ARG_POSITIVE);

	ssvi_read(PG_GETARG_HEAPTUPLEHEADER(0), &p);
	PG_RETURN_FLOAT8(cn_ssvi_w(&p, k, t));
}

/* ssvi_vol(s, k, t): implied vol sqrt(w/t), decimal per year. */
PG_FUNCTION_INFO_V1(ssvi_vol);
Datum
ssvi_vol(PG_FUNCTION_ARGS)
{
	cn_ssvi		p;
	double		k = CONDOR_ARG(1, "k", ARG_FINITE);
	double		t = CONDOR_ARG(2, "t", ARG_POSITIVE);

	ssvi_read(PG_GETARG_HEAPTUPLEHEADER(0), &p);
	PG_RETURN_FLOAT8(cn_ssvi_vol(&p, k, t));
}

PG_FUNCTION_INFO_V1(ssvi_calendar_free);
Datum
ssvi_calendar_free(PG_FUNCTION_ARGS)
{
	cn_ssvi		p;

	ssvi_read(PG_GETARG_HEAPTUPLEHEADER(0), &p);
	PG_RETURN_BOOL(cn_ssvi_calendar_free(&p) != 0);
}

PG_FUNCTION_INFO_V1(ssvi_butterfly_free);
Datum
ssvi_butterfly_free(PG_FUNCTION_ARGS)
{
	cn_ssvi		p;

	ssvi_read(PG_GETARG_HEAPTUPLEHEADER(0), &p);
	PG_RETURN_BOOL(cn_ssvi_butterfly_free(&p, NULL, NULL) != 0);
}
