/*
 * realized.c -- realized volatility estimators and IV rank / percentile (realized.h).
 */
#include <math.h>
#include <stdlib.h>

#include "realized.h"

#define LN2 0.693147180559945309417232121458176568

/* Rows in time order, then by their values (finite, so < and > decide). */
static int
cmp_row2(const void *x, const void *y)
{
	const double *a = x,
			   *b = y;

	for (int i = 0; i < 2; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

static int
cmp_row5(const void *x, const void *y)
{
	const double *a = x,
			   *b = y;

	for (int i = 0; i < 5; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

/* Sort rows by time and refuse a repeated time. */
static int
sort_by_time(double *rows, int n, int width, double *bad_time)
{
	qsort(rows, n, width * sizeof(double), width == 2 ? cmp_row2 : cmp_row5);
	for (int i = 1; i < n; i++)
		if (rows[i * width] == rows[(i - 1) * width])
		{
			*bad_time = rows[i * width];
			return CN_RV_EDUP;
		}
	return CN_RV_OK;
}

int
cn_realized_min_rows(int estimator, int zero_mean)
{
	switch (estimator)
	{
		case CN_RV_CLOSE:
			return zero_mean ? 2 : 3;
		case CN_RV_YANG_ZHANG:
			return 3;
		default:
			return 1;
	}
}

/* Sample variance of x[0..n) (n >= 2), two-pass. */
static double
sample_var(const double *x, int n, int stride)
{
	double		mean = 0,
				ss = 0;

	for (int i = 0; i < n; i++)
		mean += x[i * stride];
	mean /= n;
	for (int i = 0; i < n; i++)
	{
		double		d = x[i * stride] - mean;

		ss += d * d;
	}
	return ss / (n - 1);
}

/* Rogers-Satchell term of one bar (o, h, l, c): >= 0 for a valid bar. */
static double
rs_term(const double *b)
{
	return log(b[1] / b[3]) * log(b[1] / b[0]) + log(b[2] / b[3]) * log(b[2] / b[0]);
}

int
cn_realized_vol(int estimator, double *rows, int n, double periods_per_year, int zero_mean,
				double *out, double *bad_time, int *bad_row)
{
	int			width = estimator == CN_RV_CLOSE ? 2 : 5;
	int			rc;
	double		var = 0;

	*out = NAN;
	*bad_row = -1;
	if (!(isfinite(periods_per_year) && periods_per_year > 0))
		return CN_RV_EROW;
	for (int i = 0; i < n; i++)
	{
		const double *r = rows + i * width;

		if (!isfinite(r[0]))
			rc = CN_RV_EROW;
		else
		{
			rc = CN_RV_OK;
			for (int c = 1; c < width; c++)
				if (!(isfinite(r[c]) && r[c] > 0))
					rc = CN_RV_EROW;
			if (width == 5 && rc == CN_RV_OK &&
				!(r[2] >= r[1] && r[2] >= r[4] && r[3] <= r[1] && r[3] <= r[4]))
				rc = CN_RV_EROW;
		}
		if (rc != CN_RV_OK)
		{
			*bad_row = i;
			return rc;
		}
	}
	if ((rc = sort_by_time(rows, n, width, bad_time)) != CN_RV_OK)
		return rc;
	if (n < cn_realized_min_rows(estimator, zero_mean))
		return CN_RV_EFEW;

	switch (estimator)
	{
		case CN_RV_CLOSE:
			{
				int			m = n - 1;

				/* the returns overwrite the times, which are no longer needed */
				for (int i = 0; i < m; i++)
					rows[2 * i] = log(rows[2 * (i + 1) + 1] / rows[2 * i + 1]);
				if (zero_mean)
				{
					for (int i = 0; i < m; i++)
						var += rows[2 * i] * rows[2 * i];
					var /= m;
				}
				else
					var = sample_var(rows, m, 2);
				break;
			}
		case CN_RV_PARKINSON:
			for (int i = 0; i < n; i++)
			{
				double		hl = log(rows[5 * i + 2] / rows[5 * i + 3]);

				var += hl * hl;
			}
			var /= 4.0 * LN2 * n;
			break;
		case CN_RV_GARMAN_KLASS:
			for (int i = 0; i < n; i++)
			{
				double		hl = log(rows[5 * i + 2] / rows[5 * i + 3]),
							co = log(rows[5 * i + 4] / rows[5 * i + 1]);

				var += 0.5 * hl * hl - (2.0 * LN2 - 1.0) * co * co;
			}
			var /= n;
			break;
		case CN_RV_ROGERS_SATCHELL:
			for (int i = 0; i < n; i++)
				var += rs_term(rows + 5 * i + 1);
			var /= n;
			break;
		case CN_RV_YANG_ZHANG:
			{
				int			m = n - 1;
				double		rs = 0,
							o_var,
							c_var,
							k;

				/* bars 1..m: the first row lends only its close */
				for (int i = 1; i < n; i++)
					rs += rs_term(rows + 5 * i + 1);
				rs /= m;

				/*
				 * Each series goes into the time slots of rows 0..m-1 (the times are
				 * no longer needed; the prices stay intact for the next series).
				 */
				for (int i = 1; i < n; i++)
					rows[5 * (i - 1)] = log(rows[5 * i + 4] / rows[5 * i + 1]);
				c_var = sample_var(rows, m, 5);
				for (int i = 1; i < n; i++)
					rows[5 * (i - 1)] = log(rows[5 * i + 1] / rows[5 * (i - 1) + 4]);
				o_var = sample_var(rows, m, 5);
				k = 0.34 / (1.34 + (double) (m + 1) / (m - 1));
				var = o_var + k * c_var + (1.0 - k) * rs;
				break;
			}
		default:
			return CN_RV_EROW;
	}
	*out = sqrt(var * periods_per_year);
	return CN_RV_OK;
}

int
cn_iv_rank(double *rows, int n, double *rank, double *percentile, double *bad_time)
{
	double		cur,
				lo,
				hi;
	int			below = 0,
				rc;

	*rank = *percentile = NAN;
	for (int i = 0; i < 2 * n; i++)
		if (!isfinite(rows[i]))
			return CN_RV_EROW;
	if (n < 1)
		return CN_RV_EFEW;
	if ((rc = sort_by_time(rows, n, 2, bad_time)) != CN_RV_OK)
		return rc;
	cur = rows[2 * (n - 1) + 1];
	lo = hi = cur;
	for (int i = 0; i < n - 1; i++)
	{
		double		x = rows[2 * i + 1];

		lo = fmin(lo, x);
		hi = fmax(hi, x);
		below += x < cur;
	}
	if (hi > lo)
		*rank = (cur - lo) / (hi - lo);
	if (n > 1)
		*percentile = (double) below / (n - 1);
	return CN_RV_OK;
}
