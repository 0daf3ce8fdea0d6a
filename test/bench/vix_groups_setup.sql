-- test/bench/vix_groups_setup.sql -- :groups quote times of one full chain each, for
-- vix_index per quote time under hash aggregation: 2 expiries x :strikes strikes x
-- calls and puts (400 quotes a group by default).  The chain's prices are computed
-- once and repeated at every quote time (one minute apart), so the table builds in
-- the time of an INSERT; the rows are in quote-time order, as a feed writes them.
CREATE TEMP TABLE vix_chain AS
SELECT d, cp, k::float8 AS strike, greatest(p - 0.05, 0) AS bid, p + 0.05 AS ask
FROM (VALUES (25), (35)) dd(d),
     LATERAL (SELECT 5800 + 10 * (g - :strikes / 2) AS k FROM generate_series(0, :strikes - 1) g) ks,
     (VALUES ('C'), ('P')) c(cp),
     LATERAL bs_price(cp, 5800, k, d / 365.0, 0.15 + 0.4 * ln(5800.0 / k)^2, 0.045, 0.013) p;

CREATE TABLE vix_groups AS
SELECT m AS as_of, m + d * interval '1 day' AS expiry, cp, strike, bid, ask, 0.045::float8 AS rate
FROM (SELECT timestamptz '2025-01-02 14:30+00' + g * interval '1 minute' AS m
      FROM generate_series(0, :groups - 1) g) mm,
     vix_chain;
VACUUM ANALYZE vix_groups;
