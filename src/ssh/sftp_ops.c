/*
 * sftp_ops.c: one function per SFTP request over the file store (issue 4):
 * downloads read from the file as asked, uploads through the store's upload API
 * (names checked on open, committed by rename on close), remove and rename
 * under the in-use guard; folders, links and mode changes refused.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sftp_int.h"
#include "sftp_path.h"

#define READDIR_CHUNK 100

static int fail_err(struct sftp_ctx *x, sftp_client_message msg, const struct mmp_err *err)
{
	return sftp_status(x, msg, sftp_code(err->rc), err->msg);
}

static int reply_handle(struct sftp_ctx *x, sftp_client_message msg, struct sftp_h *h,
			ssh_string hs)
{
	(void)x;
	(void)h;
	sftp_reply_handle(msg, hs);
	ssh_string_free(hs);
	return 0;
}

static int open_read(struct sftp_ctx *x, sftp_client_message msg, const char *name)
{
	struct mmp_err err;
	ssh_string hs;
	struct sftp_h *h = sftp_h_new(x, H_READ, &hs);

	mmp_err_clear(&err);
	if (h == NULL)
		return sftp_status(x, msg, SSH_FX_FAILURE, "too many open files: close some first");
	snprintf(h->name, sizeof(h->name), "%s", name);
	/* the access table decides (a secret is not the audit role's to
	 * download, under any name); the bytes are read from the file as the
	 * client asks, never copied whole into memory */
	if (store_open_read(x->ss.store, name, &h->fd, &h->fsize, &err) != MMP_OK) {
		char line[96];
		sftp_h_free(h);
		ssh_string_free(hs);
		if (err.rc == MMP_ERR_DENIED) {
			snprintf(line, sizeof(line), "get %s", name);
			sftp_audit(x, line, "refused");
		}
		return fail_err(x, msg, &err);
	}
	return reply_handle(x, msg, h, hs);
}

/* Uploads in progress on this connection (issue 10: their temporaries are
 * capped at SFTP_UPLOADS_MAX x 10 MiB of disk). */
static int uploads_open(const struct sftp_ctx *x)
{
	int i, n = 0;

	for (i = 0; i < SFTP_HANDLE_MAX; i++)
		n += x->h[i].kind == H_WRITE;
	return n;
}

static int open_write(struct sftp_ctx *x, sftp_client_message msg, const char *name)
{
	uint32_t fl = msg->flags;
	int exists = store_exists(x->ss.store, name);
	struct mmp_err err;
	ssh_string hs;
	struct sftp_h *h;
	char line[96];

	mmp_err_clear(&err);
	snprintf(line, sizeof(line), "put %s", name);
	if ((fl & SSH_FXF_APPEND) || !(fl & SSH_FXF_WRITE))
		return sftp_status(x, msg, SSH_FX_OP_UNSUPPORTED,
				   "appending is not supported: upload the whole file");
	if (exists && (fl & SSH_FXF_EXCL))
		return sftp_status(x, msg, SSH_FX_FAILURE, "the file already exists");
	if (exists && !(fl & SSH_FXF_TRUNC))
		return sftp_status(x, msg, SSH_FX_OP_UNSUPPORTED,
				   "resuming an upload is not supported: upload the whole file again");
	if (!exists && !(fl & SSH_FXF_CREAT))
		return sftp_status(x, msg, SSH_FX_NO_SUCH_FILE, "no such file in the file store");
	if (uploads_open(x) >= SFTP_UPLOADS_MAX)
		return sftp_status(x, msg, SSH_FX_FAILURE,
				   "too many uploads at once on this connection (3): finish one first");
	if ((h = sftp_h_new(x, H_WRITE, &hs)) == NULL)
		return sftp_status(x, msg, SSH_FX_FAILURE, "too many open files: close some first");
	snprintf(h->name, sizeof(h->name), "%s", name);
	if (store_upload_begin(x->ss.store, name, &h->up, &err) != MMP_OK) {
		sftp_h_free(h);
		ssh_string_free(hs);
		sftp_audit(x, line, "refused");
		return fail_err(x, msg, &err);
	}
	return reply_handle(x, msg, h, hs);
}

int sftp_op_open(struct sftp_ctx *x, sftp_client_message msg)
{
	char name[STORE_NAME_MAX + 1], line[96];
	uint32_t fl = msg->flags;
	int kind = sftp_req_path(x, msg, 0, name);
	int wr = (fl & (SSH_FXF_WRITE | SSH_FXF_APPEND | SSH_FXF_CREAT | SSH_FXF_TRUNC)) != 0;
	struct mmp_err err;

	mmp_err_clear(&err);
	if (kind == SFTP_PATH_BAD) {
		if (wr)
			sftp_audit(x, "put (a path outside the file store)", "refused");
		return 0;
	}
	if (kind == SFTP_PATH_ROOT)
		return sftp_status(x, msg, SSH_FX_FAILURE, "that is the file store: give a file name");
	if ((fl & SSH_FXF_READ) && wr)
		return sftp_status(x, msg, SSH_FX_OP_UNSUPPORTED,
				   "open a file to read or to write, not both");
	/* SPEC §4: the name says why it is refused and proposes a valid one */
	if (store_check_name(name, STORE_ANY, &err) != MMP_OK) {
		if (wr) {
			snprintf(line, sizeof(line), "put %s", name);
			sftp_audit(x, line, "refused");
		}
		return sftp_status(x, msg, wr ? SSH_FX_PERMISSION_DENIED : SSH_FX_NO_SUCH_FILE,
				   err.msg);
	}
	return wr ? open_write(x, msg, name) : open_read(x, msg, name);
}

int sftp_op_close(struct sftp_ctx *x, sftp_client_message msg)
{
	struct sftp_h *h = sftp_h_get(x, msg);
	struct mmp_err err;
	char line[96];
	enum mmp_rc rc;

	mmp_err_clear(&err);
	if (h == NULL)
		return sftp_status(x, msg, SSH_FX_FAILURE, "invalid handle");
	if (h->kind != H_WRITE) {
		sftp_h_free(h);
		return sftp_status(x, msg, SSH_FX_OK, NULL);
	}
	snprintf(line, sizeof(line), "put %s", h->name);
	rc = store_upload_commit(h->up, &err);
	h->up = NULL; /* the commit freed it */
	if (rc != MMP_OK && h->why[0] != '\0')
		snprintf(err.msg, sizeof(err.msg), "%s", h->why);
	sftp_audit(x, line, rc == MMP_OK ? "ok" : "failed");
	sftp_h_free(h);
	return rc == MMP_OK ? sftp_status(x, msg, SSH_FX_OK, NULL) : fail_err(x, msg, &err);
}

int sftp_op_read(struct sftp_ctx *x, sftp_client_message msg)
{
	struct sftp_h *h = sftp_h_get(x, msg);
	unsigned char buf[SFTP_READ_MAX];
	size_t n;
	ssize_t got;

	if (h == NULL || h->kind != H_READ)
		return sftp_status(x, msg, SSH_FX_FAILURE, "invalid handle");
	if (msg->offset >= h->fsize)
		return sftp_status(x, msg, SSH_FX_EOF, NULL);
	n = msg->len < sizeof(buf) ? msg->len : sizeof(buf);
	if (n > h->fsize - msg->offset)
		n = (size_t)(h->fsize - msg->offset);
	do
		got = pread(h->fd, buf, n, (off_t)msg->offset);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return sftp_status(x, msg, SSH_FX_FAILURE, "the file could not be read");
	if (got == 0)
		return sftp_status(x, msg, SSH_FX_EOF, NULL);
	sftp_reply_data(msg, buf, (int)got);
	explicit_bzero(buf, (size_t)got); /* it may be a key */
	return 0;
}

int sftp_op_write(struct sftp_ctx *x, sftp_client_message msg)
{
	struct sftp_h *h = sftp_h_get(x, msg);
	struct mmp_err err;
	size_t len;

	mmp_err_clear(&err);
	if (h == NULL || h->kind != H_WRITE || msg->data == NULL)
		return sftp_status(x, msg, SSH_FX_FAILURE, "invalid handle");
	if (h->why[0] != '\0')
		return sftp_status(x, msg, SSH_FX_FAILURE, h->why);
	len = ssh_string_len(msg->data);
	if (store_upload_write(h->up, msg->offset, ssh_string_data(msg->data), len, &err) !=
	    MMP_OK) {
		snprintf(h->why, sizeof(h->why), "%.500s", err.msg);
		return fail_err(x, msg, &err);
	}
	if (msg->offset + len > h->size)
		h->size = msg->offset + len;
	return sftp_status(x, msg, SSH_FX_OK, NULL);
}

int sftp_op_stat(struct sftp_ctx *x, sftp_client_message msg)
{
	struct sftp_attributes_struct a;
	char name[STORE_NAME_MAX + 1];
	struct mmp_err err;
	int kind = sftp_req_path(x, msg, 0, name);

	if (kind == SFTP_PATH_BAD)
		return 0;
	if (kind == SFTP_PATH_FILE && store_check_name(name, STORE_ANY, &err) != MMP_OK)
		return sftp_status(x, msg, SSH_FX_NO_SUCH_FILE, err.msg);
	if (sftp_fill_attr(x, kind == SFTP_PATH_ROOT ? NULL : name, &a, NULL, 0) != 0)
		return sftp_status(x, msg, SSH_FX_NO_SUCH_FILE, "no such file in the file store");
	sftp_reply_attr(msg, &a);
	return 0;
}

int sftp_op_fstat(struct sftp_ctx *x, sftp_client_message msg)
{
	struct sftp_h *h = sftp_h_get(x, msg);
	struct sftp_attributes_struct a;

	if (h == NULL)
		return sftp_status(x, msg, SSH_FX_FAILURE, "invalid handle");
	if (h->kind == H_WRITE) {
		memset(&a, 0, sizeof(a));
		a.flags = SSH_FILEXFER_ATTR_SIZE | SSH_FILEXFER_ATTR_PERMISSIONS;
		a.size = h->size;
		a.permissions = 0100600;
	} else if (sftp_fill_attr(x, h->kind == H_DIR ? NULL : h->name, &a, NULL, 0) != 0) {
		return sftp_status(x, msg, SSH_FX_NO_SUCH_FILE, "no such file in the file store");
	} else if (h->kind == H_READ) {
		a.size = h->fsize; /* what this handle reads */
	}
	sftp_reply_attr(msg, &a);
	return 0;
}

int sftp_op_opendir(struct sftp_ctx *x, sftp_client_message msg)
{
	char name[STORE_NAME_MAX + 1];
	int kind = sftp_req_path(x, msg, 0, name);
	struct sftp_h *h;
	ssh_string hs;

	if (kind == SFTP_PATH_BAD)
		return 0;
	if (kind == SFTP_PATH_FILE)
		return sftp_status(x, msg, SSH_FX_NO_SUCH_FILE,
				   "the file store is flat: it has no folders");
	if ((h = sftp_h_new(x, H_DIR, &hs)) == NULL)
		return sftp_status(x, msg, SSH_FX_FAILURE, "too many open files: close some first");
	return reply_handle(x, msg, h, hs);
}

/* The store's files, READDIR_CHUNK per reply; h->len is where to go on. */
int sftp_op_readdir(struct sftp_ctx *x, sftp_client_message msg)
{
	struct sftp_h *h = sftp_h_get(x, msg);
	struct sftp_attributes_struct a;
	struct mmp_err err;
	char **names = NULL, longname[256];
	size_t n = 0, i, sent = 0;

	if (h == NULL || h->kind != H_DIR)
		return sftp_status(x, msg, SSH_FX_FAILURE, "invalid handle");
	if (store_list(x->ss.store, &names, &n, &err) != MMP_OK)
		return fail_err(x, msg, &err);
	for (i = h->len; i < n && sent < READDIR_CHUNK; i++) {
		if (sftp_fill_attr(x, names[i], &a, longname, sizeof(longname)) != 0)
			continue; /* removed meanwhile */
		sftp_reply_names_add(msg, names[i], longname, &a);
		sent++;
	}
	h->len = i;
	store_list_free(names);
	if (sent == 0)
		return sftp_status(x, msg, SSH_FX_EOF, NULL);
	sftp_reply_names(msg);
	return 0;
}

int sftp_op_realpath(struct sftp_ctx *x, sftp_client_message msg)
{
	struct sftp_attributes_struct a;
	char name[STORE_NAME_MAX + 1], path[STORE_NAME_MAX + 2];
	int kind = sftp_req_path(x, msg, 0, name);

	if (kind == SFTP_PATH_BAD)
		return 0;
	snprintf(path, sizeof(path), "/%s", kind == SFTP_PATH_ROOT ? "" : name);
	if (sftp_fill_attr(x, kind == SFTP_PATH_ROOT ? NULL : name, &a, NULL, 0) != 0)
		memset(&a, 0, sizeof(a));
	sftp_reply_name(msg, path, &a);
	return 0;
}

int sftp_op_remove(struct sftp_ctx *x, sftp_client_message msg)
{
	char name[STORE_NAME_MAX + 1], line[96];
	struct mmp_err err;
	enum mmp_rc rc;
	int kind = sftp_req_path(x, msg, 0, name);

	mmp_err_clear(&err);
	if (kind == SFTP_PATH_BAD)
		return 0;
	if (kind == SFTP_PATH_ROOT)
		return sftp_status(x, msg, SSH_FX_PERMISSION_DENIED, "the file store cannot be removed");
	snprintf(line, sizeof(line), "rm %s", name);
	if ((rc = store_check_name(name, STORE_ANY, &err)) == MMP_OK && !store_exists(x->ss.store, name))
		rc = mmp_err_set(&err, MMP_ERR_NOENT, "%s: no such file in the file store", name);
	if (rc == MMP_OK)
		rc = store_remove(x->ss.store, name, &err);
	sftp_audit(x, line, rc == MMP_OK ? "ok" : rc == MMP_ERR_NOENT ? "failed" : "refused");
	return rc == MMP_OK ? sftp_status(x, msg, SSH_FX_OK, NULL) : fail_err(x, msg, &err);
}

/* RENAME (strings 0 and 1) or posix-rename (strings 1 and 2, may replace). */
static int do_rename(struct sftp_ctx *x, sftp_client_message msg, int first, int replace)
{
	char from[STORE_NAME_MAX + 1], to[STORE_NAME_MAX + 1], line[160];
	struct mmp_err err;
	enum mmp_rc rc;
	int k1 = sftp_req_path(x, msg, first, from), k2;

	mmp_err_clear(&err);
	if (k1 == SFTP_PATH_BAD || (k2 = sftp_req_path(x, msg, first + 1, to)) == SFTP_PATH_BAD) {
		sftp_audit(x, "rename (a path outside the file store)", "refused");
		return 0;
	}
	if (k1 != SFTP_PATH_FILE || k2 != SFTP_PATH_FILE)
		return sftp_status(x, msg, SSH_FX_PERMISSION_DENIED,
				   "only files of the store can be renamed, within the store");
	snprintf(line, sizeof(line), "rename %s %s", from, to);
	rc = store_rename(x->ss.store, from, to, replace, &err);
	sftp_audit(x, line, rc == MMP_OK ? "ok" : "refused");
	return rc == MMP_OK ? sftp_status(x, msg, SSH_FX_OK, NULL) : fail_err(x, msg, &err);
}

int sftp_op_rename(struct sftp_ctx *x, sftp_client_message msg)
{
	return do_rename(x, msg, 0, 0);
}

int sftp_op_refuse(struct sftp_ctx *x, sftp_client_message msg)
{
	const char *why = "the file store holds no symbolic links";
	char line[120];

	if (msg->type == SSH_FXP_MKDIR || msg->type == SSH_FXP_RMDIR)
		why = "the file store is flat: no folders can be made or removed";
	if (msg->type != SSH_FXP_READLINK) {
		snprintf(line, sizeof(line), "%s %.64s",
			 msg->type == SSH_FXP_MKDIR ? "mkdir" : msg->type == SSH_FXP_RMDIR ? "rmdir" : "symlink",
			 msg->filename ? msg->filename : "");
		sftp_audit(x, line, "refused");
	}
	return sftp_status(x, msg, SSH_FX_PERMISSION_DENIED, why);
}

int sftp_op_setstat(struct sftp_ctx *x, sftp_client_message msg)
{
	/* put -p sends FSETSTAT on the open upload: accepted, changes nothing */
	if (msg->type == SSH_FXP_FSETSTAT && sftp_h_get(x, msg) != NULL)
		return sftp_status(x, msg, SSH_FX_OK, NULL);
	return sftp_status(x, msg, SSH_FX_PERMISSION_DENIED,
			   "modes, owners and times of the store's files are set by mmp");
}

int sftp_op_extended(struct sftp_ctx *x, sftp_client_message msg)
{
	const char *ext = sftp_client_message_get_submessage(msg);

	if (ext != NULL && strcmp(ext, "posix-rename@openssh.com") == 0)
		return do_rename(x, msg, 1, 1);
	if (ext != NULL && strcmp(ext, "hardlink@openssh.com") == 0) {
		sftp_audit(x, "hardlink", "refused");
		return sftp_status(x, msg, SSH_FX_PERMISSION_DENIED,
				   "the file store holds no hard links");
	}
	return sftp_status(x, msg, SSH_FX_OP_UNSUPPORTED, "this extension is not supported");
}
