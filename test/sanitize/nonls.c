/*
 * nonls.c -- preloaded after libasan into the uninstrumented postgres binary of the
 * sanitizer cluster (test/parts/82-sanitize.sh), for two things the server needs there.
 *
 * 1. Starting at all: with libasan preloaded (gcc 12, glibc 2.36) postgres hangs at once
 *    in glibc's bindtextdomain (futex wait on _nl_state_lock, from
 *    set_pglocale_pgservice), whatever LANG and LC_ALL say.  The cluster logs in C and
 *    needs no message catalog, so binding one is made a no-op; gettext then returns the
 *    English text.
 *
 * 2. UBSan's options: libubsan comes in with condor.so, long after the postmaster has
 *    overwritten its original environment block with the process title, and UBSan reads
 *    its options from /proc/self/environ, i.e. from that block: UBSAN_OPTIONS is lost and
 *    reports go to stderr without a stack or an abort.  The options are copied here at
 *    load time and handed to UBSan through its __ubsan_default_options hook.
 */
#include <stdlib.h>
#include <string.h>

char	   *bindtextdomain(const char *domain, const char *dir);
char	   *bind_textdomain_codeset(const char *domain, const char *codeset);
char	   *textdomain(const char *domain);
const char *__ubsan_default_options(void);

char *
bindtextdomain(const char *domain, const char *dir)
{
	(void) domain;
	return (char *) dir;
}

char *
bind_textdomain_codeset(const char *domain, const char *codeset)
{
	(void) domain;
	return (char *) codeset;
}

char *
textdomain(const char *domain)
{
	return (char *) (domain ? domain : "messages");
}

static char ubsan_options[4096];

__attribute__((constructor))
static void
keep_ubsan_options(void)
{
	const char *o = getenv("UBSAN_OPTIONS");

	if (o)
		strncpy(ubsan_options, o, sizeof(ubsan_options) - 1);
}

const char *
__ubsan_default_options(void)
{
	return ubsan_options;
}
