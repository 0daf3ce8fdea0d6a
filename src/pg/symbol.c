/*
 * symbol.c -- OCC option symbols in SQL: occ_parse (text to the occ_option composite)
 * and occ_symbol (its inverse).  The reading and writing are src/num/occ.c.
 */
#include "condor.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/date.h"

#include "calendar.h"
#include "market.h"
#include "occ.h"

/* occ_parse(symbol text): (root, expiry, cp, strike) of an OCC symbol, either form. */
PG_FUNCTION_INFO_V1(occ_parse);
Datum
occ_parse(PG_FUNCTION_ARGS)
{
	text	   *sym = PG_GETARG_TEXT_PP(0);
	cn_occ		o;
	char		why[256];
	TupleDesc	desc;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};
	char		cp[2];

	if (cn_occ_parse(VARDATA_ANY(sym), VARSIZE_ANY_EXHDR(sym), &o, why, sizeof(why)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid OCC option symbol \"%s\"", text_to_cstring(sym)),
				 errdetail("%s", why),
				 errhint("An OCC symbol is the root padded with spaces to 6 characters, the expiry as yymmdd, C or P, and the strike times 1000 in 8 digits, e.g. 'SPXW  251031C05800000'; the padding may be left out.")));
	/* the blessed descriptor of occ_option, once per call site */
	desc = (TupleDesc) fcinfo->flinfo->fn_extra;
	if (desc == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "occ_parse called in a context that cannot accept a record");
		desc = BlessTupleDesc(CreateTupleDescCopy(desc));
		fcinfo->flinfo->fn_extra = desc;
		MemoryContextSwitchTo(old);
	}
	cp[0] = o.cp;
	cp[1] = '\0';
	values[0] = CStringGetTextDatum(o.root);
	values[1] = DateADTGetDatum(cn_days_from_civil(o.year, o.month, o.day));
	values[2] = CStringGetTextDatum(cp);
	values[3] = Float8GetDatum((double) o.strike_milli / 1000.0);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

/*
 * occ_symbol(root text, expiry date, cp text, strike float8): the 21-character OCC
 * symbol.  A bad root or strike is 22023, an expiry outside 2000-2099 (a two-digit
 * year) 22008.
 */
PG_FUNCTION_INFO_V1(occ_symbol);
Datum
occ_symbol(PG_FUNCTION_ARGS)
{
	text	   *root = PG_GETARG_TEXT_PP(0);
	DateADT		expiry = PG_GETARG_DATEADT(1);
	int			cp = condor_cp(PG_GETARG_TEXT_PP(2));
	double		strike = CONDOR_ARG(3, "strike", ARG_POSITIVE);
	size_t		rootlen = VARSIZE_ANY_EXHDR(root);
	cn_occ		o;
	char		buf[CN_OCC_LEN + 1];

	if (!cn_occ_root_ok(VARDATA_ANY(root), rootlen))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid root \"%s\"", text_to_cstring(root)),
				 errdetail("root must be 1 to 6 upper-case letters or digits, one at least a letter.")));
	/* 2000-01-01 is day 0; 2100-01-01 is day 36525 */
	if (DATE_NOT_FINITE(expiry) || expiry < 0 || expiry >= cn_days_from_civil(2100, 1, 1))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("expiry \"%s\" is out of range for an OCC symbol",
						condor_date_text(expiry)),
				 errdetail("An OCC symbol writes the year in two digits: 2000 to 2099.")));
	switch (cn_occ_strike_milli(strike, &o.strike_milli))
	{
		case 0:
			break;
		case 1:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid strike \"%s\"", condor_float8_text(strike)),
					 errdetail("An OCC symbol holds the strike to three decimals.")));
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid strike \"%s\"", condor_float8_text(strike)),
					 errdetail("An OCC symbol holds strikes up to 99999.999.")));
	}
	memcpy(o.root, VARDATA_ANY(root), rootlen);
	o.root[rootlen] = '\0';
	cn_civil_from_days(expiry, &o.year, &o.month, &o.day);
	o.cp = cp > 0 ? 'C' : 'P';
	cn_occ_format(&o, buf);
	PG_RETURN_TEXT_P(cstring_to_text(buf));
}
