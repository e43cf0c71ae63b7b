/*
 * server.h: mmp-sshd as a library call for its thin main (src/sshd_main.c):
 * the options, and the server that listens, forks one process per
 * connection and stops on SIGTERM. No libssh type crosses this header.
 */
#ifndef MMP_SSH_SERVER_H
#define MMP_SSH_SERVER_H

#define SSHD_LISTEN_MAX 8
#define SSHD_DEFAULT_LISTEN "127.0.0.1:2222"

struct sshd_options {
	const char *root;                   /* node root, absolute */
	const char *listen[SSHD_LISTEN_MAX]; /* "ADDR:PORT", "[ADDR]:PORT"; port 0 = any free port */
	int nlisten;                        /* 0 = SSHD_DEFAULT_LISTEN */
	int foreground;                     /* log to stderr, do not detach */
};

/* Is spec an ADDR:PORT that --listen takes (port 0..65535)? 1 or 0. */
int sshd_listen_valid(const char *spec);

/* Run the server until SIGTERM or SIGINT. Makes the host keys on first start
 * (<root>/ssh/, mode 0600), binds every listen address, then serves.
 * Returns the exit status: 0 after a clean stop, 1 when it could not
 * start (the reason is logged). */
int sshd_serve(const struct sshd_options *opts);

#endif
