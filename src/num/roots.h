/*
 * roots.h -- root finding shared by the numerics (break-evens on the T+n curve, IRR).
 */
#ifndef CONDOR_ROOTS_H
#define CONDOR_ROOTS_H

typedef double (*cn_root_fn) (double x, void *ctx);

/*
 * Brent's method (zeroin) on a bracket [a, b] where fa = f(a) and fb = f(b) have
 * opposite signs (or one is zero): inverse quadratic interpolation or secant steps,
 * replaced by bisection whenever they would leave the bracket or shrink it too slowly.
 * Stops when the bracket is (4 eps + 2 rel_tol) |x| + abs_tol wide, or after max_iter
 * evaluations.  Returns the best estimate of the root; *converged (when not NULL) tells
 * whether the tolerance was met.
 */
extern double cn_brent(cn_root_fn f, void *ctx, double a, double b, double fa, double fb,
					   double abs_tol, double rel_tol, int max_iter, int *converged);

/*
 * Brent's minimiser (localmin: golden-section search with parabolic steps) on [a, b]:
 * the x of a local minimum of f inside (a, b), its value in *fx.  f is never evaluated
 * at a or b, so a minimum at an end is approached to within the tolerance, and callers
 * that know the ends' values compare them.  Stops when x is known to
 * sqrt(DBL_EPSILON) |x| + abs_tol, or after max_iter evaluations.  At a smooth minimum
 * the value is then good to about DBL_EPSILON of its scale (the error is quadratic in
 * the distance).
 */
extern double cn_brent_min(cn_root_fn f, void *ctx, double a, double b, double abs_tol,
						   int max_iter, double *fx);

#endif
