/*
 * greeks.c -- the "greeks" composite: building it, reading it, position arithmetic
 * (greeks * float8, greeks + greeks, -greeks, greeks - greeks) and the greeks_total
 * aggregate.
 *
 * The composite's tuple descriptor is looked up once per call site and kept in
 * fn_extra, so a query over a million rows pays for it once.  Its type comes from the
 * value read, or from the function's declared return type in pg_proc, never from the
 * call's expression tree (which callers such as Citus do not provide).
 */
#include "condor.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

#include "rows.h"
#include "xsum.h"

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

		if (!OidIsValid(typid))
			typid = get_func_rettype(fcinfo->flinfo->fn_oid);
		if (!OidIsValid(typid) || !type_is_rowtype(typid) || typid == RECORDOID)
			elog(ERROR, "function returning greeks declared with return type %u", typid);
		desc = lookup_rowtype_tupdesc_copy(typid, -1);
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
			if (t->t_len != t->t_data->t_hoff + CN_GREEKS_N * sizeof(float8))
				elog(ERROR, "a greeks tuple of %u bytes, header %u", t->t_len, t->t_data->t_hoff);
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
	greeks_cache *cache = (greeks_cache *) fcinfo->flinfo->fn_extra;
	HeapTupleHeader td;
	bool		anynull = false;

	if (unlikely(cache == NULL))
	{
		(void) greeks_desc(fcinfo, typid);
		cache = (greeks_cache *) fcinfo->flinfo->fn_extra;
	}
	if (nulls)
		for (int i = 0; i < CN_GREEKS_N; i++)
			anynull |= nulls[i];
	if (unlikely(anynull))
	{
		Datum		values[CN_GREEKS_N];

		for (int i = 0; i < CN_GREEKS_N; i++)
			values[i] = Float8GetDatum(f[i]);
		return HeapTupleGetDatum(heap_form_tuple(cache->desc, values, (bool *) nulls));
	}

	/* the header of the template (t_hoff bytes), then the ten doubles after it */
	td = (HeapTupleHeader) palloc(cache->len);
	memcpy(td, cache->tmpl, cache->tmpl->t_hoff);
	memcpy((char *) td + cache->tmpl->t_hoff, f, CN_GREEKS_N * sizeof(float8));
	return PointerGetDatum(td);
}

const char *const condor_greek_names[CN_GREEKS_N] = {"price", "delta", "gamma", "vega",
"theta", "rho", "phi", "vanna", "volga", "charm"};

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

/*
 * greeks * float8: every field scaled (quantity x multiplier).  A finite field whose
 * product leaves the float8 range is 22003; zero contracts of anything, the zero-vol
 * spike's infinite gamma included, are 0.
 */
static Datum
greeks_scale_common(FunctionCallInfo fcinfo, HeapTupleHeader rec, double k)
{
	double		f[CN_GREEKS_N];
	bool		nulls[CN_GREEKS_N];

	condor_check_arg("factor", k, ARG_FINITE);
	condor_greeks_read(fcinfo, rec, f, nulls);
	for (int i = 0; i < CN_GREEKS_N; i++)
	{
		double		x = (k == 0.0 && isinf(f[i])) ? 0.0 : f[i] * k;

		if (unlikely(!isfinite(x) && isfinite(f[i])))
			condor_overflow("greeks * float8", condor_greek_names[i], "factor", k, NULL);
		f[i] = x;
	}
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

/*
 * ---- greeks_total: the exact sum of each field, rounded once ----
 *
 * Floating-point addition depends on order, so a plain running sum gives other last
 * digits on another plan, another number of workers or another cluster layout.  The
 * state keeps each field's sum exactly (an expansion, src/num/xsum.c) and the final
 * function rounds the exact value once: the result depends on the rows only.
 *
 * State, a float8[] (its text form round-trips exactly, for parallel plans and Citus):
 *   [GT_TAG, cap, then per field: flags, m, cap components]
 * flags: GT_NULL a NULL field was summed (the field is NULL), GT_NAN, GT_PINF, GT_NINF;
 * m: the components in use (the rest are zeros), at most cap.
 */
#define GT_TAG		4001.0
#define GT_NULL		1
#define GT_NAN		2
#define GT_PINF		4
#define GT_NINF		8
#define GT_CAP0		8			/* components per field to start with */
#define GT_CAPMAX	256			/* enough for any sum of doubles (2098 bits / 53, x6) */
#define GT_FIELD(cap)	(2 + (cap))
#define GT_LEN(cap)		(2 + CN_GREEKS_N * GT_FIELD(cap))
#define GT_OVERHEAD		ARR_OVERHEAD_NONULLS(1)

static void pg_attribute_noreturn()
gt_bad_state(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid greeks_total state"),
			 errdetail("%s", detail)));
}

/*
 * Check a state's shape, header and field headers (all that is needed to write into it
 * safely); with values, every component too (what the final function rounds).  Returns
 * its data and sets *cap.  The transition function skips the components: it only adds
 * to them, and a non-finite one then stops the sum with an error.
 */
static double *
gt_check(ArrayType *a, int *cap, bool values)
{
	double	   *v;
	int			n;

	if (ARR_ELEMTYPE(a) != FLOAT8OID || ARR_NDIM(a) != 1 || ARR_LBOUND(a)[0] != 1 ||
		ARR_HASNULL(a))
		gt_bad_state("A greeks_total state is a one-dimensional float8 array without NULLs.");
	n = ARR_DIMS(a)[0];
	v = (double *) ARR_DATA_PTR(a);
	if (n < 2 || ARR_DATA_OFFSET(a) + (size_t) n * sizeof(double) > VARSIZE(a) ||
		v[0] != GT_TAG || !(v[1] >= 1 && v[1] <= GT_CAPMAX && v[1] == floor(v[1])) ||
		n != GT_LEN((int) v[1]))
		gt_bad_state("The header does not match the length.");
	*cap = (int) v[1];
	for (int f = 0; f < CN_GREEKS_N; f++)
	{
		const double *fld = v + 2 + f * GT_FIELD(*cap);

		if (!(fld[0] >= 0 && fld[0] <= 15 && fld[0] == floor(fld[0])) ||
			!(fld[1] >= 0 && fld[1] <= *cap && fld[1] == floor(fld[1])))
			gt_bad_state(psprintf("Field %d has flags %s and %s components.", f + 1,
								  condor_float8_text(fld[0]), condor_float8_text(fld[1])));
		for (int i = 0; values && i < *cap; i++)
			if (!isfinite(fld[2 + i]))
				gt_bad_state(psprintf("Field %d has a component %s.", f + 1,
									  condor_float8_text(fld[2 + i])));
	}
	return v;
}

/* A new state of room cap per field holding the fields of old (cap oldcap), or empty. */
static ArrayType *
gt_new(const double *old, int oldcap, int cap)
{
	int			n = GT_LEN(cap);
	ArrayType  *a = palloc0(GT_OVERHEAD + sizeof(double) * n);
	double	   *v;

	SET_VARSIZE(a, GT_OVERHEAD + sizeof(double) * n);
	a->ndim = 1;
	a->elemtype = FLOAT8OID;
	ARR_DIMS(a)[0] = n;
	ARR_LBOUND(a)[0] = 1;
	v = (double *) ARR_DATA_PTR(a);
	v[0] = GT_TAG;
	v[1] = cap;
	if (old)
		for (int f = 0; f < CN_GREEKS_N; f++)
			memcpy(v + 2 + f * GT_FIELD(cap), old + 2 + f * GT_FIELD(oldcap),
				   sizeof(double) * GT_FIELD(oldcap));
	return a;
}

/*
 * Add x (or a NULL field) to field f of state *pa, enlarging it when an expansion is
 * full; *pa may become a new array.
 */
static void
gt_add(ArrayType **pa, int *cap, int f, double x, bool isnull)
{
	double	   *fld = (double *) ARR_DATA_PTR(*pa) + 2 + f * GT_FIELD(*cap);
	int			flags = (int) fld[0],
				m = (int) fld[1],
				rc;

	if (isnull)
		flags |= GT_NULL;
	else if (isnan(x))
		flags |= GT_NAN;
	else if (isinf(x))
		flags |= x > 0 ? GT_PINF : GT_NINF;
	else
	{
		while ((rc = cn_xsum_add(fld + 2, &m, *cap, x)) == CN_XSUM_FULL)
		{
			for (int i = m; i < *cap; i++)
				fld[2 + i] = 0.0;
			fld[1] = m;
			*pa = gt_new((double *) ARR_DATA_PTR(*pa), *cap, Min(2 * *cap, GT_CAPMAX));
			*cap = Min(2 * *cap, GT_CAPMAX);
			fld = (double *) ARR_DATA_PTR(*pa) + 2 + f * GT_FIELD(*cap);
		}
		if (rc == CN_XSUM_OVERFLOW)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("greeks_total: value out of range: overflow"),
					 errdetail("A partial sum went beyond the largest double, or the state held a non-finite value.")));
		/* the components past m are zeros, so equal sums have equal states */
		for (int i = m; i < (int) fld[1]; i++)
			fld[2 + i] = 0.0;
	}
	fld[0] = flags;
	fld[1] = m;
}

/* The state argument 0, or a new empty one; *fresh when it is not the argument itself. */
static ArrayType *
gt_state(FunctionCallInfo fcinfo, int *cap)
{
	ArrayType  *a;

	if (PG_ARGISNULL(0))
	{
		*cap = GT_CAP0;
		return gt_new(NULL, 0, GT_CAP0);
	}
	a = PG_GETARG_ARRAYTYPE_P(0);
	(void) gt_check(a, cap, false);
	return a;
}

PG_FUNCTION_INFO_V1(greeks_total_sfunc);
Datum
greeks_total_sfunc(PG_FUNCTION_ARGS)
{
	ArrayType  *a;
	int			cap;
	double		f[CN_GREEKS_N];
	bool		nulls[CN_GREEKS_N];

	(void) condor_agg_context(fcinfo, "greeks_total_sfunc");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	a = gt_state(fcinfo, &cap);
	condor_greeks_read(fcinfo, PG_GETARG_HEAPTUPLEHEADER(1), f, nulls);
	for (int i = 0; i < CN_GREEKS_N; i++)
		gt_add(&a, &cap, i, f[i], nulls[i]);
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(greeks_total_combine);
Datum
greeks_total_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a,
			   *b;
	int			cap,
				capb;
	const double *vb;

	(void) condor_agg_context(fcinfo, "greeks_total_combine");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	b = PG_GETARG_ARRAYTYPE_P(1);
	vb = gt_check(b, &capb, true);
	a = gt_state(fcinfo, &cap);
	for (int f = 0; f < CN_GREEKS_N; f++)
	{
		const double *fld = vb + 2 + f * GT_FIELD(capb);
		int			flags = (int) fld[0];
		double	   *fa;

		if (flags & GT_NULL)
			gt_add(&a, &cap, f, 0, true);
		if (flags & GT_NAN)
			gt_add(&a, &cap, f, NAN, false);
		if (flags & GT_PINF)
			gt_add(&a, &cap, f, INFINITY, false);
		if (flags & GT_NINF)
			gt_add(&a, &cap, f, -INFINITY, false);
		for (int i = 0; i < (int) fld[1]; i++)
			gt_add(&a, &cap, f, fld[2 + i], false);
		fa = (double *) ARR_DATA_PTR(a) + 2 + f * GT_FIELD(cap);
		{
			int			m = (int) fa[1];

			cn_xsum_compress(fa + 2, &m);
			for (int i = m; i < (int) fa[1]; i++)
				fa[2 + i] = 0.0;
			fa[1] = m;
		}
	}
	PG_RETURN_ARRAYTYPE_P(a);
}

/* Each field rounded once from its exact sum; NULL, NaN or infinite as IEEE sums would be. */
PG_FUNCTION_INFO_V1(greeks_total_final);
Datum
greeks_total_final(PG_FUNCTION_ARGS)
{
	const double *v;
	int			cap;
	double		out[CN_GREEKS_N];
	bool		nulls[CN_GREEKS_N];

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	v = gt_check(PG_GETARG_ARRAYTYPE_P(0), &cap, true);
	for (int f = 0; f < CN_GREEKS_N; f++)
	{
		const double *fld = v + 2 + f * GT_FIELD(cap);
		int			flags = (int) fld[0];

		nulls[f] = (flags & GT_NULL) != 0;
		out[f] = 0.0;
		if (nulls[f])
			continue;
		if ((flags & GT_NAN) || ((flags & GT_PINF) && (flags & GT_NINF)))
			out[f] = NAN;
		else if (flags & (GT_PINF | GT_NINF))
			out[f] = (flags & GT_PINF) ? INFINITY : -INFINITY;
		else if (cn_xsum_round(fld + 2, (int) fld[1], &out[f]) != CN_XSUM_OK)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("greeks_total: the sum of %s is out of range", condor_greek_names[f])));
	}
	return greeks_form(fcinfo, InvalidOid, out, nulls);
}

/* -greeks: every field negated (the Greeks of the opposite position). */
PG_FUNCTION_INFO_V1(greeks_neg);
Datum
greeks_neg(PG_FUNCTION_ARGS)
{
	HeapTupleHeader a = PG_GETARG_HEAPTUPLEHEADER(0);
	double		f[CN_GREEKS_N];
	bool		nulls[CN_GREEKS_N];

	condor_greeks_read(fcinfo, a, f, nulls);
	for (int i = 0; i < CN_GREEKS_N; i++)
		f[i] = -f[i];
	return greeks_form(fcinfo, HeapTupleHeaderGetTypeId(a), f, nulls);
}

/* greeks - greeks, field by field; a NULL field on either side gives NULL. */
PG_FUNCTION_INFO_V1(greeks_sub);
Datum
greeks_sub(PG_FUNCTION_ARGS)
{
	HeapTupleHeader a = PG_GETARG_HEAPTUPLEHEADER(0);
	HeapTupleHeader b = PG_GETARG_HEAPTUPLEHEADER(1);
	double		fa[CN_GREEKS_N],
				fb[CN_GREEKS_N];
	bool		na[CN_GREEKS_N],
				nb[CN_GREEKS_N];

	condor_greeks_read(fcinfo, a, fa, na);
	condor_greeks_read(fcinfo, b, fb, nb);
	for (int i = 0; i < CN_GREEKS_N; i++)
	{
		na[i] = na[i] || nb[i];
		fa[i] -= fb[i];
	}
	return greeks_form(fcinfo, HeapTupleHeaderGetTypeId(a), fa, na);
}
