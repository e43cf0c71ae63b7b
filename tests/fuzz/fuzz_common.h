/*
 * fuzz_common.h: what the harnesses of tests/fuzz/ share.
 */
#ifndef MMP_FUZZ_COMMON_H
#define MMP_FUZZ_COMMON_H

#include <stddef.h>

#include "mmp/cmd.h"

/* Make a throw-away folder <tmp>/mmp-fuzz-<tag>.XXXXXX into root (size
 * >= 64), in /dev/shm when it can (fsync costs nothing there), removed
 * with all it holds when the process exits; OpenSSL set up (pki_init).
 * Aborts on failure: a harness cannot run without it. */
void fuzz_root(const char *tag, char *root, size_t size);

/* A prompt that answers "Y" to every question and password. */
enum mmp_rc fuzz_answer_yes(struct mmp_session *s, const char *prompt, int secret, char *buf,
			    size_t size);

#endif
