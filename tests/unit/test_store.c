/*
 * test_store.c: the file store (SPEC §4): name rules and proposals,
 * atomic writes, key modes whatever the umask, no silent replacement,
 * sorted listing without the store's temporary files.
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

#include "mmp/cmd.h"
#include "mmp/pki.h"
#include "mmp/store.h"

static char root[256];

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/mmp-test-store.XXXXXX");
	return mkdtemp(root) == NULL;
}

static int teardown(void **state)
{
	char path[512];
	struct store *s;
	struct mmp_err e;
	char **names;
	size_t n, i;
	(void)state;
	if ((s = store_open(root, &e)) != NULL && store_list(s, &names, &n, &e) == MMP_OK) {
		for (i = 0; i < n; i++)
			store_remove(s, names[i], &e);
		store_list_free(names);
	}
	store_free(s);
	snprintf(path, sizeof(path), "%s/files", root);
	rmdir(path);
	rmdir(root);
	return 0;
}

static void name_fails(const char *name, enum store_kind kind, const char *part)
{
	struct mmp_err e;

	assert_int_equal(store_check_name(name, kind, &e), MMP_ERR_NAME);
	if (strstr(e.msg, part) == NULL)
		fail_msg("message for \"%s\" is \"%s\", lacks \"%s\"", name, e.msg, part);
}

static void test_names(void **state)
{
	struct mmp_err e;
	(void)state;
	assert_int_equal(store_check_name("callbridge.key", STORE_KEY, &e), MMP_OK);
	assert_int_equal(store_check_name("wb3-https-fullchain.crt", STORE_CERT, &e), MMP_OK);
	assert_int_equal(store_check_name("chain.p7b", STORE_CERT, &e), MMP_OK);
	assert_int_equal(store_check_name("x.pem", STORE_KEY, &e), MMP_OK);
	/* guide §4.2: call.bridge.key is not allowed */
	name_fails("call.bridge.key", STORE_KEY, "e.g. \"call-bridge.key\"");
	name_fails("base_name.crt", STORE_ANY, "e.g. \"base-name.crt\"");
	name_fails("../x.crt", STORE_ANY, "names have no \"/\"; use a name like \"x.crt\"");
	name_fails("/etc/passwd", STORE_ANY, "names have no \"/\"");
	name_fails("x.crt", STORE_KEY, "use .key, .pem or .der (guide Appendix B)");
	name_fails("x.exe", STORE_ANY, "unknown extension \".exe\"");
	name_fails("noext", STORE_ANY, "it needs an extension");
	name_fails(".hidden.crt", STORE_ANY, "not a valid file name");
	/* issue 10 item 7: a leading '-' would read as an option */
	name_fails("-lead.crt", STORE_ANY, "may not start with \"-\" (a program reading it would take it for an option), e.g. \"lead.crt\"");
	name_fails("--x.key", STORE_KEY, "e.g. \"x.key\"");
	assert_int_equal(store_check_name("a-.crt", STORE_CERT, &e), MMP_OK);
}

static void test_basenames(void **state)
{
	struct mmp_err e;
	(void)state;
	assert_int_equal(store_check_basename("dbserver", &e), MMP_OK);
	assert_int_equal(store_check_basename("db-01-server", &e), MMP_OK);
	assert_int_equal(store_check_basename("base.name", &e), MMP_ERR_NAME);
	assert_non_null(strstr(e.msg, "e.g. \"base-name\""));
	assert_int_equal(store_check_basename("base_name", &e), MMP_ERR_NAME);
	assert_non_null(strstr(e.msg, "no \".\" or \"_\" (guide section 3.1)"));
	/* a file name where a basename goes: propose the basename */
	assert_int_equal(store_check_basename("srv.csr", &e), MMP_ERR_NAME);
	assert_non_null(strstr(e.msg, "e.g. \"srv\""));
	assert_int_equal(store_check_basename("", &e), MMP_ERR_NAME);
	assert_int_equal(store_check_basename("a/b", &e), MMP_ERR_NAME);
	assert_int_equal(store_check_basename("-lead", &e), MMP_ERR_NAME);
	assert_string_equal(e.msg, "\"-lead\" is not a valid basename: it may not start with \"-\" (a program reading it would take it for an option), e.g. \"lead\"");
}

static void test_writes(void **state)
{
	struct mmp_err e;
	struct store *s;
	struct stat st;
	char path[512];
	unsigned char *buf;
	size_t len;
	mode_t old = umask(0);
	(void)state;

	s = store_open(root, &e);
	assert_non_null(s);
	store_set_actor(s, ROLE_ADMIN, pki_access_classify);
	assert_int_equal(store_write(s, "a.key", "secret", 6, STORE_W_PRIVATE | STORE_W_NOREPLACE, &e), MMP_OK);
	snprintf(path, sizeof(path), "%s/files/a.key", root);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600); /* whatever the umask */
	/* never replaced silently */
	assert_int_equal(store_write(s, "a.key", "other", 5, STORE_W_PRIVATE | STORE_W_NOREPLACE, &e), MMP_ERR_EXIST);
	assert_int_equal(store_read(s, "a.key", &buf, &len, &e), MMP_OK);
	assert_int_equal(len, 6);
	assert_memory_equal(buf, "secret", 6);
	store_buf_free(buf, len);
	/* a certificate may be replaced, atomically */
	assert_int_equal(store_write(s, "b.crt", "one", 3, 0, &e), MMP_OK);
	assert_int_equal(store_write(s, "b.crt", "two!", 4, 0, &e), MMP_OK);
	assert_int_equal(store_read(s, "b.crt", &buf, &len, &e), MMP_OK);
	assert_int_equal(len, 4);
	store_buf_free(buf, len);
	/* issue 11: mmp's own writers say what they write: without
	 * STORE_W_PRIVATE a file is 0644 (uploads take the mode from their
	 * contents: tests/ssh/sftp.sh) */
	snprintf(path, sizeof(path), "%s/files/b.crt", root);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	{
		static const char pub[] = "-----BEGIN PUBLIC KEY-----\n"
					  "MCowBQYDK2VwAyEAFFvXvQ7/1C8RViS2xv45UJ0gjiAxooCW+Y1qclMI7UI=\n"
					  "-----END PUBLIC KEY-----\n";
		assert_int_equal(store_write(s, "b.crt", pub, sizeof(pub) - 1, 0, &e), MMP_OK);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0644);
	}
	assert_int_equal(store_read(s, "none.crt", &buf, &len, &e), MMP_ERR_NOENT);
	assert_non_null(strstr(e.msg, "none.crt: no such file in the file store"));
	umask(old);
	store_free(s);
}

static void test_list(void **state)
{
	struct mmp_err e;
	struct store *s;
	char **names, path[512];
	size_t n;
	FILE *fp;
	(void)state;

	s = store_open(root, &e);

	store_set_actor(s, ROLE_ADMIN, pki_access_classify);
	assert_int_equal(store_write(s, "z.crt", "z", 1, 0, &e), MMP_OK);
	assert_int_equal(store_write(s, "m.csr", "m", 1, 0, &e), MMP_OK);
	snprintf(path, sizeof(path), "%s/files/.tmp-1-0-x.crt", root);
	fp = fopen(path, "w"); /* a temporary left by a killed writer */
	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(store_list(s, &names, &n, &e), MMP_OK);
	assert_int_equal(n, 4);
	assert_string_equal(names[0], "a.key");
	assert_string_equal(names[1], "b.crt");
	assert_string_equal(names[2], "m.csr");
	assert_string_equal(names[3], "z.crt");
	assert_null(names[4]);
	store_list_free(names);
	unlink(path);
	store_free(s);
}

static void test_propose(void **state)
{
	char out[80];
	(void)state;
	store_propose_name("web_bridge 3.crt", 1, out, sizeof(out));
	assert_string_equal(out, "web-bridge-3.crt");
	store_propose_name("..", 0, out, sizeof(out));
	assert_string_equal(out, "newfile");
	/* a path: the last part, with no dot taken from a ".." before it */
	store_propose_name("../../etc/shadow", 1, out, sizeof(out));
	assert_string_equal(out, "shadow");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_basenames),
		cmocka_unit_test(test_propose),
		cmocka_unit_test(test_writes),
		cmocka_unit_test(test_list),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
