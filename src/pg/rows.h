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
extern Datum condor_rows_combine(FunctionCallInfo fcinfo, const char *what, int nhdr,
								 int width);

#endif
