/*
 * upload.c: the file store's streaming side for SFTP (issue 4): uploads into
 * a temporary file that only a commit renames to its final name (10 MiB at
 * most, names checked, files in use never replaced), renames within the
 * store, and file attributes. Each call opens its own handle on files/.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmp/store.h"
#include "store_internal.h"

struct store_upload {
	const struct store *s;
	int dirfd;
	int fd;
	int failed;
	char name[STORE_NAME_MAX + 1];
	char tmp[STORE_NAME_MAX + 48];
};

static int open_dir(const struct store *s, struct mmp_err *err)
{
	int fd = open(store_files_dir(s), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		mmp_err_set(err, MMP_ERR_IO, "cannot open the file store \"%s\"", store_files_dir(s));
		mmp_err_cause_errno(err, errno);
	}
	return fd;
}

static enum mmp_rc io_fail(struct mmp_err *err, int errnum, const char *what, const char *name)
{
	mmp_err_set(err, MMP_ERR_IO, "%s: cannot %s, nothing was changed", name, what);
	mmp_err_cause_errno(err, errnum);
	return MMP_ERR_IO;
}

static enum mmp_rc key_kept(const struct store *s, const char *name, struct mmp_err *err);
static enum mmp_rc upload_allowed(struct store_upload *up, int *exists, struct mmp_err *err);

enum mmp_rc store_upload_begin(const struct store *s, const char *name,
			       struct store_upload **up, struct mmp_err *err)
{
	struct store_upload *u;
	enum mmp_rc rc;
	int i;

	*up = NULL;
	if ((rc = store_check_name(name, STORE_ANY, err)) != MMP_OK ||
	    (rc = store_decide(s, store_exists(s, name) ? ACCESS_REPLACE : ACCESS_CREATE, name,
			       STORE_CONTENT_UNKNOWN, NULL, err)) != MMP_OK)
		return rc;
	rc = store_check_free(s, name, err);
	store_guard_release(s); /* no lock held through a long upload */
	if (rc != MMP_OK || (rc = key_kept(s, name, err)) != MMP_OK)
		return rc;
	if ((u = calloc(1, sizeof(*u))) == NULL)
		return mmp_err_set(err, MMP_ERR_NOMEM, "out of memory starting an upload");
	u->s = s;
	u->fd = -1;
	snprintf(u->name, sizeof(u->name), "%s", name);
	if ((u->dirfd = open_dir(s, err)) < 0) {
		free(u);
		return MMP_ERR_IO;
	}
	/* the ".tmp-<pid>-" prefix lets store_open() remove it if we die */
	for (i = 0; i < 100 && u->fd < 0; i++) {
		snprintf(u->tmp, sizeof(u->tmp), ".tmp-%ld-u%d-%s", (long)getpid(), i, name);
		u->fd = openat(u->dirfd, u->tmp,
			       O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (u->fd < 0 && errno != EEXIST)
			break;
	}
	if (u->fd < 0 || fchmod(u->fd, 0600) != 0) {
		rc = io_fail(err, errno, "start the upload", name);
		store_upload_abort(u);
		return rc;
	}
	*up = u;
	return MMP_OK;
}

enum mmp_rc store_upload_write(struct store_upload *up, unsigned long long offset,
			       const void *data, size_t len, struct mmp_err *err)
{
	const unsigned char *p = data;

	if (up->failed)
		return mmp_err_set(err, MMP_ERR_FORMAT, "%s: the upload has already failed", up->name);
	if (offset > STORE_UPLOAD_MAX || len > STORE_UPLOAD_MAX - offset) {
		up->failed = 1;
		return mmp_err_set(err, MMP_ERR_FORMAT,
				   "%s: uploads are limited to %u MiB: the file was refused",
				   up->name, STORE_UPLOAD_MAX >> 20);
	}
	while (len > 0) {
		ssize_t w = pwrite(up->fd, p, len, (off_t)offset);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			up->failed = 1;
			return io_fail(err, w < 0 ? errno : EIO, "write the upload", up->name);
		}
		p += w;
		len -= (size_t)w;
		offset += (unsigned long long)w;
	}
	return MMP_OK;
}

const char *store_upload_name(const struct store_upload *up)
{
	return up->name;
}

void store_upload_abort(struct store_upload *up)
{
	if (up == NULL)
		return;
	if (up->fd >= 0)
		close(up->fd);
	if (up->tmp[0] != '\0' && up->dirfd >= 0)
		unlinkat(up->dirfd, up->tmp, 0);
	if (up->dirfd >= 0)
		close(up->dirfd);
	free(up);
}

/* The access table with the uploaded contents, and the contents' own rule
 * for the name (a .pub line with options is refused). */
static enum mmp_rc upload_allowed(struct store_upload *up, int *existed, struct mmp_err *err)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	char why[512];
	unsigned kinds;
	int fd = openat(up->dirfd, up->tmp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	int exists = *existed = store_exists(up->s, up->name);
	enum access_op op = exists ? ACCESS_REPLACE : ACCESS_CREATE;
	enum mmp_rc rc;

	if (fd < 0 || store_slurp_fd(fd, STORE_UPLOAD_MAX, &buf, &len) != 0) {
		rc = io_fail(err, errno, "read the upload back", up->name);
		if (fd >= 0)
			close(fd);
		return rc;
	}
	kinds = store_content_kinds(up->s, buf, len, up->name, why, sizeof(why));
	/* issue 11: secrets 0600, the rest 0644, as the files mmp writes */
	if (fchmod(fd, (kinds & ACCESS_SECRET) ? 0600 : 0644) != 0) {
		rc = io_fail(err, errno, "set the mode of the upload", up->name);
		close(fd);
		store_buf_free(buf, len);
		return rc;
	}
	close(fd);
	store_buf_free(buf, len);
	if (why[0] != '\0')
		return mmp_err_set(err, MMP_ERR_FORMAT, "%s: nothing was changed", why);
	if ((rc = store_decide(up->s, op, up->name, kinds, NULL, err)) != MMP_OK)
		return rc;
	return exists ? store_decide(up->s, op, up->name, STORE_CONTENT_OF_FILE, up->name, err)
		      : MMP_OK;
}

enum mmp_rc store_upload_commit(struct store_upload *up, struct mmp_err *err)
{
	enum mmp_rc rc;
	int fd = up->fd, existed = 0, r;

	if (up->failed) {
		rc = mmp_err_set(err, MMP_ERR_FORMAT, "%s: the upload failed: nothing was changed",
				 up->name);
		goto out;
	}
	up->fd = -1;
	if (fsync(fd) != 0 || close(fd) != 0) {
		rc = io_fail(err, errno, "write the upload", up->name);
		goto out;
	}
	/* the contents decide now; a service may have started using the name
	 * since the upload began */
	if ((rc = upload_allowed(up, &existed, err)) != MMP_OK ||
	    (rc = store_check_free(up->s, up->name, err)) != MMP_OK ||
	    (rc = key_kept(up->s, up->name, err)) != MMP_OK)
		goto out;
	/* a name that was free when checked is taken only if still free: another
	 * session may have given it a key since (two uploads of one new name) */
	r = renameat2(up->dirfd, up->tmp, up->dirfd, up->name, existed ? 0 : RENAME_NOREPLACE);
	store_note_change(up->s, up->name);
	if (r != 0 && !existed && errno == EEXIST) {
		rc = mmp_err_set(err, MMP_ERR_EXIST,
				 "%s was made by another session during this upload: nothing was changed; look at it, remove it first if you mean to replace it",
				 up->name);
		goto out;
	}
	if (r != 0) {
		rc = io_fail(err, errno, "give the upload its name", up->name);
		goto out;
	}
	up->tmp[0] = '\0'; /* it is the final file now: abort must not remove it */
	fsync(up->dirfd);
	rc = MMP_OK;
out:
	store_guard_release(up->s);
	store_upload_abort(up);
	return rc;
}

/* SPEC §4: "a private key that exists is never overwritten silently" --
 * over SFTP there is no question to ask, so a file whose contents are a
 * secret (a private key or a PKCS#12, under any name, or contents that
 * cannot be told from one) is never replaced by an upload or a rename:
 * remove it first. */
static enum mmp_rc key_kept(const struct store *s, const char *name, struct mmp_err *err)
{
	char shown[STORE_NAME_MAX * 4 + 8];
	unsigned kinds;

	if (!store_exists(s, name) || !((kinds = store_file_kinds(s, name)) & ACCESS_SECRET))
		return MMP_OK;
	store_name_shown(name, shown, sizeof(shown));
	return mmp_err_set(err, MMP_ERR_EXIST,
			   "%s exists and holds %s, which is never replaced silently: remove it first (sftp rm %s) if you mean to",
			   shown, kinds & ACCESS_UNTOLD ? "contents mmp cannot tell from a private key"
						    : "a private key", shown);
}

/* The contents' own rule for the new name (a .pub line with options). */
static enum mmp_rc rename_content_ok(const struct store *s, const char *from, const char *to,
				     struct mmp_err *err)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	char why[512] = "";
	int fd;

	if (access_name_kinds(to) == 0)
		return MMP_OK;
	if ((fd = openat(store_dirfd(s), from, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)) >= 0 &&
	    store_slurp_fd(fd, STORE_FILE_MAX, &buf, &len) == 0) {
		store_content_kinds(s, buf, len, to, why, sizeof(why));
		store_buf_free(buf, len);
	}
	if (fd >= 0)
		close(fd);
	return why[0] != '\0' ? mmp_err_set(err, MMP_ERR_FORMAT, "%s: nothing was changed", why) : MMP_OK;
}

static enum mmp_rc rename_file(const struct store *s, const char *from, const char *to,
			       int replace, struct mmp_err *err)
{
	enum mmp_rc rc;
	int dirfd, r;

	if ((rc = store_check_name(from, STORE_ANY, err)) != MMP_OK ||
	    (rc = store_check_name(to, STORE_ANY, err)) != MMP_OK)
		return rc;
	if (!store_exists(s, from))
		return mmp_err_set(err, MMP_ERR_NOENT, "%s: no such file in the file store", from);
	/* the table: the file leaves its name, takes the new one (with its
	 * own contents), and may replace what has that name */
	if ((rc = store_decide(s, ACCESS_RENAME_FROM, from, STORE_CONTENT_OF_FILE, from, err)) != MMP_OK ||
	    (rc = store_decide(s, ACCESS_RENAME_TO, to, STORE_CONTENT_OF_FILE, from, err)) != MMP_OK ||
	    (store_exists(s, to) &&
	     (rc = store_decide(s, ACCESS_REPLACE, to, STORE_CONTENT_OF_FILE, to, err)) != MMP_OK) ||
	    (rc = rename_content_ok(s, from, to, err)) != MMP_OK)
		return rc;
	if (strcmp(from, to) == 0)
		return MMP_OK;
	if ((rc = store_check_free(s, from, err)) != MMP_OK ||
	    (rc = store_check_free(s, to, err)) != MMP_OK || (rc = key_kept(s, to, err)) != MMP_OK)
		return rc;
	if ((dirfd = open_dir(s, err)) < 0)
		return MMP_ERR_IO;
	r = renameat2(dirfd, from, dirfd, to, replace ? 0 : RENAME_NOREPLACE);
	store_note_change(s, from);
	store_note_change(s, to);
	if (r != 0 && !replace && errno == EEXIST)
		rc = mmp_err_set(err, MMP_ERR_EXIST, "%s already exists: remove it or choose another name",
				 to);
	else if (r != 0)
		rc = io_fail(err, errno, "rename", from);
	else
		fsync(dirfd);
	close(dirfd);
	return rc;
}

enum mmp_rc store_stat(const struct store *s, const char *name, struct store_stat *out,
		       struct mmp_err *err)
{
	struct stat st;
	int dirfd, r, saved;

	memset(out, 0, sizeof(*out));
	if ((dirfd = open_dir(s, err)) < 0)
		return MMP_ERR_IO;
	r = name == NULL ? fstat(dirfd, &st) : fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW);
	saved = errno;
	close(dirfd);
	if ((r != 0 && saved == ENOENT) || (r == 0 && name != NULL && !S_ISREG(st.st_mode)))
		return mmp_err_set(err, MMP_ERR_NOENT, "%s: no such file in the file store", name);
	if (r != 0)
		return io_fail(err, saved, "read the attributes of", name ? name : "the file store");
	out->size = (unsigned long long)st.st_size;
	out->mode = (unsigned)st.st_mode;
	out->atime = (long long)st.st_atime;
	out->mtime = (long long)st.st_mtime;
	out->uid = (unsigned)st.st_uid;
	out->gid = (unsigned)st.st_gid;
	return MMP_OK;
}

enum mmp_rc store_rename(const struct store *s, const char *from, const char *to, int replace,
			 struct mmp_err *err)
{
	enum mmp_rc rc = rename_file(s, from, to, replace, err);

	store_guard_release(s); /* the in-use checks may have taken a lock */
	return rc;
}
