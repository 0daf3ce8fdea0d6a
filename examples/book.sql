-- examples/book.sql: a book of positions and the table its scheduled marks go to
-- (examples/mark_book.sql).  Positions are condor strategy values; the chain they are
-- marked from is spx_chain and market as in data/sample_chain.sql.
CREATE TABLE book (
	id			int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name		text NOT NULL,
	s			strategy NOT NULL
);
CREATE TABLE book_risk (
	marked_at	timestamptz NOT NULL,	-- when the job ran
	quote_ts	timestamptz NOT NULL,	-- the chain it used
	book_id		int NOT NULL REFERENCES book,
	spot		float8 NOT NULL,
	complete	boolean NOT NULL,		-- every leg had a quote with an implied vol
	value		float8,					-- each leg at its own implied vol, in currency
	pnl			float8,					-- value less what the position cost (premiums paid, less received)
	delta		float8,					-- dollar Greeks: per point, per vol point, per day
	gamma		float8,
	vega		float8,
	theta		float8,
	breakevens	float8[],				-- at the first expiry (later legs by the model)
	wing_test	float8,					-- 0 inside the short strikes, 1 at a long wing
	max_loss	float8,					-- at the first expiry, likewise
	PRIMARY KEY (marked_at, book_id)
);
