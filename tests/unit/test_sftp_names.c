/*
 * test_sftp_names.c: what SFTP may reach (issue 4): the path rule of the
 * sftp subsystem (only "/" and the flat store's files; "..", folders and NUL
 * bytes refused), and the store's streaming uploads (10 MiB limit, names
 * checked, nothing under the final name before the commit or after an
 * abort, files in use never replaced) and renames.
 */
#include <dirent.h>
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

#include "mmp/access.h"
#include "mmp/cmd.h"
#include "mmp/pki.h"
#include "mmp/store.h"
#include "ssh/sftp_path.h"

static char root[256];

static int map(const char *path, char *name)
{
	const char *why;
	int k = sftp_path_map(path, strlen(path), name, STORE_NAME_MAX + 1, &why);

	assert_true((k == SFTP_PATH_BAD) == (why != NULL));
	return k;
}

static void test_paths_in_the_store(void **state)
{
	char name[STORE_NAME_MAX + 1];
	(void)state;
	assert_int_equal(map("/", name), SFTP_PATH_ROOT);
	assert_int_equal(map(".", name), SFTP_PATH_ROOT);
	assert_int_equal(map("", name), SFTP_PATH_ROOT);
	assert_int_equal(map("//./", name), SFTP_PATH_ROOT);
	assert_int_equal(map("ca.crt", name), SFTP_PATH_FILE);
	assert_string_equal(name, "ca.crt");
	assert_int_equal(map("/ca.crt", name), SFTP_PATH_FILE);
	assert_string_equal(name, "ca.crt");
	assert_int_equal(map("./ca.crt", name), SFTP_PATH_FILE);
	assert_int_equal(map("/./ca.crt", name), SFTP_PATH_FILE);
	assert_string_equal(name, "ca.crt");
	/* names the store then refuses (its own rule says why) */
	assert_int_equal(map("a..b.crt", name), SFTP_PATH_FILE);
	assert_int_equal(map("..crt", name), SFTP_PATH_FILE);
}

static void test_paths_outside(void **state)
{
	char name[STORE_NAME_MAX + 1], long_name[100];
	const char *why;
	(void)state;
	const char *bad[] = { "..", "../x.crt", "/..", "/../x.crt", "./../x.crt", "x/../y.crt",
			      "/etc/passwd", "etc/passwd", "/files/x.crt", "ssh/key", "x.crt/",
			      "a/b", "/tmp/", NULL };
	for (int i = 0; bad[i] != NULL; i++)
		assert_int_equal(map(bad[i], name), SFTP_PATH_BAD);
	/* a NUL byte inside what the client sent */
	assert_int_equal(sftp_path_map("x.crt\0../../etc/passwd", 22, name, sizeof(name), &why),
			 SFTP_PATH_BAD);
	assert_non_null(strstr(why, "NUL"));
	memset(long_name, 'a', 80);
	strcpy(long_name + 80, ".crt");
	assert_int_equal(map(long_name, name), SFTP_PATH_BAD);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/mmp-test-sftp.XXXXXX");
	return mkdtemp(root) == NULL;
}

static int teardown(void **state)
{
	char cmd[600];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) != 0;
}

/* Files of the store's folder, temporary ones included. */
static int count_files(const char *prefix)
{
	char dir[300];
	struct dirent *de;
	int n = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/files", root);
	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL)
		n += strncmp(de->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

static int in_use(void *ctx, const char *name, char *why, size_t size)
{
	(void)ctx;
	snprintf(why, size, "in use by test");
	return strcmp(name, "used.crt") == 0;
}

/* These tests are about uploads and renames themselves: their files hold
 * a few bytes of text, which the real classifier cannot tell from a key
 * (test_access.c tests it), so here every file is plain. */
static unsigned all_plain(const unsigned char *buf, size_t len, const char *name, char *why,
			  size_t size)
{
	(void)buf;
	(void)len;
	(void)name;
	if (why != NULL && size > 0)
		why[0] = '\0';
	return ACCESS_PLAIN;
}

static void test_upload(void **state)
{
	struct mmp_err e;
	struct store *s;
	struct store_upload *up;
	unsigned char *buf;
	size_t len;
	(void)state;
	assert_non_null(s = store_open(root, &e));
	store_set_actor(s, ROLE_ADMIN, all_plain);
	/* names are checked on open, with the reason */
	assert_int_equal(store_upload_begin(s, "bad_name.crt", &up, &e), MMP_ERR_NAME);
	assert_null(up);
	assert_non_null(strstr(e.msg, "bad-name"));
	assert_int_equal(store_upload_begin(s, "../x.crt", &up, &e), MMP_ERR_NAME);
	/* written out of order, invisible until the commit */
	assert_int_equal(store_upload_begin(s, "up.crt", &up, &e), MMP_OK);
	assert_int_equal(store_upload_write(up, 6, "world\n", 6, &e), MMP_OK);
	assert_int_equal(store_upload_write(up, 0, "hello ", 6, &e), MMP_OK);
	assert_false(store_exists(s, "up.crt"));
	assert_int_equal(count_files(".tmp-"), 1);
	assert_int_equal(store_upload_commit(up, &e), MMP_OK);
	assert_int_equal(store_read(s, "up.crt", &buf, &len, &e), MMP_OK);
	assert_string_equal((char *)buf, "hello world\n");
	store_buf_free(buf, len);
	assert_int_equal(count_files(".tmp-"), 0);
	/* abort: nothing under the name, no temporary file */
	assert_int_equal(store_upload_begin(s, "gone.crt", &up, &e), MMP_OK);
	assert_int_equal(store_upload_write(up, 0, "x", 1, &e), MMP_OK);
	store_upload_abort(up);
	assert_false(store_exists(s, "gone.crt"));
	assert_int_equal(count_files(".tmp-"), 0);
	store_upload_abort(NULL);
	store_free(s);
}

static void test_upload_limit_and_guard(void **state)
{
	struct mmp_err e;
	struct store *s;
	struct store_upload *up;
	static char chunk[65536];
	unsigned long long off;
	(void)state;
	assert_non_null(s = store_open(root, &e));
	store_set_actor(s, ROLE_ADMIN, all_plain);
	/* exactly 10 MiB is fine, one byte more is refused and the commit fails */
	assert_int_equal(store_upload_begin(s, "ten.der", &up, &e), MMP_OK);
	for (off = 0; off < STORE_UPLOAD_MAX; off += sizeof(chunk))
		assert_int_equal(store_upload_write(up, off, chunk, sizeof(chunk), &e), MMP_OK);
	assert_int_equal(store_upload_commit(up, &e), MMP_OK);
	assert_int_equal(store_upload_begin(s, "over.der", &up, &e), MMP_OK);
	assert_int_equal(store_upload_write(up, STORE_UPLOAD_MAX, "x", 1, &e), MMP_ERR_FORMAT);
	assert_non_null(strstr(e.msg, "10 MiB"));
	assert_int_equal(store_upload_write(up, 0, "x", 1, &e), MMP_ERR_FORMAT);
	assert_int_not_equal(store_upload_commit(up, &e), MMP_OK);
	assert_false(store_exists(s, "over.der"));
	assert_int_equal(store_upload_begin(s, "wrap.der", &up, &e), MMP_OK);
	assert_int_equal(store_upload_write(up, ~0ULL, "x", 1, &e), MMP_ERR_FORMAT);
	store_upload_abort(up);
	/* a file in use is neither replaced, renamed nor renamed over */
	assert_int_equal(store_write(s, "used.crt", "old", 3, 0, &e), MMP_OK);
	store_set_guard(s, in_use, NULL);
	assert_int_equal(store_upload_begin(s, "used.crt", &up, &e), MMP_ERR_IN_USE);
	assert_int_equal(store_rename(s, "used.crt", "other.crt", 0, &e), MMP_ERR_IN_USE);
	assert_int_equal(store_rename(s, "ten.der", "used.crt", 1, &e), MMP_ERR_IN_USE);
	/* the guard is asked again at the commit */
	store_set_guard(s, NULL, NULL);
	assert_int_equal(store_upload_begin(s, "used.crt", &up, &e), MMP_OK);
	store_set_guard(s, in_use, NULL);
	assert_int_equal(store_upload_commit(up, &e), MMP_ERR_IN_USE);
	assert_int_equal(count_files(".tmp-"), 0);
	store_set_guard(s, NULL, NULL);
	store_free(s);
}

static void test_rename(void **state)
{
	struct mmp_err e;
	struct store *s;
	struct store_stat st;
	(void)state;
	assert_non_null(s = store_open(root, &e));
	store_set_actor(s, ROLE_ADMIN, all_plain);
	assert_int_equal(store_write(s, "a.crt", "a", 1, 0, &e), MMP_OK);
	assert_int_equal(store_write(s, "b.crt", "bb", 2, 0, &e), MMP_OK);
	assert_int_equal(store_rename(s, "a.crt", "b.crt", 0, &e), MMP_ERR_EXIST);
	assert_int_equal(store_rename(s, "a.crt", "c_1.crt", 0, &e), MMP_ERR_NAME);
	assert_int_equal(store_rename(s, "nope.crt", "d.crt", 0, &e), MMP_ERR_NOENT);
	assert_int_equal(store_rename(s, "a.crt", "c.crt", 0, &e), MMP_OK);
	assert_int_equal(store_rename(s, "c.crt", "b.crt", 1, &e), MMP_OK);
	assert_int_equal(store_stat(s, "b.crt", &st, &e), MMP_OK);
	assert_int_equal(st.size, 1);
	assert_true(S_ISREG(st.mode));
	assert_int_equal(store_stat(s, "c.crt", &st, &e), MMP_ERR_NOENT);
	assert_int_equal(store_stat(s, NULL, &st, &e), MMP_OK);
	assert_true(S_ISDIR(st.mode));
	store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths_in_the_store),
		cmocka_unit_test(test_paths_outside),
		cmocka_unit_test_setup_teardown(test_upload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upload_limit_and_guard, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rename, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
