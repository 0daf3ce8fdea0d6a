-- Position arithmetic on greeks: scaling, adding, the greeks_total aggregate.
CREATE TEMP TABLE legs (qty float8, g greeks);
INSERT INTO legs VALUES
  (-1, ROW(10, 0.25, 0.001, 0.5, -0.75, 0.125, -0.0625, 0.01, 0.02, -0.003)),
  ( 1, ROW( 4, 0.125, 0.0005, 0.25, -0.25, 0.0625, -0.03125, 0.005, 0.01, -0.001)),
  ( 2, ROW( 1, -0.5, 0.002, 1, -1, -0.25, 0.125, -0.02, 0.04, 0.002));

-- greeks * float8 and float8 * greeks scale every field (quantity x multiplier)
SELECT (g * (qty * 100)).* FROM legs ORDER BY qty;
SELECT (100 * g) = (g * 100) AS commutes FROM legs;

-- greeks + greeks adds field by field
SELECT ((SELECT g FROM legs WHERE qty = -1) + (SELECT g FROM legs WHERE qty = 1)).*;

-- greeks_total: the position's Greeks in one row
SELECT (greeks_total(g * (qty * 100))).* FROM legs;

-- NULL rows are skipped; an empty set gives NULL
SELECT greeks_total(g) IS NULL AS empty_is_null FROM legs WHERE false;
SELECT (greeks_total(x)).price FROM (SELECT g AS x FROM legs UNION ALL SELECT NULL) s;

-- a NULL field stays NULL in sums
SELECT (ROW(1,1,1,1,1,1,1,1,1,1)::greeks + ROW(1,NULL,1,1,1,1,1,1,1,1)::greeks).delta IS NULL
  AS null_field_propagates;

-- the text form round-trips exactly (the aggregate state's form too)
SELECT g::text::greeks = g AS roundtrip
FROM (SELECT bs_greeks('C', 5800, 5825, 2/365.0, 0.14, 0.045, 0.013) AS g) s;

-- a real position: short 1 SPX 5900/6000 call spread, 100 multiplier, from bs_greeks
SELECT round((p).price::numeric, 4) AS value, round((p).delta::numeric, 4) AS delta,
       round((p).vega::numeric, 4) AS vega, round((p).theta::numeric, 4) AS theta
FROM (SELECT greeks_total(bs_greeks('C', 5800, k, 45/365.0, 0.15, 0.045, 0.013) * (q * 100)) AS p
      FROM (VALUES (5900.0, -1.0), (6000.0, 1.0)) v(k, q)) s;
