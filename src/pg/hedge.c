/*
 * hedge.c -- hedge ratios: hedge_qty, hedge_solve, vix_hedge, beta_weighted_delta.
 * Exposures are Greeks of a position in currency (greeks_total, strategy_greeks).
 */
#include "condor.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"

static void
check_fraction(double f)
{
	if (!(isfinite(f) && f > 0 && f <= 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid fraction \"%s\"", condor_float8_text(f)),
				 errdetail("fraction must be in (0, 1].")));
}

static double
nonzero(const char *name, double x)
{
	condor_check_arg(name, x, ARG_FINITE);
	if (x == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s \"0\"", name),
				 errdetail("%s must not be zero: the instrument would hedge nothing.", name)));
	return x;
}

/*
 * hedge_qty(exposure, per_contract, fraction): contracts of an instrument whose Greek is
 * per_contract that offset fraction of the exposure: -fraction exposure / per_contract.
 */
PG_FUNCTION_INFO_V1(hedge_qty);
Datum
hedge_qty(PG_FUNCTION_ARGS)
{
	double		exposure = CONDOR_ARG(0, "exposure", ARG_FINITE);
	double		per = nonzero("per_contract", PG_GETARG_FLOAT8(1));
	double		fraction = PG_GETARG_FLOAT8(2);

	check_fraction(fraction);
	PG_RETURN_FLOAT8(-fraction * exposure / per);
}

/*
 * vix_hedge(position_vega, vix_option_delta, fraction, beta, multiplier): VIX options
 * (delta with respect to the VIX future, Black-76) covering fraction of a position's
 * dollar vega.  If the position's implied vol moves beta points per point of the VIX
 * future, the position makes vega x beta per VIX point and n options make
 * n x delta x multiplier; n = -fraction vega beta / (delta multiplier).  A short-vega
 * condor (vega < 0) gives a positive n: buy calls.
 */
PG_FUNCTION_INFO_V1(vix_hedge);
Datum
vix_hedge(PG_FUNCTION_ARGS)
{
	double		vega = CONDOR_ARG(0, "position_vega", ARG_FINITE);
	double		delta = nonzero("vix_option_delta", PG_GETARG_FLOAT8(1));
	double		fraction = PG_GETARG_FLOAT8(2);
	double		beta = CONDOR_ARG(3, "beta", ARG_FINITE);
	double		mult = CONDOR_ARG(4, "multiplier", ARG_POSITIVE);

	check_fraction(fraction);
	PG_RETURN_FLOAT8(-fraction * vega * beta / (delta * mult));
}

/* beta_weighted_delta(delta, price, beta, index_price): delta in index-equivalent units. */
PG_FUNCTION_INFO_V1(beta_weighted_delta);
Datum
beta_weighted_delta(PG_FUNCTION_ARGS)
{
	double		delta = CONDOR_ARG(0, "delta", ARG_FINITE);
	double		price = CONDOR_ARG(1, "price", ARG_POSITIVE);
	double		beta = CONDOR_ARG(2, "beta", ARG_FINITE);
	double		index = CONDOR_ARG(3, "index_price", ARG_POSITIVE);

	PG_RETURN_FLOAT8(delta * beta * price / index);
}

/* Field number (0-based, in the greeks composite) of a Greek named in SQL. */
static int
greek_field(text *name)
{
	static const char *const names[] = {"price", "delta", "gamma", "vega", "theta", "rho",
	"phi", "vanna", "volga", "charm"};
	char	   *s = text_to_cstring(name);

	for (int i = 1; i < CN_GREEKS_N; i++)
		if (pg_strcasecmp(s, names[i]) == 0)
			return i;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid Greek \"%s\"", s),
			 errhint("Use delta, gamma, vega, theta, rho, phi, vanna, volga or charm.")));
	return 0;
}

/*
 * hedge_solve(position, a, b, first, second): quantities of instruments a and b (their
 * Greeks per contract) that zero two chosen Greeks of the position at once:
 *   qa a1 + qb b1 = -p1,  qa a2 + qb b2 = -p2  (Cramer's rule).
 * A singular system (the two instruments' Greeks proportional) is an error.
 */
PG_FUNCTION_INFO_V1(hedge_solve);
Datum
hedge_solve(PG_FUNCTION_ARGS)
{
	double		p[CN_GREEKS_N],
				a[CN_GREEKS_N],
				b[CN_GREEKS_N];
	bool		np[CN_GREEKS_N],
				na[CN_GREEKS_N],
				nb[CN_GREEKS_N];
	int			i = greek_field(PG_GETARG_TEXT_PP(3));
	int			j = greek_field(PG_GETARG_TEXT_PP(4));
	double		det,
				scale;
	TupleDesc	desc;
	Datum		values[2];
	bool		nulls[2] = {0};

	if (i == j)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("hedge_solve needs two different Greeks")));
	condor_greeks_read(fcinfo, PG_GETARG_HEAPTUPLEHEADER(0), p, np);
	condor_greeks_read(fcinfo, PG_GETARG_HEAPTUPLEHEADER(1), a, na);
	condor_greeks_read(fcinfo, PG_GETARG_HEAPTUPLEHEADER(2), b, nb);
	if (np[i] || np[j] || na[i] || na[j] || nb[i] || nb[j])
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("hedge_solve: the chosen Greeks must not be NULL")));
	det = a[i] * b[j] - a[j] * b[i];
	scale = fabs(a[i] * b[j]) + fabs(a[j] * b[i]);
	if (!(fabs(det) > 1e-12 * scale) || !isfinite(det))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("hedge_solve: the system is singular"),
				 errdetail("The two instruments' Greeks are proportional (determinant %s).",
						   condor_float8_text(det)),
				 errhint("Choose instruments whose two Greeks are not in the same ratio.")));
	values[0] = Float8GetDatum((-p[i] * b[j] + p[j] * b[i]) / det);
	values[1] = Float8GetDatum((-a[i] * p[j] + a[j] * p[i]) / det);
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}
