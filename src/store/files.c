/*
 * files.c: the file store on disk: the root and files/ folders, reading,
 * atomic writes (temporary file, fsync, rename or link, fsync of the
 * folder), removal and listing (SPEC §4).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmp/fault.h"
#include "mmp/store.h"

/* The fault build fails the Nth of these calls with EIO (mmp/fault.h); in
 * every other build fault_hit() is 0 and this is the call itself. */
#define INJECT(call) (fault_hit(FAULT_IO) ? (errno = EIO, -1) : (call))

struct store {
	char *root;
	char *files;
	int dirfd; /* files/ folder, O_DIRECTORY */
	store_guard_fn guard;
	store_guard_release_fn release;
	void *guard_ctx;
};

void store_set_guard_release(struct store *s, store_guard_release_fn release)
{
	s->release = release;
}

void store_guard_release(const struct store *s)
{
	if (s->release != NULL)
		s->release(s->guard_ctx);
}

void store_set_guard(struct store *s, store_guard_fn guard, void *ctx)
{
	s->guard = guard;
	s->guard_ctx = ctx;
}

enum mmp_rc store_check_free(const struct store *s, const char *name, struct mmp_err *err)
{
	char why[256];
	int r;

	if (s->guard == NULL || !store_exists(s, name))
		return MMP_OK;
	why[0] = '\0';
	r = s->guard(s->guard_ctx, name, why, sizeof(why));
	if (r == 0)
		return MMP_OK;
	if (r < 0)
		return mmp_err_set(err, MMP_ERR_IN_USE,
				   "%s: cannot tell whether a service uses it (%s): nothing was changed",
				   name, why);
	return mmp_err_set(err, MMP_ERR_IN_USE, "%s is %s: nothing was changed", name, why);
}

static int mkdir_0700(const char *path)
{
	if (mkdir(path, 0700) == 0 || errno == EEXIST)
		return 0;
	return -1;
}

/* Remove ".tmp-<pid>-..." files whose writer is gone (killed mid-write):
 * they were never renamed to a final name, so nothing refers to them. */
static void remove_stale_temps(struct store *s)
{
	int fd = openat(s->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;

	if (d == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		long pid;
		char *end;
		if (strncmp(de->d_name, ".tmp-", 5) != 0)
			continue;
		pid = strtol(de->d_name + 5, &end, 10);
		if (end == de->d_name + 5 || *end != '-' || pid <= 0)
			continue;
		if (kill((pid_t)pid, 0) != 0 && errno == ESRCH)
			unlinkat(s->dirfd, de->d_name, 0);
	}
	closedir(d);
}

struct store *store_open(const char *root, struct mmp_err *err)
{
	struct store *s = calloc(1, sizeof(*s));
	struct stat st;

	if (s == NULL) {
		mmp_err_set(err, MMP_ERR_NOMEM, "out of memory opening the store");
		return NULL;
	}
	s->dirfd = -1;
	if (asprintf(&s->root, "%s", root) < 0 ||
	    asprintf(&s->files, "%s/files", root) < 0) {
		s->root = s->files = NULL;
		mmp_err_set(err, MMP_ERR_NOMEM, "out of memory opening the store");
		goto fail;
	}
	if (mkdir_0700(s->root) != 0 || mkdir_0700(s->files) != 0) {
		mmp_err_set(err, MMP_ERR_IO, "cannot create the node root \"%s\"", root);
		mmp_err_cause_errno(err, errno);
		goto fail;
	}
	s->dirfd = open(s->files, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->dirfd < 0 || fstat(s->dirfd, &st) != 0) {
		mmp_err_set(err, MMP_ERR_IO, "cannot open the file store \"%s\"", s->files);
		mmp_err_cause_errno(err, errno);
		goto fail;
	}
	remove_stale_temps(s);
	return s;
fail:
	store_free(s);
	return NULL;
}

void store_free(struct store *s)
{
	if (s == NULL)
		return;
	if (s->dirfd >= 0)
		close(s->dirfd);
	free(s->root);
	free(s->files);
	free(s);
}

const char *store_root(const struct store *s)
{
	return s->root;
}

const char *store_files_dir(const struct store *s)
{
	return s->files;
}

int store_exists(const struct store *s, const char *name)
{
	struct stat st;

	return fstatat(s->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	       S_ISREG(st.st_mode);
}

void store_buf_free(unsigned char *buf, size_t len)
{
	if (buf != NULL) {
		explicit_bzero(buf, len + 1); /* it may have held a key */
		free(buf);
	}
}

enum mmp_rc store_read(const struct store *s, const char *name,
		       unsigned char **buf, size_t *len, struct mmp_err *err)
{
	struct stat st;
	unsigned char *b = NULL;
	size_t got = 0;
	int fd;

	*buf = NULL;
	*len = 0;
	fd = openat(s->dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT)
			return mmp_err_set(err, MMP_ERR_NOENT,
					   "%s: no such file in the file store: upload it with SFTP, or see pki list",
					   name);
		mmp_err_set(err, MMP_ERR_IO, "%s: cannot open", name);
		mmp_err_cause_errno(err, errno);
		return MMP_ERR_IO;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return mmp_err_set(err, MMP_ERR_IO, "%s: not a regular file", name);
	}
	if ((unsigned long long)st.st_size > STORE_FILE_MAX) {
		close(fd);
		return mmp_err_set(err, MMP_ERR_FORMAT,
				   "%s: %lld bytes is more than the %u MiB a key, certificate or bundle may have",
				   name, (long long)st.st_size, STORE_FILE_MAX >> 20);
	}
	b = malloc((size_t)st.st_size + 1);
	if (b == NULL) {
		close(fd);
		return mmp_err_set(err, MMP_ERR_NOMEM, "%s: out of memory", name);
	}
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, b + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	b[got] = '\0';
	*buf = b;
	*len = got;
	return MMP_OK;
}

static int write_all(int fd, const unsigned char *p, size_t len)
{
	while (len > 0) {
		ssize_t w = INJECT(write(fd, p, len));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Make the temporary file ".tmp-<pid>-<i>-<name>" (its name goes to tmp)
 * holding data with mode, written and synced. -1 with errno set and no
 * file left on failure. */
static int write_temp(const struct store *s, const char *name, const void *data, size_t len,
		      mode_t mode, char *tmp, size_t tmp_size)
{
	int fd = -1, i, saved;

	for (i = 0; i < 100 && fd < 0; i++) {
		snprintf(tmp, tmp_size, ".tmp-%ld-%d-%s", (long)getpid(), i, name);
		fd = INJECT(openat(s->dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
				   0600));
		if (fd < 0 && errno != EEXIST)
			return -1;
	}
	if (fd < 0)
		return -1;
	if (fchmod(fd, mode) == 0 && write_all(fd, data, len) == 0 && INJECT(fsync(fd)) == 0) {
		if (close(fd) == 0)
			return 0;
		fd = -1;
	}
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlinkat(s->dirfd, tmp, 0);
	errno = saved;
	return -1;
}

/* Keep the file name reachable as old (".tmp-<pid>-old-<name>") until the
 * folder is synced: 1 when kept, 0 when there is no such file, -1 (errno
 * set) when it cannot be kept. */
static int keep_old(const struct store *s, const char *name, char *old, size_t old_size)
{
	snprintf(old, old_size, ".tmp-%ld-old-%s", (long)getpid(), name);
	unlinkat(s->dirfd, old, 0); /* a dead writer's with our pid */
	if (INJECT(linkat(s->dirfd, name, s->dirfd, old, 0)) == 0)
		return 1;
	return errno == ENOENT ? 0 : -1;
}

static enum mmp_rc write_file(const struct store *s, const char *name, const void *data,
			      size_t len, int flags, struct mmp_err *err);

enum mmp_rc store_write(const struct store *s, const char *name,
			const void *data, size_t len, int flags,
			struct mmp_err *err)
{
	enum mmp_rc rc = write_file(s, name, data, len, flags, err);

	store_guard_release(s);
	return rc;
}

static enum mmp_rc write_file(const struct store *s, const char *name, const void *data,
			      size_t len, int flags, struct mmp_err *err)
{
	char tmp[STORE_NAME_MAX + 32], old[STORE_NAME_MAX + 32];
	mode_t mode = (flags & STORE_W_PRIVATE) ? 0600 : 0644;
	int kept = 0, saved;
	enum mmp_rc rc;

	if (!(flags & STORE_W_NOREPLACE) && (rc = store_check_free(s, name, err)) != MMP_OK)
		return rc;
	if (write_temp(s, name, data, len, mode, tmp, sizeof(tmp)) != 0)
		goto io_fail;
	if (flags & STORE_W_NOREPLACE) {
		/* link() fails if name exists: no window where it is replaced */
		if (INJECT(linkat(s->dirfd, tmp, s->dirfd, name, 0)) != 0) {
			saved = errno;
			unlinkat(s->dirfd, tmp, 0);
			if (saved == EEXIST)
				return mmp_err_set(err, MMP_ERR_EXIST,
						   "%s already exists: remove it or choose another name",
						   name);
			errno = saved;
			goto io_fail;
		}
		unlinkat(s->dirfd, tmp, 0);
	} else if ((kept = keep_old(s, name, old, sizeof(old))) < 0 ||
		   INJECT(renameat(s->dirfd, tmp, s->dirfd, name)) != 0) {
		saved = errno;
		unlinkat(s->dirfd, tmp, 0);
		if (kept > 0)
			unlinkat(s->dirfd, old, 0);
		errno = saved;
		goto io_fail;
	}
	if (INJECT(fsync(s->dirfd)) != 0) {
		/* the new name may not last: put back what was there */
		saved = errno;
		if (kept > 0)
			renameat(s->dirfd, old, s->dirfd, name);
		else
			unlinkat(s->dirfd, name, 0);
		fsync(s->dirfd);
		errno = saved;
		goto io_fail;
	}
	if (kept > 0)
		unlinkat(s->dirfd, old, 0);
	return MMP_OK;
io_fail:
	mmp_err_set(err, MMP_ERR_IO, "%s: cannot write the file, nothing was changed", name);
	mmp_err_cause_errno(err, errno);
	return MMP_ERR_IO;
}

enum mmp_rc store_remove(const struct store *s, const char *name,
			 struct mmp_err *err)
{
	enum mmp_rc rc;

	rc = store_check_free(s, name, err);
	if (rc == MMP_OK && unlinkat(s->dirfd, name, 0) != 0 && errno != ENOENT) {
		mmp_err_set(err, MMP_ERR_IO, "%s: cannot remove", name);
		mmp_err_cause_errno(err, errno);
		rc = MMP_ERR_IO;
	}
	if (rc == MMP_OK)
		(void)INJECT(fsync(s->dirfd));
	store_guard_release(s);
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void store_list_free(char **names)
{
	size_t i;

	if (names == NULL)
		return;
	for (i = 0; names[i] != NULL; i++)
		free(names[i]);
	free(names);
}

enum mmp_rc store_list(const struct store *s, char ***names, size_t *count,
		       struct mmp_err *err)
{
	int fd = openat(s->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;
	char **v = NULL;
	size_t n = 0, cap = 0;

	*names = NULL;
	*count = 0;
	if (d == NULL) {
		if (fd >= 0)
			close(fd);
		mmp_err_set(err, MMP_ERR_IO, "cannot list the file store");
		mmp_err_cause_errno(err, errno);
		return MMP_ERR_IO;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (de->d_type != DT_REG && de->d_type != DT_UNKNOWN)
			continue;
		if (de->d_type == DT_UNKNOWN && !store_exists(s, de->d_name))
			continue;
		if (n + 2 > cap) {
			size_t nc = cap ? cap * 2 : 64;
			char **nv = realloc(v, nc * sizeof(*nv));
			if (nv == NULL)
				goto nomem;
			v = nv;
			cap = nc;
		}
		if ((v[n] = strdup(de->d_name)) == NULL)
			goto nomem;
		v[++n] = NULL;
	}
	closedir(d);
	if (v == NULL && (v = calloc(1, sizeof(*v))) == NULL)
		return mmp_err_set(err, MMP_ERR_NOMEM, "out of memory listing the store");
	qsort(v, n, sizeof(*v), cmp_names);
	*names = v;
	*count = n;
	return MMP_OK;
nomem:
	closedir(d);
	if (v != NULL) {
		v[n] = NULL;
		store_list_free(v);
	}
	return mmp_err_set(err, MMP_ERR_NOMEM, "out of memory listing the store");
}
