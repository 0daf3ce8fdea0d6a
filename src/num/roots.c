/*
 * roots.c -- Brent's root finder and minimiser (R. P. Brent, Algorithms for
 * Minimization without Derivatives, 1973, ch. 4 and 5), written once for every caller.
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

/* Local minimum of f on [a, b] (roots.h); Brent's localmin, ch. 5. */
double
cn_brent_min(cn_root_fn f, void *ctx, double a, double b, double abs_tol, int max_iter,
			 double *fx)
{
	/* (3 - sqrt 5) / 2: the golden section of the bracket */
	const double golden = 0.3819660112501051;
	const double rel = sqrt(DBL_EPSILON);
	double		x,
				w,
				v,
				fxx,
				fw,
				fv,
				d = 0.0,
				e = 0.0;

	x = w = v = a + golden * (b - a);
	fxx = fw = fv = f(x, ctx);
	for (int iter = 0; iter < max_iter; iter++)
	{
		double		m = 0.5 * (a + b),
					tol = rel * fabs(x) + abs_tol,
					t2 = 2.0 * tol,
					u,
					fu;

		if (fabs(x - m) <= t2 - 0.5 * (b - a))
			break;
		if (fabs(e) > tol)
		{
			/* a parabola through x, w and v */
			double		r = (x - w) * (fxx - fv),
						q = (x - v) * (fxx - fw),
						p = (x - v) * q - (x - w) * r;

			q = 2.0 * (q - r);
			if (q > 0.0)
				p = -p;
			else
				q = -q;
			r = e;
			e = d;
			if (fabs(p) < fabs(0.5 * q * r) && p > q * (a - x) && p < q * (b - x))
			{
				d = p / q;
				u = x + d;
				/* not too close to the ends */
				if (u - a < t2 || b - u < t2)
					d = x < m ? tol : -tol;
			}
			else
			{
				e = (x < m ? b : a) - x;
				d = golden * e;
			}
		}
		else
		{
			e = (x < m ? b : a) - x;
			d = golden * e;
		}
		u = x + (fabs(d) >= tol ? d : (d > 0.0 ? tol : -tol));
		fu = f(u, ctx);
		if (fu <= fxx)
		{
			if (u < x)
				b = x;
			else
				a = x;
			v = w;
			fv = fw;
			w = x;
			fw = fxx;
			x = u;
			fxx = fu;
		}
		else
		{
			if (u < x)
				a = u;
			else
				b = u;
			if (fu <= fw || w == x)
			{
				v = w;
				fv = fw;
				w = u;
				fw = fu;
			}
			else if (fu <= fv || v == x || v == w)
			{
				v = u;
				fv = fu;
			}
		}
	}
	*fx = fxx;
	return x;
}
