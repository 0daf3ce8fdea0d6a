/*
 * strategy.h -- the "strategy" SQL type: a position as an ordered set of legs.
 *
 * On disk: a varlena header, the number of legs and the legs themselves as cn_leg
 * (payoff.h), always in normal form (cn_legs_normalise) with padding zeroed, so equal
 * positions are equal byte for byte.
 */
#ifndef CONDOR_STRATEGY_H
#define CONDOR_STRATEGY_H

#include "condor.h"
#include "utils/array.h"

#include "payoff.h"

#define STRATEGY_MAX_LEGS 64

/*
 * Expiries are instants of the years 1 to 9999, UTC.  Text output writes them in ISO
 * 8601 with a four-digit year, the form text input, spreadsheets and every other tool
 * read back; no listed option expires outside that range, and years before 1 would
 * print as "0000-..." or with a sign that ISO 8601 reserves for agreed extensions.
 */
#define STRATEGY_EXPIRY_MIN		INT64CONST(-63082281600000000)	/* 0001-01-01 00:00 UTC */
#define STRATEGY_EXPIRY_END		INT64CONST(252455616000000000)	/* 10000-01-01 00:00 UTC */
#define STRATEGY_EXPIRY_OK(t)	((t) >= STRATEGY_EXPIRY_MIN && (t) < STRATEGY_EXPIRY_END)

typedef struct Strategy
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	int32		nlegs;
	cn_leg		legs[FLEXIBLE_ARRAY_MEMBER];
} Strategy;

#define STRATEGY_SIZE(n)		(offsetof(Strategy, legs) + sizeof(cn_leg) * (n))
#define DatumGetStrategyP(X)	((Strategy *) PG_DETOAST_DATUM(X))
#define PG_GETARG_STRATEGY_P(n)	DatumGetStrategyP(PG_GETARG_DATUM(n))
#define PG_RETURN_STRATEGY_P(x)	PG_RETURN_POINTER(x)

/*
 * A new strategy from n legs (copied, validated, normalised): 54000 beyond the limit of
 * legs, 22003 when a quantity is not finite (a merge or a product that overflowed),
 * 22023 for any other leg the type cannot hold.  Callers that know better (text input,
 * binary receive, strategy_agg) check their legs first with their own SQLSTATEs.
 */
extern Strategy *strategy_make(const cn_leg *legs, int n);

/*
 * The vols[] argument of the per-leg model forms: one vol per leg of s, in legs()
 * order, each finite and >= 0; 22023 otherwise.  Points into the array.
 */
extern const double *strategy_leg_vols(ArrayType *a, const Strategy *s);

/* The contract of a leg as the text form writes it, for messages: "C 6135 2025-10-31T20:00:00Z", "U". */
extern char *strategy_contract_text(const cn_leg *l);

#endif
