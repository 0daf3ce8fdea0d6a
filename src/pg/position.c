/*
 * position.c -- analytics of a strategy: at expiry (payoff, breakevens, max_profit,
 * max_loss, net_premium), under BSM at a date (strategy_value, strategy_pnl,
 * strategy_greeks, pop, breakevens at a date), dashboards (risk_graph, scenario_grid),
 * the wing test, expected_move and the iron_condor aggregate.  Money is in currency
 * (qty x multiplier); conventions are those of payoff.h.
 */
#include "strategy.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "rows.h"

/* The model inputs that follow the strategy: spot, as_of, vol or vols[], r, q. */
typedef struct model_args
{
	double		spot;
	TimestampTz as_of;
	double		vol;
	double	   *vols;			/* per leg, in legs() order, or NULL */
	double		r;
	double		q;
} model_args;

static void
read_model_args(FunctionCallInfo fcinfo, const Strategy *s, model_args *m)
{
	m->spot = CONDOR_ARG(1, "spot", ARG_POSITIVE);
	m->as_of = PG_GETARG_TIMESTAMPTZ(2);
	if (TIMESTAMP_NOT_FINITE(m->as_of))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of must be a finite timestamp")));
	m->vols = NULL;
	m->vol = 0.0;
	if (get_fn_expr_argtype(fcinfo->flinfo, 3) == FLOAT8ARRAYOID)
	{
		ArrayType  *a = PG_GETARG_ARRAYTYPE_P(3);
		int			n = ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a));

		if (ARR_ELEMTYPE(a) != FLOAT8OID || ARR_NDIM(a) > 1 || ARR_HASNULL(a) || n != s->nlegs)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("vols must be a one-dimensional float8 array without NULLs, one per leg"),
					 errdetail("The strategy has %d legs, vols has %d elements.", s->nlegs, n),
					 errhint("Vols follow the order of legs(strategy).")));
		m->vols = (double *) ARR_DATA_PTR(a);
		for (int i = 0; i < n; i++)
		{
			condor_check_arg("vol", m->vols[i], ARG_NONNEGATIVE);
			m->vol = Max(m->vol, m->vols[i]);
		}
	}
	else
		m->vol = CONDOR_ARG(3, "vol", ARG_NONNEGATIVE);
	m->r = CONDOR_ARG(4, "r", ARG_FINITE);
	m->q = CONDOR_ARG(5, "q", ARG_FINITE);
}

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

PG_FUNCTION_INFO_V1(strategy_payoff);
Datum
strategy_payoff(PG_FUNCTION_ARGS)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	double		spot = CONDOR_ARG(1, "spot", ARG_NONNEGATIVE);

	PG_RETURN_FLOAT8(cn_payoff(s->legs, s->nlegs, spot));
}

PG_FUNCTION_INFO_V1(strategy_breakevens);
Datum
strategy_breakevens(PG_FUNCTION_ARGS)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	int			cap = 2 * s->nlegs + 2;
	double	   *out = palloc(sizeof(double) * cap);
	int			n = cn_breakevens(s->legs, s->nlegs, out, cap);

	PG_RETURN_DATUM(float8_array(out, Min(n, cap)));
}

PG_FUNCTION_INFO_V1(strategy_max_profit);
Datum
strategy_max_profit(PG_FUNCTION_ARGS)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);

	PG_RETURN_FLOAT8(cn_max_profit(s->legs, s->nlegs));
}

PG_FUNCTION_INFO_V1(strategy_max_loss);
Datum
strategy_max_loss(PG_FUNCTION_ARGS)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);

	PG_RETURN_FLOAT8(cn_max_loss(s->legs, s->nlegs));
}

PG_FUNCTION_INFO_V1(strategy_net_premium);
Datum
strategy_net_premium(PG_FUNCTION_ARGS)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);

	PG_RETURN_FLOAT8(cn_net_premium(s->legs, s->nlegs));
}

PG_FUNCTION_INFO_V1(strategy_wing_test);
Datum
strategy_wing_test(PG_FUNCTION_ARGS)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	double		spot = CONDOR_ARG(1, "spot", ARG_POSITIVE);
	double		w = cn_wing_test(s->legs, s->nlegs, spot);

	if (isnan(w))
		PG_RETURN_NULL();		/* no short strike with a protecting wing on that side */
	PG_RETURN_FLOAT8(w);
}

/* ---- under the model ---- */

PG_FUNCTION_INFO_V1(strategy_value);
Datum
strategy_value(PG_FUNCTION_ARGS)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	model_args	m;

	read_model_args(fcinfo, s, &m);
	PG_RETURN_FLOAT8(cn_strategy_value(s->legs, s->nlegs, m.spot, m.as_of, m.vols, m.vol,
									   m.r, m.q));
}

PG_FUNCTION_INFO_V1(strategy_pnl);
Datum
strategy_pnl(PG_FUNCTION_ARGS)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	model_args	m;

	read_model_args(fcinfo, s, &m);
	PG_RETURN_FLOAT8(cn_strategy_pnl(s->legs, s->nlegs, m.spot, m.as_of, m.vols, m.vol,
									 m.r, m.q));
}

PG_FUNCTION_INFO_V1(strategy_greeks);
Datum
strategy_greeks(PG_FUNCTION_ARGS)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	model_args	m;
	cn_greeks	g;

	read_model_args(fcinfo, s, &m);
	cn_strategy_greeks(s->legs, s->nlegs, m.spot, m.as_of, m.vols, m.vol, m.r, m.q, &g);
	PG_RETURN_DATUM(condor_greeks_datum(fcinfo, &g));
}

PG_FUNCTION_INFO_V1(strategy_pop);
Datum
strategy_pop(PG_FUNCTION_ARGS)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	model_args	m;
	double		p;

	read_model_args(fcinfo, s, &m);
	p = cn_pop(s->legs, s->nlegs, m.spot, m.as_of, m.vols, m.vol, m.r, m.q);
	if (isnan(p))
		PG_RETURN_NULL();		/* no option leg: no horizon */
	PG_RETURN_FLOAT8(p);
}

PG_FUNCTION_INFO_V1(strategy_breakevens_at);
Datum
strategy_breakevens_at(PG_FUNCTION_ARGS)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	model_args	m;
	int			cap = 4 * s->nlegs + 8;
	double	   *out;
	int			n;

	read_model_args(fcinfo, s, &m);
	for (;;)
	{
		out = palloc(sizeof(double) * cap);
		n = cn_breakevens_at(s->legs, s->nlegs, m.spot, m.as_of, m.vols, m.vol, m.r, m.q,
							 out, cap);
		if (n <= cap)
			break;
		cap = n;
	}
	PG_RETURN_DATUM(float8_array(out, n));
}

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
 * risk_graph(s, spot, as_of, vol, r, q, lo, hi, steps): steps + 1 rows from lo to hi,
 * each with the P&L at expiry and at as_of under the model.
 */
PG_FUNCTION_INFO_V1(strategy_risk_graph);
Datum
strategy_risk_graph(PG_FUNCTION_ARGS)
{
	Strategy   *s = PG_GETARG_STRATEGY_P(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	model_args	m;
	double		lo = CONDOR_ARG(6, "lo", ARG_POSITIVE);
	double		hi = CONDOR_ARG(7, "hi", ARG_POSITIVE);
	int32		steps = PG_GETARG_INT32(8);

	read_model_args(fcinfo, s, &m);
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
		v[1] = Float8GetDatum(cn_payoff(s->legs, s->nlegs, x));
		v[2] = Float8GetDatum(cn_strategy_pnl(s->legs, s->nlegs, x, m.as_of, m.vols, m.vol,
											  m.r, m.q));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
	}
	return (Datum) 0;
}

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
 * scenario_grid(s, spot, as_of, vol, r, q, spot_moves, vol_moves, days_forward): one row
 * per scenario with the P&L and the Greeks.  spot_moves are relative (-0.05 = spot
 * down 5%), vol_moves absolute vol changes added to every leg's vol (0.05 = +5 vol
 * points, floored at 0), days_forward calendar days added to as_of.
 */
PG_FUNCTION_INFO_V1(strategy_scenario_grid);
Datum
strategy_scenario_grid(PG_FUNCTION_ARGS)
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

	read_model_args(fcinfo, s, &m);
	sm = array_values(PG_GETARG_ARRAYTYPE_P(6), "spot_moves", &ns);
	vm = array_values(PG_GETARG_ARRAYTYPE_P(7), "vol_moves", &nv);
	dm = array_values(PG_GETARG_ARRAYTYPE_P(8), "days_forward", &nd);
	InitMaterializedSRF(fcinfo, 0);
	for (int d = 0; d < nd; d++)
		for (int v = 0; v < nv; v++)
			for (int i = 0; i < ns; i++)
			{
				double		x = m.spot * (1.0 + sm[i]);
				TimestampTz at = m.as_of + (TimestampTz) llround(dm[d] * USECS_PER_DAY);
				double		base = m.vol + vm[v];
				cn_greeks	g;
				Datum		out[10];
				bool		nulls[10] = {0};

				if (!(x > 0))
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("spot move %s takes spot to zero or below", condor_float8_text(sm[i]))));
				for (int k = 0; k < s->nlegs; k++)
					vols[k] = Max(0.0, (m.vols ? m.vols[k] : m.vol) + vm[v]);
				cn_strategy_greeks(s->legs, s->nlegs, x, at, vols, Max(base, 0.0), m.r, m.q, &g);
				out[0] = Float8GetDatum(sm[i]);
				out[1] = Float8GetDatum(vm[v]);
				out[2] = Float8GetDatum(dm[d]);
				out[3] = Float8GetDatum(x);
				out[4] = Float8GetDatum(Max(base, 0.0));
				out[5] = Float8GetDatum(cn_strategy_pnl(s->legs, s->nlegs, x, at, vols,
														Max(base, 0.0), m.r, m.q));
				out[6] = Float8GetDatum(g.delta);
				out[7] = Float8GetDatum(g.gamma);
				out[8] = Float8GetDatum(g.vega);
				out[9] = Float8GetDatum(g.theta);
				tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, out, nulls);
			}
	return (Datum) 0;
}

/* ---- iron_condor aggregate: quotes of one expiry in a float8[] state ---- */

/* header: target delta, width, natural fills (0/1); rows: expiry, +-1, strike, bid, ask, delta */
static const condor_cell ic_hdr[] = {CELL_UNIT, CELL_POSITIVE, CELL_FLAG};
static const condor_cell ic_col[] = {CELL_TIME, CELL_SIGN, CELL_POSITIVE, CELL_NONNEG,
CELL_NONNEG, CELL_FINITE};
static const condor_rowspec ic_spec = {"iron_condor", 3, ic_hdr, 6, ic_col, true};

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
