/*
 * config_internal.h: what the SQL files of src/store/ (config.c, users.c)
 * share: the database handle and the error translation.
 */
#ifndef MMP_STORE_CONFIG_INTERNAL_H
#define MMP_STORE_CONFIG_INTERNAL_H

#include <sqlite3.h>

#include "mmp/config.h"

sqlite3 *cfg_db(struct cfg *c);
int cfg_in_tx(const struct cfg *c);
/* MMP_OK unless a change is open and SQLite has already rolled it back
 * (after SQLITE_NOMEM or SQLITE_IOERR): then err says nothing was changed,
 * and a write must not run (it would be committed on its own). */
enum mmp_rc cfg_check_tx(struct cfg *c, struct mmp_err *err);
/* Fill err from the database's last error ("what" says what was being
 * done); returns MMP_ERR_IO. */
enum mmp_rc cfg_db_fail(struct cfg *c, struct mmp_err *err, const char *what);

/* Column i of a row of table, as mmp wrote it: text without a NUL byte
 * (cfg_col_text) or an integer (cfg_col_int). Anything else (NULL, a blob,
 * a number where text belongs: a row another tool wrote or a damaged page)
 * is refused: NULL / MMP_ERR_IO, err says mmp.db is damaged and names the
 * table and column. Issue 5: a damaged row is an error, never a crash. */
const char *cfg_col_text(sqlite3_stmt *st, int i, const char *table, struct mmp_err *err);
enum mmp_rc cfg_col_int(sqlite3_stmt *st, int i, const char *table, long long *v,
			struct mmp_err *err);

#endif
