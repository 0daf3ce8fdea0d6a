/*
 * iv_normal.c -- Bachelier implied volatility after Peter Jaeckel, "Implied Normal
 * Volatility", Wilmott (July 2017).  Written from the paper; equation numbers refer
 * to it.
 *
 * For an out-of-the-money option (time value tv, moneyness gap |F - K|) the Bachelier
 * price is tv = |F - K| * -Phi~(x), x = -|F - K|/(sigma_n sqrt(t)) < 0, with
 *   Phi~(x) = Phi(x) + phi(x)/x                                         (1.x)
 * so sigma_n follows from x = Phi~^{-1}(Phi~*), Phi~* = -tv/|F - K|.  The paper gives a
 * rational approximation of Phi~^{-1} in two regions, (2.1)-(2.3) and (2.4)-(2.5), and
 * one step (2.6)-(2.7) of Householder's third-order method, which lands at machine
 * precision from there.
 */
#include <float.h>
#include <math.h>
#include <stddef.h>

#include "iv_normal.h"
#include "normal.h"

#define SQRT_2PI		2.50662827463100050241576528481104525
#define VELTKAMP		134217729.0 /* 2^27 + 1 */

/*
 * exp(y^2/4) with y^2 carried exactly (Dekker), so that the exponent's rounding does
 * not cost y^2 eps relative.  Used squared: 1/phi(y) = sqrt(2 pi) exp(y^2/4)^2 stays
 * finite to |y| = 53 where exp(y^2/2) would overflow at 37.7.
 */
static double
exp_quarter_square(double y)
{
	double		p = y * y,
				c = VELTKAMP * y,
				hi = c - (c - y),
				lo = y - hi,
				err = ((hi * hi - p) + 2.0 * hi * lo) + lo * lo;

	return exp(0.25 * p) * (1.0 + 0.25 * err);
}

/*
 * x < 0 with Phi~(x) = ps, for ps < 0.  ps is passed as -tv/ad through tv and ad so that
 * region one can form g = 1/(ps - 1/2) = -ad/(tv + ad/2) without overflow when tv >> ad.
 */
static double
inverse_phi_tilde(double tv, double ad)
{
	double		ps = -tv / ad,
				x,
				q,
				a,
				e,
				num,
				den;

	if (ps < -0.001882039271)
	{
		/* (2.1)-(2.3): x ~ g (1/sqrt(2 pi) + xi g^2), xi a rational function of g^2 */
		double		g = -ad / (tv + 0.5 * ad),
					g2 = g * g,
					xi = (0.032114372355 - g2 * (0.016969777977 - g2 * (2.6207332461e-3
																		- 9.6066952861e-5 * g2)))
		/ (1.0 - g2 * (0.6635646938 - g2 * (0.14528712196 - 0.010472855461 * g2)));

		x = g * (CN_INV_SQRT2PI + xi * g2);
	}
	else
	{
		/* (2.4)-(2.5): a rational function of h = sqrt(-ln(-ps)) */
		double		h = sqrt(-log(-ps));

		x = (9.4883409779 - h * (9.6320903635 - h * (0.58556997323 + 2.1464093351 * h)))
			/ (1.0 - h * (0.65174820867 + h * (1.5120247828 + 6.6437847132e-5 * h)));
	}
	if (!(x < 0.0))
		return x;

	/*
	 * (2.7): q = (Phi~(x) - ps)/phi(x).  Phi~(x) = phi(x) A(-x)/x with A(z) = 1 - z M(z)
	 * (M the Mills ratio); the literal Phi + phi/x cancels to phi/x^3 in the tail, A
	 * does not (cn_mills_defect).  So q = A(-x)/x - ps/phi(x), the residual of two
	 * accurate terms.
	 */
	a = cn_mills_defect(-x, NULL);
	e = exp_quarter_square(x);
	q = a / x - ps * SQRT_2PI * e * e;

	/*
	 * (2.6): Householder(3) for f = Phi~ - ps with f' = -phi/x^2,
	 * f''/f' = -(x^2 + 2)/x, f'''/f' = (x^4 + 3x^2 + 6)/x^2 and Newton step q x^2.
	 */
	num = 3.0 * q * x * x * (2.0 - q * x * (2.0 + x * x));
	den = 6.0 + q * x * (-12.0 + x * (6.0 * q + x * (-6.0 + q * x * (3.0 + x * x))));
	return x + num / den;
}

double
cn_bachelier_implied_vol(double price, double F, double K, double t, int omega,
						 int *status)
{
	double		d = F - K,
				intrinsic = omega < 0 ? -d : d,
				tv,
				ad,
				x;

	if (!isfinite(d))
	{
		/*
		 * F - K beyond the double range: the vol is homogeneous of degree one in
		 * (price, F, K), so solve for the halves (exact) and double the answer.
		 */
		x = cn_bachelier_implied_vol(0.5 * price, 0.5 * F, 0.5 * K, t, omega, status);
		if (*status != CN_IV_OK)
			return NAN;
		x *= 2.0;
		if (!isfinite(x))
		{
			*status = CN_IV_OVERFLOW;
			return NAN;
		}
		return x;
	}
	if (intrinsic < 0.0)
		intrinsic = 0.0;
	if (!(price >= intrinsic * (1.0 - CN_IV_LOWER_SLACK)))
	{
		*status = CN_IV_BELOW_INTRINSIC;
		return NAN;
	}
	if (!(t > 0.0))
	{
		*status = CN_IV_NO_TIME_VALUE;
		return NAN;
	}
	/* the time value is the out-of-the-money price on either side (put/call parity) */
	tv = price - intrinsic;
	*status = CN_IV_OK;
	if (tv <= 0.0)
		return 0.0;
	ad = fabs(d);
	if (ad == 0.0)
		x = SQRT_2PI * tv / sqrt(t);	/* at the money: tv = sigma_n sqrt(t) phi(0) */
	else
	{
		x = inverse_phi_tilde(tv, ad);
		if (x == 0.0)
			/* ad negligible against tv (halved: tv + ad/2 must not overflow) */
			x = 2.0 * (SQRT_2PI * (0.5 * tv + 0.25 * ad) / sqrt(t));
		else if (!(x < 0.0) || !isfinite(x))
		{
			*status = CN_IV_FAILED;
			return NAN;
		}
		else
			x = ad / (-x * sqrt(t));
	}
	if (!isfinite(x))
	{
		/* beyond the double range: |F - K| near the largest double, t near zero */
		*status = CN_IV_OVERFLOW;
		return NAN;
	}
	return x;
}

double
cn_bachelier_implied_vol_disc(double price, int omega, double F, double K, double t,
							  double r, int *status)
{
	double		er = exp(r * t);

	if (!(er >= DBL_MIN && er <= DBL_MAX))
	{
		*status = CN_IV_RANGE_RATE;
		return NAN;
	}
	return cn_bachelier_implied_vol(price * er, F, K, t, omega, status);
}
