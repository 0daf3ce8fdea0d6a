/*
 * rows.c -- the state of condor's "collect rows, then compute" aggregates (vix_index,
 * implied_forward, svi_fit, term_vol, iron_condor, xirr, irr): a plain float8[] holding
 * a few header values (the aggregate's parameters, identical on every row) followed by
 * fixed-width rows.
 *
 * A float8[] rather than internal: its text form round-trips exactly, so partial states
 * travel between parallel workers and between Citus nodes with no serial functions, and
 * the combine function is a concatenation.
 *
 * Memory.  The state is a flat one-dimensional array allocated like any other
 * transition value, with no memory context of its own: hash aggregation over many
 * groups then costs O(1) per group (a context per group makes PostgreSQL 15's memory
 * accounting walk every group's context each time a group is created: quadratic).  To
 * append without copying the whole state for every row, the array carries spare
 * capacity: its varlena size covers room for more values than dims[0] counts, zeroed.
 * Every array function reads dims, so the spare room is invisible to them (text and
 * binary output, comparison, concatenation); datumCopy keeps it, because it copies the
 * varlena size.  A transition function may write into its state in place (the value
 * belongs to the aggregate), so appending fills the spare room, and when it is full a
 * new array with half as much room again is returned (amortised O(1) per row; at most
 * 1.5 times the data, plus the header).  A smaller step does not reliably save memory:
 * what is left over depends on where the last step lands (400-quote vix_index groups
 * end with 2780 values of room for 2402 at half steps, 2937 at quarter steps), and each
 * step copies the state twice (here, then into the aggregate's context).
 *
 * Trust.  Any user can call these functions: through an aggregate of their own with a
 * crafted INITCOND, with another function's state, or by calling a final function on
 * any array.  So every state is checked before use: its shape (element type, one
 * dimension, lower bound 1, no NULLs, a whole number of rows) before anything is read
 * or written, and every value against its rule (condor_cell) before a final function
 * computes.  The rows reach the numerics in one order whatever the input's (sorted
 * here, or by the numerics themselves), so a result never depends on the order or the
 * partitioning of the input.
 */
#include "condor.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "rows.h"

#define ROWS_OVERHEAD	ARR_OVERHEAD_NONULLS(1)
#define ROWS_MAX_VALUES ((int) ((MaxAllocSize - ROWS_OVERHEAD) / sizeof(double)))
#define TWO_POW_53		9007199254740992.0

MemoryContext
condor_agg_context(FunctionCallInfo fcinfo, const char *fname)
{
	MemoryContext aggcxt;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s can only be called as an aggregate's support function", fname),
				 errhint("Call the aggregate instead.")));
	return aggcxt;
}

double
condor_time_cell(TimestampTz ts, const char *name)
{
	if (TIMESTAMP_NOT_FINITE(ts) || (double) ts > TWO_POW_53 || (double) ts < -TWO_POW_53)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s \"%s\"", name, timestamptz_to_str(ts)),
				 errdetail("%s must be a finite timestamp between the years 1715 and 2285.",
						   name)));
	return (double) ts;
}

static inline bool
cell_ok(double x, condor_cell rule)
{
	switch (rule)
	{
		case CELL_ANY:
			return true;
		case CELL_FINITE:
			return isfinite(x);
		case CELL_POSITIVE:
			return isfinite(x) && x > 0;
		case CELL_NONNEG:
			return isfinite(x) && x >= 0;
		case CELL_POSITIVE_OR_NAN:
			return isnan(x) || (isfinite(x) && x > 0);
		case CELL_UNIT:
			return x > 0 && x < 1;
		case CELL_SIGN:
			return x == 1.0 || x == -1.0;
		case CELL_FLAG:
			return x == 0.0 || x == 1.0;
		case CELL_TIME:
			return isfinite(x) && x == floor(x) && fabs(x) <= TWO_POW_53;
		case CELL_INT32:
			return isfinite(x) && x == floor(x) && x >= PG_INT32_MIN && x <= PG_INT32_MAX;
		case CELL_DAYS:
			return isfinite(x) && fabs(x) <= 1e9;
		case CELL_KIND:
			return x == 1.0 || x == -1.0 || x == 0.0;
	}
	return false;
}

void
condor_rows_bad_state(const condor_rowspec *spec, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid %s state", spec->what),
			 errdetail("%s", detail),
			 errhint("A %s state is a one-dimensional float8 array without NULLs: %d header values, then rows of %d values.",
					 spec->what, spec->nhdr, spec->width)));
}

/*
 * The shape of a state: returns its number of values, or raises 22023.  Reads only
 * the array header, so it is O(1).
 */
static int
rows_shape(ArrayType *a, const condor_rowspec *spec)
{
	int			n = 0;

	if (ARR_ELEMTYPE(a) != FLOAT8OID)
		condor_rows_bad_state(spec, "The array is not of type float8[].");
	if (ARR_NDIM(a) == 0)
		n = 0;
	else if (ARR_NDIM(a) != 1)
		condor_rows_bad_state(spec, psprintf("The array has %d dimensions.", ARR_NDIM(a)));
	else if (ARR_LBOUND(a)[0] != 1)
		condor_rows_bad_state(spec, psprintf("The array's lower bound is %d, not 1.", ARR_LBOUND(a)[0]));
	else if (ARR_HASNULL(a))
		condor_rows_bad_state(spec, "The array holds NULLs.");
	else
		n = ARR_DIMS(a)[0];
	if (n < 0 || n > ROWS_MAX_VALUES ||
		(size_t) ARR_DATA_OFFSET(a) + (size_t) n * sizeof(double) > VARSIZE(a))
		condor_rows_bad_state(spec, "The array's size does not match its dimensions.");
	if (n < spec->nhdr || (n - spec->nhdr) % spec->width != 0)
		condor_rows_bad_state(spec, psprintf("It has %d values.", n));
	return n;
}

/*
 * The first of n values (stride apart) that breaks rule, or -1.  One loop per common
 * rule, each calling cell_ok with that rule as a constant, so that the compiler folds
 * the rule's switch out of the loop and checking a column is a tight loop (a final
 * function checks every value of every group: this is part of each group's cost).
 */
static int
column_first_bad(const double *x, int stride, int n, condor_cell rule)
{
#define SCAN(r) \
	for (int i = 0; i < n; i++) \
		if (unlikely(!cell_ok(x[(size_t) i * stride], (r)))) \
			return i; \
	return -1

	switch (rule)
	{
		case CELL_FINITE:
			SCAN(CELL_FINITE);
		case CELL_POSITIVE:
			SCAN(CELL_POSITIVE);
		case CELL_NONNEG:
			SCAN(CELL_NONNEG);
		case CELL_SIGN:
			SCAN(CELL_SIGN);
		default:
			SCAN(rule);
	}
#undef SCAN
}

/* Every value of a state against its rule; 22023 naming the first that breaks it. */
static void
rows_check_values(const double *v, int n, const condor_rowspec *spec)
{
	int			width = spec->width;
	int			nrows = (n - spec->nhdr) / width;
	int			bad_row = nrows,
				bad_col = 0;

	for (int i = 0; i < spec->nhdr; i++)
		if (!cell_ok(v[i], spec->hdr[i]))
			condor_rows_bad_state(spec, psprintf("Header value %d is %s.", i + 1, condor_float8_text(v[i])));
	/*
	 * Column by column; the error names the first bad value in row order, so a later
	 * column is searched only above the first bad row found so far.
	 */
	for (int c = 0; c < width; c++)
	{
		int			r = column_first_bad(v + spec->nhdr + c, width, bad_row, spec->col[c]);

		if (r >= 0)
		{
			bad_row = r;
			bad_col = c;
		}
	}
	if (bad_row < nrows)
		condor_rows_bad_state(spec, psprintf("Row %d, value %d is %s.", bad_row + 1, bad_col + 1,
											 condor_float8_text(v[spec->nhdr + bad_row * width + bad_col])));
}

/* Two values that are the same double (NaN equals NaN; -0 and 0 differ). */
static inline bool
same_value(double a, double b)
{
	return memcmp(&a, &b, sizeof(double)) == 0 || (isnan(a) && isnan(b));
}

static void
check_header(const condor_rowspec *spec, const double *have, const double *got)
{
	for (int i = 0; i < spec->nhdr; i++)
		if (!same_value(have[i], got[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: the rows of one group must share their parameters", spec->what),
					 errdetail("Got %s after %s.", condor_float8_text(got[i]),
							   condor_float8_text(have[i])),
					 errhint("Group by the parameter (quote time, target, expiry).")));
}

/*
 * A new state holding n values copied from v, with room for cap values (zeros after
 * the n), in the current context.  Only the spare room is zeroed: the values are
 * written once.
 */
static ArrayType *
rows_new(const double *v, int n, int cap)
{
	ArrayType  *a = palloc(ROWS_OVERHEAD + (size_t) cap * sizeof(double));

	memset(a, 0, ROWS_OVERHEAD);
	SET_VARSIZE(a, ROWS_OVERHEAD + (size_t) cap * sizeof(double));
	a->ndim = 1;
	a->dataoffset = 0;
	a->elemtype = FLOAT8OID;
	ARR_DIMS(a)[0] = n;
	ARR_LBOUND(a)[0] = 1;
	if (n > 0)
		memcpy(ARR_DATA_PTR(a), v, (size_t) n * sizeof(double));
	memset((double *) ARR_DATA_PTR(a) + n, 0, (size_t) (cap - n) * sizeof(double));
	return a;
}

/*
 * Append k values to state a (n values, shape-checked).  In place when a is the
 * transition value itself (not a detoasted copy) and has room; otherwise a larger new
 * array in the current (per-call) context, which the executor copies into the
 * aggregate's context.
 */
static Datum
rows_push(Datum orig, ArrayType *a, int n, const double *v, int k)
{
	int			cap = (int) ((VARSIZE(a) - ROWS_OVERHEAD) / sizeof(double));

	if (n > ROWS_MAX_VALUES - k)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("aggregate state too large: more than %d values", ROWS_MAX_VALUES)));
	if ((Pointer) a == DatumGetPointer(orig) && n + k <= cap)
	{
		memcpy((double *) ARR_DATA_PTR(a) + n, v, (size_t) k * sizeof(double));
		ARR_DIMS(a)[0] = n + k;
		return orig;
	}
	cap = (int) Min((int64) ROWS_MAX_VALUES, Max((int64) n + k, (int64) n + n / 2 + 32));
	a = rows_new((const double *) ARR_DATA_PTR(a), n, cap);
	memcpy((double *) ARR_DATA_PTR(a) + n, v, (size_t) k * sizeof(double));
	ARR_DIMS(a)[0] = n + k;
	return PointerGetDatum(a);
}

/*
 * The transition step: the state (argument 0, NULL at the start) gains one row.  The
 * header is written with the first row; later rows must carry the same header values,
 * or the group mixes parameters (e.g. two quote times) and that is an error.
 */
Datum
condor_rows_append(FunctionCallInfo fcinfo, const condor_rowspec *spec, const double *hdr,
				   const double *row)
{
	ArrayType  *a;
	int			n;
	Datum		orig;

	(void) condor_agg_context(fcinfo, spec->what);
	if (PG_ARGISNULL(0))
	{
		double		first[16];

		Assert(spec->nhdr + spec->width <= lengthof(first));
		if (spec->nhdr > 0)		/* hdr may be NULL then: no memcpy from NULL */
			memcpy(first, hdr, sizeof(double) * spec->nhdr);
		memcpy(first + spec->nhdr, row, sizeof(double) * spec->width);
		PG_RETURN_POINTER(rows_new(first, spec->nhdr + spec->width,
								   spec->nhdr + 8 * spec->width));
	}
	orig = PG_GETARG_DATUM(0);
	a = DatumGetArrayTypeP(orig);
	n = rows_shape(a, spec);
	check_header(spec, (const double *) ARR_DATA_PTR(a), hdr);
	return rows_push(orig, a, n, row, spec->width);
}

/*
 * A new state: the header and nrows rows at once (the first row of a group that brings
 * several rows, e.g. the legs of a position), with room for as many again.
 */
Datum
condor_rows_start(FunctionCallInfo fcinfo, const condor_rowspec *spec, const double *hdr,
				  const double *rows, int nrows)
{
	int			n = spec->nhdr + nrows * spec->width;
	ArrayType  *a;

	(void) condor_agg_context(fcinfo, spec->what);
	a = rows_new(hdr, spec->nhdr, 2 * n + 8 * spec->width);
	if (nrows > 0)
		memcpy((double *) ARR_DATA_PTR(a) + spec->nhdr, rows,
			   sizeof(double) * nrows * spec->width);
	ARR_DIMS(a)[0] = n;
	PG_RETURN_POINTER(a);
}

/*
 * The values of a transition state, header first, for a transition function that must
 * read what the group holds so far: the shape checked and the header compared with hdr
 * (the rows' parameters; NULL to skip), in O(1) -- values other than the header are not
 * checked here (condor_rows_read checks them all).  Sets *nvalues.
 */
const double *
condor_rows_peek(Datum state, const condor_rowspec *spec, const double *hdr, int *nvalues)
{
	ArrayType  *a = DatumGetArrayTypeP(state);

	*nvalues = rows_shape(a, spec);
	if (hdr)
		check_header(spec, (const double *) ARR_DATA_PTR(a), hdr);
	return (const double *) ARR_DATA_PTR(a);
}

/*
 * The combine step: the rows of the second state appended to the first, after checking
 * that their headers agree.  Either may be NULL (an empty partial group).
 */
Datum
condor_rows_combine(FunctionCallInfo fcinfo, const condor_rowspec *spec)
{
	ArrayType  *a,
			   *b;
	int			na,
				nb;

	(void) condor_agg_context(fcinfo, spec->what);
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	b = PG_GETARG_ARRAYTYPE_P(1);
	nb = rows_shape(b, spec);
	if (PG_ARGISNULL(0))
		PG_RETURN_POINTER(rows_new((const double *) ARR_DATA_PTR(b), nb, nb));
	a = PG_GETARG_ARRAYTYPE_P(0);
	na = rows_shape(a, spec);
	check_header(spec, (const double *) ARR_DATA_PTR(a), (const double *) ARR_DATA_PTR(b));
	return rows_push(PG_GETARG_DATUM(0), a, na, (const double *) ARR_DATA_PTR(b) + spec->nhdr,
					 nb - spec->nhdr);
}

/* Rows in a total order: value by value, NaN last, equal values by their bits. */
static int
row_cmp(const void *x, const void *y, void *arg)
{
	const double *a = x,
			   *b = y;
	int			width = *(const int *) arg;

	for (int i = 0; i < width; i++)
	{
		if (a[i] < b[i])
			return -1;
		if (a[i] > b[i])
			return 1;
		if (isnan(a[i]) != isnan(b[i]))
			return isnan(a[i]) ? 1 : -1;
		{
			int			c = memcmp(&a[i], &b[i], sizeof(double));

			if (c != 0)
				return c;
		}
	}
	return 0;
}

/*
 * The values of a state for a final function, in place: shape and every value checked,
 * *hdr set to the header values and *nrows; returns the first row.  Read only, and in
 * the stored order: for numerics that put the rows in a total order of their own
 * (spec->presort false) and copy them anyway, so that a group's rows are not copied
 * once more here.
 */
const double *
condor_rows_view(Datum state, const condor_rowspec *spec, const double **hdr, int *nrows)
{
	ArrayType  *a = DatumGetArrayTypeP(state);
	int			n = rows_shape(a, spec);
	const double *v = (const double *) ARR_DATA_PTR(a);

	rows_check_values(v, n, spec);
	if ((n - spec->nhdr) / spec->width < spec->min_rows)
		condor_rows_bad_state(spec, "It holds no rows.");
	*hdr = v;
	*nrows = (n - spec->nhdr) / spec->width;
	return v + spec->nhdr;
}

/*
 * Read a state for a final function: as condor_rows_view, but the values copied (the
 * caller may write into them) and, with spec->presort, the rows sorted, so that the
 * result cannot depend on input order or partitioning.
 */
const double *
condor_rows_read(Datum state, const condor_rowspec *spec, const double **hdr, int *nrows)
{
	const double *v;
	double	   *copy;
	int			width = spec->width;
	int			n;

	v = condor_rows_view(state, spec, hdr, nrows) - spec->nhdr;
	n = spec->nhdr + *nrows * width;
	copy = palloc(sizeof(double) * Max(n, 1));
	memcpy(copy, v, sizeof(double) * n);
	*hdr = copy;
	if (spec->presort)
		qsort_arg(copy + spec->nhdr, *nrows, sizeof(double) * width, row_cmp, &width);
	return copy + spec->nhdr;
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
