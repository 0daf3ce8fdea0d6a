-- data/book_history.sql -- a compact stored history for backtesting the users' method
-- (sql/backtest.sql), generated deterministically with condor's own pricing (no download,
-- no random numbers).  Standalone: it needs no other data file.
--
--   hist_days         one row per session, 2025-07-14 .. 2025-10-31: SPX and VIX at the
--                     15:45 New York snapshot (quote_ts), r and q.  Sessions before
--                     2025-09-15 only warm the signals up (RSI, the 20-day band); the 35
--                     sessions from 2025-09-15 have chains (in_window).
--   hist_spx          the SPXW chain of each window session at 15:45 (Cboe's end-of-day
--                     snapshot time, a quarter of an hour before the close, so a 0DTE
--                     option still has time value): every Friday expiry 0 to 60 days out,
--                     strikes every 25 points from 85% to 120% of spot, calls and puts,
--                     bid and ask in ticks around the smile's price.
--   hist_vix_futures  the VIX futures of each window session (the monthly expiries listed
--                     within 100 days), a mean-reverting term structure: contango when the
--                     VIX is low, backwardation in the spike.
--   hist_vix          VIX options on those futures, strikes 10 to 45, Black-76 off the
--                     future with a skew that rises with strike and with the VIX.
--
-- The scenario (hist_days, the window, in the VALUES list below): SPX drifts from 5800
-- to 5700 with the VIX near 15; on 2025-09-30 and 2025-10-01 SPX falls 4% and the VIX
-- jumps from 16 to 24 (a 2.5-standard-deviation break of its 20-day band, +52% in two
-- sessions), SPX goes on down through the condor's short put (5378 on 2025-10-06) and
-- the VIX peaks at 26; then the VIX fades back to 15 and SPX rallies 14% to just below
-- the condor's short call (6105 on 2025-10-29), when the condor has two days left.
--
-- The SPX smile is the sample chain's raw SVI (rho = -0.8) with the ATM vol following
-- the VIX and reverting toward 16% with the tenor, atm(t) = vix/100 + (0.16 -
-- vix/100)(1 - e^{-4t}) (as data/vol_history.sql).  VIX futures: F(t) = 19 + (VIX - 19)
-- e^{-10 t}.  r = 4.5%, q = 1.3%.  Quotes: half-spread 1.5% of the price, at least a
-- tick (0.05 below 3.00, 0.10 above); VIX options 3%, at least 0.025, tick 0.05.

CREATE TABLE hist_days (
	day			date PRIMARY KEY,
	quote_ts	timestamptz NOT NULL UNIQUE,
	spx			float8 NOT NULL,
	vix			float8 NOT NULL,
	r			float8 NOT NULL,
	q			float8 NOT NULL,
	in_window	boolean NOT NULL
);

-- the window: session number, SPX, VIX
CREATE TEMP TABLE hist_path (n int PRIMARY KEY, spx float8, vix float8);
INSERT INTO hist_path VALUES
 (0, 5800, 15.10), (1, 5792, 15.20), (2, 5781, 15.05), (3, 5785, 15.30), (4, 5770, 15.25),
 (5, 5758, 15.45), (6, 5747, 15.60), (7, 5739, 15.50), (8, 5722, 15.80), (9, 5716, 15.75),
 (10, 5701, 16.05), (11, 5584, 20.60), (12, 5472, 24.40), (13, 5431, 26.10), (14, 5396, 25.70),
(15, 5378, 25.20), (16, 5391, 23.80), (17, 5447, 22.10), (18, 5503, 20.60), (19, 5551, 19.70),
 (20, 5598, 18.90), (21, 5644, 18.30), (22, 5693, 17.80), (23, 5738, 17.30), (24, 5779, 16.90),
 (25, 5826, 16.50), (26, 5871, 16.20), (27, 5912, 15.90), (28, 5953, 15.70), (29, 5991, 15.40),
 (30, 6034, 15.20), (31, 6072, 15.00), (32, 6105, 14.90), (33, 6098, 15.10), (34, 6090, 15.20);

INSERT INTO hist_days
SELECT s.day, (s.day + time '15:45') AT TIME ZONE 'America/New_York', p.spx, p.vix, 0.045, 0.013,
	   true
FROM (SELECT d::date AS day, row_number() OVER (ORDER BY d) - 1 AS n
	  FROM generate_series(date '2025-09-15', date '2025-10-31', interval '1 day') d
	  WHERE is_trading_day(d::date)) s
JOIN hist_path p USING (n);
-- before the window: calm, SPX near 5750 and the VIX near 15, a fixed ripple
INSERT INTO hist_days
SELECT d::date, (d::date + time '15:45') AT TIME ZONE 'America/New_York',
	   round((5650 + 2.5 * (d::date - date '2025-07-14') + 15 * sin(d::date - date '2025-01-01'))::numeric, 2)::float8,
	   round((15 + 0.4 * sin(2.3 * (d::date - date '2025-01-01')))::numeric, 2)::float8,
	   0.045, 0.013, false
FROM generate_series(date '2025-07-14', date '2025-09-12', interval '1 day') d
WHERE is_trading_day(d::date);
DROP TABLE hist_path;

CREATE TABLE hist_spx (
	quote_ts	timestamptz NOT NULL,
	expiry		date NOT NULL,
	expiry_ts	timestamptz NOT NULL,
	cp			text NOT NULL,
	strike		float8 NOT NULL,
	bid			float8 NOT NULL,
	ask			float8 NOT NULL,
	spot		float8 NOT NULL,
	PRIMARY KEY (quote_ts, expiry, cp, strike)
);
-- (JIT compilation of this one-off statement would cost more than the statement itself)
BEGIN;
SET LOCAL jit = off;
INSERT INTO hist_spx
SELECT h.quote_ts, e.expiry, e.expiry_ts, cp, k, bid, ask, h.spx
FROM hist_days h
-- every Friday from the quote's day (0DTE on a Friday) to 60 days out
CROSS JOIN LATERAL (SELECT f::date AS expiry, expiry_ts(f::date) AS expiry_ts
					FROM generate_series(h.day, h.day + 60, interval '1 day') f
					WHERE extract(isodow FROM f) = 5) e
CROSS JOIN LATERAL (SELECT year_frac(h.quote_ts, e.expiry_ts) AS t) tt
CROSS JOIN LATERAL (SELECT h.spx * exp((h.r - h.q) * tt.t) AS fwd) f
CROSS JOIN LATERAL generate_series(ceil(0.85 * h.spx / 25)::int * 25,
								   floor(1.20 * h.spx / 25)::int * 25, 25) AS k
CROSS JOIN LATERAL (SELECT ln(k / f.fwd) AS lk) lm
CROSS JOIN LATERAL (SELECT h.vix / 100 + (0.16 - h.vix / 100) * (1 - exp(-4 * tt.t)) AS atm,
						   0.0254 * sqrt(tt.t / 0.125) AS b,
						   0.05 * sqrt(tt.t / 0.125) AS sw) sv
CROSS JOIN LATERAL (
	SELECT sqrt((tt.t * (sv.atm * sv.atm - 0.01016)
				 + sv.b * (-0.8 * lm.lk + sqrt(lm.lk * lm.lk + sv.sw * sv.sw))) / tt.t) AS vol) s
CROSS JOIN (VALUES ('C'), ('P')) AS c(cp)
-- (a model price below 1e-12 quotes as zero: the spread arithmetic below would
-- otherwise underflow on the subnormal prices of 0DTE wings, which PostgreSQL refuses)
CROSS JOIN LATERAL (SELECT CASE WHEN m < 1e-12 THEN 0 ELSE m END AS mid
					FROM bs_price(cp, h.spx, k, tt.t, s.vol, h.r, h.q) m) p
CROSS JOIN LATERAL (SELECT CASE WHEN p.mid < 3 THEN 0.05 ELSE 0.10 END AS tick,
						   greatest(0.015 * p.mid, 0.05) AS hs) sp
CROSS JOIN LATERAL (SELECT round(greatest(0, floor((p.mid - sp.hs) / sp.tick) * sp.tick)::numeric, 2)::float8 AS bid,
						   round(greatest(sp.tick, ceil((p.mid + sp.hs) / sp.tick) * sp.tick)::numeric, 2)::float8 AS ask) q
WHERE h.in_window;
COMMIT;

CREATE TABLE hist_vix_futures (
	quote_ts	timestamptz NOT NULL,
	expiry		date NOT NULL,
	expiry_ts	timestamptz NOT NULL,
	price		float8 NOT NULL,
	PRIMARY KEY (quote_ts, expiry)
);
INSERT INTO hist_vix_futures
SELECT h.quote_ts, e, expiry_ts(e, 'AM'),
	   round((19 + (h.vix - 19) * exp(-10 * year_frac(h.quote_ts, expiry_ts(e, 'AM'))))::numeric, 2)::float8
FROM hist_days h,
	 unnest(ARRAY[date '2025-09-17', '2025-10-22', '2025-11-19', '2025-12-17', '2026-01-21', '2026-02-18']) e
WHERE h.in_window AND expiry_ts(e, 'AM') > h.quote_ts AND e <= h.day + 100;

CREATE TABLE hist_vix (
	quote_ts	timestamptz NOT NULL,
	expiry		date NOT NULL,
	expiry_ts	timestamptz NOT NULL,
	cp			text NOT NULL,
	strike		float8 NOT NULL,
	bid			float8 NOT NULL,
	ask			float8 NOT NULL,
	future		float8 NOT NULL,
	PRIMARY KEY (quote_ts, expiry, cp, strike)
);
INSERT INTO hist_vix
SELECT f.quote_ts, f.expiry, f.expiry_ts, cp, k, bid, ask, f.price
FROM hist_vix_futures f
JOIN hist_days h USING (quote_ts)
CROSS JOIN LATERAL (SELECT year_frac(f.quote_ts, f.expiry_ts) AS t) tt
CROSS JOIN generate_series(10, 45) AS k
CROSS JOIN LATERAL (SELECT greatest(0.35, 0.55 + 0.25 * exp(-8 * tt.t) + 0.45 * ln(k / f.price)
										  + 0.02 * greatest(h.vix - 16, 0)) AS vol) s
CROSS JOIN (VALUES ('C'), ('P')) AS c(cp)
CROSS JOIN LATERAL (SELECT black76_price(cp, f.price, k, tt.t, s.vol, h.r) AS mid) p
CROSS JOIN LATERAL (SELECT greatest(0.025, 0.03 * p.mid) AS hs) sp
CROSS JOIN LATERAL (SELECT round(greatest(0, floor((p.mid - sp.hs) / 0.05) * 0.05)::numeric, 2)::float8 AS bid,
						   round(greatest(0.05, ceil((p.mid + sp.hs) / 0.05) * 0.05)::numeric, 2)::float8 AS ask) q
WHERE p.mid >= 0.005;

ANALYZE hist_days, hist_spx, hist_vix_futures, hist_vix;
