-- scripts/demo.sql -- what condor shows on the sample chain (run by scripts/demo).
\pset footer off
\echo
\echo '=== The sample chain: one quote time, SPXW expiries 0-90 days, VIX futures and options'
SELECT root, count(DISTINCT expiry) AS expiries, count(*) AS quotes,
       min(strike) AS min_strike, max(strike) AS max_strike, min(quote_ts) AS quote_ts
FROM spx_chain GROUP BY root
UNION ALL
SELECT 'VIX', count(DISTINCT expiry), count(*), min(strike), max(strike), min(quote_ts)
FROM vix_chain;

\echo
\echo '=== Implied vols from the quotes (bid, mid, ask) and a status for quotes with none'
CREATE TEMP VIEW chain_iv AS
SELECT c.*, year_frac(c.quote_ts, c.expiry_ts) AS t, m.r, m.q,
       implied_vol((c.bid + c.ask) / 2, c.cp, c.spot, c.strike, year_frac(c.quote_ts, c.expiry_ts), m.r, m.q) AS iv_mid
FROM spx_chain c JOIN market m USING (quote_ts);
SELECT implied_vol_status(bid, cp, spot, strike, year_frac(quote_ts, expiry_ts), 0.045, 0.013) AS bid_status,
       count(*) AS quotes
FROM spx_chain GROUP BY 1 ORDER BY 2 DESC;

\echo
\echo '=== The smile per expiry: out-of-the-money mid vols at a few moneyness points'
SELECT expiry, (expiry - date '2025-09-15') AS dte,
       round(max(iv_mid) FILTER (WHERE cp = 'P' AND strike = 5220)::numeric, 4) AS put_90pct,
       round(max(iv_mid) FILTER (WHERE cp = 'P' AND strike = 5510)::numeric, 4) AS put_95pct,
       round(max(iv_mid) FILTER (WHERE cp = 'C' AND strike = 5800)::numeric, 4) AS atm,
       round(max(iv_mid) FILTER (WHERE cp = 'C' AND strike = 6090)::numeric, 4) AS call_105pct
FROM chain_iv WHERE expiry IN ('2025-09-15', '2025-09-19', '2025-10-03', '2025-10-31', '2025-12-12')
GROUP BY expiry ORDER BY expiry;

\echo
\echo '=== Greeks for the ~45-day SPXW expiry near the money, at the implied mid vols (vega per vol point, theta per day)'
SELECT c.expiry, c.cp, c.strike, c.bid, c.ask, round(c.iv_mid::numeric, 4) AS iv_mid,
       round(g.delta::numeric, 4) AS delta,
       round(g.gamma::numeric, 6) AS gamma, round(g.vega::numeric, 3) AS vega,
       round(g.theta::numeric, 3) AS theta
FROM chain_iv c,
     LATERAL bs_greeks(c.cp, c.spot, c.strike, c.t, c.iv_mid, r => c.r, q => c.q) g
WHERE c.expiry = (SELECT expiry FROM spx_expiries ORDER BY abs(expiry - date '2025-09-15' - 45) LIMIT 1)
  AND c.strike BETWEEN 5650 AND 5950 AND c.strike::int % 50 = 0
ORDER BY c.cp, c.strike;

\echo
\echo '=== 0DTE: time measured in minutes to the 16:00 close'
SELECT c.cp, c.strike, round((year_frac(c.quote_ts, c.expiry_ts) * 525600)::numeric) AS minutes,
       c.bid, c.ask, round(g.delta::numeric, 4) AS delta, round(g.gamma::numeric, 5) AS gamma,
       round(g.theta::numeric, 2) AS theta_per_day
FROM spx_chain c
JOIN market m USING (quote_ts),
     LATERAL bs_greeks(c.cp, c.spot, c.strike, year_frac(c.quote_ts, c.expiry_ts), c.iv, m.r, m.q) g
WHERE c.expiry = date '2025-09-15' AND c.strike IN (5750, 5800, 5850)
ORDER BY c.cp, c.strike;

\echo
\echo '=== VIX options with Black-76 off the VIX future (delta with respect to the future)'
SELECT v.expiry, v.future, v.cp, v.strike, v.bid, v.ask, round(v.iv::numeric, 3) AS iv,
       round(g.delta::numeric, 4) AS delta, round(g.vega::numeric, 4) AS vega
FROM vix_chain v
JOIN market m USING (quote_ts),
     LATERAL black76_greeks(v.cp, v.future, v.strike, year_frac(v.quote_ts, v.expiry_ts), v.iv, m.r) g
WHERE v.cp = 'C' AND v.strike IN (18, 20, 25, 30)
ORDER BY v.expiry, v.strike;

\echo
\echo '=== A position: short the 45-day 6000/6100 call spread and 5600/5500 put spread, 10 lots'
WITH legs(qty, cp, strike) AS (VALUES (-10, 'C', 6000.0), (10, 'C', 6100.0),
                                      (-10, 'P', 5600.0), (10, 'P', 5500.0))
SELECT round((p).price::numeric, 0) AS value, round((p).delta::numeric, 2) AS delta,
       round((p).gamma::numeric, 4) AS gamma, round((p).vega::numeric, 0) AS vega_per_pt,
       round((p).theta::numeric, 0) AS theta_per_day
FROM (SELECT greeks_total(g * (l.qty * 100.0)) AS p
      FROM legs l
      JOIN spx_chain c ON c.cp = l.cp AND c.strike = l.strike
      JOIN market m USING (quote_ts),
           LATERAL bs_greeks(c.cp, c.spot, c.strike, year_frac(c.quote_ts, c.expiry_ts), c.iv, m.r, m.q) g
      WHERE c.expiry = (SELECT expiry FROM spx_expiries ORDER BY abs(expiry - date '2025-09-15' - 45) LIMIT 1)) s;

\echo
\echo '=== The 16-delta, 50-point-wide iron condor of the ~45-day expiry, filled at mid'
CREATE TEMP TABLE condor45 AS
SELECT iron_condor(c.expiry_ts, c.cp, c.strike, c.bid, c.ask, g.delta) AS s
FROM chain_iv c, LATERAL bs_greeks(c.cp, c.spot, c.strike, c.t, c.iv_mid, c.r, c.q) g
WHERE c.expiry = (SELECT expiry FROM spx_expiries ORDER BY abs(expiry - date '2025-09-15' - 45) LIMIT 1);
SELECT leg, qty, kind, strike, premium FROM condor45, legs(s);
SELECT round(net_premium(s)::numeric, 2) AS credit, breakevens(s), round(max_profit(s)::numeric, 2) AS max_profit,
       round(max_loss(s)::numeric, 2) AS max_loss,
       round(pop(s, 5800, m.quote_ts, 0.14, m.r, m.q)::numeric, 4) AS pop,
       round(expected_move(5800, 0.14, 46 / 365.0)::numeric, 1) AS one_sd_move
FROM condor45, market m;
\echo 'its dollar Greeks (per-leg implied vols, in legs() order)'
SELECT round((g).delta::numeric, 2) AS delta, round((g).gamma::numeric, 4) AS gamma,
       round((g).vega::numeric, 2) AS vega_per_point, round((g).theta::numeric, 2) AS theta_per_day
FROM (SELECT strategy_greeks(s, 5800, m.quote_ts,
                             (SELECT array_agg(c.iv_mid ORDER BY l.leg) FROM legs(s) l
                              JOIN chain_iv c ON c.strike = l.strike AND c.cp = l.kind AND c.expiry_ts = l.expiry),
                             m.r, m.q) AS g
      FROM condor45, market m) x;
\echo 'its risk graph: P&L at expiry and today (flat 14% vol)'
SELECT spot, round(pnl_expiry::numeric) AS pnl_expiry, round(pnl_now::numeric) AS pnl_now
FROM condor45, market m, risk_graph(s, 5800, m.quote_ts, 0.14, m.r, m.q, 5300, 6300, 10);
\echo 'the wing test as SPX rallies: act at 0.8'
SELECT spot, round(wing_test(s, spot)::numeric, 2) AS wing_test
FROM condor45, unnest(ARRAY[5900, 6085, 6110, 6125, 6135]::float8[]) spot;

\echo
\echo '=== A 0DTE condor: time in minutes to the 16:00 close'
WITH c0 AS (
	SELECT iron_condor(c.expiry_ts, c.cp, c.strike, c.bid, c.ask, g.delta, 0.10, 25) AS s
	FROM chain_iv c, LATERAL bs_greeks(c.cp, c.spot, c.strike, c.t, c.iv_mid, c.r, c.q) g
	WHERE c.expiry = date '2025-09-15' AND c.iv_mid IS NOT NULL)
SELECT s, round((year_frac(m.quote_ts, expiry_ts('2025-09-15')) * 525600)::numeric) AS minutes,
       round(net_premium(s)::numeric, 2) AS credit, breakevens(s), max_loss(s),
       round(pop(s, 5800, m.quote_ts, 0.12, m.r, m.q)::numeric, 4) AS pop
FROM c0, market m;

\echo
\echo '=== The VIX-style index of the sample chain (Cboe methodology) and its audit lines'
SELECT round(vix_index(quote_ts, expiry_ts, cp, strike, bid, ask, 0.045)::numeric, 4) AS vix,
       round(vix_index(quote_ts, expiry_ts, cp, strike, bid, ask, 0.045, 9)::numeric, 4) AS vix9d
FROM spx_chain;
SELECT t.expiry, round(t.minutes::numeric) AS minutes, round(t.forward::numeric, 4) AS forward, t.k0,
       t.strikes, round(t.variance::numeric, 6) AS variance, round(t.weight::numeric, 4) AS weight
FROM (SELECT vix_terms(quote_ts, expiry_ts, cp, strike, bid, ask, 0.045) AS terms FROM spx_chain) v,
     unnest(v.terms) t;

\echo
\echo '=== The forward, discount and rate implied by put-call parity, per expiry'
SELECT c.expiry, round(f.forward::numeric, 3) AS forward, round(f.rate::numeric, 5) AS rate,
       round(f.dividend_yield::numeric, 5) AS yield, f.strikes_used
FROM (SELECT c.expiry, implied_forward(c.strike, (c.bid + c.ask) / 2, (p.bid + p.ask) / 2,
                                       year_frac(c.quote_ts, c.expiry_ts), 5800) AS f
      FROM spx_chain c JOIN spx_chain p USING (quote_ts, expiry, strike)
      WHERE c.cp = 'C' AND p.cp = 'P' AND c.bid > 0 AND p.bid > 0 AND c.expiry > date '2025-09-19'
      GROUP BY c.expiry) c, LATERAL (SELECT (c.f).*) f
ORDER BY c.expiry LIMIT 6;

\echo
\echo '=== The fitted smile (raw SVI) of the ~45-day expiry, from out-of-the-money mid vols'
SELECT round(a::numeric, 6) AS a, round(b::numeric, 6) AS b, round(rho::numeric, 4) AS rho,
       round(m::numeric, 4) AS m, round(sigma::numeric, 4) AS sigma, round(rmse::numeric, 8) AS rmse,
       butterfly_free
FROM (SELECT (svi_fit(ln(strike / (spot * exp((r - q) * t))), iv_mid * iv_mid * t)).*
      FROM chain_iv
      WHERE expiry = (SELECT expiry FROM spx_expiries ORDER BY abs(expiry - date '2025-09-15' - 45) LIMIT 1)
        AND iv_mid IS NOT NULL AND bid > 0
        AND ((cp = 'P' AND strike < 5800) OR (cp = 'C' AND strike >= 5800))) f;

\echo
\echo '=== The volatility dashboard of the sample chain: IV30 and the skew of each expiry (25-delta risk reversal and butterfly)'
SELECT round(cm_vol(quote_ts, expiry_ts, strike, spot * exp((r - q) * t), iv_mid, 30)::numeric, 4) AS iv30,
       round(cm_vol(quote_ts, expiry_ts, strike, spot * exp((r - q) * t), iv_mid, 60)::numeric, 4) AS iv60,
       round(cm_vol(quote_ts, expiry_ts, strike, spot * exp((r - q) * t), iv_mid, 90)::numeric, 4) AS iv90
FROM chain_iv WHERE bid > 0;
SELECT expiry, (expiry - date '2025-09-15') AS dte, round((s).atm::numeric, 4) AS atm,
       round((s).put25::numeric, 4) AS put25, round((s).call25::numeric, 4) AS call25,
       round((s).rr25::numeric, 4) AS rr25, round((s).bf25::numeric, 4) AS bf25
FROM (SELECT expiry, skew(strike, iv_mid, spot * exp((r - q) * t), t) AS s
      FROM chain_iv WHERE bid > 0 AND expiry > date '2025-09-15'
      GROUP BY expiry) x
WHERE expiry IN ('2025-09-19', '2025-09-26', '2025-10-03', '2025-10-17', '2025-10-31', '2025-11-28', '2025-12-12')
ORDER BY expiry;
\echo 'realized vol of the SPX history (close to close over the 20 sessions to the quote day) and where the VIX stands in its trailing year'
SELECT d.day, d.spx, d.vix,
       round((realized_vol(d.day, d.spx) OVER w20)::numeric, 4) AS rv20,
       round((iv_rank(d.day, d.vix) OVER year)::numeric, 3) AS vix_iv_rank,
       round((iv_percentile(d.day, d.vix) OVER year)::numeric, 3) AS vix_iv_percentile
FROM daily d
WHERE d.day <= '2025-09-15'
WINDOW w20 AS (ORDER BY d.day ROWS BETWEEN 20 PRECEDING AND CURRENT ROW),
       year AS (ORDER BY d.day ROWS BETWEEN 251 PRECEDING AND CURRENT ROW)
ORDER BY d.day DESC LIMIT 3;
\echo 'the 45-day condor''s short strikes: probability of finishing in the money and of being touched, each at its own implied vol'
SELECT leg, kind, strike, round(t::numeric, 4) AS t, round(prob_itm::numeric, 4) AS prob_itm,
       round(prob_touch::numeric, 4) AS prob_touch
FROM condor45, market m,
     short_strikes(s, m.spx, m.quote_ts,
                   (SELECT array_agg(c.iv_mid ORDER BY l.leg) FROM legs(s) l
                    JOIN chain_iv c ON c.strike = l.strike AND c.cp = l.kind AND c.expiry_ts = l.expiry),
                   m.r, m.q);

\echo
\echo '=== The SSVI surface of the whole chain (Gatheral-Jacquier; out-of-the-money mid vols of every expiry, fitted arbitrage-free)'
CREATE TEMP TABLE surface AS
SELECT ssvi_fit(quote_ts, expiry_ts, ln(strike / (spot * exp((r - q) * t))), iv_mid * iv_mid * t) AS f,
       ssvi_fit_status(quote_ts, expiry_ts, ln(strike / (spot * exp((r - q) * t))), iv_mid * iv_mid * t) AS status
FROM chain_iv
WHERE iv_mid IS NOT NULL AND bid > 0 AND ((cp = 'P' AND strike < spot) OR (cp = 'C' AND strike >= spot));
SELECT status, round((f).rho::numeric, 4) AS rho, round((f).eta::numeric, 4) AS eta,
       round((f).gamma::numeric, 4) AS gamma, cardinality((f).t) AS expiries,
       round((f).rmse::numeric, 6) AS rmse_total_var,
       ssvi_calendar_free(f) AS calendar_free, ssvi_butterfly_free(f) AS butterfly_free
FROM surface;
\echo 'the surface against the market: mid vols and SSVI vols near 90%, 95%, 100% and 103% of the forward; then the ATM vol at any date'
SELECT c.expiry, (c.expiry - date '2025-09-15') AS dte, round(100 * c.strike / c.fwd) AS pct_fwd,
       round(c.iv_mid::numeric, 4) AS market, round(ssvi_vol(f, ln(c.strike / c.fwd), c.t)::numeric, 4) AS ssvi
FROM surface,
     (SELECT expiry, strike, iv_mid, t, spot * exp((r - q) * t) AS fwd, cp, spot
      FROM chain_iv WHERE iv_mid IS NOT NULL AND bid > 0) c
WHERE c.expiry IN ('2025-09-19', '2025-10-31', '2025-12-12')
  AND ((c.cp = 'P' AND c.strike < c.spot) OR (c.cp = 'C' AND c.strike >= c.spot))
  AND c.strike IN (SELECT DISTINCT ON (p) strike FROM chain_iv x, unnest(ARRAY[0.90, 0.95, 1.0, 1.03]) p
                   WHERE x.expiry = c.expiry ORDER BY p, abs(x.strike - p * x.spot * exp((x.r - x.q) * x.t)))
ORDER BY c.expiry, c.strike;
SELECT d AS days, round(ssvi_vol(f, 0, d / 365.0)::numeric, 4) AS atm_vol
FROM surface, unnest(ARRAY[1, 10, 30, 60, 120]) d;

\echo
\echo '=== A small SPY chain (American): implied vols that respect early exercise, and what early exercise is worth'
CREATE TEMP TABLE spy AS
SELECT cp, k::float8 AS strike, d AS days,
       round((american_price(cp, 600, k, d / 365.0, 0.17 + 0.4 * ln(600.0 / k) ^ 2 - 0.08 * ln(k / 600.0), 0.045, 0.012) - 0.02)::numeric, 2)::float8 AS bid,
       round((american_price(cp, 600, k, d / 365.0, 0.17 + 0.4 * ln(600.0 / k) ^ 2 - 0.08 * ln(k / 600.0), 0.045, 0.012) + 0.02)::numeric, 2)::float8 AS ask
FROM (VALUES ('P'), ('C')) c(cp), generate_series(560, 640, 20) k, (VALUES (30), (120)) d(d);
SELECT cp, strike, days, bid, ask,
       round(american_implied_vol((bid + ask) / 2, cp, 600, strike, days / 365.0, 0.045, 0.012)::numeric, 4) AS iv_american,
       round(implied_vol((bid + ask) / 2, cp, 600, strike, days / 365.0, 0.045, 0.012)::numeric, 4) AS iv_if_european,
       round(early_exercise_premium(cp, 600, strike, days / 365.0,
             american_implied_vol((bid + ask) / 2, cp, 600, strike, days / 365.0, 0.045, 0.012), 0.045, 0.012)::numeric, 4) AS early_exercise_premium
FROM spy ORDER BY cp DESC, days, strike;

\echo
\echo '=== The VIX hedge layer for the 45-day condor: October VIX calls at 35% of its vega'
SELECT v.strike, v.ask, round(g.delta::numeric, 4) AS delta,
       round(vix_hedge((cg).vega, g.delta, 0.35)::numeric, 2) AS contracts_35pct,
       round(vix_hedge((cg).vega, g.delta, 0.40)::numeric, 2) AS contracts_40pct
FROM vix_chain v,
     (SELECT strategy_greeks(s, 5800, m.quote_ts, 0.14, m.r, m.q) AS cg FROM condor45, market m) c,
     LATERAL black76_greeks('C', v.future, v.strike, year_frac(v.quote_ts, v.expiry_ts), v.iv, 0.045) g
WHERE v.expiry = '2025-10-22' AND v.cp = 'C' AND v.strike IN (18, 20, 22)
ORDER BY v.strike;

\echo
\echo '=== Signals today: RSI(14) and MACD(12, 26, 9) of the VIX over the last sessions of the history'
SELECT day, vix, round(rsi14::numeric, 2) AS rsi14, round((m).macd::numeric, 3) AS macd,
       round((m).signal::numeric, 3) AS signal, round((m).histogram::numeric, 3) AS histogram
FROM (SELECT day, vix, rsi(vix) OVER w AS rsi14, macd(vix) OVER w AS m
      FROM daily WINDOW w AS (ORDER BY day)) s
WHERE day BETWEEN '2025-09-09' AND '2025-09-15' ORDER BY day;
