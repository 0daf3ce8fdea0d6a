-- The README's examples, run as written on the sample chain (keep the two in step).
SET TIME ZONE 'UTC';
\set QUIET on
\i data/sample_chain.sql
\set QUIET off

-- 1. implied vols from the quotes
CREATE VIEW chain_iv AS
SELECT c.*, year_frac(c.quote_ts, c.expiry_ts) AS t,
       implied_vol((c.bid + c.ask) / 2, c.cp, c.spot, c.strike,
                   year_frac(c.quote_ts, c.expiry_ts), r => 0.045, q => 0.013) AS iv_mid
FROM spx_chain c;

SELECT cp, strike, bid, ask, round(iv_mid::numeric, 4) AS iv_mid
FROM chain_iv WHERE expiry = '2025-10-31' AND strike IN (5400, 5600, 5800, 6000, 6100)
  AND ((cp = 'P' AND strike < 5800) OR (cp = 'C' AND strike >= 5800))
ORDER BY strike;

-- 2. the 16-delta, 50-point iron condor of the 46-day expiry
CREATE TABLE condor AS
SELECT iron_condor(expiry_ts, cp, strike, bid, ask,
                   (bs_greeks(cp, spot, strike, t, iv_mid, 0.045, 0.013)).delta) AS s
FROM chain_iv WHERE expiry = '2025-10-31' AND iv_mid IS NOT NULL;

SELECT leg, qty, kind, strike, premium FROM condor, legs(s);

SELECT round(net_premium(s)::numeric, 2) AS credit, breakevens(s),
       round(max_loss(s)::numeric, 2) AS max_loss,
       round(pop(s, 5800, '2025-09-15 14:30+00', 0.14, 0.045, 0.013)::numeric, 3) AS pop
FROM condor;

-- 3. its Greeks in dollars, each leg at the vol its own quote implies, in one call
CREATE TABLE condor_greeks AS
SELECT market_greeks(s, c.cp, c.strike, c.expiry_ts, c.bid, c.ask, c.spot, c.quote_ts, 0.045, 0.013) AS g
FROM condor, spx_chain c
GROUP BY s;
-- the same as the vols gathered by hand, in legs() order
SELECT g = strategy_greeks(s, 5800, '2025-09-15 14:30+00',
                           (SELECT array_agg(c.iv_mid ORDER BY l.leg)
                            FROM legs(s) l JOIN chain_iv c
                              ON (c.cp, c.strike, c.expiry_ts) = (l.kind, l.strike, l.expiry)),
                           0.045, 0.013) AS same_as_by_hand
FROM condor, condor_greeks;
SELECT round((g).delta::numeric, 2) AS delta, round((g).vega::numeric, 2) AS vega,
       round((g).theta::numeric, 2) AS theta
FROM condor_greeks;

-- 4. the VIX hedge: calls on the October VIX future sized to cover 35% of that vega
SELECT v.strike, v.ask, round(g.delta::numeric, 4) AS delta,
       round((0.35 * abs((cg.g).vega) / (100 * g.delta))::numeric, 2) AS contracts
FROM vix_chain v, condor_greeks cg,
     LATERAL black76_greeks('C', v.future, v.strike, year_frac(v.quote_ts, v.expiry_ts), v.iv, 0.045) g
WHERE v.expiry = '2025-10-22' AND v.cp = 'C' AND v.strike IN (18, 20, 22)
ORDER BY v.strike;

-- 5. is the call side pressed?  wing_test >= 0.8 is the users' rule to act
SELECT spot, round(wing_test(s, spot)::numeric, 2) AS wing_test
FROM condor, unnest(ARRAY[5800, 6085, 6125]::float8[]) spot;

-- Reference examples
SELECT round(bs_price('C', 5800, 5900, 45/365.0, 0.16, r => 0.045, q => 0.013)::numeric, 4) AS bs,
       round(black76_price('C', 18.5, 22, 35/365.0, 0.95, r => 0.045)::numeric, 4) AS b76,
       round(bachelier_price('P', -0.0025, 0.0010, 1, 0.0080)::numeric, 6) AS bach;

SELECT cp, strike, round((g).price::numeric, 2) AS price, round((g).delta::numeric, 4) AS delta,
       round((g).charm::numeric, 6) AS charm
FROM (SELECT cp, strike, bs_greeks(cp, spot, strike, t, iv_mid, r => 0.045, q => 0.013) AS g
      FROM chain_iv WHERE expiry = '2025-10-31' AND strike = 5800 OFFSET 0) s
ORDER BY cp;

SELECT cp, round(sum(bs_delta(cp, spot, strike, t, iv_mid, r => 0.045, q => 0.013))::numeric, 4) AS delta,
       round(sum(bs_vega(cp, spot, strike, t, iv_mid, r => 0.045, q => 0.013))::numeric, 4) AS vega
FROM chain_iv WHERE expiry = '2025-10-31' AND strike BETWEEN 5700 AND 5900
GROUP BY cp ORDER BY cp;

SELECT round((greeks_total(bs_greeks('C', 5800, k, 0.125, 0.14, 0.045, 0.013) * (q * 100))).vega::numeric, 4) AS spread_vega
FROM (VALUES (5900.0, -1.0), (6000.0, 1.0)) v(k, q);

SELECT year_frac('2025-09-15 10:30 America/New_York', expiry_ts('2025-09-15')) * 525600 AS minutes_to_close,
       expiry_ts('2025-10-22', 'AM') AS vix_expiry;

SELECT round(implied_vol(104.2, 'P', 5800, 5800, 46/365.0, 0.045, 0.013)::numeric, 6) AS iv,
       implied_vol(1.0, 'P', 5800, 6500, 46/365.0, 0.045, 0.013) AS no_vol,
       implied_vol_status(1.0, 'P', 5800, 6500, 46/365.0, 0.045, 0.013) AS why;

SELECT '-1 P 5465 2025-10-31T20:00:00Z @ 33.55; 1 P 5415 2025-10-31T20:00:00Z @ 29.05'::strategy
       + '100 U @ 5800 x1' AS with_stock;

SELECT (SELECT array_agg(round(b::numeric, 4))
        FROM unnest(breakevens(s, '2025-09-15 14:30+00', 0.14, 0.045, 0.013)) b) AS breakevens,
       round(max_profit(s, '2025-09-15 14:30+00', 0.14, 0.045, 0.013)::numeric, 2) AS max_profit,
       max_loss(s, '2025-09-15 14:30+00', 0.14, 0.045, 0.013) AS max_loss,
       round(pop(s, 5800, '2025-09-15 14:30+00', 0.14, 0.045, 0.013)::numeric, 4) AS pop
FROM (SELECT '-1 C 5800 2025-10-17T20:00:00Z @ 80; 1 C 5800 2025-11-21T21:00:00Z @ 130'::strategy s) x;

SELECT round(american_price('P', 600, 650, 30/365.0, 0.18, 0.045, 0.012)::numeric, 4) AS american,
       round(early_exercise_premium('P', 600, 650, 30/365.0, 0.18, 0.045, 0.012)::numeric, 4) AS premium;
-- Time, the exchange calendar, the two clocks, OCC symbols (dates printed in ISO)
SET DateStyle = 'ISO, MDY';
SELECT expiry_ts('2025-11-28') AT TIME ZONE 'America/New_York' AS day_after_thanksgiving,
       expiry_ts('2025-04-18', 'AM') AT TIME ZONE 'America/New_York' AS good_friday_monthly,
       expiry_ts('2025-01-09') AT TIME ZONE 'America/New_York' AS carter_day_of_mourning;

SELECT trading_days('2025-01-01', '2026-01-01') AS sessions_2025,
       is_trading_day('2025-01-09') AS carter_day,
       next_trading_day('2025-04-17') AS after_good_friday,
       next_trading_day('2025-01-02', -2) AS two_sessions_back,
       session_close('2025-07-03') AT TIME ZONE 'America/New_York' AS july_3_close;

WITH q AS (SELECT timestamptz '2025-10-17 15:00 America/New_York' AS fri,
                  timestamptz '2025-10-20 09:30 America/New_York' AS mon,
                  expiry_ts('2025-10-20') AS expiry)
SELECT c.clock, round(iv::numeric, 4) AS iv,
       round(bs_price('C', 5800, 5800, c.t_mon, iv, 0.045, 0.013)::numeric, 2) AS monday_open,
       round((bs_price('C', 5800, 5800, c.t_mon, iv, 0.045, 0.013) - 30)::numeric, 2) AS weekend_theta
FROM q, LATERAL (VALUES ('ACT/365', year_frac(fri, expiry), year_frac(mon, expiry)),
                        ('trading, w = 0', year_frac_trading(fri, expiry), year_frac_trading(mon, expiry)),
                        ('trading, w = 0.1', year_frac_trading(fri, expiry, 0.1), year_frac_trading(mon, expiry, 0.1))
                ) c(clock, t_fri, t_mon),
     LATERAL implied_vol(30, 'C', 5800, 5800, c.t_fri, 0.045, 0.013) iv;

SELECT (occ_parse('SPXW  251031C05800000')).*,
       occ_symbol('VIX', '2025-10-22', 'call', 17.5) AS vix_call,
       (occ_parse('SPY260116P00450500')).strike AS compact_strike;
SELECT s, occ_parse(s) = occ_parse('SPXW  251031C05800000') AS same_contract
FROM unnest(ARRAY['SPXW251031C5800', '.SPXW251031C5800', 'SPXW251031C05800000']) s;
RESET DateStyle;

-- The smile and the surface (README: "Volatility index, forward and smile")
SELECT round(a::numeric, 6) AS a, round(b::numeric, 6) AS b, round(rho::numeric, 6) AS rho,
       round(m::numeric, 6) AS m, round(sigma::numeric, 6) AS sigma, rmse < 1e-12 AS exact
FROM (SELECT (svi_fit(k, -0.02 + 0.2 * (-0.6 * (k - 0.05) + sqrt((k - 0.05)^2 + 0.04)))).*
      FROM generate_series(-0.6, 0.4, 0.0125) k) s;

CREATE TABLE surface AS
SELECT ssvi_fit(quote_ts, expiry_ts, ln(strike / (spot * exp((0.045 - 0.013) * t))), iv_mid * iv_mid * t) AS s
FROM chain_iv
WHERE iv_mid IS NOT NULL AND bid > 0 AND ((cp = 'P' AND strike < 5800) OR (cp = 'C' AND strike >= 5800));

SELECT round((s).rho::numeric, 4) AS rho, round((s).eta::numeric, 4) AS eta, round((s).gamma::numeric, 4) AS gamma,
       cardinality((s).t) AS expiries, round((s).rmse::numeric, 6) AS rmse,
       ssvi_calendar_free(s) AS calendar_free, ssvi_butterfly_free(s) AS butterfly_free
FROM surface;

SELECT days, round(ssvi_vol(s, ln(0.9), days / 365.0)::numeric, 4) AS k90,
       round(ssvi_vol(s, 0, days / 365.0)::numeric, 4) AS atm,
       round(ssvi_vol(s, ln(1.05), days / 365.0)::numeric, 4) AS k105
FROM surface, unnest(ARRAY[7, 30, 46, 90]) days;

SELECT round(iv_mid::numeric, 4) AS market,
       round(ssvi_vol(s, ln(strike / (spot * exp((0.045 - 0.013) * t))), t)::numeric, 4) AS ssvi
FROM chain_iv, surface WHERE expiry = '2025-10-31' AND cp = 'P' AND strike = 5465;

-- The volatility dashboard (README: "The volatility dashboard", and its reference entries)
SET DateStyle = 'ISO, MDY';
\set QUIET on
\i data/market_history.sql
\i data/vol_history.sql
\set QUIET off

SELECT target, round(cm_vol(quote_ts, expiry_ts, strike, spot * exp((0.045 - 0.013) * t), iv, target)::numeric, 4) AS iv
FROM chain_iv, unnest(ARRAY[7, 30, 60, 90]) target
GROUP BY target ORDER BY target;

SELECT round(atm::numeric, 4) AS atm, round(put25::numeric, 4) AS put25, round(call25::numeric, 4) AS call25,
       round(rr25::numeric, 4) AS rr25, round(bf25::numeric, 4) AS bf25,
       round(m90::numeric, 4) AS m90, round(m110::numeric, 4) AS m110,
       round(put25_strike::numeric) AS put25_k, round(call25_strike::numeric) AS call25_k
FROM (SELECT (skew(strike, iv, spot * exp((0.045 - 0.013) * t), t)).*
      FROM chain_iv WHERE expiry = '2025-10-31' GROUP BY spot, t) s;

SELECT round(delta_vol(strike, iv, spot * exp((0.045 - 0.013) * t), t, -0.10)::numeric, 4) AS put10
FROM chain_iv WHERE expiry = '2025-10-31';

SELECT day, round(realized_vol(day, close) OVER w::numeric, 4) AS c2c_20d,
       round(yang_zhang_vol(day, open, high, low, close) OVER w::numeric, 4) AS yang_zhang_20d
FROM spx_bars WINDOW w AS (ORDER BY day ROWS BETWEEN 20 PRECEDING AND CURRENT ROW)
ORDER BY day DESC LIMIT 3;

SELECT day, vix, round(iv_rank(day, vix) OVER year::numeric, 3) AS iv_rank,
       round(iv_percentile(day, vix) OVER year::numeric, 3) AS iv_percentile
FROM daily WINDOW year AS (ORDER BY day ROWS BETWEEN 251 PRECEDING AND CURRENT ROW)
ORDER BY day DESC LIMIT 3;

SELECT round(prob_itm('P', 5800, 5465, 46 / 365.0, 0.16, 0.045, 0.013)::numeric, 4) AS itm,
       round(prob_touch(5800, 5465, 46 / 365.0, 0.16, 0.045, 0.013)::numeric, 4) AS touch;

SELECT leg, kind, strike, round(prob_itm::numeric, 4) AS prob_itm, round(prob_touch::numeric, 4) AS prob_touch
FROM condor, short_strikes(s, 5800, '2025-09-15 14:30+00',
                           (SELECT array_agg(c.iv_mid ORDER BY l.leg)
                            FROM legs(s) l JOIN chain_iv c
                              ON (c.cp, c.strike, c.expiry_ts) = (l.kind, l.strike, l.expiry)),
                           0.045, 0.013);

-- the dashboard: one row per end-of-day quote time
WITH iv AS (
	SELECT quote_ts, cm_vol(quote_ts, expiry_ts, strike, forward, iv, 30) AS iv30
	FROM spx_eod GROUP BY quote_ts),
smiles AS (
	SELECT quote_ts, year_frac(quote_ts, expiry_ts) AS t,
	       skew(strike, iv, forward, year_frac(quote_ts, expiry_ts)) AS s
	FROM spx_eod GROUP BY quote_ts, expiry_ts),
wings AS (        -- the 25-delta vols interpolated to 30 days, as IV30 is
	SELECT quote_ts, term_vol(t, (s).put25, 30 / 365.0) AS put25,
	       term_vol(t, (s).call25, 30 / 365.0) AS call25
	FROM smiles GROUP BY quote_ts),
realized AS (
	SELECT day, realized_vol(day, close) OVER (ORDER BY day ROWS BETWEEN 20 PRECEDING AND CURRENT ROW) AS rv20
	FROM spx_bars),
board AS (
	SELECT (quote_ts AT TIME ZONE 'America/New_York')::date AS day, iv30,
	       call25 - put25 AS rr25, (call25 + put25) / 2 - iv30 AS bf25,
	       iv_rank(quote_ts, iv30) OVER year AS iv_rank
	FROM iv JOIN wings USING (quote_ts)
	WINDOW year AS (ORDER BY quote_ts ROWS BETWEEN 251 PRECEDING AND CURRENT ROW))
SELECT day, round(iv30::numeric, 4) AS iv30, round(rr25::numeric, 4) AS rr25,
       round(bf25::numeric, 4) AS bf25, round(rv20::numeric, 4) AS rv20,
       round((iv30 - rv20)::numeric, 4) AS iv_minus_rv, round(iv_rank::numeric, 2) AS iv_rank
FROM board JOIN realized USING (day)
WHERE day BETWEEN '2025-09-26' AND '2025-10-10'
ORDER BY day;
-- Marking from the market
SELECT x.fill, round((m).value::numeric, 2) AS value, round((m).pnl::numeric, 2) AS pnl, (m).legs_quoted,
       (m).legs_missing, (m).status
FROM (SELECT f.fill, strategy_mark(s, c.cp, c.strike, c.expiry_ts, c.bid, c.ask, f.fill) AS m
      FROM condor, spx_chain c, (VALUES ('mid'), ('natural'), ('mark')) f(fill)
      GROUP BY s, f.fill) x
ORDER BY x.fill DESC;

SELECT (strategy_mark(s, c.cp, c.strike, c.expiry_ts, c.bid, c.ask)).*
FROM condor, spx_chain c WHERE c.strike <> 6135
GROUP BY s;

SELECT (strategy_mark('100 U @ 5750 x1; -1 C 6000 2025-10-31 @ 38', q.cp, q.strike, q.expiry_ts, q.bid, q.ask)).*
FROM (SELECT cp, strike, expiry_ts, bid, ask FROM spx_chain
      UNION ALL SELECT 'U', NULL, NULL, spx, spx FROM market) q;

SELECT (SELECT array_agg(round(v::numeric, 4)) FROM unnest(vols) v) AS vols, status
FROM (SELECT market_vols(s, c.cp, c.strike, c.expiry_ts, c.bid, c.ask, c.spot, c.quote_ts, 0.045, 0.013) AS vols,
             market_greeks_status(s, c.cp, c.strike, c.expiry_ts, c.bid, c.ask, c.spot, c.quote_ts, 0.045, 0.013) AS status
      FROM condor, spx_chain c GROUP BY s) x;

SELECT spot, round(breakeven_distance(s, spot, '2025-09-15 14:30+00', 0.14, 0.045, 0.013)::numeric, 3) AS sd
FROM condor, unnest(ARRAY[5300, 5500, 5800, 6050]::float8[]) spot;

CREATE TABLE condor_vols AS
SELECT market_vols(s, c.cp, c.strike, c.expiry_ts, c.bid, c.ask, c.spot, c.quote_ts, 0.045, 0.013) AS v
FROM condor, spx_chain c GROUP BY s;
SELECT round(extrinsic(s, 5800, '2025-09-15 14:30+00', v, 0.045, 0.013)::numeric, 2) AS extrinsic,
       round(breakeven_distance(s, 5800, '2025-09-15 14:30+00', v, 0.045, 0.013)::numeric, 3) AS sd_to_breakeven
FROM condor, condor_vols;
SELECT leg, kind, strike, qty, round(price::numeric, 2) AS price, intrinsic, round(extrinsic::numeric, 2) AS extrinsic,
       round(position_extrinsic::numeric, 2) AS position_extrinsic
FROM condor, condor_vols, leg_extrinsic(s, 5450, '2025-09-15 14:30+00', v, 0.045, 0.013);

RESET DateStyle;
RESET TIME ZONE;
