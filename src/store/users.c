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
	if (n == 0 || n > USER_NAME_MAX || i < n || !islower((unsigned char)name[0])) {
		mmp_err_set(err, MMP_ERR_USAGE, "\"%s\" is not a valid user name", name);
		mmp_err_about(err, "user.name_invalid", NULL, 0);
		mmp_err_remedy(err,
			       "1 to %d lower-case letters, digits or \"-\", starting with a letter (so that <name>.pub can hold its SSH key)",
			       USER_NAME_MAX);
		return MMP_ERR_USAGE;
	}
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

/* The errors of a user that is there, or is not (user.exists,
 * user.not_found; the shell says the same with its own remedies). */
static enum mmp_rc user_exists(struct mmp_err *err, const char *name)
{
	mmp_err_set(err, MMP_ERR_EXIST, "user %s already exists", name);
	mmp_err_about(err, "user.exists", NULL, 0);
	mmp_err_remedy(err, "use passwd or user del");
	return MMP_ERR_EXIST;
}

static enum mmp_rc no_user(struct mmp_err *err, const char *name)
{
	mmp_err_set(err, MMP_ERR_NOENT, "no user %s", name);
	mmp_err_about(err, "user.not_found", NULL, 0);
	mmp_err_remedy(err, "see user list");
	return MMP_ERR_NOENT;
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
		rc = user_exists(err, name);
	return rc;
}

enum mmp_rc users_del(struct cfg *c, const char *name, struct mmp_err *err)
{
	int changed = 0;
	enum mmp_rc rc = run(c, "DELETE FROM users WHERE name = ?1", name, NULL, NULL, 0, 0,
			     &changed, err);

	if (rc == MMP_OK && changed > 0)
		rc = run(c, "DELETE FROM login_failures WHERE user = ?1", name, NULL, NULL, 0, 0,
			 NULL, err);
	if (rc == MMP_OK && changed == 0)
		rc = no_user(err, name);
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
	rc = run(c, "UPDATE users SET hash = ?2 WHERE name = ?1", name, hash, NULL, 0, 0,
		 &changed, err);
	explicit_bzero(hash, sizeof(hash));
	/* a new password: the guesses at the old one count no more */
	if (rc == MMP_OK && changed > 0)
		rc = run(c, "DELETE FROM login_failures WHERE user = ?1", name, NULL, NULL, 0, 0,
			 NULL, err);
	if (rc == MMP_OK && changed == 0)
		rc = no_user(err, name);
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

/* The columns row_to_info() reads, of "users u": failed and locked_until
 * summed and maxed over the user's sources (login_failures). */
#define USER_COLS                                                                      \
	"u.name, u.role,"                                                              \
	" COALESCE((SELECT sum(f.failed) FROM login_failures f WHERE f.user = u.name), 0)" \
	" AS failed,"                                                                  \
	" COALESCE((SELECT max(f.locked_until) FROM login_failures f"                  \
	" WHERE f.user = u.name), 0) AS locked_until"

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
		mmp_err_set(err, MMP_ERR_IO,
			    "the settings file mmp.db is damaged: a row of users has the name \"%s\", which mmp never writes",
			    shown);
		mmp_err_about(err, "user.damaged", "mmp.db", 0);
		mmp_err_remedy(err, "restore mmp.db from a backup");
		return MMP_ERR_IO;
	}
	snprintf(u->name, sizeof(u->name), "%s", name);
	if ((u->role = users_role_from_name(role)) == 0) {
		char shown[33];
		printable(role, shown, sizeof(shown));
		mmp_err_set(err, MMP_ERR_IO,
			    "the settings file mmp.db is damaged: the row of user %s has the role \"%s\", not one of admin, crypto, audit, appadmin or api",
			    u->name, shown);
		mmp_err_about(err, "user.damaged", "mmp.db", 0);
		mmp_err_remedy(err, "restore mmp.db from a backup, or user del %s", u->name);
		return MMP_ERR_IO;
	}
	u->failed = failed < 0 ? 0 : failed > INT_MAX ? INT_MAX : (int)failed;
	u->locked_until = (time_t)until;
	return MMP_OK;
}

enum mmp_rc users_get(struct cfg *c, const char *name, struct user_info *out, struct mmp_err *err)
{
	sqlite3_stmt *st = NULL;
	int r;

	if (sqlite3_prepare_v2(cfg_db(c), "SELECT " USER_COLS " FROM users u WHERE u.name = ?1",
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
		return no_user(err, name);
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
	if (sqlite3_prepare_v2(cfg_db(c), "SELECT " USER_COLS " FROM users u ORDER BY u.name",
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
			v[*n].damaged_code = mmp_err_code(err);
			v[*n].damaged_remedy_at = err->remedy_at;
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

/* The user's hash and the end of the lock of (user, source), 0 if none. */
static enum mmp_rc read_hash(struct cfg *c, const char *name, const char *source, char *hash,
			     size_t size, time_t *locked_until, int *found, struct mmp_err *err)
{
	sqlite3_stmt *st = NULL;
	struct user_info u;
	long long until = 0;
	int r;

	*found = 0;
	*locked_until = 0;
	if (sqlite3_prepare_v2(cfg_db(c),
			       "SELECT " USER_COLS ", u.hash, COALESCE((SELECT f.locked_until"
			       " FROM login_failures f WHERE f.user = u.name AND f.source = ?2), 0)"
			       " AS locked_until FROM users u WHERE u.name = ?1",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st, 2, source, -1, SQLITE_STATIC) != SQLITE_OK) {
		sqlite3_finalize(st);
		return cfg_db_fail(c, err, "reading the users");
	}
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		const char *h;
		if (row_to_info(st, &u, err) != MMP_OK ||
		    (h = cfg_col_text(st, 4, "users", err)) == NULL ||
		    cfg_col_int(st, 5, "login_failures", &until, err) != MMP_OK) {
			sqlite3_finalize(st);
			return MMP_ERR_IO;
		}
		snprintf(hash, size, "%s", h);
		*locked_until = (time_t)until;
		*found = 1;
	}
	sqlite3_finalize(st);
	return r == SQLITE_ROW || r == SQLITE_DONE ? MMP_OK : cfg_db_fail(c, err, "reading the users");
}

/* max_failed_logins as the statement reads it (unset: 0, no limit), and
 * the count after one more failure of the conflicting row. */
#define MAX_FAILED                                                                     \
	"COALESCE((SELECT CAST(value AS INTEGER) FROM settings"                        \
	" WHERE key = 'user.max_failed_logins'), 0)"
#define NEXT_FAILED "(CASE WHEN locked_until != 0 AND locked_until <= ?4 THEN 1 ELSE failed + 1 END)"

/* One failure of (user ?1, source ?2) at ?4, in one statement: parallel
 * attempts each add theirs. A lock that ended starts the count afresh; a
 * lock still running stays as it is; at max_failed_logins (read in the
 * same statement) the source is locked until ?5. */
static const char record_failure_sql[] =
	"INSERT INTO login_failures (user, source, failed, locked_until)"
	" VALUES (?1, ?2, 1, CASE WHEN " MAX_FAILED " = 1 THEN ?5 ELSE 0 END)"
	" ON CONFLICT(user, source) DO UPDATE SET"
	" failed = " NEXT_FAILED ","
	" locked_until = CASE WHEN locked_until > ?4 THEN locked_until"
	" WHEN " MAX_FAILED " > 0 AND " NEXT_FAILED " >= " MAX_FAILED " THEN ?5 ELSE 0 END";

enum mmp_rc users_check_password(struct cfg *c, const char *name, const char *source,
				 const char *password, time_t now, int *ok, struct mmp_err *err)
{
	char hash[256];
	time_t locked_until;
	int found, right;
	enum mmp_rc rc;

	*ok = 0;
	if ((rc = read_hash(c, name, source, hash, sizeof(hash), &locked_until, &found, err)) !=
	    MMP_OK)
		return rc;
	right = password_ok(password, found ? hash : dummy_hash());
	explicit_bzero(hash, sizeof(hash));
	if (!found)
		return MMP_OK; /* nothing counted: strangers' names fill no table */
	if (locked_until > now)
		return MMP_OK; /* locked from here: even the right password is refused */
	if (right) {
		*ok = 1;
		return run(c, "DELETE FROM login_failures WHERE user = ?1 AND source = ?2", name,
			   source, NULL, 0, 0, NULL, err);
	}
	return run(c, record_failure_sql, name, source, NULL, (long long)now,
		   (long long)now + USER_LOCK_SECONDS, NULL, err);
}

enum mmp_rc users_failures(struct cfg *c, const char *name, struct login_failure **list,
			   size_t *n, struct mmp_err *err)
{
	sqlite3_stmt *st = NULL;
	struct login_failure *v = NULL, *nv;
	size_t cap = 0;
	int r;
	enum mmp_rc rc = MMP_ERR_IO;

	*list = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(cfg_db(c), "SELECT source, failed, locked_until FROM login_failures"
				" WHERE user = ?1 ORDER BY locked_until DESC, source", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) != SQLITE_OK)
		goto fail;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *src;
		long long failed, until;
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL) {
				rc = mmp_err_set(err, MMP_ERR_NOMEM, "out of memory");
				goto out;
			}
			v = nv;
		}
		if ((src = cfg_col_text(st, 0, "login_failures", err)) == NULL ||
		    cfg_col_int(st, 1, "login_failures", &failed, err) != MMP_OK ||
		    cfg_col_int(st, 2, "login_failures", &until, err) != MMP_OK)
			goto out; /* a damaged row: err says which */
		snprintf(v[*n].source, sizeof(v[*n].source), "%s", src);
		v[*n].failed = failed < 0 ? 0 : failed > INT_MAX ? INT_MAX : (int)failed;
		v[*n].locked_until = (time_t)until;
		(*n)++;
	}
	if (r != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	*list = v;
	return MMP_OK;
fail:
	rc = cfg_db_fail(c, err, "reading the failed logins");
out:
	sqlite3_finalize(st);
	free(v);
	*n = 0;
	return rc;
}

enum mmp_rc users_count_role(struct cfg *c, unsigned role, int *n, struct mmp_err *err)
{
	sqlite3_stmt *st = NULL;
	enum mmp_rc rc = MMP_OK;

	*n = 0;
	if (sqlite3_prepare_v2(cfg_db(c), "SELECT count(*) FROM users WHERE role = ?1", -1, &st,
			       NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, users_role_name(role), -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		rc = cfg_db_fail(c, err, "reading the users");
	else
		*n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc;
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
