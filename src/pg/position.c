/*
 * position.c -- analytics of a strategy: at expiry (payoff, breakevens, max_profit,
 * max_loss, net_premium), the first-expiry line of several expiries (the same names with
 * model arguments), under BSM at a date (strategy_value, strategy_pnl, strategy_greeks,
 * pop, breakevens at a date), dashboards (risk_graph, scenario_grid), the wing test,
 * expected_move and the iron_condor aggregate.  Money is in currency (qty x
 * multiplier); conventions are those of payoff.h.
 *
 * Every form taking one vol for every leg (vol float8) has a twin taking one vol per
 * leg (vols float8[], legs() order) with its own C entry point (NAME_vols): which form
 * was called is never read from the call's expression tree, which callers such as
 * Citus do not provide.
 */
#include "strategy.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

#include "marking.h"
#include "rows.h"

/* The model inputs that follow the strategy: [spot,] as_of, vol or vols[], r, q. */
typedef struct model_args
{
	double		spot;			/* NaN for the forms without a spot */
	TimestampTz as_of;
	double		vol;			/* the flat vol; with vols[], the first expiry's ATM leg's */
	const double *vols;			/* per leg, in legs() order, or NULL */
	double		r;
	double		q;
} model_args;

/* The called function's name, for messages (error paths only: a catalog lookup). */
static const char *
fn_name(FunctionCallInfo fcinfo)
{
	char	   *n = get_func_name(fcinfo->flinfo->fn_oid);

	return n ? n : "this strategy function";
}

/*
 * A position's number: finite, or 22003.  Quantities times multipliers times prices,
 * summed over legs, can leave the double range where each input is finite; the sum then
 * comes back as Infinity or, from Infinity - Infinity, NaN, and neither is the
 * position's value.  (max_profit and max_loss report an unbounded side as Infinity on
 * their own; they go through money_bound.)
 */
static double
money(FunctionCallInfo fcinfo, const char *what, double v)
{
	if (unlikely(!isfinite(v)))
		condor_overflow(fn_name(fcinfo), what, NULL, 0.0,
						"these legs (quantity x multiplier x price) and model inputs");
	return v;
}

/* As money, for a best or worst case where +-Infinity means unbounded. */
static double
money_bound(FunctionCallInfo fcinfo, const char *what, double v)
{
	if (unlikely(isnan(v)))
		condor_overflow(fn_name(fcinfo), what, NULL, 0.0,
						"these legs (quantity x multiplier x price)");
	return v;
}

/* Every field of a position's Greeks finite, or 22003 naming the field. */
static void
money_greeks(FunctionCallInfo fcinfo, const cn_greeks *g)
{
	const double *f = &g->price;

	/* a position's price field is its value */
	for (int i = 0; i < CN_GREEKS_N; i++)
		(void) money(fcinfo, i == 0 ? "value" : condor_greek_names[i], f[i]);
}

/*
 * Reads the model arguments: spot at argument spot_arg (none when negative; spot_rule
 * says how it must look), as_of at as_of_arg, then vol (or vols[] when per_leg), r, q.
 * With vols[] the scalar m->vol is the vol of cn_reference_leg (the first expiry's leg
 * nearest the forward), which pop uses for the distribution of the spot.
 */
static void
read_model(FunctionCallInfo fcinfo, const Strategy *s, int spot_arg, condor_argrule spot_rule,
		   int as_of_arg, bool per_leg, model_args *m)
{
	int			v = as_of_arg + 1;

	m->spot = spot_arg >= 0 ? CONDOR_ARG(spot_arg, "spot", spot_rule) : NAN;
	m->as_of = PG_GETARG_TIMESTAMPTZ(as_of_arg);
	if (TIMESTAMP_NOT_FINITE(m->as_of))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of must be a finite timestamp")));
	m->r = CONDOR_ARG(v + 1, "r", ARG_FINITE);
	m->q = CONDOR_ARG(v + 2, "q", ARG_FINITE);
	m->vols = NULL;
	m->vol = 0.0;
	if (per_leg)
	{
		int			ref;

		m->vols = strategy_leg_vols(PG_GETARG_ARRAYTYPE_P(v), s);
		ref = cn_reference_leg(s->legs, s->nlegs, isnan(m->spot) ? 0.0 : m->spot, m->as_of,
							   m->r, m->q);
		if (ref >= 0)
			m->vol = m->vols[ref];
	}
	else
		m->vol = CONDOR_ARG(v, "vol", ARG_NONNEGATIVE);

	/* discount factors over the longest leg's life must be formable, as in bs_price */
	{
		double		tmax = 0.0;

		for (int i = 0; i < s->nlegs; i++)
			if (s->legs[i].kind != 'U')
				tmax = Max(tmax, fabs(cn_act365(m->as_of, s->legs[i].expiry)));
		/* the name is a catalog lookup: only on the error path */
		if (unlikely(!cn_carry_ok(m->r, tmax) || !cn_carry_ok(m->q, tmax)))
			condor_check_carry_limit(fn_name(fcinfo), tmax, m->r, m->q,
									 "|r| t and |q| t up to 100000, t from as_of to each expiry");
	}
}

/*
 * The model functions of 0.1.0 declared their vol and vols[] forms with one C symbol.
 * Until ALTER EXTENSION condor UPDATE replaces those definitions, their calls arrive
 * here; which form was called is read from the function's declared signature in
 * pg_proc (never from the call's expression tree).
 */
static bool
legacy_per_leg(FunctionCallInfo fcinfo)
{
	Oid		   *argtypes;
	int			nargs;

	(void) get_func_signature(fcinfo->flinfo->fn_oid, &argtypes, &nargs);
	return nargs > 3 && argtypes[3] == FLOAT8ARRAYOID;
}

/* A vol form, its vols[] twin, and the 0.1.0 symbol that served both. */
#define MODEL_ENTRIES(name, legacy, common) \
PG_FUNCTION_INFO_V1(name); \
Datum name(PG_FUNCTION_ARGS) { return common(fcinfo, false); } \
PG_FUNCTION_INFO_V1(name##s); \
Datum name##s(PG_FUNCTION_ARGS) { return common(fcinfo, true); } \
PG_FUNCTION_INFO_V1(legacy); \
Datum legacy(PG_FUNCTION_ARGS) { return common(fcinfo, legacy_per_leg(fcinfo)); }

/* A vol form and its vols[] twin (forms that 0.1.0 did not have with vols[]). */
#define MODEL_PAIR(name, common) \
PG_FUNCTION_INFO_V1(name); \
Datum name(PG_FUNCTION_ARGS) { return common(fcinfo, false); } \
PG_FUNCTION_INFO_V1(name##_vols); \
Datum name##_vols(PG_FUNCTION_ARGS) { return common(fcinfo, true); }

static Datum
float8_array(const double *v, int n)
{
	Datum	   *d = palloc(sizeof(Datum) * Max(n, 1));

	for (int i = 0; i < n; i++)
		d[i] = Float8GetDatum(v[i]);
	return PointerGetDatum(construct_array(d, n, FLOAT8OID, sizeof(float8),
										   FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/* ---- at expiry ---- */

/*
 * The vol-free forms take every leg at intrinsic: with several expiries that would
 * value the later legs as if they expired too (a calendar's break-evens came out {}), so
 * they are refused, pointing to the model form that values later legs at the first
 * expiry.
 */
static void
require_one_expiry(const Strategy *s, const char *fn, const char *model_form)
{
	int			k = cn_expiry_count(s->legs, s->nlegs);

	if (k > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s(strategy) is undefined for a strategy with several expiries", fn),
				 errdetail("Its option legs expire at %d different times; at the first expiry the later legs are worth more than their intrinsic value.", k),
				 errhint("Use %s, which values the later legs by the model at the first expiry.", model_form)));
}

PG_FUNCTION_INFO_V1(strategy_payoff);
Datum
strategy_payoff(PG_FUNCTION_ARGS)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	double		spot = CONDOR_ARG(1, "spot", ARG_NONNEGATIVE);

	require_one_expiry(s, "payoff", "payoff(s, spot, as_of, vol, r, q)");
	PG_RETURN_FLOAT8(money(fcinfo, "result", cn_payoff(s->legs, s->nlegs, spot)));
}

static double *
breakevens_out(const Strategy *s, int *count,
			   int (*fn) (const Strategy *, const model_args *, double *, int),
			   const model_args *m)
{
	int			cap = 4 * s->nlegs + 8;
	double	   *out;

	for (;;)
	{
		out = palloc(sizeof(double) * cap);
		*count = fn(s, m, out, cap);
		if (*count <= cap)
			return out;
		cap = *count;
	}
}

static int
breakevens_expiry(const Strategy *s, const model_args *m, double *out, int cap)
{
	return cn_breakevens(s->legs, s->nlegs, out, cap);
}

PG_FUNCTION_INFO_V1(strategy_breakevens);
Datum
strategy_breakevens(PG_FUNCTION_ARGS)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	double	   *out;
	int			n;

	require_one_expiry(s, "breakevens", "breakevens(s, as_of, vol, r, q)");
	out = breakevens_out(s, &n, breakevens_expiry, NULL);
	PG_RETURN_DATUM(float8_array(out, n));
}

PG_FUNCTION_INFO_V1(strategy_max_profit);
Datum
strategy_max_profit(PG_FUNCTION_ARGS)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);

	require_one_expiry(s, "max_profit", "max_profit(s, as_of, vol, r, q)");
	PG_RETURN_FLOAT8(money_bound(fcinfo, "result", cn_max_profit(s->legs, s->nlegs)));
}

PG_FUNCTION_INFO_V1(strategy_max_loss);
Datum
strategy_max_loss(PG_FUNCTION_ARGS)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);

	require_one_expiry(s, "max_loss", "max_loss(s, as_of, vol, r, q)");
	PG_RETURN_FLOAT8(money_bound(fcinfo, "result", cn_max_loss(s->legs, s->nlegs)));
}

PG_FUNCTION_INFO_V1(strategy_net_premium);
Datum
strategy_net_premium(PG_FUNCTION_ARGS)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);

	PG_RETURN_FLOAT8(money(fcinfo, "result", cn_net_premium(s->legs, s->nlegs)));
}

PG_FUNCTION_INFO_V1(strategy_wing_test);
Datum
strategy_wing_test(PG_FUNCTION_ARGS)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	double		spot = CONDOR_ARG(1, "spot", ARG_POSITIVE);
	double		w = cn_wing_test(s->legs, s->nlegs, spot);

	if (isnan(w))
		PG_RETURN_NULL();		/* no short option: nothing to test */
	PG_RETURN_FLOAT8(w);
}

/* ---- the first-expiry line: payoff, breakevens, max_profit, max_loss with a model ---- */

/* payoff(s, spot, as_of, vol | vols[], r, q): P&L at the first expiry after as_of */
static Datum
payoff_first_common(FunctionCallInfo fcinfo, bool per_leg)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	model_args	m;

	read_model(fcinfo, s, 1, ARG_NONNEGATIVE, 2, per_leg, &m);
	PG_RETURN_FLOAT8(money(fcinfo, "result",
						   cn_payoff_first(s->legs, s->nlegs, m.spot, m.as_of, m.vols,
										   m.vol, m.r, m.q)));
}
MODEL_PAIR(strategy_payoff_first, payoff_first_common)

static int
breakevens_first(const Strategy *s, const model_args *m, double *out, int cap)
{
	return cn_breakevens_first(s->legs, s->nlegs, m->as_of, m->vols, m->vol, m->r, m->q,
							   out, cap);
}

/* breakevens(s, as_of, vol | vols[], r, q): roots of the first-expiry line */
static Datum
breakevens_first_common(FunctionCallInfo fcinfo, bool per_leg)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	model_args	m;
	double	   *out;
	int			n;

	read_model(fcinfo, s, -1, ARG_FINITE, 1, per_leg, &m);
	out = breakevens_out(s, &n, breakevens_first, &m);
	PG_RETURN_DATUM(float8_array(out, n));
}
MODEL_PAIR(strategy_breakevens_first, breakevens_first_common)

/* max_profit / max_loss (s, as_of, vol | vols[], r, q) of the first-expiry line */
static Datum
extremes_first_common(FunctionCallInfo fcinfo, bool per_leg, bool loss)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	model_args	m;
	double		mp,
				ml;

	read_model(fcinfo, s, -1, ARG_FINITE, 1, per_leg, &m);
	cn_extremes_first(s->legs, s->nlegs, m.as_of, m.vols, m.vol, m.r, m.q, &mp, &ml);
	PG_RETURN_FLOAT8(loss ? money_bound(fcinfo, "result", ml)
					 : money_bound(fcinfo, "result", mp));
}

static Datum
max_profit_first_common(FunctionCallInfo fcinfo, bool per_leg)
{
	return extremes_first_common(fcinfo, per_leg, false);
}
MODEL_PAIR(strategy_max_profit_first, max_profit_first_common)

static Datum
max_loss_first_common(FunctionCallInfo fcinfo, bool per_leg)
{
	return extremes_first_common(fcinfo, per_leg, true);
}
MODEL_PAIR(strategy_max_loss_first, max_loss_first_common)

/* ---- under the model at as_of ---- */

static Datum
value_common(FunctionCallInfo fcinfo, bool per_leg)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	model_args	m;

	read_model(fcinfo, s, 1, ARG_POSITIVE, 2, per_leg, &m);
	PG_RETURN_FLOAT8(money(fcinfo, "result",
						   cn_strategy_value(s->legs, s->nlegs, m.spot, m.as_of, m.vols,
											 m.vol, m.r, m.q)));
}
MODEL_ENTRIES(strategy_value_vol, strategy_value, value_common)

static Datum
pnl_common(FunctionCallInfo fcinfo, bool per_leg)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	model_args	m;

	read_model(fcinfo, s, 1, ARG_POSITIVE, 2, per_leg, &m);
	PG_RETURN_FLOAT8(money(fcinfo, "result",
						   cn_strategy_pnl(s->legs, s->nlegs, m.spot, m.as_of, m.vols,
										   m.vol, m.r, m.q)));
}
MODEL_ENTRIES(strategy_pnl_vol, strategy_pnl, pnl_common)

static Datum
greeks_common(FunctionCallInfo fcinfo, bool per_leg)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	model_args	m;
	cn_greeks	g;

	read_model(fcinfo, s, 1, ARG_POSITIVE, 2, per_leg, &m);
	cn_strategy_greeks(s->legs, s->nlegs, m.spot, m.as_of, m.vols, m.vol, m.r, m.q, &g);
	money_greeks(fcinfo, &g);
	PG_RETURN_DATUM(condor_greeks_datum(fcinfo, &g));
}
MODEL_ENTRIES(strategy_greeks_vol, strategy_greeks, greeks_common)

static int
breakevens_at(const Strategy *s, const model_args *m, double *out, int cap)
{
	return cn_breakevens_at(s->legs, s->nlegs, m->spot, m->as_of, m->vols, m->vol, m->r,
							m->q, out, cap);
}

/* breakevens(s, spot, as_of, vol | vols[], r, q): roots of the T+n line at as_of */
static Datum
breakevens_at_common(FunctionCallInfo fcinfo, bool per_leg)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	model_args	m;
	double	   *out;
	int			n;

	read_model(fcinfo, s, 1, ARG_POSITIVE, 2, per_leg, &m);
	out = breakevens_out(s, &n, breakevens_at, &m);
	PG_RETURN_DATUM(float8_array(out, n));
}
MODEL_ENTRIES(strategy_breakevens_at_vol, strategy_breakevens_at, breakevens_at_common)

static Datum
pop_common(FunctionCallInfo fcinfo, bool per_leg)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	model_args	m;
	double		p;

	read_model(fcinfo, s, 1, ARG_POSITIVE, 2, per_leg, &m);
	p = cn_pop(s->legs, s->nlegs, m.spot, m.as_of, m.vols, m.vol, m.r, m.q);
	if (isnan(p))
		PG_RETURN_NULL();		/* no option leg: no horizon */
	PG_RETURN_FLOAT8(p);
}
MODEL_PAIR(strategy_pop, pop_common)

/*
 * breakeven_distance(s, spot, as_of, vol | vols[], r, q): from spot to the nearest
 * break-even of the first-expiry line in standard deviations, signed (marking.h); NULL
 * when no option leg expires after as_of.
 */
static Datum
breakeven_distance_common(FunctionCallInfo fcinfo, bool per_leg)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	model_args	m;
	double		d;

	read_model(fcinfo, s, 1, ARG_POSITIVE, 2, per_leg, &m);
	d = cn_breakeven_distance(s->legs, s->nlegs, m.spot, m.as_of, m.vols, m.vol, m.r, m.q);
	if (isnan(d))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(d);
}
MODEL_PAIR(strategy_breakeven_distance, breakeven_distance_common)

/* extrinsic(s, spot, as_of, vol | vols[], r, q): the position's time value in currency */
static Datum
extrinsic_common(FunctionCallInfo fcinfo, bool per_leg)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	model_args	m;

	read_model(fcinfo, s, 1, ARG_POSITIVE, 2, per_leg, &m);
	PG_RETURN_FLOAT8(money(fcinfo, "result",
						   cn_extrinsic(s->legs, s->nlegs, m.spot, m.as_of, m.vols, m.vol,
										m.r, m.q)));
}
MODEL_PAIR(strategy_extrinsic, extrinsic_common)

/*
 * leg_extrinsic(s, spot, as_of, vol | vols[], r, q): per leg (leg, kind, strike, expiry,
 * qty, price, intrinsic, extrinsic) per unit, and position_extrinsic = qty mult
 * extrinsic in currency.
 */
static Datum
leg_extrinsic_common(FunctionCallInfo fcinfo, bool per_leg)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	model_args	m;

	read_model(fcinfo, s, 1, ARG_POSITIVE, 2, per_leg, &m);
	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; i < s->nlegs; i++)
	{
		const cn_leg *l = &s->legs[i];
		char		kind[2] = {l->kind, '\0'};
		double		price,
					intrinsic,
					ex = cn_leg_extrinsic(l, m.spot, m.as_of, m.vols ? m.vols[i] : m.vol,
										  m.r, m.q, &price, &intrinsic);
		Datum		v[9];
		bool		nulls[9] = {0};

		v[0] = Int32GetDatum(i + 1);
		v[1] = CStringGetTextDatum(kind);
		v[2] = Float8GetDatum(l->strike);
		nulls[2] = l->kind == 'U';
		v[3] = TimestampTzGetDatum(l->expiry);
		nulls[3] = l->kind == 'U';
		v[4] = Float8GetDatum(l->qty);
		v[5] = Float8GetDatum(money(fcinfo, "price", price));
		v[6] = Float8GetDatum(money(fcinfo, "intrinsic value", intrinsic));
		v[7] = Float8GetDatum(money(fcinfo, "extrinsic value", ex));
		v[8] = Float8GetDatum(money(fcinfo, "position_extrinsic",
									l->qty * l->multiplier * ex));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
	}
	return (Datum) 0;
}
MODEL_PAIR(strategy_leg_extrinsic, leg_extrinsic_common)

PG_FUNCTION_INFO_V1(expected_move);
Datum
expected_move(PG_FUNCTION_ARGS)
{
	double		spot = CONDOR_ARG(0, "spot", ARG_POSITIVE);
	double		vol = CONDOR_ARG(1, "vol", ARG_NONNEGATIVE);
	double		t = CONDOR_ARG(2, "t", ARG_NONNEGATIVE);

	PG_RETURN_FLOAT8(cn_expected_move(spot, vol, t));
}

/*
 * risk_graph(s, spot, as_of, vol | vols[], r, q, lo, hi, steps): steps + 1 rows from lo
 * to hi, each with the P&L on the expiration line (the first expiry after as_of, later
 * legs by the model: the line of payoff(s, spot, as_of, vol, r, q)) and at as_of.
 */
static Datum
risk_graph_common(FunctionCallInfo fcinfo, bool per_leg)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	model_args	m;
	double		lo = CONDOR_ARG(6, "lo", ARG_POSITIVE);
	double		hi = CONDOR_ARG(7, "hi", ARG_POSITIVE);
	int32		steps = PG_GETARG_INT32(8);

	read_model(fcinfo, s, 1, ARG_POSITIVE, 2, per_leg, &m);
	if (steps < 1 || steps > 100000 || !(hi >= lo))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("risk_graph needs lo <= hi and 1 to 100000 steps")));
	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; i <= steps; i++)
	{
		double		x = (i == steps) ? hi : lo + (hi - lo) * i / steps;
		Datum		v[3];
		bool		nulls[3] = {0};

		v[0] = Float8GetDatum(x);
		v[1] = Float8GetDatum(money(fcinfo, "pnl_expiry",
									cn_payoff_first(s->legs, s->nlegs, x, m.as_of, m.vols,
													m.vol, m.r, m.q)));
		v[2] = Float8GetDatum(money(fcinfo, "pnl_now",
									cn_strategy_pnl(s->legs, s->nlegs, x, m.as_of, m.vols,
													m.vol, m.r, m.q)));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
	}
	return (Datum) 0;
}
MODEL_PAIR(strategy_risk_graph, risk_graph_common)

static const double *
array_values(ArrayType *a, const char *name, int *n)
{
	*n = ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a));
	if (ARR_ELEMTYPE(a) != FLOAT8OID || ARR_NDIM(a) > 1 || ARR_HASNULL(a) || *n > 10000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a one-dimensional float8 array without NULLs (at most 10000)", name)));
	for (int i = 0; i < *n; i++)
		condor_check_arg(name, ((double *) ARR_DATA_PTR(a))[i], ARG_FINITE);
	return (const double *) ARR_DATA_PTR(a);
}

/*
 * scenario_grid(s, spot, as_of, vol | vols[], r, q, spot_moves, vol_moves, days_forward):
 * one row per scenario with the P&L and the Greeks.  spot_moves are relative (-0.05 =
 * spot down 5%), vol_moves absolute vol changes added to every leg's vol (0.05 = +5 vol
 * points, floored at 0), days_forward calendar days added to as_of.  The vol column is
 * the flat vol after the move, or with vols[] the moved vol of the first expiry's leg
 * nearest the forward (the one pop uses).
 */
static Datum
scenario_grid_common(FunctionCallInfo fcinfo, bool per_leg)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	model_args	m;
	int			ns,
				nv,
				nd;
	const double *sm,
			   *vm,
			   *dm;
	double	   *vols = palloc(sizeof(double) * Max(s->nlegs, 1));

	read_model(fcinfo, s, 1, ARG_POSITIVE, 2, per_leg, &m);
	sm = array_values(PG_GETARG_ARRAYTYPE_P(6), "spot_moves", &ns);
	vm = array_values(PG_GETARG_ARRAYTYPE_P(7), "vol_moves", &nv);
	dm = array_values(PG_GETARG_ARRAYTYPE_P(8), "days_forward", &nd);
	for (int d = 0; d < nd; d++)
	{
		/* as_of moved by that many days must still be a timestamp (and fit the int64) */
		double		us = dm[d] * USECS_PER_DAY;

		if (!(fabs(us) < 1e18) || !IS_VALID_TIMESTAMP(m.as_of + (TimestampTz) llround(us)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid days_forward \"%s\"", condor_float8_text(dm[d])),
					 errdetail("as_of plus days_forward must be a valid timestamp.")));
	}
	InitMaterializedSRF(fcinfo, 0);
	for (int d = 0; d < nd; d++)
		for (int v = 0; v < nv; v++)
			for (int i = 0; i < ns; i++)
			{
				double		x = m.spot * (1.0 + sm[i]);
				TimestampTz at = m.as_of + (TimestampTz) llround(dm[d] * USECS_PER_DAY);
				double		base = Max(m.vol + vm[v], 0.0);
				cn_greeks	g;
				Datum		out[10];
				bool		nulls[10] = {0};

				if (!(x > 0))
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("spot move %s takes spot to zero or below", condor_float8_text(sm[i]))));
				for (int k = 0; k < s->nlegs; k++)
					vols[k] = Max(0.0, (m.vols ? m.vols[k] : m.vol) + vm[v]);
				cn_strategy_greeks(s->legs, s->nlegs, x, at, vols, base, m.r, m.q, &g);
				money_greeks(fcinfo, &g);
				out[0] = Float8GetDatum(sm[i]);
				out[1] = Float8GetDatum(vm[v]);
				out[2] = Float8GetDatum(dm[d]);
				out[3] = Float8GetDatum(x);
				out[4] = Float8GetDatum(base);
				out[5] = Float8GetDatum(money(fcinfo, "pnl",
											  cn_strategy_pnl(s->legs, s->nlegs, x, at,
															  vols, base, m.r, m.q)));
				out[6] = Float8GetDatum(g.delta);
				out[7] = Float8GetDatum(g.gamma);
				out[8] = Float8GetDatum(g.vega);
				out[9] = Float8GetDatum(g.theta);
				tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, out, nulls);
			}
	return (Datum) 0;
}
MODEL_PAIR(strategy_scenario_grid, scenario_grid_common)

/* ---- iron_condor aggregate: quotes of one expiry in a float8[] state ---- */

/* header: target delta, width, natural fills (0/1); rows: expiry, +-1, strike, bid, ask, delta */
static const condor_cell ic_hdr[] = {CELL_UNIT, CELL_POSITIVE, CELL_FLAG};
static const condor_cell ic_col[] = {CELL_TIME, CELL_SIGN, CELL_POSITIVE, CELL_NONNEG,
CELL_NONNEG, CELL_FINITE};
static const condor_rowspec ic_spec = {"iron_condor", 3, ic_hdr, 6, ic_col, true, 1};

PG_FUNCTION_INFO_V1(iron_condor_sfunc);
Datum
iron_condor_sfunc(PG_FUNCTION_ARGS)
{
	double		hdr[3] = {0.16, 50.0, 0.0};
	double		row[6];
	int			nargs = PG_NARGS();

	(void) condor_agg_context(fcinfo, "iron_condor_sfunc");
	if (condor_any_null(fcinfo, 1, 6))
		CONDOR_KEEP_STATE();
	if (nargs > 8)
	{
		if (PG_ARGISNULL(7) || PG_ARGISNULL(8) || (nargs > 9 && PG_ARGISNULL(9)))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("iron_condor: target_delta, width and natural must not be NULL")));
		hdr[0] = PG_GETARG_FLOAT8(7);
		if (!(hdr[0] > 0 && hdr[0] < 1))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid target_delta \"%s\"", condor_float8_text(hdr[0])),
					 errdetail("target_delta must be a delta between 0 and 1 (0.16 for a 16-delta condor).")));
		hdr[1] = CONDOR_ARG(8, "width", ARG_POSITIVE);
	}
	if (nargs > 9)
		hdr[2] = PG_GETARG_BOOL(9) ? 1.0 : 0.0;
	row[0] = condor_time_cell(PG_GETARG_TIMESTAMPTZ(1), "expiry");
	row[1] = condor_cp(PG_GETARG_TEXT_PP(2));
	row[2] = CONDOR_ARG(3, "strike", ARG_POSITIVE);
	row[3] = CONDOR_ARG(4, "bid", ARG_NONNEGATIVE);
	row[4] = CONDOR_ARG(5, "ask", ARG_NONNEGATIVE);
	row[5] = CONDOR_ARG(6, "delta", ARG_FINITE);
	return condor_rows_append(fcinfo, &ic_spec, hdr, row);
}

PG_FUNCTION_INFO_V1(iron_condor_combine);
Datum
iron_condor_combine(PG_FUNCTION_ARGS)
{
	return condor_rows_combine(fcinfo, &ic_spec);
}

PG_FUNCTION_INFO_V1(iron_condor_final);
Datum
iron_condor_final(PG_FUNCTION_ARGS)
{
	const double *hdr,
			   *v;
	int			n,
				rc;
	cn_quote   *q;
	cn_leg		legs[4];

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	v = condor_rows_read(PG_GETARG_DATUM(0), &ic_spec, &hdr, &n);
	q = palloc(sizeof(cn_quote) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		const double *r = v + i * 6;

		q[i].expiry = (int64_t) r[0];
		q[i].cp = r[1] > 0 ? 'C' : 'P';
		q[i].strike = r[2];
		q[i].bid = r[3];
		q[i].ask = r[4];
		q[i].delta = r[5];
	}
	rc = cn_iron_condor_pick(q, n, hdr[0], hdr[1], hdr[2] != 0, legs);
	if (rc < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("iron_condor: the quotes of one group must share one expiry"),
				 errhint("GROUP BY the expiry, or filter to one.")));
	if (rc == 0)
		PG_RETURN_NULL();		/* the chain cannot form one */
	PG_RETURN_STRATEGY_P(strategy_make(legs, 4));
}
