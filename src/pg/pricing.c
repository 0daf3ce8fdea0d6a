/*
 * pricing.c -- SQL functions for European prices and Greeks: bs_*, black76_*,
 * bachelier_*.  Each checks its arguments (22023 naming the argument) and calls the
 * pure numerics in src/num/bsm.c.  Units are those of models.h.
 */
#include "condor.h"

/* The arguments every pricing function shares, checked once. */
typedef struct price_args
{
	int			omega;
	double		u;				/* spot (BSM) or forward */
	double		k;
	double		t;
	double		vol;
	double		r;
	double		q;
} price_args;

/*
 * Read (cp, underlying, strike, t, vol, r [, q]).  Lognormal models need a positive
 * underlying and strike; Bachelier takes any finite forward and strike.
 */
static inline void
read_args(FunctionCallInfo fcinfo, price_args *a, const char *uname, bool lognormal,
		  bool has_q)
{
	condor_argrule pos = lognormal ? ARG_POSITIVE : ARG_FINITE;

	a->omega = condor_cp(PG_GETARG_TEXT_PP(0));
	a->u = CONDOR_ARG(1, uname, pos);
	a->k = CONDOR_ARG(2, "strike", pos);
	a->t = CONDOR_ARG(3, "t", ARG_NONNEGATIVE);
	a->vol = CONDOR_ARG(4, "vol", ARG_NONNEGATIVE);
	a->r = CONDOR_ARG(5, "r", ARG_FINITE);
	a->q = has_q ? CONDOR_ARG(6, "q", ARG_FINITE) : 0.0;
}

PG_FUNCTION_INFO_V1(bs_price);
Datum
bs_price(PG_FUNCTION_ARGS)
{
	price_args	a;

	read_args(fcinfo, &a, "spot", true, true);
	PG_RETURN_FLOAT8(cn_bsm_price(a.omega, a.u, a.k, a.t, a.vol, a.r, a.q));
}

PG_FUNCTION_INFO_V1(bs_greeks);
Datum
bs_greeks(PG_FUNCTION_ARGS)
{
	price_args	a;
	cn_greeks	g;

	read_args(fcinfo, &a, "spot", true, true);
	cn_bsm_greeks(a.omega, a.u, a.k, a.t, a.vol, a.r, a.q, &g);
	PG_RETURN_DATUM(condor_greeks_datum(fcinfo, &g));
}

PG_FUNCTION_INFO_V1(black76_price);
Datum
black76_price(PG_FUNCTION_ARGS)
{
	price_args	a;

	read_args(fcinfo, &a, "forward", true, false);
	PG_RETURN_FLOAT8(cn_black76_price(a.omega, a.u, a.k, a.t, a.vol, a.r));
}

PG_FUNCTION_INFO_V1(black76_greeks);
Datum
black76_greeks(PG_FUNCTION_ARGS)
{
	price_args	a;
	cn_greeks	g;

	read_args(fcinfo, &a, "forward", true, false);
	cn_black76_greeks(a.omega, a.u, a.k, a.t, a.vol, a.r, &g);
	PG_RETURN_DATUM(condor_greeks_datum(fcinfo, &g));
}

PG_FUNCTION_INFO_V1(bachelier_price);
Datum
bachelier_price(PG_FUNCTION_ARGS)
{
	price_args	a;

	read_args(fcinfo, &a, "forward", false, false);
	PG_RETURN_FLOAT8(cn_bachelier_price(a.omega, a.u, a.k, a.t, a.vol, a.r));
}

PG_FUNCTION_INFO_V1(bachelier_greeks);
Datum
bachelier_greeks(PG_FUNCTION_ARGS)
{
	price_args	a;
	cn_greeks	g;

	read_args(fcinfo, &a, "forward", false, false);
	cn_bachelier_greeks(a.omega, a.u, a.k, a.t, a.vol, a.r, &g);
	PG_RETURN_DATUM(condor_greeks_datum(fcinfo, &g));
}
