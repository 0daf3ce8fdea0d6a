-- test/cluster/schema.sql -- the tables of the cluster tests (test/parts/50-fdw.sh,
-- scripts/test-citus), created in the first schema of the search_path: the local copy
-- (schema "local" on the coordinator), the templates of the shards' tables, the
-- distributed tables.  Every table has an "id" that no query groups by (Citus
-- distributes most of them by it).
--   chain    quotes, one row per contract: three quote times of the sample chain,
--            SPXW and VIX options ("spot" is the VIX future for VIX)
--   pairs    one quote time of SPXW, the call and the put of a strike side by side
--   book     legs of about 2,000 positions (condors, verticals, calendars, covered
--            calls; VIX call spreads); book_expiry is the position's first expiry
--   flows    dated cash flows of 40 accounts
--   history  daily bars of SPX and VIX (the closes of the sample history, made-up
--            open, high and low)
--   marks    each position with the quote rows of its legs (cp 'U' rows: the index
--            level), for the marking aggregates
--   positions  the book's positions as strategy values (id = position_id), but the
--            calendar spreads (one expiry each, for the expiry analytics)
CREATE TABLE chain (
	id			bigint NOT NULL,
	quote_ts	timestamptz NOT NULL,
	root		text NOT NULL,
	expiry		date NOT NULL,
	expiry_ts	timestamptz NOT NULL,
	cp			text NOT NULL,
	strike		float8 NOT NULL,
	bid			float8 NOT NULL,
	ask			float8 NOT NULL,
	spot		float8 NOT NULL,
	iv			float8 NOT NULL
);
CREATE TABLE pairs (
	id			bigint NOT NULL,
	quote_ts	timestamptz NOT NULL,
	root		text NOT NULL,
	expiry		date NOT NULL,
	expiry_ts	timestamptz NOT NULL,
	strike		float8 NOT NULL,
	call_bid	float8 NOT NULL,
	call_ask	float8 NOT NULL,
	put_bid		float8 NOT NULL,
	put_ask		float8 NOT NULL,
	spot		float8 NOT NULL,
	iv			float8 NOT NULL
);
CREATE TABLE book (
	id			bigint NOT NULL,
	position_id	int NOT NULL,
	underlying	text NOT NULL,
	book_expiry	date NOT NULL,
	quote_ts	timestamptz NOT NULL,
	qty			float8 NOT NULL,
	cp			text NOT NULL,
	strike		float8,
	expiry		timestamptz,
	expiry_day	date,			-- the expiry's date (New York)
	premium		float8 NOT NULL,
	multiplier	float8 NOT NULL,
	spot		float8 NOT NULL,
	iv			float8
);
CREATE TABLE flows (
	id			bigint NOT NULL,
	account		int NOT NULL,
	day			date NOT NULL,
	ts			timestamptz NOT NULL,
	period		int NOT NULL,
	amount		float8 NOT NULL
);
CREATE TABLE history (
	id			bigint NOT NULL,
	symbol		text NOT NULL,
	day			date NOT NULL,
	ts			timestamptz NOT NULL,	-- the close, 16:00 New York
	open		float8 NOT NULL,
	high		float8 NOT NULL,
	low			float8 NOT NULL,
	close		float8 NOT NULL
);
CREATE TABLE positions (
	id			bigint NOT NULL,
	underlying	text NOT NULL,
	quote_ts	timestamptz NOT NULL,
	spot		float8 NOT NULL,
	s			strategy NOT NULL
);
CREATE TABLE marks (
	id			bigint NOT NULL,
	position_id	int NOT NULL,
	underlying	text NOT NULL,
	s			strategy NOT NULL,
	quote_ts	timestamptz NOT NULL,
	cp			text NOT NULL,
	strike		float8,
	expiry_ts	timestamptz,
	bid			float8,
	ask			float8,
	spot		float8 NOT NULL
);
