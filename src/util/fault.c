/*
 * fault.c: the fault build's counters (include/mmp/fault.h): which I/O
 * operation or allocation fails, and the allocation hooks of OpenSSL and
 * SQLite. Compiled to nothing unless MMP_FAULT_INJECTION is defined. The
 * one file outside src/pki/ and src/store/ that names those libraries: the
 * hooks must be in place before either is first used, so they are installed
 * from the program's .preinit_array, not from a module's init.
 */
#ifdef MMP_FAULT_INJECTION

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <sqlite3.h>

#include "mmp/fault.h"

static const char *const kind_names[] = { "io", "alloc" };
static long fail_at[2]; /* the N of MMP_FAULT per kind, 0 = never */
static long seen[2];    /* operations counted since fault_arm() */
static int armed, report; /* report: MMP_FAULT was given */
static sqlite3_mem_methods sqlite_mem; /* SQLite's own allocator */

int fault_hit(enum fault_kind kind)
{
	char msg[64];
	int n;

	if (!armed || ++seen[kind] != fail_at[kind])
		return 0;
	/* no stdio buffers: this may be the allocation that fails */
	n = snprintf(msg, sizeof(msg), "mmp-fault: %s #%ld failed\n", kind_names[kind], seen[kind]);
	if (n > 0 && write(STDERR_FILENO, msg, (size_t)n) != n) {
		/* a test then sees no mark; the fault fires all the same */
	}
	return 1;
}

void fault_arm(int on)
{
	char msg[96];
	int n;

	armed = on;
	if (on || !report)
		return;
	n = snprintf(msg, sizeof(msg), "mmp-fault: counted io %ld, alloc %ld\n", seen[FAULT_IO],
		     seen[FAULT_ALLOC]);
	if (n > 0 && write(STDERR_FILENO, msg, (size_t)n) != n) {
		/* nothing more to say */
	}
}

static void *ossl_malloc(size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	if (n == 0 || fault_hit(FAULT_ALLOC))
		return NULL;
	return malloc(n);
}

/* As CRYPTO_realloc: NULL grows from nothing, 0 frees. */
static void *ossl_realloc(void *p, size_t n, const char *file, int line)
{
	if (p == NULL)
		return ossl_malloc(n, file, line);
	if (n == 0) {
		free(p);
		return NULL;
	}
	return fault_hit(FAULT_ALLOC) ? NULL : realloc(p, n);
}

static void ossl_free(void *p, const char *file, int line)
{
	(void)file;
	(void)line;
	free(p);
}

static void *sq_malloc(int n)
{
	return fault_hit(FAULT_ALLOC) ? NULL : sqlite_mem.xMalloc(n);
}

static void *sq_realloc(void *p, int n)
{
	return fault_hit(FAULT_ALLOC) ? NULL : sqlite_mem.xRealloc(p, n);
}

static _Noreturn void die(const char *why)
{
	char msg[128];
	int n = snprintf(msg, sizeof(msg), "mmp-fault: %s\n", why);

	/* before the C library's own initializers: write(2), not stdio */
	if (n > 0 && write(STDERR_FILENO, msg, (size_t)n) != n) {
		/* nothing more to say */
	}
	_exit(2);
}

/* Run from the program's .preinit_array, before any shared library's
 * initializer: libssh's already allocates with OpenSSL, after which
 * CRYPTO_set_mem_functions() refuses, so main would be too late. */
static void fault_init(int argc, char **argv, char **envp)
{
	const char *e = NULL;
	sqlite3_mem_methods wrapped;
	char *end;
	long n;
	int kind;

	(void)argc;
	(void)argv;
	if (!CRYPTO_set_mem_functions(ossl_malloc, ossl_realloc, ossl_free))
		die("OpenSSL allocated memory before the fault hooks were installed");
	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sqlite_mem) != SQLITE_OK)
		die("SQLite was used before the fault hooks were installed");
	wrapped = sqlite_mem;
	wrapped.xMalloc = sq_malloc;
	wrapped.xRealloc = sq_realloc;
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &wrapped) != SQLITE_OK)
		die("cannot install SQLite's allocation hook");
	for (; envp != NULL && *envp != NULL && e == NULL; envp++)
		if (strncmp(*envp, "MMP_FAULT=", 10) == 0)
			e = *envp + 10;
	if (e == NULL || e[0] == '\0')
		return;
	report = 1;
	if (strcmp(e, "count") == 0)
		return;
	if (strncmp(e, "io:", 3) == 0)
		kind = FAULT_IO;
	else if (strncmp(e, "alloc:", 6) == 0)
		kind = FAULT_ALLOC;
	else
		die("MMP_FAULT must be io:N, alloc:N (N >= 1) or count");
	n = strtol(strchr(e, ':') + 1, &end, 10);
	if (n < 1 || *end != '\0')
		die("MMP_FAULT must be io:N, alloc:N (N >= 1) or count");
	fail_at[kind] = n;
}

__attribute__((section(".preinit_array"), used)) static void (*fault_preinit)(int, char **,
									      char **) = fault_init;

#endif
