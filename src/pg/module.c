/*
 * module.c -- the loadable module's identity.
 */
#include "postgres.h"

#include "fmgr.h"

PG_MODULE_MAGIC;
