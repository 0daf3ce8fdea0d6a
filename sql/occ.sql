-- OCC option symbols: reading (padded or compact) and writing, strictly.
SET DateStyle = 'ISO, YMD';
SELECT (occ_parse('SPXW  251031C05800000')).*;
SELECT s AS symbol, (occ_parse(s)).*
FROM unnest(ARRAY['SPXW251031C05800000', 'SPY   260116P00450500', 'VIX251022C00017500',
                  'GOOGL1240119C00000500', 'BRKB  991231P99999999', 'F000229C00000001']) s;
-- the decimal forms brokers print, with and without the OPRA dot
SELECT s AS symbol, (occ_parse(s)).*
FROM unnest(ARRAY['SPXW251031C5800', '.SPXW251031C5800', 'SPY260116P450.5', '.VIX251022C17.5',
                  'GOOGL1240119C0.5', '.F991231P99999.999', 'F000229C.001']) s;
SELECT occ_symbol('SPXW', '2025-10-31', 'C', 5800) AS spxw,
       occ_symbol('SPY', '2026-01-16', 'put', 450.5) AS spy,
       occ_symbol('VIX', '2025-10-22', 'c', 17.5) AS vix,
       occ_symbol('GOOGL1', '2024-01-19', 'C', 0.5) AS six_letter_root,
       occ_symbol('F', '2099-12-31', 'P', 99999.999) AS largest,
       length(occ_symbol('F', '2000-01-01', 'C', 0.001)) AS length;

-- the round trip over 5,000 random contracts, and the compact form reads the same
SELECT setseed(0.14);
CREATE TEMP TABLE occ_rnd AS
SELECT i, root, date '2000-01-01' + floor(random() * 36525)::int AS expiry,
       (ARRAY['C', 'P'])[1 + floor(random() * 2)::int] AS cp,
       (1 + floor(random() * 99999999))::float8 / 1000 AS strike
FROM generate_series(1, 5000) i,
     LATERAL (SELECT string_agg(substr('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
                                       1 + floor(random() * (CASE WHEN k = 1 THEN 26 ELSE 36 END))::int, 1), '')
              FROM generate_series(1, 1 + floor(random() * 6)::int + i * 0) k) r(root);
SELECT count(*) AS contracts,
       count(*) FILTER (WHERE (p).root = root AND (p).expiry = expiry AND (p).cp = cp AND (p).strike = strike) AS round_trips,
       count(*) FILTER (WHERE occ_parse(replace(sym, ' ', '')) = p) AS compact_same,
       count(*) FILTER (WHERE length(sym) = 21 AND sym ~ '^[A-Z][A-Z0-9]{0,5} *[0-9]{6}[CP][0-9]{8}$') AS osi_layout,
       count(*) FILTER (WHERE substr(sym, 7, 6) = to_char(expiry, 'YYMMDD')
                          AND substr(sym, 14)::bigint = round(strike * 1000)) AS fields_in_place
FROM (SELECT *, occ_symbol(root, expiry, cp, strike) AS sym, occ_parse(occ_symbol(root, expiry, cp, strike)) AS p
      FROM occ_rnd) x;

-- Bad symbols: 22P02 naming the faulty part; bad arguments of occ_symbol: 22023, 22008
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	DECLARE d text;
	BEGIN
		GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
		RETURN SQLSTATE || ': ' || SQLERRM || coalesce(' -- ' || nullif(d, ''), '');
	END;
END $$;
SELECT q AS query, pg_temp.err(q) AS result FROM unnest(ARRAY[
  $$SELECT occ_parse('SPXW')$$,
  $$SELECT occ_parse('SPXWXYZ251031C05800000')$$,
  $$SELECT occ_parse('      251031C05800000')$$,
  $$SELECT occ_parse('SPXW 251031C05800000')$$,
  $$SELECT occ_parse('SP XW 251031C05800000')$$,
  $$SELECT occ_parse('spxw  251031C05800000')$$,
  $$SELECT occ_parse('123   251031C05800000')$$,
  $$SELECT occ_parse('SPXW  25103XC05800000')$$,
  $$SELECT occ_parse('SPXW  251331C05800000')$$,
  $$SELECT occ_parse('SPXW  250229C05800000')$$,
  $$SELECT occ_parse('SPXW  251031X05800000')$$,
  $$SELECT occ_parse('SPXW  251031C0580000X')$$,
  $$SELECT occ_parse('SPXW  251031C00000000')$$,
  $$SELECT occ_parse('SPXW  251031C05800000 ')$$,
  $$SELECT occ_parse('SPY260116P450.1234')$$,
  $$SELECT occ_parse('SPY260116P4.5.0')$$,
  $$SELECT occ_parse('.SPY260116P0')$$,
  $$SELECT occ_parse('.SPY260116P100000')$$,
  $$SELECT occ_parse('.SPY261316P450')$$,
  $$SELECT occ_parse('.260116P450')$$,
  $$SELECT occ_parse('.SPY260116X450')$$,
  $$SELECT occ_symbol('spxw', '2025-10-31', 'C', 5800)$$,
  $$SELECT occ_symbol('SPXWEEK', '2025-10-31', 'C', 5800)$$,
  $$SELECT occ_symbol('', '2025-10-31', 'C', 5800)$$,
  $$SELECT occ_symbol('SPXW', '2025-10-31', 'X', 5800)$$,
  $$SELECT occ_symbol('SPXW', '2025-10-31', 'C', 5800.0005)$$,
  $$SELECT occ_symbol('SPXW', '2025-10-31', 'C', 100000)$$,
  $$SELECT occ_symbol('SPXW', '2025-10-31', 'C', 0)$$,
  $$SELECT occ_symbol('SPXW', '2025-10-31', 'C', 'NaN')$$,
  $$SELECT occ_symbol('SPXW', '1999-12-17', 'C', 5800)$$,
  $$SELECT occ_symbol('SPXW', '2100-01-15', 'C', 5800)$$,
  $$SELECT occ_symbol('SPXW', 'infinity', 'C', 5800)$$
]) AS q;
SELECT occ_parse(NULL) IS NULL AS null_in, occ_symbol('SPXW', NULL, 'C', 5800) IS NULL AS null_out;
RESET DateStyle;
