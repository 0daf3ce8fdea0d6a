-- A 100,000-row SPY-like chain: spot 600, strikes 480-720, 1-180 days, dividends 1.2%.
SELECT setseed(0.3);
CREATE TABLE spy_chain AS
SELECT CASE WHEN random() < 0.5 THEN 'C' ELSE 'P' END AS cp, 600.0::float8 AS spot,
       (480 + floor(random() * 241))::float8 AS strike,
       ((1 + floor(random() * 180)) / 365.0)::float8 AS t,
       (0.12 + 0.25 * random())::float8 AS vol, 0.045::float8 AS r, 0.012::float8 AS q
FROM generate_series(1, 100000);
VACUUM ANALYZE spy_chain;
