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

#define VIX_HDR 2				/* as_of (microseconds), target days */

/*
 * vix_sfunc(state, as_of, expiry, cp, strike, bid, ask, rate [, target_days]): one chain
 * row.  A NULL bid or ask is a side with no quote (skipped like a missing row).
 */
PG_FUNCTION_INFO_V1(vix_sfunc);
Datum
vix_sfunc(PG_FUNCTION_ARGS)
{
	double		hdr[VIX_HDR];
	double		row[CN_VIX_ROW_WIDTH];
	cn_vix_row	r;

	if (condor_any_null(fcinfo, 1, 7) || (PG_NARGS() > 8 && PG_ARGISNULL(8)))
		CONDOR_KEEP_STATE();
	hdr[0] = (double) PG_GETARG_TIMESTAMPTZ(1);
	hdr[1] = PG_NARGS() > 8 ? PG_GETARG_FLOAT8(8) : 30.0;
	condor_check_arg("target_days", hdr[1], ARG_POSITIVE);
	r.expiry = PG_GETARG_TIMESTAMPTZ(2);
	r.cp = condor_cp(PG_GETARG_TEXT_PP(3)) > 0 ? 'C' : 'P';
	r.strike = CONDOR_ARG(4, "strike", ARG_POSITIVE);
	r.bid = PG_GETARG_FLOAT8(5);
	r.ask = PG_GETARG_FLOAT8(6);
	r.rate = CONDOR_ARG(7, "rate", ARG_FINITE);
	if (TIMESTAMP_NOT_FINITE(r.expiry) || TIMESTAMP_NOT_FINITE((TimestampTz) hdr[0]))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("vix_index: as_of and expiry must be finite timestamps")));
	cn_vix_row_to_float8(&r, row);
	return condor_rows_append(fcinfo, "vix_index", hdr, VIX_HDR, row, CN_VIX_ROW_WIDTH);
}

PG_FUNCTION_INFO_V1(vix_combine);
Datum
vix_combine(PG_FUNCTION_ARGS)
{
	return condor_rows_combine(fcinfo, "vix_index", VIX_HDR, CN_VIX_ROW_WIDTH);
}

/* Run the Cboe computation on a state; raises the numerics' error with its message. */
static void
vix_run(Datum state, cn_vix_result *res)
{
	const double *hdr;
	int			n;
	const double *v = condor_rows_read(state, "vix_index", VIX_HDR, CN_VIX_ROW_WIDTH, &hdr, &n);
	cn_vix_row *rows = palloc(sizeof(cn_vix_row) * Max(n, 1));
	char		err[ERRLEN] = "";
	int			rc;

	for (int i = 0; i < n; i++)
		if (!cn_vix_row_from_float8(v + i * CN_VIX_ROW_WIDTH, &rows[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid vix_index state")));
	rc = cn_vix_compute(rows, n, (int64_t) hdr[0], hdr[1], res, err, sizeof(err));
	if (rc != CN_VIX_OK)
		ereport(ERROR,
				(errcode(rc <= CN_VIX_ERATE ? ERRCODE_INVALID_PARAMETER_VALUE : ERRCODE_DATA_EXCEPTION),
				 errmsg("vix_index: %s", err)));
	pfree(rows);
}

PG_FUNCTION_INFO_V1(vix_index_final);
Datum
vix_index_final(PG_FUNCTION_ARGS)
{
	cn_vix_result res;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	vix_run(PG_GETARG_DATUM(0), &res);
	PG_RETURN_FLOAT8(res.index);
}

/* vix_terms: one vix_term composite per term, near first. */
PG_FUNCTION_INFO_V1(vix_terms_final);
Datum
vix_terms_final(PG_FUNCTION_ARGS)
{
	cn_vix_result res;
	Oid			elemtype;
	TupleDesc	desc;
	Datum		terms[2];
	int16		typlen;
	bool		typbyval;
	char		typalign;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	vix_run(PG_GETARG_DATUM(0), &res);
	elemtype = get_element_type(get_fn_expr_rettype(fcinfo->flinfo));
	if (!OidIsValid(elemtype))
		elog(ERROR, "vix_terms must return an array");
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

#define FWD_HDR 2				/* t, spot (NaN without) */
#define FWD_W 3					/* strike, call price, put price */

PG_FUNCTION_INFO_V1(forward_sfunc);
Datum
forward_sfunc(PG_FUNCTION_ARGS)
{
	double		hdr[FWD_HDR];
	double		row[FWD_W];

	if (condor_any_null(fcinfo, 1, 4) || (PG_NARGS() > 5 && PG_ARGISNULL(5)))
		CONDOR_KEEP_STATE();
	row[0] = CONDOR_ARG(1, "strike", ARG_POSITIVE);
	row[1] = CONDOR_ARG(2, "call_price", ARG_NONNEGATIVE);
	row[2] = CONDOR_ARG(3, "put_price", ARG_NONNEGATIVE);
	hdr[0] = CONDOR_ARG(4, "t", ARG_POSITIVE);
	hdr[1] = PG_NARGS() > 5 ? CONDOR_ARG(5, "spot", ARG_POSITIVE) : NAN;
	return condor_rows_append(fcinfo, "implied_forward", hdr, FWD_HDR, row, FWD_W);
}

PG_FUNCTION_INFO_V1(forward_combine);
Datum
forward_combine(PG_FUNCTION_ARGS)
{
	return condor_rows_combine(fcinfo, "implied_forward", FWD_HDR, FWD_W);
}

PG_FUNCTION_INFO_V1(forward_final);
Datum
forward_final(PG_FUNCTION_ARGS)
{
	const double *hdr,
			   *v;
	int			n,
				rc;
	double	   *k,
			   *c,
			   *p;
	cn_forward_result res;
	char		err[ERRLEN] = "";
	Datum		values[6];
	bool		nulls[6] = {0};

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	v = condor_rows_read(PG_GETARG_DATUM(0), "implied_forward", FWD_HDR, FWD_W, &hdr, &n);
	k = condor_rows_column(v, n, FWD_W, 0);
	c = condor_rows_column(v, n, FWD_W, 1);
	p = condor_rows_column(v, n, FWD_W, 2);
	rc = cn_implied_forward(k, c, p, n, hdr[0], hdr[1], &res, err, sizeof(err));
	if (rc != CN_FWD_OK)
		ereport(ERROR,
				(errcode(rc == CN_FWD_EDISC ? ERRCODE_DATA_EXCEPTION : ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("implied_forward: %s", err)));
	values[0] = Float8GetDatum(res.forward);
	values[1] = Float8GetDatum(res.discount);
	values[2] = Float8GetDatum(res.rate);
	values[3] = Int32GetDatum(res.strikes_used);
	values[4] = Float8GetDatum(res.residual);
	values[5] = Float8GetDatum(res.dividend_yield);
	nulls[5] = isnan(res.dividend_yield);
	PG_RETURN_DATUM(form_result(fcinfo, values, nulls));
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

#define SVI_W 3					/* k, w, weight */

PG_FUNCTION_INFO_V1(svi_sfunc);
Datum
svi_sfunc(PG_FUNCTION_ARGS)
{
	double		row[SVI_W];

	if (condor_any_null(fcinfo, 1, 2) || (PG_NARGS() > 3 && PG_ARGISNULL(3)))
		CONDOR_KEEP_STATE();
	row[0] = CONDOR_ARG(1, "k", ARG_FINITE);
	row[1] = CONDOR_ARG(2, "w", ARG_NONNEGATIVE);
	row[2] = PG_NARGS() > 3 ? CONDOR_ARG(3, "weight", ARG_NONNEGATIVE) : 1.0;
	return condor_rows_append(fcinfo, "svi_fit", NULL, 0, row, SVI_W);
}

PG_FUNCTION_INFO_V1(svi_combine);
Datum
svi_combine(PG_FUNCTION_ARGS)
{
	return condor_rows_combine(fcinfo, "svi_fit", 0, SVI_W);
}

PG_FUNCTION_INFO_V1(svi_final);
Datum
svi_final(PG_FUNCTION_ARGS)
{
	const double *hdr,
			   *v;
	int			n,
				rc;
	double	   *k,
			   *w,
			   *wt;
	cn_svi_fit_result res;
	char		err[ERRLEN] = "";
	Datum		values[7];
	bool		nulls[7] = {0};

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	v = condor_rows_read(PG_GETARG_DATUM(0), "svi_fit", 0, SVI_W, &hdr, &n);
	k = condor_rows_column(v, n, SVI_W, 0);
	w = condor_rows_column(v, n, SVI_W, 1);
	wt = condor_rows_column(v, n, SVI_W, 2);
	rc = cn_svi_fit(k, w, wt, n, &res, err, sizeof(err));
	if (rc != CN_SVI_OK)
		ereport(ERROR,
				(errcode(rc == CN_SVI_ENOMEM ? ERRCODE_OUT_OF_MEMORY : ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("svi_fit: %s", err)));
	values[0] = Float8GetDatum(res.p.a);
	values[1] = Float8GetDatum(res.p.b);
	values[2] = Float8GetDatum(res.p.rho);
	values[3] = Float8GetDatum(res.p.m);
	values[4] = Float8GetDatum(res.p.sigma);
	values[5] = Float8GetDatum(res.rmse);
	values[6] = BoolGetDatum(res.butterfly_free != 0);
	PG_RETURN_DATUM(form_result(fcinfo, values, nulls));
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

#define TERM_HDR 1				/* target_t */
#define TERM_W 2				/* t, vol */

PG_FUNCTION_INFO_V1(term_sfunc);
Datum
term_sfunc(PG_FUNCTION_ARGS)
{
	double		hdr[TERM_HDR];
	double		row[TERM_W];

	if (condor_any_null(fcinfo, 1, 3))
		CONDOR_KEEP_STATE();
	row[0] = CONDOR_ARG(1, "t", ARG_POSITIVE);
	row[1] = CONDOR_ARG(2, "vol", ARG_NONNEGATIVE);
	hdr[0] = CONDOR_ARG(3, "target_t", ARG_POSITIVE);
	return condor_rows_append(fcinfo, "term_vol", hdr, TERM_HDR, row, TERM_W);
}

PG_FUNCTION_INFO_V1(term_combine);
Datum
term_combine(PG_FUNCTION_ARGS)
{
	return condor_rows_combine(fcinfo, "term_vol", TERM_HDR, TERM_W);
}

PG_FUNCTION_INFO_V1(term_final);
Datum
term_final(PG_FUNCTION_ARGS)
{
	const double *hdr,
			   *v;
	int			n,
				rc;
	double	   *t,
			   *vol,
				out;
	char		err[ERRLEN] = "";

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	v = condor_rows_read(PG_GETARG_DATUM(0), "term_vol", TERM_HDR, TERM_W, &hdr, &n);
	t = condor_rows_column(v, n, TERM_W, 0);
	vol = condor_rows_column(v, n, TERM_W, 1);
	rc = cn_term_vol(t, vol, n, hdr[0], &out, err, sizeof(err));
	if (rc != CN_TERM_OK)
		ereport(ERROR,
				(errcode(rc == CN_TERM_ECALENDAR ? ERRCODE_DATA_EXCEPTION : ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("term_vol: %s", err)));
	PG_RETURN_FLOAT8(out);
}
