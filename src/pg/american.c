/*
 * american.c -- SQL functions for American options: american_price, american_greeks,
 * american_implied_vol (+ _status) and early_exercise_premium.  Arguments are checked
 * as for the European functions; the numerics are src/num/american.c (Andersen, Lake
 * and Offengenden).  The last argument, fast, selects the bulk-screening scheme.
 */
#include "condor.h"

#include "utils/builtins.h"

#include "american.h"

typedef struct am_args
{
	int			omega;
	double		S,
				K,
				t,
				vol,
				r,
				q;
	int			scheme;
} am_args;

/*
 * (cp, spot, strike, t, vol, r, q, fast) starting at argument "first".  Beyond the
 * range the engine is built for (cn_american_range: t up to 100 years, vol up to 10 and
 * vol sqrt(t) up to 30, |r| and |q| up to 1, spot/strike within 1e-12 .. 1e12) the
 * error is 22003.
 */
static void
am_read(FunctionCallInfo fcinfo, const char *func, int first, bool has_vol, am_args *a)
{
	int			i = first;

	a->omega = condor_cp(PG_GETARG_TEXT_PP(i++));
	a->S = CONDOR_ARG(i++, "spot", ARG_POSITIVE);
	a->K = CONDOR_ARG(i++, "strike", ARG_POSITIVE);
	a->t = CONDOR_ARG(i++, "t", ARG_NONNEGATIVE);
	a->vol = has_vol ? CONDOR_ARG(i++, "vol", ARG_NONNEGATIVE) : 0.0;
	a->r = CONDOR_ARG(i++, "r", ARG_FINITE);
	a->q = CONDOR_ARG(i++, "q", ARG_FINITE);
	a->scheme = PG_GETARG_BOOL(i) ? CN_AM_FAST : CN_AM_ACCURATE;

	switch (cn_american_range(a->S, a->K, a->t, a->vol, a->r, a->q))
	{
		case CN_AM_RANGE_T:
			condor_arg_range(func, "t", a->t, "t up to 100 years");
			break;
		case CN_AM_RANGE_VOL:
			condor_arg_range(func, "vol", a->vol,
							 "vol up to 10 (1000%) and vol * sqrt(t) up to 30");
			break;
		case CN_AM_RANGE_R:
			condor_arg_range(func, "r", a->r, "r between -1 and 1 (-100% and 100%)");
			break;
		case CN_AM_RANGE_Q:
			condor_arg_range(func, "q", a->q, "q between -1 and 1 (-100% and 100%)");
			break;
		case CN_AM_RANGE_MONEYNESS:
			/* name the one further from 1 in orders of magnitude */
			if (fabs(log(a->S)) >= fabs(log(a->K)))
				condor_arg_range(func, "spot", a->S, "spot/strike between 1e-12 and 1e12");
			condor_arg_range(func, "strike", a->K, "spot/strike between 1e-12 and 1e12");
			break;
		default:
			break;
	}
}

/* A result beyond the float8 range: 22003 naming the field. */
static void
am_check(const char *func, const char *what, double v, const am_args *a)
{
	if (unlikely(!isfinite(v)))
		condor_overflow(func, what, NULL, 0.0,
						psprintf("spot \"%s\", strike \"%s\", t \"%s\", vol \"%s\", r \"%s\", "
								 "q \"%s\"", condor_float8_text(a->S),
								 condor_float8_text(a->K), condor_float8_text(a->t),
								 condor_float8_text(a->vol), condor_float8_text(a->r),
								 condor_float8_text(a->q)));
}

PG_FUNCTION_INFO_V1(american_price);
Datum
american_price(PG_FUNCTION_ARGS)
{
	am_args		a;

	double		p;

	am_read(fcinfo, "american_price", 0, true, &a);
	p = cn_american_price(a.omega, a.S, a.K, a.t, a.vol, a.r, a.q, a.scheme);
	am_check("american_price", "price", p, &a);
	PG_RETURN_FLOAT8(p);
}

PG_FUNCTION_INFO_V1(american_greeks);
Datum
american_greeks(PG_FUNCTION_ARGS)
{
	am_args		a;
	cn_greeks	g;

	am_read(fcinfo, "american_greeks", 0, true, &a);
	cn_american_greeks(a.omega, a.S, a.K, a.t, a.vol, a.r, a.q, a.scheme, &g);
	for (int i = 0; i < CN_GREEKS_N; i++)
		am_check("american_greeks", condor_greek_names[i], (&g.price)[i], &a);
	PG_RETURN_DATUM(condor_greeks_datum(fcinfo, &g));
}

/* American minus European: what the right to exercise early is worth. */
PG_FUNCTION_INFO_V1(early_exercise_premium);
Datum
early_exercise_premium(PG_FUNCTION_ARGS)
{
	am_args		a;
	double		am,
				eu;

	am_read(fcinfo, "early_exercise_premium", 0, true, &a);
	am = cn_american_price(a.omega, a.S, a.K, a.t, a.vol, a.r, a.q, a.scheme);
	eu = cn_bsm_price(a.omega, a.S, a.K, a.t, a.vol, a.r, a.q);
	am_check("early_exercise_premium", "American price", am, &a);
	am_check("early_exercise_premium", "European price", eu, &a);
	/* never negative: where exercise is never optimal the two agree to rounding */
	PG_RETURN_FLOAT8(am > eu ? am - eu : 0.0);
}

static double
am_iv(FunctionCallInfo fcinfo, int *status)
{
	double		price = CONDOR_ARG(0, "price", ARG_NONNEGATIVE);
	am_args		a;

	am_read(fcinfo, "american_implied_vol", 1, false, &a);
	return cn_american_implied_vol(price, a.omega, a.S, a.K, a.t, a.r, a.q, a.scheme,
								   status);
}

PG_FUNCTION_INFO_V1(american_implied_vol);
Datum
american_implied_vol(PG_FUNCTION_ARGS)
{
	int			status;
	double		vol = am_iv(fcinfo, &status);

	if (status != CN_AIV_OK)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(vol);
}

PG_FUNCTION_INFO_V1(american_implied_vol_status);
Datum
american_implied_vol_status(PG_FUNCTION_ARGS)
{
	static const char *const names[] = {"ok", "below_intrinsic", "above_max",
	"no_time_value", "failed"};
	int			status;

	(void) am_iv(fcinfo, &status);
	PG_RETURN_TEXT_P(cstring_to_text(status >= 0 && status <= CN_AIV_NOT_CONVERGED
									 ? names[status] : "failed"));
}
