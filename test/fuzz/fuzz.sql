-- test/fuzz/fuzz.sql -- condor's seeded SQL-level fuzzer: case generator, executor and
-- oracles, in schema fz of a database where condor is installed.  Driven by
-- test/fuzz/run.sh (which see for how to run it); plain SQL and PL/pgSQL, no condor
-- function is called while cases are generated, so generation cannot crash and the
-- same seed and case count give the same cases on every machine.
--
-- Targets (fz.cases.target):
--   call         every SQL-callable condor function that is not an aggregate or type
--                I/O, found in the catalog (pg_depend of the extension), with
--                arguments drawn by type and argument name: realistic base values,
--                extreme finite values (0, -0, subnormals, 1e-300, 1e300, 1e308, ...),
--                rarely NaN/Infinity; float8[] arguments get crafted arrays (2-D,
--                NULLs, non-1 lower bounds, wrong lengths, 5000 elements, huge, NaN,
--                negative or non-integral header values); this includes the aggregate
--                support functions called directly
--   agg          every condor aggregate over 0-6 rows of such arguments, also as a
--                window function
--   agg_state    every transition and combine function of a condor aggregate (from
--                pg_aggregate) in a pg_temp aggregate whose INITCOND is a crafted state,
--                with and without the final function
--   strategy_in  mutated strategy literals (flipped, inserted, deleted characters,
--                extreme numbers, odd expiries, 63-100 legs) under random TimeZone and
--                DateStyle
--   strategy_recv  mutated strategy_send output in a COPY binary file (leg count,
--                truncation, NaN/inf/-0/subnormal doubles, out-of-range timestamps,
--                bad kind bytes), read with COPY FROM
--
-- Oracles (fz.results.outcome; anything but ok/error is a finding):
--   crash          the backend died (found by run.sh: the server restarted)
--   timeout        the batch ran past its statement_timeout (run.sh)
--   bad_sqlstate   an error whose SQLSTATE is not in fz.allowed for that function
--   nan            a NaN anywhere in the output (composite fields and arrays included)
--                  although every input was finite
--   uninitialised  an output holds -5.3140103725178076e+303, the 0xFE byte pattern the
--                  sanitizer build (-ftrivial-auto-var-init=pattern) leaves in a stack
--                  variable that is read before it is written
--   text_out       a produced value cannot be printed
--   text_roundtrip a produced strategy/greeks/state does not come back identical from
--                  its text form (v::text::type, compared with = and byte for byte)
--   binary_roundtrip  a produced strategy/greeks does not come back identical through
--                  COPY ... (FORMAT binary) TO and FROM a file (send then recv)
--   accepted_invalid_state  a transition, combine or final function returned a value
--                  from a structurally invalid state (more than one dimension, NULLs):
--                  it must raise 22023
--   driver         the generator wrote SQL PostgreSQL rejects (SQLSTATE class 42): a
--                  bug of this file, reported so it is fixed rather than hidden

CREATE SCHEMA fz;

-- ---------------------------------------------------------------------------------
-- The SQLSTATEs an error may have, in one place, as the README documents them.  scope
-- is a regular expression on the function (or aggregate support function) the case
-- exercises, '' for every function; argtype, when set, limits the line to functions
-- taking an argument of that type.  Anything else -- XX000 from elog, 2202E, a
-- timestamp error leaking from a strategy literal's expiry, 08P01 outside binary input
-- -- is a finding.
CREATE TABLE fz.allowed (
	sqlstate	text,
	scope		text,
	argtype		text,
	why			text
);
INSERT INTO fz.allowed VALUES
('22023', '^(?!strategy_(in|recv)$)', NULL, 'invalid_parameter_value: the documented error for a bad argument, option type, state or combination (README "Bad input")'),
('22P02', '^(?!strategy_recv$)', NULL, 'invalid_text_representation: a malformed strategy literal, its expiry included, or OCC symbol (README); PostgreSQL''s own input of a crafted float8[] or composite literal'),
('22003', '^(?!strategy_recv$)', NULL, 'numeric_value_out_of_range: a number beyond float8 in a strategy literal, a quantity that overflows in +, -, * or a merge of legs (README), a result beyond float8'),
('54000', '', NULL, 'program_limit_exceeded: more than 64 legs (README), PostgreSQL''s array size limit'),
('0A000', '^(?!strategy_(in|recv)$)', NULL, 'feature_not_supported: a transition or combine function called outside an aggregate (README)'),
('22P03', '^strategy_recv$', NULL, 'invalid_binary_representation: rejected binary input, only where binary is read (README: validated as strictly as text)'),
('08P01', '^strategy_recv$', NULL, 'protocol_violation: PostgreSQL''s pq_getmsg* on a truncated binary field, as for every core type'),
('22004', '^(hedge_solve|svi_vol|svi_density|svi_butterfly_free|ssvi_w|ssvi_vol|ssvi_calendar_free|ssvi_butterfly_free|iron_condor.*|strategy_mark.*|market_.*)$', NULL, 'null_value_not_allowed: a NULL where a value is required and a NULL result would hide it: a chosen Greek (hedge_solve), an svi or ssvi parameter, an aggregate''s parameter (iron_condor''s target_delta, width, natural; the marking aggregates'' fill, spot, as_of, r, q: README)'),
('22000', '^(vix_.*|forward_.*|implied_forward|term_.*)$', NULL, 'data_exception: the chain cannot give an answer (vix_index without the terms it needs, implied_forward without a discount, term_vol calendar arbitrage)'),
('22008', '^(?!strategy_(in|recv)$)', 'date', 'datetime_field_overflow: a date outside the exchange calendar (2000-2100) or an expiry instant beyond the timestamp range (README)'),
('22008', '^(?!strategy_(in|recv)$)', 'timestamp with time zone', 'datetime_field_overflow: a time outside the exchange calendar (README)'),
('53200', '^(svi_.*|ssvi_.*|irr_.*|xirr_.*|svi_fit|ssvi_fit|irr|xirr)$', NULL, 'out_of_memory: the numerics'' allocation failure, mapped by svi_final, ssvi_final and irr_final');

CREATE TABLE fz.cases (
	id			int PRIMARY KEY,
	target		text NOT NULL,
	func		text NOT NULL,		-- the condor function exercised (scope of fz.allowed)
	setup		text,				-- run first in the case's subtransaction, undone after
	sql			text NOT NULL,		-- a query of one column
	kind		text NOT NULL,		-- strategy, greeks, state (float8[]) or text
	finite		bool NOT NULL,		-- every input finite: NaN out is a finding
	bad_state	bool NOT NULL DEFAULT false	-- a structurally invalid state is passed
);

CREATE TABLE fz.results (
	id			int PRIMARY KEY,
	outcome		text NOT NULL,
	sqlstate	text,
	message		text,
	ms			float8
);

CREATE TYPE fz.val AS (sql text, finite bool, bad bool);

-- ---- randomness (PostgreSQL's random() after setseed(): the same stream everywhere)

CREATE FUNCTION fz.rint(n int) RETURNS int LANGUAGE sql AS
$$ SELECT least(floor(random() * n)::int, n - 1) $$;

CREATE FUNCTION fz.pick(a text[]) RETURNS text LANGUAGE sql AS
$$ SELECT a[1 + fz.rint(cardinality(a))] $$;

CREATE FUNCTION fz.chance(p float8) RETURNS bool LANGUAGE sql AS
$$ SELECT random() < p $$;

-- ---- value pools

CREATE FUNCTION fz.f8_extremes() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
SELECT ARRAY['0', '-0', '4.9e-324', '-4.9e-324', '1e-320', '2.2250738585072014e-308',
	'1e-300', '1e-200', '1e-100', '1e-16', '1e-12', '1e-8', '0.0001', '0.001', '0.5',
	'0.9999999999999999', '1', '1.0000000000000002', '2', '10', '100', '800', '1000', '5800',
	'36500', '100000', '1e8', '1e15', '1e16', '1e100', '1e200', '1e300', '1e308',
	'1.7976931348623157e308', '-1e-300', '-1e-12', '-0.5', '-1', '-100', '-800', '-1e8',
	'-1e15', '-1e300', '-1e308', '-1.7976931348623157e308']
$$;

-- Realistic values per argument name (anything unknown: 1).
CREATE FUNCTION fz.f8_base(name text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
SELECT CASE name
	WHEN 'spot' THEN ARRAY['100', '5800', '600']
	WHEN 'forward' THEN ARRAY['100', '18.5', '0.03', '-0.0025']
	WHEN 'strike' THEN ARRAY['100', '5900', '650', '22', '0.001']
	WHEN 't' THEN ARRAY['0.25', '0.0027397260273972603', '1', '1e-6', '0']
	WHEN 'vol' THEN ARRAY['0.2', '0.16', '0.95', '0.008']
	WHEN 'r' THEN ARRAY['0.045', '0', '-0.01']
	WHEN 'q' THEN ARRAY['0.013', '0', '0.05']
	WHEN 'price' THEN ARRAY['5', '95.8636', '0.5', '50.1435']
	WHEN 'k' THEN ARRAY['0', '0.1', '-0.3']
	WHEN 'w' THEN ARRAY['0.04', '0.02']
	WHEN 'weight' THEN ARRAY['1', '0.5']
	WHEN 'target_t' THEN ARRAY['0.5', '0.1']
	WHEN 'target_days' THEN ARRAY['30', '9']
	WHEN 'target_delta' THEN ARRAY['0.16', '0.3']
	WHEN 'width' THEN ARRAY['50', '5']
	WHEN 'bid' THEN ARRAY['9.8', '0', '1.2']
	WHEN 'ask' THEN ARRAY['10.2', '1.4']
	WHEN 'call_bid' THEN ARRAY['9.8']
	WHEN 'call_ask' THEN ARRAY['10.2']
	WHEN 'put_bid' THEN ARRAY['7.8']
	WHEN 'put_ask' THEN ARRAY['8.2']
	WHEN 'call_price' THEN ARRAY['10', '120']
	WHEN 'put_price' THEN ARRAY['8', '95']
	WHEN 'discount' THEN ARRAY['0.99', '1']
	WHEN 'rate' THEN ARRAY['0.045', '0.0433']
	WHEN 'delta' THEN ARRAY['0.5', '-0.16', '0.16']
	WHEN 'fraction' THEN ARRAY['0.35', '1']
	WHEN 'beta' THEN ARRAY['1', '0.8']
	WHEN 'multiplier' THEN ARRAY['100', '1']
	WHEN 'position_vega' THEN ARRAY['-145.26', '0']
	WHEN 'vix_option_delta' THEN ARRAY['0.4984', '0.2']
	WHEN 'index_price' THEN ARRAY['5800']
	WHEN 'exposure' THEN ARRAY['1000', '-145.26']
	WHEN 'per_contract' THEN ARRAY['50', '-0.5']
	WHEN 'factor' THEN ARRAY['2', '-1', '0.5', '100']
	WHEN 'lo' THEN ARRAY['80', '5000']
	WHEN 'hi' THEN ARRAY['120', '6500']
	WHEN 'qty' THEN ARRAY['1', '-1', '100']
	WHEN 'premium' THEN ARRAY['3', '12.35', '5800']
	WHEN 'amount' THEN ARRAY['-1000', '1100', '250']
	WHEN 'x' THEN ARRAY['100', '15.2', '101.5']
	ELSE ARRAY['1']
END
$$;

-- Values for crafted aggregate states: small counts, parameters, timestamps as the
-- microseconds condor stores, non-integral and out-of-range counts, extremes.
CREATE FUNCTION fz.state_values() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
SELECT ARRAY['0', '-0', '1', '-1', '2', '3', '0.5', '1.5', '14', '26', '9', '12', '30',
	'0.16', '50', '100', '5800', '812000000000000', '811000000000000', '1e15',
	'2147483648', '-2147483649', '9.3e18', '-9.3e18', '1e300', '-1e300', '1e308',
	'4.9e-324', '1e-300', '0.2', '0.04', '-0.3', '10.2', '9.8', '99999', '100001']
$$;

CREATE FUNCTION fz.g_f8(name text, extreme bool) RETURNS fz.val LANGUAGE plpgsql AS $$
DECLARE
	v text;
BEGIN
	IF extreme THEN
		IF fz.chance(0.04) THEN
			RETURN (format('%L::float8', fz.pick(ARRAY['NaN', 'Infinity', '-Infinity'])), false, false)::fz.val;
		END IF;
		v := fz.pick(fz.f8_extremes());
	ELSE
		v := fz.pick(fz.f8_base(name));
	END IF;
	RETURN (format('%L::float8', v), true, false)::fz.val;
END $$;

CREATE FUNCTION fz.g_int(name text, extreme bool) RETURNS fz.val LANGUAGE plpgsql AS $$
BEGIN
	IF extreme THEN
		RETURN (fz.pick(ARRAY['0', '1', '-1', '2', '3', '5', '9', '12', '14', '26', '100',
			'1000', '100000', '100001', '2147483647', '(-2147483647 - 1)']), true, false)::fz.val;
	END IF;
	RETURN (CASE name
		WHEN 'span' THEN fz.pick(ARRAY['3', '5'])
		WHEN 'period' THEN fz.pick(ARRAY['3', '14'])
		WHEN 'fast' THEN '2'
		WHEN 'slow' THEN '4'
		WHEN 'signal' THEN '2'
		WHEN 'steps' THEN fz.pick(ARRAY['10', '1'])
		ELSE fz.pick(ARRAY['1', '2', '3'])
	END, true, false)::fz.val;
END $$;

CREATE FUNCTION fz.g_text(name text, extreme bool) RETURNS fz.val LANGUAGE plpgsql AS $$
DECLARE
	v text;
BEGIN
	v := CASE
		WHEN name IN ('cp', '') OR name IS NULL THEN
			CASE WHEN extreme THEN fz.pick(ARRAY['c', 'p', 'call', 'PUT', 'Call', 'U', 'u', 'x', '', 'calls', 'C ', ' P', 'pu'])
				ELSE fz.pick(ARRAY['C', 'P']) END
		WHEN name = 'settlement' THEN
			CASE WHEN extreme THEN fz.pick(ARRAY['pm', 'Am', 'noon', '', 'PM ']) ELSE fz.pick(ARRAY['PM', 'AM']) END
		WHEN name IN ('first', 'second') THEN
			fz.pick(ARRAY['delta', 'vega', 'gamma', 'theta', 'rho', 'phi', 'vanna', 'volga', 'charm',
				CASE WHEN extreme THEN fz.pick(ARRAY['price', 'DELTA', 'x', '']) ELSE 'vega' END])
		ELSE CASE WHEN extreme THEN fz.pick(ARRAY['C', 'P', 'U', 'x', '']) ELSE 'C' END
	END;
	RETURN (format('%L::text', v), true, false)::fz.val;
END $$;

CREATE FUNCTION fz.g_ts(name text, extreme bool) RETURNS fz.val LANGUAGE plpgsql AS $$
DECLARE
	v text;
BEGIN
	IF extreme THEN
		v := fz.pick(ARRAY['2025-09-15 14:30:00+00', '2025-09-15 14:30:00.000001+00',
			'2025-03-09 07:30:00+00', '2025-11-02 05:30:00+00', '2000-01-01 00:00:00+00',
			'1970-01-01 00:00:00+00', '4714-11-24 00:00:00+00 BC', '0001-12-31 23:59:59+00 BC',
			'0001-01-01 00:00:00+00', '294276-12-31 23:59:59.999999+00',
			'2262-04-11 23:47:16.854775+00', '1677-09-21 00:12:43.145225+00',
			'2025-10-31 20:00:00.5+00', 'infinity', '-infinity']);
		RETURN (format('%L::timestamptz', v), v NOT LIKE '%infinity', false)::fz.val;
	END IF;
	v := CASE name
		WHEN 'as_of' THEN fz.pick(ARRAY['2025-09-15 14:30:00+00', '2025-10-01 20:00:00+00'])
		WHEN 'start' THEN '2025-09-15 14:30:00+00'
		ELSE fz.pick(ARRAY['2025-10-16 13:30:00+00', '2025-10-31 20:00:00+00', '2025-12-19 21:00:00+00'])
	END;
	RETURN (format('%L::timestamptz', v), true, false)::fz.val;
END $$;

CREATE FUNCTION fz.g_date(name text, extreme bool) RETURNS fz.val LANGUAGE plpgsql AS $$
DECLARE
	v text;
BEGIN
	v := CASE WHEN extreme THEN fz.pick(ARRAY['2025-10-31', '2000-02-29', '4714-11-24 BC',
			'0001-01-01', '294276-12-31', '294277-01-01', '5874897-12-31', 'infinity', '-infinity'])
		ELSE fz.pick(ARRAY['2025-10-31', '2025-12-19', '2026-03-20']) END;
	RETURN (format('%L::date', v), v NOT LIKE '%infinity', false)::fz.val;
END $$;

-- A crafted float8[]: realistic, empty, 1-D of any length, with NULLs, 2-D, 3-D, a
-- non-1 lower bound, 5000 elements.  bad = structurally invalid as an aggregate state.
CREATE FUNCTION fz.g_arr(name text, extreme bool) RETURNS fz.val LANGUAGE plpgsql AS $$
DECLARE
	n int;
	vals text[];
	shape int := fz.rint(100);
	fin bool := true;
	pool text[];
	body text;
BEGIN
	IF NOT extreme OR shape < 15 THEN
		-- realistic: vols per leg, scenario moves
		n := fz.pick(ARRAY['0', '1', '2', '3', '4', '5'])::int;
		SELECT array_agg(fz.pick(CASE WHEN name LIKE '%moves' OR name = 'days_forward'
			THEN ARRAY['-0.05', '0', '0.05', '1', '-0.5'] ELSE ARRAY['0.2', '0.16', '0.3'] END))
		INTO vals FROM generate_series(1, n);
		RETURN (format('%L::float8[]', '{' || array_to_string(coalesce(vals, '{}'), ',') || '}'), true, false)::fz.val;
	END IF;
	pool := CASE WHEN fz.chance(0.5) THEN fz.state_values() ELSE fz.f8_extremes() END;
	IF fz.chance(0.06) THEN
		pool := pool || ARRAY['NaN', 'Infinity', '-Infinity'];
	END IF;
	n := fz.pick(ARRAY['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13',
		'14', '15', '16', '17', '18', '20', '24', '26', '32'])::int;
	SELECT array_agg(fz.pick(pool)) INTO vals FROM generate_series(1, n);
	vals := coalesce(vals, '{}');
	fin := NOT (vals && ARRAY['NaN', 'Infinity', '-Infinity']);
	IF shape < 55 THEN
		RETURN (format('%L::float8[]', '{' || array_to_string(vals, ',') || '}'), fin, false)::fz.val;
	ELSIF shape < 65 THEN
		-- NULLs
		IF n = 0 THEN vals := ARRAY['1']; END IF;
		vals[1 + fz.rint(cardinality(vals))] := 'NULL';
		RETURN (format('%L::float8[]', '{' || array_to_string(vals, ',') || '}'), fin, true)::fz.val;
	ELSIF shape < 80 THEN
		-- 2-D, rows of 1 to 4
		n := 1 + fz.rint(4);
		SELECT '{' || string_agg('{' || (SELECT string_agg(fz.pick(pool), ',') FROM generate_series(1, n)) || '}', ',') || '}'
		INTO body FROM generate_series(1, 1 + fz.rint(4));
		RETURN (format('%L::float8[]', body), NOT (body ~ 'NaN|Infinity'), true)::fz.val;
	ELSIF shape < 84 THEN
		RETURN (format('%L::float8[]', '{{{1,2}},{{3,4}}}'), true, true)::fz.val;
	ELSIF shape < 90 THEN
		-- lower bound other than 1, up to the highest the upper bound allows
		IF n = 0 THEN vals := ARRAY['1', '2', '3']; n := 3; END IF;
		body := fz.pick(ARRAY['0', '-5', '2', (2147483647 - n)::text]);
		RETURN (format('%L::float8[]', format('[%s:%s]={%s}', body, body::bigint + n - 1,
			array_to_string(vals, ','))), fin, false)::fz.val;
	ELSIF shape < 95 OR name IN ('spot_moves', 'vol_moves', 'days_forward') THEN
		-- thousands of elements (not for a scenario grid, whose rows are their product)
		IF name IN ('spot_moves', 'vol_moves', 'days_forward') THEN
			RETURN (format('%L::float8[]', '{' || array_to_string(vals, ',') || '}'), fin, false)::fz.val;
		END IF;
		RETURN (format('array_fill(%L::float8, ARRAY[%s])', fz.pick(ARRAY['0', '1', '1e308', '-1']),
			fz.pick(ARRAY['4999', '5000', '5001', '6000'])), true, false)::fz.val;
	ELSE
		-- thousands of elements in two dimensions
		RETURN (format('array_fill(%L::float8, ARRAY[%s])', fz.pick(ARRAY['0', '1', '1e308', '-1']),
			fz.pick(ARRAY['1, 4999', '1, 5000', '1, 6000', '2, 2500', '5000, 1'])), true, true)::fz.val;
	END IF;
END $$;

-- Strategies as SQL expressions: valid literals of many shapes, 64 legs, and values
-- produced by arithmetic (extreme sizes, merged legs).
CREATE FUNCTION fz.strategy_seeds() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
SELECT ARRAY['1 C 100 2025-12-19T21:00:00Z @ 3',
	'-1 P 5600 2025-10-31T20:00:00Z @ 12.35 x100; 1 P 5500 "2025-10-31 16:00-04" @ 8.1',
	'100 U @ 5800 x1; -1 C 5900 2025-12-19T21:00:00Z @ 45.5',
	'1 call 100 "2025-12-19 16:00:00.123456 America/New_York" @ 3 x50',
	'-2 put 90 2026-01-16T21:00:00.5Z @ 1.25; 2 C 110 2026-01-16T21:00:00Z @ 0.75 X10',
	'1 P 80 2025-12-19T21:00:00Z @ 0.5; -1 P 90 2025-12-19T21:00:00Z @ 1.5; -1 C 110 2025-12-19T21:00:00Z @ 1.4; 1 C 120 2025-12-19T21:00:00Z @ 0.4',
	'',
	'0 C 100 2025-12-19T21:00:00Z @ 3; 1 C 100 2025-12-19T21:00:00Z @ 3; -1 C 100 2025-12-19T21:00:00Z @ 3',
	'-1 C 6085 2025-10-31T20:00:00Z @ 20.15; 1 C 6135 2025-10-31T20:00:00Z @ 13.55; 1 P 5415 2025-10-31T20:00:00Z @ 29.05; -1 P 5465 2025-10-31T20:00:00Z @ 33.55',
	'1 C 100 2025-09-15T14:30:00Z @ 3; -1 C 100 2025-09-15T14:30:00.000001Z @ 3',
	'1 P 1e-300 2025-12-19T21:00:00Z @ 1e-300 x1e-300',
	'1e300 C 1e300 2025-12-19T21:00:00Z @ 1e300 x1e300; -1e300 U @ 1e300']
$$;

CREATE FUNCTION fz.g_strategy(extreme bool) RETURNS fz.val LANGUAGE plpgsql AS $$
DECLARE
	s text := format('%L::strategy', fz.pick(fz.strategy_seeds()));
BEGIN
	IF NOT extreme THEN
		RETURN (format('%L::strategy', fz.pick(ARRAY[
			'1 P 80 2025-12-19T21:00:00Z @ 0.5; -1 P 90 2025-12-19T21:00:00Z @ 1.5; -1 C 110 2025-12-19T21:00:00Z @ 1.4; 1 C 120 2025-12-19T21:00:00Z @ 0.4',
			'-1 P 5600 2025-10-31T20:00:00Z @ 12.35 x100; 1 P 5500 2025-10-31T20:00:00Z @ 8.1',
			'100 U @ 5800 x1; -1 C 5900 2025-12-19T21:00:00Z @ 45.5'])), true, false)::fz.val;
	END IF;
	CASE fz.rint(10)
		WHEN 0 THEN
			s := format('(SELECT string_agg(format(%L, %s + i), %L) FROM generate_series(1, %s) i)::strategy',
				'1 C %s 2025-12-19T21:00:00Z @ 1', fz.pick(ARRAY['100', '1e300', '0']), '; ',
				fz.pick(ARRAY['63', '64']));
		WHEN 1 THEN
			s := format('(%s * %L::float8)', s, fz.pick(fz.f8_extremes()));
		WHEN 2 THEN
			s := format('(%s + %L::strategy)', s, fz.pick(fz.strategy_seeds()));
		WHEN 3 THEN
			s := format('(%s - %s)', s, s);
		ELSE
			NULL;
	END CASE;
	RETURN (s, true, false)::fz.val;
END $$;

CREATE FUNCTION fz.g_greeks(extreme bool) RETURNS fz.val LANGUAGE plpgsql AS $$
DECLARE
	v text;
BEGIN
	IF NOT extreme THEN
		RETURN (fz.pick(ARRAY['bs_greeks(''C'', 5800, 5900, 0.125, 0.16, 0.045, 0.013)',
			'black76_greeks(''C'', 18.5, 22, 0.1, 0.95, 0.045)',
			'bs_greeks(''P'', 100, 90, 1, 0.2)']), true, false)::fz.val;
	END IF;
	v := fz.pick(ARRAY['(1,2,3,4,5,6,7,8,9,10)', '(0,0,0,0,0,0,0,0,0,0)',
		'(-0,-0,-0,-0,-0,-0,-0,-0,-0,-0)',
		'(1e308,1e308,1e308,1e308,1e308,1e308,1e308,1e308,1e308,1e308)',
		'(-1e308,1e308,-1e308,1e308,-1e308,1e308,-1e308,1e308,-1e308,1e308)',
		'(4.9e-324,4.9e-324,4.9e-324,4.9e-324,4.9e-324,4.9e-324,4.9e-324,4.9e-324,4.9e-324,4.9e-324)',
		'(,,,,,,,,,)', '(1,,3,4,5,6,7,8,9,10)', '(1,2,3,4,5,6,7,8,9,)',
		'(1,0.5,0,-145.26,19.7,1,1,0,0,0)', '(1,1e-300,1e-300,1e-300,1,1,1,1,1,1)']);
	IF fz.chance(0.05) THEN
		RETURN (format('%L::greeks', '(NaN,1,Infinity,1,1,1,1,1,-Infinity,1)'), false, false)::fz.val;
	END IF;
	RETURN (format('%L::greeks', v), true, false)::fz.val;
END $$;

CREATE FUNCTION fz.g_svi(extreme bool) RETURNS fz.val LANGUAGE plpgsql AS $$
BEGIN
	IF NOT extreme THEN
		RETURN (format('%L::svi', '(0.02,0.1,-0.4,0.05,0.2,0,t)'), true, false)::fz.val;
	END IF;
	RETURN (format('%L::svi', fz.pick(ARRAY['(-0.0410,0.1331,0.3060,0.3586,0.4153,,)',
		'(0,0,0,0,0,,)', '(0.02,0.1,-1,0.05,0,,)', '(0.02,0.1,1,0.05,1e-300,,)',
		'(1e308,1e308,0.5,1e308,1e308,,)', '(-1e308,1e308,-0.99,-1e308,1e-320,,)',
		'(0.02,0.1,1.5,0.05,0.2,,)', '(0.02,-0.1,0,0,0.2,,)', '(,0.1,0.1,0.1,0.1,,)',
		'(4.9e-324,4.9e-324,4.9e-324,4.9e-324,4.9e-324,,)'])), true, false)::fz.val;
END $$;

CREATE FUNCTION fz.g_ssvi(extreme bool) RETURNS fz.val LANGUAGE plpgsql AS $$
BEGIN
	IF NOT extreme THEN
		RETURN (format('%L::ssvi', '(-0.7,1.2,0.4,"{0.1,0.5,1}","{0.004,0.02,0.04}",)'), true, false)::fz.val;
	END IF;
	RETURN (format('%L::ssvi', fz.pick(ARRAY['(0.3,3,1.2,{1},{0.04},)',
		'(-0.999999,1e300,-1e308,"{1e-300,1e300}","{4.9e-324,1e-300}",0)',
		'(0,0,0,{4.9e-324},{4.9e-324},)', '(1,1,0.5,{1},{0.04},)', '(-0.5,-1,0.5,{1},{0.04},)',
		'(0.1,1,1e308,"{0.5,1}","{0.04,0.02}",)', '(0.1,1,0.5,"{1,0.5}","{0.02,0.04}",)',
		'(0.1,1,0.5,"{0.5,1}","{0.02}",)', '(0.1,1,0.5,{},{},)', '(0.1,1,0.5,"{{1}}","{{0.04}}",)',
		'(0.1,1,0.5,"{1,NULL}","{0.04,0.05}",)', '(0.1,,0.5,{1},{0.04},)', '(0.1,1,0.5,,{0.04},)',
		'(0.1,1,0.5,{1e308},{1e308},)', '(0.1,1,0.5,{0},{0.04},)'])), true, false)::fz.val;
END $$;

-- One argument of type typ named name.
CREATE FUNCTION fz.g_value(typ text, name text, extreme bool) RETURNS fz.val LANGUAGE plpgsql AS $$
BEGIN
	RETURN CASE typ
		WHEN 'double precision' THEN fz.g_f8(name, extreme)
		WHEN 'integer' THEN fz.g_int(name, extreme)
		WHEN 'text' THEN fz.g_text(name, extreme)
		WHEN 'boolean' THEN (fz.pick(ARRAY['true', 'false']), true, false)::fz.val
		WHEN 'timestamp with time zone' THEN fz.g_ts(name, extreme)
		WHEN 'date' THEN fz.g_date(name, extreme)
		WHEN 'double precision[]' THEN fz.g_arr(name, extreme)
		WHEN 'strategy' THEN fz.g_strategy(extreme)
		WHEN 'greeks' THEN fz.g_greeks(extreme)
		WHEN 'svi' THEN fz.g_svi(extreme)
		WHEN 'ssvi' THEN fz.g_ssvi(extreme)
		ELSE (format('NULL::%s', typ), true, false)::fz.val	-- unknown: run.sh lists it
	END;
END $$;

CREATE FUNCTION fz.kind_of(typ text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
SELECT CASE typ WHEN 'strategy' THEN 'strategy' WHEN 'greeks' THEN 'greeks'
	WHEN 'double precision[]' THEN 'state' ELSE 'text' END
$$;

-- ---- the catalog: condor's functions and aggregates

CREATE VIEW fz.functions AS
SELECT p.oid, p.proname::text AS name, p.prokind, p.pronargs, p.pronargdefaults,
	format_type(p.prorettype, NULL) AS rettype,
	ARRAY(SELECT format_type(t, NULL) FROM unnest(p.proargtypes) WITH ORDINALITY u(t, i) ORDER BY i) AS argtypes,
	coalesce(p.proargnames, '{}') AS argnames,
	EXISTS (SELECT 1 FROM pg_aggregate a WHERE p.oid IN (a.aggtransfn, a.aggcombinefn)) AS support,
	p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS signature
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'condor'
WHERE NOT ('cstring'::regtype = ANY (p.proargtypes) OR 'internal'::regtype = ANY (p.proargtypes));

CREATE VIEW fz.aggregates AS
SELECT f.name, f.signature, f.argtypes, f.rettype,
	(SELECT proname::text FROM pg_proc WHERE oid = a.aggtransfn) AS sfunc,
	format_type(a.aggtranstype, NULL) AS stype,
	(SELECT proname::text FROM pg_proc WHERE oid = a.aggfinalfn) AS finalfunc,
	(SELECT proname::text FROM pg_proc WHERE oid = a.aggcombinefn) AS combinefunc,
	ARRAY(SELECT format_type(t, NULL) FROM pg_proc s, unnest(s.proargtypes) WITH ORDINALITY u(t, i)
		WHERE s.oid = a.aggtransfn AND i > 1 ORDER BY i) AS sargtypes
FROM fz.functions f JOIN pg_aggregate a ON a.aggfnoid = f.oid;

-- The catalog as read once per generation, numbered for picking.
CREATE TABLE fz.fn (k int, LIKE fz.functions);
CREATE TABLE fz.agg (k int, LIKE fz.aggregates);

CREATE FUNCTION fz.pick_fn(plain_only bool) RETURNS fz.fn LANGUAGE sql AS $$
SELECT * FROM fz.fn WHERE prokind = 'f' AND (NOT plain_only OR NOT support)
ORDER BY k OFFSET fz.rint((SELECT count(*) FROM fz.fn WHERE prokind = 'f' AND (NOT plain_only OR NOT support))::int)
LIMIT 1
$$;

-- ---- case generators

-- Arguments for a call: mode one (one extreme argument), mixed (each 50/50), wild.
CREATE FUNCTION fz.g_args(argtypes text[], argnames text[], OUT sql text, OUT finite bool, OUT bad bool)
LANGUAGE plpgsql AS $$
DECLARE
	mode int := fz.rint(3);
	one int := 1 + fz.rint(greatest(cardinality(argtypes), 1));
	v fz.val;
	parts text[] := '{}';
BEGIN
	finite := true;
	bad := false;
	FOR i IN 1 .. cardinality(argtypes) LOOP
		v := fz.g_value(argtypes[i], argnames[i],
						CASE mode WHEN 0 THEN i = one WHEN 1 THEN fz.chance(0.5) ELSE true END);
		parts := parts || v.sql;
		finite := finite AND v.finite;
		bad := bad OR v.bad;
	END LOOP;
	sql := array_to_string(parts, ', ');
END $$;

CREATE FUNCTION fz.gen_call(id int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	f record;
	n int;
	a record;
	setup text;
BEGIN
	-- the aggregates' support functions, called directly, get a third of the weight
	f := fz.pick_fn(false);
	IF f.support AND fz.chance(0.66) THEN
		f := fz.pick_fn(true);
	END IF;
	n := f.pronargs;
	IF f.pronargdefaults > 0 AND fz.chance(0.3) THEN
		n := n - fz.rint(f.pronargdefaults + 1);
	END IF;
	a := fz.g_args(f.argtypes[1:n], f.argnames[1:n]);
	IF fz.chance(0.2) THEN
		setup := format('SET LOCAL TimeZone = %L', fz.pick(ARRAY['America/New_York', 'Asia/Kolkata', 'Pacific/Chatham', 'Europe/Berlin']));
	END IF;
	INSERT INTO fz.cases VALUES (id, 'call', f.name, setup, format('SELECT %I(%s)', f.name, a.sql),
		fz.kind_of(f.rettype), a.finite, a.bad);
END $$;

-- Rows for an aggregate: VALUES with an ordering column; each argument is one constant
-- for the group with probability 0.7, else drawn per row; NULLs sometimes.
CREATE FUNCTION fz.g_rows(argtypes text[], argnames text[], nrows int, nulls bool,
						  p_extreme float8, OUT sql text, OUT cols text, OUT finite bool)
LANGUAGE plpgsql AS $$
DECLARE
	konst text[] := '{}';
	isk bool[] := '{}';
	v fz.val;
	row_parts text[];
	rows_sql text[] := '{}';
	extreme bool := fz.chance(p_extreme);
BEGIN
	finite := true;
	FOR i IN 1 .. cardinality(argtypes) LOOP
		v := fz.g_value(argtypes[i], argnames[i], extreme AND fz.chance(0.5));
		konst := konst || v.sql;
		isk := isk || fz.chance(0.7);
		finite := finite AND v.finite;
	END LOOP;
	FOR r IN 1 .. greatest(nrows, 1) LOOP
		row_parts := ARRAY[r::text];
		FOR i IN 1 .. cardinality(argtypes) LOOP
			IF nulls AND fz.chance(0.05) THEN
				row_parts := row_parts || format('NULL::%s', argtypes[i]);
			ELSIF isk[i] THEN
				row_parts := row_parts || konst[i];
			ELSE
				v := fz.g_value(argtypes[i], argnames[i], extreme AND fz.chance(0.5));
				row_parts := row_parts || v.sql;
				finite := finite AND v.finite;
			END IF;
		END LOOP;
		rows_sql := rows_sql || ('(' || array_to_string(row_parts, ', ') || ')');
	END LOOP;
	sql := format('(VALUES %s) v(ord%s)%s', array_to_string(rows_sql, ', '),
		(SELECT string_agg(', a' || i, '') FROM generate_series(1, cardinality(argtypes)) i),
		CASE WHEN nrows = 0 THEN ' WHERE false' ELSE '' END);
	cols := (SELECT string_agg('a' || i, ', ') FROM generate_series(1, cardinality(argtypes)) i);
END $$;

CREATE FUNCTION fz.gen_agg(id int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	pick int;
	g record;
	f record;
	r record;
	q text;
BEGIN
	pick := fz.rint((SELECT count(*) FROM fz.agg)::int);	-- once: random() in WHERE runs per row
	SELECT * INTO g FROM fz.agg WHERE k = pick;
	SELECT * INTO f FROM fz.fn WHERE signature = g.signature;
	r := fz.g_rows(g.argtypes, f.argnames, fz.rint(7), true, 0.5);
	IF fz.chance(0.25) THEN
		q := format('SELECT %I(%s) OVER (ORDER BY ord) FROM %s', g.name, r.cols, r.sql);
	ELSE
		q := format('SELECT %I(%s) FROM %s', g.name, r.cols, r.sql);
	END IF;
	INSERT INTO fz.cases VALUES (id, 'agg', g.name, NULL, q, fz.kind_of(g.rettype), r.finite, false);
END $$;

-- A crafted initial state for a pg_temp aggregate: as a quoted literal, or (5000
-- elements) through a DO block.  Returns the CREATE AGGREGATE statement.
CREATE FUNCTION fz.g_state_agg(argtypes text[], sfunc text, stype text, finalfunc text,
							   OUT setup text, OUT finite bool, OUT bad bool)
LANGUAGE plpgsql AS $$
DECLARE
	v fz.val;
	init text;
	tmpl text;
BEGIN
	v := CASE stype
		WHEN 'double precision[]' THEN fz.g_arr('state', true)
		WHEN 'strategy' THEN fz.g_strategy(true)	-- mutated literals: the strategy_in target
		WHEN 'greeks' THEN fz.g_greeks(true)
		ELSE (format('NULL::%s', stype), true, false)::fz.val
	END;
	finite := v.finite;
	bad := v.bad;
	tmpl := format('CREATE AGGREGATE pg_temp.fz_agg(%s) (SFUNC = %s, STYPE = %s, INITCOND = %%L%s)',
		array_to_string(argtypes, ', '), sfunc, stype,
		CASE WHEN finalfunc IS NOT NULL THEN ', FINALFUNC = ' || finalfunc ELSE '' END);
	setup := format('DO $fzdo$ BEGIN EXECUTE format(%L, (%s)::text); END $fzdo$', tmpl, v.sql);
END $$;

CREATE FUNCTION fz.gen_agg_state(id int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	pick int;
	g record;
	f record;
	s record;
	r record;
	fin text;
	other fz.val;
	q text;
	kind text;
	func text;
BEGIN
	pick := fz.rint((SELECT count(*) FROM fz.agg)::int);	-- once: random() in WHERE runs per row
	SELECT * INTO g FROM fz.agg WHERE k = pick;
	SELECT * INTO f FROM fz.fn WHERE signature = g.signature;
	fin := CASE WHEN fz.chance(0.5) THEN g.finalfunc END;
	kind := fz.kind_of(CASE WHEN fin IS NULL THEN g.stype ELSE g.rettype END);
	IF g.combinefunc IS NOT NULL AND fz.chance(0.3) THEN
		-- the combine function as the transition: crafted state on both sides
		s := fz.g_state_agg(ARRAY[g.stype], g.combinefunc, g.stype, fin);
		other := CASE g.stype
			WHEN 'double precision[]' THEN fz.g_arr('state', true)
			WHEN 'strategy' THEN fz.g_strategy(true)
			ELSE fz.g_greeks(true) END;
		q := format('SELECT pg_temp.fz_agg(a1) FROM (VALUES (1, %s)) v(ord, a1)', other.sql);
		func := g.combinefunc;
		INSERT INTO fz.cases VALUES (id, 'agg_state', func, s.setup, q, kind,
			s.finite AND other.finite, s.bad OR other.bad);
		RETURN;
	END IF;
	s := fz.g_state_agg(g.sargtypes, g.sfunc, g.stype, fin);
	-- rows mostly of realistic values, so that the crafted state is what is tested
	r := fz.g_rows(g.sargtypes, f.argnames, 1 + fz.rint(3), false, 0.2);
	INSERT INTO fz.cases VALUES (id, 'agg_state', g.sfunc, s.setup,
		format('SELECT pg_temp.fz_agg(%s) FROM %s', r.cols, r.sql), kind, s.finite AND r.finite, s.bad);
END $$;

-- ---- strategy literals: mutations of valid ones

CREATE FUNCTION fz.g_strategy_text() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	s text := fz.pick(fz.strategy_seeds());
	alphabet text[] := ARRAY['0', '1', '9', '-', '+', '.', 'e', 'E', ' ', ';', '@', 'x', 'X',
		'"', 'C', 'P', 'U', 'T', 'Z', ':', chr(9), chr(10), ',', '\', '''', 'é', '∞'];
	numbers text[] := ARRAY['1e308', '-1e308', '1.7976931348623157e308', '4.9e-324', '-4.9e-324',
		'1e-320', '1e-310', '2.2250738585072014e-308', '-0', '0', '+0', '1e309', '-1e309', '1e-400',
		'0x10', 'inf', '-inf', 'nan', 'Infinity', 'NaN', '.5', '5.', '1e', 'e5', '--1', '+-1',
		'1_000', '00001', '1.0000000000000002', '123456789012345678901234567890', '0.1e-5',
		'9007199254740993'];
	expiries text[] := ARRAY['"0044-03-15 BC"', '"4714-11-24 00:00:00+00 BC"',
		'"4713-01-01 00:00:00+00 BC"', '"294276-12-31 23:59:59.999999+00"',
		'"294277-01-01 00:00:00+00"', '"2025-03-09 02:30 America/New_York"',
		'"2025-11-02 01:30 America/New_York"', '2025-12-19T21:00:00.000001Z',
		'2025-12-19T21:00:00.0000005Z', '2025-12-19T21:00:00.9999999Z', 'epoch', 'infinity',
		'-infinity', '"2025-02-30"', '"2025-12-19 25:00"', '"2025-12-19 junk"',
		'"2025-12-19 16:00 Mars/Olympus"', '"2025-12-19 16:00+15:59"', '"J2451545"',
		'"1999-12-31 23:59:60"', '""', '"0001-01-01 00:00:00+00"', '"0001-01-01 00:00:00+14"',
		'1e308', '"10000-01-01 00:00:00+00"', '"12/19/2025 16:00"', '"19.12.2025 16:00"',
		'"2025-12-19 16:00:00.123456789"', '"294276-12-31 23:59:59.9999995+00"'];
	m text[];
	pos int;
	k int;
BEGIN
	FOR step IN 1 .. 1 + fz.rint(3) LOOP
		pos := 1 + fz.rint(length(s) + 1);
		k := fz.rint(10);
		IF k = 0 AND length(s) > 0 THEN		-- flip
			s := overlay(s PLACING fz.pick(alphabet) FROM pos FOR 1);
		ELSIF k = 1 THEN					-- insert
			s := overlay(s PLACING fz.pick(alphabet) FROM pos FOR 0);
		ELSIF k = 2 AND length(s) > 0 THEN	-- delete
			s := overlay(s PLACING '' FROM least(pos, length(s)) FOR 1);
		ELSIF k IN (3, 4) THEN				-- a number token
			SELECT array_agg(x[1]) INTO m FROM regexp_matches(s, '(?:^|[ @x])(-?[0-9][0-9.e]*)', 'g') x;
			IF m IS NOT NULL THEN
				s := regexp_replace(s, '(^|[ @x])' || regexp_replace(fz.pick(m), '([.+])', '\\\1', 'g') || '(?=[ ;]|$)',
					'\1' || replace(fz.pick(numbers), '\', '\\'));
			END IF;
		ELSIF k IN (5, 6) THEN				-- an expiry
			s := regexp_replace(s, '("[^"]*"|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z)', fz.pick(expiries));
		ELSIF k = 7 THEN					-- many legs
			SELECT string_agg(split_part(coalesce(nullif(s, ''), '1 C 100 2025-12-19T21:00:00Z @ 3'), ';', 1), ';')
			INTO s FROM generate_series(1, fz.pick(ARRAY['63', '64', '65', '100'])::int);
		ELSIF k = 8 THEN					-- two positions, or a stray separator
			s := s || fz.pick(ARRAY['; ', ';', ';;', '; ;', ' ']) || fz.pick(fz.strategy_seeds());
		ELSE								-- kind and whitespace
			s := regexp_replace(s, ' (C|P|U|call|put) ', ' ' || fz.pick(ARRAY['c', 'call', 'CALL', 'Put', 'U', 'X', 'CC', '', chr(9) || 'C']) || ' ');
		END IF;
	END LOOP;
	RETURN s;
END $$;

CREATE FUNCTION fz.gen_strategy_in(id int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO fz.cases VALUES (id, 'strategy_in', 'strategy_in',
		format('SET LOCAL TimeZone = %L; SET LOCAL DateStyle = %L',
			fz.pick(ARRAY['UTC', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham', 'Australia/Lord_Howe']),
			fz.pick(ARRAY['ISO, MDY', 'SQL, DMY', 'German', 'Postgres, YMD'])),
		format('SELECT %L::strategy', fz.g_strategy_text()), 'strategy', true, false);
END $$;

-- ---- binary input: strategy_send output, mutated, in a COPY binary file

-- b mutated: op count|trunc|extend|f8|i8|byte at offset off (0-based) with bytes v.
CREATE FUNCTION fz.mutate_bytes(b bytea, op text, off int, v bytea) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	IF op = 'trunc' THEN
		RETURN substring(b FROM 1 FOR off % greatest(length(b), 1));
	ELSIF op = 'extend' THEN
		RETURN b || v;
	END IF;
	IF off + length(v) > length(b) THEN
		off := greatest(length(b) - length(v), 0);
	END IF;
	RETURN overlay(b PLACING v FROM off + 1 FOR length(v));
END $$;

-- The whole COPY binary file holding one row of one field.
CREATE FUNCTION fz.copy_file(field bytea) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
SELECT '\x5047434f50590aff0d0a00'::bytea || int4send(0) || int4send(0) || int2send(1::int2)
	|| int4send(length(field)) || field || int2send(-1::int2)
$$;

CREATE FUNCTION fz.gen_recv(id int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	e text := format('strategy_send(%L::strategy)', fz.pick(ARRAY[
		'1 C 100 2025-12-19T21:00:00Z @ 3',
		'-1 P 5600 2025-10-31T20:00:00Z @ 12.35 x100; 1 P 5500 2025-10-31T20:00:00Z @ 8.1',
		'100 U @ 5800 x1; -1 C 5900 2025-12-19T21:00:00Z @ 45.5',
		'1 P 80 2025-12-19T21:00:00Z @ 0.5; -1 P 90 2025-12-19T21:00:00Z @ 1.5; -1 C 110 2025-12-19T21:00:00Z @ 1.4; 1 C 120 2025-12-19T21:00:00Z @ 0.4',
		'']));
	leg int;
BEGIN
	FOR step IN 1 .. 1 + fz.rint(2) LOOP
		leg := fz.rint(4);
		e := CASE fz.rint(7)
			WHEN 0 THEN format('fz.mutate_bytes(%s, %L, 0, int4send(%s))', e, 'count',
				fz.pick(ARRAY['-1', '0', '1', '2', '3', '4', '5', '63', '64', '65', '1000', '2147483647', '(-2147483647 - 1)']))
			WHEN 1 THEN format('fz.mutate_bytes(%s, %L, %s, NULL)', e, 'trunc', fz.rint(170))
			WHEN 2 THEN format('fz.mutate_bytes(%s, %L, 0, %L::bytea)', e, 'extend',
				fz.pick(ARRAY['\x00', '\x43', '\x0000000000000000', '\x3ff0000000000000430000']))
			WHEN 3 THEN format('fz.mutate_bytes(%s, %L, %s, %s)', e, 'f8',
				4 + 41 * leg + fz.pick(ARRAY['0', '9', '25', '33'])::int,
				fz.pick(ARRAY['float8send(''NaN'')', 'float8send(''Infinity'')', 'float8send(''-Infinity'')',
					'float8send(''-0'')', 'float8send(''4.9e-324'')', 'float8send(''1e-320'')',
					'float8send(''0'')', 'float8send(''-1'')', 'float8send(''1e308'')',
					'float8send(''1.7976931348623157e308'')', '''\x7ff0000000000001''::bytea',
					'''\xfff8000000000000''::bytea']))
			WHEN 4 THEN format('fz.mutate_bytes(%s, %L, %s, int8send(%s))', e, 'i8', 4 + 41 * leg + 17,
				fz.pick(ARRAY['0', '9223372036854775807', '(-9223372036854775807 - 1)',
					'9223371331200000000', '9223371331199999999', '(-211813488000000000)',
					'(-211813488000000001)', '1000000000000000000', '(-1)', '(-63082281600000000)']))
			WHEN 5 THEN format('fz.mutate_bytes(%s, %L, %s, %L::bytea)', e, 'byte', 4 + 41 * leg + 8,
				fz.pick(ARRAY['\x43', '\x50', '\x55', '\x63', '\x58', '\x00', '\xff']))
			ELSE format('fz.mutate_bytes(%s, %L, %s, %L::bytea)', e, 'byte', fz.rint(170),
				fz.pick(ARRAY['\x00', '\xff', '\x7f', '\x80', '\x41']))
		END;
	END LOOP;
	INSERT INTO fz.cases VALUES (id, 'strategy_recv', 'strategy_recv',
		format('DO $fzdo$ DECLARE o oid; BEGIN o := lo_from_bytea(0, fz.copy_file(%s)); PERFORM lo_export(o, %%L); PERFORM lo_unlink(o); END $fzdo$', e),
		'COPY pg_temp.fz_recv FROM %L (FORMAT binary)', 'strategy', true, false);
END $$;

-- ---- all cases for a seed

CREATE FUNCTION fz.generate(seed float8, n int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
	k int;
BEGIN
	TRUNCATE fz.cases, fz.results, fz.fn, fz.agg;
	INSERT INTO fz.fn SELECT row_number() OVER (ORDER BY signature) - 1, * FROM fz.functions;
	INSERT INTO fz.agg SELECT row_number() OVER (ORDER BY signature) - 1, * FROM fz.aggregates;
	PERFORM setseed(seed);
	FOR id IN 1 .. n LOOP
		k := fz.rint(100);
		IF k < 45 THEN
			PERFORM fz.gen_call(id);
		ELSIF k < 58 THEN
			PERFORM fz.gen_agg(id);
		ELSIF k < 75 THEN
			PERFORM fz.gen_agg_state(id);
		ELSIF k < 90 THEN
			PERFORM fz.gen_strategy_in(id);
		ELSE
			PERFORM fz.gen_recv(id);
		END IF;
	END LOOP;
	RETURN n;
END $$;

-- ---- the executor and its oracles

CREATE FUNCTION fz.has_nan(t text) RETURNS bool LANGUAGE sql IMMUTABLE AS
$$ SELECT t ~ '(^|[^A-Za-z])NaN([^A-Za-z]|$)' $$;

CREATE FUNCTION fz.has_pattern(t text) RETURNS bool LANGUAGE sql IMMUTABLE AS
$$ SELECT t LIKE '%-5.3140103725178076e+303%' $$;

-- Through COPY (FORMAT binary) to a file and back: the value as recv rebuilds it.
CREATE FUNCTION fz.binary_back(s strategy, g greeks) RETURNS TABLE (rs strategy, rg greeks)
LANGUAGE plpgsql AS $$
DECLARE
	path text := current_setting('data_directory') || '/fz_rt_' || pg_backend_pid() || '.bin';
BEGIN
	DELETE FROM pg_temp.fz_rt;
	DELETE FROM pg_temp.fz_rt2;
	INSERT INTO pg_temp.fz_rt VALUES (s, g);
	EXECUTE format('COPY pg_temp.fz_rt TO %L (FORMAT binary)', path);
	EXECUTE format('COPY pg_temp.fz_rt2 FROM %L (FORMAT binary)', path);
	RETURN QUERY SELECT x.s, x.g FROM pg_temp.fz_rt2 x;
END $$;

CREATE TYPE fz.result AS (outcome text, sqlstate text, message text);

-- The oracles on one case's outputs (a finding, or NULL).
CREATE FUNCTION fz.check_outputs(c fz.cases, sv strategy[], gv greeks[], tv text[]) RETURNS fz.result
LANGUAGE plpgsql AS $$
DECLARE
	texts text[] := '{}';
	t text;
	s2 strategy;
	g2 greeks;
	st text;
	msg text;
	what text;
BEGIN
	-- text out
	BEGIN
		what := 'text_out';
		IF sv IS NOT NULL THEN
			SELECT array_agg(x::text) INTO texts FROM unnest(sv) x;
		ELSIF gv IS NOT NULL THEN
			SELECT array_agg(x::text) INTO texts FROM unnest(gv) x;
		ELSE
			texts := tv;
		END IF;
		texts := coalesce(texts, '{}');
		IF c.bad_state THEN
			RETURN ('accepted_invalid_state', NULL, left(array_to_string(texts, ' | ', 'NULL'), 300))::fz.result;
		END IF;
		FOREACH t IN ARRAY texts LOOP
			IF t IS NOT NULL AND c.finite AND fz.has_nan(t) THEN
				RETURN ('nan', NULL, left(t, 300))::fz.result;
			END IF;
			IF t IS NOT NULL AND fz.has_pattern(t) THEN
				RETURN ('uninitialised', NULL, left(t, 300))::fz.result;
			END IF;
		END LOOP;
		-- text round trip
		what := 'text_roundtrip';
		IF sv IS NOT NULL THEN
			FOR i IN 1 .. cardinality(sv) LOOP
				CONTINUE WHEN sv[i] IS NULL;
				s2 := texts[i]::strategy;
				IF NOT (s2 = sv[i] AND strategy_send(s2) = strategy_send(sv[i])) THEN
					RETURN ('text_roundtrip', NULL, left(texts[i] || ' came back as ' || s2::text, 300))::fz.result;
				END IF;
			END LOOP;
		ELSIF gv IS NOT NULL THEN
			FOR i IN 1 .. cardinality(gv) LOOP
				CONTINUE WHEN gv[i] IS NULL;
				g2 := texts[i]::greeks;
				-- bit for bit; but a NaN in (from a non-finite input) may come back with
				-- another sign, as any float8 NaN does
				IF NOT (g2 *= gv[i] OR (NOT c.finite AND g2 IS NOT DISTINCT FROM gv[i])) THEN
					RETURN ('text_roundtrip', NULL, left(texts[i] || ' came back as ' || g2::text, 300))::fz.result;
				END IF;
			END LOOP;
		ELSIF c.kind = 'state' THEN
			FOREACH t IN ARRAY texts LOOP
				IF t IS NOT NULL AND t::float8[]::text IS DISTINCT FROM t THEN
					RETURN ('text_roundtrip', NULL, left(t || ' came back as ' || t::float8[]::text, 300))::fz.result;
				END IF;
			END LOOP;
		END IF;
		-- binary round trip
		what := 'binary_roundtrip';
		IF sv IS NOT NULL THEN
			FOR i IN 1 .. cardinality(sv) LOOP
				CONTINUE WHEN sv[i] IS NULL;
				SELECT b.rs INTO s2 FROM fz.binary_back(sv[i], NULL) b;
				IF NOT (strategy_send(s2) = strategy_send(sv[i])) THEN
					RETURN ('binary_roundtrip', NULL, left(texts[i] || ' came back as ' || s2::text, 300))::fz.result;
				END IF;
			END LOOP;
		ELSIF gv IS NOT NULL THEN
			FOR i IN 1 .. cardinality(gv) LOOP
				CONTINUE WHEN gv[i] IS NULL;
				g2 := (SELECT b.rg FROM fz.binary_back(NULL, gv[i]) b);
				IF NOT (g2 *= gv[i]) THEN
					RETURN ('binary_roundtrip', NULL, left(texts[i] || ' came back as ' || g2::text, 300))::fz.result;
				END IF;
			END LOOP;
		END IF;
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
		RETURN (what, st, left(msg || ' (' || coalesce(left(array_to_string(texts, ' | ', 'NULL'), 200), '') || ')', 300))::fz.result;
	END;
	RETURN NULL;
END $$;

-- An error of the case itself: allowed, a finding, or a bug of this file.
CREATE FUNCTION fz.classify(c fz.cases, st text, msg text) RETURNS fz.result
LANGUAGE sql AS $$
SELECT CASE
	WHEN st LIKE '42%' OR st LIKE 'FZ%' THEN 'driver'
	WHEN EXISTS (SELECT 1 FROM fz.allowed a WHERE a.sqlstate = st AND c.func ~ a.scope
				 AND (a.argtype IS NULL OR EXISTS (SELECT 1 FROM fz.fn f
												   WHERE f.name = c.func AND a.argtype = ANY (f.argtypes))))
		THEN 'error'
	ELSE 'bad_sqlstate' END, st, left(msg, 300)
$$;

CREATE FUNCTION fz.run_case(c fz.cases) RETURNS fz.result LANGUAGE plpgsql AS $$
DECLARE
	sv strategy[];
	gv greeks[];
	tv text[];
	r fz.result;
	st text;
	msg text;
	path text := current_setting('data_directory') || '/fz_recv_' || pg_backend_pid() || '.bin';
BEGIN
	r := ('ok', NULL, NULL)::fz.result;
	BEGIN
		IF c.target = 'strategy_recv' THEN
			DELETE FROM pg_temp.fz_recv;
			EXECUTE format(c.setup, path);
			EXECUTE format(c.sql, path);
			SELECT array_agg(s) INTO sv FROM pg_temp.fz_recv;
		ELSE
			IF c.setup IS NOT NULL THEN
				EXECUTE c.setup;
			END IF;
			IF c.kind = 'strategy' THEN
				EXECUTE format('SELECT array_agg(x) FROM (%s) t(x)', c.sql) INTO sv;
			ELSIF c.kind = 'greeks' THEN
				EXECUTE format('SELECT array_agg(x) FROM (%s) t(x)', c.sql) INTO gv;
			ELSE
				EXECUTE format('SELECT array_agg(x::text) FROM (%s) t(x)', c.sql) INTO tv;
			END IF;
		END IF;
		-- the oracles run under the case's settings (time zone, DateStyle)
		r := coalesce(fz.check_outputs(c, sv, gv, tv), r);
		RAISE SQLSTATE 'FZ999';	-- undo the case: its aggregate, settings, files' rows
	EXCEPTION
		WHEN SQLSTATE 'FZ999' THEN
			NULL;
		WHEN OTHERS THEN
			GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
			r := fz.classify(c, st, msg);
	END;
	RETURN r;
END $$;

-- Cases lo..hi, one transaction each: after a crash, the last committed result says
-- which case killed the backend.
CREATE PROCEDURE fz.run(lo int, hi int) LANGUAGE plpgsql AS $$
DECLARE
	c fz.cases;
	r fz.result;
	t0 timestamptz;
BEGIN
	CREATE TEMP TABLE IF NOT EXISTS fz_rt (s strategy, g greeks);
	CREATE TEMP TABLE IF NOT EXISTS fz_rt2 (s strategy, g greeks);
	CREATE TEMP TABLE IF NOT EXISTS fz_recv (s strategy);
	COMMIT;
	FOR c IN SELECT * FROM fz.cases WHERE id BETWEEN lo AND hi
			 AND id NOT IN (SELECT id FROM fz.results) ORDER BY id LOOP
		t0 := clock_timestamp();
		r := fz.run_case(c);
		INSERT INTO fz.results VALUES (c.id, r.outcome, r.sqlstate, r.message,
			1000 * extract(epoch FROM clock_timestamp() - t0));
		COMMIT;
	END LOOP;
END $$;

-- One reproducer per case, as psql runs it.
CREATE FUNCTION fz.reproducer(c fz.cases) RETURNS text LANGUAGE sql AS $$
SELECT CASE WHEN c.target = 'strategy_recv' THEN
	format(E'CREATE TEMP TABLE fz_recv (s strategy);\n%s;\n%s;\nSELECT s FROM fz_recv;',
		format(c.setup, '/tmp/fz_recv.bin'), format(replace(c.sql, 'pg_temp.', ''), '/tmp/fz_recv.bin'))
	ELSE concat(replace(replace(c.setup, 'SET LOCAL', 'SET'), '; SET', E';\nSET') || E';\n', c.sql, ';') END
$$;
