/*
 * conn.h: what the files of src/ssh/ share about one SSH connection: its
 * state from authentication to the end of its one session channel, the
 * log, and the modes a session runs in (exec, script, pty shell, sftp).
 * libssh types stay inside src/ssh/.
 */
#ifndef MMP_SSH_CONN_H
#define MMP_SSH_CONN_H

#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/types.h>

#include <libssh/libssh.h>
#include <libssh/server.h>

#include "mmp/cmd.h"
#include "mmp/users.h"

#define SSHD_AUTH_TRIES 3        /* issue 4: authentication attempts per connection */
#define SSHD_LOGIN_SECONDS 30    /* issue 4: time to finish logging in */
#define SSHD_PREAUTH_MAX 10      /* issue 4: connections still logging in at once */
#define SSHD_FAIL_FLOOR_MS 400   /* every failed password reply takes this long */

/* ---- log.c ---- */
void sshd_log_init(int foreground);
void sshd_log(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- hostkey.c ---- */
/* Make (first start) and load the host keys of <root>/ssh/ into bind. */
int sshd_hostkeys_load(ssh_bind bind, const char *root);

enum sshd_mode {
	SSHD_MODE_NONE = 0,
	SSHD_MODE_EXEC,   /* one command line */
	SSHD_MODE_SCRIPT, /* shell without a pty: script mode */
	SSHD_MODE_PTY,    /* shell with a pty: the REPL */
	SSHD_MODE_SFTP,   /* the sftp subsystem */
};

struct sshd_conn {
	const char *root;
	ssh_session session;
	ssh_event event;
	ssh_channel channel;
	char source[64];           /* peer address */
	/* authentication */
	int authed;
	int failures;
	char user[USER_NAME_MAX + 1];
	unsigned role;
	/* the session channel */
	enum sshd_mode mode;
	char *command;             /* exec: the command line (malloc'd) */
	int pty;                   /* a pty was requested */
	char term[64];
	struct winsize ws;
	int pty_master;            /* -1 when none */
	int eof, closed;           /* the client sent EOF / closed the channel */
};

/* ---- auth.c ---- */
/* Install the login callbacks (before the key exchange). */
void sshd_auth_prepare(struct sshd_conn *c);
/* Authenticate: password or public key (<user>.pub in the store), at most
 * SSHD_AUTH_TRIES attempts, every attempt audited. Returns 0 once the user is
 * logged in and a session channel is open, -1 to drop the connection. */
int sshd_auth(struct sshd_conn *c);

/* ---- authkeys.c ---- */
/* Does key match the OpenSSH public key line in <user>.pub of the store,
 * and is that key strong enough (RSA >= 2048 bits)? 1 yes, 0 no. */
int sshd_key_allowed(const char *root, const char *user, ssh_key key);

/* ---- chanio.c ---- */
/* stdio streams over the channel (fopencookie): writes block until sent,
 * reads block until data or EOF. Close with fclose(). */
FILE *sshd_chan_writer(ssh_channel ch, int is_stderr);
FILE *sshd_chan_reader(ssh_channel ch);

/* ---- channel.c ---- */
/* Serve the session channel: wait for its request, run it, send the exit
 * status and close. Returns when the channel is done. */
void sshd_channel_serve(struct sshd_conn *c);
/* A session for the logged-in user over both stores. */
enum mmp_rc sshd_session_open(struct sshd_conn *c, struct mmp_session *ss, struct mmp_err *err);

/* ---- pty.c ---- */
/* The interactive shell on a pty; returns the exit status. */
int sshd_pty_shell(struct sshd_conn *c);

/* ---- sftp.c ---- */
/* The sftp subsystem over the file store; returns the exit status. */
int sshd_sftp_serve(struct sshd_conn *c);

/* ---- conn.c ---- */
/* Serve one accepted connection in its own process; never returns. */
void sshd_connection(ssh_bind bind, int fd, const char *source, const char *root,
		     int preauth_fd) __attribute__((noreturn));

#endif
