/*
 * prob.c -- probability of finishing in the money and of touching a level (prob.h).
 */
#include <math.h>

#include "normal.h"
#include "prob.h"

/*
 * z = (x + (r - q) t) / sd - sd / 2, sd = vol sqrt(t) > 0, without NaN for any finite
 * inputs.  Up to sd = 1 in that form (vol^2 t is at most 1; a tiny sd takes the sum to
 * +-Infinity, the limit); beyond, term by term as x / sd + (r - q) sqrt(t) / vol - sd / 2,
 * where sqrt(t) / vol = t / sd < t is finite and no term but the last can grow large
 * against it; sd = Infinity (vol sqrt(t) beyond the double range) gives the limit
 * -Infinity.  Forming vol^2 t or the t and vol^2 products as the textbook does would
 * overflow to Infinity - Infinity at vols or times far beyond use.
 */
static double
drift_over_sd(double x, double t, double vol, double sd, double r, double q)
{
	if (sd <= 1.0)
		return (x + (r - q) * t) / sd - 0.5 * sd;
	if (isinf(sd))
		return -INFINITY;
	return x / sd + (r == q ? 0.0 : (r - q) * (sqrt(t) / vol)) - 0.5 * sd;
}

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
	return cn_norm_cdf(omega * drift_over_sd(x, t, vol, sd, r, q));
}

double
cn_prob_touch(double S, double H, double t, double vol, double r, double q)
{
	double		b = log(H / S),
				sd = vol * sqrt(t),
				beta,
				sgn,
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
	sgn = b > 0 ? 1.0 : -1.0;
	/*
	 * x1,2 = (-beta +- m t) / sd with m = sgn (r - q - vol^2 / 2).  With
	 * d(x) = (x + (r - q) t) / sd - sd / 2 (drift_over_sd, never NaN): for an upper
	 * level x1 = d(-beta), x2 = -d(beta); for a lower one the two swap.
	 */
	{
		double		lo = drift_over_sd(-beta, t, vol, sd, r, q),
					hi = -drift_over_sd(beta, t, vol, sd, r, q);

		x1 = b > 0 ? lo : hi;
		x2 = b > 0 ? hi : lo;
	}
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
		/*
		 * x2 > 0 needs m < 0: the exponent 2 m beta / vol^2 = sgn beta (2 (r - q) /
		 * vol^2 - 1) is negative.  Formed without vol^2, whose overflow at an extreme
		 * vol would take it to NaN: it tends to -sgn beta, and the probability to S/H.
		 */
		double		e = sgn * beta * ((r == q ? 0.0 : 2.0 * (r - q) / vol / vol) - 1.0);

		p2 = exp(e) * cn_norm_cdf(x2);
	}
	p = cn_norm_cdf(x1) + p2;
	return p > 1.0 ? 1.0 : p;
}
