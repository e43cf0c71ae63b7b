/*
 * store_internal.h: what files.c and upload.c share: the access decision
 * for the store's actor (mmp/access.h) and reading a file's contents
 * without a decision (the decision needs them).
 */
#ifndef MMP_STORE_INTERNAL_H
#define MMP_STORE_INTERNAL_H

#include "mmp/access.h"
#include "mmp/store.h"

/* Content kinds for store_decide(): not known yet (an upload that has just
 * begun: allowed when some contents would be), or those of a store file. */
#define STORE_CONTENT_UNKNOWN 0x1000u
#define STORE_CONTENT_OF_FILE 0u

/* Decide op on name for the store's actor: MMP_OK or MMP_ERR_DENIED (err
 * says why). content: ACCESS_PLAIN or ACCESS_SECRET when known,
 * STORE_CONTENT_UNKNOWN, or STORE_CONTENT_OF_FILE for the contents of the
 * store file from (read only when the decision depends on them). */
enum mmp_rc store_decide(const struct store *s, enum access_op op, const char *name,
			 unsigned content, const char *from, struct mmp_err *err);

/* The kinds of len bytes (ACCESS_PLAIN or ACCESS_SECRET; SECRET without a
 * classifier); why as for store_classify_fn. */
unsigned store_content_kinds(const struct store *s, const unsigned char *buf, size_t len,
			     const char *name, char *why, size_t why_size);

/* The content kinds of a store file (SECRET when it cannot be read whole). */
unsigned store_file_kinds(const struct store *s, const char *name);

/* Read all of fd (a regular file of at most max bytes) into a new buffer
 * with a NUL after it; -1 with errno set on failure. */
int store_slurp_fd(int fd, size_t max, unsigned char **buf, size_t *len);

/* Tell the changed hook (store_set_changed_hook) that name may have
 * changed. */
void store_note_change(const struct store *s, const char *name);

/* The files/ folder's descriptor, owned by the store. */
int store_dirfd(const struct store *s);

#endif
