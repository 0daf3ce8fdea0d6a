-- pgTAP: the volatility dashboard against independent computations on the sample
-- history (data/market_history.sql, data/vol_history.sql: 295 end-of-day chains of six
-- expiries, 59,955 quotes, and daily SPX bars).
--
--   cm_vol, skew, delta_vol   plain SQL re-implementations (GROUP BY, array_agg), and
--                             the definitions: Black-76 delta at the returned strikes,
--                             term_vol over the per-expiry ATM vols, the generating
--                             smile's exact ATM vol
--   realized vols             window-function re-implementations over the same frames
--   iv_rank, iv_percentile    a self-join over the same 252 rows
--   prob_itm                  -e^{rt} dC/dK by central differences of bs_price
--   prob_touch                the reflection principle at zero drift (2 x finishing
--                             beyond); Monte Carlo is in test/unit/test_prob.c
-- Each bar is written beside its check with the disagreement measured when it was set.
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT plan(23);
SET LOCAL TIME ZONE 'UTC';
\i data/market_history.sql
\i data/vol_history.sql

-- ---- cm_vol ----
-- the SQL version: each expiry's nodes (k = ln(K/F), variance averaged per strike), its
-- ATM variance from the nodes either side of k = 0, then linear in total variance
-- between the expiries either side of the target, flat outside
CREATE TEMP TABLE nodes AS
SELECT quote_ts, expiry_ts, forward, year_frac(quote_ts, expiry_ts) AS t,
       ln(strike / forward) AS k, avg(iv * iv) AS v
FROM spx_eod GROUP BY quote_ts, expiry_ts, forward, strike;
CREATE INDEX ON nodes (quote_ts, expiry_ts, k);
ANALYZE nodes;
CREATE TEMP TABLE atm_sql AS
SELECT quote_ts, expiry_ts, t,
       CASE WHEN k_hi = k_lo THEN v_lo ELSE v_lo + (v_hi - v_lo) * (0 - k_lo) / (k_hi - k_lo) END AS v0
FROM (SELECT quote_ts, expiry_ts, t,
             (array_agg(k ORDER BY k DESC) FILTER (WHERE k <= 0))[1] AS k_lo,
             (array_agg(v ORDER BY k DESC) FILTER (WHERE k <= 0))[1] AS v_lo,
             (array_agg(k ORDER BY k) FILTER (WHERE k >= 0))[1] AS k_hi,
             (array_agg(v ORDER BY k) FILTER (WHERE k >= 0))[1] AS v_hi
      FROM nodes GROUP BY quote_ts, expiry_ts, t) b
WHERE k_lo IS NOT NULL AND k_hi IS NOT NULL;
CREATE TEMP TABLE targets AS SELECT unnest(ARRAY[3, 7, 30, 45, 60, 90]::float8[]) AS target;
CREATE TEMP TABLE cm_sql AS
SELECT quote_ts, target,
       CASE WHEN t_lo IS NULL THEN sqrt(v_hi) WHEN t_hi IS NULL OR t_hi = t_lo THEN sqrt(v_lo)
            ELSE sqrt((v_lo * t_lo + (v_hi * t_hi - v_lo * t_lo) * (target / 365.0 - t_lo) / (t_hi - t_lo))
                      / (target / 365.0)) END AS vol
FROM (SELECT quote_ts, target,
             (array_agg(t ORDER BY t DESC) FILTER (WHERE t <= target / 365.0))[1] AS t_lo,
             (array_agg(v0 ORDER BY t DESC) FILTER (WHERE t <= target / 365.0))[1] AS v_lo,
             (array_agg(t ORDER BY t) FILTER (WHERE t >= target / 365.0))[1] AS t_hi,
             (array_agg(v0 ORDER BY t) FILTER (WHERE t >= target / 365.0))[1] AS v_hi
      FROM atm_sql, targets GROUP BY quote_ts, target) b;
CREATE TEMP TABLE cm_c AS
SELECT quote_ts, target, cm_vol(quote_ts, expiry_ts, strike, forward, iv, target) AS vol,
       cm_vol(year_frac(quote_ts, expiry_ts), strike, forward, iv, target) AS vol_t
FROM spx_eod, targets GROUP BY quote_ts, target;

SELECT is((SELECT count(*) FROM cm_c c JOIN cm_sql s USING (quote_ts, target)), 1770::bigint,
          'cm_vol: 295 quote times x 6 targets, each with a value');
-- measured 4.4e-16: the two round the interpolation differently
SELECT ok((SELECT max(abs(c.vol / s.vol - 1)) FROM cm_c c JOIN cm_sql s USING (quote_ts, target)) < 1e-14,
          'cm_vol equals the SQL re-implementation to 1e-14 relative');
SELECT is((SELECT count(*) FROM cm_c WHERE vol IS DISTINCT FROM vol_t), 0::bigint,
          'cm_vol over (as_of, expiry) and over t give the same bits');
-- The generator's ATM vol is exact: atm(t) = vix/100 + (0.16 - vix/100)(1 - e^{-4t}).
-- Linear interpolation in variance between strikes 50 points apart misses the smile's
-- curvature at the money by v'' dk^2/8: measured 2.1e-4 in vol at 30 days and beyond
-- (2.0e-3 at 3 days, where the smile is sharpest).
SELECT ok((SELECT max(abs(c.vol - x.vol))
           FROM cm_c c
           JOIN (SELECT quote_ts, target,
                        CASE WHEN t_hi IS NULL THEN a_lo WHEN t_hi = t_lo THEN a_lo
                             ELSE sqrt((a_lo ^ 2 * t_lo + (a_hi ^ 2 * t_hi - a_lo ^ 2 * t_lo)
                                        * (target / 365.0 - t_lo) / (t_hi - t_lo)) / (target / 365.0)) END AS vol
                 FROM (SELECT quote_ts, target,
                              (array_agg(t ORDER BY t DESC) FILTER (WHERE t <= target / 365.0))[1] AS t_lo,
                              (array_agg(a ORDER BY t DESC) FILTER (WHERE t <= target / 365.0))[1] AS a_lo,
                              (array_agg(t ORDER BY t) FILTER (WHERE t >= target / 365.0))[1] AS t_hi,
                              (array_agg(a ORDER BY t) FILTER (WHERE t >= target / 365.0))[1] AS a_hi
                       FROM (SELECT e.quote_ts, e.t, d.vix / 100 + (0.16 - d.vix / 100) * (1 - exp(-4 * e.t)) AS a
                             FROM atm_sql e JOIN daily d
                               ON d.day = (e.quote_ts AT TIME ZONE 'America/New_York')::date) x, targets
                       WHERE target >= 30
                       GROUP BY quote_ts, target) b) x USING (quote_ts, target)) < 3e-4,
          'IV30 .. IV90 within 3e-4 of the generating smile''s exact ATM vol');

-- ---- skew, delta_vol ----
CREATE TEMP TABLE sk AS
SELECT quote_ts, expiry_ts, forward, year_frac(quote_ts, expiry_ts) AS t,
       skew(strike, iv, forward, year_frac(quote_ts, expiry_ts)) AS s,
       delta_vol(strike, iv, forward, year_frac(quote_ts, expiry_ts), -0.25) AS p25,
       delta_vol(strike, iv, forward, year_frac(quote_ts, expiry_ts), 0.25) AS c25,
       delta_vol(strike, iv, forward, year_frac(quote_ts, expiry_ts), -0.10) AS p10
FROM spx_eod GROUP BY quote_ts, expiry_ts, forward;
-- the smile in SQL at one point: linear in variance between the nodes either side, flat
-- outside
CREATE FUNCTION pg_temp.smile_vol(q timestamptz, e timestamptz, x float8) RETURNS float8
LANGUAGE sql STABLE AS $$
	SELECT sqrt(CASE WHEN lo.k IS NULL THEN hi.v WHEN hi.k IS NULL OR hi.k = lo.k THEN lo.v
					 ELSE lo.v + (hi.v - lo.v) * (x - lo.k) / (hi.k - lo.k) END)
	FROM (SELECT max(k) FILTER (WHERE k <= x) AS k_lo, min(k) FILTER (WHERE k >= x) AS k_hi
		  FROM pg_temp.nodes WHERE quote_ts = q AND expiry_ts = e) b
	LEFT JOIN pg_temp.nodes lo ON (lo.quote_ts, lo.expiry_ts, lo.k) = (q, e, b.k_lo)
	LEFT JOIN pg_temp.nodes hi ON (hi.quote_ts, hi.expiry_ts, hi.k) = (q, e, b.k_hi) $$;

-- measured 3.8e-15 (put) and 7.3e-15 (call)
SELECT ok((SELECT max(greatest(abs((black76_greeks('P', forward, (s).put25_strike, t, (s).put25)).delta + 0.25),
                               abs((black76_greeks('C', forward, (s).call25_strike, t, (s).call25)).delta - 0.25)))
           FROM sk) < 1e-13,
          'skew: Black-76 forward delta at the 25-delta strikes under their vols is -0.25 and 0.25 (1e-13)');
-- measured 4.4e-15: the strike F e^k read back as ln(K/F) moves k by a few ulp
SELECT ok((SELECT max(greatest(abs((s).put25 / pg_temp.smile_vol(quote_ts, expiry_ts, ln((s).put25_strike / forward)) - 1),
                               abs((s).call25 / pg_temp.smile_vol(quote_ts, expiry_ts, ln((s).call25_strike / forward)) - 1)))
           FROM sk) < 1e-13,
          'skew: put25 and call25 are the SQL smile''s vols at their strikes (1e-13)');
-- measured 4.4e-16
SELECT ok((SELECT max(greatest(abs((s).atm / pg_temp.smile_vol(quote_ts, expiry_ts, 0) - 1),
                               abs((s).m90 / pg_temp.smile_vol(quote_ts, expiry_ts, ln(0.9)) - 1),
                               abs((s).m110 / pg_temp.smile_vol(quote_ts, expiry_ts, ln(1.1)) - 1)))
           FROM sk) < 1e-14,
          'skew: atm, m90 and m110 are the SQL smile''s vols at k = 0, ln 0.9, ln 1.1 (1e-14)');
SELECT is((SELECT count(*) FROM sk
           WHERE (s).rr25 <> (s).call25 - (s).put25 OR (s).bf25 <> ((s).call25 + (s).put25) / 2 - (s).atm
              OR (s).put25_strike >= forward OR (s).call25_strike <= forward), 0::bigint,
          'skew: rr25 = call25 - put25, bf25 = (call25 + put25)/2 - atm, put strike below F, call strike above');
SELECT is((SELECT count(*) FROM sk WHERE p25 IS DISTINCT FROM (s).put25 OR c25 IS DISTINCT FROM (s).call25), 0::bigint,
          'delta_vol at -0.25 and 0.25 gives skew''s put25 and call25');
-- any delta: the vol v returned for delta -0.10 puts the strike at k = v^2 t/2 - D v sqrt(t),
-- D = -N^-1(0.10) = 1.2815515655446004; there the SQL smile must give v back and
-- Black-76 the delta (measured 1.8e-15 at worst)
SELECT ok((SELECT max(greatest(abs(pg_temp.smile_vol(quote_ts, expiry_ts, k) / p10 - 1),
                               abs((black76_greeks('P', forward, forward * exp(k), t, p10)).delta + 0.10)))
           FROM sk, LATERAL (SELECT 0.5 * p10 * p10 * t - 1.2815515655446004 * p10 * sqrt(t) AS k) kk) < 1e-13,
          'delta_vol at -0.10: the SQL smile at the implied strike gives the vol back, with delta -0.10 (1e-13)');
-- the ATM vols of skew, interpolated in time by term_vol, are cm_vol (measured 4.4e-16)
SELECT ok((SELECT max(abs(tv / c.vol - 1))
           FROM (SELECT quote_ts, target, term_vol(t, (s).atm, target / 365.0) AS tv
                 FROM sk, targets GROUP BY quote_ts, target) x
           JOIN cm_c c USING (quote_ts, target)) < 1e-14,
          'term_vol over skew''s ATM vols equals cm_vol (1e-14)');

-- ---- realized vol ----
CREATE TEMP TABLE rv_c AS
SELECT day,
       realized_vol(day, close) OVER w AS cc, realized_vol(day, close, 252, true) OVER w AS cc0,
       realized_vol(day, close, 365) OVER w AS cc365,
       parkinson_vol(day, open, high, low, close) OVER w AS pk,
       garman_klass_vol(day, open, high, low, close) OVER w AS gk,
       rogers_satchell_vol(day, open, high, low, close) OVER w AS rs,
       yang_zhang_vol(day, open, high, low, close) OVER w AS yz
FROM spx_bars WINDOW w AS (ORDER BY day ROWS BETWEEN 20 PRECEDING AND CURRENT ROW);
-- per-bar terms, then window aggregates over the same 21 bars (20 returns: a return
-- needs its previous close inside the window); Yang-Zhang's k from the count of returns
CREATE TEMP TABLE rv_s AS
SELECT day,
       sqrt(var_samp(r) OVER w20 * 252) AS cc,
       sqrt(sum(r * r) OVER w20 / count(r) OVER w20 * 252) AS cc0,
       sqrt(var_samp(r) OVER w20 * 365) AS cc365,
       sqrt(sum(hl * hl) OVER w21 / (4 * ln(2) * count(*) OVER w21) * 252) AS pk,
       sqrt(avg(0.5 * hl * hl - (2 * ln(2) - 1) * co * co) OVER w21 * 252) AS gk,
       sqrt(avg(rs) OVER w21 * 252) AS rs,
       sqrt((var_samp(o) OVER w20 + k * var_samp(co) FILTER (WHERE o IS NOT NULL) OVER w20
             + (1 - k) * avg(rs) FILTER (WHERE o IS NOT NULL) OVER w20) * 252) AS yz
FROM (SELECT *, 0.34 / (1.34 + (count(o) OVER w20 + 1)::float8 / nullif(count(o) OVER w20 - 1, 0)) AS k
      FROM (SELECT day, ln(close / lag(close) OVER (ORDER BY day)) AS r,
                   ln(open / lag(close) OVER (ORDER BY day)) AS o,
                   ln(high / low) AS hl, ln(close / open) AS co,
                   ln(high / close) * ln(high / open) + ln(low / close) * ln(low / open) AS rs
            FROM spx_bars) b
      WINDOW w20 AS (ORDER BY day ROWS BETWEEN 19 PRECEDING AND CURRENT ROW)) x
WINDOW w20 AS (ORDER BY day ROWS BETWEEN 19 PRECEDING AND CURRENT ROW),
       w21 AS (ORDER BY day ROWS BETWEEN 20 PRECEDING AND CURRENT ROW);
-- measured 4.4e-16 at worst (PostgreSQL's var_samp accumulates by Youngs-Cramer, condor
-- in two passes)
SELECT ok((SELECT max(greatest(abs(c.cc / s.cc - 1), abs(c.cc0 / s.cc0 - 1), abs(c.cc365 / s.cc365 - 1)))
           FROM rv_c c JOIN rv_s s USING (day)) < 1e-13,
          'realized_vol (sample, zero-mean, 365 periods) equals var_samp of log returns over the window (1e-13)');
SELECT ok((SELECT max(greatest(abs(c.pk / s.pk - 1), abs(c.gk / s.gk - 1), abs(c.rs / s.rs - 1)))
           FROM rv_c c JOIN rv_s s USING (day)) < 1e-13,
          'parkinson_vol, garman_klass_vol, rogers_satchell_vol equal their SQL formulas (1e-13)');
SELECT ok((SELECT max(abs(c.yz / s.yz - 1)) FROM rv_c c JOIN rv_s s USING (day)) < 1e-13,
          'yang_zhang_vol equals its SQL formula (1e-13)');
SELECT is((SELECT count(*) FROM rv_c c JOIN rv_s s USING (day)
           WHERE (c.cc IS NULL) <> (s.cc IS NULL) OR (c.cc0 IS NULL) <> (s.cc0 IS NULL)
              OR (c.yz IS NULL) <> (s.yz IS NULL) OR c.pk IS NULL), 0::bigint,
          'the same rows are NULL (too few closes) in both');
-- any row order, the same bits
DO $$BEGIN PERFORM setseed(0.15); END$$;
SELECT is((SELECT realized_vol(day, close ORDER BY random()) FROM spx_bars),
          (SELECT realized_vol(day, close) FROM spx_bars),
          'realized_vol does not depend on row order');

-- ---- iv_rank, iv_percentile ----
CREATE TEMP TABLE iv30 AS SELECT quote_ts, vol AS iv FROM cm_c WHERE target = 30;
CREATE TEMP TABLE ivr_c AS
SELECT quote_ts, iv_rank(quote_ts, iv) OVER w AS rank, iv_percentile(quote_ts, iv) OVER w AS pct
FROM iv30 WINDOW w AS (ORDER BY quote_ts ROWS BETWEEN 251 PRECEDING AND CURRENT ROW);
CREATE TEMP TABLE ivr_s AS
SELECT a.quote_ts,
       (a.iv - min(b.iv)) / nullif(max(b.iv) - min(b.iv), 0) AS rank,
       (count(*) FILTER (WHERE b.iv < a.iv))::float8 / nullif(count(*) - 1, 0) AS pct
FROM (SELECT *, row_number() OVER (ORDER BY quote_ts) AS n FROM iv30) a
JOIN (SELECT *, row_number() OVER (ORDER BY quote_ts) AS n FROM iv30) b ON b.n BETWEEN a.n - 251 AND a.n
GROUP BY a.quote_ts, a.iv;
SELECT is((SELECT count(*) FROM ivr_c c JOIN ivr_s s USING (quote_ts)
           WHERE c.rank IS DISTINCT FROM s.rank OR c.pct IS DISTINCT FROM s.pct), 0::bigint,
          'iv_rank and iv_percentile over 252 rows equal a self-join over the same rows, bit for bit');

-- ---- probabilities ----
-- -e^{rt} dC/dK by central differences, h = 2e-5 K: the truncation error h^2 C'''/6
-- dominates, measured 1.1e-7 (one day to expiry, vol 8%)
SELECT ok((SELECT max(greatest(
             abs(prob_itm('C', 5800, k, t, v, 0.045, 0.013)
                 + exp(0.045 * t) * (bs_price('C', 5800, k * 1.00002, t, v, 0.045, 0.013)
                                     - bs_price('C', 5800, k * 0.99998, t, v, 0.045, 0.013)) / (0.00004 * k)),
             abs(prob_itm('P', 5800, k, t, v, 0.045, 0.013)
                 - exp(0.045 * t) * (bs_price('P', 5800, k * 1.00002, t, v, 0.045, 0.013)
                                     - bs_price('P', 5800, k * 0.99998, t, v, 0.045, 0.013)) / (0.00004 * k))))
           FROM generate_series(4800, 6800, 100) k,
                unnest(ARRAY[1 / 365.0, 7 / 365.0, 46 / 365.0, 0.5, 2]) t,
                unnest(ARRAY[0.08, 0.16, 0.4, 1.0]) v) < 5e-7,
          'prob_itm equals -e^{rt} dC/dK of bs_price (central differences, 5e-7)');
-- zero drift (r - q = vol^2/2): reflection, measured 9.9e-13 relative (exp of -x^2/2 at
-- x near 30 carries x^2 eps)
SELECT ok((SELECT max(abs(prob_touch(5800, l, t, v, 0.5 * v * v, 0) / (2 * p) - 1))
           FROM generate_series(4800, 6800, 100) l,
                unnest(ARRAY[1 / 365.0, 7 / 365.0, 46 / 365.0, 0.5, 2]) t,
                unnest(ARRAY[0.08, 0.16, 0.4, 1.0]) v,
                LATERAL (SELECT prob_itm(CASE WHEN l > 5800 THEN 'C' ELSE 'P' END, 5800, l, t, v,
                                         0.5 * v * v, 0) AS p) x
           WHERE l <> 5800 AND p > 0) < 1e-11,
          'prob_touch at zero drift is twice the probability of finishing beyond the level (1e-11)');
SELECT is((SELECT count(*)
           FROM generate_series(4800, 6800, 100) l,
                unnest(ARRAY[1 / 365.0, 46 / 365.0, 2]) t,
                unnest(ARRAY[0.08, 0.4]) v,
                unnest(ARRAY[-0.05, 0.045, 0.2]) r
           WHERE NOT (prob_touch(5800, l, t, v, r, 0.013)
                      >= prob_itm(CASE WHEN l >= 5800 THEN 'C' ELSE 'P' END, 5800, l, t, v, r, 0.013) - 1e-15
                      AND prob_touch(5800, l, t, v, r, 0.013) <= 1)), 0::bigint,
          'prob_touch is at least the probability of finishing beyond the level, at most 1');

-- short_strikes: each short leg's figures are prob_itm and prob_touch at year_frac
CREATE TEMP TABLE pos AS
SELECT '-1 P 5465 2025-10-31T20:00:00Z @ 33.55; 1 P 5415 2025-10-31T20:00:00Z @ 29.05; -2 C 6100 2025-10-31T20:00:00Z @ 10; 1 C 6150 2025-10-31T20:00:00Z @ 6; -1 P 5700 2025-09-12T20:00:00Z @ 3; 100 U @ 5800 x1'::strategy AS s;
SELECT is((SELECT count(*) FROM pos, short_strikes(s, 5800, '2025-09-15 14:30+00', 0.16, 0.045, 0.013) x
           JOIN legs((SELECT s FROM pos)) l USING (leg)
           WHERE x.prob_touch IS DISTINCT FROM prob_touch(5800, l.strike, greatest(0, year_frac('2025-09-15 14:30+00', l.expiry)), 0.16, 0.045, 0.013)
              OR x.prob_itm IS DISTINCT FROM prob_itm(l.kind, 5800, l.strike, greatest(0, year_frac('2025-09-15 14:30+00', l.expiry)), 0.16, 0.045, 0.013)
              OR x.qty >= 0), 0::bigint,
          'short_strikes gives prob_itm and prob_touch of each short leg at year_frac to its expiry');
SELECT is((SELECT string_agg(leg || ' ' || kind || ' ' || strike, ', ' ORDER BY leg)
           FROM pos, short_strikes(s, 5800, '2025-09-15 14:30+00', ARRAY[0.1, 0.11, 0.12, 0.13, 0.14, 0.15], 0.045, 0.013)),
          '1 C 6100, 3 P 5700, 5 P 5465',
          'short_strikes lists the short option legs only, in legs() order');
SELECT is((SELECT prob_touch FROM pos, short_strikes(s, 5800, '2025-09-15 14:30+00', ARRAY[0.1, 0.11, 0.12, 0.13, 0.14, 0.15], 0.045, 0.013)
           WHERE leg = 5),
          prob_touch(5800, 5465, year_frac('2025-09-15 14:30+00', '2025-10-31T20:00:00Z'), 0.14, 0.045, 0.013),
          'short_strikes with vols takes each leg''s own vol');

SELECT * FROM finish();
ROLLBACK;
