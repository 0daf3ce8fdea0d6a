/*
 * iv.c -- SQL functions for implied volatility: implied_vol (BSM), black76_implied_vol,
 * bachelier_implied_vol, and their *_status companions.
 *
 * A quote with no attainable volatility is data, not an error: the vol is NULL and the
 * status function says why ('ok', 'below_intrinsic', 'above_max', 'no_time_value',
 * 'failed').  Malformed arguments (negative or NaN price, strike <= 0, t < 0, unknown
 * cp) are errors with SQLSTATE 22023, as for the pricing functions.
 */
#include "condor.h"

#include "utils/builtins.h"

#include "iv_normal.h"
#include "lbr.h"

typedef enum iv_model
{
	IV_BSM,
	IV_BLACK76,
	IV_BACHELIER
} iv_model;

/*
 * Read (price, cp, underlying, strike, t, r [, q]) and solve.  Prices are discounted
 * market prices; the numerics undiscount them and solve on the forward (for BSM with
 * ln(F/K) and F - K formed from spot, strike and the rates, see cn_bsm_implied_vol).
 * A discount factor, forward or vol beyond the float8 range is 22003, not a status.
 */
static double
iv_solve(FunctionCallInfo fcinfo, iv_model model, int *status)
{
	bool		lognormal = model != IV_BACHELIER;
	condor_argrule pos = lognormal ? ARG_POSITIVE : ARG_FINITE;
	double		price = CONDOR_ARG(0, "price", ARG_NONNEGATIVE);
	int			omega = condor_cp(PG_GETARG_TEXT_PP(1));
	double		u = CONDOR_ARG(2, model == IV_BSM ? "spot" : "forward", pos);
	double		k = CONDOR_ARG(3, "strike", pos);
	double		t = CONDOR_ARG(4, "t", ARG_NONNEGATIVE);
	double		r = CONDOR_ARG(5, "r", ARG_FINITE);
	double		q = model == IV_BSM ? CONDOR_ARG(6, "q", ARG_FINITE) : 0.0;
	const char *func = model == IV_BSM ? "implied_vol" :
		model == IV_BLACK76 ? "black76_implied_vol" : "bachelier_implied_vol";
	double		vol;

	condor_check_carry(func, t, r, q);

	if (model == IV_BSM)
		vol = cn_bsm_implied_vol(price, omega, u, k, t, r, q, status);
	else if (model == IV_BLACK76)
		vol = cn_black76_implied_vol(price, omega, u, k, t, r, status);
	else
		vol = cn_bachelier_implied_vol_disc(price, omega, u, k, t, r, status);

	switch (*status)
	{
		case CN_IV_RANGE_RATE:
			condor_overflow(func, "discount factor exp(-r t)", "r", r, NULL);
			break;
		case CN_IV_RANGE_FORWARD:
			/* S e^{(r - q) t}: the yield's carry, unless the spot alone is extreme */
			condor_overflow(func, "forward spot exp((r - q) t)",
							q != 0.0 ? "q" : "spot", q != 0.0 ? q : u, NULL);
			break;
		case CN_IV_OVERFLOW:
			condor_overflow(func, "implied vol", "t", t, NULL);
			break;
		default:
			break;
	}
	return vol;
}

static const char *
iv_status_text(int status)
{
	switch (status)
	{
		case CN_IV_OK:
			return "ok";
		case CN_IV_BELOW_INTRINSIC:
			return "below_intrinsic";
		case CN_IV_ABOVE_MAX:
			return "above_max";
		case CN_IV_NO_TIME_VALUE:
			return "no_time_value";
		default:
			return "failed";
	}
}

#define IV_FUNCTIONS(sqlname, model) \
PG_FUNCTION_INFO_V1(sqlname); \
Datum \
sqlname(PG_FUNCTION_ARGS) \
{ \
	int			status; \
	double		vol = iv_solve(fcinfo, (model), &status); \
\
	if (status != CN_IV_OK) \
		PG_RETURN_NULL(); \
	PG_RETURN_FLOAT8(vol); \
} \
\
PG_FUNCTION_INFO_V1(sqlname##_status); \
Datum \
sqlname##_status(PG_FUNCTION_ARGS) \
{ \
	int			status; \
\
	(void) iv_solve(fcinfo, (model), &status); \
	PG_RETURN_TEXT_P(cstring_to_text(iv_status_text(status))); \
}

IV_FUNCTIONS(implied_vol, IV_BSM)
IV_FUNCTIONS(black76_implied_vol, IV_BLACK76)
IV_FUNCTIONS(bachelier_implied_vol, IV_BACHELIER)
