-- data/sample_chain.sql -- a realistic sample of the data condor's users keep, generated
-- deterministically (no download) with condor itself:
--   spx_chain    one quote time, SPXW expiries from 0 to 90 days, strikes every 5 points
--                across +-20% of spot, bid/ask around a skewed smile, tick rules
--   vix_futures  three VIX futures (contango)
--   vix_chain    VIX options on those three expiries, priced with Black-76 off the future
-- The smile: raw SVI total variance in k = ln(K/F) (below), arbitrage-free, with an
-- elevated short end, as SPX shows.  r = 4.5%, q = 1.3%, spot 5800.

CREATE TABLE market (
	quote_ts	timestamptz PRIMARY KEY,
	spx			float8 NOT NULL,
	r			float8 NOT NULL,
	q			float8 NOT NULL
);
INSERT INTO market VALUES ('2025-09-15 10:30 America/New_York', 5800, 0.045, 0.013);

-- SPXW expiries: every weekday for two weeks, then every Friday out to 90 days.
CREATE TABLE spx_expiries AS
SELECT d::date AS expiry, expiry_ts(d::date, 'PM') AS expiry_ts
FROM generate_series(date '2025-09-15', date '2025-09-15' + 90, interval '1 day') d
WHERE extract(isodow FROM d) < 6
  AND (d::date - date '2025-09-15' <= 14 OR extract(isodow FROM d) = 5);

CREATE TABLE spx_chain (
	quote_ts	timestamptz NOT NULL,
	root		text NOT NULL,
	expiry		date NOT NULL,
	expiry_ts	timestamptz NOT NULL,
	cp			text NOT NULL,
	strike		float8 NOT NULL,
	bid			float8 NOT NULL,
	ask			float8 NOT NULL,
	spot		float8 NOT NULL,
	iv			float8 NOT NULL,	-- the vendor's vol for the quote (here: the smile)
	PRIMARY KEY (quote_ts, expiry, cp, strike)
);

INSERT INTO spx_chain
SELECT m.quote_ts, 'SPXW', e.expiry, e.expiry_ts, cp, k, bid, ask, m.spx, vol
FROM market m
CROSS JOIN spx_expiries e
CROSS JOIN LATERAL (SELECT year_frac(m.quote_ts, e.expiry_ts) AS t) tt
CROSS JOIN LATERAL (SELECT m.spx * exp((m.r - m.q) * tt.t) AS fwd) f
CROSS JOIN generate_series(4640, 6960, 5) AS k
CROSS JOIN LATERAL (SELECT ln(k / f.fwd) AS lk) lm
-- the smile: raw SVI in total variance, w(k) = a + b (rho k + sqrt(k^2 + s^2)), with
-- rho = -0.8, b and s growing like sqrt(T) and a set by the at-the-money vol
CROSS JOIN LATERAL (SELECT 0.135 + 0.03 * exp(-40 * tt.t) AS atm,
						   0.0254 * sqrt(tt.t / 0.125) AS b,
						   0.05 * sqrt(tt.t / 0.125) AS sw) sv
CROSS JOIN LATERAL (
	SELECT sqrt((tt.t * (sv.atm * sv.atm - 0.01016)
				 + sv.b * (-0.8 * lm.lk + sqrt(lm.lk * lm.lk + sv.sw * sv.sw))) / tt.t) AS vol) s
CROSS JOIN (VALUES ('C'), ('P')) AS c(cp)
CROSS JOIN LATERAL (SELECT bs_price(cp, m.spx, k, tt.t, s.vol, m.r, m.q) AS mid) p
-- half-spread: 1.5% of the price, at least a tick; ticks 0.05 below 3.00, 0.10 above
CROSS JOIN LATERAL (SELECT CASE WHEN p.mid < 3 THEN 0.05 ELSE 0.10 END AS tick,
						   greatest(0.015 * p.mid, 0.05) AS hs) sp
-- quotes are whole ticks, rounded in numeric so they are the decimal prices a feed sends
CROSS JOIN LATERAL (SELECT round(greatest(0, floor((p.mid - sp.hs) / sp.tick) * sp.tick)::numeric, 2)::float8 AS bid,
						   round(greatest(sp.tick, ceil((p.mid + sp.hs) / sp.tick) * sp.tick)::numeric, 2)::float8 AS ask) q;

CREATE TABLE vix_futures (
	quote_ts	timestamptz NOT NULL,
	expiry		date NOT NULL,
	expiry_ts	timestamptz NOT NULL,
	price		float8 NOT NULL,
	PRIMARY KEY (quote_ts, expiry)
);
INSERT INTO vix_futures
SELECT m.quote_ts, e, expiry_ts(e, 'AM'), p
FROM market m,
	 (VALUES (date '2025-09-17', 16.35), (date '2025-10-22', 17.60), (date '2025-11-19', 18.45)) v(e, p);

CREATE TABLE vix_chain (
	quote_ts	timestamptz NOT NULL,
	expiry		date NOT NULL,
	expiry_ts	timestamptz NOT NULL,
	cp			text NOT NULL,
	strike		float8 NOT NULL,
	bid			float8 NOT NULL,
	ask			float8 NOT NULL,
	future		float8 NOT NULL,
	iv			float8 NOT NULL,
	PRIMARY KEY (quote_ts, expiry, cp, strike)
);
-- VIX vols: high and rising with strike (calls are bid in a spike); shorter is higher
INSERT INTO vix_chain
SELECT f.quote_ts, f.expiry, f.expiry_ts, cp, k, bid, ask, f.price, vol
FROM vix_futures f
JOIN market m USING (quote_ts)
CROSS JOIN LATERAL (SELECT year_frac(f.quote_ts, f.expiry_ts) AS t) tt
CROSS JOIN generate_series(10, 50, 1) AS k
CROSS JOIN LATERAL (SELECT 0.55 + 0.25 * exp(-8 * tt.t) + 0.45 * ln(k / f.price) AS v0) s0
CROSS JOIN LATERAL (SELECT greatest(0.35, s0.v0) AS vol) s
CROSS JOIN (VALUES ('C'), ('P')) AS c(cp)
CROSS JOIN LATERAL (SELECT black76_price(cp, f.price, k, tt.t, s.vol, m.r) AS mid) p
CROSS JOIN LATERAL (SELECT greatest(0.025, 0.03 * p.mid) AS hs) sp
CROSS JOIN LATERAL (SELECT round(greatest(0, floor((p.mid - sp.hs) / 0.05) * 0.05)::numeric, 2)::float8 AS bid,
						   round(greatest(0.05, ceil((p.mid + sp.hs) / 0.05) * 0.05)::numeric, 2)::float8 AS ask) q
WHERE p.mid >= 0.005;

ANALYZE market, spx_expiries, spx_chain, vix_futures, vix_chain;
