/*
 * audit.c: the audit log in the config store (SPEC §8): appending entries,
 * reading the latest, and keeping it under `user rule audit_max_rows`
 * (issue 10 item 5) by trimming the oldest entries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"
#include "mmp/users.h"

static int insert_entry(struct cfg *c, const char *user, const char *source, const char *kind,
			const char *line, const char *result)
{
	sqlite3_stmt *st = NULL;
	int ok = sqlite3_prepare_v2(cfg_db(c),
				    "INSERT INTO audit (time, user, source, kind, line, result)"
				    " VALUES (strftime('%s','now'), ?1, ?2, ?3, ?4, ?5)",
				    -1, &st, NULL) == SQLITE_OK &&
		 sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC) == SQLITE_OK &&
		 sqlite3_bind_text(st, 2, source, -1, SQLITE_STATIC) == SQLITE_OK &&
		 sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC) == SQLITE_OK &&
		 sqlite3_bind_text(st, 4, line, -1, SQLITE_STATIC) == SQLITE_OK &&
		 sqlite3_bind_text(st, 5, result, -1, SQLITE_STATIC) == SQLITE_OK &&
		 sqlite3_step(st) == SQLITE_DONE;

	sqlite3_finalize(st);
	return ok;
}

/* issue 10 item 5: past audit_max_rows the oldest entries go, by id (ids
 * only grow: AUTOINCREMENT), and an entry of kind "audit" says so, with
 * the user and source of the entry that made the log too long. A trim
 * that fails leaves the log long; the next check tries again. */
static void trim(struct cfg *c, long long last_id, const char *user, const char *source)
{
	sqlite3_stmt *st = NULL;
	struct mmp_err err;
	char line[96];
	long max;
	int n;

	if (audit_get_max_rows(c, &max, &err) != MMP_OK ||
	    sqlite3_prepare_v2(cfg_db(c), "DELETE FROM audit WHERE id <= ?1", -1, &st, NULL) !=
		    SQLITE_OK ||
	    sqlite3_bind_int64(st, 1, last_id - max) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		return;
	}
	sqlite3_finalize(st);
	if ((n = sqlite3_changes(cfg_db(c))) == 0)
		return;
	snprintf(line, sizeof(line), "trimmed %d oldest entries (audit_max_rows %ld)", n, max);
	insert_entry(c, user, source, "audit", line, "ok");
}

enum mmp_rc audit_add(struct cfg *c, const char *user, const char *source, const char *kind,
		      const char *line, const char *result, struct mmp_err *err)
{
	int ok, relaxed = !cfg_in_tx(c);
	long long id;
	enum mmp_rc rc;

	/* An audit entry alone is committed without waiting for the disk (WAL
	 * with synchronous NORMAL: the database stays whole after a crash, the
	 * last entries may be lost on power loss); settings keep FULL. */
	if (relaxed)
		sqlite3_exec(cfg_db(c), "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
	ok = insert_entry(c, user, source, kind, line, result);
	/* the reason now: the PRAGMA below would clear it */
	rc = ok ? MMP_OK : cfg_db_fail(c, err, "writing the audit log");
	id = sqlite3_last_insert_rowid(cfg_db(c));
	if (ok && id % AUDIT_TRIM_EVERY == 0)
		trim(c, id, user, source);
	if (relaxed)
		sqlite3_exec(cfg_db(c), "PRAGMA synchronous = FULL", NULL, NULL, NULL);
	return rc;
}

enum mmp_rc audit_get_max_rows(struct cfg *c, long *n, struct mmp_err *err)
{
	char buf[16];
	int set;
	enum mmp_rc rc = cfg_get(c, "user.audit_max_rows", buf, sizeof(buf), &set, err);

	*n = rc == MMP_OK && set ? atol(buf) : AUDIT_MAX_ROWS_DEFAULT;
	if (*n < AUDIT_MAX_ROWS_MIN || *n > AUDIT_MAX_ROWS_MAX) /* a value mmp never writes */
		*n = AUDIT_MAX_ROWS_DEFAULT;
	return rc;
}

enum mmp_rc audit_set_max_rows(struct cfg *c, long n, struct mmp_err *err)
{
	char buf[16];

	if (n < AUDIT_MAX_ROWS_MIN || n > AUDIT_MAX_ROWS_MAX) {
		mmp_err_set(err, MMP_ERR_USAGE, "audit_max_rows %ld is out of range", n);
		mmp_err_about(err, "user.audit_rows_invalid", NULL, 0);
		mmp_err_remedy(err, "use %d to %d", AUDIT_MAX_ROWS_MIN, AUDIT_MAX_ROWS_MAX);
		return MMP_ERR_USAGE;
	}
	snprintf(buf, sizeof(buf), "%ld", n);
	return cfg_set(c, "user.audit_max_rows", buf, err);
}

enum mmp_rc audit_latest(struct cfg *c, size_t n, struct audit_entry **list, size_t *count,
			 struct mmp_err *err)
{
	sqlite3_stmt *st = NULL;
	struct audit_entry *v = calloc(n ? n : 1, sizeof(*v));
	size_t k = 0;
	int r;

	*list = NULL;
	*count = 0;
	if (v == NULL)
		return mmp_err_set(err, MMP_ERR_NOMEM, "out of memory");
	if (sqlite3_prepare_v2(cfg_db(c),
			       "SELECT id, time, user, source, kind, line, result FROM"
			       " (SELECT * FROM audit ORDER BY id DESC LIMIT ?1) ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 1, (long long)n) != SQLITE_OK) {
		free(v);
		sqlite3_finalize(st);
		return cfg_db_fail(c, err, "reading the audit log");
	}
	while ((r = sqlite3_step(st)) == SQLITE_ROW && k < n) {
		struct audit_entry *e = &v[k++];
		const char *t[5];
		long long id, when;
		int i;
		if (cfg_col_int(st, 0, "audit", &id, err) != MMP_OK ||
		    cfg_col_int(st, 1, "audit", &when, err) != MMP_OK) {
			r = SQLITE_MISUSE;
			break;
		}
		for (i = 0; i < 5; i++)
			if ((t[i] = cfg_col_text(st, 2 + i, "audit", err)) == NULL)
				break;
		if (i < 5) {
			r = SQLITE_MISUSE;
			break;
		}
		e->id = id;
		e->time = (time_t)when;
		snprintf(e->user, sizeof(e->user), "%s", t[0]);
		snprintf(e->source, sizeof(e->source), "%s", t[1]);
		snprintf(e->kind, sizeof(e->kind), "%s", t[2]);
		snprintf(e->line, sizeof(e->line), "%s", t[3]);
		snprintf(e->result, sizeof(e->result), "%s", t[4]);
	}
	sqlite3_finalize(st);
	if (r == SQLITE_MISUSE) { /* a damaged row: err says which */
		free(v);
		return MMP_ERR_IO;
	}
	if (r != SQLITE_DONE && r != SQLITE_ROW) {
		free(v);
		return cfg_db_fail(c, err, "reading the audit log");
	}
	*list = v;
	*count = k;
	return MMP_OK;
}

enum mmp_rc audit_alarm_once(struct cfg *c, const char *key, long long now, int *first,
			     struct mmp_err *err)
{
	sqlite3_stmt *st = NULL;
	int ok;

	*first = 0;
	ok = sqlite3_prepare_v2(cfg_db(c), "INSERT OR IGNORE INTO alarms (key, time) VALUES (?, ?)", -1, &st,
				NULL) == SQLITE_OK &&
	     sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) == SQLITE_OK &&
	     sqlite3_bind_int64(st, 2, now) == SQLITE_OK && sqlite3_step(st) == SQLITE_DONE;
	sqlite3_finalize(st);
	if (!ok)
		return cfg_db_fail(c, err, "writing the alarms");
	*first = sqlite3_changes(cfg_db(c)) == 1;
	return MMP_OK;
}
