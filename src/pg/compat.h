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

#include "utils/float.h"

/* float8out_internal: shortest exact text of a double (PG12+), used in error messages. */
#define condor_float8_text(x) float8out_internal(x)

#endif
