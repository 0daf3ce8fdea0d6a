-- pgTAP: marking from the market over random books and random chains.  Each figure is
-- computed a second way in plain SQL -- the fills written out as CASE expressions over a
-- join of legs() and the quotes, the market vols by implied_vol row by row, the
-- break-even distance from breakevens() and year_frac, the time value from
-- strategy_value and the intrinsic values -- and the two must agree.
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT plan(12);
SELECT setseed(0.1414);

-- a chain: one quote time, three expiries, strikes every 10, calls and puts, a BSM
-- price at a skewed vol with a spread around it; some quotes one-sided, a few crossed
CREATE TEMP TABLE chain AS
SELECT timestamptz '2025-09-15 14:30+00' AS quote_ts, e.expiry_ts, cp, k AS strike, 5800::float8 AS spot,
       CASE WHEN u < 0.05 THEN NULL WHEN u < 0.08 THEN p.mid + 1 ELSE greatest(0, round((p.mid * 0.98 - 0.05)::numeric, 2)::float8) END AS bid,
       CASE WHEN u > 0.97 THEN NULL ELSE round((p.mid * 1.02 + 0.05)::numeric, 2)::float8 END AS ask
FROM (VALUES (timestamptz '2025-10-03 20:00+00'), ('2025-10-31 20:00+00'), ('2025-11-21 21:00+00')) e(expiry_ts),
     generate_series(5000, 6600, 10) k, (VALUES ('C'), ('P')) c(cp),
     LATERAL (SELECT random() AS u) r,
     LATERAL (SELECT bs_price(cp, 5800, k, year_frac('2025-09-15 14:30+00', e.expiry_ts),
                              0.15 - 0.25 * ln(k / 5800.0), 0.045, 0.013) AS mid) p;
-- the underlying as a quote
INSERT INTO chain VALUES ('2025-09-15 14:30+00', NULL, 'U', NULL, 5800, 5799.5, 5800.5);

-- 300 random positions of 1-6 legs on the chain's contracts (a few off it), some stock
CREATE TEMP TABLE book AS
SELECT p, strategy_agg(qty, cp, strike, expiry, premium, mult) AS s
FROM (SELECT p, l,
             (ARRAY[-3, -2, -1, 1, 2, 5])[1 + floor(random() * 6)::int]::float8 AS qty,
             (ARRAY['C', 'P', 'C', 'P', 'U'])[1 + floor(random() * 5)::int] AS cp,
             CASE WHEN random() < 0.03 THEN 5005 ELSE 5000 + 10 * floor(random() * 161) END::float8 AS strike,
             (ARRAY[timestamptz '2025-10-03 20:00+00', '2025-10-31 20:00+00', '2025-11-21 21:00+00'])[1 + floor(random() * 3)::int] AS expiry,
             round((random() * 50)::numeric, 2)::float8 AS premium,
             CASE WHEN random() < 0.1 THEN 10 ELSE 100 END::float8 AS mult
      FROM generate_series(1, 300) p, LATERAL generate_series(1, 1 + floor(random() * 6)::int + p * 0) l) x
GROUP BY p;

CREATE TEMP TABLE marks AS
SELECT b.p, f.fill, strategy_mark(b.s, c.cp, c.strike, c.expiry_ts, c.bid, c.ask, f.fill) AS m
FROM book b, chain c, (VALUES ('mid'), ('natural'), ('mark')) f(fill)
GROUP BY b.p, f.fill;

-- the same in SQL: each leg's price from its quote, NULL when the fill cannot use it
CREATE TEMP TABLE by_hand AS
SELECT b.p, f.fill, l.leg, l.qty, l.multiplier, l.premium,
       CASE WHEN c.cp IS NULL OR (c.bid IS NULL AND c.ask IS NULL) OR c.bid > c.ask THEN NULL
            WHEN f.fill = 'mid' THEN (c.bid + c.ask) / 2
            WHEN f.fill = 'natural' THEN CASE WHEN l.qty > 0 THEN c.bid ELSE c.ask END
            WHEN c.bid > 0 AND c.ask IS NOT NULL THEN (c.bid + c.ask) / 2
            WHEN l.qty > 0 THEN coalesce(c.bid, 0)
            ELSE c.ask END AS price
FROM book b CROSS JOIN LATERAL legs(b.s) l
CROSS JOIN (VALUES ('mid'), ('natural'), ('mark')) f(fill)
LEFT JOIN chain c ON c.cp = l.kind AND (l.kind = 'U' OR (c.strike, c.expiry_ts) = (l.strike, l.expiry));

SELECT is((SELECT count(*) FROM marks m JOIN (SELECT p, fill, array_agg(leg ORDER BY leg) FILTER (WHERE price IS NULL) AS missing
                                               FROM by_hand GROUP BY p, fill) h USING (p, fill)
           WHERE coalesce((m).legs_missing, '{}') IS DISTINCT FROM coalesce(h.missing, '{}')), 0::bigint,
          'strategy_mark names exactly the legs the fills in SQL cannot price (900 marks)');
SELECT cmp_ok((SELECT count(*) FROM marks WHERE (m).value IS NULL), '>', 40::bigint,
              'the random chain leaves many marks incomplete');
SELECT cmp_ok((SELECT count(*) FROM marks WHERE (m).value IS NOT NULL), '>', 100::bigint,
              'and many complete');
SELECT is((SELECT count(*) FROM marks m JOIN (SELECT p, fill, sum(qty * multiplier * price) AS value,
                                                     sum(qty * multiplier * (price - premium)) AS pnl
                                              FROM by_hand GROUP BY p, fill HAVING bool_and(price IS NOT NULL)) h USING (p, fill)
           WHERE abs((m).value - h.value) > 1e-9 * (1 + abs(h.value)) OR abs((m).pnl - h.pnl) > 1e-9 * (1 + abs(h.value))), 0::bigint,
          'value and P&L equal the SQL sums wherever every leg is priced (1e-9)');
SELECT is((SELECT count(*) FROM marks WHERE ((m).value IS NULL) <> ((m).status <> 'ok')
                                          OR (m).legs_quoted + cardinality((m).legs_missing) <> (SELECT count(*) FROM book b, legs(b.s) WHERE b.p = marks.p)),
          0::bigint, 'value is NULL exactly when the status is not ok; quoted + missing = the legs');

-- market vols: each option leg's mid through implied_vol, 0 for stock
CREATE TEMP TABLE mv AS
SELECT b.p, market_vols(b.s, c.cp, c.strike, c.expiry_ts, c.bid, c.ask, 5800, c.quote_ts, 0.045, 0.013) AS v,
       market_greeks(b.s, c.cp, c.strike, c.expiry_ts, c.bid, c.ask, 5800, c.quote_ts, 0.045, 0.013) AS g,
       market_greeks_status(b.s, c.cp, c.strike, c.expiry_ts, c.bid, c.ask, 5800, c.quote_ts, 0.045, 0.013) AS st
FROM book b, chain c GROUP BY b.p;
CREATE TEMP TABLE mv_hand AS
SELECT b.p, array_agg(CASE WHEN l.kind = 'U' THEN 0
                           WHEN c.bid <= c.ask THEN implied_vol((c.bid + c.ask) / 2, l.kind, 5800, l.strike,
                                                                year_frac('2025-09-15 14:30+00', l.expiry), 0.045, 0.013) END
                      ORDER BY l.leg) AS v
FROM book b CROSS JOIN LATERAL legs(b.s) l
LEFT JOIN chain c ON c.cp = l.kind AND (c.strike, c.expiry_ts) = (l.strike, l.expiry)
GROUP BY b.p;
SELECT is((SELECT count(*) FROM mv JOIN mv_hand h USING (p) WHERE mv.v IS DISTINCT FROM h.v), 0::bigint,
          'market_vols equals implied_vol of each mid, leg by leg, NULLs in place (300 positions)');
SELECT is((SELECT count(*) FROM mv WHERE (g IS NULL) <> (array_position(v, NULL) IS NOT NULL)
                                      OR (g IS NULL) <> (st <> 'ok')), 0::bigint,
          'market_greeks is NULL exactly when a vol is, and the status says so');
SELECT is((SELECT count(*) FROM mv JOIN book b USING (p)
           WHERE g IS NOT NULL AND g <> strategy_greeks(b.s, 5800, '2025-09-15 14:30+00', v, 0.045, 0.013)), 0::bigint,
          'market_greeks equals strategy_greeks at those vols, bit for bit');
SELECT cmp_ok((SELECT count(*) FROM mv WHERE g IS NOT NULL), '>', 50::bigint, 'enough positions with Greeks');

-- the break-even distance against the break-evens and year_frac, at one vol
SELECT is((SELECT count(*) FROM book b, (VALUES (5500.0), (5800.0), (6100.0)) x(spot),
                LATERAL (SELECT breakeven_distance(b.s, x.spot, '2025-09-15 14:30+00', 0.16, 0.045, 0.013) AS d,
                                (SELECT min(abs(ln(be / x.spot))) FILTER (WHERE be > 0) FROM unnest(breakevens(b.s, '2025-09-15 14:30+00', 0.16, 0.045, 0.013)) be)
                                / (0.16 * sqrt(year_frac('2025-09-15 14:30+00', (SELECT min(expiry) FROM legs(b.s) WHERE kind <> 'U')))) AS near,
                                payoff(b.s, x.spot, '2025-09-15 14:30+00', 0.16, 0.045, 0.013) AS pnl) y
           WHERE EXISTS (SELECT FROM legs(b.s) WHERE kind <> 'U')
             AND NOT (y.d = CASE WHEN y.near IS NULL THEN CASE WHEN y.pnl < 0 THEN '-Infinity' ELSE 'Infinity' END::float8
                                 WHEN y.near = 0 THEN 0 WHEN y.pnl < 0 THEN -y.near ELSE y.near END
                      OR abs(y.d - CASE WHEN y.pnl < 0 THEN -y.near ELSE y.near END) <= 1e-12 * abs(y.d))), 0::bigint,
          'breakeven_distance equals the nearest break-even over vol sqrt t, signed by the P&L (900 cases)');

-- time value: the model value less the intrinsic values, and the sum of the legs
SELECT is((SELECT count(*) FROM book b
           WHERE abs(extrinsic(b.s, 5800, '2025-09-15 14:30+00', 0.2, 0.045, 0.013)
                     - (strategy_value(b.s, 5800, '2025-09-15 14:30+00', 0.2, 0.045, 0.013)
                        - (SELECT sum(l.qty * l.multiplier * CASE l.kind WHEN 'C' THEN greatest(5800 - l.strike, 0)
                                                                       WHEN 'P' THEN greatest(l.strike - 5800, 0) ELSE 5800 END)
                           FROM legs(b.s) l))) > 1e-9 * (1 + abs(strategy_value(b.s, 5800, '2025-09-15 14:30+00', 0.2, 0.045, 0.013)))),
          0::bigint, 'extrinsic = strategy_value - intrinsic values (300 positions, 1e-9)');
SELECT is((SELECT count(*) FROM book b
           WHERE abs(extrinsic(b.s, 5800, '2025-09-15 14:30+00', 0.2, 0.045, 0.013)
                     - (SELECT sum(position_extrinsic) FROM leg_extrinsic(b.s, 5800, '2025-09-15 14:30+00', 0.2, 0.045, 0.013)))
                 > 1e-9 * (1 + abs(extrinsic(b.s, 5800, '2025-09-15 14:30+00', 0.2, 0.045, 0.013)))),
          0::bigint, 'extrinsic = the sum of leg_extrinsic');

SELECT * FROM finish();
ROLLBACK;
