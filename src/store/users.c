/*
 * users.c: users, roles, login failures and the audit log in the config
 * store (SPEC §8). Password hashes are yescrypt strings made by libxcrypt.
 */
#include <crypt.h>
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"
#include "mmp/cmd.h"
#include "mmp/users.h"

static const struct {
	const char *name;
	unsigned role;
} roles[] = {
	{ "admin", ROLE_ADMIN }, { "crypto", ROLE_CRYPTO }, { "audit", ROLE_AUDIT },
	{ "appadmin", ROLE_APPADMIN }, { "api", ROLE_API }, { NULL, 0 },
};

unsigned users_role_from_name(const char *name)
{
	int i;

	for (i = 0; roles[i].name != NULL; i++)
		if (strcmp(roles[i].name, name) == 0)
			return roles[i].role;
	return 0;
}

const char *users_role_name(unsigned role)
{
	int i;

	for (i = 0; roles[i].name != NULL; i++)
		if (roles[i].role == role)
			return roles[i].name;
	return "unknown";
}

enum mmp_rc users_check_name(const char *name, struct mmp_err *err)
{
	size_t i, n = strlen(name);

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)name[i];
		/* no '_': <name>.pub must be a valid file name (key login) */
		if (!(islower(ch) || isdigit(ch) || ch == '-') || !isascii(ch))
			break;
	}
	if (n == 0 || n > USER_NAME_MAX || i < n || !islower((unsigned char)name[0]))
		return mmp_err_set(err, MMP_ERR_USAGE,
				   "\"%s\" is not a valid user name: 1 to %d lower-case letters, digits or \"-\", starting with a letter (so that <name>.pub can hold its SSH key)",
				   name, USER_NAME_MAX);
	return MMP_OK;
}

/* yescrypt (libxcrypt "$y$"), with a fresh salt from the system. */
static enum mmp_rc hash_password(const char *password, char *out, size_t size, struct mmp_err *err)
{
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data *cd = calloc(1, sizeof(*cd));
	const char *h;
	enum mmp_rc rc = MMP_OK;

	if (cd == NULL)
		return mmp_err_set(err, MMP_ERR_NOMEM, "out of memory");
	if (crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof(salt)) == NULL ||
	    (h = crypt_r(password, salt, cd)) == NULL || h[0] == '*' || strlen(h) >= size)
		rc = mmp_err_set(err, MMP_ERR_INTERNAL, "cannot hash the password (yescrypt)");
	else
		snprintf(out, size, "%s", h);
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return rc;
}

/* Does password hash to setting? Constant-time comparison of the result. */
static int password_ok(const char *password, const char *setting)
{
	struct crypt_data *cd = calloc(1, sizeof(*cd));
	const char *h;
	size_t i, n;
	unsigned char diff = 0;

	if (cd == NULL)
		return 0;
	h = crypt_r(password, setting, cd);
	if (h == NULL || h[0] == '*' || (n = strlen(h)) != strlen(setting)) {
		diff = 1;
	} else {
		for (i = 0; i < n; i++)
			diff |= (unsigned char)(h[i] ^ setting[i]);
	}
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return diff == 0;
}

static enum mmp_rc run(struct cfg *c, const char *sql, const char *a, const char *b, const char *d,
		       long long n1, long long n2, int *changed, struct mmp_err *err)
{
	sqlite3 *db = cfg_db(c);
	sqlite3_stmt *st = NULL;
	int r;

	if (cfg_check_tx(c, err) != MMP_OK)
		return MMP_ERR_IO;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK ||
	    (a && sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC) != SQLITE_OK) ||
	    (b && sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC) != SQLITE_OK) ||
	    (d && sqlite3_bind_text(st, 3, d, -1, SQLITE_STATIC) != SQLITE_OK) ||
	    (sqlite3_bind_parameter_count(st) >= 4 && sqlite3_bind_int64(st, 4, n1) != SQLITE_OK) ||
	    (sqlite3_bind_parameter_count(st) >= 5 && sqlite3_bind_int64(st, 5, n2) != SQLITE_OK) ||
	    ((r = sqlite3_step(st)) != SQLITE_DONE && r != SQLITE_ROW)) {
		sqlite3_finalize(st);
		return cfg_db_fail(c, err, "changing the users");
	}
	if (changed != NULL)
		*changed = sqlite3_changes(db);
	sqlite3_finalize(st);
	return MMP_OK;
}

enum mmp_rc users_add(struct cfg *c, const char *name, unsigned role, const char *password,
		      struct mmp_err *err)
{
	char hash[256];
	enum mmp_rc rc;
	int changed = 0;

	if ((rc = users_check_name(name, err)) != MMP_OK ||
	    (rc = hash_password(password, hash, sizeof(hash), err)) != MMP_OK)
		return rc;
	rc = run(c, "INSERT INTO users (name, role, hash) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING"
		    "", name, users_role_name(role), hash, 0, 0, &changed, err);
	explicit_bzero(hash, sizeof(hash));
	if (rc == MMP_OK && changed == 0)
		rc = mmp_err_set(err, MMP_ERR_EXIST, "user %s already exists: use passwd or user del", name);
	return rc;
}

enum mmp_rc users_del(struct cfg *c, const char *name, struct mmp_err *err)
{
	int changed = 0;
	enum mmp_rc rc = run(c, "DELETE FROM users WHERE name = ?1", name, NULL, NULL, 0, 0,
			     &changed, err);

	if (rc == MMP_OK && changed == 0)
		rc = mmp_err_set(err, MMP_ERR_NOENT, "no user %s: see user list", name);
	return rc;
}

enum mmp_rc users_set_password(struct cfg *c, const char *name, const char *password,
			       struct mmp_err *err)
{
	char hash[256];
	int changed = 0;
	enum mmp_rc rc = hash_password(password, hash, sizeof(hash), err);

	if (rc != MMP_OK)
		return rc;
	rc = run(c, "UPDATE users SET hash = ?2, failed = 0, locked_until = 0 WHERE name = ?1"
		    "", name, hash, NULL, 0, 0, &changed, err);
	explicit_bzero(hash, sizeof(hash));
	if (rc == MMP_OK && changed == 0)
		rc = mmp_err_set(err, MMP_ERR_NOENT, "no user %s: see user list", name);
	return rc;
}

/* text of a damaged row, safe to print: at most size - 1 bytes, those that
 * are not printable ASCII as '?' */
static void printable(const char *in, char *out, size_t size)
{
	size_t i;

	for (i = 0; in[i] != '\0' && i + 1 < size; i++)
		out[i] = (unsigned char)in[i] < 0x20 || (unsigned char)in[i] >= 0x7f ? '?' : in[i];
	out[i] = '\0';
}

/* name, role, failed, locked_until of a users row; a damaged row is an
 * error (cfg_col_text), never a user with made-up fields. */
static enum mmp_rc row_to_info(sqlite3_stmt *st, struct user_info *u, struct mmp_err *err)
{
	const char *name, *role;
	long long failed, until;

	memset(u, 0, sizeof(*u));
	if ((name = cfg_col_text(st, 0, "users", err)) == NULL ||
	    (role = cfg_col_text(st, 1, "users", err)) == NULL ||
	    cfg_col_int(st, 2, "users", &failed, err) != MMP_OK ||
	    cfg_col_int(st, 3, "users", &until, err) != MMP_OK)
		return MMP_ERR_IO;
	if (users_check_name(name, err) != MMP_OK) {
		char shown[USER_NAME_MAX + 1];
		printable(name, shown, sizeof(shown));
		return mmp_err_set(err, MMP_ERR_IO,
				   "the settings file mmp.db is damaged: a row of users has the name \"%s\", which mmp never writes: restore mmp.db from a backup",
				   shown);
	}
	snprintf(u->name, sizeof(u->name), "%s", name);
	if ((u->role = users_role_from_name(role)) == 0) {
		char shown[33];
		printable(role, shown, sizeof(shown));
		return mmp_err_set(err, MMP_ERR_IO,
				   "the settings file mmp.db is damaged: the row of user %s has the role \"%s\", not one of admin, crypto, audit, appadmin or api: restore mmp.db from a backup, or user del %s",
				   u->name, shown, u->name);
	}
	u->failed = failed < 0 ? 0 : failed > INT_MAX ? INT_MAX : (int)failed;
	u->locked_until = (time_t)until;
	return MMP_OK;
}

enum mmp_rc users_get(struct cfg *c, const char *name, struct user_info *out, struct mmp_err *err)
{
	sqlite3_stmt *st = NULL;
	int r;

	if (sqlite3_prepare_v2(cfg_db(c), "SELECT name, role, failed, locked_until FROM users WHERE name = ?1",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) != SQLITE_OK) {
		sqlite3_finalize(st);
		return cfg_db_fail(c, err, "reading the users");
	}
	r = sqlite3_step(st);
	if (r == SQLITE_ROW && row_to_info(st, out, err) != MMP_OK) {
		sqlite3_finalize(st);
		return MMP_ERR_IO;
	}
	sqlite3_finalize(st);
	if (r == SQLITE_ROW)
		return MMP_OK;
	if (r == SQLITE_DONE)
		return mmp_err_set(err, MMP_ERR_NOENT, "no user %s: see user list", name);
	return cfg_db_fail(c, err, "reading the users");
}

enum mmp_rc users_list(struct cfg *c, struct user_info **list, size_t *n, struct mmp_err *err)
{
	sqlite3_stmt *st = NULL;
	struct user_info *v = NULL, *nv;
	size_t cap = 0;
	int r;

	*list = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(cfg_db(c), "SELECT name, role, failed, locked_until FROM users ORDER BY name",
			       -1, &st, NULL) != SQLITE_OK)
		return cfg_db_fail(c, err, "reading the users");
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL) {
				free(v);
				sqlite3_finalize(st);
				return mmp_err_set(err, MMP_ERR_NOMEM, "out of memory");
			}
			v = nv;
		}
		if (row_to_info(st, &v[*n], err) != MMP_OK) {
			const char *name = cfg_col_text(st, 0, "users", err);
			/* listed, so the admin sees it and the others */
			printable(name ? name : "(unreadable)", v[*n].name, sizeof(v[*n].name));
			v[*n].role = 0;
			snprintf(v[*n].damaged, sizeof(v[*n].damaged), "%s", err->msg);
			mmp_err_clear(err);
		}
		(*n)++;
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE) {
		free(v);
		*n = 0;
		return cfg_db_fail(c, err, "reading the users");
	}
	*list = v;
	return MMP_OK;
}

/* A hash of a password nobody has, computed once: an unknown user's login
 * costs the same yescrypt work as a known user's. */
static const char *dummy_hash(void)
{
	static char hash[256];

	if (hash[0] == '\0' && hash_password("mmp-no-such-user", hash, sizeof(hash), NULL) != MMP_OK)
		snprintf(hash, sizeof(hash), "*");
	return hash;
}

static enum mmp_rc read_hash(struct cfg *c, const char *name, char *hash, size_t size,
			     struct user_info *u, int *found, struct mmp_err *err)
{
	sqlite3_stmt *st = NULL;
	int r;

	*found = 0;
	if (sqlite3_prepare_v2(cfg_db(c),
			       "SELECT name, role, failed, locked_until, hash FROM users WHERE name = ?1",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) != SQLITE_OK) {
		sqlite3_finalize(st);
		return cfg_db_fail(c, err, "reading the users");
	}
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		const char *h;
		if (row_to_info(st, u, err) != MMP_OK ||
		    (h = cfg_col_text(st, 4, "users", err)) == NULL) {
			sqlite3_finalize(st);
			return MMP_ERR_IO;
		}
		snprintf(hash, size, "%s", h);
		*found = 1;
	}
	sqlite3_finalize(st);
	return r == SQLITE_ROW || r == SQLITE_DONE ? MMP_OK : cfg_db_fail(c, err, "reading the users");
}

enum mmp_rc users_check_password(struct cfg *c, const char *name, const char *password,
				 time_t now, int *ok, struct mmp_err *err)
{
	char hash[256];
	struct user_info u;
	int found, right, max = 0, failed;
	enum mmp_rc rc;

	*ok = 0;
	if ((rc = read_hash(c, name, hash, sizeof(hash), &u, &found, err)) != MMP_OK)
		return rc;
	right = password_ok(password, found ? hash : dummy_hash());
	explicit_bzero(hash, sizeof(hash));
	if (!found)
		return MMP_OK;
	if (u.locked_until > now)
		return MMP_OK; /* locked: even the right password is refused */
	if (right) {
		*ok = 1;
		return run(c, "UPDATE users SET failed = 0, locked_until = 0 WHERE name = ?1", name, NULL,
			   NULL, 0, 0, NULL, err);
	}
	if ((rc = users_get_max_failed(c, &max, err)) != MMP_OK)
		return rc;
	failed = u.locked_until != 0 ? 1 : u.failed + 1; /* a lock that ended starts afresh */
	return run(c, "UPDATE users SET failed = ?4, locked_until = ?5 WHERE name = ?1", name, NULL,
		   NULL, failed, max > 0 && failed >= max ? (long long)now + USER_LOCK_SECONDS : 0,
		   NULL, err);
}

enum mmp_rc users_get_max_failed(struct cfg *c, int *n, struct mmp_err *err)
{
	char buf[16];
	int set;
	enum mmp_rc rc = cfg_get(c, "user.max_failed_logins", buf, sizeof(buf), &set, err);

	*n = rc == MMP_OK && set ? atoi(buf) : 0;
	return rc;
}

enum mmp_rc users_set_max_failed(struct cfg *c, int n, struct mmp_err *err)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%d", n);
	return cfg_set(c, "user.max_failed_logins", n > 0 ? buf : NULL, err);
}

enum mmp_rc audit_add(struct cfg *c, const char *user, const char *source, const char *kind,
		      const char *line, const char *result, struct mmp_err *err)
{
	sqlite3_stmt *st = NULL;
	int ok, relaxed = !cfg_in_tx(c);
	enum mmp_rc rc;

	/* An audit entry alone is committed without waiting for the disk (WAL
	 * with synchronous NORMAL: the database stays whole after a crash, the
	 * last entries may be lost on power loss); settings keep FULL. */
	if (relaxed)
		sqlite3_exec(cfg_db(c), "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
	ok = sqlite3_prepare_v2(cfg_db(c),
				"INSERT INTO audit (time, user, source, kind, line, result)"
				" VALUES (strftime('%s','now'), ?1, ?2, ?3, ?4, ?5)",
				-1, &st, NULL) == SQLITE_OK &&
	     sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC) == SQLITE_OK &&
	     sqlite3_bind_text(st, 2, source, -1, SQLITE_STATIC) == SQLITE_OK &&
	     sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC) == SQLITE_OK &&
	     sqlite3_bind_text(st, 4, line, -1, SQLITE_STATIC) == SQLITE_OK &&
	     sqlite3_bind_text(st, 5, result, -1, SQLITE_STATIC) == SQLITE_OK &&
	     sqlite3_step(st) == SQLITE_DONE;
	/* the reason now: the PRAGMA below would clear it */
	rc = ok ? MMP_OK : cfg_db_fail(c, err, "writing the audit log");
	sqlite3_finalize(st);
	if (relaxed)
		sqlite3_exec(cfg_db(c), "PRAGMA synchronous = FULL", NULL, NULL, NULL);
	return rc;
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
