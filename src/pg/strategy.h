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

#include "payoff.h"

#define STRATEGY_MAX_LEGS 64

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

/* A new strategy from n legs (copied, validated, normalised); 54000 beyond the limit. */
extern Strategy *strategy_make(const cn_leg *legs, int n);

#endif
