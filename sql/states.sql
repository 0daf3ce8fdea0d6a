-- Aggregate states any user can hand to condor's support functions: crafted INITCONDs of
-- aggregates of their own, final functions called on any array, support functions
-- called outside an aggregate.  Every case is a clean error (22023 for a bad state,
-- 0A000 outside an aggregate), never a crash or a wrong number.
SET extra_float_digits = 0;
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- The crash of 0.1: svi_sfunc reused with 5000 zeros as its initial state.
DO $$BEGIN EXECUTE format('CREATE AGGREGATE pg_temp.a(float8,float8) (SFUNC=svi_sfunc, STYPE=float8[], INITCOND=%L)',
  ARRAY[array_fill(0::float8, ARRAY[5000])]::text); END$$;
SELECT pg_temp.err('SELECT length(pg_temp.a(0,0)::text)') AS svi_5000_zeros;

-- Every collecting transition function against crafted initial states: shapes (two
-- dimensions, NULLs, a lower bound other than 1, a partial row) and header values
-- (NaN, infinite, out of range, a time that is not a whole microsecond).
CREATE TEMP TABLE sfuncs (name text, args text, call text);
INSERT INTO sfuncs VALUES
 ('vix_sfunc', 'timestamptz, timestamptz, text, float8, float8, float8, float8',
  $$'2025-01-01 15:00+00', '2025-02-01 15:00+00', 'C', 100, 1, 2, 0.04$$),
 ('forward_sfunc', 'float8, float8, float8, float8', '100, 5, 4, 0.5'),
 ('svi_sfunc', 'float8, float8', '0.1, 0.04'),
 ('term_sfunc', 'float8, float8, float8', '0.5, 0.2, 0.25'),
 ('iron_condor_sfunc', 'timestamptz, text, float8, float8, float8, float8',
  $$'2025-02-01 15:00+00', 'C', 100, 1, 2, 0.2$$),
 ('xirr_sfunc', 'float8, date', $$-100, '2025-01-01'$$),
 ('xirr_sfunc', 'float8, timestamptz', $$-100, '2025-01-01 10:00+00'$$),
 ('irr_sfunc', 'float8, int', '-100, 0'),
 ('greeks_total_sfunc', 'greeks', $$'(1,2,3,4,5,6,7,8,9,10)'$$);
CREATE TEMP TABLE states (label text, st text);
INSERT INTO states VALUES
 ('2-D', '{{1,2},{3,4}}'),
 ('NULLs', '{1,NULL,3,4,5,6,7,8}'),
 ('lower bound 0', '[0:1]={1,2}'),
 ('not whole rows', '{1,2,3,4,5,6,7,8,9,10,11}'),
 ('5000 zeros', (SELECT array_fill(0::float8, ARRAY[5000])::text)),
 ('NaN header', '{NaN,30}'),
 ('infinite header', '{Infinity,30,1}'),
 ('huge time', '{1e300,30}'),
 ('fractional time', '{0.5,30}'),
 ('negative target', '{0,-30}');
CREATE TEMP TABLE outcomes (name text, args text, label text, first_row text);
DO $$
DECLARE
	f record;
	s record;
	i int := 0;
BEGIN
	FOR f IN SELECT * FROM sfuncs LOOP
		FOR s IN SELECT * FROM states LOOP
			i := i + 1;
			EXECUTE format('CREATE AGGREGATE pg_temp.crafted_%s(%s) (SFUNC = %s, STYPE = float8[], INITCOND = %L)',
						   i, f.args, f.name, s.st);
			INSERT INTO outcomes
			VALUES (f.name, f.args, s.label,
					pg_temp.err(format('SELECT pg_temp.crafted_%s(%s)', i, f.call)));
		END LOOP;
	END LOOP;
END $$;
-- each crafted state is refused on the first row, or (for a state of the right shape
-- whose values only the final function reads) accepted and refused by the final below
SELECT name, label, left(first_row, 60) AS first_row
FROM outcomes WHERE first_row NOT LIKE '22023: %' AND first_row <> 'no error'
ORDER BY 1, 2;
SELECT count(*) AS refused_22023 FROM outcomes WHERE first_row LIKE '22023: %';
SELECT name, string_agg(label, ', ' ORDER BY label) AS shape_ok_values_unread
FROM outcomes WHERE first_row = 'no error' GROUP BY name ORDER BY name;

-- Final functions take any float8[]: shape and every value are checked first.
CREATE TEMP TABLE finals (fn text);
INSERT INTO finals VALUES ('vix_index_final'), ('vix_index_strict_final'), ('vix_status_final'),
 ('vix_terms_final'), ('forward_final'), ('forward_status_final'), ('svi_final'),
 ('svi_status_final'), ('term_final'), ('term_status_final'), ('iron_condor_final'),
 ('xirr_final'), ('irr_final'), ('xirr_guess_final'), ('irr_guess_final'), ('greeks_total_final');
INSERT INTO states VALUES
 ('call flag 0.5', '{0,30,0,0.5,100,1,2,0.04}'),
 ('negative strike', '{0,30,0,1,-100,1,2,0.04}'),
 ('target delta 16', '{16,50,0,0,1,100,1,2,0.2}'),
 ('flag 2', '{0.16,50,2,0,1,100,1,2,0.2}'),
 ('period 1e10', '{-100,1e10}'),
 ('days 1e300', '{-100,1e300}'),
 ('NaN amount', '{NaN,0,100,1}'),
 ('guess -2', '{-2,-100,0,110,1}');
SELECT fn, count(*) FILTER (WHERE r LIKE '22023: %') AS refused,
       count(*) FILTER (WHERE r = 'no error') AS accepted,
       string_agg(label || ' -> ' || r, '; ' ORDER BY label)
         FILTER (WHERE r NOT LIKE '22023: %' AND r <> 'no error') AS other
FROM (SELECT fn, label, pg_temp.err(format('SELECT %I(%L::float8[])', fn, st)) AS r
      FROM finals, states) x
GROUP BY fn ORDER BY fn;
-- the messages name the state and what is wrong
SELECT pg_temp.err($$SELECT vix_index_final('{{1,2},{3,4}}')$$);
SELECT pg_temp.err($$SELECT svi_final('{1,NULL,3}')$$);
SELECT pg_temp.err($$SELECT iron_condor_final('{16,50,0,0,1,100,1,2,0.2}')$$);
SELECT pg_temp.err($$SELECT irr_final('{-100,0.5,110,1}')$$);
SELECT pg_temp.err($$SELECT term_final('[0:2]={0.25,0.5,0.2}')$$);
SELECT pg_temp.err($$SELECT greeks_total_final(array_cat('{4001,1e9}'::float8[], array_fill(0::float8, ARRAY[30])))$$);
SELECT pg_temp.err($$SELECT greeks_total_final(array_cat('{4001,1}'::float8[], array_fill(0::float8, ARRAY[29])))$$);
SELECT greeks_total_final(array_cat('{4001,1}'::float8[], array_fill(0::float8, ARRAY[30]))) AS zeros;

-- Valid states from the text form are accepted and extend like the original.
CREATE AGGREGATE pg_temp.term_state(float8, float8, float8) (SFUNC = term_sfunc, STYPE = float8[]);
SELECT st, term_final(st) AS direct, term_final(st::text::float8[]) AS from_text
FROM (SELECT pg_temp.term_state(t, v, 0.25) AS st
      FROM (VALUES (0.1, 0.2), (0.5, 0.25)) x(t, v)) s;
CREATE AGGREGATE pg_temp.term_from(float8, float8, float8) (
	SFUNC = term_sfunc, STYPE = float8[], FINALFUNC = term_final, INITCOND = '{0.25,0.1,0.2}');
SELECT pg_temp.term_from(t, v, 0.25) FROM (VALUES (0.5, 0.25)) x(t, v);
SELECT pg_temp.err($$SELECT pg_temp.term_from(t, v, 0.3) FROM (VALUES (0.5, 0.25)) x(t, v)$$) AS other_target;

-- Support functions outside an aggregate: 0A000, not an internal error.
SELECT pg_temp.err($$SELECT vix_sfunc(NULL, now(), now(), 'C', 1, 1, 1, 0)$$);
SELECT pg_temp.err($$SELECT vix_combine('{0,30}', '{0,30}')$$);
SELECT pg_temp.err($$SELECT svi_sfunc(NULL, 0, 0.04)$$);
SELECT pg_temp.err($$SELECT irr_combine(NULL, '{1,2}')$$);
SELECT pg_temp.err($$SELECT ema_sfunc(NULL, 1, 3)$$);
SELECT pg_temp.err($$SELECT rsi_sfunc(NULL, 1)$$);
SELECT pg_temp.err($$SELECT macd_sfunc(NULL, 1)$$);
SELECT pg_temp.err($$SELECT iron_condor_sfunc(NULL, now(), 'C', 1, 1, 1, 0.2)$$);

-- Signal states with periods no int can hold: refused, no conversion overflow.
SELECT pg_temp.err($$SELECT ema_final('{1001,1e300,0,0}')$$) AS ema_huge_span;
SELECT pg_temp.err($$SELECT rsi_final('{2001,-1e300,0,0,0,0}')$$) AS rsi_negative_period;
SELECT pg_temp.err($$SELECT macd_final('{3001,12,1e19,9,0,0,0,0}')$$) AS macd_huge_slow;
SELECT pg_temp.err($$SELECT rsi_final('{{2001,14,0},{0,0,0}}')$$) AS rsi_2d;
CREATE AGGREGATE pg_temp.rsi_crafted(float8) (SFUNC = rsi_sfunc, STYPE = float8[],
	FINALFUNC = rsi_final, INITCOND = '{2001,4e9,0,0,0,0}');
SELECT pg_temp.err($$SELECT pg_temp.rsi_crafted(x) FROM generate_series(1, 3) x$$) AS rsi_initcond;

-- A parameter out of range is refused where it is given.
SELECT pg_temp.err($$SELECT iron_condor(expiry, cp, strike, bid, ask, delta, 16, 50)
                     FROM (VALUES ('2025-02-01 15:00+00'::timestamptz, 'C', 100.0, 1.0, 2.0, 0.2)) q(expiry, cp, strike, bid, ask, delta)$$) AS delta_16;
SELECT pg_temp.err($$SELECT vix_index(as_of, expiry, 'C', 100, 1, 2, 0.04)
                     FROM (VALUES ('1600-01-01 00:00+00'::timestamptz, '1600-02-01 00:00+00'::timestamptz)) v(as_of, expiry)$$) AS year_1600;
SELECT pg_temp.err($$SELECT xirr(a, d, -1) FROM (VALUES (-1.0, '2025-01-01'::date)) v(a, d)$$) AS guess_minus_one;

-- Results do not depend on row order: every permutation gives the same bits.
CREATE TEMP TABLE smile AS
SELECT k, -0.02 + 0.2 * (-0.6 * (k - 0.05) + sqrt((k - 0.05) ^ 2 + 0.04)) + 1e-4 * sin(40 * k) AS w
FROM generate_series(-0.6, 0.4, 0.0125) k;
SELECT setseed(0.42);
SELECT count(DISTINCT f::text) AS distinct_fits
FROM (SELECT (SELECT svi_fit(k, w ORDER BY md5(k::text || i)) FROM smile) AS f
      FROM generate_series(1, 20) i) x;
SELECT count(DISTINCT r) AS distinct_rates
FROM (SELECT (SELECT xirr(a, d ORDER BY md5(a::text || i)) FROM (VALUES
        (-2865.36, 0), (2308.76, 18), (97.75, 88), (368.77, 79), (129.51, 216),
        (1959.69, 461), (2481.90, 397), (-276.16, 93), (-144.49, 563), (-74.78, 537)) v(a, n),
        LATERAL (SELECT date '2025-01-01' + n AS d) dd) AS r
      FROM generate_series(1, 20) i) x;

-- xirr/irr: the investment's rate, not the root nearest zero (issue 11's flows);
-- the guess chooses among several investment rates.
SELECT round(xirr(a, date '2025-01-01' + n)::numeric, 6) AS xirr,
       round(xirr(a, date '2025-01-01' + n, -0.9)::numeric, 6) AS xirr_guess
FROM (VALUES (-2865.36, 0), (2308.76, 18), (97.75, 88), (368.77, 79), (129.51, 216),
             (1959.69, 461), (2481.90, 397), (-276.16, 93), (-144.49, 563), (-74.78, 537)) v(a, n);
-- -(x - 1.1)(x - 1.2)(x - 1.4) / x^3: falls through zero at 10% and 40%
SELECT round(irr(a, p)::numeric, 12) AS default_guess, round(irr(a, p, 0.3)::numeric, 12) AS guess_30,
       round(irr(a, p, 0.2)::numeric, 12) AS guess_20
FROM (VALUES (-1.0, 0), (3.7, 1), (-(1.1 * 1.2 + 1.1 * 1.4 + 1.2 * 1.4), 2), (1.1 * 1.2 * 1.4, 3)) v(a, p);
