-- test/cluster/fdw_coordinator.sql -- the coordinator of the postgres_fdw test: two shard
-- servers, and partitioned tables whose partitions are foreign tables on them.
--   psql -v shard1=<socket dir> -v shard2=<socket dir> -v port=<port> -f ...
-- The local copy is in schema "local" (test/cluster/data.sql).  The shards' tables have
-- the foreign tables' names (postgres_fdw's default table_name).
CREATE EXTENSION postgres_fdw;
-- extensions 'condor': condor's functions, operators, aggregates and types may be sent
-- to these servers (they must have the same condor installed).
CREATE SERVER shard1 FOREIGN DATA WRAPPER postgres_fdw
	OPTIONS (host :'shard1', port :'port', dbname 'condor_shard', extensions 'condor',
			 fetch_size '10000', batch_size '1000');
CREATE SERVER shard2 FOREIGN DATA WRAPPER postgres_fdw
	OPTIONS (host :'shard2', port :'port', dbname 'condor_shard', extensions 'condor',
			 fetch_size '10000', batch_size '1000');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard1;
CREATE USER MAPPING FOR CURRENT_USER SERVER shard2;

-- The chain by underlying: all of one underlying's quotes on one shard, so a per-quote-
-- time VIX index (which needs two expiries) is computed where the rows are.
CREATE TABLE chain (LIKE local.chain) PARTITION BY LIST (root);
CREATE FOREIGN TABLE chain_spxw PARTITION OF chain FOR VALUES IN ('SPXW') SERVER shard1;
CREATE FOREIGN TABLE chain_vix PARTITION OF chain FOR VALUES IN ('VIX') SERVER shard2;
-- the same split, over views on the shards that add iv_mid and delta (views.sql)
CREATE TABLE chain_greeks (LIKE local.chain_greeks) PARTITION BY LIST (root);
CREATE FOREIGN TABLE chain_spxw_greeks PARTITION OF chain_greeks FOR VALUES IN ('SPXW') SERVER shard1;
CREATE FOREIGN TABLE chain_vix_greeks PARTITION OF chain_greeks FOR VALUES IN ('VIX') SERVER shard2;

-- Call/put pairs by expiry: near expiries on one shard, far on the other.
CREATE TABLE pairs (LIKE local.pairs) PARTITION BY RANGE (expiry);
CREATE FOREIGN TABLE pairs_near PARTITION OF pairs FOR VALUES FROM (MINVALUE) TO ('2025-10-15') SERVER shard1;
CREATE FOREIGN TABLE pairs_far PARTITION OF pairs FOR VALUES FROM ('2025-10-15') TO (MAXVALUE) SERVER shard2;

-- The book by underlying, then by the position's first expiry (a position never spans
-- two partitions).
CREATE TABLE book (LIKE local.book) PARTITION BY LIST (underlying);
CREATE TABLE book_spxw PARTITION OF book FOR VALUES IN ('SPXW') PARTITION BY RANGE (book_expiry);
CREATE FOREIGN TABLE book_spxw_near PARTITION OF book_spxw FOR VALUES FROM (MINVALUE) TO ('2025-10-15') SERVER shard1;
CREATE FOREIGN TABLE book_spxw_far PARTITION OF book_spxw FOR VALUES FROM ('2025-10-15') TO (MAXVALUE) SERVER shard2;
CREATE FOREIGN TABLE book_vix PARTITION OF book FOR VALUES IN ('VIX') SERVER shard2;

-- The positions as strategy values, by underlying.
CREATE TABLE positions (LIKE local.positions) PARTITION BY LIST (underlying);
CREATE FOREIGN TABLE positions_spxw PARTITION OF positions FOR VALUES IN ('SPXW') SERVER shard1;
CREATE FOREIGN TABLE positions_vix PARTITION OF positions FOR VALUES IN ('VIX') SERVER shard2;

-- Each position with its legs' quotes, by underlying.
CREATE TABLE marks (LIKE local.marks) PARTITION BY LIST (underlying);
CREATE FOREIGN TABLE marks_spxw PARTITION OF marks FOR VALUES IN ('SPXW') SERVER shard1;
CREATE FOREIGN TABLE marks_vix PARTITION OF marks FOR VALUES IN ('VIX') SERVER shard2;

-- Cash flows by a hash of the account.
CREATE TABLE flows (LIKE local.flows) PARTITION BY HASH (account);
CREATE FOREIGN TABLE flows_0 PARTITION OF flows FOR VALUES WITH (MODULUS 2, REMAINDER 0) SERVER shard1;
CREATE FOREIGN TABLE flows_1 PARTITION OF flows FOR VALUES WITH (MODULUS 2, REMAINDER 1) SERVER shard2;

-- Daily closes by symbol, and the signals computed on the shards (views.sql).
CREATE TABLE history (LIKE local.history) PARTITION BY LIST (symbol);
CREATE FOREIGN TABLE history_spx PARTITION OF history FOR VALUES IN ('SPX') SERVER shard1;
CREATE FOREIGN TABLE history_vix PARTITION OF history FOR VALUES IN ('VIX') SERVER shard2;
CREATE TABLE history_signals (LIKE local.history_signals) PARTITION BY LIST (symbol);
CREATE FOREIGN TABLE history_spx_signals PARTITION OF history_signals FOR VALUES IN ('SPX') SERVER shard1;
CREATE FOREIGN TABLE history_vix_signals PARTITION OF history_signals FOR VALUES IN ('VIX') SERVER shard2;

-- Partial greeks_total states computed on the shards (views there, fdw_shard.sql) and
-- combined here: the state crosses the network as text.
CREATE AGGREGATE greeks_total_merge(float8[]) (
	SFUNC = greeks_total_combine, STYPE = float8[], FINALFUNC = greeks_total_final);
CREATE FOREIGN TABLE book_spxw_near_state (st float8[]) SERVER shard1;
CREATE FOREIGN TABLE book_spxw_far_state (st float8[]) SERVER shard2;
CREATE FOREIGN TABLE book_vix_state (st float8[]) SERVER shard2;
