/*
 * server.h: mmp-sshd as a library call for its thin main (src/sshd_main.c):
 * the options, and the server that listens, forks one process per
 * connection and stops on SIGTERM. No libssh type crosses this header.
 */
#ifndef MMP_SSH_SERVER_H
#define MMP_SSH_SERVER_H

#include <stddef.h>
#include <stdio.h>

#define SSHD_LISTEN_MAX 8
#define SSHD_DEFAULT_LISTEN "127.0.0.1:2222"

/* What outsiders and users can make the server hold (issue 10 items 2-4;
 * OpenSSH sshd_config's MaxStartups, PerSourceMaxStartups,
 * PerSourcePenalties, LoginGraceTime and ClientAliveInterval in spirit).
 * sshd_limits_default() gives the defaults docs/SECURITY.md lists. */
struct sshd_limits {
	int startups_begin;   /* connections logging in before random early drop (10) */
	int startups_rate;    /* % dropped at startups_begin (30) ... */
	int startups_full;    /* ... rising to 100% here (100) */
	int source_startups;  /* logging in at once from one source (4) */
	int queue_source;     /* waiting for a start, per source (16) ... */
	int queue_total;      /* ... and in all (64) */
	int queue_seconds;    /* longest wait before a start (10) */
	int kex_seconds;      /* to finish the key exchange (10) */
	int login_seconds;    /* to finish logging in, from connect (30) */
	int request_seconds;  /* for a session channel's request (10) */
	int idle_seconds;     /* a session without input ends (900) */
	int sftp_packet_bytes; /* longest SFTP request, its length field (262144) */
	int channels_per_connection; /* session channels open at once on a connection (4) */
	int max_sessions;     /* logged-in connections in all (128) ... */
	int admin_sessions;   /* ... of which kept for admins (16) */
	int user_sessions;    /* per user (32) */
	int source_sessions;  /* per source (64) */
	int penalty_free;     /* failed passwords from a source before penalties (5) */
	int penalty_seconds;  /* first refusal, doubled each time (5) ... */
	int penalty_max;      /* ... up to (600) */
	int penalty_forget;   /* failures forgotten after this long without one (900) */
};

void sshd_limits_default(struct sshd_limits *l);

/* Set one limit from "name=value" (the names of --limit, e.g.
 * "idle_seconds=60"); 0 when set, -1 with a message in why. */
int sshd_limit_set(struct sshd_limits *l, const char *spec, char *why, size_t size);

/* Print the limits, one "name=value  what it is" a line. */
void sshd_limits_print(const struct sshd_limits *l, FILE *fp);

struct sshd_options {
	const char *root;                   /* node root, absolute */
	const char *listen[SSHD_LISTEN_MAX]; /* "ADDR:PORT", "[ADDR]:PORT"; port 0 = any free port */
	int nlisten;                        /* 0 = SSHD_DEFAULT_LISTEN */
	int foreground;                     /* log to stderr, do not detach */
	const char *pidfile;                /* absolute path, or NULL */
	const char *metrics;                /* --metrics: absolute path, or NULL */
	int metrics_interval;               /* seconds between two writes of it */
	struct sshd_limits limits;
};

#define SSHD_METRICS_INTERVAL 60 /* seconds, --metrics-interval's default */

/* Is spec an ADDR:PORT that --listen takes (port 0..65535)? 1 or 0. */
int sshd_listen_valid(const char *spec);

/* --pidfile path (absolute): -1 with a message in why when it names a
 * live mmp-sshd other than this process, or its directory cannot take
 * the file; 0 when the server may start (a stale pidfile is replaced). */
int sshd_pidfile_check(const char *path, char *why, size_t size);

/* Run the server until SIGTERM or SIGINT. Makes the host keys on first start
 * (<root>/ssh/, mode 0600), binds every listen address, detaches unless
 * foreground, writes the pidfile (the serving process's id), logs one
 * "listening on" line with the host keys' fingerprints (and a warning
 * when no user can log in yet), then serves; the pidfile goes on a clean
 * stop. With metrics set, a child process rewrites that file at start and
 * every metrics_interval seconds (one at a time; issue 14).
 * Returns the exit status: 0 after a clean stop, 1 when it could not
 * start (the reason is logged). */
int sshd_serve(const struct sshd_options *opts);

#endif
