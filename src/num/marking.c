/*
 * marking.c -- a position valued from the market (marking.h): fills from quotes, implied
 * vols of legs from their quotes, the distance to the nearest break-even and time value.
 */
#include "marking.h"

#include <math.h>
#include <stdlib.h>

#include "lbr.h"

const char *
cn_quote_status_text(cn_quote_status s)
{
	switch (s)
	{
		case CN_QUOTE_OK:
			return "ok";
		case CN_QUOTE_NONE:
			return "no quote";
		case CN_QUOTE_NO_MARKET:
			return "no bid and no ask";
		case CN_QUOTE_NO_BID:
			return "no bid";
		case CN_QUOTE_NO_ASK:
			return "no ask";
		case CN_QUOTE_CROSSED:
			return "crossed quote (bid above ask)";
		case CN_QUOTE_BELOW_INTRINSIC:
			return "mid below intrinsic value (no implied vol)";
		case CN_QUOTE_ABOVE_MAX:
			return "mid above the no-arbitrage maximum (no implied vol)";
		case CN_QUOTE_IV_FAILED:
			return "implied vol failed";
	}
	return "unknown";
}

cn_quote_status
cn_fill_price(double qty, double bid, double ask, cn_fill fill, double *price)
{
	int			has_bid = !isnan(bid),
				has_ask = !isnan(ask);

	*price = NAN;
	if (!has_bid && !has_ask)
		return CN_QUOTE_NO_MARKET;
	if (has_bid && has_ask && bid > ask)
		return CN_QUOTE_CROSSED;
	switch (fill)
	{
		case CN_FILL_MID:
			if (!has_bid)
				return CN_QUOTE_NO_BID;
			if (!has_ask)
				return CN_QUOTE_NO_ASK;
			/* as a query writes it, so that the two agree to the bit */
			*price = (bid + ask) / 2;
			return CN_QUOTE_OK;
		case CN_FILL_NATURAL:
			if (qty > 0)
			{
				if (!has_bid)
					return CN_QUOTE_NO_BID;
				*price = bid;
			}
			else
			{
				if (!has_ask)
					return CN_QUOTE_NO_ASK;
				*price = ask;
			}
			return CN_QUOTE_OK;
		case CN_FILL_MARK:
			/* a bid of zero is no bid: nobody buys at any price */
			if (has_bid && bid > 0 && has_ask)
				*price = (bid + ask) / 2;
			else if (qty > 0)
				*price = has_bid ? bid : 0.0;
			else if (has_ask)
				*price = ask;
			else
				return CN_QUOTE_NO_ASK;
			return CN_QUOTE_OK;
	}
	return CN_QUOTE_NO_MARKET;
}

cn_quote_status
cn_market_vol(const cn_leg *leg, double spot, int64_t as_of, double bid, double ask,
			  double r, double q, double *vol)
{
	double		mid;
	int			status;
	cn_quote_status qs;

	*vol = NAN;
	if (leg->kind == 'U' || leg->expiry <= as_of)
	{
		*vol = 0.0;
		return CN_QUOTE_OK;
	}
	qs = cn_fill_price(leg->qty, bid, ask, CN_FILL_MID, &mid);
	if (qs != CN_QUOTE_OK)
		return qs;
	*vol = cn_bsm_implied_vol(mid, leg->kind == 'C' ? 1 : -1, spot, leg->strike,
							  cn_act365(as_of, leg->expiry), r, q, &status);
	switch (status)
	{
		case CN_IV_OK:
			return CN_QUOTE_OK;
		case CN_IV_BELOW_INTRINSIC:
			return CN_QUOTE_BELOW_INTRINSIC;
		case CN_IV_ABOVE_MAX:
			return CN_QUOTE_ABOVE_MAX;
		default:
			/* CN_IV_NO_TIME_VALUE cannot happen: the leg expires after as_of */
			*vol = NAN;
			return CN_QUOTE_IV_FAILED;
	}
}

/* The earliest option expiry after as_of, or 0 (false) when there is none. */
static int
first_expiry_after(const cn_leg *legs, int n, int64_t as_of, int64_t *t1)
{
	int			found = 0;

	for (int i = 0; i < n; i++)
		if ((legs[i].kind == 'C' || legs[i].kind == 'P') && legs[i].expiry > as_of &&
			(!found || legs[i].expiry < *t1))
		{
			*t1 = legs[i].expiry;
			found = 1;
		}
	return found;
}

double
cn_breakeven_distance(const cn_leg *legs, int n, double spot, int64_t as_of,
					  const double *vols, double vol, double r, double q)
{
	int64_t		t1 = 0;
	double		sd,
				pnl,
				nearest = INFINITY;
	double		stack[256];
	double	   *be = stack;
	int			cap = 256,
				nbe;

	if (!first_expiry_after(legs, n, as_of, &t1))
		return NAN;
	if (vols)
	{
		int			ref = cn_reference_leg(legs, n, spot, as_of, r, q);

		vol = ref >= 0 ? vols[ref] : 0.0;
	}
	sd = vol * sqrt(cn_act365(as_of, t1));
	nbe = cn_breakevens_first(legs, n, as_of, vols, vol, r, q, be, cap);
	if (nbe > cap)
	{
		be = malloc(sizeof(double) * nbe);
		if (be == NULL)
			return NAN;
		nbe = cn_breakevens_first(legs, n, as_of, vols, vol, r, q, be, nbe);
	}
	for (int i = 0; i < nbe; i++)
	{
		/* a break-even at S = 0 is infinitely far in ln S */
		double		d = be[i] > 0 ? fabs(log(be[i] / spot)) : INFINITY;

		if (d < nearest)
			nearest = d;
	}
	if (be != stack)
		free(be);
	if (nearest == 0.0)
		return 0.0;
	pnl = cn_payoff_first(legs, n, spot, as_of, vols, vol, r, q);
	if (sd > 0)
		nearest /= sd;
	else
		nearest = INFINITY;
	return pnl < 0 ? -nearest : nearest;
}

double
cn_leg_extrinsic(const cn_leg *leg, double spot, int64_t as_of, double vol, double r,
				 double q, double *price, double *intrinsic)
{
	int			omega;
	double		ex;

	if (leg->kind == 'U')
	{
		*price = spot;
		*intrinsic = spot;
		return 0.0;
	}
	omega = leg->kind == 'C' ? 1 : -1;
	ex = omega * (spot - leg->strike);
	*intrinsic = ex > 0 ? ex : 0.0;
	if (leg->expiry <= as_of)
	{
		*price = *intrinsic;
		return 0.0;
	}
	*price = cn_bsm_price(omega, spot, leg->strike, cn_act365(as_of, leg->expiry), vol, r, q);
	return *price - *intrinsic;
}

double
cn_extrinsic(const cn_leg *legs, int n, double spot, int64_t as_of, const double *vols,
			 double vol, double r, double q)
{
	double		sum = 0.0;

	for (int i = 0; i < n; i++)
	{
		double		p,
					k;

		sum += legs[i].qty * legs[i].multiplier *
			cn_leg_extrinsic(&legs[i], spot, as_of, vols ? vols[i] : vol, r, q, &p, &k);
	}
	return sum;
}
