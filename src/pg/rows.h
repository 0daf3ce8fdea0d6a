/*
 * rows.h -- float8[] states for aggregates that collect rows (see rows.c).
 */
#ifndef CONDOR_ROWS_H
#define CONDOR_ROWS_H

#include "condor.h"

/* What one value of a state (a header value or a row's column) may hold. */
typedef enum condor_cell
{
	CELL_ANY,					/* any float8, NaN and infinities included */
	CELL_FINITE,				/* finite */
	CELL_POSITIVE,				/* finite, > 0 */
	CELL_NONNEG,				/* finite, >= 0 */
	CELL_POSITIVE_OR_NAN,		/* an optional positive value, NaN when absent */
	CELL_UNIT,					/* finite, in (0, 1) */
	CELL_SIGN,					/* +1 (call) or -1 (put) */
	CELL_FLAG,					/* 0 or 1 */
	CELL_TIME,					/* TimestampTz microseconds held exactly: an integer
								 * of magnitude <= 2^53 (years 1715 to 2285) */
	CELL_INT32,					/* an integer that fits an int4 */
	CELL_DAYS,					/* finite, |x| <= 1e9 (days of any timestamp) */
	CELL_KIND					/* +1 (call), -1 (put) or 0 (the underlying) */
} condor_cell;

/*
 * The layout of one aggregate's state: nhdr header values (the aggregate's parameters,
 * equal on every row of a group) followed by rows of width values.  "what" names the
 * aggregate in messages.  presort: condor_rows_read sorts the rows, so that the final
 * computation sees them in one order whatever the input's; false only where the
 * numerics already put every row in a total order of their own before any arithmetic
 * (say which, where the spec is defined).
 */
typedef struct condor_rowspec
{
	const char *what;
	int			nhdr;
	const condor_cell *hdr;
	int			width;
	const condor_cell *col;
	bool		presort;
	int			min_rows;		/* fewer rows than this is an invalid state (the
								 * transition functions never make one) */
} condor_rowspec;

extern Datum condor_rows_append(FunctionCallInfo fcinfo, const condor_rowspec *spec,
								const double *hdr, const double *row);
extern Datum condor_rows_combine(FunctionCallInfo fcinfo, const condor_rowspec *spec);
extern Datum condor_rows_start(FunctionCallInfo fcinfo, const condor_rowspec *spec,
							   const double *hdr, const double *rows, int nrows);
extern const double *condor_rows_peek(Datum state, const condor_rowspec *spec,
									  const double *hdr, int *nvalues);
extern void condor_rows_bad_state(const condor_rowspec *spec, const char *detail) pg_attribute_noreturn();
extern const double *condor_rows_view(Datum state, const condor_rowspec *spec,
									  const double **hdr, int *nrows);
extern const double *condor_rows_read(Datum state, const condor_rowspec *spec,
									  const double **hdr, int *nrows);
extern double *condor_rows_column(const double *rows, int nrows, int width, int col);

/* 0A000 unless called by the executor as an aggregate's support function. */
extern MemoryContext condor_agg_context(FunctionCallInfo fcinfo, const char *fname);

/* A timestamp as a CELL_TIME value, or 22023 naming the argument. */
extern double condor_time_cell(TimestampTz ts, const char *name);

/* Is any of arguments first..last NULL?  The collecting aggregates skip such rows. */
static inline bool
condor_any_null(FunctionCallInfo fcinfo, int first, int last)
{
	for (int i = first; i <= last; i++)
		if (PG_ARGISNULL(i))
			return true;
	return false;
}

/* Return the transition state unchanged (a skipped row). */
#define CONDOR_KEEP_STATE() \
	do { \
		if (PG_ARGISNULL(0)) \
			PG_RETURN_NULL(); \
		PG_RETURN_DATUM(PG_GETARG_DATUM(0)); \
	} while (0)

#endif
