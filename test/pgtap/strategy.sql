-- pgTAP: the strategy type's round trips (text, binary COPY) over random positions,
-- normalisation, parallel strategy_agg, and the at-expiry algebra against a brute-force
-- evaluation in SQL.  (The C unit test test_payoff.c checks thousands more positions.)
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT plan(9);
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

COPY rnd TO '/tmp/condor_strategy.bin' (FORMAT binary);
CREATE TEMP TABLE rnd2 (LIKE rnd);
COPY rnd2 FROM '/tmp/condor_strategy.bin' (FORMAT binary);
SELECT is((SELECT count(*) FROM rnd r JOIN rnd2 r2 USING (p) WHERE r.s = r2.s), 500::bigint,
          'binary COPY round trip');

-- the same legs in another order, or split in two, make the same strategy
SELECT is((SELECT count(*) FROM rnd r WHERE (SELECT strategy_agg(qty, kind, strike, expiry, premium, multiplier ORDER BY random())
                                             FROM legs(r.s)) <> r.s), 0::bigint,
          'normal form does not depend on leg order');
SELECT is((SELECT count(*) FROM rnd r WHERE r.s * 0.5 + r.s * 0.5 <> r.s), 0::bigint,
          'halves add up to the whole');

-- break-evens are zeros of the payoff; max loss and profit bound a brute-force scan
SELECT is((SELECT count(*) FROM rnd r, unnest(breakevens(r.s)) b
           WHERE abs(payoff(r.s, b)) > 1e-9 * (SELECT sum(abs(qty * multiplier) * (coalesce(strike, 0) + abs(premium) + b)) FROM legs(r.s))),
          0::bigint, 'payoff vanishes at every break-even');
SELECT is((SELECT count(*) FROM rnd r, generate_series(0, 400) x
           WHERE payoff(r.s, x) < -max_loss(r.s) - 1e-9 * (1 + max_loss(r.s))
              OR payoff(r.s, x) > max_profit(r.s) + 1e-9 * (1 + max_profit(r.s))), 0::bigint,
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

SELECT * FROM finish();
ROLLBACK;
