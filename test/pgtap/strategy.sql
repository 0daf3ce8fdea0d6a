-- pgTAP: the strategy type's round trips (text, binary COPY) over random positions,
-- normalisation, parallel strategy_agg, the at-expiry algebra against a brute-force
-- evaluation in SQL, and the first-expiry line of several expiries against a brute force
-- in SQL built on bs_price.  (The C unit test test_payoff.c checks thousands more.)
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT plan(16);
SELECT setseed(0.2024);

-- 500 random positions of 1-8 legs, mixed kinds, odd quantities, premiums, multipliers
CREATE TEMP TABLE rnd AS
SELECT p, strategy_agg(qty, cp, strike, expiry, premium, mult) AS s
FROM (SELECT p, l,
             round((random() * 10 - 5)::numeric, 2)::float8 AS qty,
             (ARRAY['C', 'P', 'U'])[1 + floor(random() * 3)::int] AS cp,
             round((50 + random() * 100)::numeric, 1)::float8 AS strike,
             timestamptz '2026-01-16 21:00+00' + floor(random() * 3) * interval '28 days'
                 + floor(random() * 1e6) * interval '1 microsecond' AS expiry,
             (random() * 20)::float8 AS premium,
             (ARRAY[1, 10, 50, 100])[1 + floor(random() * 4)::int]::float8 AS mult
      FROM generate_series(1, 500) p, LATERAL generate_series(1, 1 + floor(random() * 8)::int + p * 0) l) legs
GROUP BY p;

SELECT is((SELECT count(*) FROM rnd WHERE s::text::strategy <> s), 0::bigint,
          'text round trip of 500 random strategies');
SELECT is((SELECT count(*) FROM rnd r, legs(r.s) l WHERE l.premium <> (SELECT premium FROM legs(r.s::text::strategy) x WHERE x.leg = l.leg)), 0::bigint,
          'every premium survives text exactly');

-- in the throwaway cluster's own directory: other checkouts may be testing at once
DO $$
BEGIN
	EXECUTE format('COPY rnd TO %L (FORMAT binary)', current_setting('data_directory') || '/condor_strategy.bin');
	CREATE TEMP TABLE rnd2 (LIKE rnd);
	EXECUTE format('COPY rnd2 FROM %L (FORMAT binary)', current_setting('data_directory') || '/condor_strategy.bin');
END $$;
SELECT is((SELECT count(*) FROM rnd r JOIN rnd2 r2 USING (p) WHERE r.s = r2.s), 500::bigint,
          'binary COPY round trip');

-- the same legs in another order, or split in two, make the same strategy
SELECT is((SELECT count(*) FROM rnd r WHERE (SELECT strategy_agg(qty, kind, strike, expiry, premium, multiplier ORDER BY random())
                                             FROM legs(r.s)) <> r.s), 0::bigint,
          'normal form does not depend on leg order');
SELECT is((SELECT count(*) FROM rnd r WHERE r.s * 0.5 + r.s * 0.5 <> r.s), 0::bigint,
          'halves add up to the whole');

-- break-evens are zeros of the payoff; max loss and profit bound a brute-force scan (the
-- at-expiry algebra takes one expiry: rnd's legs moved to one)
CREATE TEMP TABLE rnd1 AS
SELECT p, (SELECT strategy_agg(qty, kind, strike, CASE WHEN kind = 'U' THEN NULL ELSE timestamptz '2026-01-16 21:00+00' END,
                               premium, multiplier) FROM legs(rnd.s)) AS s
FROM rnd;
SELECT is((SELECT count(*) FROM rnd1 r, unnest(breakevens(r.s)) b
           WHERE abs(payoff(r.s, b)) > 1e-9 * (SELECT sum(abs(qty * multiplier) * (coalesce(strike, 0) + abs(premium) + b)) FROM legs(r.s))),
          0::bigint, 'payoff vanishes at every break-even');
SELECT is((SELECT count(*) FROM rnd1 r, generate_series(0, 400) x
           WHERE payoff(r.s, x) < -max_loss(r.s) - 1e-9 * (1 + abs(max_loss(r.s)))
              OR payoff(r.s, x) > max_profit(r.s) + 1e-9 * (1 + abs(max_profit(r.s)))), 0::bigint,
          'no scanned spot beats max_profit or max_loss');

-- strategy_agg under a parallel plan equals the serial result
CREATE TABLE par_legs AS SELECT p, l.* FROM rnd, legs(rnd.s) l;
ANALYZE par_legs;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
CREATE FUNCTION pg_temp.plan(q text) RETURNS SETOF text LANGUAGE plpgsql AS $f$
BEGIN
	RETURN QUERY EXECUTE 'EXPLAIN (COSTS OFF) ' || q;
END $f$;
SELECT ok(EXISTS (SELECT 1 FROM pg_temp.plan($$SELECT strategy_agg(qty, kind, strike, expiry, premium, multiplier) FROM par_legs WHERE p <= 10$$) l
                  WHERE l LIKE '%Partial Aggregate%'), 'strategy_agg runs as a partial aggregate');
-- kept through its text form in a psql variable (a plain SELECT, so the plan is parallel)
SELECT strategy_agg(qty, kind, strike, expiry, premium, multiplier) AS par_s FROM par_legs WHERE p <= 10 \gset
SET LOCAL max_parallel_workers_per_gather = 0;
SELECT is(:'par_s'::strategy,
          (SELECT strategy_agg(qty, kind, strike, expiry, premium, multiplier) FROM par_legs WHERE p <= 10),
          'parallel strategy_agg equals the serial one exactly');

-- The first-expiry line of several expiries against a brute force in SQL.  300 random
-- positions of 2-6 legs: calls, puts and stock; expiries at E1, a day later, and 60 and
-- 150 days later (the first two legs are options at E1 and later, so there are always two
-- expiries); either sign, multipliers 1 to 1000, a vol per leg.  The brute force values
-- each leg itself (intrinsic by the first expiry h, else bs_price with year_frac(h,
-- expiry)) on a grid of 1,500 log-spaced spots over [min strike e^-3, max strike e^3] plus
-- every strike and the ends (1e-9 and 1e4 times the largest strike), and compares with
-- the model forms called with vols[].
SELECT setseed(0.4711);
CREATE TEMP TABLE fe_legs AS
SELECT p, l, qty, kind,
       CASE WHEN kind = 'U' THEN NULL ELSE strike END AS strike,
       CASE WHEN kind = 'U' THEN NULL
            ELSE timestamptz '2026-01-16 21:00+00' + (ARRAY[0, 1, 60, 150])[CASE l WHEN 1 THEN 1 WHEN 2 THEN 2 + floor(random() * 3)::int ELSE 1 + floor(random() * 4)::int END] * interval '1 day' END AS expiry,
       premium, mult, vol
FROM (SELECT p, l,
             (CASE WHEN random() < 0.6 THEN (1 + floor(random() * 3)) * (CASE WHEN random() < 0.5 THEN -1 ELSE 1 END)
                   ELSE round((random() * 6 - 3)::numeric, 3) END)::float8 AS qty,
             CASE WHEN l = 1 THEN 'C' WHEN l = 2 THEN (ARRAY['C', 'P'])[1 + floor(random() * 2)::int]
                  ELSE (ARRAY['C', 'P', 'U'])[1 + floor(random() * 3)::int] END AS kind,
             round((60 + random() * 80)::numeric, 1)::float8 AS strike,
             round((random() * 15)::numeric, 2)::float8 AS premium,
             (ARRAY[1, 10, 50, 100, 1000])[1 + floor(random() * 5)::int]::float8 AS mult,
             round((0.08 + random() * 0.72)::numeric, 3)::float8 AS vol
      FROM generate_series(1, 300) p, LATERAL generate_series(1, 2 + floor(random() * 5)::int + p * 0) l) x;
UPDATE fe_legs SET premium = 70 + premium * 4 WHERE kind = 'U';
CREATE TEMP TABLE fe AS
SELECT p, strategy_agg(qty, kind, strike, expiry, premium, mult) AS s,
       timestamptz '2025-12-01 21:00+00' AS as_of,
       (ARRAY[0, 0.045, 0.08])[1 + p % 3]::float8 AS r, (ARRAY[0, 0.013, 0.03])[1 + (p / 3) % 3]::float8 AS q
FROM fe_legs GROUP BY p;
-- the vols in legs() order (legs were normalised and may have merged: take each leg's vol
-- from a row that made it)
ALTER TABLE fe ADD vols float8[], ADD h timestamptz;
UPDATE fe SET vols = (SELECT array_agg((SELECT min(x.vol) FROM fe_legs x WHERE x.p = fe.p AND x.kind = l.kind
                                         AND x.strike IS NOT DISTINCT FROM l.strike
                                         AND x.expiry IS NOT DISTINCT FROM l.expiry) ORDER BY l.leg)
                      FROM legs(fe.s) l),
              h = (SELECT min(l.expiry) FROM legs(fe.s) l WHERE l.kind <> 'U' AND l.expiry > fe.as_of);
CREATE TEMP TABLE fe_legv AS
SELECT f.p, l.*, f.vols[l.leg] AS vol FROM fe f, legs(f.s) l;
CREATE TEMP TABLE fe_grid AS
SELECT f.p, x
FROM fe f, LATERAL (SELECT min(strike) AS kmin, max(greatest(strike, CASE WHEN kind = 'U' THEN premium END)) AS kmax
                    FROM fe_legv v WHERE v.p = f.p) k,
     LATERAL (SELECT k.kmin * exp(-3 + (ln(k.kmax / k.kmin) + 6) * i / 1500.0) AS x FROM generate_series(0, 1500) i
              UNION SELECT strike FROM fe_legv v WHERE v.p = f.p AND strike IS NOT NULL
              -- the ends of the domain: next to 0, and far enough out for a flat tail's limit
              UNION SELECT 1e-9 UNION SELECT 1e4 * k.kmax) g;
CREATE TEMP TABLE fe_curve AS
SELECT g.p, g.x,
       sum(v.qty * v.multiplier * (CASE WHEN v.kind = 'U' THEN g.x
                                        WHEN v.expiry <= f.h THEN CASE v.kind WHEN 'C' THEN greatest(g.x - v.strike, 0) ELSE greatest(v.strike - g.x, 0) END
                                        ELSE bs_price(v.kind, g.x, v.strike, year_frac(f.h, v.expiry), v.vol, f.r, f.q) END
                                   - v.premium)) AS pnl,
       sum(abs(v.qty * v.multiplier) * (greatest(g.x, coalesce(v.strike, 0)) + abs(v.premium))) AS scale
FROM fe_grid g JOIN fe f USING (p) JOIN fe_legv v USING (p)
GROUP BY g.p, g.x;
CREATE INDEX ON fe_curve (p, x);
ANALYZE fe_curve;
CREATE TEMP TABLE fe_code AS
SELECT p, breakevens(s, as_of, vols, r, q) AS be, max_profit(s, as_of, vols, r, q) AS mp,
       max_loss(s, as_of, vols, r, q) AS ml
FROM fe;

SELECT is((SELECT count(*) FROM fe f JOIN fe_curve c USING (p)
           WHERE abs(payoff(f.s, c.x, f.as_of, f.vols, f.r, f.q) - c.pnl) > 1e-12 * c.scale), 0::bigint,
          'first expiry: payoff with vols[] is the curve written out with bs_price, 300 positions');
-- the sign changes of the brute force on its grid, one for one with the break-evens inside it
SELECT is((SELECT count(*) FROM fe_code k
           JOIN (SELECT p, count(*) FILTER (WHERE pnl <> 0 AND prev <> 0 AND (pnl < 0) <> (prev < 0)) AS changes,
                        min(x) AS lo, max(x) AS hi
                 FROM (SELECT p, x, pnl, lag(pnl) OVER (PARTITION BY p ORDER BY x) AS prev FROM fe_curve) z
                 GROUP BY p) c USING (p)
           WHERE c.changes <> (SELECT count(*) FROM unnest(k.be) b WHERE b > c.lo AND b < c.hi)),
          0::bigint, 'first expiry: as many break-evens as the brute force finds sign changes');
SELECT is((SELECT count(*) FROM fe f JOIN fe_code k USING (p), unnest(k.be) b
           WHERE abs((SELECT sum(v.qty * v.multiplier * (CASE WHEN v.kind = 'U' THEN b
                                                              WHEN v.expiry <= f.h THEN CASE v.kind WHEN 'C' THEN greatest(b - v.strike, 0) ELSE greatest(v.strike - b, 0) END
                                                              ELSE bs_price(v.kind, b, v.strike, year_frac(f.h, v.expiry), v.vol, f.r, f.q) END - v.premium))
                      FROM fe_legv v WHERE v.p = f.p))
                 > 1e-9 * (SELECT sum(abs(v.qty * v.multiplier) * (greatest(b, coalesce(v.strike, 0)) + abs(v.premium))) FROM fe_legv v WHERE v.p = f.p)),
          0::bigint, 'first expiry: the brute-force curve vanishes at every break-even');
-- extremes: no grid point beats them, and the grid's best point or a fine grid (100
-- points) between its neighbours comes within 1e-7 of the position's scale of a finite
-- one (the fine step is 1/100 of 0.4% of spot: even a leg a day from expiry, bought by
-- the thousand, bends less than that over it); Infinity only with a slope
SELECT is((SELECT count(*) FROM fe_code k JOIN fe f USING (p),
                  LATERAL (SELECT max(pnl) AS hi, min(pnl) AS lo, max(scale) AS sc FROM fe_curve c WHERE c.p = k.p) g
           WHERE g.hi > k.mp + 1e-9 * g.sc OR -g.lo > k.ml + 1e-9 * g.sc), 0::bigint,
          'first expiry: no brute-force grid point beats max_profit or max_loss');
CREATE TEMP TABLE fe_best AS
SELECT p, kind, coalesce(a, x) AS a, coalesce(z, x) AS z, pnl
FROM (SELECT p, x, pnl, lag(x) OVER w AS a, lead(x) OVER w AS z,
             rank() OVER (PARTITION BY p ORDER BY pnl DESC, x) AS top,
             rank() OVER (PARTITION BY p ORDER BY pnl, x) AS bottom
      FROM fe_curve WINDOW w AS (PARTITION BY p ORDER BY x)) c,
     LATERAL (VALUES ('max', top), ('min', bottom)) k(kind, rk)
WHERE rk = 1;
SELECT is((SELECT count(*) FROM fe_best b JOIN fe f USING (p) JOIN fe_code k USING (p),
                  LATERAL (SELECT max(pnl) AS hi, min(pnl) AS lo, max(scale) AS sc
                           FROM (SELECT sum(v.qty * v.multiplier * (CASE WHEN v.kind = 'U' THEN x
                                                                       WHEN v.expiry <= f.h THEN CASE v.kind WHEN 'C' THEN greatest(x - v.strike, 0) ELSE greatest(v.strike - x, 0) END
                                                                       ELSE bs_price(v.kind, x, v.strike, year_frac(f.h, v.expiry), v.vol, f.r, f.q) END - v.premium)) AS pnl,
                                        sum(abs(v.qty * v.multiplier) * (greatest(x, coalesce(v.strike, 0)) + abs(v.premium))) AS scale
                                 FROM generate_series(0, 100) i, LATERAL (SELECT b.a + (b.z - b.a) * i / 100.0 AS x) xx,
                                      fe_legv v WHERE v.p = f.p AND x > 0 GROUP BY x) fine) r
           WHERE (b.kind = 'max' AND k.mp <> 'Infinity' AND k.mp - greatest(r.hi, b.pnl) > 1e-7 * r.sc)
              OR (b.kind = 'min' AND k.ml <> 'Infinity' AND k.ml + least(r.lo, b.pnl) > 1e-7 * r.sc)),
          0::bigint, 'first expiry: max_profit and max_loss are met near the brute force''s best points');
SELECT is((SELECT count(*) FROM fe_code k JOIN fe f USING (p),
                  LATERAL (SELECT sum(v.qty * v.multiplier * CASE WHEN v.kind = 'U' THEN 1
                                                               WHEN v.kind = 'C' AND v.expiry <= f.h THEN 1
                                                               WHEN v.kind = 'C' THEN exp(-f.q * year_frac(f.h, v.expiry)) ELSE 0 END) AS slope,
                                  sum(abs(v.qty * v.multiplier)) AS qm
                           FROM fe_legv v WHERE v.p = f.p) t
           WHERE (k.mp = 'Infinity') <> (t.slope > 1e-12 * t.qm) OR (k.ml = 'Infinity') <> (t.slope < -1e-12 * t.qm)),
          0::bigint, 'first expiry: Infinity exactly when the slope far out says so');
-- pop is the lognormal probability of the profitable gaps between those break-evens: the
-- normal distribution function by Simpson's rule on 4,000 panels from -12 (2e-10)
CREATE FUNCTION pg_temp.ncdf(z float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS $f$
	SELECT CASE WHEN z <= -12 THEN 0 WHEN z >= 12 THEN 1 ELSE
	       (SELECT sum(CASE WHEN i IN (0, 4000) THEN 1 WHEN i % 2 = 1 THEN 4 ELSE 2 END
	                   * exp(-0.5 * (-12 + (z + 12) * i / 4000.0) ^ 2)) * (z + 12) / 4000.0 / 3 / sqrt(2 * pi())
	        FROM generate_series(0, 4000) i) END
$f$;
SELECT is((SELECT count(*) FROM fe_code k JOIN fe f USING (p),
                  LATERAL (SELECT year_frac(f.as_of, f.h) AS t, f.vols[ref] AS v FROM (
                            SELECT l.leg AS ref FROM legs(f.s) l, LATERAL (SELECT 100 * exp((f.r - f.q) * year_frac(f.as_of, f.h)) AS fwd) w
                            WHERE l.kind <> 'U' AND l.expiry = f.h ORDER BY abs(l.strike - w.fwd), l.leg LIMIT 1) rr) d,
                  LATERAL (SELECT coalesce(sum(pg_temp.ncdf(CASE WHEN g.a = 0 THEN 40 ELSE (ln(100 / g.a) + (f.r - f.q - d.v ^ 2 / 2) * d.t) / (d.v * sqrt(d.t)) END)
                                               - pg_temp.ncdf(CASE WHEN g.z IS NULL THEN -40 ELSE (ln(100 / g.z) + (f.r - f.q - d.v ^ 2 / 2) * d.t) / (d.v * sqrt(d.t)) END)), 0) AS p
                           FROM (SELECT coalesce(lag(b) OVER (ORDER BY b), 0) AS a, b AS z FROM unnest(k.be) b
                                 UNION ALL SELECT coalesce((SELECT max(b) FROM unnest(k.be) b), 0), NULL) g
                           WHERE payoff(f.s, CASE WHEN g.z IS NULL THEN 2 * g.a + 1 ELSE (g.a + g.z) / 2 END, f.as_of, f.vols, f.r, f.q) > 0) want
           WHERE abs(pop(f.s, 100, f.as_of, f.vols, f.r, f.q) - want.p) > 1e-8),
          0::bigint, 'first expiry: pop with vols[] is the probability of the gaps between the break-evens');

SELECT * FROM finish();
ROLLBACK;
