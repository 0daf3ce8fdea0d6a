/*
 * xsum.h -- exact sums of doubles, rounded once: a result that does not depend on the
 * order of the terms or on how they were split between workers or nodes.  Pure C (no
 * PostgreSQL).
 *
 * A running sum is kept exactly as an expansion (Shewchuk, "Adaptive Precision
 * Floating-Point Arithmetic and Fast Robust Geometric Predicates", 1997): m doubles
 * c[0..m-1] whose exact mathematical sum is the exact sum of every term added so far.
 * Adding a term is Shewchuk's GROW-EXPANSION with zero elimination (m error-free
 * TwoSums; exact whatever the order), and COMPRESS keeps m small (typically 1 to 3).
 * Two expansions add by growing one with the other's components (still exact).  The
 * result is the exact value rounded once to the nearest double (ties to even), by an
 * exact conversion through a fixed-point integer: so it depends on the exact value
 * only, never on which expansion represents it.
 *
 * Requirements: IEEE binary64 with round-to-nearest and no extended precision or
 * contraction (-ffp-contract=off).  TwoSum is exact unless an intermediate overflows;
 * then the functions report CN_XSUM_OVERFLOW (terms near 1e308 only).
 */
#ifndef CONDOR_XSUM_H
#define CONDOR_XSUM_H

enum
{
	CN_XSUM_OK = 0,
	CN_XSUM_FULL = 1,			/* the expansion needs more than cap components */
	CN_XSUM_OVERFLOW = 2		/* an intermediate or the result is beyond DBL_MAX */
};

/*
 * Adds the finite double x to the expansion c[0..*m-1] (room for cap components).
 * Returns CN_XSUM_OK; CN_XSUM_FULL when even the compressed sum needs more than cap
 * components (c and *m then hold a compressed expansion of the old sum, unchanged in
 * value); CN_XSUM_OVERFLOW when an intermediate overflowed (the sum is then lost).
 */
extern int	cn_xsum_add(double *c, int *m, int cap, double x);

/* Compresses c[0..*m-1] in place (same exact value, fewer or as many components). */
extern void cn_xsum_compress(double *c, int *m);

/*
 * The exact value of c[0..m-1] (any finite doubles, not necessarily an expansion)
 * rounded to the nearest double, ties to even.  Returns CN_XSUM_OK, or
 * CN_XSUM_OVERFLOW when the value is beyond the largest double.
 */
extern int	cn_xsum_round(const double *c, int m, double *out);

#endif
