-- test/cluster/views.sql -- views that compute where the rows are (on a shard, or on the
-- local copy): what postgres_fdw in PostgreSQL 15 cannot ship itself.  A foreign table
-- over such a view makes the shard compute the field of a composite (the delta of
-- bs_greeks) and the window aggregates, and send plain columns.
--   \set chain <table>  \set greeks <view>  \set history <table>  \set signals <view>
--   \i test/cluster/views.sql
CREATE VIEW :greeks AS
SELECT c.*, v.iv_mid,
       (bs_greeks(c.cp, c.spot, c.strike, v.t, v.iv_mid, 0.045, 0.013)).delta AS delta
FROM :chain c,
     LATERAL (SELECT year_frac(c.quote_ts, c.expiry_ts) AS t,
                     implied_vol((c.bid + c.ask) / 2, c.cp, c.spot, c.strike,
                                 year_frac(c.quote_ts, c.expiry_ts), 0.045, 0.013) AS iv_mid) v;

-- the order-dependent signals, per symbol: a shard holding whole symbols computes them
CREATE VIEW :signals AS
SELECT id, symbol, day, close,
       ema(close, 10) OVER w AS ema10, rsi(close) OVER w AS rsi14, macd(close) OVER w AS macd
FROM :history
WINDOW w AS (PARTITION BY symbol ORDER BY day);
