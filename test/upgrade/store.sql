-- test/upgrade/store.sql: run by test/parts/50-upgrade.sh in a database where condor
-- 0.1.0 is installed, by the 0.1.0 binary.  Stores a value of every condor type (schema
-- kept) and, for every condor aggregate, its input rows, its state and its result; the
-- part then switches the server to the new binary, runs ALTER EXTENSION condor UPDATE
-- and test/upgrade/check.sql.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE SCHEMA kept;

-- A chain at one quote time: two expiries, strikes every 25 points, prices from a smile,
-- spreads of 2% around them; deltas for the iron condor.
CREATE TABLE kept.chain AS
SELECT timestamptz '2025-09-15 14:30+00' AS as_of, e.expiry, c.cp, k::float8 AS strike,
	   greatest(round((p * 0.99)::numeric, 2) - 0.05, 0)::float8 AS bid,
	   (round((p * 1.01)::numeric, 2) + 0.05)::float8 AS ask, e.rate,
	   (bs_greeks(c.cp, 5800, k, t, vol, e.rate, 0.013)).delta AS delta
FROM (VALUES (timestamptz '2025-10-08 20:00+00', 0.0431::float8),
			 (timestamptz '2025-10-22 20:00+00', 0.0437::float8)) e(expiry, rate),
	 (VALUES ('C'), ('P')) c(cp),
	 generate_series(4600, 7000, 25) k,
	 LATERAL (SELECT year_frac('2025-09-15 14:30+00', e.expiry) AS t,
					 0.14 - 0.25 * ln(k / 5800.0) + 0.6 * ln(k / 5800.0) ^ 2 AS vol) v,
	 LATERAL (SELECT bs_price(c.cp, 5800, k, t, vol, e.rate, 0.013) AS p) q;

-- put-call pairs at mid, a smile in total variance, a term structure, legs, a price
-- series, cash flows
CREATE TABLE kept.pairs AS
SELECT c.strike, (c.bid + c.ask) / 2 AS c_mid, (p.bid + p.ask) / 2 AS p_mid,
	   year_frac(c.as_of, c.expiry) AS t
FROM kept.chain c JOIN kept.chain p USING (expiry, strike)
WHERE c.cp = 'C' AND p.cp = 'P' AND c.expiry = '2025-10-08 20:00+00' AND c.bid > 0 AND p.bid > 0;
CREATE TABLE kept.smile AS
SELECT k, 0.02 + 0.1 * (-0.4 * (k - 0.05) + sqrt((k - 0.05) ^ 2 + 0.04)) AS w, 1 + k * k AS wt
FROM generate_series(-0.5, 0.5, 0.05) k;
CREATE TABLE kept.terms (t, vol) AS
VALUES (0.02::float8, 0.19::float8), (0.08, 0.17), (0.25, 0.16), (0.5, 0.165), (1.0, 0.17);
CREATE TABLE kept.legs (qty, cp, strike, expiry, premium) AS
VALUES (-1::float8, 'C', 6085::float8, timestamptz '2025-10-31 20:00+00', 20.15::float8),
	   (1, 'C', 6135, '2025-10-31 20:00+00', 13.55),
	   (1, 'P', 5415, '2025-10-31 20:00+00', 29.05),
	   (-1, 'P', 5465, '2025-10-31 20:00+00', 33.55),
	   (2, 'C', 20, '2025-11-19 13:30:00.123456+00', 1.2375);
CREATE TABLE kept.series AS
SELECT i, 100 + 10 * sin(i / 7.0) + i / 10.0 + (i % 3) * 0.5 AS x FROM generate_series(1, 120) i;
CREATE TABLE kept.flows (amount, at, period) AS
VALUES (-3890::float8, timestamptz '2025-09-15 14:30+00', 0), (1110, '2025-09-15 14:30+00', 0),
	   (-250, '2025-10-02 15:00+00', 1), (400, '2025-10-08 19:00+00', 1),
	   (-900, '2025-10-20 16:00+00', 2), (3890, '2025-10-31 20:00+00', 3);

-- A value of every type: composites from functions and aggregates, and strategies with
-- multipliers, fractional quantities and sub-second expiries.
CREATE TABLE kept.vals AS
SELECT i,
	   bs_greeks(CASE WHEN i % 2 = 0 THEN 'C' ELSE 'P' END, 5800, 5500 + 10 * i, i / 365.0,
				 0.1 + i / 500.0, 0.045, 0.013) AS g,
	   format('%s P %s "2025-10-31 16:00" @ %s x100; 1.5 C %s "2025-12-19 16:00:00.123456" @ 0.1; %s C %s "2026-01-16 16:00" @ %s',
			  -i, 5000 + i, i / 7.0, 6000 + i, i, 5800 + 5 * i, 1e-3 * i)::strategy AS s,
	   parity_gap(30 + i, 31 + i, 20, 21, 5800, 5810 + i / 3.0, 0.995) AS pa,
	   hedge_solve(bs_greeks('C', 5800, 5900, 0.1, 0.15), bs_greeks('P', 5800, 5700 - i, 0.1, 0.18),
				   bs_greeks('C', 5800, 6000 + i, 0.2, 0.14)) AS h
FROM generate_series(1, 40) i;
CREATE TABLE kept.fits AS
SELECT (SELECT svi_fit(k, w) FROM kept.smile) AS v,
	   (SELECT implied_forward(strike, c_mid, p_mid, t) FROM kept.pairs) AS fw,
	   (SELECT vix_terms(as_of, expiry, cp, strike, bid, ask, rate) FROM kept.chain) AS vt,
	   (SELECT macd(x ORDER BY i) FROM kept.series) AS mc;

-- Every aggregate (its signature), the arguments of a call and the rows it runs over.
CREATE TABLE kept.agg_input (agg text PRIMARY KEY, args text NOT NULL, source text NOT NULL,
							 state text, stype text, has_final boolean, result text);
INSERT INTO kept.agg_input (agg, args, source) VALUES
	('greeks_total(greeks)', 'g', 'kept.vals'),
	('vix_index(timestamptz, timestamptz, text, float8, float8, float8, float8)',
	 'as_of, expiry, cp, strike, bid, ask, rate', 'kept.chain'),
	('vix_index(timestamptz, timestamptz, text, float8, float8, float8, float8, float8)',
	 'as_of, expiry, cp, strike, bid, ask, rate, 28::float8', 'kept.chain'),
	('vix_terms(timestamptz, timestamptz, text, float8, float8, float8, float8)',
	 'as_of, expiry, cp, strike, bid, ask, rate', 'kept.chain'),
	('vix_terms(timestamptz, timestamptz, text, float8, float8, float8, float8, float8)',
	 'as_of, expiry, cp, strike, bid, ask, rate, 28::float8', 'kept.chain'),
	('implied_forward(float8, float8, float8, float8)', 'strike, c_mid, p_mid, t', 'kept.pairs'),
	('implied_forward(float8, float8, float8, float8, float8)',
	 'strike, c_mid, p_mid, t, 5800::float8', 'kept.pairs'),
	('svi_fit(float8, float8)', 'k, w', 'kept.smile'),
	('svi_fit(float8, float8, float8)', 'k, w, wt', 'kept.smile'),
	('term_vol(float8, float8, float8)', 't, vol, 0.3::float8', 'kept.terms'),
	('strategy_agg(float8, text, float8, timestamptz, float8)',
	 'qty, cp, strike, expiry, premium', 'kept.legs'),
	('strategy_agg(float8, text, float8, timestamptz, float8, float8)',
	 'qty, cp, strike, expiry, premium, 50::float8', 'kept.legs'),
	('iron_condor(timestamptz, text, float8, float8, float8, float8)',
	 'expiry, cp, strike, bid, ask, delta', '(SELECT * FROM kept.chain WHERE expiry = ''2025-10-22 20:00+00'') c'),
	('iron_condor(timestamptz, text, float8, float8, float8, float8, float8, float8)',
	 'expiry, cp, strike, bid, ask, delta, 0.2::float8, 75::float8', '(SELECT * FROM kept.chain WHERE expiry = ''2025-10-22 20:00+00'') c'),
	('iron_condor(timestamptz, text, float8, float8, float8, float8, float8, float8, boolean)',
	 'expiry, cp, strike, bid, ask, delta, 0.2::float8, 75::float8, true', '(SELECT * FROM kept.chain WHERE expiry = ''2025-10-22 20:00+00'') c'),
	('ema(float8, int)', 'x, 10 ORDER BY i', 'kept.series'),
	('rsi(float8)', 'x ORDER BY i', 'kept.series'),
	('rsi(float8, int)', 'x, 7 ORDER BY i', 'kept.series'),
	('macd(float8)', 'x ORDER BY i', 'kept.series'),
	('macd(float8, int, int, int)', 'x, 5, 13, 4 ORDER BY i', 'kept.series'),
	('xirr(float8, date)', 'amount, at::date', 'kept.flows'),
	('xirr(float8, timestamptz)', 'amount, at', 'kept.flows'),
	('irr(float8, int)', 'amount, period', 'kept.flows');

-- Every type and every aggregate of this version is covered (a new one needs its row).
SELECT 'FAIL type not stored: ' || t.oid::regtype
FROM pg_type t
JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid
	AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'condor'
WHERE NOT EXISTS (SELECT FROM pg_attribute a
				  WHERE a.attrelid IN ('kept.vals'::regclass, 'kept.fits'::regclass)
					AND a.attnum > 0 AND t.oid IN (a.atttypid, (SELECT typelem FROM pg_type WHERE oid = a.atttypid)));
SELECT 'FAIL aggregate without stored state: ' || p.oid::regprocedure
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
	AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'condor'
WHERE p.prokind = 'a' AND p.oid NOT IN (SELECT agg::regprocedure FROM kept.agg_input);

-- The state and the result of every aggregate, as text.
DO $$
DECLARE
	r record;
	st text;
	res text;
BEGIN
	FOR r IN SELECT i.agg, i.args, i.source, p.proname, g.aggtranstype::regtype AS stype,
					g.aggfinalfn <> 0 AS has_final
			 FROM kept.agg_input i
			 JOIN pg_proc p ON p.oid = i.agg::regprocedure
			 JOIN pg_aggregate g ON g.aggfnoid = p.oid
	LOOP
		EXECUTE format('SELECT keepfn.%I(%s)::text, %I(%s)::text FROM %s',
					   r.proname || '_state', r.args, r.proname, r.args, r.source)
			INTO st, res;
		UPDATE kept.agg_input SET state = st, stype = r.stype, has_final = r.has_final, result = res
		WHERE agg = r.agg;
	END LOOP;
END
$$;
SELECT 'FAIL no state for ' || agg FROM kept.agg_input WHERE state IS NULL;
