/*
 * condor_bench_floor.c -- two floors under bs_price, for scripts/bench only.
 *
 * floor_args(cp, spot, strike, t, vol, r, q): reads and checks the seven arguments as
 * bs_price does (the option type from the packed text, every float8 finite, spot and
 * strike positive, t and vol not negative) and returns 0: the cost of a call before any
 * numerics.
 *
 * floor_textbook(...): the same, then the textbook formula (textbook.h, the one
 * build/bench_models times in C): what a price costs without the care condor takes.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"

#include "textbook.h"

PG_MODULE_MAGIC;

static int
floor_cp(text *cp)
{
	const char *s = VARDATA_ANY(cp);
	int			n = VARSIZE_ANY_EXHDR(cp);

	if (n >= 1 && (s[0] | 0x20) == 'c')
		return 1;
	if (n >= 1 && (s[0] | 0x20) == 'p')
		return -1;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid option type")));
	return 0;
}

/* Argument i as a float8: finite, and > 0 (rule 2) or >= 0 (rule 1) if asked; else 22023. */
static double
floor_arg(FunctionCallInfo fcinfo, int i, int rule)
{
	double		x = PG_GETARG_FLOAT8(i);

	if (unlikely(!isfinite(x) || (rule == 2 && !(x > 0)) || (rule == 1 && x < 0)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid argument %d", i + 1)));
	return x;
}

/* The option type and the six numbers of bs_price, checked as it checks them. */
static int
floor_read(FunctionCallInfo fcinfo, double *v)
{
	static const int rules[6] = {2, 2, 1, 1, 0, 0};	/* spot strike t vol r q */
	int			w = floor_cp(PG_GETARG_TEXT_PP(0));

	for (int i = 0; i < 6; i++)
		v[i] = floor_arg(fcinfo, i + 1, rules[i]);
	return w;
}

PG_FUNCTION_INFO_V1(floor_args);
Datum
floor_args(PG_FUNCTION_ARGS)
{
	double		v[6];

	(void) floor_read(fcinfo, v);
	PG_RETURN_FLOAT8(0.0);
}

PG_FUNCTION_INFO_V1(floor_textbook);
Datum
floor_textbook(PG_FUNCTION_ARGS)
{
	double		v[6];
	int			w = floor_read(fcinfo, v);

	if (unlikely(!(v[3] * sqrt(v[2]) > 0)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the textbook formula needs t > 0 and vol > 0")));
	PG_RETURN_FLOAT8(textbook_price(w, v[0], v[1], v[2], v[3], v[4], v[5]));
}
