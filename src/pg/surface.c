/*
 * surface.c -- SQL glue for the volatility index, the implied forward and the smile:
 * vix_index / vix_terms (Cboe methodology), implied_forward, parity_gap, svi_fit,
 * svi_vol, svi_density, svi_butterfly_free and term_vol.  The aggregates keep their
 * rows in a float8[] state (rows.c); the numerics are src/num/vix.c, forward.c, svi.c.
 */
#include "condor.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "forward.h"
#include "rows.h"
#include "svi.h"
#include "vix.h"

#define ERRLEN 256

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

/* ---- vix_index / vix_terms ---- */

/* header: as_of (microseconds), target days; rows: cn_vix_row (bid and ask may be NaN) */
static const condor_cell vix_hdr[] = {CELL_TIME, CELL_POSITIVE};
static const condor_cell vix_col[CN_VIX_ROW_WIDTH] = {CELL_TIME, CELL_SIGN, CELL_POSITIVE,
CELL_ANY, CELL_ANY, CELL_FINITE};
/* cn_vix_compute sorts by (expiry, strike, cp) and refuses two rows of one contract */
static const condor_rowspec vix_spec = {"vix_index", 2, vix_hdr, CN_VIX_ROW_WIDTH, vix_col, false, 1};

/*
 * vix_sfunc(state, as_of, expiry, cp, strike, bid, ask, rate [, target_days]): one chain
 * row.  A NULL bid or ask is a side with no quote (skipped like a missing row).
 */
PG_FUNCTION_INFO_V1(vix_sfunc);
Datum
vix_sfunc(PG_FUNCTION_ARGS)
{
	double		hdr[2];
	double		row[CN_VIX_ROW_WIDTH];
	cn_vix_row	r;

	(void) condor_agg_context(fcinfo, "vix_sfunc");
	if (condor_any_null(fcinfo, 1, 7) || (PG_NARGS() > 8 && PG_ARGISNULL(8)))
		CONDOR_KEEP_STATE();
	hdr[0] = condor_time_cell(PG_GETARG_TIMESTAMPTZ(1), "as_of");
	hdr[1] = PG_NARGS() > 8 ? PG_GETARG_FLOAT8(8) : 30.0;
	condor_check_arg("target_days", hdr[1], ARG_POSITIVE);
	r.expiry = (int64) condor_time_cell(PG_GETARG_TIMESTAMPTZ(2), "expiry");
	r.cp = condor_cp(PG_GETARG_TEXT_PP(3)) > 0 ? 'C' : 'P';
	r.strike = CONDOR_ARG(4, "strike", ARG_POSITIVE);
	r.bid = PG_GETARG_FLOAT8(5);
	r.ask = PG_GETARG_FLOAT8(6);
	r.rate = CONDOR_ARG(7, "rate", ARG_FINITE);
	cn_vix_row_to_float8(&r, row);
	return condor_rows_append(fcinfo, &vix_spec, hdr, row);
}

PG_FUNCTION_INFO_V1(vix_combine);
Datum
vix_combine(PG_FUNCTION_ARGS)
{
	return condor_rows_combine(fcinfo, &vix_spec);
}

/*
 * Run the Cboe computation on a state.  Returns true with *res filled, or false with
 * the reason in err when the chain cannot give an index (no term on one side of the
 * target, a term without quotes on both sides ...; with strict, terms outside Cboe's
 * window): that is data, and the aggregates return NULL.  Inconsistent rows (two quotes
 * for one contract, two rates on one expiry) are a grouping mistake: 22023.
 */
static bool
vix_run(Datum state, bool strict, cn_vix_result *res, char *err, int errlen)
{
	const double *hdr;
	int			n;
	/* read in place: the rows are unpacked into a copy that cn_vix_compute sorts */
	const double *v = condor_rows_view(state, &vix_spec, &hdr, &n);
	cn_vix_row *rows = palloc(sizeof(cn_vix_row) * Max(n, 1));
	int			rc;

	for (int i = 0; i < n; i++)
		if (!cn_vix_row_from_float8(v + i * CN_VIX_ROW_WIDTH, &rows[i]))
			elog(ERROR, "vix_index: a checked row did not unpack");
	rc = cn_vix_compute(rows, n, (int64_t) hdr[0], hdr[1], res, err, errlen);
	if (rc == CN_VIX_EDUP || rc == CN_VIX_ERATE || rc == CN_VIX_EARG || rc == CN_VIX_EROW)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("vix_index: %s", err),
				 errhint("Group by the quote time (and the underlying), one row per contract.")));
	pfree(rows);
	if (rc == CN_VIX_OK && strict)
		rc = cn_vix_cboe_window(res, hdr[1], err, errlen);
	return rc == CN_VIX_OK;
}

static Datum
vix_index_common(FunctionCallInfo fcinfo, bool strict)
{
	cn_vix_result res;
	char		err[ERRLEN] = "";

	if (PG_ARGISNULL(0) || !vix_run(PG_GETARG_DATUM(0), strict, &res, err, sizeof(err)))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(res.index);
}

PG_FUNCTION_INFO_V1(vix_index_final);
Datum
vix_index_final(PG_FUNCTION_ARGS)
{
	return vix_index_common(fcinfo, false);
}

PG_FUNCTION_INFO_V1(vix_index_strict_final);
Datum
vix_index_strict_final(PG_FUNCTION_ARGS)
{
	return vix_index_common(fcinfo, true);
}

/* vix_status: 'ok', or why vix_index is NULL for these rows ('no rows' for none). */
PG_FUNCTION_INFO_V1(vix_status_final);
Datum
vix_status_final(PG_FUNCTION_ARGS)
{
	cn_vix_result res;
	char		err[ERRLEN] = "";

	if (PG_ARGISNULL(0))
		PG_RETURN_TEXT_P(cstring_to_text("no rows"));
	if (vix_run(PG_GETARG_DATUM(0), false, &res, err, sizeof(err)))
		PG_RETURN_TEXT_P(cstring_to_text("ok"));
	PG_RETURN_TEXT_P(cstring_to_text(err));
}

/* vix_terms: one vix_term composite per term, near first; NULL when vix_index is. */
PG_FUNCTION_INFO_V1(vix_terms_final);
Datum
vix_terms_final(PG_FUNCTION_ARGS)
{
	cn_vix_result res;
	char		err[ERRLEN] = "";
	Oid			elemtype;
	TupleDesc	desc;
	Datum		terms[2];
	int16		typlen;
	bool		typbyval;
	char		typalign;

	if (PG_ARGISNULL(0) || !vix_run(PG_GETARG_DATUM(0), false, &res, err, sizeof(err)))
		PG_RETURN_NULL();
	/* the declared result type, from the catalog: no expression tree needed */
	elemtype = get_element_type(get_func_rettype(fcinfo->flinfo->fn_oid));
	if (!OidIsValid(elemtype))
		elog(ERROR, "vix_terms_final must return an array");
	desc = BlessTupleDesc(lookup_rowtype_tupdesc_copy(elemtype, -1));
	for (int i = 0; i < res.nterms; i++)
	{
		cn_vix_term *t = &res.term[i];
		Datum		v[11];
		bool		nulls[11] = {0};

		v[0] = TimestampTzGetDatum((TimestampTz) t->expiry);
		v[1] = Float8GetDatum(t->minutes);
		v[2] = Float8GetDatum(t->t);
		v[3] = Float8GetDatum(t->rate);
		v[4] = Float8GetDatum(t->forward);
		v[5] = Float8GetDatum(t->k0);
		v[6] = Int32GetDatum(t->strikes);
		v[7] = Float8GetDatum(t->variance);
		v[8] = Float8GetDatum(t->weight);
		v[9] = Float8GetDatum(t->k_low);
		v[10] = Float8GetDatum(t->k_high);
		terms[i] = HeapTupleGetDatum(heap_form_tuple(desc, v, nulls));
	}
	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	PG_RETURN_ARRAYTYPE_P(construct_array(terms, res.nterms, elemtype, typlen, typbyval, typalign));
}

/* ---- implied_forward ---- */

/* header: t, spot (NaN without); rows: strike, call price, put price */
static const condor_cell fwd_hdr[] = {CELL_POSITIVE, CELL_POSITIVE_OR_NAN};
static const condor_cell fwd_col[] = {CELL_POSITIVE, CELL_NONNEG, CELL_NONNEG};
static const condor_rowspec fwd_spec = {"implied_forward", 2, fwd_hdr, 3, fwd_col, true, 1};

PG_FUNCTION_INFO_V1(forward_sfunc);
Datum
forward_sfunc(PG_FUNCTION_ARGS)
{
	double		hdr[2];
	double		row[3];

	(void) condor_agg_context(fcinfo, "forward_sfunc");
	if (condor_any_null(fcinfo, 1, 4) || (PG_NARGS() > 5 && PG_ARGISNULL(5)))
		CONDOR_KEEP_STATE();
	row[0] = CONDOR_ARG(1, "strike", ARG_POSITIVE);
	row[1] = CONDOR_ARG(2, "call_price", ARG_NONNEGATIVE);
	row[2] = CONDOR_ARG(3, "put_price", ARG_NONNEGATIVE);
	hdr[0] = CONDOR_ARG(4, "t", ARG_POSITIVE);
	hdr[1] = PG_NARGS() > 5 ? CONDOR_ARG(5, "spot", ARG_POSITIVE) : NAN;
	return condor_rows_append(fcinfo, &fwd_spec, hdr, row);
}

PG_FUNCTION_INFO_V1(forward_combine);
Datum
forward_combine(PG_FUNCTION_ARGS)
{
	return condor_rows_combine(fcinfo, &fwd_spec);
}

/*
 * The parity fit of a state: true with *res, or false with the reason in err when the
 * quotes cannot determine a forward (fewer than two strikes, C - P not decreasing).
 * The state's values were checked, so the numerics can only object to the data.
 */
static bool
forward_run(Datum state, cn_forward_result *res, char *err, int errlen)
{
	const double *hdr;
	int			n;
	const double *v = condor_rows_read(state, &fwd_spec, &hdr, &n);
	int			rc = cn_implied_forward(condor_rows_column(v, n, 3, 0),
										condor_rows_column(v, n, 3, 1),
										condor_rows_column(v, n, 3, 2),
										n, hdr[0], hdr[1], res, err, errlen);

	if (rc == CN_FWD_ENOMEM)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	if (rc == CN_FWD_EROW)
		elog(ERROR, "implied_forward: %s", err);	/* the state was checked */
	return rc == CN_FWD_OK;
}

PG_FUNCTION_INFO_V1(forward_final);
Datum
forward_final(PG_FUNCTION_ARGS)
{
	cn_forward_result res;
	char		err[ERRLEN] = "";
	Datum		values[6];
	bool		nulls[6] = {0};

	if (PG_ARGISNULL(0) || !forward_run(PG_GETARG_DATUM(0), &res, err, sizeof(err)))
		PG_RETURN_NULL();
	values[0] = Float8GetDatum(res.forward);
	values[1] = Float8GetDatum(res.discount);
	values[2] = Float8GetDatum(res.rate);
	values[3] = Int32GetDatum(res.strikes_used);
	values[4] = Float8GetDatum(res.residual);
	values[5] = Float8GetDatum(res.dividend_yield);
	nulls[5] = isnan(res.dividend_yield);
	PG_RETURN_DATUM(form_result(fcinfo, values, nulls));
}

PG_FUNCTION_INFO_V1(forward_status_final);
Datum
forward_status_final(PG_FUNCTION_ARGS)
{
	cn_forward_result res;
	char		err[ERRLEN] = "";

	if (PG_ARGISNULL(0))
		PG_RETURN_TEXT_P(cstring_to_text("no rows"));
	PG_RETURN_TEXT_P(cstring_to_text(forward_run(PG_GETARG_DATUM(0), &res, err, sizeof(err))
									 ? "ok" : err));
}

/* parity_gap(call_bid, call_ask, put_bid, put_ask, strike, forward, discount) */
PG_FUNCTION_INFO_V1(parity_gap);
Datum
parity_gap(PG_FUNCTION_ARGS)
{
	double		cb = CONDOR_ARG(0, "call_bid", ARG_NONNEGATIVE);
	double		ca = CONDOR_ARG(1, "call_ask", ARG_NONNEGATIVE);
	double		pb = CONDOR_ARG(2, "put_bid", ARG_NONNEGATIVE);
	double		pa = CONDOR_ARG(3, "put_ask", ARG_NONNEGATIVE);
	double		k = CONDOR_ARG(4, "strike", ARG_POSITIVE);
	double		f = CONDOR_ARG(5, "forward", ARG_POSITIVE);
	double		d = CONDOR_ARG(6, "discount", ARG_POSITIVE);
	double		conv,
				rev;
	Datum		values[2];
	bool		nulls[2] = {0};

	(void) cn_parity_gap(cb, ca, pb, pa, k, f, d, &conv, &rev);
	values[0] = Float8GetDatum(conv);
	values[1] = Float8GetDatum(rev);
	PG_RETURN_DATUM(form_result(fcinfo, values, nulls));
}

/* ---- svi ---- */

/* rows: k, w, weight */
static const condor_cell svi_col[] = {CELL_FINITE, CELL_NONNEG, CELL_NONNEG};
static const condor_rowspec svi_spec = {"svi_fit", 0, NULL, 3, svi_col, true, 1};

PG_FUNCTION_INFO_V1(svi_sfunc);
Datum
svi_sfunc(PG_FUNCTION_ARGS)
{
	double		row[3];

	(void) condor_agg_context(fcinfo, "svi_sfunc");
	if (condor_any_null(fcinfo, 1, 2) || (PG_NARGS() > 3 && PG_ARGISNULL(3)))
		CONDOR_KEEP_STATE();
	row[0] = CONDOR_ARG(1, "k", ARG_FINITE);
	row[1] = CONDOR_ARG(2, "w", ARG_NONNEGATIVE);
	row[2] = PG_NARGS() > 3 ? CONDOR_ARG(3, "weight", ARG_NONNEGATIVE) : 1.0;
	return condor_rows_append(fcinfo, &svi_spec, NULL, row);
}

PG_FUNCTION_INFO_V1(svi_combine);
Datum
svi_combine(PG_FUNCTION_ARGS)
{
	return condor_rows_combine(fcinfo, &svi_spec);
}

/* The fit of a state: true with *res, or false with the reason (too few points). */
static bool
svi_run(Datum state, cn_svi_fit_result *res, char *err, int errlen)
{
	const double *hdr;
	int			n;
	const double *v = condor_rows_read(state, &svi_spec, &hdr, &n);
	int			rc = cn_svi_fit(condor_rows_column(v, n, 3, 0), condor_rows_column(v, n, 3, 1),
								condor_rows_column(v, n, 3, 2), n, res, err, errlen);

	if (rc == CN_SVI_ENOMEM)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	if (rc == CN_SVI_EROW)
		elog(ERROR, "svi_fit: %s", err);	/* the state was checked */
	return rc == CN_SVI_OK;
}

PG_FUNCTION_INFO_V1(svi_final);
Datum
svi_final(PG_FUNCTION_ARGS)
{
	cn_svi_fit_result res;
	char		err[ERRLEN] = "";
	Datum		values[7];
	bool		nulls[7] = {0};

	if (PG_ARGISNULL(0) || !svi_run(PG_GETARG_DATUM(0), &res, err, sizeof(err)))
		PG_RETURN_NULL();
	values[0] = Float8GetDatum(res.p.a);
	values[1] = Float8GetDatum(res.p.b);
	values[2] = Float8GetDatum(res.p.rho);
	values[3] = Float8GetDatum(res.p.m);
	values[4] = Float8GetDatum(res.p.sigma);
	values[5] = Float8GetDatum(res.rmse);
	values[6] = BoolGetDatum(res.butterfly_free != 0);
	PG_RETURN_DATUM(form_result(fcinfo, values, nulls));
}

PG_FUNCTION_INFO_V1(svi_status_final);
Datum
svi_status_final(PG_FUNCTION_ARGS)
{
	cn_svi_fit_result res;
	char		err[ERRLEN] = "";

	if (PG_ARGISNULL(0))
		PG_RETURN_TEXT_P(cstring_to_text("no rows"));
	PG_RETURN_TEXT_P(cstring_to_text(svi_run(PG_GETARG_DATUM(0), &res, err, sizeof(err))
									 ? "ok" : err));
}

/* Read (a, b, rho, m, sigma) from an svi value; a NULL parameter is an error. */
static void
svi_read(HeapTupleHeader rec, cn_svi *p)
{
	double	   *f[5] = {&p->a, &p->b, &p->rho, &p->m, &p->sigma};

	for (int i = 0; i < 5; i++)
	{
		bool		isnull;
		Datum		d = GetAttributeByNum(rec, i + 1, &isnull);

		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("svi parameter %d is NULL", i + 1)));
		*f[i] = DatumGetFloat8(d);
		condor_check_arg("svi parameter", *f[i], ARG_FINITE);
	}
}

PG_FUNCTION_INFO_V1(svi_vol);
Datum
svi_vol(PG_FUNCTION_ARGS)
{
	cn_svi		p;
	double		k = CONDOR_ARG(1, "k", ARG_FINITE);
	double		t = CONDOR_ARG(2, "t", ARG_POSITIVE);
	double		v;

	svi_read(PG_GETARG_HEAPTUPLEHEADER(0), &p);
	v = cn_svi_vol(&p, k, t);
	if (isnan(v))
		PG_RETURN_NULL();		/* negative total variance: no vol */
	PG_RETURN_FLOAT8(v);
}

PG_FUNCTION_INFO_V1(svi_density);
Datum
svi_density(PG_FUNCTION_ARGS)
{
	cn_svi		p;
	double		k = CONDOR_ARG(1, "k", ARG_FINITE);
	double		d;

	/* the density depends on t only through w: t is checked and not used */
	(void) CONDOR_ARG(2, "t", ARG_POSITIVE);
	svi_read(PG_GETARG_HEAPTUPLEHEADER(0), &p);
	d = cn_svi_density(&p, k);
	if (isnan(d))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(d);
}

PG_FUNCTION_INFO_V1(svi_butterfly_free);
Datum
svi_butterfly_free(PG_FUNCTION_ARGS)
{
	cn_svi		p;

	svi_read(PG_GETARG_HEAPTUPLEHEADER(0), &p);
	PG_RETURN_BOOL(cn_svi_butterfly_free(&p, NULL, NULL) != 0);
}

/* ---- term_vol ---- */

/* header: target_t; rows: t, vol */
static const condor_cell term_hdr[] = {CELL_POSITIVE};
static const condor_cell term_col[] = {CELL_POSITIVE, CELL_NONNEG};
static const condor_rowspec term_spec = {"term_vol", 1, term_hdr, 2, term_col, true, 1};

PG_FUNCTION_INFO_V1(term_sfunc);
Datum
term_sfunc(PG_FUNCTION_ARGS)
{
	double		hdr[1];
	double		row[2];

	(void) condor_agg_context(fcinfo, "term_sfunc");
	if (condor_any_null(fcinfo, 1, 3))
		CONDOR_KEEP_STATE();
	row[0] = CONDOR_ARG(1, "t", ARG_POSITIVE);
	row[1] = CONDOR_ARG(2, "vol", ARG_NONNEGATIVE);
	hdr[0] = CONDOR_ARG(3, "target_t", ARG_POSITIVE);
	return condor_rows_append(fcinfo, &term_spec, hdr, row);
}

PG_FUNCTION_INFO_V1(term_combine);
Datum
term_combine(PG_FUNCTION_ARGS)
{
	return condor_rows_combine(fcinfo, &term_spec);
}

/*
 * The interpolation of a state: true with *out, or false with the reason when the
 * term structure has calendar arbitrage (total variance falling).  One tenor quoted
 * with two vols is a grouping mistake: 22023.
 */
static bool
term_run(Datum state, double *out, char *err, int errlen)
{
	const double *hdr;
	int			n;
	const double *v = condor_rows_read(state, &term_spec, &hdr, &n);
	int			rc = cn_term_vol(condor_rows_column(v, n, 2, 0), condor_rows_column(v, n, 2, 1),
								 n, hdr[0], out, err, errlen);

	if (rc == CN_TERM_ENOMEM)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	if (rc == CN_TERM_EDUP)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("term_vol: %s", err),
				 errhint("Group by the quote time, one vol per tenor.")));
	if (rc == CN_TERM_EARG || rc == CN_TERM_EROW)
		elog(ERROR, "term_vol: %s", err);	/* the state was checked */
	return rc == CN_TERM_OK;
}

PG_FUNCTION_INFO_V1(term_final);
Datum
term_final(PG_FUNCTION_ARGS)
{
	double		out;
	char		err[ERRLEN] = "";

	if (PG_ARGISNULL(0) || !term_run(PG_GETARG_DATUM(0), &out, err, sizeof(err)))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(out);
}

PG_FUNCTION_INFO_V1(term_status_final);
Datum
term_status_final(PG_FUNCTION_ARGS)
{
	double		out;
	char		err[ERRLEN] = "";

	if (PG_ARGISNULL(0))
		PG_RETURN_TEXT_P(cstring_to_text("no rows"));
	PG_RETURN_TEXT_P(cstring_to_text(term_run(PG_GETARG_DATUM(0), &out, err, sizeof(err))
									 ? "ok" : err));
}
