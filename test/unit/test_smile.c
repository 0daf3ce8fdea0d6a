/*
 * test_smile.c -- the smile of one expiry (ATM-forward vol, strike at a delta, skew) and
 * the constant-maturity ATM vol.
 *
 * Independent checks: the strike at a delta against a brute-force scan of d1(k) over a
 * fine grid (every sign change, each refined by bisection, the one nearest k = 0 kept),
 * and against the definition (N(d1) at the returned strike under the returned vol, and
 * that vol against the interpolated smile); flat smiles against the closed form
 * k = w/2 - D sqrt(w); constant maturity against hand-worked interpolations.
 */
#include "unit.h"
#include "normal.h"
#include "smile.h"

static unsigned lcg_state = 20250915u;

static double
lcg(void)
{
	lcg_state = lcg_state * 1664525u + 1013904223u;
	return (lcg_state >> 8) / 16777216.0;
}

/* d1(k) - D on a smile, straight from the definition (no segment bookkeeping). */
static double
gap(const cn_smile *s, double k, double D)
{
	double		u = sqrt(cn_smile_var(s, k) * s->t);

	return -k / u + 0.5 * u - D;
}

/*
 * Brute force: scan k over [-L, L] in steps of h, bisect each sign change 200 times,
 * keep the root nearest 0 (ties to the lower).  NaN when none in range.
 */
static double
scan_root(const cn_smile *s, double D, double L, int steps)
{
	double		best = NAN,
				h = 2 * L / steps,
				a = -L,
				ga = gap(s, a, D);

	for (int i = 1; i <= steps; i++)
	{
		double		b = -L + i * h,
					gb = gap(s, b, D),
					r = NAN;

		if (ga == 0)
			r = a;
		else if ((ga < 0) != (gb < 0))
		{
			double		lo = a,
						hi = b,
						glo = ga;

			for (int it = 0; it < 200; it++)
			{
				double		mid = 0.5 * (lo + hi),
							gm = gap(s, mid, D);

				if ((gm < 0) == (glo < 0))
				{
					lo = mid;
					glo = gm;
				}
				else
					hi = mid;
			}
			r = 0.5 * (lo + hi);
		}
		if (!isnan(r) && (isnan(best) || fabs(r) < fabs(best)))
			best = r;
		a = b;
		ga = gb;
	}
	return best;
}

/* A skewed smile in vol: sigma(k) = a0 + b0 k + c0 k^2 (floored), sampled at n strikes. */
static void
sample_smile(double F, double a0, double b0, double c0, double klo, double khi,
			 int n, double *quotes)
{
	for (int i = 0; i < n; i++)
	{
		double		k = klo + (khi - klo) * i / (n - 1),
					vol = a0 + b0 * k + c0 * k * k;

		quotes[2 * i] = F * exp(k);
		quotes[2 * i + 1] = vol < 0.02 ? 0.02 : vol;
	}
}

static void
test_interpolation(void)
{
	/* strikes 90, 100, 110 around F = 100 with vols 0.3, 0.2, 0.25; shuffled, and
	 * a call and a put at 100 (vols 0.19, 0.21: averaged in variance) */
	double		q[] = {110, 0.25, 100, 0.21, 90, 0.3, 100, 0.19};
	double		k[4],
				v[4],
				vol;
	cn_smile	s;
	double		v100 = (0.19 * 0.19 + 0.21 * 0.21) / 2;

	UNIT_CHECK(cn_smile_build(q, 4, 100, 0.5, k, v, &s) == CN_SMILE_OK, "build");
	UNIT_CHECK(s.n == 3, "three nodes, got %d", s.n);
	UNIT_CHECK(cn_smile_var(&s, 0) == v100, "node variance is the mean of the two");
	UNIT_CHECK(unit_close(cn_smile_atm(&s), sqrt(v100), 1e-15, 0), "atm at the node");
	/* halfway in k between 100 and 110: the mean of the variances */
	UNIT_CHECK(unit_close(cn_smile_var(&s, 0.5 * log(1.1)), 0.5 * (v100 + 0.0625), 1e-15, 0),
			   "linear in variance vs k: %.17g", cn_smile_var(&s, 0.5 * log(1.1)));
	UNIT_CHECK(cn_smile_var(&s, -5) == 0.09 && cn_smile_var(&s, 5) == 0.0625, "flat outside");
	/* the forward outside the quotes: no ATM vol */
	{
		double		q2[] = {110, 0.25, 120, 0.3};

		cn_smile_build(q2, 2, 100, 0.5, k, v, &s);
		UNIT_CHECK(isnan(cn_smile_atm(&s)), "no atm when every strike is above F");
	}
	{
		double		q3[] = {100, 0.2};

		cn_smile_build(q3, 1, 100, 0.5, k, v, &s);
		UNIT_CHECK(cn_smile_atm(&s) == 0.2, "a strike at F alone brackets it");
	}
	{
		double		q4[] = {100, -0.2};

		UNIT_CHECK(cn_smile_build(q4, 1, 100, 0.5, k, v, &s) == CN_SMILE_EROW, "negative vol");
		UNIT_CHECK(cn_smile_build(q4, 0, 100, 0.5, k, v, &s) == CN_SMILE_EEMPTY, "no quotes");
	}
	/* out-of-range deltas */
	{
		double		q5[] = {100, 0.2};

		cn_smile_build(q5, 1, 100, 0.5, k, v, &s);
		UNIT_CHECK(isnan(cn_smile_delta_k(&s, 0, &vol)) && isnan(vol), "delta 0");
		UNIT_CHECK(isnan(cn_smile_delta_k(&s, 1, &vol)), "delta 1");
		UNIT_CHECK(isnan(cn_smile_delta_k(&s, -1.5, &vol)), "delta -1.5");
	}
}

/* A flat smile: the strike at delta has the closed form k = w/2 - D sqrt(w). */
static void
test_flat(void)
{
	double		deltas[] = {-0.9, -0.5, -0.25, -0.1, -0.01, 0.01, 0.1, 0.25, 0.5, 0.9};
	double		worst = 0;

	for (int i = 0; i < 10; i++)
		for (int j = 0; j < 3; j++)
		{
			double		vol0 = 0.1 + 0.3 * j,
						t = 0.02 + 0.5 * j,
						q[] = {90, vol0, 100, vol0, 120, vol0},
						k[3],
						v[3],
						vol,
						got,
						D,
						w = vol0 * vol0 * t,
						want;
			cn_smile	s;

			cn_smile_build(q, 3, 100, t, k, v, &s);
			got = cn_smile_delta_k(&s, deltas[i], &vol);
			D = deltas[i] > 0 ? cn_norm_quantile(deltas[i]) : -cn_norm_quantile(-deltas[i]);
			want = 0.5 * w - D * sqrt(w);
			worst = fmax(worst, fabs(got - want));
			UNIT_CHECK(unit_close(got, want, 1e-13, 1e-15) && vol == vol0,
					   "flat smile delta %g vol %g t %g: k %.17g want %.17g", deltas[i],
					   vol0, t, got, want);
		}
	printf("# flat smiles: strike at delta within %.1e of k = w/2 - D sqrt(w)\n", worst);
}

/*
 * Skewed smiles sampled at random: the solver against the brute-force scan, and the
 * definition at the answer.
 */
static void
test_skewed(void)
{
	double		deltas[] = {-0.95, -0.75, -0.5, -0.25, -0.1, -0.05, 0.05, 0.1, 0.25, 0.5,
	0.75, 0.95};
	double		worst_scan = 0,
				worst_delta = 0;
	int			cases = 0;

	for (int c = 0; c < 40; c++)
	{
		double		F = 50 + 5000 * lcg(),
					t = 0.003 + 2 * lcg(),
					a0 = 0.08 + 0.5 * lcg(),
					b0 = -1.5 * lcg(),
					c0 = 3 * lcg(),
					span = 0.05 + 0.6 * lcg() * sqrt(t),
					q[2 * 41],
					k[41],
					v[41];
		int			n = 3 + (int) (38 * lcg());
		cn_smile	s;

		sample_smile(F, a0, b0, c0, -span * (0.5 + lcg()), span * (0.3 + lcg()), n, q);
		if (cn_smile_build(q, n, F, t, k, v, &s) != CN_SMILE_OK)
		{
			UNIT_CHECK(0, "build case %d", c);
			continue;
		}
		for (int i = 0; i < 12; i++)
		{
			double		vol,
						got = cn_smile_delta_k(&s, deltas[i], &vol),
						D = deltas[i] > 0 ? cn_norm_quantile(deltas[i]) :
						-cn_norm_quantile(-deltas[i]),
						L = 12 * sqrt(s.v[0] > s.v[s.n - 1] ? s.v[0] * t : s.v[s.n - 1] * t) + 1,
						want = scan_root(&s, D, L, 100000),
						u = sqrt(vol * vol * t),
						d1 = -got / u + 0.5 * u,
						dl = deltas[i] > 0 ? cn_norm_cdf(d1) : cn_norm_cdf(d1) - 1;

			cases++;
			worst_scan = fmax(worst_scan, fabs(got - want));
			worst_delta = fmax(worst_delta, fabs(dl - deltas[i]));
			UNIT_CHECK(unit_close(got, want, 1e-12, 1e-13),
					   "case %d delta %g: k %.17g, scan %.17g", c, deltas[i], got, want);
			UNIT_CHECK(fabs(dl - deltas[i]) <= 1e-13,
					   "case %d delta %g: delta at the answer %.17g", c, deltas[i], dl);
			UNIT_CHECK(vol == sqrt(cn_smile_var(&s, got)), "vol is the smile's at the answer");
		}
	}
	printf("# 40 skewed smiles x 12 deltas (%d cases): strike within %.1e of the brute-force scan, delta within %.1e\n",
		   cases, worst_scan, worst_delta);
}

/*
 * A smile steep enough that d1 is not monotone: several strikes have one delta; the one
 * nearest the forward is returned (checked against the scan, which keeps the same).
 */
static void
test_non_monotone(void)
{
	/*
	 * variance jumps from 0.04 to 4 between k = 0.1 and 0.11 (t = 1): d1 falls through
	 * N^-1(0.45) at k = 0.0452, jumps back above it, and falls through again at 2.25
	 */
	double		q[] = {100 * exp(-0.2), 0.2, 100 * exp(0.1), 0.2, 100 * exp(0.11), 2.0,
	100 * exp(0.5), 2.0};
	double		k[4],
				v[4],
				vol,
				got,
				want;
	cn_smile	s;
	int			roots = 0;
	double		D = cn_norm_quantile(0.45);

	cn_smile_build(q, 4, 100, 1.0, k, v, &s);
	/* count the roots of d1 = N^-1(0.45) by scanning */
	{
		double		prev = gap(&s, -5, D);

		for (int i = 1; i <= 400000; i++)
		{
			double		g = gap(&s, -5 + i * 10.0 / 400000, D);

			roots += (g < 0) != (prev < 0);
			prev = g;
		}
	}
	got = cn_smile_delta_k(&s, 0.45, &vol);
	want = scan_root(&s, D, 5, 400000);
	printf("# non-monotone d1: %d strikes with call delta 0.45, nearest the forward k = %.6f\n",
		   roots, got);
	UNIT_CHECK(roots >= 3, "the example has several roots (%d)", roots);
	UNIT_CHECK(unit_close(got, want, 1e-12, 1e-13), "nearest root %.17g, scan %.17g", got, want);
	/* on the flat first segment: -k/0.2 + 0.1 = D */
	UNIT_CHECK(unit_close(got, 0.2 * (0.1 - D), 1e-13, 0), "nearest root in closed form");
}

static void
test_skew(void)
{
	/* symmetric V-shaped smile in variance: rr25 = 0 only if the put and call strikes
	 * mirror; instead check the identities and the moneyness points */
	double		q[2 * 41],
				k[41],
				v[41];
	cn_smile	s;
	cn_skew		sk;
	double		F = 5800,
				t = 30 / 365.0;

	sample_smile(F, 0.15, -0.6, 1.5, -0.3, 0.2, 41, q);
	cn_smile_build(q, 41, F, t, k, v, &s);
	cn_smile_skew(&s, F, &sk);
	UNIT_CHECK(sk.rr25 == sk.call25 - sk.put25, "rr25");
	UNIT_CHECK(sk.bf25 == 0.5 * (sk.call25 + sk.put25) - sk.atm, "bf25");
	UNIT_CHECK(sk.m90 == sqrt(cn_smile_var(&s, log(0.9))) &&
			   sk.m110 == sqrt(cn_smile_var(&s, log(1.1))), "moneyness vols");
	UNIT_CHECK(sk.put25_strike < F && sk.call25_strike > F, "25-delta strikes either side of F");
	UNIT_CHECK(sk.rr25 < 0 && sk.put25 > sk.atm, "equity skew: puts richer (%g, %g)", sk.rr25,
			   sk.put25);
	/* the smile's vol at the solved strikes */
	UNIT_CHECK(sk.put25 == sqrt(cn_smile_var(&s, log(sk.put25_strike / F))) ||
			   unit_close(sk.put25, sqrt(cn_smile_var(&s, log(sk.put25_strike / F))), 1e-14, 0),
			   "put25 at its strike");
	printf("# skew example: atm %.6f put25 %.6f (K %.2f) call25 %.6f (K %.2f) rr %.6f bf %.6f m90 %.6f m110 %.6f\n",
		   sk.atm, sk.put25, sk.put25_strike, sk.call25, sk.call25_strike, sk.rr25, sk.bf25,
		   sk.m90, sk.m110);
}

/* Rows (t, K, F, vol) of a surface whose smile is linear in variance around the forward. */
static int
surface_rows(double *rows, const double *ts, const double *atm, int ne, double F0, int shuffle)
{
	int			n = 0;

	for (int e = 0; e < ne; e++)
	{
		double		F = F0 * exp(0.03 * ts[e]);

		for (int i = -5; i <= 5; i++)
		{
			double		k = 0.02 * i,
						var = atm[e] * atm[e] * (1 - 1.5 * k);	/* linear in k near 0 */

			rows[4 * n] = ts[e];
			rows[4 * n + 1] = F * exp(k);
			rows[4 * n + 2] = F;
			rows[4 * n + 3] = sqrt(var);
			n++;
		}
	}
	if (shuffle)
		for (int i = n - 1; i > 0; i--)
		{
			int			j = (int) (lcg() * (i + 1));

			for (int c = 0; c < 4; c++)
			{
				double		x = rows[4 * i + c];

				rows[4 * i + c] = rows[4 * j + c];
				rows[4 * j + c] = x;
			}
		}
	return n;
}

static void
test_cm_vol(void)
{
	double		ts[] = {7 / 365.0, 28 / 365.0, 35 / 365.0, 91 / 365.0};
	double		atm[] = {0.22, 0.18, 0.17, 0.19};
	double		rows[4 * 44],
				copy[4 * 44],
				work[6 * 44],
				out,
				out2,
				bad;
	int			n,
				used;
	double		targets[] = {1 / 365.0, 7 / 365.0, 20 / 365.0, 30 / 365.0, 35 / 365.0,
	60 / 365.0, 91 / 365.0, 1.0};

	for (int i = 0; i < 8; i++)
	{
		double		T = targets[i],
					want;

		/* by hand: flat before 7d and after 91d, linear in sigma^2 t between */
		if (T <= ts[0])
			want = atm[0];
		else if (T >= ts[3])
			want = atm[3];
		else
		{
			int			e = 0;

			while (ts[e + 1] < T)
				e++;
			want = sqrt((atm[e] * atm[e] * ts[e] * (ts[e + 1] - T) +
						 atm[e + 1] * atm[e + 1] * ts[e + 1] * (T - ts[e])) /
						(ts[e + 1] - ts[e]) / T);
		}
		n = surface_rows(rows, ts, atm, 4, 5800, 0);
		UNIT_CHECK(cn_cm_vol(rows, n, T, work, &out, &bad, &used) == CN_SMILE_OK && used == 4,
				   "cm_vol ok");
		UNIT_CHECK(unit_close(out, want, 1e-14, 0), "cm_vol %g days: %.17g want %.17g",
				   T * 365, out, want);
		/* any order: the same bits */
		n = surface_rows(copy, ts, atm, 4, 5800, 1);
		cn_cm_vol(copy, n, T, work, &out2, &bad, &used);
		UNIT_CHECK(memcmp(&out, &out2, sizeof(double)) == 0, "cm_vol independent of row order");
	}
	/* an expiry whose strikes all lie above its forward is left out */
	n = surface_rows(rows, ts, atm, 4, 5800, 0);
	for (int i = 0; i < n; i++)
		if (rows[4 * i] == ts[1] && rows[4 * i + 1] < rows[4 * i + 2] * 1.000001)
			rows[4 * i + 1] = rows[4 * i + 2] * 1.5;	/* move below-F strikes far above */
	cn_cm_vol(rows, n, 30 / 365.0, work, &out, &bad, &used);
	UNIT_CHECK(used == 3, "the unbracketed expiry is left out (%d used)", used);
	/* two forwards on one expiry */
	n = surface_rows(rows, ts, atm, 4, 5800, 0);
	rows[4 * 3 + 2] *= 1.0001;
	UNIT_CHECK(cn_cm_vol(rows, n, 30 / 365.0, work, &out, &bad, &used) == CN_SMILE_EFWD &&
			   bad == ts[0], "two forwards for one expiry");
	/* nothing bracketed */
	{
		double		r1[] = {0.1, 110, 100, 0.2, 0.2, 120, 100, 0.2};

		UNIT_CHECK(cn_cm_vol(r1, 2, 0.1, work, &out, &bad, &used) == CN_SMILE_ENONE && isnan(out),
				   "no expiry brackets its forward");
	}
}

int
main(void)
{
	test_interpolation();
	test_flat();
	test_skewed();
	test_non_monotone();
	test_skew();
	test_cm_vol();
	return unit_report("smile");
}
