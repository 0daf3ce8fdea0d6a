#!/usr/bin/env bash
# pg_cron: examples/mark_book.sql, scheduled, marks a book of strategies from the sample chain; two runs are checked.
# needs: postgresql-15-cron
source "$(dirname "$0")/lib.sh"

# A cluster of its own, with pg_cron preloaded.  pg_cron's workers connect to the server
# through cron.host, by default localhost over TCP; this cluster listens only on its
# socket directory, so cron.host names that directory.
dir=$CONDOR_TMP/cron
for f in examples/book.sql examples/mark_book.sql data/sample_chain.sql "$("$PGBIN/pg_config" --pkglibdir)/pg_cron.so"; do
	need_path "$f" || { part_end; exit 0; }
done
must "a cluster with shared_preload_libraries = pg_cron" condor_cluster_init "$dir" \
	-c shared_preload_libraries=pg_cron -c cron.database_name=postgres -c cron.host="$dir"
export PGHOST=$dir PGDATABASE=postgres

must "CREATE EXTENSION condor, pg_cron" sql -c "CREATE EXTENSION condor" -c "CREATE EXTENSION pg_cron"
must "data/sample_chain.sql" sql -f data/sample_chain.sql
must "examples/book.sql" sql -f examples/book.sql
# The book: the README's iron condor, a put spread and a call calendar, filled at mid; and
# a position with a leg the chain does not list (it is marked without Greeks).
must "the book" sql <<'SQL'
INSERT INTO book (name, s)
SELECT p.name, strategy_agg(p.qty, p.cp, p.strike, c.expiry_ts, (c.bid + c.ask) / 2)
FROM (VALUES ('iron condor', -1, 'C', 6085, date '2025-10-31'), ('iron condor', 1, 'C', 6135, '2025-10-31'),
             ('iron condor', 1, 'P', 5415, '2025-10-31'), ('iron condor', -1, 'P', 5465, '2025-10-31'),
             ('put spread', -2, 'P', 5700, '2025-10-17'), ('put spread', 2, 'P', 5600, '2025-10-17'),
             ('call calendar', -1, 'C', 5900, '2025-10-17'), ('call calendar', 1, 'C', 5900, '2025-12-12'))
     p(name, qty, cp, strike, expiry)
JOIN spx_chain c ON (c.cp, c.strike, c.expiry) = (p.cp, p.strike::float8, p.expiry)
GROUP BY p.name ORDER BY p.name;
INSERT INTO book (name, s) VALUES ('unlisted strike', '1 C 5901 "2025-10-17 20:00+00" @ 50');
SQL
positions=$(sql -c "SELECT count(*) FROM book")

# The job: the statement in examples/mark_book.sql, every 5 seconds where pg_cron
# knows second schedules (1.5 and later), else every minute (Debian 12 has 1.4: the
# two runs then take up to two minutes).
schedule() { sql -v cmd="$(cat examples/mark_book.sql)" <<<"SELECT cron.schedule('mark-book', '$1', :'cmd')" 2>/dev/null; }
every='5 seconds'
job=$(schedule "$every") || { every='* * * * *'; job=$(schedule "$every") || true; }
expect "cron.schedule('mark-book', '$every', examples/mark_book.sql) (job ${job:-none})" [ -n "$job" ]
runs=0
for _ in $(seq 150); do
	runs=$(sql -c "SELECT count(DISTINCT marked_at) FROM book_risk") || runs=0
	[ "$runs" -lt 2 ] || break
	sleep 1
done
sql -c "SELECT cron.unschedule('mark-book')" >/dev/null || true
echo "$runs runs of the job, $positions positions"
sql -c "SELECT status || ': ' || coalesce(return_message, '') FROM cron.job_run_details ORDER BY runid" | sort | uniq -c
expect "the job ran twice within 150 s" [ "$runs" -ge 2 ]
expect "every run succeeded" [ "$(sql -c "SELECT count(*) FROM cron.job_run_details WHERE status <> 'succeeded'")" = 0 ]
expect "every run wrote one row per position" [ "$(sql -c "SELECT count(*) FROM (SELECT marked_at FROM book_risk
	GROUP BY marked_at HAVING count(*) <> $positions) x")" = 0 ]

# The marks: the README's worked example (its condor's dollar Greeks at each leg's
# implied vol, its break-evens and worst loss), Greeks on every complete position,
# none on the unlisted one, and each run equal to the statement run here by hand.
sql -c "SELECT b.name, r.complete, round(r.value::numeric, 2), round(r.delta::numeric, 2), round(r.vega::numeric, 2),
               round(r.theta::numeric, 2), r.breakevens, round(r.wing_test::numeric, 3), r.max_loss
        FROM book_risk r JOIN book b ON b.id = r.book_id
        WHERE r.marked_at = (SELECT min(marked_at) FROM book_risk) ORDER BY b.id"
condor=$(sql -c "SELECT round(delta::numeric, 2) || ' ' || round(vega::numeric, 2) || ' ' || round(theta::numeric, 2)
                 || ' ' || breakevens::text || ' ' || round(max_loss::numeric, 2)
                 FROM book_risk r JOIN book b ON b.id = r.book_id
                 WHERE b.name = 'iron condor' ORDER BY marked_at LIMIT 1")
expect "the iron condor as in the README: delta -2.07, vega -145.26, theta 19.70, break-evens {5453.9,6096.1}, max loss 3890 (got: $condor)" \
	[ "$condor" = "-2.07 -145.26 19.70 {5453.9,6096.1} 3890.00" ]
expect "Greeks, break-evens and worst loss on every complete position, none on the unlisted one" \
	[ "$(sql -c "SELECT count(*) FROM book_risk r JOIN book b ON b.id = r.book_id
	             WHERE r.complete = (b.name = 'unlisted strike') OR (r.vega IS NULL) = r.complete
	                OR (r.breakevens IS NULL) = r.complete OR (r.max_loss IS NULL) = r.complete")" = 0 ]
diffs=$(sql <<'SQL'
BEGIN;
CREATE TEMP TABLE cron_rows AS SELECT * FROM book_risk;
\i examples/mark_book.sql
SELECT count(*) FROM (
	(SELECT quote_ts, book_id, spot, complete, value, pnl, delta, gamma, vega, theta, breakevens, wing_test, max_loss
	 FROM cron_rows)
	EXCEPT
	(SELECT quote_ts, book_id, spot, complete, value, pnl, delta, gamma, vega, theta, breakevens, wing_test, max_loss
	 FROM book_risk WHERE marked_at = now())) x;
ROLLBACK;
SQL
) || diffs=error
expect "each scheduled run wrote what the statement gives by hand (rows that differ: $diffs)" [ "$diffs" = 0 ]

# The README shows the job as it is in examples/mark_book.sql.
stmt=$(grep -v '^--' examples/mark_book.sql)
readme=$(<README.md)
contains() { [[ $1 == *"$2"* ]]; }
expect "README.md shows the statement of examples/mark_book.sql" contains "$readme" "$stmt"
part_end
