-- test/cluster/fdw_shard.sql -- a shard of the postgres_fdw test: condor, the table
-- templates (schema tmpl), and for each partition placed here (psql variable "parts", a
-- comma-separated list of coordinator partition names with their template: chain_spxw:chain)
-- a table of that name; views.sql's views over the chain and history tables; the
-- greeks_total state of each book partition.
CREATE EXTENSION condor;
CREATE SCHEMA tmpl;
SET search_path = tmpl, public;
\i test/cluster/schema.sql
SET search_path = public;
CREATE AGGREGATE greeks_total_state(greeks) (SFUNC = greeks_total_sfunc, STYPE = float8[]);

SELECT format('CREATE TABLE %I (LIKE tmpl.%I)', split_part(p, ':', 1), split_part(p, ':', 2))
FROM unnest(string_to_array(:'parts', ',')) p
\gexec

-- views over this shard's chain and history tables
SELECT c.relname AS chain, c.relname || '_greeks' AS greeks,
       h.relname AS history, h.relname || '_signals' AS signals
FROM pg_class c, pg_class h
WHERE c.relname LIKE 'chain\_%' AND c.relkind = 'r' AND h.relname LIKE 'history\_%' AND h.relkind = 'r'
\gset
\i test/cluster/views.sql

SELECT format('CREATE VIEW %I AS SELECT greeks_total_state(bs_greeks(cp, spot, strike, year_frac(quote_ts, expiry), iv, 0.045, 0.013) * (qty * multiplier)) AS st FROM %I WHERE cp <> %L',
              relname || '_state', relname, 'U')
FROM pg_class WHERE relname LIKE 'book\_%' AND relkind = 'r'
\gexec
