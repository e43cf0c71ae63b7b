/*
 * sftp_int.h: what sftp.c (session, handles, permission check) and
 * sftp_ops.c (one function per request) share.
 */
#ifndef MMP_SSH_SFTP_INT_H
#define MMP_SSH_SFTP_INT_H

#ifndef WITH_SERVER
#define WITH_SERVER /* libssh/sftp.h declares the server side only then */
#endif
#include <libssh/sftp.h>

#include "conn.h"
#include "mmp/store.h"

#define SFTP_HANDLE_MAX 32
#define SFTP_READ_MAX 65536 /* bytes in one READ reply */
#define SFTP_UPLOADS_MAX 3  /* uploads open at once: at most 30 MiB of temporaries */

enum sftp_h_kind { H_FREE = 0, H_DIR, H_READ, H_WRITE };

struct sftp_h {
	enum sftp_h_kind kind;
	unsigned gen;
	char name[STORE_NAME_MAX + 1];
	int fd;                     /* H_READ: the file, read with pread */
	unsigned long long fsize;   /* H_READ: its size when opened */
	size_t len;                 /* H_DIR: where the listing goes on */
	struct store_upload *up;    /* H_WRITE */
	unsigned long long size;    /* H_WRITE: bytes up to the highest written */
	char why[512];              /* H_WRITE: why it failed, "" while fine */
	int listed;                 /* H_DIR: the names were sent */
};

struct sftp_ctx {
	struct sshd_conn *c;
	sftp_session sftp;
	struct mmp_session ss;
	struct sftp_h h[SFTP_HANDLE_MAX];
	char last_why[1024]; /* the last reason written to stderr */
	int refused;          /* a request over sftp_packet_bytes ended the session */
	int inited;           /* the client's SSH_FXP_INIT was answered */
};

/* ---- sftp.c ---- */
struct sftp_h *sftp_h_new(struct sftp_ctx *x, enum sftp_h_kind kind, ssh_string *handle);
struct sftp_h *sftp_h_get(struct sftp_ctx *x, sftp_client_message msg);
void sftp_h_free(struct sftp_h *h);
/* Map the i-th path string of the request to the store: SFTP_PATH_FILE or
 * SFTP_PATH_ROOT, or an error status already sent (SFTP_PATH_BAD). */
int sftp_req_path(struct sftp_ctx *x, sftp_client_message msg, int i, char *name);
/* Reply with the status and message (a refusal's message also goes to the
 * channel's stderr, which the OpenSSH client shows). Returns 0. */
int sftp_status(struct sftp_ctx *x, sftp_client_message msg, uint32_t code, const char *text);
/* One "sftp" entry of the audit log for the logged-in user. */
void sftp_audit(struct sftp_ctx *x, const char *line, const char *result);
/* Attributes of a store file (name) or the store itself (NULL). */
int sftp_fill_attr(struct sftp_ctx *x, const char *name, struct sftp_attributes_struct *a,
		   char *longname, size_t size);
uint32_t sftp_code(enum mmp_rc rc);

/* ---- sftp_ops.c ---- */
int sftp_op_open(struct sftp_ctx *x, sftp_client_message msg);
int sftp_op_close(struct sftp_ctx *x, sftp_client_message msg);
int sftp_op_read(struct sftp_ctx *x, sftp_client_message msg);
int sftp_op_write(struct sftp_ctx *x, sftp_client_message msg);
int sftp_op_stat(struct sftp_ctx *x, sftp_client_message msg);
int sftp_op_fstat(struct sftp_ctx *x, sftp_client_message msg);
int sftp_op_opendir(struct sftp_ctx *x, sftp_client_message msg);
int sftp_op_readdir(struct sftp_ctx *x, sftp_client_message msg);
int sftp_op_realpath(struct sftp_ctx *x, sftp_client_message msg);
int sftp_op_remove(struct sftp_ctx *x, sftp_client_message msg);
int sftp_op_rename(struct sftp_ctx *x, sftp_client_message msg);
int sftp_op_refuse(struct sftp_ctx *x, sftp_client_message msg);
int sftp_op_setstat(struct sftp_ctx *x, sftp_client_message msg);
int sftp_op_extended(struct sftp_ctx *x, sftp_client_message msg);

#endif
