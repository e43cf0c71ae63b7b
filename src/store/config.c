/*
 * config.c: the config store on SQLite (<root>/mmp.db): opening, schema
 * migrations, transactions and typed settings. The only file with SQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "config_internal.h"
#include "mmp/config.h"
#include "mmp/fault.h"
#include "settings.h"

#define BUSY_TIMEOUT_MS 10000

struct cfg {
	sqlite3 *db;
	int in_tx;
	sqlite3_int64 changes_at_begin; /* sqlite3_total_changes64() at cfg_begin */
};

/* Forward migrations: migrations[i] takes the schema from version i to
 * i + 1. Never edit one that has shipped; append a new one. */
static const char *const migrations[] = {
	"CREATE TABLE settings (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)"
	" WITHOUT ROWID;",
	/* 1 -> 2: users, roles and the audit log (SPEC §8) */
	"CREATE TABLE users (name TEXT PRIMARY KEY NOT NULL, role TEXT NOT NULL,"
	" hash TEXT NOT NULL, failed INTEGER NOT NULL DEFAULT 0,"
	" locked_until INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
	"CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL,"
	" user TEXT NOT NULL, source TEXT NOT NULL, kind TEXT NOT NULL, line TEXT NOT NULL,"
	" result TEXT NOT NULL);",
	/* 2 -> 3: failed logins per (user, source address), issue 10: a lock
	 * refuses passwords from that source only, so a stranger cannot lock an
	 * admin out from everywhere. users.failed and users.locked_until are
	 * no longer read or written. */
	"CREATE TABLE login_failures (user TEXT NOT NULL, source TEXT NOT NULL,"
	" failed INTEGER NOT NULL DEFAULT 0, locked_until INTEGER NOT NULL DEFAULT 0,"
	" PRIMARY KEY (user, source)) WITHOUT ROWID;",
	/* 3 -> 4: the certificate expiry alarms already written to the audit
	 * log and syslog (issue 14: each threshold crossed is written once) */
	"CREATE TABLE alarms (key TEXT PRIMARY KEY NOT NULL, time INTEGER NOT NULL) WITHOUT ROWID;",
};
#define SCHEMA_VERSION ((int)(sizeof(migrations) / sizeof(migrations[0])))

static enum mmp_rc db_fail(struct cfg *c, struct mmp_err *err, const char *what);

/* WAL pages between checkpoints (issue 6: bench/run.sh, start-up) */
#define WAL_PAGES 100

/* After each commit, frames = the pages in the WAL. The first process to
 * open mmp.db re-reads the whole WAL to rebuild its index, and a WAL is
 * only reset by a process that checkpointed it, so each process of a
 * short life would leave it longer: past WAL_PAGES (400 KiB), a TRUNCATE
 * checkpoint empties it. With a reader busy it is skipped at once (no
 * wait) and a later commit tries again; an I/O error leaves the data in
 * the WAL, where it is safe. Replaces SQLite's auto-checkpoint. */
static int wal_hook(void *ud, sqlite3 *db, const char *name, int frames)
{
	(void)ud;
	(void)name;
	if (frames >= WAL_PAGES) {
		sqlite3_busy_timeout(db, 0);
		sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
		sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	}
	return SQLITE_OK;
}

#ifdef MMP_FAULT_INJECTION
/* The fault build's VFS (include/mmp/fault.h): the default VFS whose files
 * fail xWrite, xSync and xTruncate when fault_hit(FAULT_IO) says so. A file
 * is the default VFS's own, followed by a pointer to its own methods (the
 * database and its WAL have different ones), and gets a copy of them with
 * those three replaced. The unix VFS uses its vfs argument only in xOpen,
 * which gets the real one. */
static sqlite3_vfs *real_vfs, fault_vfs;
static struct {
	const sqlite3_io_methods *real;
	sqlite3_io_methods fault;
} fault_tables[4];

static const sqlite3_io_methods *real_methods(sqlite3_file *f)
{
	const sqlite3_io_methods *m;

	memcpy(&m, (char *)f + real_vfs->szOsFile, sizeof(m));
	return m;
}

static int fault_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	return fault_hit(FAULT_IO) ? SQLITE_IOERR_WRITE : real_methods(f)->xWrite(f, buf, n, off);
}

static int fault_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return fault_hit(FAULT_IO) ? SQLITE_IOERR_TRUNCATE : real_methods(f)->xTruncate(f, size);
}

static int fault_sync(sqlite3_file *f, int flags)
{
	return fault_hit(FAULT_IO) ? SQLITE_IOERR_FSYNC : real_methods(f)->xSync(f, flags);
}

static int fault_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
	int rc = real_vfs->xOpen(real_vfs, name, f, flags, out);
	size_t i;

	(void)vfs;
	if (rc != SQLITE_OK || f->pMethods == NULL)
		return rc;
	for (i = 0; i < sizeof(fault_tables) / sizeof(fault_tables[0]); i++) {
		if (fault_tables[i].real == NULL) {
			fault_tables[i].real = f->pMethods;
			fault_tables[i].fault = *f->pMethods;
			fault_tables[i].fault.xWrite = fault_write;
			fault_tables[i].fault.xTruncate = fault_truncate;
			fault_tables[i].fault.xSync = fault_sync;
		}
		if (fault_tables[i].real == f->pMethods) {
			memcpy((char *)f + real_vfs->szOsFile, &f->pMethods, sizeof(f->pMethods));
			f->pMethods = &fault_tables[i].fault;
			break;
		}
	}
	return rc;
}

static void fault_vfs_register(void)
{
	if (real_vfs != NULL || (real_vfs = sqlite3_vfs_find(NULL)) == NULL)
		return;
	fault_vfs = *real_vfs;
	fault_vfs.pNext = NULL;
	fault_vfs.zName = "mmp-fault";
	fault_vfs.szOsFile = real_vfs->szOsFile + (int)sizeof(const sqlite3_io_methods *);
	fault_vfs.xOpen = fault_open;
	sqlite3_vfs_register(&fault_vfs, 1);
}
#else
#define fault_vfs_register() ((void)0)
#endif

sqlite3 *cfg_db(struct cfg *c)
{
	return c->db;
}

int cfg_in_tx(const struct cfg *c)
{
	return c->in_tx;
}

int cfg_in_transaction(const struct cfg *c)
{
	return c->in_tx;
}

enum mmp_rc cfg_db_fail(struct cfg *c, struct mmp_err *err, const char *what)
{
	return db_fail(c, err, what);
}

static enum mmp_rc damaged(sqlite3_stmt *st, int i, const char *table, const char *want,
			   struct mmp_err *err)
{
	const char *col = sqlite3_column_name(st, i);

	return mmp_err_set(err, MMP_ERR_IO,
			   "the settings file mmp.db is damaged: a row of %s has a %s that is not %s:"
			   " restore mmp.db from a backup",
			   table, col ? col : "column", want);
}

const char *cfg_col_text(sqlite3_stmt *st, int i, const char *table, struct mmp_err *err)
{
	const char *v;

	if (sqlite3_column_type(st, i) != SQLITE_TEXT ||
	    (v = (const char *)sqlite3_column_text(st, i)) == NULL) {
		damaged(st, i, table, "text", err);
		return NULL;
	}
	if (strlen(v) != (size_t)sqlite3_column_bytes(st, i)) {
		damaged(st, i, table, "text without NUL bytes", err);
		return NULL;
	}
	return v;
}

enum mmp_rc cfg_col_int(sqlite3_stmt *st, int i, const char *table, long long *v,
			struct mmp_err *err)
{
	*v = 0;
	if (sqlite3_column_type(st, i) != SQLITE_INTEGER)
		return damaged(st, i, table, "a whole number", err);
	*v = sqlite3_column_int64(st, i);
	return MMP_OK;
}

int cfg_schema_version(void)
{
	return SCHEMA_VERSION;
}

static enum mmp_rc db_fail(struct cfg *c, struct mmp_err *err, const char *what)
{
	int code = sqlite3_extended_errcode(c->db);

	if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
		mmp_err_set(err, MMP_ERR_IO,
			    "%s: the settings are busy in another session for more than %d s: try again",
			    what, BUSY_TIMEOUT_MS / 1000);
	else if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB)
		mmp_err_set(err, MMP_ERR_IO, "%s: the settings file mmp.db is damaged: restore it from a backup", what);
	else
		mmp_err_set(err, MMP_ERR_IO, "%s: cannot use the settings file mmp.db", what);
	mmp_err_cause_str(err, sqlite3_errmsg(c->db));
	return MMP_ERR_IO;
}

static enum mmp_rc exec(struct cfg *c, const char *sql, struct mmp_err *err, const char *what)
{
	if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(c, err, what);
	return MMP_OK;
}

static enum mmp_rc migrate(struct cfg *c, struct mmp_err *err)
{
	sqlite3_stmt *st = NULL;
	int version = 0, v;
	char sql[64];

	/* the common case, an up-to-date schema, takes no write lock: a
	 * display must not wait for another session's change */
	if (sqlite3_prepare_v2(c->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == SCHEMA_VERSION) {
		sqlite3_finalize(st);
		return MMP_OK;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (exec(c, "BEGIN IMMEDIATE", err, "opening the settings") != MMP_OK)
		return MMP_ERR_IO;
	if (sqlite3_prepare_v2(c->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		goto fail;
	}
	version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version < 0) {
		exec(c, "ROLLBACK", NULL, "");
		return mmp_err_set(err, MMP_ERR_IO,
				   "the settings file mmp.db is damaged: its schema version (PRAGMA user_version) is %d,"
				   " which no mmp writes: restore mmp.db, mmp.db-wal and mmp.db-shm together from a backup",
				   version);
	}
	if (version > SCHEMA_VERSION) {
		exec(c, "ROLLBACK", NULL, "");
		return mmp_err_set(err, MMP_ERR_IO,
				   "the settings file mmp.db has schema version %d, newer than this mmp knows (%d):"
				   " use the newer mmp that wrote it; if none did, the file is damaged: restore mmp.db,"
				   " mmp.db-wal and mmp.db-shm together from a backup",
				   version, SCHEMA_VERSION);
	}
	for (v = version; v < SCHEMA_VERSION; v++) {
		if (sqlite3_exec(c->db, migrations[v], NULL, NULL, NULL) != SQLITE_OK)
			goto fail;
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
			goto fail;
	}
	return exec(c, "COMMIT", err, "opening the settings");
fail:
	db_fail(c, err, "upgrading the settings");
	exec(c, "ROLLBACK", NULL, "");
	return MMP_ERR_IO;
}

struct cfg *cfg_open(const char *root, struct mmp_err *err)
{
	struct cfg *c = calloc(1, sizeof(*c));
	char *path = NULL;

	if (c == NULL || asprintf(&path, "%s/mmp.db", root) < 0) {
		free(c);
		mmp_err_set(err, MMP_ERR_NOMEM, "out of memory opening the settings");
		return NULL;
	}
	fault_vfs_register();
	if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
					  SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		db_fail(c, err, "opening the settings");
		goto fail;
	}
	sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
	/* Closing does not checkpoint (3 fsyncs for every mmp -c and SSH
	 * session); wal_hook() keeps the WAL short instead. Commits are as
	 * durable: the WAL is. */
	sqlite3_db_config(c->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	sqlite3_wal_hook(c->db, wal_hook, NULL);
	/* WAL: readers never block the writer; FULL: a commit survives power loss */
	if (exec(c, "PRAGMA journal_mode = WAL", err, "opening the settings") != MMP_OK ||
	    exec(c, "PRAGMA synchronous = FULL", err, "opening the settings") != MMP_OK ||
	    /* a bounded page cache: memory must not grow with the audit log */
	    exec(c, "PRAGMA cache_size = -512", err, "opening the settings") != MMP_OK ||
	    migrate(c, err) != MMP_OK)
		goto fail;
	free(path);
	return c;
fail:
	free(path);
	cfg_close(c);
	return NULL;
}

void cfg_close(struct cfg *c)
{
	if (c == NULL)
		return;
	if (c->in_tx)
		cfg_rollback(c);
	sqlite3_close_v2(c->db);
	free(c);
}

enum mmp_rc cfg_begin(struct cfg *c, struct mmp_err *err)
{
	if (c->in_tx)
		return mmp_err_set(err, MMP_ERR_INTERNAL, "a settings change is already open");
	if (exec(c, "BEGIN IMMEDIATE", err, "changing the settings") != MMP_OK)
		return MMP_ERR_IO;
	c->in_tx = 1;
	c->changes_at_begin = sqlite3_total_changes64(c->db);
	return MMP_OK;
}

int cfg_tx_changed(const struct cfg *c)
{
	return c->in_tx && sqlite3_total_changes64(c->db) != c->changes_at_begin;
}

/* SQLite ends a transaction by itself after some errors (SQLITE_NOMEM,
 * SQLITE_IOERR, SQLITE_FULL): a write after that would run on its own,
 * outside the change, and stay whatever the command's result. */
enum mmp_rc cfg_check_tx(struct cfg *c, struct mmp_err *err)
{
	if (c->in_tx && sqlite3_get_autocommit(c->db))
		return mmp_err_set(err, MMP_ERR_IO,
				   "an earlier error cancelled this change of the settings: nothing was changed");
	return MMP_OK;
}

enum mmp_rc cfg_commit(struct cfg *c, struct mmp_err *err)
{
	enum mmp_rc rc = cfg_check_tx(c, err);

	if (rc == MMP_OK)
		rc = exec(c, "COMMIT", err, "the change was not saved");
	if (rc != MMP_OK)
		cfg_rollback(c);
	c->in_tx = 0;
	return rc;
}

void cfg_rollback(struct cfg *c)
{
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	c->in_tx = 0;
}

static const struct cfg_setting *known(const char *key, struct mmp_err *err)
{
	const struct cfg_setting *s = cfg_setting_find(key);

	if (s == NULL)
		mmp_err_set(err, MMP_ERR_INTERNAL, "no setting named %s", key);
	return s;
}

enum mmp_rc cfg_get(struct cfg *c, const char *key, char *buf, size_t size, int *is_set,
		    struct mmp_err *err)
{
	sqlite3_stmt *st = NULL;
	int r;

	*is_set = 0;
	if (size > 0)
		buf[0] = '\0';
	if (known(key, err) == NULL)
		return MMP_ERR_INTERNAL;
	if (sqlite3_prepare_v2(c->db, "SELECT value FROM settings WHERE key = ?1", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) != SQLITE_OK)
		goto fail;
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		const char *v = cfg_col_text(st, 0, "settings", err);
		if (v == NULL) {
			sqlite3_finalize(st);
			return MMP_ERR_IO;
		}
		snprintf(buf, size, "%s", v);
		*is_set = 1;
	} else if (r != SQLITE_DONE) {
		goto fail;
	}
	sqlite3_finalize(st);
	return MMP_OK;
fail:
	db_fail(c, err, "reading the settings");
	sqlite3_finalize(st);
	return MMP_ERR_IO;
}

enum mmp_rc cfg_set(struct cfg *c, const char *key, const char *value, struct mmp_err *err)
{
	sqlite3_stmt *st = NULL;
	const char *sql = value ? "INSERT INTO settings (key, value) VALUES (?1, ?2)"
				  " ON CONFLICT(key) DO UPDATE SET value = excluded.value"
				: "DELETE FROM settings WHERE key = ?1";

	if (known(key, err) == NULL)
		return MMP_ERR_INTERNAL;
	if (value != NULL && strlen(value) > CFG_VALUE_MAX)
		return mmp_err_set(err, MMP_ERR_USAGE, "the value for %s is longer than %d bytes", key,
				   CFG_VALUE_MAX);
	if (cfg_check_tx(c, err) != MMP_OK)
		return MMP_ERR_IO;
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) != SQLITE_OK ||
	    (value && sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC) != SQLITE_OK) ||
	    sqlite3_step(st) != SQLITE_DONE) {
		db_fail(c, err, "changing the settings");
		sqlite3_finalize(st);
		return MMP_ERR_IO;
	}
	sqlite3_finalize(st);
	return MMP_OK;
}

/* PRAGMA secure_delete: SQLite overwrites the deleted row's bytes with
 * zeros in its page instead of only unlinking them (sqlite.org/pragma.html
 * #pragma_secure_delete); on for this one statement, off again after. */
enum mmp_rc cfg_unset_secret(struct cfg *c, const char *key, struct mmp_err *err)
{
	enum mmp_rc rc;

	if (exec(c, "PRAGMA secure_delete = ON", err, "changing the settings") != MMP_OK)
		return MMP_ERR_IO;
	rc = cfg_set(c, key, NULL, err);
	sqlite3_exec(c->db, "PRAGMA secure_delete = OFF", NULL, NULL, NULL);
	return rc;
}

/* A TRUNCATE checkpoint, as wal_hook() runs, but waiting for readers (the
 * busy timeout) and saying when it could not finish. */
enum mmp_rc cfg_scrub(struct cfg *c, struct mmp_err *err)
{
	if (c->in_tx)
		return mmp_err_set(err, MMP_ERR_INTERNAL, "cfg_scrub inside a change");
	if (sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL) !=
	    SQLITE_OK)
		return db_fail(c, err, "rewriting mmp.db without the old copies of its pages");
	return MMP_OK;
}

enum mmp_rc cfg_get_bool(struct cfg *c, const char *key, int *value, struct mmp_err *err)
{
	char buf[8];
	int set;
	enum mmp_rc rc = cfg_get(c, key, buf, sizeof(buf), &set, err);

	*value = rc == MMP_OK && set && strcmp(buf, "1") == 0;
	return rc;
}

enum mmp_rc cfg_set_bool(struct cfg *c, const char *key, int value, struct mmp_err *err)
{
	return cfg_set(c, key, value ? "1" : "0", err);
}

enum mmp_rc cfg_file_user(struct cfg *c, const char *name, int *in_use, char *service,
			  size_t service_size, char *freed_by, size_t freed_size,
			  struct mmp_err *err)
{
	struct cfg_file_use *uses;
	size_t n, k;
	enum mmp_rc rc;

	*in_use = 0;
	if ((rc = cfg_files_in_use(c, &uses, &n, err)) != MMP_OK)
		return rc;
	for (k = 0; k < n && !*in_use; k++) {
		if (strcmp(uses[k].name, name) != 0)
			continue;
		*in_use = 1;
		snprintf(service, service_size, "%s", uses[k].service);
		snprintf(freed_by, freed_size, "%s", uses[k].freed_by);
	}
	free(uses);
	return MMP_OK;
}

enum mmp_rc cfg_files_in_use(struct cfg *c, struct cfg_file_use **uses, size_t *n,
			     struct mmp_err *err)
{
	sqlite3_stmt *st = NULL;
	struct cfg_file_use *v = NULL, *nv;
	size_t cap = 0;
	int r;

	*uses = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(c->db, "SELECT key, value FROM settings ORDER BY key", -1, &st, NULL) !=
	    SQLITE_OK)
		return db_fail(c, err, "reading the settings");
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = cfg_col_text(st, 0, "settings", err), *name = NULL;
		const struct cfg_setting *s = key ? cfg_setting_find(key) : NULL;
		if (key != NULL && s != NULL && s->type == CFG_FILE)
			name = cfg_col_text(st, 1, "settings", err);
		if (key == NULL || (s != NULL && s->type == CFG_FILE && name == NULL)) {
			free(v);
			sqlite3_finalize(st);
			*n = 0;
			return MMP_ERR_IO;
		}
		if (s == NULL || s->type != CFG_FILE)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL) {
				free(v);
				sqlite3_finalize(st);
				*n = 0;
				return mmp_err_set(err, MMP_ERR_NOMEM, "out of memory");
			}
			v = nv;
		}
		snprintf(v[*n].name, sizeof(v[*n].name), "%s", name);
		snprintf(v[*n].service, sizeof(v[*n].service), "%s", s->service);
		snprintf(v[*n].freed_by, sizeof(v[*n].freed_by), "%s", s->freed_by);
		(*n)++;
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE) {
		free(v);
		*n = 0;
		return db_fail(c, err, "reading the settings");
	}
	*uses = v;
	return MMP_OK;
}
