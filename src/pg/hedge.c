/*
 * hedge.c -- hedge ratios: hedge_qty, hedge_solve, vix_hedge, beta_weighted_delta.
 * Exposures are Greeks of a position in currency (greeks_total, strategy_greeks).
 */
#include "condor.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"

#include "scaled.h"

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
 * The ratios below are products and quotients of their arguments, formed as scaled
 * values (scaled.h): the plain expression's bits wherever no intermediate leaves the
 * float8 range, and otherwise the true value -- a quotient of two subnormals is not
 * lost -- so a result is infinite only when its true value is beyond the range, which
 * is 22003 naming the divisor that takes it there.  An exact zero is returned as 0,
 * never -0.
 */
static double
ratio_result(const char *func, cn_xd v, int n, const char *const *names,
			 const double *args, const int *power)
{
	double		x = cn_xd_value(v);

	if (unlikely(!isfinite(x)))
	{
		/* the argument that contributes the largest factor: |arg|^power */
		int			worst = 0;

		for (int i = 1; i < n; i++)
			if (power[i] * log(fabs(args[i])) > power[worst] * log(fabs(args[worst])))
				worst = i;
		condor_overflow(func, "result", names[worst], args[worst], NULL);
	}
	return x + 0.0;
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

	const char *const names[2] = {"exposure", "per_contract"};
	double		args[2] = {exposure, per};
	int			power[2] = {1, -1};

	check_fraction(fraction);
	PG_RETURN_FLOAT8(ratio_result("hedge_qty",
								  cn_xd_divf(cn_xd_mulf(cn_xd_of(-fraction), exposure), per),
								  2, names, args, power));
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

	const char *const names[4] = {"position_vega", "beta", "vix_option_delta",
	"multiplier"};
	double		args[4] = {vega, beta, delta, mult};
	int			power[4] = {1, 1, -1, -1};

	check_fraction(fraction);
	PG_RETURN_FLOAT8(ratio_result("vix_hedge",
								  cn_xd_div(cn_xd_mulf(cn_xd_mulf(cn_xd_of(-fraction), vega),
													   beta),
											cn_xd_mulf(cn_xd_of(delta), mult)),
								  4, names, args, power));
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

	const char *const names[4] = {"delta", "price", "beta", "index_price"};
	double		args[4] = {delta, price, beta, index};
	int			power[4] = {1, 1, 1, -1};

	PG_RETURN_FLOAT8(ratio_result("beta_weighted_delta",
								  cn_xd_divf(cn_xd_mulf(cn_xd_mulf(cn_xd_of(delta), beta),
														price), index),
								  4, names, args, power));
}

/* Field number (0-based, in the greeks composite) of a Greek named in SQL. */
static int
greek_field(text *name)
{
	char	   *s = text_to_cstring(name);

	for (int i = 1; i < CN_GREEKS_N; i++)
		if (pg_strcasecmp(s, condor_greek_names[i]) == 0)
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
	double		qty[2];
	cn_xd		det,
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
	{
		/* a composite can hold NaN or infinite fields: bad parameters, not results */
		const char *who[3] = {"position", "a", "b"};
		double	   *vec[3] = {p, a, b};

		for (int w = 0; w < 3; w++)
			for (int f = 0; f < 2; f++)
			{
				int			k = f ? j : i;

				if (!isfinite(vec[w][k]))
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("invalid %s %s \"%s\"", who[w], condor_greek_names[k],
									condor_float8_text(vec[w][k])),
							 errdetail("The Greeks of hedge_solve must be finite numbers.")));
			}
	}

	/*
	 * Cramer's rule in scaled arithmetic (scaled.h): the plain formulas' bits where
	 * nothing leaves the float8 range, no spurious overflow or underflow of the
	 * products where something does.
	 */
	{
		cn_xd		t[2],
					tabs[2];
		double		ratio;

		t[0] = cn_xd_mulf(cn_xd_of(a[i]), b[j]);
		t[1] = cn_xd_mulf(cn_xd_of(a[j]), b[i]);
		tabs[0] = t[0];
		tabs[1] = t[1];
		tabs[0].m = fabs(tabs[0].m);
		tabs[1].m = fabs(tabs[1].m);
		t[1].m = -t[1].m;
		det = cn_xd_sum(t, 2);
		scale = cn_xd_sum(tabs, 2);
		ratio = scale.m == 0.0 ? 0.0 : cn_xd_value(cn_xd_div(det, scale));
		if (!(fabs(ratio) > 1e-12))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("hedge_solve: the system is singular"),
					 errdetail("The two instruments' Greeks are proportional (determinant %s).",
							   condor_float8_text(cn_xd_value(det))),
					 errhint("Choose instruments whose two Greeks are not in the same ratio.")));
		t[0] = cn_xd_mulf(cn_xd_of(-p[i]), b[j]);
		t[1] = cn_xd_mulf(cn_xd_of(p[j]), b[i]);
		qty[0] = cn_xd_value(cn_xd_div(cn_xd_sum(t, 2), det));
		t[0] = cn_xd_mulf(cn_xd_of(-a[i]), p[j]);
		t[1] = cn_xd_mulf(cn_xd_of(a[j]), p[i]);
		qty[1] = cn_xd_value(cn_xd_div(cn_xd_sum(t, 2), det));
		for (int k = 0; k < 2; k++)
			if (!isfinite(qty[k]))
				condor_overflow("hedge_solve", k ? "qty_b" : "qty_a", NULL, 0.0,
								psprintf("position %s \"%s\" and %s \"%s\" against instruments "
										 "whose determinant is \"%s\"", condor_greek_names[i],
										 condor_float8_text(p[i]), condor_greek_names[j],
										 condor_float8_text(p[j]),
										 condor_float8_text(cn_xd_value(det))));
	}
	values[0] = Float8GetDatum(qty[0]);
	values[1] = Float8GetDatum(qty[1]);
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}
