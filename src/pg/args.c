/*
 * args.c -- argument errors and the call/put flag, shared by every SQL function.
 */
#include "condor.h"

#include "utils/builtins.h"

/*
 * The 22023 error for a numeric argument that breaks its rule; the message names the
 * argument and its value, the detail states the rule.
 */
void
condor_bad_arg(const char *name, double x, condor_argrule rule)
{
	const char *want = rule == ARG_POSITIVE ? "a finite number greater than zero" :
		rule == ARG_NONNEGATIVE ? "a finite number greater than or equal to zero" :
		"a finite number";

	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid %s \"%s\"", name, condor_float8_text(x)),
			 errdetail("%s must be %s.", name, want)));
}

void
condor_overflow(const char *func, const char *what, const char *argname, double arg,
				const char *context)
{
	if (argname)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value out of range: overflow"),
				 errdetail("The %s of %s is beyond the float8 range at %s \"%s\".", what,
						   func, argname, condor_float8_text(arg))));
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("value out of range: overflow"),
			 errdetail("The %s of %s is beyond the float8 range at %s.", what, func,
					   context ? context : "these arguments")));
}

void
condor_arg_range(const char *func, const char *argname, double arg, const char *limit)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("%s \"%s\" is out of range for %s", argname, condor_float8_text(arg),
					func),
			 errdetail("%s accepts %s.", func, limit)));
}

/*
 * The option type.  'C'/'P'/'call'/'put' in any case; compared in place on the packed
 * datum, so a chain's cp column costs no allocation per row.
 */
int
condor_cp(text *cp)
{
	const char *s = VARDATA_ANY(cp);
	int			n = VARSIZE_ANY_EXHDR(cp);

	if (n == 1 || n == 4 || n == 3)
	{
		char		c = s[0] | 0x20;	/* ASCII lower case */

		if (n == 1 && c == 'c')
			return 1;
		if (n == 1 && c == 'p')
			return -1;
		if (n == 4 && pg_strncasecmp(s, "call", 4) == 0)
			return 1;
		if (n == 3 && pg_strncasecmp(s, "put", 3) == 0)
			return -1;
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid option type \"%s\"", text_to_cstring(cp)),
			 errhint("Use 'C' or 'call' for a call, 'P' or 'put' for a put.")));
	return 0;					/* keep the compiler quiet */
}
