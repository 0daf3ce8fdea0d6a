-- The exchange calendar and trading time.  The NYSE rules, 2000 to 2100, are compiled
-- in (holidays with their observed days, Good Friday from Easter, the 13:00 closes);
-- one-off closures and early closes are rows of condor_closures, which the user may
-- edit.  Every function that reads the table is STABLE: its answers can change when
-- the table does.  They read it once per statement (per snapshot), not once per row.

CREATE TABLE condor_closures (
	day		date PRIMARY KEY CHECK (day BETWEEN '2000-01-01' AND '2100-12-31'),
	close	time CHECK (close > '09:30'),
	note	text
);
COMMENT ON TABLE condor_closures IS
'days whose session differs from the NYSE rules: close NULL = closed all day, else the session ends at close (New York time); a row overrides the rules for its day';

-- The one-offs since 2000 (NYSE's record of closings).
INSERT INTO condor_closures (day, close, note) VALUES
	('2001-09-11', NULL, 'September 11 attacks'),
	('2001-09-12', NULL, 'September 11 attacks'),
	('2001-09-13', NULL, 'September 11 attacks'),
	('2001-09-14', NULL, 'September 11 attacks'),
	('2003-12-26', '13:00', 'early close: the day after Christmas'),
	('2004-06-11', NULL, 'National Day of Mourning: President Reagan'),
	('2007-01-02', NULL, 'National Day of Mourning: President Ford'),
	('2012-10-29', NULL, 'Hurricane Sandy'),
	('2012-10-30', NULL, 'Hurricane Sandy'),
	('2018-12-05', NULL, 'National Day of Mourning: President George H. W. Bush'),
	('2025-01-09', NULL, 'National Day of Mourning: President Carter');
GRANT SELECT ON condor_closures TO PUBLIC;

-- pg_dump keeps every row; on restore the trigger below lets a dumped row replace the
-- shipped row of the same day that CREATE EXTENSION has just inserted.
SELECT pg_catalog.pg_extension_config_dump('condor_closures', '');

-- VOLATILE (it deletes a row) and PARALLEL UNSAFE, as a trigger that writes must be.
CREATE FUNCTION condor_closures_replace() RETURNS trigger
AS 'MODULE_PATHNAME', 'condor_closures_replace' LANGUAGE C;
CREATE TRIGGER condor_closures_replace BEFORE INSERT ON condor_closures
	FOR EACH ROW EXECUTE FUNCTION condor_closures_replace();

CREATE FUNCTION is_trading_day(day date)
RETURNS boolean
AS 'MODULE_PATHNAME', 'is_trading_day'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION is_trading_day(date) IS
'whether NYSE holds a session on day (rules and condor_closures; 2000-2100)';

CREATE FUNCTION trading_days(start date, stop date)
RETURNS int
AS 'MODULE_PATHNAME', 'trading_days'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION trading_days(date, date) IS
'number of sessions on the days in [start, stop); negative when stop < start';

CREATE FUNCTION next_trading_day(day date, n int DEFAULT 1)
RETURNS date
AS 'MODULE_PATHNAME', 'next_trading_day'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION next_trading_day(date, int) IS
'the n-th session after day (n < 0: before it; n = 0: day if a session, else the next)';

CREATE FUNCTION session_close(day date)
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'session_close'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION session_close(date) IS
'close of the session on day: 16:00 or 13:00 New York (or the condor_closures time); NULL when closed';

CREATE FUNCTION year_frac_trading(start timestamptz, stop timestamptz,
								  overnight_weight float8 DEFAULT 0)
RETURNS float8
AS 'MODULE_PATHNAME', 'year_frac_trading'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION year_frac_trading(timestamptz, timestamptz, float8) IS
'trading-time year fraction: session time + overnight_weight x other time, over a year of 252 sessions of 6.5 h (weight 0) ... 365 days (weight 1)';

-- OCC option symbols (OSI): 'SPXW  251031C05800000'.

CREATE TYPE occ_option AS (
	root	text,
	expiry	date,
	cp		text,
	strike	float8
);
COMMENT ON TYPE occ_option IS 'an OCC option symbol read: root, expiry date, C or P, strike';

CREATE FUNCTION occ_parse(symbol text)
RETURNS occ_option
AS 'MODULE_PATHNAME', 'occ_parse'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION occ_parse(text) IS
'root, expiry, cp and strike of an OCC symbol, padded (21 characters) or compact';

CREATE FUNCTION occ_symbol(root text, expiry date, cp text, strike float8)
RETURNS text
AS 'MODULE_PATHNAME', 'occ_symbol'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION occ_symbol(text, date, text, float8) IS
'the 21-character OCC symbol: root padded to 6, yymmdd, C or P, strike x 1000 in 8 digits';
