/*
 * roots.c -- Brent's root finder (R. P. Brent, Algorithms for Minimization without
 * Derivatives, 1973, ch. 4), written once for every caller.
 */
#include <float.h>
#include <math.h>

#include "roots.h"

double
cn_brent(cn_root_fn f, void *ctx, double a, double b, double fa, double fb,
		 double abs_tol, double rel_tol, int max_iter, int *converged)
{
	double		c = a,
				fc = fa,
				d = b - a,
				e = d;

	if (converged)
		*converged = 1;
	if (fa == 0.0)
		return a;
	if (fb == 0.0)
		return b;
	for (int iter = 0; iter < max_iter; iter++)
	{
		double		tol,
					m;

		if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0))
		{
			/* keep the root between b and c */
			c = a;
			fc = fa;
			d = e = b - a;
		}
		if (fabs(fc) < fabs(fb))
		{
			/* b is always the best estimate */
			a = b;
			b = c;
			c = a;
			fa = fb;
			fb = fc;
			fc = fa;
		}
		tol = (2.0 * DBL_EPSILON + rel_tol) * fabs(b) + 0.5 * abs_tol;
		m = 0.5 * (c - b);
		if (fabs(m) <= tol || fb == 0.0)
			return b;
		if (fabs(e) >= tol && fabs(fa) > fabs(fb))
		{
			double		s = fb / fa,
						p,
						q;

			if (a == c)
			{
				/* two points: secant */
				p = 2.0 * m * s;
				q = 1.0 - s;
			}
			else
			{
				/* three points: inverse quadratic interpolation */
				double		u = fa / fc,
							w = fb / fc;

				p = s * (2.0 * m * u * (u - w) - (b - a) * (w - 1.0));
				q = (u - 1.0) * (w - 1.0) * (s - 1.0);
			}
			if (p > 0.0)
				q = -q;
			else
				p = -p;
			/* accept the step only inside the bracket and if it beats halving the last */
			if (2.0 * p < fmin(3.0 * m * q - fabs(tol * q), fabs(e * q)))
			{
				e = d;
				d = p / q;
			}
			else
				d = e = m;
		}
		else
			d = e = m;
		a = b;
		fa = fb;
		b += fabs(d) > tol ? d : (m > 0.0 ? tol : -tol);
		fb = f(b, ctx);
	}
	if (converged)
		*converged = 0;
	return b;
}
