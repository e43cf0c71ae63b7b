/*
 * fault.h: fault injection for the test build (cmake -DMMP_FAULTS=ON, which
 * defines MMP_FAULT_INJECTION; issue 5 point 3). In every other build
 * fault_hit() is the constant 0 and fault_arm() does nothing, so the
 * product carries no injection code and no cost.
 *
 * In the fault build one environment variable, read once when the program
 * starts, chooses the one operation that fails:
 *
 *   MMP_FAULT=io:N     the Nth I/O operation fails with EIO: a create,
 *                      write, fsync, rename or link of the file store
 *                      (src/store/files.c), or an xWrite, xSync or
 *                      xTruncate of SQLite (SQLITE_IOERR_WRITE, _FSYNC,
 *                      _TRUNCATE) through a VFS over the default one
 *   MMP_FAULT=alloc:N  the Nth allocation fails: OpenSSL's (through
 *                      CRYPTO_set_mem_functions) and SQLite's (through
 *                      SQLITE_CONFIG_MALLOC); frees are never failed
 *
 * N counts from 1 while armed: mmp arms it once the session is open, just
 * before the first command, and disarms it after closing the session,
 * before OpenSSL's own teardown. One counter per kind; only the Nth fails,
 * the operations after it succeed again. When it fails the program writes
 * "mmp-fault: <kind> #N failed" to standard error, and when disarmed
 * "mmp-fault: counted io X, alloc Y", so a test can tell "failed at N" from
 * "finished before N" (tests/faults/run.sh); MMP_FAULT=count only counts.
 * A malformed MMP_FAULT stops the program with status 2.
 *
 * The hooks are installed from the program's .preinit_array (fault.c),
 * before any library's initializer: libssh's already allocates with
 * OpenSSL, and OpenSSL takes no allocator after its first allocation.
 * Without MMP_FAULT the fault build behaves like the normal one.
 */
#ifndef MMP_FAULT_H
#define MMP_FAULT_H

enum fault_kind {
	FAULT_IO = 0,
	FAULT_ALLOC = 1,
};

#ifdef MMP_FAULT_INJECTION
/* Start (on = 1) or stop (0) counting and failing operations. */
void fault_arm(int on);
/* 1 when this operation of kind must fail (counts it), else 0. */
int fault_hit(enum fault_kind kind);
#else
#define fault_arm(on) ((void)0)
#define fault_hit(kind) 0
#endif

#endif
