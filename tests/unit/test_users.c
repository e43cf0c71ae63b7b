/*
 * test_users.c: users and roles in the config store (SPEC §8): yescrypt
 * hashes, duplicate and unknown users, the failed-login lock, the audit log.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "mmp/cmd.h"
#include "mmp/users.h"

static char root[256];
static struct cfg *c;

static int setup(void **state)
{
	struct mmp_err e;
	(void)state;
	snprintf(root, sizeof(root), "/tmp/mmp-test-users.XXXXXX");
	if (mkdtemp(root) == NULL)
		return 1;
	c = cfg_open(root, &e);
	return c == NULL;
}

static int teardown(void **state)
{
	char p[512];
	const char *sfx[] = { "", "-wal", "-shm" };
	int i;
	(void)state;
	cfg_close(c);
	for (i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/mmp.db%s", root, sfx[i]);
		unlink(p);
	}
	rmdir(root);
	return 0;
}

static void test_add_and_check(void **state)
{
	struct mmp_err e;
	struct user_info u, *list;
	size_t n;
	int ok;
	(void)state;

	assert_int_equal(users_add(c, "alice", ROLE_CRYPTO, "Corr3ct horse", &e), MMP_OK);
	assert_int_equal(users_add(c, "alice", ROLE_ADMIN, "x", &e), MMP_ERR_EXIST);
	assert_int_equal(users_add(c, "Bad.Name", ROLE_ADMIN, "x", &e), MMP_ERR_USAGE);
	assert_int_equal(users_get(c, "alice", &u, &e), MMP_OK);
	assert_int_equal(u.role, ROLE_CRYPTO);
	assert_int_equal(users_check_password(c, "alice", "Corr3ct horse", 1000, &ok, &e), MMP_OK);
	assert_true(ok);
	assert_int_equal(users_check_password(c, "alice", "wrong", 1000, &ok, &e), MMP_OK);
	assert_false(ok);
	assert_int_equal(users_check_password(c, "nobody", "Corr3ct horse", 1000, &ok, &e), MMP_OK);
	assert_false(ok);
	assert_int_equal(users_list(c, &list, &n, &e), MMP_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].name, "alice");
	free(list);
}

/* issue 4: with max_failed_logins 3 the third failure locks for 15 min */
static void test_lock(void **state)
{
	struct mmp_err e;
	struct user_info u;
	int ok, i;
	(void)state;

	assert_int_equal(users_add(c, "bob", ROLE_ADMIN, "right-pw", &e), MMP_OK);
	assert_int_equal(users_set_max_failed(c, 3, &e), MMP_OK);
	for (i = 0; i < 3; i++) {
		assert_int_equal(users_check_password(c, "bob", "wrong", 2000, &ok, &e), MMP_OK);
		assert_false(ok);
	}
	assert_int_equal(users_get(c, "bob", &u, &e), MMP_OK);
	assert_int_equal(u.locked_until, 2000 + USER_LOCK_SECONDS);
	/* locked: even the right password fails until the lock ends */
	assert_int_equal(users_check_password(c, "bob", "right-pw", 2000 + 60, &ok, &e), MMP_OK);
	assert_false(ok);
	assert_int_equal(users_check_password(c, "bob", "right-pw", 2000 + USER_LOCK_SECONDS + 1, &ok, &e), MMP_OK);
	assert_true(ok);
	assert_int_equal(users_get(c, "bob", &u, &e), MMP_OK);
	assert_int_equal(u.failed, 0);
	assert_int_equal(u.locked_until, 0);
	assert_int_equal(users_del(c, "bob", &e), MMP_OK);
	assert_int_equal(users_del(c, "bob", &e), MMP_ERR_NOENT);
}

static void test_audit(void **state)
{
	struct mmp_err e;
	struct audit_entry *v;
	size_t n;
	int i;
	char line[32];
	(void)state;

	for (i = 0; i < 5; i++) {
		snprintf(line, sizeof(line), "pki list %d", i);
		assert_int_equal(audit_add(c, "alice", "127.0.0.1", "command", line, "ok", &e), MMP_OK);
	}
	assert_int_equal(audit_latest(c, 3, &v, &n, &e), MMP_OK);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].line, "pki list 2");
	assert_string_equal(v[2].line, "pki list 4");
	assert_string_equal(v[2].source, "127.0.0.1");
	free(v);
}

/* Run one line as an admin on the console, output captured. */
static char *run_line(const char *line, int *status)
{
	struct mmp_session ss;
	char *buf = NULL;
	size_t len = 0;

	memset(&ss, 0, sizeof(ss));
	ss.cfg = c;
	ss.out = open_memstream(&buf, &len);
	ss.role = ROLE_ADMIN;
	snprintf(ss.source, sizeof(ss.source), "console");
	*status = cmd_run_line(&ss, line);
	fclose(ss.out);
	return buf;
}

/* issue 10 item 6: audit shows every field through text_escape(): ESC,
 * C1 (U+009B) and a byte that is not UTF-8 never reach the terminal raw,
 * whoever wrote them into the log */
static void test_audit_escaped(void **state)
{
	struct mmp_err e;
	char *out, *p;
	int st;
	(void)state;

	assert_int_equal(audit_add(c, "e\x1b[31m", "\xc2\x9b" "1", "login", "x\x9by\x7f",
				   "fail\x1b]0;t\x07", &e), MMP_OK);
	out = run_line("audit 2", &st);
	assert_int_equal(st, 0);
	p = strstr(out, " UTC e");
	assert_non_null(p);
	assert_string_equal(p, " UTC e\\x1B[31m@\\xC2\\x9B1 login: x\\x9By\\x7F [fail\\x1B]0;t\\x07]\n"
			       );
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_check),
		cmocka_unit_test(test_lock),
		cmocka_unit_test(test_audit),
		cmocka_unit_test(test_audit_escaped),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
