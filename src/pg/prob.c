/*
 * prob.c -- SQL glue for prob_itm and prob_touch (src/num/prob.c), and short_strikes:
 * the touch and in-the-money probabilities of a strategy's short option legs.  Reads
 * the strategy type (strategy.h) and defines nothing of it.
 */
#include "strategy.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "prob.h"

/* prob_itm(cp, spot, strike, t, vol, r, q): risk-neutral P(finishing in the money) */
PG_FUNCTION_INFO_V1(prob_itm);
Datum
prob_itm(PG_FUNCTION_ARGS)
{
	int			omega = condor_cp(PG_GETARG_TEXT_PP(0));
	double		spot = CONDOR_ARG(1, "spot", ARG_POSITIVE);
	double		strike = CONDOR_ARG(2, "strike", ARG_POSITIVE);
	double		t = CONDOR_ARG(3, "t", ARG_NONNEGATIVE);
	double		vol = CONDOR_ARG(4, "vol", ARG_NONNEGATIVE);
	double		r = CONDOR_ARG(5, "r", ARG_FINITE);
	double		q = CONDOR_ARG(6, "q", ARG_FINITE);

	PG_RETURN_FLOAT8(cn_prob_itm(omega, spot, strike, t, vol, r, q));
}

/* prob_touch(spot, level, t, vol, r, q): P(the level is reached before t) */
PG_FUNCTION_INFO_V1(prob_touch);
Datum
prob_touch(PG_FUNCTION_ARGS)
{
	double		spot = CONDOR_ARG(0, "spot", ARG_POSITIVE);
	double		level = CONDOR_ARG(1, "level", ARG_POSITIVE);
	double		t = CONDOR_ARG(2, "t", ARG_NONNEGATIVE);
	double		vol = CONDOR_ARG(3, "vol", ARG_NONNEGATIVE);
	double		r = CONDOR_ARG(4, "r", ARG_FINITE);
	double		q = CONDOR_ARG(5, "q", ARG_FINITE);

	PG_RETURN_FLOAT8(cn_prob_touch(spot, level, t, vol, r, q));
}

/*
 * short_strikes(s, spot, as_of, vol | vols, r, q): one row per short option leg (qty
 * < 0), in legs() order: leg, kind, strike, expiry, qty, t (ACT/365 to the leg's
 * expiry, 0 once expired), prob_itm of that option and prob_touch of its strike.  vols,
 * when given, are per leg in legs() order (one per leg, underlying legs included and
 * ignored), as in strategy_value.
 */
static Datum
short_strikes_common(FunctionCallInfo fcinfo, const double *vols)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	double		spot = CONDOR_ARG(1, "spot", ARG_POSITIVE);
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(2);
	double		vol = vols ? 0.0 : CONDOR_ARG(3, "vol", ARG_NONNEGATIVE);
	double		r = CONDOR_ARG(4, "r", ARG_FINITE);
	double		q = CONDOR_ARG(5, "q", ARG_FINITE);

	if (TIMESTAMP_NOT_FINITE(as_of))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid as_of \"%s\"", timestamptz_to_str(as_of)),
				 errdetail("as_of must be a finite timestamp.")));
	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; i < s->nlegs; i++)
	{
		const cn_leg *l = &s->legs[i];
		double		t,
					v;
		int			omega;
		Datum		out[8];
		bool		nulls[8] = {0};

		if (l->kind == 'U' || !(l->qty < 0))
			continue;
		omega = l->kind == 'C' ? 1 : -1;
		t = Max(0.0, cn_act365(as_of, l->expiry));
		v = vols ? vols[i] : vol;
		out[0] = Int32GetDatum(i + 1);
		out[1] = CStringGetTextDatum(l->kind == 'C' ? "C" : "P");
		out[2] = Float8GetDatum(l->strike);
		out[3] = TimestampTzGetDatum((TimestampTz) l->expiry);
		out[4] = Float8GetDatum(l->qty);
		out[5] = Float8GetDatum(t);
		out[6] = Float8GetDatum(cn_prob_itm(omega, spot, l->strike, t, v, r, q));
		out[7] = Float8GetDatum(cn_prob_touch(spot, l->strike, t, v, r, q));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, out, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(short_strikes);
Datum
short_strikes(PG_FUNCTION_ARGS)
{
	return short_strikes_common(fcinfo, NULL);
}

PG_FUNCTION_INFO_V1(short_strikes_vols);
Datum
short_strikes_vols(PG_FUNCTION_ARGS)
{
	return short_strikes_common(fcinfo,
								strategy_leg_vols(PG_GETARG_ARRAYTYPE_P(3),
												  PG_GETARG_STRATEGY_P(0)));
}
