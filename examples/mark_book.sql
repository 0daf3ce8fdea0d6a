-- examples/mark_book.sql: one statement that marks every position of the book from the
-- latest stored chain and appends one row per position to book_risk (examples/book.sql).
-- Schedule it with pg_cron (README, "Schedule it"); test/parts/60-cron.sh runs it so.
INSERT INTO book_risk
WITH latest AS (
	SELECT m.quote_ts, m.spx AS spot, m.r, m.q
	FROM market m
	WHERE m.quote_ts = (SELECT max(quote_ts) FROM spx_chain)
), leg_vols AS (
	-- each leg's implied vol from its quote's mid, in legs() order
	SELECT b.id,
		   array_agg(implied_vol((c.bid + c.ask) / 2, c.cp, c.spot, c.strike,
								 year_frac(c.quote_ts, c.expiry_ts), l.r, l.q) ORDER BY g.leg) AS vols
	FROM book b
	CROSS JOIN latest l
	CROSS JOIN LATERAL legs(b.s) g
	LEFT JOIN spx_chain c
		ON (c.quote_ts, c.cp, c.strike, c.expiry_ts) = (l.quote_ts, g.kind, g.strike, g.expiry)
	GROUP BY b.id
)
SELECT now(), l.quote_ts, b.id, l.spot, ok,
	   CASE WHEN ok THEN strategy_value(b.s, l.spot, l.quote_ts, v.vols, l.r, l.q) END,
	   CASE WHEN ok THEN strategy_pnl(b.s, l.spot, l.quote_ts, v.vols, l.r, l.q) END,
	   (g).delta, (g).gamma, (g).vega, (g).theta,
	   CASE WHEN ok THEN breakevens(b.s, l.quote_ts, v.vols, l.r, l.q) END,
	   wing_test(b.s, l.spot),
	   CASE WHEN ok THEN max_loss(b.s, l.quote_ts, v.vols, l.r, l.q) END
FROM book b
JOIN leg_vols v ON v.id = b.id
CROSS JOIN latest l
CROSS JOIN LATERAL (SELECT array_position(v.vols, NULL) IS NULL AS ok) k
CROSS JOIN LATERAL (SELECT CASE WHEN ok THEN strategy_greeks(b.s, l.spot, l.quote_ts, v.vols, l.r, l.q) END AS g) x;
