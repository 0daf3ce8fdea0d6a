-- test/cluster/fdw_checks.sql -- the checks of the postgres_fdw test, on the coordinator
-- (fdw_coordinator.sql, after the load).  Prints one line per check, "ok <name>" or
-- "FAIL <name>: <why>", then "<n> checks".  Results are compared as text, and float8's
-- text form is its shortest exact decimal: equal text is equal bits.
SET enable_partitionwise_aggregate = on;
\i test/cluster/cases.sql

\i test/cluster/checks_lib.sql

-- Each aggregate: same answer, and the whole aggregate in the Remote SQL of every
-- partition (or, for a grouping across shards, in none).
DO $$
DECLARE
	c record;
	q text;
	pl text;
	rs text[];
	fn text;
BEGIN
	FOR c IN SELECT a.*, p.proname FROM agg_case a JOIN pg_proc p ON p.oid = a.agg ORDER BY a.agg::text LOOP
		q := format('SELECT %s, %s(%s) AS r FROM %s%s GROUP BY %s', c.grp, quote_ident(c.proname),
					c.args, c.rel, coalesce(' WHERE ' || c.filter, ''), c.grp);
		PERFORM pg_temp.same(c.agg::text, q);
		BEGIN
			pl := pg_temp.plan(q);
			rs := pg_temp.remote(pl);
			fn := 'public.' || quote_ident(c.proname) || '(';
			IF c.ships THEN
				PERFORM pg_temp.check(c.agg::text || ': shipped whole to every shard',
					cardinality(rs) >= 1 AND position(fn IN array_to_string(rs, E'\n')) > 0
					AND NOT EXISTS (SELECT FROM unnest(rs) r WHERE position(fn IN r) = 0),
					'plan: ' || pl);
			ELSE
				PERFORM pg_temp.check(c.agg::text || ': aggregated on the coordinator (' || c.why || ')',
					cardinality(rs) >= 1 AND position(fn IN array_to_string(rs, E'\n')) = 0, 'plan: ' || pl);
			END IF;
		EXCEPTION WHEN OTHERS THEN
			PERFORM pg_temp.check(c.agg::text || ': plan', false, SQLSTATE || ' ' || SQLERRM);
		END;
	END LOOP;
END $$;

-- Scalar functions in WHERE: same rows; sent to the shards (each function named in the
-- Remote SQL, no local Filter) or, where PostgreSQL 15 cannot, filtered here.
DO $$
DECLARE
	c record;
	q text;
	pl text;
	rs text;
BEGIN
	FOR c IN SELECT * FROM where_case ORDER BY name LOOP
		q := format('SELECT id AS r FROM %s WHERE %s', c.rel, c.cond);
		PERFORM pg_temp.same('WHERE ' || c.name, q);
		BEGIN
			pl := pg_temp.plan(q);
			rs := array_to_string(pg_temp.remote(pl), E'\n');
			IF c.ships THEN
				PERFORM pg_temp.check('WHERE ' || c.name || ': sent to the shards',
					position(' WHERE ' IN rs) > 0 AND position('Filter:' IN pl) = 0
					AND NOT EXISTS (SELECT FROM unnest(c.fns) f WHERE position('public.' || f || '(' IN rs) = 0),
					'plan: ' || pl);
			ELSE
				PERFORM pg_temp.check('WHERE ' || c.name || ': filtered on the coordinator (PostgreSQL 15 cannot send it)',
					position('Filter:' IN pl) > 0, 'plan: ' || pl);
			END IF;
		EXCEPTION WHEN OTHERS THEN
			PERFORM pg_temp.check('WHERE ' || c.name || ': plan', false, SQLSTATE || ' ' || SQLERRM);
		END;
	END LOOP;
END $$;

-- strategy_agg over date expiries is sent to the shards although it reads the exchange
-- calendar: with an early close on the coordinator's calendar that the shards do not
-- have, the shards' answer differs from the coordinator's own.  Keep the calendars of
-- all servers the same (or store expiries as timestamptz).
CREATE TEMP TABLE calendar_case AS
SELECT q, (pg_temp.rows(q, 'local')).txt AS before
FROM (SELECT $$SELECT position_id, strategy_agg(qty, cp, strike, expiry_day, premium)::text AS r
			  FROM book GROUP BY underlying, book_expiry, position_id$$ AS q) x;
INSERT INTO condor_closures VALUES ('2025-10-17', '13:00', 'a test: only on the coordinator');
SELECT pg_temp.check('strategy_agg over dates is sent, and the shards'' calendar decides (an early close only on the coordinator changes its own answer, not the shipped one)',
	position('public.strategy_agg(' IN pg_temp.plan(q)) > 0
	AND (pg_temp.rows(q, 'public')).txt = before AND (pg_temp.rows(q, 'local')).txt <> before,
	'postgres_fdw no longer sends it, or the closure does not touch the book')
FROM calendar_case;
DELETE FROM condor_closures WHERE day = '2025-10-17';

-- Function calls in the select list of a plain scan are computed on the coordinator
-- from fetched columns; a view on the shard computes them there.
SELECT pg_temp.same('select list: bs_price',
	'SELECT id, bs_price(cp, spot, strike, year_frac(quote_ts, expiry_ts), iv, 0.045, 0.013) AS r FROM chain');
SELECT pg_temp.check('select list: bs_price is computed on the coordinator',
	position('Remote SQL' IN p) > 0 AND position('public.bs_price' IN p) = 0, p)
FROM pg_temp.plan('SELECT id, bs_price(cp, spot, strike, year_frac(quote_ts, expiry_ts), iv, 0.045, 0.013) FROM chain') p;
SELECT pg_temp.same('select list: iv_mid and delta of a view on the shard',
	'SELECT id, iv_mid, delta AS r FROM chain_greeks');
SELECT pg_temp.check('select list: the view on the shard is what is read',
	p ~ 'Remote SQL: SELECT id, iv_mid, delta FROM public.chain_spxw_greeks' AND position('Filter' IN p) = 0, p)
FROM pg_temp.plan('SELECT id, iv_mid, delta FROM chain_greeks') p;

-- The order-dependent signals as window aggregates, one series per symbol: run on the
-- coordinator over fetched rows, or on the shard through a view (a shard holds whole
-- symbols, so its windows are the whole series).
SELECT pg_temp.same('window: ema, rsi, macd over PARTITION BY symbol',
	'SELECT id, symbol, day, ema(close, 10) OVER w AS r, rsi(close) OVER w, macd(close) OVER w
	 FROM history WINDOW w AS (PARTITION BY symbol ORDER BY day)');
SELECT pg_temp.check('window: ema, rsi, macd are computed on the coordinator',
	position('WindowAgg' IN p) > 0 AND position('public.rsi' IN p) = 0, p)
FROM pg_temp.plan('SELECT rsi(close) OVER (PARTITION BY symbol ORDER BY day) FROM history') p;
SELECT pg_temp.same('window: the signals view on the shards',
	'SELECT id, ema10, rsi14 AS r, macd FROM history_signals');
SELECT pg_temp.check('window: the signals view is what is read',
	p ~ 'Remote SQL: SELECT id, ema10, rsi14, macd FROM public.history_spx_signals' AND position('WindowAgg' IN p) = 0, p)
FROM pg_temp.plan('SELECT id, ema10, rsi14, macd FROM history_signals') p;

-- greeks_total over the whole book: partial states of three partitions on two shards,
-- combined.  Exact sums rounded once: the same bits as the serial sum of the local copy.
SELECT pg_temp.same('greeks_total of the whole book',
	$$SELECT greeks_total(bs_greeks(cp, spot, strike, year_frac(quote_ts, expiry), iv, 0.045, 0.013) * (qty * multiplier)) AS r
	  FROM book WHERE cp <> 'U'$$);
-- ... and its states computed on the shards, sent as text, combined here
SELECT pg_temp.check('greeks_total: states from the shards combined = local total, bit for bit',
	m.t = l.t, format('combined %s, local %s', m.t, l.t))
FROM (SELECT greeks_total_merge(st)::text AS t
	  FROM (SELECT st FROM book_spxw_near_state UNION ALL SELECT st FROM book_spxw_far_state
			UNION ALL SELECT st FROM book_vix_state) s) m,
	 (SELECT greeks_total(bs_greeks(cp, spot, strike, year_frac(quote_ts, expiry), iv, 0.045, 0.013) * (qty * multiplier))::text AS t
	  FROM local.book WHERE cp <> 'U') l;
-- (the plain float8 sum of the gamma field depends on the order: that is what the exact
-- sum removes; if it did not here, the check above would prove less)
SELECT pg_temp.check('greeks_total: a plain sum of the same gammas depends on the order of the rows',
	count(DISTINCT s) > 1, 'every order gave the same plain sum: choose other data')
FROM (SELECT o, sum((bs_greeks(cp, spot, strike, year_frac(quote_ts, expiry), iv, 0.045, 0.013) * (qty * multiplier)).gamma
					ORDER BY hashint8(id * o)) AS s
	  FROM local.book, generate_series(1, 5) o WHERE cp <> 'U' GROUP BY o) x;

\i test/cluster/checks_end.sql
