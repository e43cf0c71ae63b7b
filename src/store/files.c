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
#include "store_internal.h"

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
	unsigned role;               /* the actor: what the access table allows */
	store_classify_fn classify;  /* tells a file's contents (the PKI engine) */
};

static store_changed_fn changed_hook;

void store_set_changed_hook(store_changed_fn fn)
{
	changed_hook = fn;
}

void store_note_change(const struct store *s, const char *name)
{
	if (changed_hook != NULL && name != NULL)
		changed_hook(s->files, name);
}

int store_dirfd(const struct store *s)
{
	return s->dirfd;
}

void store_set_actor(struct store *s, unsigned role, store_classify_fn classify)
{
	s->role = role;
	s->classify = classify;
}

unsigned store_content_kinds(const struct store *s, const unsigned char *buf, size_t len,
			     const char *name, char *why, size_t why_size)
{
	unsigned k;

	if (why != NULL && why_size > 0)
		why[0] = '\0';
	if (s->classify == NULL)
		return ACCESS_SECRET | ACCESS_UNTOLD; /* nothing tells: the safe answer */
	k = s->classify(buf, len, name, why, why_size);
	return k == ACCESS_PLAIN ? ACCESS_PLAIN : ACCESS_SECRET | (k & ACCESS_UNTOLD);
}

int store_slurp_fd(int fd, size_t max, unsigned char **buf, size_t *len)
{
	struct stat st;
	unsigned char *b;
	size_t got = 0;

	*buf = NULL;
	*len = 0;
	if (fstat(fd, &st) != 0)
		return -1;
	if (!S_ISREG(st.st_mode) || (unsigned long long)st.st_size > max) {
		errno = EFBIG;
		return -1;
	}
	if ((b = malloc((size_t)st.st_size + 1)) == NULL)
		return -1;
	while (got < (size_t)st.st_size) {
		ssize_t r = pread(fd, b + got, (size_t)st.st_size - got, (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	b[got] = '\0';
	*buf = b;
	*len = got;
	return 0;
}

unsigned store_file_kinds(const struct store *s, const char *name)
{
	unsigned char *buf;
	size_t len;
	unsigned kinds = ACCESS_SECRET | ACCESS_UNTOLD;
	int fd = openat(s->dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return kinds;
	if (store_slurp_fd(fd, STORE_FILE_MAX, &buf, &len) == 0) {
		kinds = store_content_kinds(s, buf, len, name, NULL, 0);
		store_buf_free(buf, len);
	}
	close(fd);
	return kinds;
}

enum mmp_rc store_decide(const struct store *s, enum access_op op, const char *name,
			 unsigned content, const char *from, struct mmp_err *err)
{
	unsigned allowed = access_allowed(s->role, op), nk = access_name_kinds(name);
	char why[768], shown[STORE_NAME_MAX * 4 + 8];

	if (allowed != 0 && ((nk | ACCESS_PLAIN | ACCESS_SECRET) & ~allowed) == 0)
		return MMP_OK; /* whatever the contents */
	if (content == STORE_CONTENT_UNKNOWN) {
		/* allowed for now when some contents would be; decided again
		 * with the contents (store_upload_commit) */
		if (((nk | ACCESS_PLAIN) & ~allowed) == 0 || ((nk | ACCESS_SECRET) & ~allowed) == 0)
			return MMP_OK;
		content = ACCESS_PLAIN;
	} else if (content == STORE_CONTENT_OF_FILE) {
		content = from != NULL && ((nk | ACCESS_PLAIN) & ~allowed) == 0 ? store_file_kinds(s, from)
										  : ACCESS_PLAIN;
	}
	if (access_decide(s->role, op, nk | (content & ~ACCESS_UNTOLD), store_name_shown(name, shown, sizeof(shown)),
			  why, sizeof(why)))
		return MMP_OK;
	return mmp_err_set(err, MMP_ERR_DENIED, "%s", why);
}

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

/* Open name for reading: a regular file of the store with one link. */
static int open_file(const struct store *s, const char *name, struct stat *st,
		     struct mmp_err *err)
{
	char shown[STORE_NAME_MAX * 4 + 8];
	int fd = openat(s->dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);

	store_name_shown(name, shown, sizeof(shown));
	if (fd < 0) {
		if (errno == ENOENT)
			mmp_err_setr(err, MMP_ERR_NOENT,
				     "%s: no such file in the file store: " MMP_REMEDY
				     "upload it with SFTP, or see pki list",
				     shown);
		else if (errno == ELOOP)
			mmp_err_setr(err, MMP_ERR_IO,
				    "%s is a symbolic link, which the file store never follows: " MMP_REMEDY "remove it and upload the file itself",
				    shown);
		else {
			mmp_err_set(err, MMP_ERR_IO, "%s: cannot open", shown);
			mmp_err_cause_errno(err, errno);
		}
		return -1;
	}
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		close(fd);
		mmp_err_setr(err, MMP_ERR_IO,
			     "%s is not a regular file but a folder, a FIFO or a device, which the file store never reads (none is made through mmp): " MMP_REMEDY "remove it on the machine and upload the file itself",
			     shown);
		return -1;
	}
	if (st->st_nlink > 1) { /* issue 10: its bytes may be a file elsewhere */
		close(fd);
		mmp_err_set(err, MMP_ERR_DENIED,
			    "%s has %lu hard links, so its bytes may belong to a file outside the store: mmp never follows them; remove %s and upload the file again",
			    shown, (unsigned long)st->st_nlink, shown);
		return -1;
	}
	if ((unsigned long long)st->st_size > STORE_FILE_MAX) {
		close(fd);
		mmp_err_set(err, MMP_ERR_FORMAT,
			    "%s: %lld bytes is more than the %u MiB a key, certificate or bundle may have",
			    shown, (long long)st->st_size, STORE_FILE_MAX >> 20);
		return -1;
	}
	return fd;
}

static void ident_of(const struct stat *st, struct store_ident *id)
{
	id->ino = (unsigned long long)st->st_ino;
	id->size = (unsigned long long)st->st_size;
	id->mtime_ns = (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
	id->ctime_ns = (long long)st->st_ctim.tv_sec * 1000000000LL + st->st_ctim.tv_nsec;
}

/* May the actor use any contents of name (no need to classify them)? */
static int use_needs_no_kinds(const struct store *s)
{
	return access_allowed(s->role, ACCESS_USE) == (ACCESS_PLAIN | ACCESS_SECRET | ACCESS_LOGIN);
}

enum mmp_rc store_read_ident(const struct store *s, const char *name, unsigned char **buf,
			     size_t *len, struct store_ident *id, unsigned *kinds,
			     struct mmp_err *err)
{
	struct stat st;
	enum mmp_rc rc;
	unsigned k;
	int fd;

	*buf = NULL;
	*len = 0;
	if ((fd = open_file(s, name, &st, err)) < 0)
		return err->rc;
	if (id != NULL)
		ident_of(&st, id);
	if (store_slurp_fd(fd, STORE_FILE_MAX, buf, len) != 0) {
		close(fd);
		if (errno == ENOMEM)
			return mmp_err_set(err, MMP_ERR_NOMEM, "%s: out of memory", name);
		mmp_err_set(err, MMP_ERR_IO, "%s: cannot read", name);
		mmp_err_cause_errno(err, errno);
		return MMP_ERR_IO;
	}
	close(fd);
	k = use_needs_no_kinds(s) ? STORE_KINDS_UNTOLD : store_content_kinds(s, *buf, *len, name, NULL, 0);
	if (kinds != NULL)
		*kinds = k;
	rc = store_decide(s, ACCESS_USE, name, k == STORE_KINDS_UNTOLD ? ACCESS_PLAIN : k, NULL, err);
	if (rc != MMP_OK) {
		store_buf_free(*buf, *len);
		*buf = NULL;
		*len = 0;
	}
	return rc;
}

enum mmp_rc store_read(const struct store *s, const char *name,
		       unsigned char **buf, size_t *len, struct mmp_err *err)
{
	return store_read_ident(s, name, buf, len, NULL, NULL, err);
}

int store_use_unchanged(const struct store *s, const char *name, const struct store_ident *id,
			unsigned kinds, struct mmp_err *err)
{
	struct store_ident now;
	struct stat st;
	int fd;

	if ((fd = open_file(s, name, &st, err)) < 0)
		return -1;
	close(fd);
	ident_of(&st, &now);
	if (now.ino != id->ino || now.size != id->size || now.mtime_ns != id->mtime_ns ||
	    now.ctime_ns != id->ctime_ns)
		return 0;
	if (use_needs_no_kinds(s))
		kinds = ACCESS_PLAIN;
	else if (s->classify == NULL) /* as store_content_kinds() tells them */
		kinds = ACCESS_SECRET | ACCESS_UNTOLD;
	else if (kinds == STORE_KINDS_UNTOLD)
		return 2;
	return store_decide(s, ACCESS_USE, name, kinds, NULL, err) == MMP_OK ? 1 : -1;
}

enum mmp_rc store_open_read(const struct store *s, const char *name, int *fd,
			    unsigned long long *size, struct mmp_err *err)
{
	unsigned char *buf = NULL;
	unsigned kinds = ACCESS_PLAIN;
	struct stat st;
	size_t len = 0;
	enum mmp_rc rc;

	*fd = -1;
	*size = 0;
	if (access_allowed(s->role, ACCESS_READ) == 0)
		return store_decide(s, ACCESS_READ, name, ACCESS_PLAIN, NULL, err);
	int f = open_file(s, name, &st, err);
	if (f < 0)
		return err->rc;
	if ((access_allowed(s->role, ACCESS_READ) & ACCESS_SECRET) == 0) {
		kinds = ACCESS_SECRET | ACCESS_UNTOLD; /* unless the contents say otherwise */
		if (store_slurp_fd(f, STORE_FILE_MAX, &buf, &len) == 0)
			kinds = store_content_kinds(s, buf, len, name, NULL, 0);
		store_buf_free(buf, len);
	}
	if ((rc = store_decide(s, ACCESS_READ, name, kinds, NULL, err)) != MMP_OK) {
		close(f);
		return rc;
	}
	*fd = f;
	*size = (unsigned long long)st.st_size;
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
	int exists = !(flags & STORE_W_NOREPLACE) && store_exists(s, name);
	enum access_op op = exists ? ACCESS_REPLACE : ACCESS_CREATE;
	enum mmp_rc rc = MMP_OK;
	unsigned allowed = access_allowed(s->role, op);

	/* the new contents and, when replaced, the old ones */
	if (allowed == 0 || ((access_name_kinds(name) | ACCESS_PLAIN | ACCESS_SECRET) & ~allowed) != 0)
		rc = store_decide(s, op, name, store_content_kinds(s, data, len, name, NULL, 0), NULL, err);
	if (rc == MMP_OK && exists)
		rc = store_decide(s, op, name, STORE_CONTENT_OF_FILE, name, err);
	if (rc == MMP_OK) {
		rc = write_file(s, name, data, len, flags, err);
		store_note_change(s, name);
	}
	store_guard_release(s);
	return rc;
}

static enum mmp_rc write_file(const struct store *s, const char *name, const void *data,
			      size_t len, int flags, struct mmp_err *err)
{
	char tmp[STORE_NAME_MAX + 32], old[STORE_NAME_MAX + 32];
	/* issue 11: keys and secrets 0600, the rest 0644, the rule uploads
	 * follow from their classified contents (upload.c); mmp's own
	 * writers know what they write and say it (every key is written with
	 * STORE_W_PRIVATE), so no parse, and no failing one, decides here */
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

	if ((rc = store_decide(s, ACCESS_REMOVE, name, STORE_CONTENT_OF_FILE, name, err)) != MMP_OK)
		return rc;
	rc = store_check_free(s, name, err);
	if (rc == MMP_OK)
		store_note_change(s, name);
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
