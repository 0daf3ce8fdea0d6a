-- pgTAP: the SQL layer against test/reference (argument order, unit conversions),
-- and the error contract, table-driven.  Tolerances are those of test/unit/test_models.c:
-- |x - truth| <= rtol |truth| + atol scale, rtol 1e-12 (prices, first-order Greeks) or
-- 1e-10 (second-order), atol 1e-15 of the price scale and 1e-11 of each Greek's scale.
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT plan(46);

CREATE TEMP TABLE bsm (id int, category text, S float8, K float8, T float8, r float8,
	q float8, sigma float8, type text, price float8, delta float8, gamma float8,
	vega float8, theta float8, rho float8, dividend_rho float8, vanna float8,
	volga float8, charm float8, d1 float8, d2 float8, z float8);
\set f :refdir/bsm_european.csv
\set load '\\copy bsm FROM ' :'f' ' CSV HEADER'
:load
CREATE TEMP TABLE b76 (id int, category text, F float8, K float8, T float8, r float8,
	sigma float8, type text, price float8, delta float8, gamma float8, vega float8,
	theta float8, rho float8, d1 float8, d2 float8, z float8);
\set f :refdir/black76.csv
\set load '\\copy b76 FROM ' :'f' ' CSV HEADER'
:load
CREATE TEMP TABLE bach (id int, category text, F float8, K float8, T float8, r float8,
	sigma_n float8, type text, price float8, delta float8, vega float8, gamma float8,
	theta float8, rho float8, d float8);
\set f :refdir/bachelier.csv
\set load '\\copy bach FROM ' :'f' ' CSV HEADER'
:load

SELECT is((SELECT count(*) FROM bsm), 2000::bigint, 'bsm_european.csv loaded');

CREATE FUNCTION pg_temp.near(x float8, t float8, rtol float8, atol float8) RETURNS bool
LANGUAGE sql IMMUTABLE AS $$ SELECT abs(x - t) <= rtol * abs(t) + atol $$;

CREATE TEMP TABLE bsm_got AS
SELECT b.*, bs_greeks(type, S, K, T, sigma, r, q) AS g,
       bs_price(type, S, K, T, sigma, r, q) AS p,
       exp(-q * T) AS dq, exp(-r * T) AS dr, sqrt(T) AS sq
FROM bsm b;

SELECT is((SELECT count(*) FROM bsm_got WHERE NOT pg_temp.near(p, price, 1e-12, 1e-15 * (S * dq + K * dr))), 0::bigint, 'bs_price: all 2000 rows');
SELECT is((SELECT count(*) FROM bsm_got WHERE p > 1e-8 * S AND abs(p - price) > 1e-12 * price), 0::bigint, 'bs_price: 1e-12 relative where value > 1e-8 spot');
SELECT is((SELECT count(*) FROM bsm_got WHERE (g).price <> p), 0::bigint, 'bs_greeks price = bs_price');
SELECT is((SELECT count(*) FROM bsm_got WHERE NOT pg_temp.near((g).delta, delta, 1e-12, 1e-11 * dq)), 0::bigint, 'bs delta');
SELECT is((SELECT count(*) FROM bsm_got WHERE NOT pg_temp.near((g).gamma, gamma, 1e-10, 1e-11 * dq / (S * sigma * sq))), 0::bigint, 'bs gamma');
SELECT is((SELECT count(*) FROM bsm_got WHERE NOT pg_temp.near((g).vega, vega / 100, 1e-12, 1e-13 * S * dq * sq)), 0::bigint, 'bs vega per vol point');
SELECT is((SELECT count(*) FROM bsm_got WHERE NOT pg_temp.near((g).theta, theta / 365, 1e-12, 1e-11 * (S * dq * sigma / (2 * sq) + abs(r) * K * dr + abs(q) * S * dq) / 365)), 0::bigint, 'bs theta per calendar day');
SELECT is((SELECT count(*) FROM bsm_got WHERE NOT pg_temp.near((g).rho, rho / 100, 1e-12, 1e-13 * K * T * dr)), 0::bigint, 'bs rho per 1%');
SELECT is((SELECT count(*) FROM bsm_got WHERE NOT pg_temp.near((g).phi, dividend_rho / 100, 1e-12, 1e-13 * S * T * dq)), 0::bigint, 'bs phi per 1%');
SELECT is((SELECT count(*) FROM bsm_got WHERE NOT pg_temp.near((g).vanna, vanna / 100, 1e-10, 1e-13 * dq / sigma)), 0::bigint, 'bs vanna per vol point');
SELECT is((SELECT count(*) FROM bsm_got WHERE NOT pg_temp.near((g).volga, volga / 1e4, 1e-10, 1e-15 * S * dq * sq / sigma)), 0::bigint, 'bs volga per vol point squared');
SELECT is((SELECT count(*) FROM bsm_got WHERE NOT pg_temp.near((g).charm, charm / 365, 1e-10, 1e-11 * dq * (abs(q) + abs(r - q) / (sigma * sq) + 1 / T) / 365)), 0::bigint, 'bs charm per calendar day');

CREATE TEMP TABLE b76_got AS
SELECT b.*, black76_greeks(type, F, K, T, sigma, r) AS g, exp(-r * T) AS dd, sqrt(T) AS sq
FROM b76 b;
SELECT is((SELECT count(*) FROM b76_got WHERE NOT pg_temp.near((g).price, price, 1e-12, 1e-15 * dd * (F + K))
                                     OR (g).price <> black76_price(type, F, K, T, sigma, r)), 0::bigint, 'black76 price');
SELECT is((SELECT count(*) FROM b76_got WHERE NOT pg_temp.near((g).delta, delta, 1e-12, 1e-11 * dd)
                                     OR NOT pg_temp.near((g).gamma, gamma, 1e-10, 1e-11 * dd / (F * sigma * sq))), 0::bigint, 'black76 delta, gamma (forward)');
SELECT is((SELECT count(*) FROM b76_got WHERE NOT pg_temp.near((g).vega, vega / 100, 1e-12, 1e-13 * dd * F * sq)
                                     OR NOT pg_temp.near((g).theta, theta / 365, 1e-12, 1e-11 * (abs(r) * dd * (F + K) + dd * F * sigma / (2 * sq)) / 365)
                                     OR NOT pg_temp.near((g).rho, rho / 100, 1e-12, 1e-13 * T * dd * (F + K))), 0::bigint, 'black76 vega, theta, rho');

CREATE TEMP TABLE bach_got AS
SELECT b.*, bachelier_greeks(type, F, K, T, sigma_n, r) AS g, exp(-r * T) AS dd, sqrt(T) AS sq
FROM bach b;
SELECT is((SELECT count(*) FROM bach_got WHERE NOT pg_temp.near((g).price, price, 1e-12, 1e-15 * dd * (abs(F - K) + sigma_n * sq))
                                      OR (g).price <> bachelier_price(type, F, K, T, sigma_n, r)), 0::bigint, 'bachelier price');
SELECT is((SELECT count(*) FROM bach_got WHERE NOT pg_temp.near((g).delta, delta, 1e-12, 1e-11 * dd)
                                      OR NOT pg_temp.near((g).gamma, gamma, 1e-10, 1e-11 * dd / (sigma_n * sq))
                                      OR NOT pg_temp.near((g).vega, vega / 100, 1e-12, 1e-13 * dd * sq)), 0::bigint, 'bachelier delta, gamma, vega');

-- the error contract, table-driven
SELECT throws_ok(format('SELECT bs_price(%L, 100, 100, 1, 0.2)', cp), '22023', format('invalid option type "%s"', cp), 'cp ' || cp || ' rejected')
FROM unnest(ARRAY['X', 'calls']) cp;
SELECT throws_like(q, '%invalid ' || arg || ' %', q)
FROM (VALUES ($$SELECT bs_price('C', 100, 100, 1, 0.2, 0.01, 'NaN')$$, 'q'),
             ($$SELECT black76_greeks('P', 'Infinity', 100, 1, 0.2)$$, 'forward'),
             ($$SELECT bachelier_greeks('P', 1, 1, 1, 'NaN')$$, 'vol')) v(q, arg);
SELECT lives_ok($$SELECT bs_greeks('C', 5800, 5800, 0, 0)$$, 't = 0 and vol = 0 together are fine');

-- bs_delta ... bs_charm: each the field of bs_greeks (checked against the reference
-- above) bit for bit, on all 2000 reference rows; the same argument checks
CREATE FUNCTION pg_temp.scalar_differs(f text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
BEGIN
	EXECUTE format('SELECT count(*) FROM bsm_got WHERE float8send(bs_%1$s(type, S, K, T, sigma, r, q)) <> float8send((g).%1$s)', f)
		INTO n;
	RETURN n;
END $$;
SELECT is(pg_temp.scalar_differs(f), 0::bigint, format('bs_%s = (bs_greeks(...)).%s, 2000 rows, same bits', f, f))
FROM unnest(ARRAY['delta', 'gamma', 'vega', 'theta', 'rho', 'phi', 'vanna', 'volga', 'charm']) f;
SELECT throws_ok(format('SELECT bs_%s(%L, %s, %s, %s, %s, %s, %s)', f, cp, s, k, t, vol, r, q), code, msg,
				 format('bs_%s: %s', f, msg))
FROM (VALUES ('delta', 'C', '-5', '100', '1', '0.2', '0', '0', '22023', 'invalid spot "-5"'),
             ('gamma', 'P', '100', '''NaN''', '1', '0.2', '0', '0', '22023', 'invalid strike "NaN"'),
             ('vega', 'X', '100', '100', '1', '0.2', '0', '0', '22023', 'invalid option type "X"'),
             ('theta', 'C', '100', '100', '-1', '0.2', '0', '0', '22023', 'invalid t "-1"'),
             ('rho', 'C', '100', '100', '1', '-0.2', '0', '0', '22023', 'invalid vol "-0.2"'),
             ('phi', 'C', '100', '100', '1', '0.2', '0', '''Infinity''', '22023', 'invalid q "Infinity"'),
             ('vanna', 'C', '100', '100', '1', '0.2', '''-Infinity''', '0', '22023', 'invalid r "-Infinity"'),
             ('volga', 'C', '100', '100', '1', '0.2', '1e308', '0', '22003', 'r "1e+308" is out of range for bs_volga'),
             ('charm', 'put', '0', '100', '1', '0.2', '0', '0', '22023', 'invalid spot "0"'),
             ('gamma', 'C', '1e-320', '1e-320', '1', '0.2', '0', '0', '22003', 'value out of range: overflow'))
     v(f, cp, s, k, t, vol, r, q, code, msg);
SELECT lives_ok($$SELECT bs_delta('C', 1e-320, 1e-320, 1, 0.2)$$, 'bs_delta finite where the gamma overflows: only the field returned is checked');
SELECT is(bs_gamma('C', 100, 100, 1, 0), 'Infinity'::float8, 'bs_gamma keeps the zero-vol spike at the forward');
SELECT is(bs_vega('C', 100, 100, 1, 0.2, NULL), NULL::float8, 'bs_vega: NULL in, NULL out');

SELECT * FROM finish();
ROLLBACK;
