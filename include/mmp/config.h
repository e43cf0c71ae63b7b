/*
 * config.h: the config store, <root>/mmp.db (SQLite): service settings that
 * persist across restarts and concurrent sessions. The only code that
 * touches SQL is src/store/config.c; commands ask it for typed settings.
 */
#ifndef MMP_CONFIG_H
#define MMP_CONFIG_H

#include <stddef.h>

#include "mmp/err.h"

#define CFG_VALUE_MAX 1024 /* bytes of one setting's value */

struct cfg;

/* Open (creating and migrating on first use) <root>/mmp.db: WAL, a busy
 * timeout of 10 s, schema version in PRAGMA user_version. NULL + err on
 * failure. Close with cfg_close(). */
struct cfg *cfg_open(const char *root, struct mmp_err *err);
void cfg_close(struct cfg *c);

/* The schema version this build writes (migrations run up to it). */
int cfg_schema_version(void);

/* A change: BEGIN IMMEDIATE (the write lock is taken at once, so two
 * sessions never interleave a read-check-write), then cfg_commit() or
 * cfg_rollback(). Nested begins are an error. */
enum mmp_rc cfg_begin(struct cfg *c, struct mmp_err *err);
enum mmp_rc cfg_commit(struct cfg *c, struct mmp_err *err);
/* Is a change (cfg_begin) open on this handle? */
int cfg_in_transaction(const struct cfg *c);
/* Has the open change written a row yet? 0 when none is open. */
int cfg_tx_changed(const struct cfg *c);
void cfg_rollback(struct cfg *c);

/* Typed settings. Keys are fixed names ("callbridge.listen"); see
 * src/store/settings.c for the list, their types and which hold file
 * names. A key outside the list is MMP_ERR_INTERNAL. */
enum mmp_rc cfg_get(struct cfg *c, const char *key, char *buf, size_t size, int *is_set,
		    struct mmp_err *err);
/* Set a value; NULL unsets it. */
enum mmp_rc cfg_set(struct cfg *c, const char *key, const char *value, struct mmp_err *err);
/* Unset a setting that held a secret in clear: its bytes are overwritten
 * in the database page (secure_delete), not only unlinked. Inside a change;
 * after it is committed, cfg_scrub() removes the older copies of the page. */
enum mmp_rc cfg_unset_secret(struct cfg *c, const char *key, struct mmp_err *err);
/* Outside a change: copy the WAL into mmp.db and empty it (a TRUNCATE
 * checkpoint), so no old version of a page stays in either file. MMP_ERR_IO
 * when another session's reading keeps it from finishing in the busy
 * timeout (a later checkpoint finishes it). */
enum mmp_rc cfg_scrub(struct cfg *c, struct mmp_err *err);
enum mmp_rc cfg_get_bool(struct cfg *c, const char *key, int *value, struct mmp_err *err);
enum mmp_rc cfg_set_bool(struct cfg *c, const char *key, int value, struct mmp_err *err);

/* Files in use: the first setting whose value is this file name. On
 * MMP_OK *in_use says whether one does; service and freed_by (the command
 * that frees it, e.g. "callbridge certs none") are filled when it does. */
enum mmp_rc cfg_file_user(struct cfg *c, const char *name, int *in_use, char *service,
			  size_t service_size, char *freed_by, size_t freed_size,
			  struct mmp_err *err);

/* Every file a service uses, for pki list: one query for all files (a
 * store of 10,000 files is listed with one read of the settings). *uses is
 * malloc'd (free()); name and service point into it. */
struct cfg_file_use {
	char name[CFG_VALUE_MAX + 1];
	char service[32];
	char freed_by[64]; /* the command that frees it */
};
enum mmp_rc cfg_files_in_use(struct cfg *c, struct cfg_file_use **uses, size_t *n,
			     struct mmp_err *err);

#endif
