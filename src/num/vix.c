/*
 * vix.c -- the Cboe volatility index methodology (see vix.h for the rules).
 *
 * The rows are sorted once by (expiry, strike, cp), so an expiry is a contiguous run
 * and each strike's call precedes its put.  Every per-term step is then a walk over
 * that run: no allocation, so nothing to free on an error path, and O(n log n) in all.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vix.h"

/* Sort order: expiry, then strike, then 'C' before 'P'. */
static int
row_cmp(const void *pa, const void *pb)
{
	const cn_vix_row *a = (const cn_vix_row *) pa;
	const cn_vix_row *b = (const cn_vix_row *) pb;

	if (a->expiry != b->expiry)
		return a->expiry < b->expiry ? -1 : 1;
	if (a->strike != b->strike)
		return a->strike < b->strike ? -1 : 1;
	return (a->cp > b->cp) - (a->cp < b->cp);
}

/* A side is quoted when bid and ask are finite, bid >= 0 and ask >= bid. */
static int
quoted(const cn_vix_row *r)
{
	return isfinite(r->bid) && isfinite(r->ask) && r->bid >= 0.0 && r->ask >= r->bid;
}

static double
mid(const cn_vix_row *r)
{
	return 0.5 * (r->bid + r->ask);
}

/*
 * Formats a TimestampTz (microseconds since 2000-01-01 UTC) as "YYYY-MM-DD HH:MM:SS UTC"
 * for error messages, without the C library's time zone machinery.  Civil date from a
 * day count by the era algorithm of H. Hinnant ("chrono-compatible low-level date
 * algorithms"), valid for the proleptic Gregorian calendar.
 */
static void
format_ts(int64_t ts, char *buf, size_t len)
{
	int64_t		secs = ts / 1000000;
	int64_t		days,
				sod,
				z,
				era,
				doe,
				yoe,
				doy,
				mp,
				y;
	int			d,
				m;

	if (ts % 1000000 < 0)
		secs--;					/* floor, so times before 2000 print correctly */
	days = secs / 86400;
	sod = secs % 86400;
	if (sod < 0)
	{
		sod += 86400;
		days--;
	}
	/* 2000-01-01 is day 10957 after 1970-01-01; the algorithm counts from 0000-03-01. */
	z = days + 10957 + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = (int) (doy - (153 * mp + 2) / 5 + 1);
	m = (int) (mp < 10 ? mp + 3 : mp - 9);
	if (m <= 2)
		y++;
	snprintf(buf, len, "%04lld-%02d-%02d %02d:%02d:%02d UTC", (long long) y, m, d,
			 (int) (sod / 3600), (int) (sod / 60 % 60), (int) (sod % 60));
}

/* Writes a message about one expiry into err; returns code. */
static int
term_error(char *err, int errlen, int code, int64_t expiry, double minutes,
		   const char *what)
{
	char		ts[48];

	if (err && errlen > 0)
	{
		format_ts(expiry, ts, sizeof(ts));
		snprintf(err, errlen, "expiry %s (%.10g minutes): %s", ts, minutes, what);
	}
	return code;
}

/*
 * One term: rows[0..n) are the quotes of one expiry, sorted by strike then cp.  Fills
 * the forward, K0, strip and sigma^2 (annualised variance) of *tm, whose expiry,
 * minutes, t and rate are already set.  Returns a status code.
 */
static int
compute_term(const cn_vix_row *rows, int n, cn_vix_term *tm, int *skipped, char *err,
			 int errlen)
{
	double		t = tm->t;
	double		growth = exp(tm->rate * t);		/* e^{RT} */
	double		best = INFINITY;
	double		diff_star = 0.0;
	double		k0 = NAN,
				q0 = 0.0;
	double		put_cut = -INFINITY,	/* puts at or below this strike are out */
				call_cut = INFINITY;	/* calls at or above this strike are out */
	double		sum = 0.0;
	double		prev_k = NAN,
				cur_k = NAN,
				cur_q = 0.0;
	int			members = 0;
	int			k0_done = 0;
	int			zeros;
	int			i0 = -1;
	int			i;

	for (i = 0; i < n; i++)
		if (!quoted(&rows[i]))
			(*skipped)++;

	/* K*: the strike minimising |call mid - put mid|; the first (lowest) wins ties. */
	for (i = 0; i + 1 < n; i++)
	{
		const cn_vix_row *c = &rows[i];
		const cn_vix_row *p = &rows[i + 1];
		double		dcp;

		if (c->cp != 'C' || p->cp != 'P' || c->strike != p->strike ||
			!quoted(c) || !quoted(p))
			continue;
		dcp = mid(c) - mid(p);
		if (fabs(dcp) < best)
		{
			best = fabs(dcp);
			tm->k_star = c->strike;
			diff_star = dcp;
		}
	}
	if (best == INFINITY)
		return term_error(err, errlen, CN_VIX_ENOPAIR, tm->expiry, tm->minutes,
						  "no strike has both a call and a put quote");
	tm->forward = tm->k_star + growth * diff_star;

	/* K0: the largest quoted strike <= F; its Q averages the quoted sides. */
	for (i = 0; i < n; i++)
		if (rows[i].strike <= tm->forward && quoted(&rows[i]))
			if (i0 < 0 || rows[i].strike > rows[i0].strike)
				i0 = i;
	if (i0 < 0)
		return term_error(err, errlen, CN_VIX_ENOK0, tm->expiry, tm->minutes,
						  "no quoted strike at or below the forward");
	k0 = rows[i0].strike;
	{
		int			nq = 0;

		for (i = 0; i < n; i++)
			if (rows[i].strike == k0 && quoted(&rows[i]))
			{
				q0 += mid(&rows[i]);
				nq++;
			}
		q0 /= nq;
	}
	tm->k0 = k0;

	/* Walk down the puts from K0: a zero bid is skipped, the second in a row stops. */
	zeros = 0;
	for (i = n - 1; i >= 0; i--)
	{
		const cn_vix_row *r = &rows[i];

		if (r->strike >= k0 || r->cp != 'P' || !quoted(r))
			continue;
		if (r->bid > 0.0)
			zeros = 0;
		else if (++zeros == 2)
		{
			put_cut = r->strike;
			break;
		}
	}
	/* And up the calls. */
	zeros = 0;
	for (i = 0; i < n; i++)
	{
		const cn_vix_row *r = &rows[i];

		if (r->strike <= k0 || r->cp != 'C' || !quoted(r))
			continue;
		if (r->bid > 0.0)
			zeros = 0;
		else if (++zeros == 2)
		{
			call_cut = r->strike;
			break;
		}
	}

	/*
	 * The strip in ascending strike order, streamed through a window of three members
	 * so that dK uses the neighbours that remain in the strip, not the listed ones.
	 */
	for (i = 0; i <= n; i++)
	{
		double		k,
					q;

		if (i < n)
		{
			const cn_vix_row *r = &rows[i];

			if (r->strike == k0)
			{
				if (k0_done)
					continue;
				k0_done = 1;
				k = k0;
				q = q0;
			}
			else if (!quoted(r) || r->bid <= 0.0)
				continue;
			else if (r->cp == 'P' && r->strike < k0 && r->strike > put_cut)
			{
				k = r->strike;
				q = mid(r);
			}
			else if (r->cp == 'C' && r->strike > k0 && r->strike < call_cut)
			{
				k = r->strike;
				q = mid(r);
			}
			else
				continue;
		}
		else
		{
			k = NAN;			/* end of strip: flush the last member */
			q = 0.0;
		}

		if (members >= 1)
		{
			double		dk;

			if (i == n)
				dk = members == 1 ? NAN : cur_k - prev_k;	/* upper end: one-sided */
			else if (members == 1)
				dk = k - cur_k; /* lower end: one-sided */
			else
				dk = 0.5 * (k - prev_k);
			if (!isnan(dk))
				sum += dk / (cur_k * cur_k) * cur_q;
		}
		if (i < n)
		{
			if (members == 0)
				tm->k_low = k;
			tm->k_high = k;
			prev_k = cur_k;
			cur_k = k;
			cur_q = q;
			members++;
		}
	}
	tm->strikes = members;
	if (members < 2)
		return term_error(err, errlen, CN_VIX_ESTRIP, tm->expiry, tm->minutes,
						  "fewer than 2 strikes remain in the strip");

	{
		double		dev = tm->forward / k0 - 1.0;

		tm->variance = (2.0 / t) * growth * sum - dev * dev / t;
	}
	if (!(tm->variance > 0.0))
		return term_error(err, errlen, CN_VIX_EVAR, tm->expiry, tm->minutes,
						  "the variance of the strip is not positive");
	return CN_VIX_OK;
}

int
cn_vix_row_from_float8(const double *v, cn_vix_row *row)
{
	*row = (cn_vix_row) {0};
	/* Beyond 2^53 a double no longer holds every microsecond: refuse, never round. */
	if (!isfinite(v[0]) || v[0] != floor(v[0]) || fabs(v[0]) > 9007199254740992.0)
		return 0;
	if (v[1] != 1.0 && v[1] != -1.0)
		return 0;
	row->expiry = (int64_t) v[0];
	row->cp = v[1] > 0 ? 'C' : 'P';
	row->strike = v[2];
	row->bid = v[3];
	row->ask = v[4];
	row->rate = v[5];
	return 1;
}

void
cn_vix_row_to_float8(const cn_vix_row *row, double *v)
{
	v[0] = (double) row->expiry;
	v[1] = (row->cp == 'C' || row->cp == 'c') ? 1.0 : -1.0;
	v[2] = row->strike;
	v[3] = row->bid;
	v[4] = row->ask;
	v[5] = row->rate;
}

int
cn_vix_compute(cn_vix_row *rows, int n, int64_t as_of, double target_days,
			   cn_vix_result *res, char *err, int errlen)
{
	double		n_target = target_days * 1440.0;
	double		near_min;
	int			near_start = -1,
				near_len = 0,
				next_start = -1,
				next_len = 0;
	int			i,
				j,
				rc;

	memset(res, 0, sizeof(*res));
	if (err && errlen > 0)
		err[0] = '\0';
	if (!(target_days > 0.0) || !isfinite(target_days))
	{
		if (err && errlen > 0)
			snprintf(err, errlen, "target days must be positive and finite, not %g",
					 target_days);
		return CN_VIX_EARG;
	}
	if (n < 1 || rows == NULL)
	{
		if (err && errlen > 0)
			snprintf(err, errlen, "no quote rows");
		return CN_VIX_EARG;
	}

	for (i = 0; i < n; i++)
	{
		cn_vix_row *r = &rows[i];

		if (r->cp == 'c' || r->cp == 'p')
			r->cp -= 'a' - 'A';
		if ((r->cp != 'C' && r->cp != 'P') || !isfinite(r->strike) ||
			!(r->strike > 0.0) || !isfinite(r->rate))
		{
			if (err && errlen > 0)
				snprintf(err, errlen,
						 "invalid quote row: cp \"%c\", strike %g, rate %g (cp must be C "
						 "or P, strike positive, rate finite)",
						 r->cp ? r->cp : '?', r->strike, r->rate);
			return CN_VIX_EROW;
		}
	}

	qsort(rows, n, sizeof(cn_vix_row), row_cmp);
	for (i = 1; i < n; i++)
		if (row_cmp(&rows[i - 1], &rows[i]) == 0)
		{
			char		msg[96];

			snprintf(msg, sizeof(msg), "two quotes for the %s at strike %g",
					 rows[i].cp == 'C' ? "call" : "put", rows[i].strike);
			return term_error(err, errlen, CN_VIX_EDUP, rows[i].expiry,
							  (double) (rows[i].expiry - as_of) / CN_USECS_PER_MINUTE,
							  msg);
		}

	/* Expiry runs: near = last eligible with N <= target, next = first with N > it. */
	for (i = 0; i < n; i = j)
	{
		double		minutes = (double) (rows[i].expiry - as_of) / CN_USECS_PER_MINUTE;

		for (j = i + 1; j < n && rows[j].expiry == rows[i].expiry; j++)
			;
		if (minutes < CN_VIX_MIN_MINUTES)
			continue;
		if (minutes <= n_target)
		{
			near_start = i;
			near_len = j - i;
		}
		else if (next_start < 0)
		{
			next_start = i;
			next_len = j - i;
		}
	}
	if (near_start < 0)
	{
		if (err && errlen > 0)
			snprintf(err, errlen,
					 "no expiry at least one day away and at most %g days away "
					 "(the target)", target_days);
		return CN_VIX_ENONEAR;
	}

	near_min = (double) (rows[near_start].expiry - as_of) / CN_USECS_PER_MINUTE;
	res->nterms = near_min == n_target ? 1 : 2;
	if (res->nterms == 2 && next_start < 0)
	{
		if (err && errlen > 0)
			snprintf(err, errlen, "no expiry more than %g days away (the target)",
					 target_days);
		return CN_VIX_ENONEXT;
	}

	for (i = 0; i < res->nterms; i++)
	{
		int			start = i == 0 ? near_start : next_start;
		int			len = i == 0 ? near_len : next_len;
		cn_vix_term *tm = &res->term[i];

		tm->expiry = rows[start].expiry;
		tm->minutes = (double) (tm->expiry - as_of) / CN_USECS_PER_MINUTE;
		tm->t = tm->minutes / CN_VIX_MINUTES_PER_YEAR;
		tm->rate = rows[start].rate;
		for (j = start + 1; j < start + len; j++)
			if (fabs(rows[j].rate - tm->rate) > 1e-12)
				return term_error(err, errlen, CN_VIX_ERATE, tm->expiry, tm->minutes,
								  "the rows carry different rates");
		rc = compute_term(rows + start, len, tm, &res->rows_skipped, err, errlen);
		if (rc != CN_VIX_OK)
			return rc;
		res->rows_used += len;
	}

	if (res->nterms == 1)
	{
		res->term[0].weight = 1.0;
		res->variance = res->term[0].variance * res->term[0].minutes / n_target;
	}
	else
	{
		cn_vix_term *t1 = &res->term[0];
		cn_vix_term *t2 = &res->term[1];
		double		span = t2->minutes - t1->minutes;

		t1->weight = (t2->minutes - n_target) / span;
		t2->weight = (n_target - t1->minutes) / span;
		res->variance = (t1->t * t1->variance * t1->weight +
						 t2->t * t2->variance * t2->weight) *
			CN_VIX_MINUTES_PER_YEAR / n_target;
	}
	res->index = 100.0 * sqrt(res->variance);
	return CN_VIX_OK;
}

int
cn_vix_cboe_window(const cn_vix_result *res, double target_days, char *err, int errlen)
{
	for (int i = 0; i < res->nterms; i++)
	{
		double		days = res->term[i].minutes / 1440.0;

		if (!(days > target_days - 7.0 && days < target_days + 7.0))
		{
			if (err && errlen > 0)
				snprintf(err, errlen,
						 "the %s term is %.6g days away, outside Cboe's window of more "
						 "than %g and less than %g days", i == 0 ? "near" : "next", days,
						 target_days - 7.0, target_days + 7.0);
			return CN_VIX_EWINDOW;
		}
	}
	return CN_VIX_OK;
}
