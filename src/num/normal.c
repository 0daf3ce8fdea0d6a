/*
 * normal.c -- standard normal density and distribution function.
 */
#include <math.h>

#include "normal.h"

double
cn_norm_pdf(double x)
{
	return CN_INV_SQRT2PI * exp(-0.5 * x * x);
}

/*
 * Phi(x) = erfc(-x/sqrt2)/2.  glibc's erfc is faithful in both tails; the only loss is
 * the rounding of x/sqrt2, a relative error of about x^2 * eps in the far tail (2e-14 at
 * x = -10), far below the accuracy of any option price built on it.
 */
double
cn_norm_cdf(double x)
{
	return 0.5 * erfc(-x * CN_SQRT1_2);
}
