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

/*
 * Results beyond the float8 range (SQLSTATE 22003).  A function's numbers are finite for
 * every finite input, or one of these errors is raised:
 *
 * condor_overflow: "value out of range: overflow", the detail naming what overflows
 * (a field or a factor such as a discount factor), the function, and the argument that
 * takes it there with its value (argname NULL: the combination of the arguments, which
 * context then lists).
 */
extern void condor_overflow(const char *func, const char *what, const char *argname,
							double arg, const char *context) pg_attribute_noreturn();

/*
 * condor_arg_range: an argument outside the range a function supports (22003), e.g.
 * t beyond 100 years for the American engine; limit says what is supported.
 */
extern void condor_arg_range(const char *func, const char *argname, double arg,
							 const char *limit) pg_attribute_noreturn();

/*
 * 22003 when |r| t or |q| t exceeds CN_MAX_CARRY (models.h): discount factors beyond
 * e^+-100000, whose exponents cannot be formed reliably.  limit is the message's
 * statement of the range (condor_check_carry: the plain one).
 */
static inline void
condor_check_carry_limit(const char *func, double t, double r, double q,
						 const char *limit)
{
	if (unlikely(!cn_carry_ok(r, t)))
		condor_arg_range(func, "r", r, limit);
	if (unlikely(!cn_carry_ok(q, t)))
		condor_arg_range(func, "q", q, limit);
}

static inline void
condor_check_carry(const char *func, double t, double r, double q)
{
	condor_check_carry_limit(func, t, r, q, "|r| t and |q| t up to 100000");
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

/* The greeks composite's field names, in cn_greeks order (price first), for messages. */
extern const char *const condor_greek_names[CN_GREEKS_N];

/* The greeks composite: build a Datum from the C struct, read one back. */
extern Datum condor_greeks_datum(FunctionCallInfo fcinfo, const cn_greeks *g);
extern void condor_greeks_read(FunctionCallInfo fcinfo, HeapTupleHeader rec,
							   double *fields, bool *nulls);

#endif
