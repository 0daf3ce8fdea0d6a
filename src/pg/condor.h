/*
 * condor.h -- shared glue for the SQL-callable functions: argument checking with the
 * right SQLSTATEs, the call/put flag, and the "greeks" composite.
 */
#ifndef CONDOR_H
#define CONDOR_H

#include "compat.h"

#include "fmgr.h"
#include "access/htup.h"
#include "access/tupdesc.h"

#include "models.h"

/* How a numeric argument must look; each names the rule in the error's detail. */
typedef enum condor_argrule
{
	ARG_FINITE,					/* any finite number */
	ARG_POSITIVE,				/* finite, > 0 */
	ARG_NONNEGATIVE				/* finite, >= 0 */
} condor_argrule;

extern void condor_bad_arg(const char *name, double x, condor_argrule rule) pg_attribute_noreturn();

/* Raise 22023 naming the argument and its value unless x obeys rule. */
static inline void
condor_check_arg(const char *name, double x, condor_argrule rule)
{
	if (likely(isfinite(x) &&
			   (rule == ARG_FINITE || x > 0 || (rule == ARG_NONNEGATIVE && x == 0))))
		return;
	condor_bad_arg(name, x, rule);
}

/* +1 for a call, -1 for a put, from 'C', 'P', 'call', 'put' in any case; else 22023. */
extern int	condor_cp(text *cp);

/* Fetch argument n as a float8 and check it in one line. */
#define CONDOR_ARG(n, name, rule) \
	condor_arg_value(PG_GETARG_FLOAT8(n), (name), (rule))

static inline double
condor_arg_value(double x, const char *name, condor_argrule rule)
{
	condor_check_arg(name, x, rule);
	return x;
}

/* The greeks composite: build a Datum from the C struct, read one back. */
extern Datum condor_greeks_datum(FunctionCallInfo fcinfo, const cn_greeks *g);
extern void condor_greeks_read(FunctionCallInfo fcinfo, HeapTupleHeader rec,
							   double *fields, bool *nulls);

#endif
