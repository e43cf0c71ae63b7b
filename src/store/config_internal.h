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

#endif
