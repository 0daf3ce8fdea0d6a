-- data/vol_history.sql -- end-of-day history for the volatility dashboard, generated
-- deterministically from data/market_history.sql (load that first: this reads "daily").
--   spx_bars  daily SPX bars: the close is daily.spx; the open gaps from the previous
--             close and the high and low reach beyond both, by fixed sine "noise"
--   spx_eod   one end-of-day chain a session (16:00 New York): the next six Friday
--             expiries (five when a holiday moves the first onto the quote's day),
--             strikes every 50 points across +-15% of the close, with the forward and
--             the vendor's implied vol of each strike.  The smile is the sample chain's
--             (raw SVI in k = ln(K/F), rho = -0.8) with the ATM vol set by the day's VIX
--             and reverting toward 16% with the tenor:
--             atm(t) = vix/100 + (0.16 - vix/100)(1 - e^{-4t}).  r = 4.5%, q = 1.3%.

CREATE TABLE spx_bars (
	day		date PRIMARY KEY,
	open	float8 NOT NULL,
	high	float8 NOT NULL,
	low		float8 NOT NULL,
	close	float8 NOT NULL
);

INSERT INTO spx_bars
SELECT day, o,
	   round((greatest(o, c) * (1.0015 + 0.0025 * (1 + sin(1.3 * n)) + 0.0002 * abs(vix - 15)))::numeric, 2)::float8,
	   round((least(o, c) * (0.9985 - 0.0025 * (1 + cos(1.7 * n)) - 0.0002 * abs(vix - 15)))::numeric, 2)::float8,
	   c
FROM (SELECT day, n, vix, c,
			 round((coalesce(prev, c) * (1 + 0.0015 * sin(2.9 * n)))::numeric, 2)::float8 AS o
	  FROM (SELECT day, vix, spx AS c, lag(spx) OVER (ORDER BY day) AS prev,
				   row_number() OVER (ORDER BY day) AS n
			FROM daily) d) b;

CREATE TABLE spx_eod (
	quote_ts	timestamptz NOT NULL,
	expiry_ts	timestamptz NOT NULL,
	strike		float8 NOT NULL,
	forward		float8 NOT NULL,
	iv			float8 NOT NULL,
	PRIMARY KEY (quote_ts, expiry_ts, strike)
);

INSERT INTO spx_eod
SELECT q.quote_ts, e.expiry_ts, k, f.fwd, s.vol
FROM daily d
CROSS JOIN LATERAL (SELECT (d.day + time '16:00') AT TIME ZONE 'America/New_York' AS quote_ts) q
-- the first Friday after the day, and the five after it; a Friday without a session
-- expires at the close before it (expiry_ts), which may be the quote's own day: only
-- expiries after the quote are listed
CROSS JOIN LATERAL (SELECT expiry_ts(d.day + 1 + (4 - extract(isodow FROM d.day)::int + 7) % 7
									 + 7 * w, 'PM') AS expiry_ts
					FROM generate_series(0, 5) w) e
CROSS JOIN LATERAL (SELECT year_frac(q.quote_ts, e.expiry_ts) AS t
					WHERE e.expiry_ts > q.quote_ts) tt
CROSS JOIN LATERAL (SELECT d.spx * exp((0.045 - 0.013) * tt.t) AS fwd) f
CROSS JOIN LATERAL generate_series(ceil(0.85 * d.spx / 50)::int * 50,
								   floor(1.15 * d.spx / 50)::int * 50, 50) AS k
CROSS JOIN LATERAL (SELECT ln(k / f.fwd) AS lk) lm
CROSS JOIN LATERAL (SELECT d.vix / 100 + (0.16 - d.vix / 100) * (1 - exp(-4 * tt.t)) AS atm,
						   0.0254 * sqrt(tt.t / 0.125) AS b,
						   0.05 * sqrt(tt.t / 0.125) AS sw) sv
CROSS JOIN LATERAL (
	SELECT sqrt((tt.t * (sv.atm * sv.atm - 0.01016)
				 + sv.b * (-0.8 * lm.lk + sqrt(lm.lk * lm.lk + sv.sw * sv.sw))) / tt.t) AS vol) s;
ANALYZE spx_bars;
ANALYZE spx_eod;
