/*
 * legs.h -- a position's leg in one call, for the unit tests of positions.
 */
#ifndef CONDOR_TEST_LEGS_H
#define CONDOR_TEST_LEGS_H

#include <math.h>
#include <string.h>

#include "payoff.h"

/* qty kind strike expiry @ premium x mult; a 'U' leg has no strike or expiry */
static inline cn_leg
L(double qty, char kind, double strike, int64_t expiry, double premium, double mult)
{
	cn_leg		l;

	memset(&l, 0, sizeof(l));
	l.qty = qty;
	l.kind = kind;
	l.strike = kind == 'U' ? NAN : strike;
	l.expiry = kind == 'U' ? 0 : expiry;
	l.premium = premium;
	l.multiplier = mult;
	return l;
}

#endif
