/*
 * unit.h -- a minimal harness for the C unit tests of the numerics.
 *
 * Each test program counts checks and ends with one line "unit NAME: N passed, M failed"
 * that test/run adds to the suite's total; its exit status is non-zero on any failure.
 * Failures print the case and the measured error so a red run says what went wrong.
 */
#ifndef CONDOR_UNIT_H
#define CONDOR_UNIT_H

#include <errno.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int	unit_passed = 0;
static int	unit_failed = 0;
static int	unit_fail_shown = 0;

/* Records one check; prints at most 50 failures so a broken build stays readable. */
#define UNIT_CHECK(cond, ...) \
	do { \
		if (cond) \
			unit_passed++; \
		else \
		{ \
			unit_failed++; \
			if (unit_fail_shown++ < 50) \
			{ \
				fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
				fprintf(stderr, __VA_ARGS__); \
				fputc('\n', stderr); \
			} \
		} \
	} while (0)

/* |got - want| <= rtol*|want| + atol, NaN never passes. */
static inline int
unit_close(double got, double want, double rtol, double atol)
{
	if (isnan(got) || isnan(want))
		return 0;
	if (got == want)
		return 1;
	return fabs(got - want) <= rtol * fabs(want) + atol;
}

static inline int
unit_report(const char *name)
{
	printf("unit %s: %d passed, %d failed\n", name, unit_passed, unit_failed);
	return unit_failed ? 1 : 0;
}

/*
 * Reference files (test/reference, made by test/reference/generate.py) are found through
 * $CONDOR_REFDIR, else test/reference relative to the repository root (the tests run from
 * the root).  A file that cannot be read ends the program with a FAIL line naming it: the
 * harness counts a program without its result line as a failed check.  Files that
 * belong to the code rather than to a set of reference vectors (lbr_nodes.csv, the
 * check values of a generated source file) are read from test/reference always:
 * own = 1.
 */
static inline FILE *
unit_ref_open_own(const char *file, int own)
{
	char		path[4096];
	const char *dir = own ? NULL : getenv("CONDOR_REFDIR");
	FILE	   *f;

	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "test/reference", file);
	f = fopen(path, "r");
	if (!f)
	{
		fprintf(stderr, "FAIL cannot read reference file %s: %s (CONDOR_REFDIR %s)\n",
				path, strerror(errno), dir && *dir ? "set" : "unset: default test/reference");
		exit(2);
	}
	return f;
}

static inline FILE *
unit_ref_open(const char *file)
{
	return unit_ref_open_own(file, 0);
}

/*
 * CSV reading: the reference files are plain comma-separated with a header row and no
 * quoting.
 */
typedef struct unit_csv
{
	FILE	   *f;
	char		line[8192];
	char	   *field[64];
	char	   *name[64];
	char		header[8192];
	int			nfields;
	int			nnames;
} unit_csv;

static inline int
unit_csv_split(char *s, char **out, int max)
{
	int			n = 0;

	s[strcspn(s, "\r\n")] = '\0';
	out[n++] = s;
	for (; *s && n < max; s++)
		if (*s == ',')
		{
			*s = '\0';
			out[n++] = s + 1;
		}
	return n;
}

static inline int
unit_csv_open_own(unit_csv *c, const char *file, int own)
{
	c->f = unit_ref_open_own(file, own);
	if (!fgets(c->header, sizeof(c->header), c->f))
	{
		fprintf(stderr, "FAIL reference file %s is empty\n", file);
		exit(2);
	}
	c->nnames = unit_csv_split(c->header, c->name, 64);
	return 1;
}

static inline int
unit_csv_open(unit_csv *c, const char *file)
{
	return unit_csv_open_own(c, file, 0);
}

/* Next row; 0 at end of file. */
static inline int
unit_csv_next(unit_csv *c)
{
	if (!fgets(c->line, sizeof(c->line), c->f))
		return 0;
	c->nfields = unit_csv_split(c->line, c->field, 64);
	return 1;
}

/* Field by column name; "" when absent. */
static inline const char *
unit_csv_str(unit_csv *c, const char *col)
{
	for (int i = 0; i < c->nnames && i < c->nfields; i++)
		if (strcmp(c->name[i], col) == 0)
			return c->field[i];
	fprintf(stderr, "FAIL reference file has no column %s\n", col);
	exit(2);
}

/* Field as a double; NaN when empty. */
static inline double
unit_csv_num(unit_csv *c, const char *col)
{
	const char *s = unit_csv_str(c, col);

	return *s ? strtod(s, NULL) : NAN;
}

/* splitmix64: the tests' reproducible random numbers, one state per caller */
static inline uint64_t
unit_splitmix(uint64_t *state)
{
	uint64_t	z = (*state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* uniform on [0, 1) from unit_splitmix */
static inline double
unit_unif(uint64_t *state)
{
	return (unit_splitmix(state) >> 11) * 0x1.0p-53;
}

#endif
