/*
 * greeks.c -- the "greeks" composite: building it, reading it, position arithmetic
 * (greeks * float8, greeks + greeks) and the greeks_total aggregate.
 *
 * The composite's tuple descriptor is looked up once per call site and kept in
 * fn_extra, so a query over a million rows pays for it once.
 */
#include "condor.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "catalog/pg_type.h"
#include "utils/typcache.h"

/* Per-call-site cache: the blessed descriptor of the greeks type. */
typedef struct greeks_cache
{
	TupleDesc	desc;
	HeapTupleHeader tmpl;		/* a NULL-free greeks tuple formed by heap_form_tuple */
	Size		len;
} greeks_cache;

static TupleDesc
greeks_desc(FunctionCallInfo fcinfo, Oid typid)
{
	greeks_cache *cache = (greeks_cache *) fcinfo->flinfo->fn_extra;

	if (cache == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		TupleDesc	desc;

		if (OidIsValid(typid))
			desc = lookup_rowtype_tupdesc_copy(typid, -1);
		else if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "function returning greeks called in a context that cannot accept a record");
		else
			desc = CreateTupleDescCopy(desc);
		if (desc->natts != CN_GREEKS_N)
			elog(ERROR, "type greeks has %d attributes, expected %d", desc->natts, CN_GREEKS_N);
		for (int i = 0; i < CN_GREEKS_N; i++)
			if (TupleDescAttr(desc, i)->atttypid != FLOAT8OID)
				elog(ERROR, "type greeks must have only float8 attributes");
		cache = palloc(sizeof(greeks_cache));
		cache->desc = BlessTupleDesc(desc);
		{
			Datum		zeros[CN_GREEKS_N] = {0};
			bool		nonull[CN_GREEKS_N] = {0};
			HeapTuple	t;

			for (int i = 0; i < CN_GREEKS_N; i++)
				zeros[i] = Float8GetDatum(0.0);
			t = heap_form_tuple(cache->desc, zeros, nonull);
			cache->tmpl = t->t_data;
			cache->len = t->t_len;
		}
		fcinfo->flinfo->fn_extra = cache;
		MemoryContextSwitchTo(old);
	}
	return cache->desc;
}

/*
 * Form a greeks Datum from the ten fields, in declaration order.  Without NULLs every
 * greeks tuple has the same header and ten aligned doubles at t_hoff, so it is a copy
 * of a template made once per call site by heap_form_tuple, with the doubles written
 * in: several times cheaper per row than forming it attribute by attribute.
 */
static Datum
greeks_form(FunctionCallInfo fcinfo, Oid typid, const double *f, const bool *nulls)
{
	TupleDesc	desc = greeks_desc(fcinfo, typid);
	greeks_cache *cache = (greeks_cache *) fcinfo->flinfo->fn_extra;
	Datum		values[CN_GREEKS_N];
	HeapTupleHeader td;
	bool		anynull = false;

	if (nulls)
		for (int i = 0; i < CN_GREEKS_N; i++)
			anynull |= nulls[i];
	if (anynull)
	{
		for (int i = 0; i < CN_GREEKS_N; i++)
			values[i] = Float8GetDatum(f[i]);
		return HeapTupleGetDatum(heap_form_tuple(desc, values, (bool *) nulls));
	}

	td = (HeapTupleHeader) palloc(cache->len);
	memcpy(td, cache->tmpl, cache->len);
	memcpy((char *) td + td->t_hoff, f, CN_GREEKS_N * sizeof(float8));
	return PointerGetDatum(td);
}

Datum
condor_greeks_datum(FunctionCallInfo fcinfo, const cn_greeks *g)
{
	return greeks_form(fcinfo, InvalidOid, &g->price, NULL);
}

/* Read the ten fields of a greeks value (NULL fields flagged in nulls). */
void
condor_greeks_read(FunctionCallInfo fcinfo, HeapTupleHeader rec, double *fields,
				   bool *nulls)
{
	TupleDesc	desc = greeks_desc(fcinfo, HeapTupleHeaderGetTypeId(rec));
	HeapTupleData tuple;
	Datum		values[CN_GREEKS_N];

	if (!(rec->t_infomask & HEAP_HASNULL) &&
		HeapTupleHeaderGetNatts(rec) == CN_GREEKS_N)
	{
		/* all ten present: aligned doubles at t_hoff (all attributes are float8) */
		memcpy(fields, (char *) rec + rec->t_hoff, CN_GREEKS_N * sizeof(float8));
		memset(nulls, 0, CN_GREEKS_N * sizeof(bool));
		return;
	}
	tuple.t_len = HeapTupleHeaderGetDatumLength(rec);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = rec;
	heap_deform_tuple(&tuple, desc, values, nulls);
	for (int i = 0; i < CN_GREEKS_N; i++)
		fields[i] = nulls[i] ? 0.0 : DatumGetFloat8(values[i]);
}

/* greeks * float8: every field scaled (quantity x multiplier). */
static Datum
greeks_scale_common(FunctionCallInfo fcinfo, HeapTupleHeader rec, double k)
{
	double		f[CN_GREEKS_N];
	bool		nulls[CN_GREEKS_N];

	condor_check_arg("factor", k, ARG_FINITE);
	condor_greeks_read(fcinfo, rec, f, nulls);
	for (int i = 0; i < CN_GREEKS_N; i++)
		f[i] *= k;
	return greeks_form(fcinfo, HeapTupleHeaderGetTypeId(rec), f, nulls);
}

PG_FUNCTION_INFO_V1(greeks_scale);
Datum
greeks_scale(PG_FUNCTION_ARGS)
{
	return greeks_scale_common(fcinfo, PG_GETARG_HEAPTUPLEHEADER(0), PG_GETARG_FLOAT8(1));
}

PG_FUNCTION_INFO_V1(greeks_scale_left);
Datum
greeks_scale_left(PG_FUNCTION_ARGS)
{
	return greeks_scale_common(fcinfo, PG_GETARG_HEAPTUPLEHEADER(1), PG_GETARG_FLOAT8(0));
}

/*
 * greeks + greeks, field by field; a NULL field on either side gives NULL.  Also the
 * transition and combine function of greeks_total: called as an aggregate, it adds
 * into the state in place (the state lives in the aggregate's memory context), so a
 * sum over a million rows allocates nothing per row.
 */
PG_FUNCTION_INFO_V1(greeks_add);
Datum
greeks_add(PG_FUNCTION_ARGS)
{
	HeapTupleHeader a = PG_GETARG_HEAPTUPLEHEADER(0);
	HeapTupleHeader b = PG_GETARG_HEAPTUPLEHEADER(1);
	double		fa[CN_GREEKS_N],
				fb[CN_GREEKS_N];
	bool		na[CN_GREEKS_N],
				nb[CN_GREEKS_N];
	bool		anynull = false;

	condor_greeks_read(fcinfo, a, fa, na);
	condor_greeks_read(fcinfo, b, fb, nb);
	for (int i = 0; i < CN_GREEKS_N; i++)
	{
		na[i] = na[i] || nb[i];
		anynull |= na[i];
		fa[i] += fb[i];
	}

	if (AggCheckCallContext(fcinfo, NULL) && !anynull &&
		!(a->t_infomask & HEAP_HASNULL))
	{
		/*
		 * Ten float8 fields and no nulls: the data area is ten aligned doubles at
		 * t_hoff (MAXALIGNed), so the sums can be written where they stand.
		 */
		float8	   *data = (float8 *) ((char *) a + a->t_hoff);

		memcpy(data, fa, sizeof(fa));
		PG_RETURN_HEAPTUPLEHEADER(a);
	}
	return greeks_form(fcinfo, HeapTupleHeaderGetTypeId(a), fa, na);
}
