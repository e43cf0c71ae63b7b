/*
 * sftp.c: the sftp subsystem over the file store (issue 4; OpenSSH
 * sftp-server.c's shape): one table of requests, the store's access table
 * deciding every file operation (issue 10), our own handle table
 * (checked index and generation), paths mapped by sftp_path_map(), and
 * every change audited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "mmp/text.h"
#include "mmp/config.h"
#include "server.h"
#include "sftp_int.h"
#include "sftp_path.h"

/* Every request and its function. No request decides access itself: the
 * store asks the access table (mmp/access.h) for every file operation. */
static const struct sftp_op {
	uint8_t type;
	int (*fn)(struct sftp_ctx *x, sftp_client_message msg);
} ops[] = {
	{ SSH_FXP_OPEN, sftp_op_open },
	{ SSH_FXP_CLOSE, sftp_op_close },
	{ SSH_FXP_READ, sftp_op_read },
	{ SSH_FXP_WRITE, sftp_op_write },
	{ SSH_FXP_LSTAT, sftp_op_stat },
	{ SSH_FXP_STAT, sftp_op_stat },
	{ SSH_FXP_FSTAT, sftp_op_fstat },
	{ SSH_FXP_SETSTAT, sftp_op_setstat },
	{ SSH_FXP_FSETSTAT, sftp_op_setstat },
	{ SSH_FXP_OPENDIR, sftp_op_opendir },
	{ SSH_FXP_READDIR, sftp_op_readdir },
	{ SSH_FXP_REMOVE, sftp_op_remove },
	{ SSH_FXP_MKDIR, sftp_op_refuse },
	{ SSH_FXP_RMDIR, sftp_op_refuse },
	{ SSH_FXP_REALPATH, sftp_op_realpath },
	{ SSH_FXP_RENAME, sftp_op_rename },
	{ SSH_FXP_READLINK, sftp_op_refuse },
	{ SSH_FXP_SYMLINK, sftp_op_refuse },
	{ SSH_FXP_EXTENDED, sftp_op_extended },
};

uint32_t sftp_code(enum mmp_rc rc)
{
	switch (rc) {
	case MMP_OK: return SSH_FX_OK;
	case MMP_ERR_NOENT: return SSH_FX_NO_SUCH_FILE;
	case MMP_ERR_NAME:
	case MMP_ERR_DENIED:
	case MMP_ERR_IN_USE: return SSH_FX_PERMISSION_DENIED;
	default: return SSH_FX_FAILURE;
	}
}

/* A refusal's reason goes to the channel's stderr, which the OpenSSH sftp
 * client shows (it prints only the status code's own text), once per
 * distinct reason within one client command (sftp_dispatch resets it).
 * The reason is sent and flushed before the status: the client's ssh
 * writes it out before sftp reads the status, prints its own line and the
 * next prompt (issue 11: it came after the prompt). */
int sftp_status(struct sftp_ctx *x, sftp_client_message msg, uint32_t code, const char *text)
{
	char line[1100], shown[1040];
	int n;

	if (text != NULL && code != SSH_FX_OK && code != SSH_FX_EOF &&
	    code != SSH_FX_NO_SUCH_FILE && strcmp(text, x->last_why) != 0) {
		snprintf(x->last_why, sizeof(x->last_why), "%s", text);
		n = snprintf(line, sizeof(line), "mmp: %s\n", text_escape(text, shown, sizeof(shown), 0));
		if (n > 0 && ssh_channel_write_stderr(x->c->channel, line,
						      (uint32_t)(n < (int)sizeof(line) ? n : (int)sizeof(line) - 1)) > 0)
			ssh_blocking_flush(x->c->session, 5000);
	}
	sftp_reply_status(msg, code, text == NULL ? NULL : text_escape(text, shown, sizeof(shown), 0));
	return 0;
}

/* Paths come from the client: control bytes, C1 and invalid UTF-8 reach
 * the audit log escaped (text_escape). */
void sftp_audit(struct sftp_ctx *x, const char *line, const char *result)
{
	struct mmp_err err;
	char clean[512];

	text_escape(line, clean, sizeof(clean), 0);
	if (audit_add(x->ss.cfg, x->c->user, x->c->source, "sftp", clean, result, &err) != MMP_OK)
		sshd_log(LOG_ERR, "%s: cannot write the audit log: %s", x->c->source, err.msg);
}

/* ---- handles: 4 bytes of index and 4 of generation, both checked ---- */

struct sftp_h *sftp_h_new(struct sftp_ctx *x, enum sftp_h_kind kind, ssh_string *handle)
{
	unsigned char raw[8];
	unsigned i;

	*handle = NULL;
	for (i = 0; i < SFTP_HANDLE_MAX && x->h[i].kind != H_FREE; i++)
		;
	if (i == SFTP_HANDLE_MAX || (*handle = ssh_string_new(sizeof(raw))) == NULL)
		return NULL;
	x->h[i].gen++;
	x->h[i].fd = -1;
	memcpy(raw, &i, 4);
	memcpy(raw + 4, &x->h[i].gen, 4);
	ssh_string_fill(*handle, raw, sizeof(raw));
	x->h[i].kind = kind;
	return &x->h[i];
}

struct sftp_h *sftp_h_get(struct sftp_ctx *x, sftp_client_message msg)
{
	unsigned i, gen;

	if (msg->handle == NULL || ssh_string_len(msg->handle) != 8)
		return NULL;
	memcpy(&i, ssh_string_data(msg->handle), 4);
	memcpy(&gen, (unsigned char *)ssh_string_data(msg->handle) + 4, 4);
	if (i >= SFTP_HANDLE_MAX || x->h[i].kind == H_FREE || x->h[i].gen != gen)
		return NULL;
	return &x->h[i];
}

void sftp_h_free(struct sftp_h *h)
{
	unsigned gen = h->gen;

	if (h->kind == H_READ && h->fd >= 0)
		close(h->fd);
	store_upload_abort(h->up);
	memset(h, 0, sizeof(*h));
	h->gen = gen;
}

/* Length of the i-th string of the request as sent (the strings follow the
 * 4-byte id), or -1: libssh gives C strings, which hide a NUL inside. */
static long raw_len(sftp_client_message msg, int i)
{
	const unsigned char *p;
	size_t total, off = 4;
	unsigned long n = 0;

	if (msg->complete_message == NULL)
		return -1;
	p = ssh_buffer_get(msg->complete_message);
	total = ssh_buffer_get_len(msg->complete_message);
	for (;;) {
		if (off + 4 > total)
			return -1;
		n = (unsigned long)p[off] << 24 | (unsigned long)p[off + 1] << 16 |
		    (unsigned long)p[off + 2] << 8 | p[off + 3];
		if (n > total - off - 4)
			return -1;
		if (i-- == 0)
			return (long)n;
		off += 4 + n;
	}
}

int sftp_req_path(struct sftp_ctx *x, sftp_client_message msg, int i, char *name)
{
	const char *path = NULL, *why;
	long len = raw_len(msg, i);
	int kind;

	if (msg->type == SSH_FXP_EXTENDED)
		path = i == 1 ? msg->filename : sftp_client_message_get_data(msg);
	else
		path = i == 0 ? msg->filename : sftp_client_message_get_data(msg);
	if (path == NULL || len < 0) {
		sftp_status(x, msg, SSH_FX_BAD_MESSAGE, "the request has no path");
		return SFTP_PATH_BAD;
	}
	kind = sftp_path_map(path, (size_t)len, name, STORE_NAME_MAX + 1, &why);
	if (kind == SFTP_PATH_BAD)
		sftp_status(x, msg, SSH_FX_PERMISSION_DENIED, why);
	return kind;
}

static void perms_str(unsigned mode, char *s)
{
	static const char rwx[] = "rwxrwxrwx";
	int i;

	s[0] = S_ISDIR(mode) ? 'd' : '-';
	for (i = 0; i < 9; i++)
		s[i + 1] = (mode & (0400u >> i)) ? rwx[i] : '-';
	s[10] = '\0';
}

int sftp_fill_attr(struct sftp_ctx *x, const char *name, struct sftp_attributes_struct *a,
		   char *longname, size_t size)
{
	struct store_stat st;
	struct mmp_err err;
	char perms[11], when[32];
	time_t mt;
	struct tm tm;

	memset(a, 0, sizeof(*a));
	if (store_stat(x->ss.store, name, &st, &err) != MMP_OK)
		return -1;
	a->flags = SSH_FILEXFER_ATTR_SIZE | SSH_FILEXFER_ATTR_UIDGID |
		   SSH_FILEXFER_ATTR_PERMISSIONS | SSH_FILEXFER_ATTR_ACMODTIME;
	a->type = S_ISDIR(st.mode) ? SSH_FILEXFER_TYPE_DIRECTORY : SSH_FILEXFER_TYPE_REGULAR;
	a->size = st.size;
	a->uid = st.uid;
	a->gid = st.gid;
	a->permissions = st.mode;
	a->atime = (uint32_t)st.atime;
	a->mtime = (uint32_t)st.mtime;
	if (longname != NULL) {
		mt = (time_t)st.mtime;
		gmtime_r(&mt, &tm);
		strftime(when, sizeof(when), "%b %d %H:%M", &tm);
		perms_str(st.mode, perms);
		snprintf(longname, size, "%s    1 mmp      mmp      %8llu %s %s", perms, st.size, when,
			 name ? name : ".");
	}
	return 0;
}

static void dispatch(struct sftp_ctx *x, sftp_client_message msg)
{
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (ops[i].type == msg->type)
			break;
	/* a request that starts a client command (not the reads, writes and
	 * close of an open handle): its refusal's reason is shown even when
	 * the command before was refused for the same one */
	if (msg->type != SSH_FXP_READ && msg->type != SSH_FXP_WRITE && msg->type != SSH_FXP_CLOSE &&
	    msg->type != SSH_FXP_READDIR && msg->type != SSH_FXP_FSTAT && msg->type != SSH_FXP_FSETSTAT)
		x->last_why[0] = '\0';
	if (i == sizeof(ops) / sizeof(ops[0])) {
		sftp_status(x, msg, SSH_FX_OP_UNSUPPORTED, "this request is not supported");
		return;
	}
	ops[i].fn(x, msg);
}

/* 1 when the request at the head of the channel's input has arrived
 * whole (channel.c read its length field as it came). */
static int request_arrived(const struct sshd_conn *c)
{
	uint64_t at = sshd_input_pos(c);

	if (at >= c->sftp_next) /* its length field has not come yet */
		return 0;
	if (c->sftp_next <= c->seen) /* every request whose length came is whole */
		return 1;
	return at < c->sftp_last; /* only the last one is still coming */
}

/* Has the next request arrived whole, so that libssh's sftp_server_init
 * and sftp_get_client_message never wait inside one (there they would
 * wait without a time limit, after allocating what its length field
 * says)? 1 when it has; 0 not yet; -1 when the session ends: a request
 * longer than sftp_packet_bytes (refused unread, as OpenSSH's sftp-server
 * refuses requests over 256 KiB), no input for idle_seconds, or the
 * client's EOF. */
static int request_ready(struct sftp_ctx *x)
{
	struct sshd_conn *c = x->c;
	char line[200];
	int n;

	if (c->sftp_over != 0) {
		sshd_log(LOG_WARNING,
			 "%s: %s: sftp: a request of %lu bytes, over the limit of %d (sftp_packet_bytes): session ended unread",
			 c->source, c->user, (unsigned long)c->sftp_over, c->lim->sftp_packet_bytes);
		n = snprintf(line, sizeof(line),
			     "mmp: an SFTP request of %lu bytes is over the limit of %d bytes: the session ends\n",
			     (unsigned long)c->sftp_over, c->lim->sftp_packet_bytes);
		if (n > 0 && ssh_channel_write_stderr(c->channel, line, (uint32_t)n) > 0)
			ssh_blocking_flush(c->session, 5000);
		x->refused = 1;
		return -1;
	}
	if (request_arrived(c))
		return 1;
	if (c->eof || c->closed || !ssh_channel_is_open(c->channel))
		return -1;
	/* a session without input for idle_seconds ends (issue 10) */
	if (sshd_now() - c->last_input > c->lim->idle_seconds) { /* whole seconds: never early */
		sshd_idle_end(c, "\n");
		return -1;
	}
	return 0;
}

struct sftp_ctx *sshd_sftp_start(struct sshd_conn *c)
{
	struct sftp_ctx *x = calloc(1, sizeof(*x));
	struct mmp_err err;

	if (x == NULL)
		return NULL;
	x->c = c;
	mmp_err_clear(&err);
	if (sshd_session_open(c, &x->ss, &err) != MMP_OK) {
		sshd_log(LOG_ERR, "%s: sftp: %s", c->source, err.msg);
		free(x);
		return NULL;
	}
	if ((x->sftp = sftp_server_new(c->session, c->channel)) == NULL) {
		cli_session_close(&x->ss);
		free(x);
		return NULL;
	}
	return x;
}

int sshd_sftp_step(struct sftp_ctx *x)
{
	sftp_client_message msg;
	int r, n;

	/* the requests that have arrived, a few at a time: the connection's
	 * other channels get their turn between */
	for (n = 0; n < 16 && (r = request_ready(x)) == 1; n++) {
		if (!x->inited) {
			if (sftp_server_init(x->sftp) != 0) {
				sshd_log(LOG_WARNING, "%s: sftp: no handshake: %s", x->c->source,
					 ssh_get_error(x->c->session));
				x->refused = 1; /* exit status 1 */
				return 1;
			}
			x->inited = 1;
			continue;
		}
		if ((msg = sftp_get_client_message(x->sftp)) == NULL)
			return 1;
		if (cli_session_user_gone(&x->ss)) { /* deleted while logged in */
			sftp_status(x, msg, SSH_FX_PERMISSION_DENIED,
				    "your user was deleted or changed while logged in: the session ends");
			sftp_client_message_free(msg);
			return 1;
		}
		dispatch(x, msg);
		sftp_client_message_free(msg);
	}
	return n == 16 ? 2 : r < 0;
}

int sshd_sftp_finish(struct sftp_ctx *x)
{
	int i, status = x->refused;

	for (i = 0; i < SFTP_HANDLE_MAX; i++) {
		if (x->h[i].kind == H_WRITE) {
			char line[96];
			snprintf(line, sizeof(line), "put %s (broken off)", x->h[i].name);
			sftp_audit(x, line, "failed");
		}
		if (x->h[i].kind != H_FREE)
			sftp_h_free(&x->h[i]);
	}
	sftp_server_free(x->sftp);
	cli_session_close(&x->ss);
	free(x);
	return status;
}
