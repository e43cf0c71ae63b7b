/*
 * test_config.c: the config store (SQLite): creation with the schema
 * version, typed settings, persistence across handles, transactions that
 * roll back, files in use, a damaged or newer database refused clearly,
 * damaged rows (NULL, blob, NUL byte, a number for text) read as errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "mmp/config.h"
#include "mmp/users.h"

static char root[256];

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/mmp-test-config.XXXXXX");
	return mkdtemp(root) == NULL;
}

static int teardown(void **state)
{
	char p[512];
	(void)state;
	snprintf(p, sizeof(p), "%s/mmp.db", root);
	unlink(p);
	snprintf(p, sizeof(p), "%s/mmp.db-wal", root);
	unlink(p);
	snprintf(p, sizeof(p), "%s/mmp.db-shm", root);
	unlink(p);
	rmdir(root);
	return 0;
}

static void test_settings_persist(void **state)
{
	struct mmp_err e;
	struct cfg *c = cfg_open(root, &e), *d;
	char buf[64];
	int set, b;
	(void)state;

	assert_non_null(c);
	assert_int_equal(cfg_get(c, "callbridge.listen", buf, sizeof(buf), &set, &e), MMP_OK);
	assert_false(set);
	assert_int_equal(cfg_begin(c, &e), MMP_OK);
	assert_int_equal(cfg_set(c, "callbridge.listen", "a b", &e), MMP_OK);
	assert_int_equal(cfg_set_bool(c, "turn.enabled", 1, &e), MMP_OK);
	assert_int_equal(cfg_commit(c, &e), MMP_OK);
	/* a second handle (another session) sees it */
	d = cfg_open(root, &e);
	assert_non_null(d);
	assert_int_equal(cfg_get(d, "callbridge.listen", buf, sizeof(buf), &set, &e), MMP_OK);
	assert_true(set);
	assert_string_equal(buf, "a b");
	assert_int_equal(cfg_get_bool(d, "turn.enabled", &b, &e), MMP_OK);
	assert_true(b);
	cfg_close(d);
	/* a rolled-back change leaves nothing */
	assert_int_equal(cfg_begin(c, &e), MMP_OK);
	assert_int_equal(cfg_set(c, "callbridge.listen", NULL, &e), MMP_OK);
	cfg_rollback(c);
	assert_int_equal(cfg_get(c, "callbridge.listen", buf, sizeof(buf), &set, &e), MMP_OK);
	assert_true(set);
	/* unknown keys are a programming error */
	assert_int_equal(cfg_set(c, "no.such.key", "x", &e), MMP_ERR_INTERNAL);
	cfg_close(c);
}

static void test_file_user(void **state)
{
	struct mmp_err e;
	struct cfg *c = cfg_open(root, &e);
	char svc[64], freed[64];
	int in_use;
	(void)state;

	assert_int_equal(cfg_begin(c, &e), MMP_OK);
	assert_int_equal(cfg_set(c, "callbridge.crt", "cb.crt", &e), MMP_OK);
	assert_int_equal(cfg_set(c, "hostname", "other.crt", &e), MMP_OK);
	assert_int_equal(cfg_commit(c, &e), MMP_OK);
	assert_int_equal(cfg_file_user(c, "cb.crt", &in_use, svc, sizeof(svc), freed, sizeof(freed), &e), MMP_OK);
	assert_true(in_use);
	assert_string_equal(svc, "callbridge");
	assert_string_equal(freed, "callbridge certs none");
	/* a plain setting with the same text is not a use of the file */
	assert_int_equal(cfg_file_user(c, "other.crt", &in_use, svc, sizeof(svc), freed, sizeof(freed), &e), MMP_OK);
	assert_false(in_use);
	cfg_close(c);
}

static void test_bad_files(void **state)
{
	struct mmp_err e;
	struct cfg *c;
	char p[512];
	FILE *fp;
	(void)state;

	/* a file that is not a database: refused with what to do */
	teardown(NULL);
	mkdir(root, 0700);
	snprintf(p, sizeof(p), "%s/mmp.db", root);
	fp = fopen(p, "w");
	assert_non_null(fp);
	fputs("this is not a database, just text that is long enough to be read as a header page", fp);
	fclose(fp);
	c = cfg_open(root, &e);
	assert_null(c);
	assert_int_equal(e.rc, MMP_ERR_IO);
	assert_non_null(strstr(e.msg, "mmp.db is damaged"));
}

/* An mmp.db with the same tables but no types or constraints, as another
 * tool might write it, at the current schema version. */
static void loose_db(const char *rows, int version)
{
	char p[512], sql[2048];
	sqlite3 *db;

	teardown(NULL);
	mkdir(root, 0700);
	snprintf(p, sizeof(p), "%s/mmp.db", root);
	snprintf(sql, sizeof(sql),
		 "CREATE TABLE settings (key, value);"
		 "CREATE TABLE users (name, role, hash, failed, locked_until);"
		 "CREATE TABLE login_failures (user, source, failed, locked_until);"
		 "CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, time, user, source,"
		 " kind, line, result);"
		 "PRAGMA user_version = %d; %s", version, rows);
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

#define DAMAGED(table, col, what)                                                   \
	"the settings file mmp.db is damaged: a row of " table " has a " col " that is " \
	"not " what ": restore mmp.db from a backup"

static void test_damaged_rows(void **state)
{
	struct mmp_err e;
	struct cfg *c;
	struct cfg_file_use *uses;
	struct user_info *users, u;
	struct audit_entry *log;
	size_t n;
	char buf[64];
	int set, ok;
	(void)state;

	loose_db("INSERT INTO settings VALUES ('callbridge.crt', NULL);"
		 "INSERT INTO settings VALUES ('hostname', x'610062');"
		 "INSERT INTO users VALUES ('bob', NULL, 'x', 0, 0);"
		 "INSERT INTO users VALUES ('eve', 'admin', 'x', 0, 0);"
		 "INSERT INTO login_failures VALUES ('eve', '192.0.2.1', 'many', 0);"
		 "INSERT INTO audit VALUES (1, 0, 'bob', 'console', 'cmd', NULL, 'ok');",
		 cfg_schema_version());
	c = cfg_open(root, &e);
	assert_non_null(c);
	assert_int_equal(cfg_get(c, "callbridge.crt", buf, sizeof(buf), &set, &e), MMP_ERR_IO);
	assert_string_equal(e.msg, DAMAGED("settings", "value", "text"));
	assert_int_equal(cfg_get(c, "hostname", buf, sizeof(buf), &set, &e), MMP_ERR_IO);
	assert_string_equal(e.msg, DAMAGED("settings", "value", "text"));
	assert_int_equal(cfg_files_in_use(c, &uses, &n, &e), MMP_ERR_IO);
	assert_int_equal(n, 0);
	/* a damaged row does not hide the others: listed, marked, cannot log in */
	assert_int_equal(users_list(c, &users, &n, &e), MMP_OK);
	assert_int_equal(n, 2);
	assert_string_equal(users[0].name, "bob");
	assert_string_equal(users[0].damaged, DAMAGED("users", "role", "text"));
	assert_string_equal(users[1].name, "eve");
	assert_string_equal(users[1].damaged, DAMAGED("users", "failed", "a whole number"));
	free(users);
	assert_int_equal(users_get(c, "eve", &u, &e), MMP_ERR_IO);
	assert_string_equal(e.msg, DAMAGED("users", "failed", "a whole number"));
	/* a damaged row never logs anybody in */
	ok = 1;
	assert_int_equal(users_check_password(c, "bob", "console", "x", 0, &ok, &e), MMP_ERR_IO);
	assert_false(ok);
	assert_int_equal(audit_latest(c, 10, &log, &n, &e), MMP_ERR_IO);
	assert_string_equal(e.msg, DAMAGED("audit", "line", "text"));
	cfg_close(c);

	/* a role or a name mmp never writes */
	loose_db("INSERT INTO users VALUES ('bob', 'superuser', 'x', 0, 0);"
		 "INSERT INTO users VALUES (char(27) || '[2J', 'admin', 'x', 0, 0);",
		 cfg_schema_version());
	c = cfg_open(root, &e);
	assert_non_null(c);
	assert_int_equal(users_get(c, "bob", &u, &e), MMP_ERR_IO);
	assert_string_equal(e.msg, "the settings file mmp.db is damaged: the row of user bob has the role"
				   " \"superuser\", not one of admin, crypto, audit, appadmin or api:"
				   " restore mmp.db from a backup, or user del bob");
	assert_int_equal(users_list(c, &users, &n, &e), MMP_OK);
	assert_int_equal(n, 2);
	assert_string_equal(users[0].name, "?[2J"); /* printed, never raw */
	assert_string_equal(users[0].damaged, "the settings file mmp.db is damaged: a row of users has"
					      " the name \"?[2J\", which mmp never writes: restore"
					      " mmp.db from a backup");
	free(users);
	cfg_close(c);

	/* text with a NUL byte inside is not the text mmp wrote */
	loose_db("INSERT INTO settings VALUES ('hostname', CAST(x'610062' AS TEXT));",
		 cfg_schema_version());
	c = cfg_open(root, &e);
	assert_non_null(c);
	assert_int_equal(cfg_get(c, "hostname", buf, sizeof(buf), &set, &e), MMP_ERR_IO);
	assert_string_equal(e.msg, DAMAGED("settings", "value", "text without NUL bytes"));
	cfg_close(c);

	/* a negative schema version is damage, not an old schema */
	loose_db("", -1);
	assert_null(cfg_open(root, &e));
	assert_string_equal(e.msg, "the settings file mmp.db is damaged: its schema version (PRAGMA user_version) is -1,"
				   " which no mmp writes: restore mmp.db, mmp.db-wal and mmp.db-shm together from a backup");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_settings_persist),
		cmocka_unit_test(test_file_user),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_damaged_rows),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
