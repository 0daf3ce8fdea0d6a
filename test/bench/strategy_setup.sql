-- :positions 4-leg iron condors (4 x :positions leg rows) with varied strikes, premiums
-- and two expiries, for strategy_agg against array_agg.
SELECT setseed(0.7);
CREATE TABLE leg_rows AS
SELECT p AS position, l.qty, l.cp,
       CASE l.cp WHEN 'P' THEN c - l.off ELSE c + l.off END AS strike,
       timestamptz '2025-10-31 20:00+00' + (p % 2) * interval '7 days' AS expiry,
       round((1 + 20 * random())::numeric, 2)::float8 AS premium
FROM (SELECT p, (5500 + 5 * floor(random() * 80))::float8 AS c FROM generate_series(1, :positions) p) pp,
     (VALUES (-1.0, 'P', 100.0), (1.0, 'P', 150.0), (-1.0, 'C', 100.0), (1.0, 'C', 150.0)) l(qty, cp, off);
VACUUM ANALYZE leg_rows;
