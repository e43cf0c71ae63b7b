/*
 * conn.h: what the files of src/ssh/ share about one SSH connection: its
 * state from authentication to the end of its session channels, the log,
 * and the modes a session channel runs in (exec, script, pty shell, sftp).
 * libssh types stay inside src/ssh/.
 *
 * A connection serves a few session channels at once (at most
 * channels_per_connection): a shell and SFTP side by side on one
 * connection, as an OpenSSH ControlMaster or Ansible's network_cli opens
 * them. Each channel has a struct sshd_conn of its own: the connection's
 * facts (session, user, role, limits) copied, its channel state fresh;
 * chans.c serves them side by side. The connection ends with its first
 * channel.
 */
#ifndef MMP_SSH_CONN_H
#define MMP_SSH_CONN_H

#include <stdint.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <time.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>

#include "mmp/cmd.h"
#include "mmp/users.h"

#define SSHD_AUTH_TRIES 3        /* issue 4: authentication attempts per connection */
#define SSHD_FAIL_FLOOR_MS 400   /* every failed password reply takes this long */
#define SSHD_CHANNELS_MAX 16     /* channels_per_connection at most */

struct sshd_limits;

/* ---- log.c ---- */
void sshd_log_init(int foreground);
void sshd_log(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* 1 when the log goes to stderr (the foreground), 0 for syslog. */
int sshd_log_to_stderr(void);

/* ---- hostkey.c ---- */
/* Make (first start) and load the host keys of <root>/ssh/ into bind;
 * fps gets their fingerprints, "ED25519 SHA256:..., RSA SHA256:..." (the
 * key type and fingerprint as ssh-keygen -l shows them). 0, or -1 logged. */
int sshd_hostkeys_load(ssh_bind bind, const char *root, char *fps, size_t size);

enum sshd_mode {
	SSHD_MODE_NONE = 0,
	SSHD_MODE_EXEC,   /* one command line */
	SSHD_MODE_SCRIPT, /* shell without a pty: script mode */
	SSHD_MODE_PTY,    /* shell with a pty: the REPL */
	SSHD_MODE_SFTP,   /* the sftp subsystem */
};

struct sshd_conn {
	struct sshd_conn *top;     /* the connection's first channel: what all share */
	const char *root;
	const struct sshd_limits *lim;
	int ctl;                   /* control socket to the listener (server_int.h) */
	char refused[256];         /* the listener refused a session: why */
	int idle;                  /* the session ended for want of input */
	time_t last_input;         /* when the client last sent data (monotonic s) */
	ssh_session session;
	ssh_event event;
	ssh_channel channel;
	char source[64];           /* peer address */
	/* authentication */
	int authed;
	int failures;
	char user[USER_NAME_MAX + 1];
	unsigned role;
	/* kept in top: the open channels, top itself first */
	struct sshd_conn *chans[SSHD_CHANNELS_MAX];
	int nchans;
	/* the session channel */
	struct ssh_channel_callbacks_struct cb; /* lives as long as the channel */
	enum sshd_mode mode;
	char *command;             /* exec: the command line (malloc'd) */
	int pty;                   /* a pty was requested */
	char term[64];
	struct winsize ws;
	int pty_master;            /* -1 when none */
	int eof, closed;           /* the client sent EOF / closed the channel */
	enum { CH_REQUEST, CH_RUNNING, CH_ENDED } state;
	time_t deadline;           /* CH_REQUEST: the request must come by then */
	int busy;                  /* exec or script running (up the stack): not stepped */
	int status;                /* exit status to send; -1 none (no request came) */
	pid_t pty_pid;             /* pty mode: the REPL's process */
	int pty_done;              /* pty mode: the pty master reached its end */
	int pty_output;            /* pty mode: the REPL wrote since the last look */
	int pty_quiet;             /* pty mode: quiet rounds since the client's EOF */
	struct sftp_ctx *sftp;     /* sftp mode */
	int more;                  /* sftp mode: whole requests wait to be served */
	/* The channel's input as it arrives (channel.c on_data), in offsets
	 * of the stream: libssh reads a whole SFTP request into memory as its
	 * length field says (up to 256 MiB, three copies), so each length is
	 * checked as it arrives, before anything reads the request. */
	struct ssh_counter_struct counter; /* in_bytes: input consumed */
	uint64_t dropped;          /* of which dropped by on_data (stderr, refused input) */
	uint64_t seen;             /* input on_data has looked at */
	uint64_t sftp_next;        /* where the next request's length field starts */
	uint64_t sftp_last;        /* where the last length field read started */
	unsigned char sftp_len[4];
	uint32_t sftp_over;        /* a request's length over sftp_packet_bytes; 0 none */
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
 * reads block until data or EOF, or until the client sent nothing for
 * idle_seconds of the limits (then c->idle is set and the read is EOF).
 * Close with fclose(). */
FILE *sshd_chan_writer(ssh_channel ch, int is_stderr);
FILE *sshd_chan_reader(struct sshd_conn *c);
/* Seconds of the monotonic clock (for idle times). */
time_t sshd_now(void);
/* End the session for want of input: c->idle, a line on stderr, the log. */
void sshd_idle_end(struct sshd_conn *c, const char *eol);

/* ---- channel.c ---- */
/* A session channel's callbacks, set the moment it opens (auth.c), before
 * any request for it can arrive. */
void sshd_chan_prepare(struct sshd_conn *c);
/* Start the request the channel got: 0 when it runs on (pty, sftp: see
 * chans.c), or its exit status when it ran to its end here
 * (exec and script, refusals). */
int sshd_chan_begin(struct sshd_conn *c);
/* Read the SFTP framing of input that arrived (data[0..len), at stream
 * offset sshd_input_pos()): each request's length field as it comes;
 * one over sftp_packet_bytes sets sftp_over. */
void sshd_sftp_frame(struct sshd_conn *c, const unsigned char *data, uint32_t len);
/* The offset of the stream's input not yet consumed. */
uint64_t sshd_input_pos(const struct sshd_conn *c);
/* A session for the logged-in user over both stores. */
enum mmp_rc sshd_session_open(struct sshd_conn *c, struct mmp_session *ss, struct mmp_err *err);

/* ---- chans.c ---- */
/* A channel opened after the first: a struct of its own with the
 * connection's facts (top's), in top's list; NULL when over
 * channels_per_connection or out of memory (the open is refused). */
struct sshd_conn *sshd_chan_add(struct sshd_conn *top, ssh_channel ch);
/* Serve the connection's channels until its first one ends (or the client
 * goes), then end the others. */
void sshd_channels_serve(struct sshd_conn *top);
/* Give every channel of the connection that can go on without waiting its
 * turn (called by a channel that waits for input: chanio.c); 1 when one
 * has more to do at once. */
int sshd_service(struct sshd_conn *top);

/* ---- pty.c ---- */
/* The interactive shell on a pty: start it (0, or -1), one step (1 when
 * it has ended), and its end (the exit status). */
int sshd_pty_start(struct sshd_conn *c);
int sshd_pty_step(struct sshd_conn *c);
int sshd_pty_finish(struct sshd_conn *c);

/* ---- sftp.c ---- */
/* The sftp subsystem over the file store: start it (NULL when it
 * cannot), serve the requests that have arrived (1 when it has ended, 2
 * when more have arrived than one step serves, 0 when it waits), and its
 * end (the exit status). */
struct sftp_ctx;
struct sftp_ctx *sshd_sftp_start(struct sshd_conn *c);
int sshd_sftp_step(struct sftp_ctx *x);
int sshd_sftp_finish(struct sftp_ctx *x);

/* ---- conn.c ---- */
/* Serve one accepted connection in its own process; never returns. ctl is
 * its control socket to the listener. */
void sshd_connection(ssh_bind bind, int fd, const char *source, const char *root, int ctl,
		     const struct sshd_limits *lim) __attribute__((noreturn));
/* Ask the listener (msg: see server_int.h); the answer goes to ans
 * (NUL-terminated). 0, or -1 when the listener did not answer. */
int sshd_ask(struct sshd_conn *c, const char *msg, char *ans, size_t size);
/* Tell the listener, expecting no answer. */
void sshd_tell(struct sshd_conn *c, const char *msg);

#endif
