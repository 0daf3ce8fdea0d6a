-- The backtest: the users' method run day by day over the stored history
-- (data/book_history.sql), in plain SQL and PL/pgSQL on condor's functions.  Every fill
-- comes from the stored bid and ask (strategy_mark with the natural fill: buy at the
-- ask, sell at the bid), every mark from the stored quotes (strategy_mark at mid), every
-- Greek from the vols the quotes imply (market_greeks, market_vols).  The output is
-- pinned: each rule that fires is an event, each trade a ledger row.
SET TIME ZONE 'UTC';
SET DateStyle = 'ISO, YMD';
CREATE SCHEMA backtest;
SET search_path = backtest, public;
\set QUIET on
\i data/book_history.sql
\set QUIET off

-- Every quote of a session, SPX and VIX; the SPX level is a quote of the underlying (cp U).
CREATE VIEW quotes AS
SELECT 'SPX' AS underlying, quote_ts, cp, strike, expiry_ts, bid, ask FROM hist_spx
UNION ALL
SELECT 'SPX', quote_ts, 'U', NULL, NULL, spx, spx FROM hist_days WHERE in_window
UNION ALL
SELECT 'VIX', quote_ts, cp, strike, expiry_ts, bid, ask FROM hist_vix;

-- The signals, from the closes (the warm-up sessions included): RSI(14) of the VIX, how
-- many standard deviations the VIX stands above its 20-session mean (a Bollinger band),
-- and its change over two sessions.
CREATE TABLE signals AS
SELECT day, quote_ts, spx, vix, r, q, in_window,
       rsi(vix) OVER w AS rsi14,
       (vix - avg(vix) OVER band) / stddev_samp(vix) OVER band AS vix_z20,
       vix / lag(vix, 2) OVER w - 1 AS vix_2d
FROM hist_days
WINDOW w AS (ORDER BY day), band AS (ORDER BY day ROWS BETWEEN 19 PRECEDING AND CURRENT ROW);

-- The book: positions (open legs at their entry prices), the ledger of every cash flow,
-- the events (each rule that fires), and each session's marks.
CREATE TABLE positions (id serial PRIMARY KEY, name text NOT NULL, underlying text NOT NULL,
                        s strategy NOT NULL DEFAULT '', opened date NOT NULL, closed date);
CREATE TABLE ledger (id serial PRIMARY KEY, day date NOT NULL, position int, what text NOT NULL,
                     trade strategy, amount float8 NOT NULL);
CREATE TABLE events (id serial PRIMARY KEY, day date NOT NULL, rule text NOT NULL, detail text NOT NULL);
CREATE TABLE marks (day date, position int, value float8, status text, PRIMARY KEY (day, position));

-- A position marked from a session's quotes (mid by default; 'natural' is what closing costs).
CREATE FUNCTION mark_at(s strategy, u text, at timestamptz, fill text DEFAULT 'mid') RETURNS mark
LANGUAGE sql STABLE AS $$
	SELECT strategy_mark(s, q.cp, q.strike, q.expiry_ts, q.bid, q.ask, fill)
	FROM backtest.quotes q WHERE q.underlying = u AND q.quote_ts = at
$$;

-- A trade's legs at their fills: bought at the ask, sold at the bid (a leg without a
-- quote has no premium, and strategy_agg refuses it).
CREATE FUNCTION filled(t strategy, u text, at timestamptz) RETURNS strategy
LANGUAGE sql STABLE AS $$
	SELECT strategy_agg(l.qty, l.kind, l.strike, l.expiry, CASE WHEN l.qty > 0 THEN q.ask ELSE q.bid END,
	                    l.multiplier)
	FROM legs(t) l LEFT JOIN backtest.quotes q
	  ON q.underlying = u AND q.quote_ts = at AND (q.cp, q.strike, q.expiry_ts) = (l.kind, l.strike, l.expiry)
$$;

CREATE FUNCTION session(d date) RETURNS timestamptz LANGUAGE sql STABLE AS $$
	SELECT quote_ts FROM backtest.hist_days WHERE day = d
$$;

-- Open legs t in position p: the cash is what strategy_mark says the opposite position
-- would fetch at natural (the credit of selling at the bid and buying at the ask).
CREATE FUNCTION open_trade(p int, d date, what text, t strategy) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
	u text := (SELECT underlying FROM backtest.positions WHERE id = p);
	m mark := backtest.mark_at(-t, u, backtest.session(d), 'natural');
	f strategy := backtest.filled(t, u, backtest.session(d));
BEGIN
	IF m.value IS NULL THEN
		RAISE EXCEPTION 'cannot %: %', what, m.status;
	END IF;
	INSERT INTO backtest.ledger (day, position, what, trade, amount) VALUES (d, p, what, f, m.value);
	UPDATE backtest.positions SET s = s + f, closed = NULL WHERE id = p;
	RETURN m.value;
END $$;

-- Close part of position p (legs as held, entry prices included) at natural.
CREATE FUNCTION close_trade(p int, d date, what text, part strategy) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
	u text := (SELECT underlying FROM backtest.positions WHERE id = p);
	m mark := backtest.mark_at(part, u, backtest.session(d), 'natural');
BEGIN
	IF m.value IS NULL THEN
		RAISE EXCEPTION 'cannot %: %', what, m.status;
	END IF;
	INSERT INTO backtest.ledger (day, position, what, trade, amount)
	VALUES (d, p, what, backtest.filled(-part, u, backtest.session(d)), m.value);
	UPDATE backtest.positions SET s = s - part WHERE id = p;
	UPDATE backtest.positions SET closed = d WHERE id = p AND NOT EXISTS (SELECT FROM legs(s));
	RETURN m.value;
END $$;

-- The legs of s that satisfy a condition on (kind, expiry), as a strategy.
CREATE FUNCTION legs_where(s strategy, kinds text[], before timestamptz DEFAULT 'infinity') RETURNS strategy
LANGUAGE sql IMMUTABLE AS $$
	SELECT coalesce(strategy_agg(l.qty, l.kind, l.strike, l.expiry, l.premium, l.multiplier), '')
	FROM legs(s) l WHERE l.kind = ANY (kinds) AND (l.expiry IS NULL OR l.expiry < before)
$$;

-- A layer of VIX calls covering 35% of the condor's vega at market vols: the VIX
-- expiry nearest 35 days out, the call strike nearest 115% of its future, the delta at
-- the call's own implied vol; whole contracts, rounded up.
CREATE FUNCTION buy_layer(d date, name text, condor strategy) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	at timestamptz := backtest.session(d);
	vega float8;
	k record;
	n float8;
	p int;
BEGIN
	SELECT (market_greeks(condor, q.cp, q.strike, q.expiry_ts, q.bid, q.ask, h.spx, h.quote_ts, h.r, h.q)).vega
	  INTO vega
	FROM backtest.quotes q JOIN backtest.hist_days h USING (quote_ts)
	WHERE q.underlying = 'SPX' AND q.quote_ts = at;
	SELECT v.expiry, v.expiry_ts, v.strike, v.future, v.ask,
	       (black76_greeks('C', v.future, v.strike, year_frac(at, v.expiry_ts),
	                       black76_implied_vol((v.bid + v.ask) / 2, 'C', v.future, v.strike,
	                                           year_frac(at, v.expiry_ts), 0.045), 0.045)).delta AS delta
	  INTO k
	FROM backtest.hist_vix v
	WHERE v.quote_ts = at AND v.cp = 'C'
	  AND v.expiry = (SELECT expiry FROM backtest.hist_vix_futures WHERE quote_ts = at
	                  ORDER BY abs(expiry - d - 35), expiry LIMIT 1)
	ORDER BY abs(v.strike - 1.15 * v.future), v.strike LIMIT 1;
	n := ceil(vix_hedge(vega, k.delta, 0.35));
	INSERT INTO backtest.positions (name, underlying, opened) VALUES (name, 'VIX', d) RETURNING id INTO p;
	PERFORM backtest.open_trade(p, d, 'buy ' || name,
	                            (SELECT strategy_agg(n, 'C', k.strike, k.expiry_ts, 0)));
	RETURN format('condor vega %s per point: %s of the %s calls of %s at %s (delta %s, future %s)',
	              round(vega::numeric, 2), n, k.strike, k.expiry, k.ask, round(k.delta::numeric, 4), k.future);
END $$;

CREATE FUNCTION event(d date, rule text, detail text) RETURNS void LANGUAGE sql AS $$
	INSERT INTO backtest.events (day, rule, detail) VALUES (d, rule, detail)
$$;

-- The method, session by session.
CREATE PROCEDURE run_backtest() LANGUAGE plpgsql AS $$
DECLARE
	sess record;
	cnd record;					-- the condor position
	first_day date := (SELECT min(day) FROM backtest.signals WHERE in_window);
	last_day date := (SELECT max(day) FROM backtest.signals WHERE in_window);
	st strategy;
	cash float8;
	lvl float8;
	dist float8;
	vols float8[];
	pos record;
	rec record;
	msg text;
BEGIN
	FOR sess IN SELECT * FROM backtest.signals WHERE in_window ORDER BY day LOOP
		-- options that expired since the last session settle at their intrinsic value
		-- (the expiry day's snapshot level stands in for the settlement value)
		FOR pos IN SELECT * FROM backtest.positions WHERE closed IS NULL LOOP
			st := backtest.legs_where(pos.s, ARRAY['C', 'P'], sess.quote_ts);
			IF st <> '' THEN
				SELECT min(l.expiry) INTO rec FROM legs(st) l;
				SELECT CASE pos.underlying WHEN 'SPX' THEN h.spx ELSE h.vix END INTO lvl
				FROM backtest.hist_days h WHERE h.day = (rec.min AT TIME ZONE 'America/New_York')::date;
				INSERT INTO backtest.ledger (day, position, what, trade, amount)
				VALUES (sess.day, pos.id, 'settle ' || pos.name || ' at ' || lvl, -st,
				        strategy_value(st, lvl, rec.min + interval '1 second', 0));
				UPDATE backtest.positions SET s = s - backtest.legs_where(pos.s, ARRAY['C', 'P'], sess.quote_ts)
				WHERE id = pos.id;
				UPDATE backtest.positions SET closed = sess.day WHERE id = pos.id AND NOT EXISTS (SELECT FROM legs(s));
				PERFORM backtest.event(sess.day, 'expiry', pos.name || ' settled at ' || lvl);
			END IF;
		END LOOP;

		-- entry: the 16-delta, 50-point iron condor of the Friday nearest 45 days out,
		-- filled at natural, and the first VIX layer; the margin is its max loss
		IF sess.day = first_day THEN
			SELECT iron_condor(ch.expiry_ts, ch.cp, ch.strike, ch.bid, ch.ask,
			                   (bs_greeks(ch.cp, ch.spot, ch.strike, ch.t, ch.iv, sess.r, sess.q)).delta, 0.16, 50, true)
			  INTO st
			FROM (SELECT h.*, year_frac(h.quote_ts, h.expiry_ts) AS t,
			             implied_vol((h.bid + h.ask) / 2, h.cp, h.spot, h.strike, year_frac(h.quote_ts, h.expiry_ts), sess.r, sess.q) AS iv
			      FROM backtest.hist_spx h
			      WHERE h.quote_ts = sess.quote_ts
			        AND h.expiry = (SELECT expiry FROM backtest.hist_spx WHERE quote_ts = sess.quote_ts
			                        GROUP BY expiry ORDER BY abs(expiry - sess.day - 45), expiry LIMIT 1)) ch
			WHERE ch.iv IS NOT NULL;
			INSERT INTO backtest.positions (name, underlying, opened) VALUES ('condor', 'SPX', sess.day);
			cash := backtest.open_trade(currval('backtest.positions_id_seq')::int, sess.day, 'sell the iron condor', st);
			INSERT INTO backtest.ledger (day, what, amount) VALUES (sess.day, 'post the margin (max loss)', -max_loss(st));
			PERFORM backtest.event(sess.day, 'entry', format('%s for a credit of %s, break-evens %s', st, round(cash::numeric, 2),
			                                              (SELECT array_agg(round(b::numeric, 2)) FROM unnest(breakevens(st)) b)));
			PERFORM backtest.event(sess.day, 'first VIX layer', backtest.buy_layer(sess.day, 'VIX layer 1', st));
		END IF;
		SELECT * INTO cnd FROM backtest.positions WHERE name = 'condor' AND closed IS NULL;

		-- a second layer when the VIX breaks 2.5 standard deviations above its 20-day mean
		IF cnd.id IS NOT NULL AND sess.vix_z20 >= 2.5 AND NOT EXISTS (SELECT FROM backtest.positions WHERE name = 'VIX layer 2') THEN
			PERFORM backtest.event(sess.day, 'VIX 2.5 SD above its 20-day mean',
			                       format('VIX %s, %s SD: ', sess.vix, round(sess.vix_z20::numeric, 2))
			                       || backtest.buy_layer(sess.day, 'VIX layer 2', cnd.s));
		END IF;

		-- the VIX jumps 40% in two sessions: roll half the first layer (rounded up) to the
		-- expiry 2-3 times its remaining tenor (nearest 2.5x), 1.5 times as many calls
		SELECT * INTO pos FROM backtest.positions WHERE name = 'VIX layer 1' AND closed IS NULL;
		IF pos.id IS NOT NULL AND sess.vix_2d >= 0.40 AND NOT EXISTS (SELECT FROM backtest.positions WHERE name = 'VIX layer 1 rolled') THEN
			SELECT l.qty, l.strike, l.expiry, l.premium INTO rec FROM legs(pos.s) l;
			st := (SELECT strategy_agg(ceil(rec.qty / 2), 'C', rec.strike, rec.expiry, rec.premium));
			cash := backtest.close_trade(pos.id, sess.day, 'sell half of VIX layer 1', st);
			SELECT hv.expiry, hv.expiry_ts, hv.strike, hv.future INTO rec
			FROM backtest.hist_vix hv
			WHERE hv.quote_ts = sess.quote_ts AND hv.cp = 'C'
			  AND hv.expiry = (SELECT f.expiry FROM backtest.hist_vix_futures f
			                  WHERE f.quote_ts = sess.quote_ts
			                    AND year_frac(sess.quote_ts, f.expiry_ts) / year_frac(sess.quote_ts, rec.expiry) BETWEEN 2 AND 3
			                  ORDER BY abs(year_frac(sess.quote_ts, f.expiry_ts) / year_frac(sess.quote_ts, rec.expiry) - 2.5) LIMIT 1)
			ORDER BY abs(hv.strike - 1.15 * hv.future), hv.strike LIMIT 1;
			INSERT INTO backtest.positions (name, underlying, opened) VALUES ('VIX layer 1 rolled', 'VIX', sess.day);
			cash := cash + backtest.open_trade(currval('backtest.positions_id_seq')::int, sess.day, 'buy the rolled VIX calls',
			                             (SELECT strategy_agg(ceil(1.5 * (SELECT sum(qty) FROM legs(st))), 'C', rec.strike, rec.expiry_ts, 0)));
			PERFORM backtest.event(sess.day, 'VIX +40% in two sessions',
			                       format('VIX %s (+%s%% in two sessions): sold %s of the %s calls of %s, bought %s of the %s calls of %s; net %s',
			                              sess.vix, round(100 * sess.vix_2d::numeric, 1),
			                              (SELECT sum(qty) FROM legs(st)), (SELECT max(strike) FROM legs(st)),
			                              (SELECT max(expiry) FROM legs(st))::date,
			                              ceil(1.5 * (SELECT sum(qty) FROM legs(st))), rec.strike, rec.expiry, round(cash::numeric, 2)));
		END IF;

		-- the wing test: a side 80% of the way to its wing.  RSI(VIX) above 75 closes the
		-- pressed spread and sells the VIX layers that expire before the condor; otherwise
		-- the condor rolls out 7 to 14 days.
		IF cnd.id IS NOT NULL AND wing_test(cnd.s, sess.spx) >= 0.8 THEN
			msg := format('SPX %s, wing test %s, RSI(VIX) %s', sess.spx, round(wing_test(cnd.s, sess.spx)::numeric, 3),
			              round(sess.rsi14::numeric, 2));
			IF sess.rsi14 > 75 THEN
				st := backtest.legs_where(cnd.s, CASE WHEN sess.spx < (SELECT max(strike) FROM legs(cnd.s) WHERE kind = 'P' AND qty < 0)
				                                   THEN ARRAY['P'] ELSE ARRAY['C'] END);
				cash := backtest.close_trade(cnd.id, sess.day, 'close the pressed spread', st);
				PERFORM backtest.event(sess.day, 'wing test >= 0.8, RSI(VIX) > 75',
				                       msg || format(': closed the %s spread %s for %s',
				                                     CASE WHEN (SELECT min(kind) FROM legs(st)) = 'P' THEN 'put' ELSE 'call' END,
				                                     (SELECT string_agg(strike::text, '/' ORDER BY strike) FROM legs(st)),
				                                     round(cash::numeric, 2)));
				FOR pos IN SELECT * FROM backtest.positions
				         WHERE underlying = 'VIX' AND closed IS NULL
				           AND NOT EXISTS (SELECT FROM legs(positions.s) l WHERE l.expiry >= (SELECT min(expiry) FROM legs(cnd.s))) LOOP
					cash := backtest.close_trade(pos.id, sess.day, 'sell ' || pos.name, pos.s);
					PERFORM backtest.event(sess.day, 'sell the VIX layer', format('%s sold for %s', pos.name, round(cash::numeric, 2)));
				END LOOP;
			ELSE
				st := cnd.s;
				cash := backtest.close_trade(cnd.id, sess.day, 'close the condor to roll it', st);
				SELECT expiry_ts INTO rec FROM backtest.hist_spx
				WHERE quote_ts = sess.quote_ts AND expiry BETWEEN (SELECT min(expiry) FROM legs(st))::date + 7
				                                           AND (SELECT min(expiry) FROM legs(st))::date + 14
				ORDER BY expiry LIMIT 1;
				st := (SELECT iron_condor(h.expiry_ts, h.cp, h.strike, h.bid, h.ask,
				                         (bs_greeks(h.cp, h.spot, h.strike, year_frac(h.quote_ts, h.expiry_ts),
				                                    implied_vol((h.bid + h.ask) / 2, h.cp, h.spot, h.strike,
				                                                year_frac(h.quote_ts, h.expiry_ts), sess.r, sess.q), sess.r, sess.q)).delta,
				                         0.16, 50, true)
				      FROM backtest.hist_spx h WHERE h.quote_ts = sess.quote_ts AND h.expiry_ts = rec.expiry_ts);
				cash := cash + backtest.open_trade(cnd.id, sess.day, 'sell the rolled condor', st);
				PERFORM backtest.event(sess.day, 'wing test >= 0.8, RSI(VIX) <= 75',
				                       msg || format(': rolled out to %s, net %s', st, round(cash::numeric, 2)));
			END IF;
			SELECT * INTO cnd FROM backtest.positions WHERE name = 'condor' AND closed IS NULL;
		END IF;

		-- 0 to 2 days to expiry and spot within one standard deviation of a break-even
		-- (at the market vols, to the expiry): roll to the next weekly, same strikes
		IF cnd.id IS NOT NULL AND (SELECT min(expiry) FROM legs(cnd.s))::date - sess.day <= 2 THEN
			SELECT market_vols(cnd.s, q.cp, q.strike, q.expiry_ts, q.bid, q.ask, sess.spx, sess.quote_ts, sess.r, sess.q),
			       market_greeks_status(cnd.s, q.cp, q.strike, q.expiry_ts, q.bid, q.ask, sess.spx, sess.quote_ts, sess.r, sess.q)
			  INTO vols, msg
			FROM backtest.quotes q WHERE q.underlying = 'SPX' AND q.quote_ts = sess.quote_ts;
			IF msg <> 'ok' THEN
				PERFORM backtest.event(sess.day, 'no market vols', msg);
			ELSE
				dist := breakeven_distance(cnd.s, sess.spx, sess.quote_ts, vols, sess.r, sess.q);
				IF abs(dist) < 1 THEN
					st := cnd.s;
					SELECT expiry_ts INTO rec FROM backtest.hist_spx
					WHERE quote_ts = sess.quote_ts AND expiry > (SELECT min(expiry) FROM legs(st)) ORDER BY expiry LIMIT 1;
					msg := format('SPX %s, %s SD from the break-even %s, %s days to expiry', sess.spx, round(dist::numeric, 3),
					              (SELECT array_agg(round(b::numeric, 2)) FROM unnest(breakevens(st, sess.quote_ts, vols, sess.r, sess.q)) b),
					              (SELECT min(expiry) FROM legs(st))::date - sess.day);
					cash := backtest.close_trade(cnd.id, sess.day, 'close the expiring spread', st);
					cash := cash + backtest.open_trade(cnd.id, sess.day, 'sell it again for the next weekly',
					                             (SELECT strategy_agg(l.qty, l.kind, l.strike, rec.expiry_ts, 0) FROM legs(st) l));
					SELECT * INTO cnd FROM backtest.positions WHERE id = cnd.id;
					PERFORM backtest.event(sess.day, '0-2 DTE near a break-even',
					                       msg || format(': rolled to %s, net %s', cnd.s, round(cash::numeric, 2)));
				END IF;
			END IF;
		END IF;

		-- the end of the test: everything closed at natural, the margin released
		IF sess.day = last_day THEN
			FOR pos IN SELECT * FROM backtest.positions WHERE closed IS NULL ORDER BY id LOOP
				cash := backtest.close_trade(pos.id, sess.day, 'close ' || pos.name || ' at the end', pos.s);
			END LOOP;
			INSERT INTO backtest.ledger (day, what, amount)
			SELECT sess.day, 'margin released', -amount FROM backtest.ledger WHERE what LIKE 'post the margin%';
		END IF;

		-- the session's marks, at mid
		INSERT INTO backtest.marks
		SELECT sess.day, bp.id, (m).value, (m).status
		FROM backtest.positions bp, LATERAL backtest.mark_at(bp.s, bp.underlying, sess.quote_ts) m
		WHERE bp.closed IS NULL;
	END LOOP;
END $$;

CALL run_backtest();

-- 1. What fired, and when.
SELECT day, rule, detail FROM events ORDER BY id;

-- 2. The ledger (positive = received).
SELECT day, what, trade, round(amount::numeric, 2) AS amount FROM ledger ORDER BY id;

-- 3. The equity curve: cash from trading (the margin aside) plus the open positions at
-- mid, and the drawdown from the running peak; no mark is missing.
CREATE VIEW equity AS
SELECT s.day, s.spx, s.vix,
       (SELECT coalesce(sum(amount), 0) FROM ledger l WHERE l.day <= s.day AND l.what NOT LIKE '%margin%')
       + (SELECT coalesce(sum(value), 0) FROM marks m WHERE m.day = s.day) AS equity
FROM signals s WHERE s.in_window;
SELECT count(*) FILTER (WHERE value IS NULL) AS missing_marks, count(*) AS marks FROM marks;
SELECT day, spx, vix, round(equity::numeric, 2) AS equity,
       round((max(equity) OVER (ORDER BY day) - equity)::numeric, 2) AS drawdown
FROM equity ORDER BY day;

-- 4. The headline figures: the result, the worst drawdown (in dollars and as a share of
-- the margin), and the IRR of the ledger's cash flows, margin included.
SELECT round(sum(amount)::numeric, 2) AS net_pnl,
       round((SELECT max(dd) FROM (SELECT max(equity) OVER (ORDER BY day) - equity AS dd FROM equity) x)::numeric, 2) AS worst_drawdown,
       round((SELECT max(dd) FROM (SELECT max(equity) OVER (ORDER BY day) - equity AS dd FROM equity) x)::numeric
             / (SELECT -amount FROM ledger WHERE what LIKE 'post the margin%')::numeric, 4) AS drawdown_of_margin,
       round(xirr(amount, day)::numeric, 4) AS irr_annualised,
       (SELECT count(*) FROM events) AS events, count(*) AS cash_flows
FROM ledger;

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA backtest CASCADE;
RESET client_min_messages;
RESET DateStyle;
RESET TIME ZONE;
