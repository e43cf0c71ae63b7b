/*
 * test_users.c: users and roles in the config store (SPEC §8): yescrypt
 * hashes, duplicate and unknown users, the failed-login lock per (user,
 * source) and its parallel counting, the audit log and its escaping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli/cli.h"
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
	snprintf(p, sizeof(p), "%s/files", root); /* test_del_takes_key's store */
	rmdir(p);
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
	assert_int_equal(users_check_password(c, "alice", "console", "Corr3ct horse", 1000, &ok, &e), MMP_OK);
	assert_true(ok);
	assert_int_equal(users_check_password(c, "alice", "console", "wrong", 1000, &ok, &e), MMP_OK);
	assert_false(ok);
	assert_int_equal(users_check_password(c, "nobody", "console", "Corr3ct horse", 1000, &ok, &e), MMP_OK);
	assert_false(ok);
	assert_int_equal(users_list(c, &list, &n, &e), MMP_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].name, "alice");
	free(list);
}

#define SRC1 "203.0.113.9"
#define SRC2 "192.0.2.1"

static void check(struct cfg *h, const char *user, const char *src, const char *pw, time_t now,
		  int want_ok)
{
	struct mmp_err e;
	int ok = -1;

	assert_int_equal(users_check_password(h, user, src, pw, now, &ok, &e), MMP_OK);
	assert_int_equal(ok, want_ok);
}

/* issue 10 item 5: with audit_max_rows 1000, the 1100th entry trims the
 * 100 oldest, and says so in an entry of kind "audit" */
static void test_audit_trim(void **state)
{
	struct mmp_err e;
	struct audit_entry *v;
	struct cfg *h;
	char dir[] = "/tmp/mmp-test-trim.XXXXXX", line[32], p[64];
	size_t n;
	int i;
	(void)state;

	assert_non_null(mkdtemp(dir));
	h = cfg_open(dir, &e);
	assert_non_null(h);
	assert_int_equal(audit_set_max_rows(h, 999, &e), MMP_ERR_USAGE);
	assert_int_equal(audit_set_max_rows(h, 1000, &e), MMP_OK);
	assert_int_equal(cfg_begin(h, &e), MMP_OK); /* one commit: fast */
	for (i = 1; i <= 1100; i++) {
		snprintf(line, sizeof(line), "e%d", i);
		assert_int_equal(audit_add(h, "alice", "192.0.2.5", "command", line, "ok", &e), MMP_OK);
	}
	assert_int_equal(cfg_commit(h, &e), MMP_OK);
	assert_int_equal(audit_latest(h, 10000, &v, &n, &e), MMP_OK);
	assert_int_equal(n, 1001);
	assert_string_equal(v[0].line, "e101");
	assert_string_equal(v[999].line, "e1100");
	assert_string_equal(v[1000].kind, "audit");
	assert_string_equal(v[1000].user, "alice");
	assert_string_equal(v[1000].line, "trimmed 100 oldest entries (audit_max_rows 1000)");
	free(v);
	cfg_close(h);
	for (i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/mmp.db%s", dir, i == 0 ? "" : i == 1 ? "-wal" : "-shm");
		unlink(p);
	}
	rmdir(dir);
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

/* issue 10 item 1: with max_failed_logins 3 the third failure from a source
 * locks passwords from that source alone for 15 minutes */
static void test_lock_per_source(void **state)
{
	struct mmp_err e;
	struct user_info u;
	struct login_failure *f;
	size_t n;
	int i;
	(void)state;

	assert_int_equal(users_add(c, "bob", ROLE_ADMIN, "right-pw", &e), MMP_OK);
	assert_int_equal(users_set_max_failed(c, 3, &e), MMP_OK);
	for (i = 0; i < 3; i++)
		check(c, "bob", SRC1, "wrong", 2000, 0);
	assert_int_equal(users_get(c, "bob", &u, &e), MMP_OK); /* key logins read this: found */
	assert_int_equal(u.failed, 3);
	assert_int_equal(u.locked_until, 2000 + USER_LOCK_SECONDS);
	/* locked from SRC1: even the right password fails, and is not counted */
	check(c, "bob", SRC1, "right-pw", 2000 + 60, 0);
	check(c, "bob", SRC1, "wrong", 2000 + 60, 0);
	/* another source is not locked, and its success leaves SRC1's lock */
	check(c, "bob", SRC2, "wrong", 2000 + 60, 0);
	check(c, "bob", SRC2, "right-pw", 2000 + 60, 1);
	assert_int_equal(users_failures(c, "bob", &f, &n, &e), MMP_OK);
	assert_int_equal(n, 1);
	assert_string_equal(f[0].source, SRC1);
	assert_int_equal(f[0].failed, 3);
	assert_int_equal(f[0].locked_until, 2000 + USER_LOCK_SECONDS);
	free(f);
	/* a lock that ended starts afresh: one failure, no lock */
	check(c, "bob", SRC1, "wrong", 2000 + USER_LOCK_SECONDS + 1, 0);
	assert_int_equal(users_get(c, "bob", &u, &e), MMP_OK);
	assert_int_equal(u.failed, 1);
	assert_int_equal(u.locked_until, 0);
	/* a success clears that source's count */
	check(c, "bob", SRC1, "right-pw", 2000 + USER_LOCK_SECONDS + 2, 1);
	assert_int_equal(users_get(c, "bob", &u, &e), MMP_OK);
	assert_int_equal(u.failed, 0);
	assert_int_equal(users_failures(c, "bob", &f, &n, &e), MMP_OK);
	assert_int_equal(n, 0);
	free(f);
	/* an unknown user's failures are not written anywhere */
	check(c, "nobody", SRC1, "wrong", 2000, 0);
	assert_int_equal(users_failures(c, "nobody", &f, &n, &e), MMP_OK);
	assert_int_equal(n, 0);
	free(f);
	assert_int_equal(users_set_max_failed(c, 0, &e), MMP_OK);
}

/* user info names the locked sources; user list says where to look */
static void test_info_shows_sources(void **state)
{
	struct mmp_err e;
	char *out;
	int i, st;
	time_t now = time(NULL);
	(void)state;

	assert_int_equal(users_add(c, "eve", ROLE_ADMIN, "eve-pw-12", &e), MMP_OK);
	assert_int_equal(users_set_max_failed(c, 2, &e), MMP_OK);
	for (i = 0; i < 2; i++)
		check(c, "eve", SRC1, "wrong", now, 0);
	check(c, "eve", SRC2, "wrong", now, 0);
	out = run_line("user info eve", &st);
	assert_int_equal(st, 0);
	assert_string_equal(out, "User          : eve\n"
				 "Role          : admin\n"
				 "Status        : password locked from " SRC1 " for 15 more minutes (key logins still work)\n"
				 "Failed logins : 3\n");
	free(out);
	out = run_line("user list", &st);
	assert_non_null(strstr(out, "\neve                              admin     password locked from a source (see user info)\n"));
	free(out);
	assert_int_equal(users_set_max_failed(c, 0, &e), MMP_OK);
}

/* issue 10 item 3: user add refuses a name whose <name>.pub is in the
 * store; user del takes the key with the user; the last admin stays. */
static void test_del_takes_key(void **state)
{
	struct mmp_err e;
	struct mmp_session ss;
	char *buf = NULL;
	size_t len = 0;
	(void)state;

	memset(&ss, 0, sizeof(ss));
	ss.cfg = c;
	ss.store = store_open(root, &e);
	assert_non_null(ss.store);
	ss.role = ROLE_ADMIN;
	store_set_actor(ss.store, ROLE_ADMIN, pki_access_classify);
	ss.out = open_memstream(&buf, &len);
	assert_int_equal(store_write(ss.store, "fred.pub", "ssh-ed25519 AAAA x\n", 19, 0, &e), MMP_OK);
	assert_int_equal(cmd_run_line(&ss, "user add fred audit"), 1);
	assert_int_equal(users_add(c, "gail", ROLE_AUDIT, "gail-pw-1", &e), MMP_OK);
	assert_int_equal(store_write(ss.store, "gail.pub", "ssh-ed25519 AAAA y\n", 19, 0, &e), MMP_OK);
	assert_int_equal(cmd_run_line(&ss, "user del gail"), 0);
	assert_false(store_exists(ss.store, "gail.pub"));
	assert_true(store_exists(ss.store, "fred.pub")); /* not a user's: kept */
	assert_int_equal(users_add(c, "hal", ROLE_AUDIT, "hal-pw-12", &e), MMP_OK);
	assert_int_equal(cmd_run_line(&ss, "user del hal"), 0);
	fclose(ss.out);
	assert_string_equal(buf,
		"FAILURE: fred.pub is already in the file store: whoever holds its key would log in as the new user fred: remove fred.pub first (SFTP rm), then upload the new user's key after user add\n"
		"user gail deleted, and its login key gail.pub removed\n"
		"user hal deleted\n");
	free(buf);
	store_remove(ss.store, "fred.pub", &e);
	store_free(ss.store);
}

/* the last admin cannot be deleted; one of two can */
static void test_last_admin(void **state)
{
	struct mmp_err e;
	struct user_info *v;
	size_t n, i;
	char *out;
	int st;
	(void)state;

	/* delete every admin but one */
	assert_int_equal(users_list(c, &v, &n, &e), MMP_OK);
	for (i = 0; i < n; i++)
		if (v[i].role == ROLE_ADMIN && strcmp(v[i].name, "bob") != 0)
			assert_int_equal(users_del(c, v[i].name, &e), MMP_OK);
	free(v);
	out = run_line("user del bob", &st);
	assert_int_equal(st, 1);
	assert_string_equal(out, "FAILURE: bob is the last admin: without one nobody can manage users or settings over SSH: add another admin first (user add <name> admin), then user del bob\n");
	free(out);
	assert_int_equal(users_add(c, "ivy", ROLE_ADMIN, "ivy-pw-12", &e), MMP_OK);
	out = run_line("user del bob", &st);
	assert_int_equal(st, 0);
	assert_string_equal(out, "user bob deleted\n");
	free(out);
}

/* issue 10 item 2: passwd of one's own account asks the current password;
 * a wrong one changes nothing and counts as a failed login from the
 * session's source; the next two answer lines are taken, unrun. An admin
 * resetting another's password is asked 2 questions (test in transcripts/
 * user-passwords), a user changing its own 3, even in the audit role. */
/* Run script as user jay (audit role) from 198.51.100.4; the output. */
static char *run_as_jay(const char *script)
{
	struct mmp_session ss;
	char *buf = NULL;
	size_t len = 0;
	FILE *in = fmemopen((void *)script, strlen(script), "r");

	memset(&ss, 0, sizeof(ss));
	ss.cfg = c;
	ss.role = ROLE_AUDIT;
	snprintf(ss.user, sizeof(ss.user), "jay");
	snprintf(ss.source, sizeof(ss.source), "198.51.100.4");
	ss.out = open_memstream(&buf, &len);
	cli_script(&ss, in, 0);
	fclose(in);
	fclose(ss.out);
	return buf;
}

static void test_passwd_own(void **state)
{
	struct mmp_err e;
	struct login_failure *f;
	size_t n;
	char *out;
	(void)state;

	assert_int_equal(users_add(c, "jay", ROLE_AUDIT, "jay-pw-123", &e), MMP_OK);
	out = run_as_jay("passwd\nwrong-current\nNew-pw-1234\nNew-pw-1234\n");
	assert_string_equal(out,
		"line 1: FAILURE: the current password is wrong, or passwords from 198.51.100.4 are locked after too many failures: nothing was changed; it counts as a failed login (see user info jay)\n"
		"WARNING: line 3 not run and not shown: it is an answer to passwd, which stopped before asking for it\n"
		"WARNING: line 4 not run and not shown: it is an answer to passwd, which stopped before asking for it\n");
	free(out);
	assert_int_equal(users_failures(c, "jay", &f, &n, &e), MMP_OK); /* counted, and kept */
	assert_int_equal(n, 1);
	assert_string_equal(f[0].source, "198.51.100.4");
	assert_int_equal(f[0].failed, 1);
	free(f);
	check(c, "jay", SRC2, "jay-pw-123", 6000, 1); /* nothing was changed */
	out = run_as_jay("passwd\njay-pw-123\nNew-pw-1234\nNew-pw-1234\n"
			 "passwd ivy\nIvy-new-123\nIvy-new-123\n");
	assert_string_equal(out,
		"password of jay changed\n"
		"line 5: FAILURE: only an admin can change another user's password: use passwd to change your own\n"
		"WARNING: line 6 not run and not shown: it is an answer to passwd, which stopped before asking for it\n"
		"WARNING: line 7 not run and not shown: it is an answer to passwd, which stopped before asking for it\n");
	free(out);
	assert_int_equal(users_failures(c, "jay", &f, &n, &e), MMP_OK); /* the right one cleared it */
	assert_int_equal(n, 0);
	free(f);
	check(c, "jay", SRC2, "New-pw-1234", 6000, 1);
	check(c, "ivy", SRC2, "ivy-pw-12", 6000, 1); /* not changed */
}

/* Two handles on one mmp.db (two SSH logins) taking turns: each failure
 * counts, and a lock one made refuses the other at once. */
static void test_two_handles(void **state)
{
	struct mmp_err e;
	struct cfg *c2 = cfg_open(root, &e);
	struct user_info u;
	(void)state;

	assert_non_null(c2);
	assert_int_equal(users_add(c, "dora", ROLE_AUDIT, "dora-pw-1", &e), MMP_OK);
	assert_int_equal(users_set_max_failed(c, 3, &e), MMP_OK);
	check(c, "dora", SRC1, "wrong", 5000, 0);
	check(c2, "dora", SRC1, "wrong", 5000, 0);
	check(c, "dora", SRC1, "wrong", 5000, 0);
	check(c2, "dora", SRC1, "dora-pw-1", 5001, 0);
	check(c2, "dora", SRC2, "dora-pw-1", 5001, 1);
	assert_int_equal(users_get(c2, "dora", &u, &e), MMP_OK);
	assert_int_equal(u.failed, 3);
	cfg_close(c2);
	assert_int_equal(users_set_max_failed(c, 0, &e), MMP_OK);
}

/* Parallel logins (issue 10 item 1): 4 processes, each with its own
 * handle, 5 wrong passwords each at the same time; the count read before
 * the slow hash and written after it lost updates; one statement does not. */
static void test_parallel_count(void **state)
{
	struct mmp_err e;
	struct user_info u;
	pid_t kids[4];
	int i, st;
	(void)state;

	assert_int_equal(users_add(c, "carl", ROLE_CRYPTO, "carl-pw-1", &e), MMP_OK);
	for (i = 0; i < 4; i++) {
		kids[i] = fork();
		assert_true(kids[i] >= 0);
		if (kids[i] == 0) {
			struct cfg *h = cfg_open(root, &e);
			int k, ok, bad = h == NULL;
			for (k = 0; k < 5 && !bad; k++)
				bad = users_check_password(h, "carl", SRC1, "wrong", 3000, &ok, &e) != MMP_OK || ok;
			cfg_close(h);
			_exit(bad);
		}
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(waitpid(kids[i], &st, 0), kids[i]);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	assert_int_equal(users_get(c, "carl", &u, &e), MMP_OK);
	assert_int_equal(u.failed, 20);
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
		cmocka_unit_test(test_lock_per_source),
		cmocka_unit_test(test_info_shows_sources),
		cmocka_unit_test(test_two_handles),
		cmocka_unit_test(test_del_takes_key),
		cmocka_unit_test(test_last_admin),
		cmocka_unit_test(test_passwd_own),
		cmocka_unit_test(test_parallel_count),
		cmocka_unit_test(test_audit),
		cmocka_unit_test(test_audit_escaped),
		cmocka_unit_test(test_audit_trim),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
