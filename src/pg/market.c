/*
 * market.c -- the exchange calendar: the NYSE rules (src/num/calendar.c) overridden by
 * the rows of condor_closures, and the SQL functions is_trading_day, trading_days,
 * next_trading_day and session_close.
 *
 * condor_closures(day, close, note) is an ordinary table the user edits, so every
 * function that reads it is STABLE.  A row overrides the rules for its day: close NULL
 * means closed all day, a time means a session from 09:30 to that time.  The rows are
 * read once per snapshot -- per statement in READ COMMITTED, per transaction above --
 * into a sorted array with running totals of what they change, so a query over a
 * million rows reads the table once and every call is a binary search.
 */
#include "condor.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/indexing.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "pgtime.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "calendar.h"
#include "market.h"

#define CLOSURES_TABLE "condor_closures"

/* One row of condor_closures: the day and its close (0: closed all day). */
typedef struct closure_row
{
	int32		day;
	int64		close;			/* microseconds after midnight New York */
} closure_row;

/*
 * The rows as of one snapshot.  dsess[k] and dusec[k] are what rows[0..k) add to the
 * rules' running totals of sessions and session microseconds (negative for closures).
 */
static struct
{
	bool		valid;
	LocalTransactionId lxid;
	CommandId	curcid;
	TransactionId xmin;
	TransactionId xmax;
	uint32		xcnt;
	uint64		completion;
	TransactionId *xip;			/* kept only when completion is 0 (see below) */
	int			n;
	closure_row *rows;
	int32	   *dsess;
	int64	   *dusec;
} cl;

char *
condor_date_text(DateADT d)
{
	int			y,
				m,
				dd;

	if (DATE_IS_NOBEGIN(d))
		return pstrdup("-infinity");
	if (DATE_IS_NOEND(d))
		return pstrdup("infinity");
	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &dd);
	return psprintf("%04d-%02d-%02d", y, m, dd);
}

void
condor_check_day(DateADT d, const char *what)
{
	if (DATE_NOT_FINITE(d) || d < 0 || d >= CN_CAL_DAYS)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s \"%s\" is outside the trading calendar", what, condor_date_text(d)),
				 errdetail("The calendar covers 2000-01-01 to 2100-12-31.")));
}

/* The schema condor is installed in (pg_extension.extnamespace). */
static Oid
condor_schema(void)
{
	Relation	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	Oid			nsp = InvalidOid;

	ScanKeyInit(&key, Anum_pg_extension_extname, BTEqualStrategyNumber, F_NAMEEQ,
				CStringGetDatum("condor"));
	scan = systable_beginscan(rel, ExtensionNameIndexId, true, NULL, 1, &key);
	if (HeapTupleIsValid(tup = systable_getnext(scan)))
		nsp = ((Form_pg_extension) GETSTRUCT(tup))->extnamespace;
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	if (!OidIsValid(nsp))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("extension \"condor\" is not installed in this database")));
	return nsp;
}

static int
row_cmp(const void *a, const void *b)
{
	int32		x = ((const closure_row *) a)->day,
				y = ((const closure_row *) b)->day;

	return x < y ? -1 : x > y;
}

/* The column of condor_closures called name, checked to be of type typid. */
static AttrNumber
closures_column(Relation rel, const char *name, Oid typid)
{
	AttrNumber	att = get_attnum(RelationGetRelid(rel), name);

	if (att == InvalidAttrNumber ||
		TupleDescAttr(RelationGetDescr(rel), att - 1)->atttypid != typid)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("table \"%s\" has no column \"%s\" of type %s", CLOSURES_TABLE, name,
						format_type_be(typid))));
	return att;
}

/* Read condor_closures under snapshot snap into cl. */
static void
load_closures(Snapshot snap)
{
	Oid			relid = get_relname_relid(CLOSURES_TABLE, condor_schema());
	Relation	rel;
	AttrNumber	att_day,
				att_close;
	TupleTableSlot *slot;
	TableScanDesc scan;
	int			n = 0,
				cap = 32;
	closure_row *rows;

	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation \"%s\" does not exist", CLOSURES_TABLE),
				 errhint("It belongs to extension condor; reinstall the extension.")));
	rel = table_open(relid, AccessShareLock);
	att_day = closures_column(rel, "day", DATEOID);
	att_close = closures_column(rel, "close", TIMEOID);
	rows = palloc(cap * sizeof(closure_row));
	slot = table_slot_create(rel, NULL);
	scan = table_beginscan(rel, snap, 0, NULL);
	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		bool		isnull;
		Datum		v = slot_getattr(slot, att_day, &isnull);
		DateADT		day;
		int64		close = 0;

		if (isnull)
			continue;
		day = DatumGetDateADT(v);
		if (DATE_NOT_FINITE(day) || day < 0 || day >= CN_CAL_DAYS)
			continue;			/* cannot change any answer */
		v = slot_getattr(slot, att_close, &isnull);
		if (!isnull)
		{
			close = DatumGetTimeADT(v);
			if (close <= CONDOR_OPEN_USEC)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s has close \"%s\" on %s, not after the 09:30 open",
								CLOSURES_TABLE,
								DatumGetCString(DirectFunctionCall1(time_out, v)),
								condor_date_text(day))));
		}
		if (n == cap)
		{
			cap *= 2;
			rows = repalloc(rows, cap * sizeof(closure_row));
		}
		rows[n].day = day;
		rows[n].close = close;
		n++;
	}
	table_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	table_close(rel, AccessShareLock);

	qsort(rows, n, sizeof(closure_row), row_cmp);
	for (int k = 1; k < n; k++)
		if (rows[k].day == rows[k - 1].day)
			ereport(ERROR,
					(errcode(ERRCODE_UNIQUE_VIOLATION),
					 errmsg("%s has two rows for %s", CLOSURES_TABLE,
							condor_date_text(rows[k].day))));

	/* built in the caller's context, kept in TopMemoryContext once complete */
	if (cl.rows)
		pfree(cl.rows);
	if (cl.dsess)
		pfree(cl.dsess);
	if (cl.dusec)
		pfree(cl.dusec);
	cl.rows = MemoryContextAlloc(TopMemoryContext, Max(n, 1) * sizeof(closure_row));
	memcpy(cl.rows, rows, n * sizeof(closure_row));
	pfree(rows);
	rows = cl.rows;
	cl.n = n;
	cl.dsess = MemoryContextAlloc(TopMemoryContext, (n + 1) * sizeof(int32));
	cl.dusec = MemoryContextAlloc(TopMemoryContext, (n + 1) * sizeof(int64));
	cl.dsess[0] = 0;
	cl.dusec[0] = 0;
	for (int k = 0; k < n; k++)
	{
		int			rule = cn_nyse_close(rows[k].day);
		int64		rule_len = rule ? (rule - CN_CAL_OPEN) * USECS_PER_MINUTE : 0;
		int64		row_len = rows[k].close ? rows[k].close - CONDOR_OPEN_USEC : 0;

		cl.dsess[k + 1] = cl.dsess[k] + (row_len > 0) - (rule_len > 0);
		cl.dusec[k + 1] = cl.dusec[k] + row_len - rule_len;
	}
}

/*
 * Make cl hold condor_closures as the active snapshot sees it.  The key is the
 * snapshot's visibility: the transaction, the command counter and the set of
 * transactions it sees as finished.  snapXactCompletionCount identifies that set in a
 * backend's own snapshots; snapshots restored from elsewhere (parallel workers) carry
 * 0 there, and then the in-progress list itself is compared.
 */
static void
closures_refresh(void)
{
	bool		pushed = false;
	Snapshot	snap;

	if (!ActiveSnapshotSet())
	{
		PushActiveSnapshot(GetTransactionSnapshot());
		pushed = true;
	}
	snap = GetActiveSnapshot();
	if (cl.valid && cl.lxid == MyProc->lxid && cl.curcid == snap->curcid &&
		cl.xmin == snap->xmin && cl.xmax == snap->xmax && cl.xcnt == snap->xcnt &&
		cl.completion == snap->snapXactCompletionCount &&
		(cl.completion != 0 || snap->xcnt == 0 ||
		 memcmp(cl.xip, snap->xip, snap->xcnt * sizeof(TransactionId)) == 0))
	{
		if (pushed)
			PopActiveSnapshot();
		return;
	}

	cl.valid = false;
	load_closures(snap);
	if (cl.xip)
	{
		pfree(cl.xip);
		cl.xip = NULL;
	}
	if (snap->snapXactCompletionCount == 0 && snap->xcnt > 0)
	{
		cl.xip = MemoryContextAlloc(TopMemoryContext, snap->xcnt * sizeof(TransactionId));
		memcpy(cl.xip, snap->xip, snap->xcnt * sizeof(TransactionId));
	}
	cl.lxid = MyProc->lxid;
	cl.curcid = snap->curcid;
	cl.xmin = snap->xmin;
	cl.xmax = snap->xmax;
	cl.xcnt = snap->xcnt;
	cl.completion = snap->snapXactCompletionCount;
	cl.valid = true;
	/*
	 * Called outside any query (no active snapshot), the snapshot pushed here ends with
	 * this call, and the rows read under it are not known to match the next one.
	 */
	if (pushed)
	{
		PopActiveSnapshot();
		cl.valid = false;
	}
}

/* Index of the first row whose day is >= day. */
static int
rows_before(int32 day)
{
	int			lo = 0,
				hi = cl.n;

	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (cl.rows[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The row for day, or NULL. */
static const closure_row *
row_for(int32 day)
{
	int			k = rows_before(day);

	return k < cl.n && cl.rows[k].day == day ? &cl.rows[k] : NULL;
}

int64
condor_close_usec(DateADT d)
{
	const closure_row *r;

	closures_refresh();
	if ((r = row_for(d)) != NULL)
		return r->close;
	return cn_nyse_close(d) * USECS_PER_MINUTE;
}

int32
condor_sessions_before(DateADT d)
{
	closures_refresh();
	return cn_nyse_sessions_before(d) + cl.dsess[rows_before(d)];
}

int64
condor_session_usec_until(Timestamp x)
{
	int32		day = (int32) (x / USECS_PER_DAY);
	int64		tod = x - (int64) day * USECS_PER_DAY;
	int64		until;

	closures_refresh();
	until = cn_nyse_minutes_before(day) * USECS_PER_MINUTE + cl.dusec[rows_before(day)];
	if (day < CN_CAL_DAYS && tod > CONDOR_OPEN_USEC)
	{
		int64		close = condor_close_usec(day);

		if (close > 0)
			until += Min(tod, close) - CONDOR_OPEN_USEC;
	}
	return until;
}

DateADT
condor_session_day(int32 k)
{
	int32		lo = 0,
				hi = CN_CAL_DAYS;

	if (k < 0 || k >= condor_sessions_before(CN_CAL_DAYS))
		return -1;
	/* the first day with more than k sessions up to and including it */
	while (lo < hi)
	{
		int32		mid = lo + (hi - lo) / 2;

		if (condor_sessions_before(mid + 1) > k)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* The zone of the exchange, looked up once per backend. */
static pg_tz *
ny_zone(void)
{
	static pg_tz *tz = NULL;

	if (tz == NULL)
	{
		tz = pg_tzset("America/New_York");
		if (tz == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_CONFIG_FILE_ERROR),
					 errmsg("time zone \"America/New_York\" is not in the zone database")));
	}
	return tz;
}

TimestampTz
condor_ny_to_utc(Timestamp local)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;
	TimestampTz result;

	if (timestamp2tm(local, NULL, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	/* tz is the offset in seconds west of Greenwich in force at that wall-clock time */
	tz = DetermineTimeZoneOffset(&tm, ny_zone());
	result = local + (int64) tz * USECS_PER_SEC;
	if (!IS_VALID_TIMESTAMP(result))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	return result;
}

Timestamp
condor_utc_to_ny(TimestampTz t)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;

	if (timestamp2tm(t, &tz, &tm, &fsec, NULL, ny_zone()) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	return t - (int64) tz * USECS_PER_SEC;
}

bool
condor_session_close(DateADT d, TimestampTz *close)
{
	int64		c;

	condor_check_day(d, "day");
	c = condor_close_usec(d);
	if (c == 0)
		return false;
	*close = condor_ny_to_utc((Timestamp) d * USECS_PER_DAY + c);
	return true;
}

bool
condor_rule_close(DateADT d, TimestampTz *close)
{
	int			c;

	condor_check_day(d, "day");
	c = cn_nyse_close(d);
	if (c == 0)
		return false;
	*close = condor_ny_to_utc((Timestamp) d * USECS_PER_DAY + c * USECS_PER_MINUTE);
	return true;
}

TimestampTz
condor_expiry_instant(DateADT d, bool am)
{
	int64		close;

	if (DATE_IS_NOBEGIN(d))
		return DT_NOBEGIN;
	if (DATE_IS_NOEND(d))
		return DT_NOEND;
	condor_check_day(d, "expiry");
	close = condor_close_usec(d);
	if (close == 0)
	{
		/* no session on d: the last one before it */
		DateADT		prev = condor_session_day(condor_sessions_before(d) - 1);

		if (prev < 0)
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("no session on or before expiry \"%s\" in the trading calendar",
							condor_date_text(d)),
					 errdetail("The calendar covers 2000-01-01 to 2100-12-31.")));
		d = prev;
		close = condor_close_usec(d);
	}
	return condor_ny_to_utc((Timestamp) d * USECS_PER_DAY + (am ? CONDOR_OPEN_USEC : close));
}

/* ---- SQL functions ---- */

/* is_trading_day(day date): whether the exchange holds a session on day. */
PG_FUNCTION_INFO_V1(is_trading_day);
Datum
is_trading_day(PG_FUNCTION_ARGS)
{
	DateADT		d = PG_GETARG_DATEADT(0);

	condor_check_day(d, "day");
	PG_RETURN_BOOL(condor_close_usec(d) > 0);
}

/*
 * trading_days(start date, stop date): the number of sessions on the days from start
 * up to but not including stop; negative when stop is before start, so that counts
 * over adjacent intervals add up.
 */
PG_FUNCTION_INFO_V1(trading_days);
Datum
trading_days(PG_FUNCTION_ARGS)
{
	DateADT		start = PG_GETARG_DATEADT(0);
	DateADT		stop = PG_GETARG_DATEADT(1);

	/* the end of the half-open interval may be 2101-01-01 */
	if (start != CN_CAL_DAYS)
		condor_check_day(start, "start");
	if (stop != CN_CAL_DAYS)
		condor_check_day(stop, "stop");
	PG_RETURN_INT32(condor_sessions_before(stop) - condor_sessions_before(start));
}

/*
 * next_trading_day(day date, n int): the n-th session after day (n > 0), the |n|-th
 * before it (n < 0); n = 0 gives day itself when it has a session, else the next one.
 */
PG_FUNCTION_INFO_V1(next_trading_day);
Datum
next_trading_day(PG_FUNCTION_ARGS)
{
	DateADT		d = PG_GETARG_DATEADT(0);
	int32		n = PG_GETARG_INT32(1);
	int64		k;
	DateADT		result;

	condor_check_day(d, "day");
	/* ordinal of the wanted session; sessions before d+1 counts d's own */
	if (n > 0)
		k = (int64) condor_sessions_before(d + 1) + n - 1;
	else if (n < 0)
		k = (int64) condor_sessions_before(d) + n;
	else
		k = condor_sessions_before(d);
	result = (k < 0 || k > PG_INT32_MAX) ? -1 : condor_session_day((int32) k);
	if (result < 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("next_trading_day(%s, %d) is outside the trading calendar",
						condor_date_text(d), n),
				 errdetail("The calendar covers 2000-01-01 to 2100-12-31.")));
	PG_RETURN_DATEADT(result);
}

/* session_close(day date): the close of day's session as a timestamptz; NULL if none. */
PG_FUNCTION_INFO_V1(session_close);
Datum
session_close(PG_FUNCTION_ARGS)
{
	TimestampTz close;

	if (!condor_session_close(PG_GETARG_DATEADT(0), &close))
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(close);
}

/*
 * Trigger on condor_closures, BEFORE INSERT FOR EACH ROW: a row for a day that already
 * has one replaces it.  pg_dump keeps every row of the table; restoring it into a new
 * database, whose CREATE EXTENSION already put in the shipped rows, then gives the
 * dumped table back -- edited shipped rows included -- instead of failing on the key.
 */
PG_FUNCTION_INFO_V1(condor_closures_replace);
Datum
condor_closures_replace(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	Relation	rel;
	AttrNumber	att_day;
	bool		isnull;
	Datum		day;
	Oid			argtypes[1] = {DATEOID};
	char	   *sql;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event) || !TRIGGER_FIRED_BY_INSERT(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("condor_closures_replace can only be called as a BEFORE INSERT FOR EACH ROW trigger")));
	rel = td->tg_relation;
	att_day = closures_column(rel, "day", DATEOID);
	day = heap_getattr(td->tg_trigtuple, att_day, RelationGetDescr(rel), &isnull);
	if (!isnull)
	{
		sql = psprintf("DELETE FROM %s WHERE day = $1",
					   quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
												  RelationGetRelationName(rel)));
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		if (SPI_execute_with_args(sql, 1, argtypes, &day, NULL, false, 0) != SPI_OK_DELETE)
			elog(ERROR, "could not replace the row of %s", RelationGetRelationName(rel));
		SPI_finish();
	}
	return PointerGetDatum(td->tg_trigtuple);
}
