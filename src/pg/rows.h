/*
 * rows.h -- float8[] states for aggregates that collect rows (see rows.c).
 */
#ifndef CONDOR_ROWS_H
#define CONDOR_ROWS_H

#include "condor.h"

extern Datum condor_rows_append(FunctionCallInfo fcinfo, const char *what,
								const double *hdr, int nhdr, const double *row, int width);
extern const double *condor_rows_read(Datum state, const char *what, int nhdr, int width,
									  const double **hdr, int *nrows);
extern double *condor_rows_column(const double *rows, int nrows, int width, int col);
extern Datum condor_rows_combine(FunctionCallInfo fcinfo, const char *what, int nhdr,
								 int width);

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
