/*
 * rows.c -- the state of condor's "collect rows, then compute" aggregates (vix_index,
 * implied_forward, svi_fit, term_vol, ...): a plain float8[] holding a few header values
 * (the aggregate's parameters, identical on every row) followed by fixed-width rows.
 *
 * A float8[] rather than internal: its text form round-trips exactly, so partial states
 * travel between parallel workers and between Citus nodes with no serial functions, and
 * the combine function is a concatenation.  Appending goes through PostgreSQL's expanded
 * arrays, owned by the aggregate's memory context and grown in place, so a group of n
 * rows costs O(n), not O(n^2) copies.
 */
#include "condor.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/expandeddatum.h"

#include "rows.h"

/*
 * Append k values to an expanded float8 array in place: the Datum array grows by
 * doubling in the expanded object's own memory context (what array_set_element does for
 * one element, without its per-element generality), and the cached flat copy, now
 * stale, is dropped.
 */
static Datum
rows_push(Datum arr, const double *v, int k)
{
	ExpandedArrayHeader *eah = (ExpandedArrayHeader *) DatumGetEOHP(arr);
	MemoryContext cxt = eah->hdr.eoh_context;

	deconstruct_expanded_array(eah);
	if (eah->ndims == 0)
	{
		eah->dims = MemoryContextAlloc(cxt, 2 * sizeof(int));
		eah->lbound = eah->dims + 1;
		eah->dims[0] = 0;
		eah->lbound[0] = 1;
		eah->ndims = 1;
	}
	Assert(eah->ndims == 1 && eah->dnulls == NULL);
	if (eah->nelems + k > eah->dvalueslen)
	{
		int			len = Max(Max(2 * eah->dvalueslen, eah->nelems + k), 64);

		if (eah->dvalues == NULL || eah->dvalueslen == 0)
			eah->dvalues = MemoryContextAlloc(cxt, len * sizeof(Datum));
		else
			eah->dvalues = repalloc(eah->dvalues, len * sizeof(Datum));
		eah->dvalueslen = len;
	}
	for (int i = 0; i < k; i++)
		eah->dvalues[eah->nelems++] = Float8GetDatum(v[i]);
	eah->dims[0] = eah->nelems;
	eah->fvalue = NULL;
	eah->fstartptr = eah->fendptr = NULL;
	eah->flat_size = 0;
	return arr;
}

/*
 * The transition step: the state (argument 0, NULL at the start) gains one row.  The
 * header is written with the first row; later rows must carry the same header values,
 * or the group mixes parameters (e.g. two quote times) and that is an error naming
 * "what".
 */
Datum
condor_rows_append(FunctionCallInfo fcinfo, const char *what, const double *hdr,
				   int nhdr, const double *row, int width)
{
	MemoryContext aggcxt;
	Datum		arr;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "%s called in non-aggregate context", what);

	if (PG_ARGISNULL(0))
	{
		MemoryContext old = MemoryContextSwitchTo(aggcxt);

		arr = EOHPGetRWDatum(&construct_empty_expanded_array(FLOAT8OID, aggcxt, NULL)->hdr);
		MemoryContextSwitchTo(old);
		arr = rows_push(arr, hdr, nhdr);
	}
	else
	{
		ExpandedArrayHeader *eah;

		arr = PG_GETARG_DATUM(0);
		if (!VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(arr)))
			arr = expand_array(arr, aggcxt, NULL);
		eah = (ExpandedArrayHeader *) DatumGetEOHP(arr);
		deconstruct_expanded_array(eah);
		if (eah->nelems < nhdr)
			elog(ERROR, "%s: corrupt aggregate state", what);
		for (int i = 0; i < nhdr; i++)
			if (DatumGetFloat8(eah->dvalues[i]) != hdr[i] &&
				!(isnan(hdr[i]) && isnan(DatumGetFloat8(eah->dvalues[i]))))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: the rows of one group must share their parameters", what),
						 errdetail("Got %s after %s.", condor_float8_text(hdr[i]),
								   condor_float8_text(DatumGetFloat8(eah->dvalues[i]))),
						 errhint("Group by the parameter (quote time, target, expiry).")));
	}
	PG_RETURN_DATUM(rows_push(arr, row, width));
}

/*
 * Read a state: a flat copy, checked (one dimension, no NULLs, header plus whole rows).
 * Sets *rows to the first row and *nrows.
 */
const double *
condor_rows_read(Datum state, const char *what, int nhdr, int width,
				 const double **hdr, int *nrows)
{
	ArrayType  *a = DatumGetArrayTypeP(state);
	int			n = ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a));

	if (ARR_ELEMTYPE(a) != FLOAT8OID || ARR_HASNULL(a) || (n > 0 && ARR_NDIM(a) != 1) ||
		n < nhdr || (n - nhdr) % width != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s state", what),
				 errdetail("Expected %d header values and rows of %d values.", nhdr, width)));
	*hdr = (const double *) ARR_DATA_PTR(a);
	*nrows = (n - nhdr) / width;
	return *hdr + nhdr;
}

/* Column col of nrows rows of the given width, as a new array (the numerics take columns). */
double *
condor_rows_column(const double *rows, int nrows, int width, int col)
{
	double	   *out = palloc(sizeof(double) * Max(nrows, 1));

	for (int i = 0; i < nrows; i++)
		out[i] = rows[i * width + col];
	return out;
}

/*
 * The combine step: concatenate two states' rows, after checking that their headers
 * agree.  Either may be NULL (an empty partial group).
 */
Datum
condor_rows_combine(FunctionCallInfo fcinfo, const char *what, int nhdr, int width)
{
	MemoryContext aggcxt;
	const double *ha,
			   *hb,
			   *rb;
	int			na,
				nb;
	Datum		arr;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "%s called in non-aggregate context", what);
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	if (PG_ARGISNULL(0))
	{
		MemoryContext old = MemoryContextSwitchTo(aggcxt);
		Datum		copy = PointerGetDatum(DatumGetArrayTypePCopy(PG_GETARG_DATUM(1)));

		MemoryContextSwitchTo(old);
		PG_RETURN_DATUM(copy);
	}
	(void) condor_rows_read(PG_GETARG_DATUM(0), what, nhdr, width, &ha, &na);
	rb = condor_rows_read(PG_GETARG_DATUM(1), what, nhdr, width, &hb, &nb);
	for (int i = 0; i < nhdr; i++)
		if (ha[i] != hb[i] && !(isnan(ha[i]) && isnan(hb[i])))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: the rows of one group must share their parameters", what)));
	arr = PG_GETARG_DATUM(0);
	if (!VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(arr)))
		arr = expand_array(arr, aggcxt, NULL);
	PG_RETURN_DATUM(rows_push(arr, rb, nb * width));
}
