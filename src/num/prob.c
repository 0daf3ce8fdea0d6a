/*
 * prob.c -- probability of finishing in the money and of touching a level (prob.h).
 */
#include <math.h>

#include "normal.h"
#include "prob.h"

double
cn_prob_itm(int omega, double S, double K, double t, double vol, double r, double q)
{
	double		sd = vol * sqrt(t),
				x = log(S / K);

	if (!(sd > 0))
	{
		/* no randomness: S_t = S e^{(r - q) t}, in the money or not */
		double		drift = x + (r - q) * t;

		return (omega > 0 ? drift > 0 : drift < 0) ? 1.0 : 0.0;
	}
	return cn_norm_cdf(omega * (x + (r - q - 0.5 * vol * vol) * t) / sd);
}

double
cn_prob_touch(double S, double H, double t, double vol, double r, double q)
{
	double		b = log(H / S),
				sd = vol * sqrt(t),
				beta,
				m,
				x1,
				x2,
				p2,
				p;

	if (H == S)
		return 1.0;
	if (!(sd > 0))
	{
		/* the path is S e^{(r - q) u}: monotone, so the end point decides */
		double		end = (r - q) * t;

		return (b > 0 ? end >= b : end <= b) ? 1.0 : 0.0;
	}
	beta = fabs(b);
	m = (b > 0 ? 1.0 : -1.0) * (r - q - 0.5 * vol * vol);
	x1 = (-beta + m * t) / sd;
	x2 = (-beta - m * t) / sd;
	if (x2 <= 0)
	{
		/*
		 * e^{2 m beta/vol^2} N(x2) = e^{2 m beta/vol^2 - x2^2/2} erfcx(-x2/sqrt 2)/2, and
		 * the exponent is -x1^2/2 exactly: (x2^2 - x1^2)/2 = 2 m beta/vol^2.
		 */
		p2 = 0.5 * cn_erfcx(-x2 * CN_SQRT1_2) * exp(-0.5 * x1 * x1);
	}
	else
	{
		/* x2 > 0 needs m < 0: the exponential is below 1 */
		p2 = exp(2.0 * m * beta / (vol * vol)) * cn_norm_cdf(x2);
	}
	p = cn_norm_cdf(x1) + p2;
	return p > 1.0 ? 1.0 : p;
}
