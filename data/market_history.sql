-- data/market_history.sql -- daily SPX and VIX closes for a year and the weeks after the
-- sample chain's quote time, with a volatility spike, and a ledger of the trades of the
-- playbook (sql/playbook.sql).  Deterministic: a smooth path plus fixed sine "noise".
--   2024-09-16 .. 2025-09-15  a year of history, with a spring sell-off (VIX 15 -> 32)
--   2025-09-16 .. 2025-10-31  after the condor is opened: SPX slides toward the short put,
--                             VIX jumps from about 15 to 22 in two sessions on 2025-10-01/02

CREATE TABLE daily (
	day		date PRIMARY KEY,
	spx		float8 NOT NULL,
	vix		float8 NOT NULL
);

INSERT INTO daily
SELECT d::date,
	   round((CASE
		   WHEN d < '2025-03-20' THEN 5600 + 400 * sin(extract(epoch FROM d - '2024-09-16') / 86400 / 60)
		   WHEN d < '2025-04-21' THEN 5600 + 400 * sin(extract(epoch FROM '2025-03-20' - timestamp '2024-09-16') / 86400 / 60)
									- 600 * sin(pi() * (d::date - date '2025-03-20') / 62.0)
		   WHEN d <= '2025-09-15' THEN 5200 + 600 * ((d::date - date '2025-04-21') / 147.0)
		   WHEN d < '2025-09-30' THEN 5800 - 6 * (d::date - date '2025-09-15')
		   WHEN d < '2025-10-03' THEN 5716 - 55 * (d::date - date '2025-09-29')
		   WHEN d < '2025-10-10' THEN 5551 - 20 * (d::date - date '2025-10-02')
		   ELSE 5411 + 12 * (d::date - date '2025-10-09') END
		   + 12 * sin(d::date - date '2024-01-01'))::numeric, 2)::float8,
	   round((CASE
		   WHEN d < '2025-03-20' THEN 15 + 1.5 * sin(extract(epoch FROM d - '2024-09-16') / 86400 / 23)
		   WHEN d < '2025-04-21' THEN 15 + 17 * sin(pi() * (d::date - date '2025-03-20') / 62.0)
		   WHEN d <= '2025-09-15' THEN 17 - 2 * ((d::date - date '2025-04-21') / 147.0)
		   WHEN d < '2025-10-01' THEN 15 + 0.05 * (d::date - date '2025-09-15')
		   WHEN d < '2025-10-03' THEN 15.75 + 3.2 * (d::date - date '2025-09-30')
		   WHEN d < '2025-10-10' THEN 22.2 + 0.6 * (d::date - date '2025-10-02')
		   ELSE greatest(16, 26.4 - 0.5 * (d::date - date '2025-10-09')) END
		   + 0.3 * sin(3 * (d::date - date '2024-01-01')))::numeric, 2)::float8
FROM generate_series(date '2024-09-16', date '2025-10-31', interval '1 day') d
WHERE extract(isodow FROM d) < 6;

-- The trades of the playbook, in currency per contract row: what the user did and was
-- paid (negative = paid out).  Premiums per unit x qty x multiplier.
CREATE TABLE ledger (
	id		serial PRIMARY KEY,
	day		date NOT NULL,
	what	text NOT NULL,
	amount	float8 NOT NULL
);
