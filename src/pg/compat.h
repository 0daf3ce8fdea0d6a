/*
 * compat.h -- the one place for PostgreSQL version differences.
 *
 * condor targets PostgreSQL 15 (Debian 12) and keeps every version-dependent construct
 * here so 16-18 can follow by editing one file.
 */
#ifndef CONDOR_COMPAT_H
#define CONDOR_COMPAT_H

#include "postgres.h"

#if PG_VERSION_NUM < 150000
#error "condor requires PostgreSQL 15 or later"
#endif

#include "common/shortest_dec.h"
#include "utils/float.h"

/*
 * The shortest text that reads back as exactly the same double (PG12+), palloc'd.  Not
 * float8out_internal, which honours extra_float_digits: with it at 0 or below it prints
 * 15 + extra_float_digits significant digits, and 0.30000000000000004 comes out "0.3".
 */
#define condor_float8_text(x) double_to_shortest_decimal(x)

#endif
