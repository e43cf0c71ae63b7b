/*
 * server_int.h: what the listening process's files share (server.c: the
 * sockets and the loop; admit.c: who may start, wait, log in and keep a
 * session, and the penalties per source address). Connection processes
 * talk to the listener over a SOCK_SEQPACKET pair (the control messages
 * below), so every decision about more than one connection is made here.
 */
#ifndef MMP_SSH_SERVER_INT_H
#define MMP_SSH_SERVER_INT_H

#include <sys/types.h>
#include <time.h>

#include "conn.h"
#include "server.h"

#define CHILD_MAX 256 /* connection processes at once: sessions + logging in */
#define QUEUE_MAX 256
#define SOURCE_MAX 512 /* source addresses remembered for penalties */
#define LISTEN_FD_MAX (SSHD_LISTEN_MAX * 2)
#define SOURCE_KEY_MAX 64

enum child_state { KID_LOGIN = 0, KID_SESSION, KID_ENDING };

struct child {
	pid_t pid;
	int ctl;                     /* control socket; -1 once closed */
	enum child_state state;
	char src[SOURCE_KEY_MAX];    /* the source key (address; IPv6: its /64) */
	char user[USER_NAME_MAX + 1];
	unsigned role;
	int pending;                 /* password checks granted and not reported */
};

struct queued {
	int fd;
	char src[SOURCE_KEY_MAX];
	char host[64];
	int port;
	time_t since;
};

struct source {
	char key[SOURCE_KEY_MAX];
	int fails;           /* failed passwords since the last forget */
	time_t last_fail;
	time_t blocked_until;
	int penalty;         /* the next refusal's length, seconds */
	long dropped;        /* connections dropped since the last log line */
	time_t dropped_logged;
};

struct server {
	const struct sshd_options *opts;
	const struct sshd_limits *lim;
	ssh_bind bind;
	int lfd[LISTEN_FD_MAX];
	char shown[LISTEN_FD_MAX][80];
	int nlfd;
	char host_keys[512];         /* "ED25519 SHA256:..., RSA SHA256:..." */
	int no_login_user;           /* no admin, crypto or audit user at start */
	struct child kids[CHILD_MAX];
	int nkids;
	struct queued queue[QUEUE_MAX];
	int nqueue;
	struct source sources[SOURCE_MAX];
	int nsources;
	pid_t metrics_pid;           /* the process writing --metrics, 0 = none */
	long long metrics_due;       /* CLOCK_MONOTONIC ms of the next write */
};

/* ---- pidfile.c ---- */
/* Write this process's id to path (atomically); 0, or -1 logged. */
int sshd_pidfile_write(const char *path);
/* Remove path when it names this process. */
void sshd_pidfile_remove(const char *path);

/* ---- admit.c ---- */
enum admit { ADMIT_START, ADMIT_QUEUE, ADMIT_DROP };
/* A new connection from src: start it, queue it, or drop it (why filled,
 * logged by the caller at most once every 10 s per source). */
enum admit admit_connection(struct server *sv, const char *src, char *why, size_t size);
/* May a queued connection from src start now? */
int admit_can_start(struct server *sv, const char *src);
/* A control message from a connection process; writes the reply. */
void admit_message(struct server *sv, struct child *k, const char *msg, size_t len);
/* Count a dropped connection from src; 1 when it should be logged now. */
int admit_note_drop(struct server *sv, const char *src, long *count);
/* Logging in (KID_LOGIN) from src, and in all. */
int admit_logins(const struct server *sv, const char *src);

/* The source key of an address: the address itself (IPv4, and IPv4 mapped
 * in IPv6), or its /64 (IPv6: one host's prefix, as OpenSSH's
 * PerSourceNetBlockSize 32:64). */
void admit_source_key(const char *host, char *key, size_t size);

#endif
