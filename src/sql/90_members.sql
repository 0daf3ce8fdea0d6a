-- The array types of condor's types belong to the extension too.  PostgreSQL makes them
-- with their element type but does not record them as members, and postgres_fdw ships
-- an expression only when every type in it is built in or belongs to an extension it
-- is told about (server option "extensions 'condor'"): vix_terms returns vix_term[],
-- and array_agg over greeks or strategies returns arrays of them.
ALTER EXTENSION condor ADD TYPE greeks[];
ALTER EXTENSION condor ADD TYPE strategy[];
ALTER EXTENSION condor ADD TYPE vix_term[];
ALTER EXTENSION condor ADD TYPE forward_fit[];
ALTER EXTENSION condor ADD TYPE parity[];
ALTER EXTENSION condor ADD TYPE svi[];
ALTER EXTENSION condor ADD TYPE macd[];
ALTER EXTENSION condor ADD TYPE hedge[];
ALTER EXTENSION condor ADD TYPE occ_option[];
ALTER EXTENSION condor ADD TYPE skew[];
ALTER EXTENSION condor ADD TYPE mark[];
ALTER EXTENSION condor ADD TYPE ssvi[];
