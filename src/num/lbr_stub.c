/* TEMPORARY until lbr.c lands: the textbook normalised Black function. */
#include <math.h>
#include "normal.h"
double cn_normalised_black(double x, double s, int omega);
double
cn_normalised_black(double x, double s, int omega)
{
	double		h = x / s, t = 0.5 * s;
	double		otm;
	int			w = (x > 0) ? -1 : 1;	/* side that is out of the money */

	otm = w * (exp(0.5 * x) * cn_norm_cdf(w * (h + t)) - exp(-0.5 * x) * cn_norm_cdf(w * (h - t)));
	if (w == omega)
		return otm;
	return otm + omega * (exp(0.5 * x) - exp(-0.5 * x));
}
