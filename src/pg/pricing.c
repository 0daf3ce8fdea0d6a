/*
 * pricing.c -- SQL functions for European prices and Greeks: bs_*, black76_*,
 * bachelier_*.  Each checks its arguments (22023 naming the argument) and calls the
 * pure numerics in src/num/bsm.c.  Units are those of models.h.
 *
 * The numerics return a finite number for every finite input, or +-Infinity where the
 * true value is beyond the float8 range (and Infinity for the gamma, +-Infinity for
 * the charm, of a zero vol exactly at the forward: the documented spike).  Anything
 * else infinite is raised here as 22003, naming the argument that takes it there.
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

typedef enum price_model
{
	MODEL_BSM,
	MODEL_BLACK76,
	MODEL_BACHELIER
} price_model;

/*
 * Read (cp, underlying, strike, t, vol, r [, q]).  Lognormal models need a positive
 * underlying and strike; Bachelier takes any finite forward and strike.
 */
static inline void
read_args(FunctionCallInfo fcinfo, const char *func, price_args *a, const char *uname,
		  bool lognormal, bool has_q)
{
	condor_argrule pos = lognormal ? ARG_POSITIVE : ARG_FINITE;

	a->omega = condor_cp(PG_GETARG_TEXT_PP(0));
	a->u = CONDOR_ARG(1, uname, pos);
	a->k = CONDOR_ARG(2, "strike", pos);
	a->t = CONDOR_ARG(3, "t", ARG_NONNEGATIVE);
	a->vol = CONDOR_ARG(4, "vol", ARG_NONNEGATIVE);
	a->r = CONDOR_ARG(5, "r", ARG_FINITE);
	a->q = has_q ? CONDOR_ARG(6, "q", ARG_FINITE) : 0.0;
	condor_check_carry(func, a->t, a->r, a->q);
}

static void
model_greeks(price_model m, const price_args *a, cn_greeks *g)
{
	switch (m)
	{
		case MODEL_BSM:
			cn_bsm_greeks(a->omega, a->u, a->k, a->t, a->vol, a->r, a->q, g);
			break;
		case MODEL_BLACK76:
			cn_black76_greeks(a->omega, a->u, a->k, a->t, a->vol, a->r, g);
			break;
		case MODEL_BACHELIER:
			cn_bachelier_greeks(a->omega, a->u, a->k, a->t, a->vol, a->r, g);
			break;
	}
}

static double
model_price(price_model m, const price_args *a)
{
	switch (m)
	{
		case MODEL_BSM:
			return cn_bsm_price(a->omega, a->u, a->k, a->t, a->vol, a->r, a->q);
		case MODEL_BLACK76:
			return cn_black76_price(a->omega, a->u, a->k, a->t, a->vol, a->r);
		case MODEL_BACHELIER:
			return cn_bachelier_price(a->omega, a->u, a->k, a->t, a->vol, a->r);
	}
	return 0.0;					/* keep the compiler quiet */
}

/*
 * Raise 22003 for field i (0 = price) of a set of inputs whose result is infinite.
 * The argument named is the first that, replaced by an ordinary value (underlying
 * and strike 100, or 0 for Bachelier; t 1; vol 0.2, or 1 for Bachelier; r and q 0),
 * brings the field back into range; with none, all the arguments are listed.
 */
static void
price_overflow(const char *func, price_model m, const price_args *a, int field)
{
	bool		lognormal = m != MODEL_BACHELIER;
	const char *names[6] = {m == MODEL_BSM ? "spot" : "forward", "strike", "t", "vol", "r",
	"q"};
	double		vals[6] = {a->u, a->k, a->t, a->vol, a->r, a->q};
	double		plain[6] = {lognormal ? 100.0 : 0.0, lognormal ? 100.0 : 0.0, 1.0,
	lognormal ? 0.2 : 1.0, 0.0, 0.0};
	int			nargs = m == MODEL_BSM ? 6 : 5;

	for (int i = 0; i < nargs; i++)
	{
		price_args b = *a;
		double	   *f[6] = {&b.u, &b.k, &b.t, &b.vol, &b.r, &b.q};
		cn_greeks	g;

		if (vals[i] == plain[i])
			continue;
		*f[i] = plain[i];
		model_greeks(m, &b, &g);
		if (isfinite((&g.price)[field]))
			condor_overflow(func, condor_greek_names[field], names[i], vals[i], NULL);
	}
	condor_overflow(func, condor_greek_names[field], NULL, 0.0,
					psprintf("%s \"%s\", strike \"%s\", t \"%s\", vol \"%s\", r \"%s\"%s%s%s",
							 names[0], condor_float8_text(a->u), condor_float8_text(a->k),
							 condor_float8_text(a->t), condor_float8_text(a->vol),
							 condor_float8_text(a->r), nargs == 6 ? ", q \"" : "",
							 nargs == 6 ? condor_float8_text(a->q) : "",
							 nargs == 6 ? "\"" : ""));
}

/*
 * Every field finite, or 22003.  The zero-vol spike is kept: at vol = 0 exactly at the
 * forward gamma is Infinity and (lognormal models, r <> q) charm +-Infinity, the
 * limits of small vol (README, "Limits").
 */
static inline void
check_field(const char *func, price_model m, const price_args *a, const cn_greeks *g, int i)
{
	double		x = (&g->price)[i];

	if (unlikely(!isfinite(x)) &&
		!(a->vol == 0.0 && ((i == 2 && x == INFINITY) ||
							(i == 9 && m != MODEL_BACHELIER && isinf(x)))))
		price_overflow(func, m, a, i);
}

static void
check_greeks(const char *func, price_model m, const price_args *a, const cn_greeks *g)
{
	for (int i = 0; i < CN_GREEKS_N; i++)
		check_field(func, m, a, g, i);
}

static Datum
price_result(const char *func, price_model m, const price_args *a)
{
	double		p = model_price(m, a);

	if (unlikely(!isfinite(p)))
		price_overflow(func, m, a, 0);
	PG_RETURN_FLOAT8(p);
}

static Datum
greeks_result(FunctionCallInfo fcinfo, const char *func, price_model m,
			  const price_args *a)
{
	cn_greeks	g;

	model_greeks(m, a, &g);
	check_greeks(func, m, a, &g);
	PG_RETURN_DATUM(condor_greeks_datum(fcinfo, &g));
}

PG_FUNCTION_INFO_V1(bs_price);
Datum
bs_price(PG_FUNCTION_ARGS)
{
	price_args	a;

	read_args(fcinfo, "bs_price", &a, "spot", true, true);
	return price_result("bs_price", MODEL_BSM, &a);
}

PG_FUNCTION_INFO_V1(bs_greeks);
Datum
bs_greeks(PG_FUNCTION_ARGS)
{
	price_args	a;

	read_args(fcinfo, "bs_greeks", &a, "spot", true, true);
	return greeks_result(fcinfo, "bs_greeks", MODEL_BSM, &a);
}

PG_FUNCTION_INFO_V1(black76_price);
Datum
black76_price(PG_FUNCTION_ARGS)
{
	price_args	a;

	read_args(fcinfo, "black76_price", &a, "forward", true, false);
	return price_result("black76_price", MODEL_BLACK76, &a);
}

PG_FUNCTION_INFO_V1(black76_greeks);
Datum
black76_greeks(PG_FUNCTION_ARGS)
{
	price_args	a;

	read_args(fcinfo, "black76_greeks", &a, "forward", true, false);
	return greeks_result(fcinfo, "black76_greeks", MODEL_BLACK76, &a);
}

PG_FUNCTION_INFO_V1(bachelier_price);
Datum
bachelier_price(PG_FUNCTION_ARGS)
{
	price_args	a;

	read_args(fcinfo, "bachelier_price", &a, "forward", false, false);
	return price_result("bachelier_price", MODEL_BACHELIER, &a);
}

PG_FUNCTION_INFO_V1(bachelier_greeks);
Datum
bachelier_greeks(PG_FUNCTION_ARGS)
{
	price_args	a;

	read_args(fcinfo, "bachelier_greeks", &a, "forward", false, false);
	return greeks_result(fcinfo, "bachelier_greeks", MODEL_BACHELIER, &a);
}

/*
 * ---- bs_delta ... bs_charm: one field of bs_greeks as a plain float8 ----
 *
 * For tools that read one column and no composite type (BI tools), and for sums of
 * Greeks at the level of the call, which a parallel plan then runs in its workers.
 * Each returns the field of bs_greeks for the same arguments, bit for bit: the same
 * computation, the same units (vega, rho, phi, vanna per point, volga per point
 * squared, theta and charm per calendar day) and the same argument checks; only the
 * field returned is checked for overflow (an infinite gamma does not concern delta).
 *
 * The Greeks of one row are asked for one after another with the same arguments (ten
 * columns, or ten sums), so the last arguments and the ten fields they gave are kept:
 * the first call of a row computes, the others read.  The key is the arguments as
 * passed (the bits of the six numbers, which the checks keep as they are, and the
 * bytes of cp): the same key passed the same checks and gives the same fields, so a
 * hit returns what computing again would, and skips the checks too.  Plain values
 * without pointers, in static memory: nothing to free, and every process (a parallel
 * worker too) has its own.
 */
#define BS_CP_MAX	8			/* 'call' and 'put' fit; a longer cp is not kept */

static struct
{
	bool		valid;
	int			cplen;
	char		cp[BS_CP_MAX];
	price_args	a;				/* the arguments, checked: the key's numbers */
	cn_greeks	g;
}			bs_last;

/* The bytes of cp when they can be read in place (no detoasting), else NULL. */
static inline const char *
cp_bytes(FunctionCallInfo fcinfo, int *len)
{
	struct varlena *cp = (struct varlena *) PG_GETARG_POINTER(0);

	if (VARATT_IS_COMPRESSED(cp) || VARATT_IS_EXTERNAL(cp))
		return NULL;
	*len = VARSIZE_ANY_EXHDR(cp);
	return VARDATA_ANY(cp);
}

static inline bool
bs_last_hit(FunctionCallInfo fcinfo)
{
	const double key[6] = {bs_last.a.u, bs_last.a.k, bs_last.a.t, bs_last.a.vol,
	bs_last.a.r, bs_last.a.q};
	const char *cp;
	int			len;

	if (!bs_last.valid || (cp = cp_bytes(fcinfo, &len)) == NULL || len != bs_last.cplen ||
		memcmp(cp, bs_last.cp, len) != 0)
		return false;
	for (int i = 0; i < 6; i++)
	{
		double		x = PG_GETARG_FLOAT8(i + 1);

		if (memcmp(&x, &key[i], sizeof(double)) != 0)
			return false;
	}
	return true;
}

static Datum
bs_field(FunctionCallInfo fcinfo, const char *func, int field)
{
	if (!bs_last_hit(fcinfo))
	{
		price_args	a;
		const char *cp;
		int			len;

		read_args(fcinfo, func, &a, "spot", true, true);
		bs_last.valid = false;	/* until the fields are computed */
		model_greeks(MODEL_BSM, &a, &bs_last.g);
		bs_last.a = a;
		cp = cp_bytes(fcinfo, &len);
		if (cp != NULL && len <= BS_CP_MAX)
		{
			memcpy(bs_last.cp, cp, len);
			bs_last.cplen = len;
			bs_last.valid = true;
		}
	}
	check_field(func, MODEL_BSM, &bs_last.a, &bs_last.g, field);
	PG_RETURN_FLOAT8((&bs_last.g.price)[field]);
}

#define BS_FIELD_FUNCTION(name, field) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	return bs_field(fcinfo, #name, (field)); \
}

BS_FIELD_FUNCTION(bs_delta, 1)
BS_FIELD_FUNCTION(bs_gamma, 2)
BS_FIELD_FUNCTION(bs_vega, 3)
BS_FIELD_FUNCTION(bs_theta, 4)
BS_FIELD_FUNCTION(bs_rho, 5)
BS_FIELD_FUNCTION(bs_phi, 6)
BS_FIELD_FUNCTION(bs_vanna, 7)
BS_FIELD_FUNCTION(bs_volga, 8)
BS_FIELD_FUNCTION(bs_charm, 9)
