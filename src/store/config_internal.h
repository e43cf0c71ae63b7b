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
/* Fill err from the database's last error ("what" says what was being
 * done); returns MMP_ERR_IO. */
enum mmp_rc cfg_db_fail(struct cfg *c, struct mmp_err *err, const char *what);

#endif
