-- greeks_total under a parallel plan: Partial Aggregate in workers, the same answer.
CREATE TABLE par_legs AS
SELECT i, CASE WHEN i % 2 = 0 THEN 'C' ELSE 'P' END AS cp,
       5000 + (i % 200) * 5 AS strike, (1 + i % 60) / 365.0 AS t,
       0.12 + (i % 17) / 100.0 AS vol, (i % 5) - 2 AS qty
FROM generate_series(1, 100000) i;
ANALYZE par_legs;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;

EXPLAIN (COSTS OFF)
SELECT greeks_total(bs_greeks(cp, 5500, strike, t, vol, 0.045, 0.013) * (qty * 100.0))
FROM par_legs;

-- the workers really run (the partial states travel to the leader and are combined)
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)
SELECT greeks_total(bs_greeks(cp, 5500, strike, t, vol, 0.045, 0.013) * (qty * 100.0))
FROM par_legs;

-- keep the parallel answers in psql variables, through their text form
SELECT greeks_total(bs_greeks(cp, 5500, strike, t, vol, 0.045, 0.013) * (qty * 100.0)) AS par
FROM par_legs \gset
-- exactly representable Greeks (multiples of 1/8): any summation order gives the same bits
SELECT greeks_total(ROW(i / 8.0, -i / 8.0, 1, 2, 3, 4, 5, 6, 7, i)::greeks) AS par_exact
FROM par_legs \gset

RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
SET max_parallel_workers_per_gather = 0;

EXPLAIN (COSTS OFF)
SELECT greeks_total(bs_greeks(cp, 5500, strike, t, vol, 0.045, 0.013) * (qty * 100.0))
FROM par_legs;

-- greeks_total sums each field exactly and rounds once: the parallel answer (partial
-- states from two workers, combined) has the same bits as the serial one.
SELECT :'par'::greeks::text = greeks_total(bs_greeks(cp, 5500, strike, t, vol, 0.045, 0.013) * (qty * 100.0))::text
       AS parallel_equals_serial
FROM par_legs;

-- and so have other orders of the same rows, where a plain floating-point sum does not
SELECT count(DISTINCT tot::text) AS distinct_totals, count(DISTINCT plain) AS distinct_plain_sums
FROM (SELECT o,
             greeks_total(g ORDER BY CASE o WHEN 0 THEN i WHEN 1 THEN -i ELSE hashint4(i * o) END) AS tot,
             sum((g).gamma ORDER BY CASE o WHEN 0 THEN i WHEN 1 THEN -i ELSE hashint4(i * o) END) AS plain
      FROM (SELECT i, bs_greeks(cp, 5500, strike, t, vol, 0.045, 0.013) * (qty * 100.0) AS g
            FROM par_legs) l, generate_series(0, 5) o
      GROUP BY o) x;

SELECT p.g = s.g AS exact_parallel_equals_serial
FROM (SELECT :'par_exact'::greeks AS g) p,
     (SELECT greeks_total(ROW(i / 8.0, -i / 8.0, 1, 2, 3, 4, 5, 6, 7, i)::greeks) AS g
      FROM par_legs) s;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- Sums of the scalar Greeks at the level of the call: Partial Aggregate in the
-- workers, where the calls of a row compute its Greeks once; every value equals its
-- field of bs_greeks, and the order-independent aggregates equal the serial ones.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT sum(bs_delta(cp, 5500, strike, t, vol, 0.045, 0.013) * qty),
       sum(bs_vega(cp, 5500, strike, t, vol, 0.045, 0.013) * qty)
FROM par_legs;
SELECT count(*) FILTER (WHERE float8send(bs_delta(cp, 5500, strike, t, vol, 0.045, 0.013)) <> float8send((g).delta)
                           OR float8send(bs_gamma(cp, 5500, strike, t, vol, 0.045, 0.013)) <> float8send((g).gamma)
                           OR float8send(bs_vega(cp, 5500, strike, t, vol, 0.045, 0.013)) <> float8send((g).vega)
                           OR float8send(bs_theta(cp, 5500, strike, t, vol, 0.045, 0.013)) <> float8send((g).theta)
                           OR float8send(bs_charm(cp, 5500, strike, t, vol, 0.045, 0.013)) <> float8send((g).charm)) AS differ,
       max(bs_delta(cp, 5500, strike, t, vol, 0.045, 0.013)) AS par_max_delta,
       min(bs_theta(cp, 5500, strike, t, vol, 0.045, 0.013)) AS par_min_theta,
       max(bs_vanna(cp, 5500, strike, t, vol, 0.045, 0.013)) AS par_max_vanna
FROM (SELECT cp, strike, t, vol, bs_greeks(cp, 5500, strike, t, vol, 0.045, 0.013) AS g
      FROM par_legs) l \gset
EXPLAIN (COSTS OFF)
SELECT max(bs_delta(cp, 5500, strike, t, vol, 0.045, 0.013)) FROM par_legs;
SET max_parallel_workers_per_gather = 0;
SELECT :differ AS differ,
       :'par_max_delta'::float8 = max(bs_delta(cp, 5500, strike, t, vol, 0.045, 0.013))
       AND :'par_min_theta'::float8 = min(bs_theta(cp, 5500, strike, t, vol, 0.045, 0.013))
       AND :'par_max_vanna'::float8 = max(bs_vanna(cp, 5500, strike, t, vol, 0.045, 0.013)) AS parallel_equals_serial
FROM par_legs;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
DROP TABLE par_legs;
