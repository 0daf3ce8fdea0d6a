-- test/cluster/citus_coordinator.sql -- the distributed tables of scripts/test-citus, on
-- the coordinator, once the workers are added and the local copy is loaded (schema
-- local).  Each table is distributed by a column the tests do not group by (id, a row
-- number), except the daily closes: order-dependent window aggregates need a whole
-- series on one shard, so history is distributed by symbol.
SET citus.shard_count = 4;
CREATE TABLE chain (LIKE local.chain);
SELECT create_distributed_table('chain', 'id');
CREATE TABLE pairs (LIKE local.pairs);
SELECT create_distributed_table('pairs', 'id');
CREATE TABLE book (LIKE local.book);
SELECT create_distributed_table('book', 'id');
CREATE TABLE positions (LIKE local.positions);
SELECT create_distributed_table('positions', 'id');
CREATE TABLE marks (LIKE local.marks);
SELECT create_distributed_table('marks', 'id');
CREATE TABLE flows (LIKE local.flows);
SELECT create_distributed_table('flows', 'id');
CREATE TABLE history (LIKE local.history);
SELECT create_distributed_table('history', 'symbol');

INSERT INTO chain SELECT * FROM local.chain;
INSERT INTO pairs SELECT * FROM local.pairs;
INSERT INTO book SELECT * FROM local.book;
INSERT INTO positions SELECT * FROM local.positions;
INSERT INTO marks SELECT * FROM local.marks;
INSERT INTO flows SELECT * FROM local.flows;
INSERT INTO history SELECT * FROM local.history;
ANALYZE chain, pairs, book, positions, marks, flows, history;

-- iv_mid and delta per quote (views.sql), over the distributed chain
\set chain chain
\set greeks chain_greeks
\set history history
\set signals history_signals
\i test/cluster/views.sql
