/*
 * textbook.h -- the textbook Black-Scholes-Merton price
 *   S e^{-qt} N(d1) - K e^{-rt} N(d2),  N(d) = erfc(-d/sqrt 2)/2
 * with the C library's erfc, which condor does not use (out of the money it subtracts
 * nearly equal terms: up to 2.2e-12 relative on the benchmark's chain).  One
 * definition for the two floors that time it: build/bench_models (C) and the floor
 * module's floor_textbook (SQL).  Not inlined: a call, as a library's would be.
 * w = +1 call, -1 put; t > 0 and vol > 0.
 */
#ifndef CONDOR_BENCH_TEXTBOOK_H
#define CONDOR_BENCH_TEXTBOOK_H

#include <math.h>

__attribute__((noinline)) static double
textbook_price(int w, double S, double K, double t, double vol, double r, double q)
{
	double		sq = vol * sqrt(t),
				d1 = (log(S / K) + (r - q + 0.5 * vol * vol) * t) / sq,
				d2 = d1 - sq;

	return w * (S * exp(-q * t) * 0.5 * erfc(-w * d1 * M_SQRT1_2) -
				K * exp(-r * t) * 0.5 * erfc(-w * d2 * M_SQRT1_2));
}

#endif
