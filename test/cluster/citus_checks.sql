-- test/cluster/citus_checks.sql -- the checks of scripts/test-citus, on the coordinator
-- after the load (citus_coordinator.sql).  Same output as fdw_checks.sql.
--
-- citus.coordinator_aggregation_strategy = 'disabled': an aggregate that Citus cannot
-- split into worker_partial_agg (transition on the workers, the state sent as text) and
-- coord_combine_agg (combine and final on the coordinator) is an error, never a silent
-- pull of every row to the coordinator.
SET citus.coordinator_aggregation_strategy = 'disabled';
\i test/cluster/cases.sql
\i test/cluster/checks_lib.sql

-- the distribution column of a case's relation (chain_greeks is a view over chain)
CREATE FUNCTION pg_temp.dist_column(rel text) RETURNS text LANGUAGE sql AS $$
	SELECT column_to_column_name(logicalrelid, partkey)
	FROM pg_dist_partition
	WHERE logicalrelid = (CASE rel WHEN 'chain_greeks' THEN 'chain' ELSE rel END)::regclass
$$;

SELECT pg_temp.check('every table is distributed (' || string_agg(t || ' by ' || coalesce(pg_temp.dist_column(t), '?'), ', ') || ')',
					 bool_and(pg_temp.dist_column(t) IS NOT NULL), 'a table is not distributed')
FROM unnest(ARRAY['chain', 'pairs', 'book', 'positions', 'marks', 'flows', 'history']) t;

-- Each aggregate: same answer as the local copy, and the plan Citus chose: grouped by
-- the distribution column, the whole aggregate runs on the workers; otherwise it is
-- split (worker_partial_agg / coord_combine_agg).
DO $$
DECLARE
	c record;
	q text;
	pl text;
	dist text;
BEGIN
	FOR c IN SELECT a.*, p.proname FROM agg_case a JOIN pg_proc p ON p.oid = a.agg ORDER BY a.agg::text LOOP
		q := format('SELECT %s, %s(%s) AS r FROM %s%s GROUP BY %s', c.grp, quote_ident(c.proname),
					c.args, c.rel, coalesce(' WHERE ' || c.filter, ''), c.grp);
		PERFORM pg_temp.same(c.agg::text, q);
		BEGIN
			dist := pg_temp.dist_column(c.rel);
			pl := pg_temp.plan(q);
			IF dist = ANY (string_to_array(replace(c.grp, ' ', ''), ',')) THEN
				PERFORM pg_temp.check(c.agg::text || ': runs whole on the workers (grouped by the distribution column ' || dist || ')',
					position('coord_combine_agg' IN pl) = 0 AND position('worker_partial_agg' IN pl) = 0
					AND pl ~ ('Task.*' || c.proname || '\('), 'plan: ' || pl);
			ELSE
				PERFORM pg_temp.check(c.agg::text || ': split into worker_partial_agg and coord_combine_agg (distributed by ' || dist || ')',
					position('coord_combine_agg' IN pl) > 0 AND position('worker_partial_agg' IN pl) > 0, 'plan: ' || pl);
			END IF;
		EXCEPTION WHEN OTHERS THEN
			PERFORM pg_temp.check(c.agg::text || ': plan', false, SQLSTATE || ' ' || SQLERRM);
		END;
	END LOOP;
END $$;

-- Scalar functions in WHERE: Citus sends the whole query to the workers.
SELECT pg_temp.same('WHERE ' || name, format('SELECT id AS r FROM %s WHERE %s', rel, cond))
FROM where_case ORDER BY name;

-- greeks_total over the whole book: partial states from every shard of two workers,
-- combined on the coordinator; exact sums rounded once, so the same bits as the local
-- serial sum.
SELECT pg_temp.same('greeks_total of the whole book (no grouping)',
	$$SELECT greeks_total(bs_greeks(cp, spot, strike, year_frac(quote_ts, expiry), iv, 0.045, 0.013) * (qty * multiplier)) AS r
	  FROM book WHERE cp <> 'U'$$);
SELECT pg_temp.check('greeks_total of the whole book: split across the shards', position('coord_combine_agg' IN p) > 0, p)
FROM pg_temp.plan($$SELECT greeks_total(bs_greeks(cp, spot, strike, year_frac(quote_ts, expiry), iv, 0.045, 0.013) * (qty * multiplier))
	  FROM book WHERE cp <> 'U'$$) p;

-- The order-dependent signals: with the series distributed by symbol, a window
-- partitioned by symbol runs on the workers, and so does an ordered aggregate grouped by
-- symbol or filtered to one symbol.  Across symbols, with coordinator aggregation
-- disabled, Citus refuses.
SELECT pg_temp.same('window: ema, rsi, macd over PARTITION BY symbol',
	'SELECT id, symbol, day, ema(close, 10) OVER w AS r, rsi(close) OVER w, macd(close) OVER w
	 FROM history WINDOW w AS (PARTITION BY symbol ORDER BY day)');
SELECT pg_temp.check('window: ema, rsi, macd run on the workers',
	position('WindowAgg' IN p) > position('Custom Scan' IN p) AND position('Custom Scan' IN p) > 0, p)
FROM pg_temp.plan('SELECT rsi(close) OVER (PARTITION BY symbol ORDER BY day) FROM history') p;
SELECT pg_temp.same('rsi of one symbol (router query)',
	$$SELECT rsi(close ORDER BY day) AS r FROM history WHERE symbol = 'VIX'$$);
CREATE FUNCTION pg_temp.fails(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN NULL;
EXCEPTION WHEN OTHERS THEN
	RETURN SQLERRM;
END $$;
SELECT pg_temp.check('rsi across symbols is refused (coordinator aggregation disabled): ' || coalesce(e, 'no error'),
	e IS NOT NULL, 'it ran: the strategy setting is not in force')
FROM pg_temp.fails('SELECT rsi(close ORDER BY day) FROM history') e;

-- A text-valued aggregate that Citus splits comes back from coord_combine_agg without a
-- collation (its plan passes NULL::text with none): ORDER BY it or CREATE TABLE AS over
-- it fails (42P22) unless it is given one, e.g. by a cast to varchar.
SELECT pg_temp.check('Citus: ORDER BY a split text aggregate fails: ' || coalesce(e, 'no error'),
	e LIKE '%collation%', 'no error: Citus now derives the collation; drop this check and the README note')
FROM pg_temp.fails($$SELECT expiry, implied_forward_status(strike, call_bid, put_bid, 0.1) AS s FROM pairs GROUP BY expiry ORDER BY s$$) e;
SELECT pg_temp.check('Citus: ... and with a cast to varchar it works: ' || coalesce(e, 'ok'), e IS NULL, e)
FROM pg_temp.fails($$CREATE TEMP TABLE st AS SELECT expiry, implied_forward_status(strike, call_bid, put_bid, 0.1)::varchar AS s FROM pairs GROUP BY expiry ORDER BY s$$) e;

\i test/cluster/checks_end.sql
