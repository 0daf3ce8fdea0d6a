-- American options: prices, Greeks, early-exercise premium, implied vol.
-- A deep in-the-money high-vol put (the case where Bjerksund-Stensland is off by > 1)
SELECT round(american_price('P', 100, 150, 1, 0.6, 0.05, 0)::numeric, 6) AS american,
       round(bs_price('P', 100, 150, 1, 0.6, 0.05, 0)::numeric, 6) AS european,
       round(early_exercise_premium('P', 100, 150, 1, 0.6, 0.05, 0)::numeric, 6) AS premium;

-- identities: a call without dividends is European; immediate exercise is worth K - S
SELECT abs(american_price('C', 100, 95, 0.5, 0.3, 0.05, 0) - bs_price('C', 100, 95, 0.5, 0.3, 0.05, 0)) < 1e-12 AS call_q0_is_european,
       abs(american_price('P', 50, 100, 0.25, 0.2, 0.08, 0) - 50) < 1e-9 AS deep_put_is_intrinsic,
       early_exercise_premium('P', 100, 100, 1, 0.2, 0, 0.02) < 1e-12 AS put_r0_no_premium;

-- an SPY-like chain: premium grows with depth in the money and with dividends
SELECT cp, k, round(american_price(cp, 600, k, 30/365.0, 0.18, 0.045, 0.012)::numeric, 4) AS price,
       round(early_exercise_premium(cp, 600, k, 30/365.0, 0.18, 0.045, 0.012)::numeric, 6) AS eep
FROM (VALUES ('P', 560.0), ('P', 600.0), ('P', 650.0), ('C', 550.0), ('C', 600.0)) v(cp, k)
ORDER BY cp, k;

-- Greeks: same composite and units as bs_greeks
SELECT round((g).price::numeric, 6) AS price, round((g).delta::numeric, 6) AS delta,
       round((g).gamma::numeric, 6) AS gamma, round((g).vega::numeric, 6) AS vega,
       round((g).theta::numeric, 6) AS theta, (g).gamma >= 0 AS gamma_nonneg, (g).vega > 0 AS vega_pos
FROM (SELECT american_greeks('P', 100, 105, 0.5, 0.3, 0.05, 0.01) AS g) s;

-- the fast scheme: within 1e-5 here (on the reference rows: RMSE 1.2e-6, worst 1.0e-5)
SELECT abs(american_price('P', 100, 110, 1, 0.35, 0.06, 0.01, fast => true)
           / american_price('P', 100, 110, 1, 0.35, 0.06, 0.01) - 1) < 1e-5 AS fast_close;

-- implied vol round trip, and statuses
SELECT sigma, abs(american_implied_vol(american_price('P', 100, k, t, sigma, 0.05, 0.01), 'P', 100, k, t, 0.05, 0.01) / sigma - 1) < 1e-9 AS round_trip
FROM (VALUES (0.2, 100.0, 1.0), (0.8, 130.0, 0.5), (0.3, 90.0, 1 / 365.0)) v(sigma, k, t);
SELECT american_implied_vol_status(4.0, 'P', 100, 105, 0.5, 0.05) AS below_intrinsic,
       american_implied_vol_status(120.0, 'P', 100, 105, 0.5, 0.05) AS above_max,
       american_implied_vol(4.0, 'P', 100, 105, 0.5, 0.05) IS NULL AS null_vol;
-- the same meanings as implied_vol_status: a price reached only above 10,000% vol is
-- above_max (not failed); a price at the zero-vol value is vol 0, ok (for this deep put
-- every vol up to a threshold fits, 0 is the smallest), as the European solver answers
-- at intrinsic; no_time_value only at t = 0
SELECT american_implied_vol_status(99.9999, 'P', 100, 100, 1, 0.05) AS absurd_vol,
       american_implied_vol(70, 'P', 100, 170, 0.5, 0.06) AS at_k_minus_s,
       american_implied_vol_status(70, 'P', 100, 170, 0.5, 0.06) AS at_k_minus_s_status,
       american_implied_vol(100 - 95 * exp(-0.1), 'C', 100, 95, 2, 0.05) AS call_zero_vol,
       implied_vol(100 - 95 * exp(-0.1), 'C', 100, 95, 2, 0.05) AS european_zero_vol,
       american_implied_vol_status(5, 'P', 100, 105, 0, 0.05) AS expired;
