/*
 * irr.h -- internal rate of return of dated (XIRR) and evenly spaced (IRR) cash flows.
 * Pure C (no PostgreSQL).
 *
 * The rate r solves  sum_i a_i (1 + r)^(-t_i) = 0,  with t_i in years of 365 days from
 * the earliest flow (XIRR, ACT/365, Excel's convention) or in periods from the
 * earliest period (IRR).  The earliest time is the origin, so the order of the input
 * does not matter: flows are sorted by (time, amount) before any arithmetic and a
 * permutation of the input gives a bit-identical rate.  Zero amounts are ignored.
 *
 * Method: in u = ln(1 + r), which maps r in (-1, inf) to the whole real line, the
 * present value g(u) = sum a_i e^(-u t_i) is evaluated with every term scaled to at
 * most |a_i| (by e^(u t_max) when u < 0; a positive factor, so the sign and the
 * roots are unchanged) and compensated (Neumaier) summation.  The number of sign
 * changes of the net amounts in time order bounds the number of rates (Descartes'
 * rule of signs, which holds for sums of powers with real exponents).
 * One sign change (conventional flows: the rate is unique):
 *   1. Scan outward from r = 0 for a sign change, visiting the grid points of both
 *      sides in order of increasing |r|: |u| = 0.01, 0.02, ..., 1 (about 1% apart
 *      near zero), then |u| growing by 10% per step, up to u = 700 (r = 1e304, near
 *      the largest double) and down to u = -36 (1 + r = 2.3e-16; below that r
 *      rounds to -1).  At most 308 evaluations of n terms when nothing is found.
 *   2. Brent's method on the first bracket found, to 1e-15 in u, i.e. 1e-15
 *      relative in 1 + r (the rounding of g near its root permitting).
 *   3. The other side of r = 0 is then checked out to the same |r|; a root there
 *      with a smaller |r| wins.
 * Several sign changes (non-conventional flows): there may be several rates.  Every
 * interval of the same grid is scanned (about 308 evaluations of n terms), each
 * bracket solved by Brent's method, and the rate returned is the one nearest the
 * guess among those where the present value falls as the rate rises (the rate of an
 * investment: a higher hurdle makes it worth less); when there is none, the one
 * nearest the guess.  Two roots closer together than one grid step (0.01 in u near
 * zero) cancel in the scan and are both missed; a double root (g touching zero
 * without crossing) is not found (CN_IRR_NO_ROOT).
 *
 * Accuracy (test/unit/test_irr.c): the closed-form cases to 1e-14 relative in r;
 * over 2000 random schedules (3 to 40 flows over up to 10 years, with further
 * outlays) |NPV| at the returned rate is below 4.1e-15 of the sum of the absolute
 * discounted flows.  For rates near -100% the double r itself holds 1 + r only to
 * 1.1e-16/(1 + r) relative, whatever the solver does.
 */
#ifndef CONDOR_IRR_H
#define CONDOR_IRR_H

enum
{
	CN_IRR_OK = 0,
	CN_IRR_EARG = 1,			/* n < 0, a NULL pointer, an amount or time that
								 * is not finite, or a guess not in (-1, inf)
								 * [22023] */
	CN_IRR_NO_SIGN_CHANGE = 2,	/* no flows, or all non-zero amounts of one sign:
								 * no rate exists (SQL: NULL) */
	CN_IRR_NO_ROOT = 3,			/* flows of both signs but no rate found in the
								 * scanned range, or all flows at one time (then
								 * no rate or every rate solves) (SQL: NULL) */
	CN_IRR_ENOMEM = 4			/* out of memory (malloc) */
};

/*
 * Annualised internal rate of return (ACT/365, annual compounding, 0.1 = 10%) of n
 * cash flows amount[i] at times days[i], in days on any common origin (fractions
 * allowed, e.g. epoch seconds / 86400).  guess (> -1, finite; spreadsheets use 0.1)
 * chooses among several rates (see above).  Returns a status; *rate is the rate on
 * CN_IRR_OK, NaN otherwise.  Uses O(n) temporary memory from malloc.
 */
extern int	cn_xirr(const double *amount, const double *days, int n, double guess,
					double *rate);

/*
 * Per-period internal rate of return of n cash flows amount[i] at period[i] (usually
 * the integers 0, 1, 2, ...; any finite values are accepted, measured in periods).
 * Same method, status and result conventions as cn_xirr.
 */
extern int	cn_irr(const double *amount, const double *period, int n, double guess,
				   double *rate);

#endif
