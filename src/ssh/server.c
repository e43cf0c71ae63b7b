/*
 * server.c: mmp-sshd's listening process (issues 4, 10): binds the listen
 * addresses, accepts every connection at once and starts, queues or drops
 * it as admit.c decides (nothing waits in the kernel's backlog), forks one
 * process per started connection with a control socket to it, answers its
 * questions (admit_message), reaps them, and stops cleanly on SIGTERM.
 * At start it says where it listens, with the host key fingerprints, and
 * warns when nobody can log in yet (issue 12).
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "mmp/config.h"
#include "mmp/expiry.h"
#include "mmp/store.h"
#include "mmp/users.h"
#include "server_int.h"

static int sigpipe_fd[2] = { -1, -1 };
static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	int saved = errno;

	if (sig == SIGTERM || sig == SIGINT)
		stop_flag = 1;
	if (write(sigpipe_fd[1], "x", 1) < 0) {
		/* the pipe is full: poll wakes up anyway */
	}
	errno = saved;
}

static int set_signals(void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGTERM, &sa, NULL) | sigaction(SIGINT, &sa, NULL) |
	       sigaction(SIGCHLD, &sa, NULL);
}

static void addr_str(const struct sockaddr *sa, socklen_t len, char *host, size_t hsize,
		     int *port)
{
	char serv[16];

	if (getnameinfo(sa, len, host, (socklen_t)hsize, serv, sizeof(serv),
			NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		snprintf(host, hsize, "unknown");
		snprintf(serv, sizeof(serv), "0");
	}
	*port = atoi(serv);
}

/* "ADDR:PORT" or "[ADDR]:PORT" into host and port. */
static int split_listen(const char *spec, char *host, size_t hsize, char *port, size_t psize)
{
	const char *colon, *h = spec;
	size_t hl;

	if (spec[0] == '[') {
		const char *end = strchr(spec, ']');
		if (end == NULL || end[1] != ':')
			return -1;
		h = spec + 1;
		hl = (size_t)(end - h);
		colon = end + 1;
	} else {
		if ((colon = strrchr(spec, ':')) == NULL)
			return -1;
		hl = (size_t)(colon - spec);
	}
	if (hl == 0 || hl >= hsize || strlen(colon + 1) == 0 || strlen(colon + 1) >= psize ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1) || atol(colon + 1) > 65535)
		return -1;
	memcpy(host, h, hl);
	host[hl] = '\0';
	snprintf(port, psize, "%s", colon + 1);
	return 0;
}

int sshd_listen_valid(const char *spec)
{
	char host[256], port[16];

	return split_listen(spec, host, sizeof(host), port, sizeof(port)) == 0;
}

static int listen_one(struct server *sv, const char *spec)
{
	struct addrinfo hints, *res = NULL, *ai;
	char host[256], port[16], shown[64];
	int one = 1, got = 0, p, rc;

	if (split_listen(spec, host, sizeof(host), port, sizeof(port)) != 0) {
		sshd_log(LOG_ERR, "--listen %s: give ADDR:PORT, e.g. 127.0.0.1:2222 or [::1]:2222", spec);
		return -1;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		sshd_log(LOG_ERR, "--listen %s: %s", spec, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL && sv->nlfd < LISTEN_FD_MAX; ai = ai->ai_next) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (ai->ai_family == AF_INET6)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 64) != 0 ||
		    getsockname(fd, (struct sockaddr *)&ss, &sl) != 0) {
			sshd_log(LOG_ERR, "--listen %s: %s", spec, strerror(errno));
			close(fd);
			continue;
		}
		addr_str((struct sockaddr *)&ss, sl, shown, sizeof(shown), &p);
		snprintf(sv->shown[sv->nlfd], sizeof(sv->shown[0]), "%s%s%s:%d",
			 ss.ss_family == AF_INET6 ? "[" : "", shown,
			 ss.ss_family == AF_INET6 ? "]" : "", p);
		sv->lfd[sv->nlfd++] = fd;
		got = 1;
	}
	freeaddrinfo(res);
	return got ? 0 : -1;
}

static void close_ctl(struct child *k)
{
	if (k->ctl >= 0) {
		close(k->ctl);
		k->ctl = -1;
	}
}

static void start_queued(struct server *sv);

/* Monotonic milliseconds. */
static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* --metrics: when due and no writer runs, fork one (the listener never
 * parses certificates itself: a cold store of 10,000 takes seconds). */
/* In a forked child: close what is the listener's (its signal pipe, the
 * listening sockets, the other connections' control sockets and queue). */
static void child_close(struct server *sv)
{
	int i;

	set_signals(SIG_DFL);
	close(sigpipe_fd[0]);
	close(sigpipe_fd[1]);
	for (i = 0; i < sv->nlfd; i++)
		close(sv->lfd[i]);
	for (i = 0; i < sv->nkids; i++)
		close_ctl(&sv->kids[i]);
	for (i = 0; i < sv->nqueue; i++)
		close(sv->queue[i].fd);
}

static void metrics_tick(struct server *sv)
{
	pid_t pid;

	if (sv->opts->metrics == NULL || sv->metrics_pid > 0 || now_ms() < sv->metrics_due)
		return;
	sv->metrics_due = now_ms() + (long long)sv->opts->metrics_interval * 1000;
	if ((pid = fork()) == 0) {
		struct mmp_err err;
		child_close(sv);
		mmp_err_clear(&err);
		if (expiry_metrics_file(sv->opts->root, sv->opts->metrics, &err) != MMP_OK) {
			sshd_log(LOG_ERR, "metrics: %s%s%s", err.msg, err.cause[0] ? ": " : "", err.cause);
			_exit(1);
		}
		_exit(0);
	}
	if (pid < 0)
		sshd_log(LOG_ERR, "metrics: fork: %s", strerror(errno));
	else
		sv->metrics_pid = pid;
}

static void reap(struct server *sv)
{
	pid_t pid;
	int st, i, any = 0;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if (pid == sv->metrics_pid) {
			sv->metrics_pid = 0;
			continue;
		}
		for (i = 0; i < sv->nkids; i++) {
			if (sv->kids[i].pid != pid)
				continue;
			close_ctl(&sv->kids[i]);
			sv->kids[i] = sv->kids[--sv->nkids];
			any = 1;
			break;
		}
	}
	if (any)
		start_queued(sv);
}

/* Fork the connection's process; the listener keeps the control socket. */
static void spawn(struct server *sv, int fd, const char *host, int port, const char *src)
{
	int sp[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) != 0) {
		sshd_log(LOG_ERR, "connection from %s dropped: %s", host, strerror(errno));
		close(fd);
		return;
	}
	if ((pid = fork()) == 0) {
		child_close(sv);
		close(sp[0]);
		sshd_connection(sv->bind, fd, host, sv->opts->root, sp[1], sv->lim);
	}
	close(fd);
	close(sp[1]);
	if (pid < 0) {
		sshd_log(LOG_ERR, "connection from %s dropped: fork: %s", host, strerror(errno));
		close(sp[0]);
		return;
	}
	sshd_log(LOG_INFO, "connection from %s port %d (process %ld)", host, port, (long)pid);
	memset(&sv->kids[sv->nkids], 0, sizeof(sv->kids[0]));
	sv->kids[sv->nkids].pid = pid;
	sv->kids[sv->nkids].ctl = sp[0];
	snprintf(sv->kids[sv->nkids].src, sizeof(sv->kids[0].src), "%s", src);
	sv->nkids++;
}

/* Start what waits, oldest first, as far as the limits let it; drop what
 * waited longer than queue_seconds. */
static void start_queued(struct server *sv)
{
	time_t now = time(NULL);
	int i = 0;

	while (i < sv->nqueue) {
		struct queued q = sv->queue[i];
		int expired = q.since + sv->lim->queue_seconds <= now;
		if (!expired && !admit_can_start(sv, q.src)) {
			i++;
			continue;
		}
		memmove(&sv->queue[i], &sv->queue[i + 1], (size_t)(sv->nqueue - i - 1) * sizeof(q));
		sv->nqueue--;
		if (expired) {
			sshd_log(LOG_INFO, "connection from %s port %d dropped: waited %d s to start",
				 q.host, q.port, sv->lim->queue_seconds);
			close(q.fd);
		} else {
			spawn(sv, q.fd, q.host, q.port, q.src);
		}
	}
}

static void accept_one(struct server *sv, int lfd)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char host[64], src[SOURCE_KEY_MAX], why[160];
	int fd = accept4(lfd, (struct sockaddr *)&ss, &sl, SOCK_CLOEXEC), port;
	long count;

	if (fd < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			sshd_log(LOG_WARNING, "accept: %s", strerror(errno));
		return;
	}
	/* An SSH session sends many small packets (key exchange replies, the
	 * prompt after each command): with Nagle's algorithm each waited for
	 * the client's delayed ACK, 40 ms on Linux. OpenSSH's sshd sets it
	 * too. A failure only costs latency. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));
	addr_str((struct sockaddr *)&ss, sl, host, sizeof(host), &port);
	admit_source_key(host, src, sizeof(src));
	switch (admit_connection(sv, src, why, sizeof(why))) {
	case ADMIT_START:
		spawn(sv, fd, host, port, src);
		break;
	case ADMIT_QUEUE:
		sv->queue[sv->nqueue] = (struct queued){ fd, "", "", port, time(NULL) };
		snprintf(sv->queue[sv->nqueue].src, sizeof(sv->queue[0].src), "%s", src);
		snprintf(sv->queue[sv->nqueue].host, sizeof(sv->queue[0].host), "%s", host);
		sv->nqueue++;
		break;
	case ADMIT_DROP:
		close(fd); /* at once: never left in the backlog */
		if (admit_note_drop(sv, src, &count))
			sshd_log(LOG_WARNING, "%s: %ld connection(s) dropped: %s", host, count, why);
		break;
	}
}

/* A control message (or the end) from connection process k. */
static void from_child(struct server *sv, struct child *k)
{
	char msg[256];
	ssize_t n = recv(k->ctl, msg, sizeof(msg) - 1, MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		close_ctl(k);
		if (k->state == KID_LOGIN)
			k->state = KID_ENDING;
		start_queued(sv);
		return;
	}
	msg[n] = '\0';
	admit_message(sv, k, msg, (size_t)n);
	if (k->state != KID_LOGIN)
		start_queued(sv); /* a login slot is free */
}

/* One round: wait for a signal, a message, a new connection, or the
 * oldest queued connection's deadline. */
static void serve_round(struct server *sv)
{
	struct pollfd pf[1 + LISTEN_FD_MAX + CHILD_MAX];
	pid_t who[CHILD_MAX];
	int n = 0, nl = 0, nk = 0, i, j, timeout = -1;
	char buf[64];

	pf[n++] = (struct pollfd){ sigpipe_fd[0], POLLIN, 0 };
	for (i = 0; i < sv->nlfd; i++, nl++)
		pf[n++] = (struct pollfd){ sv->lfd[i], POLLIN, 0 };
	for (i = 0; i < sv->nkids; i++) {
		if (sv->kids[i].ctl < 0)
			continue;
		who[nk++] = sv->kids[i].pid;
		pf[n++] = (struct pollfd){ sv->kids[i].ctl, POLLIN, 0 };
	}
	if (sv->nqueue > 0)
		timeout = 500; /* queued connections expire */
	if (sv->opts->metrics != NULL && sv->metrics_pid == 0) {
		long long wait = sv->metrics_due - now_ms();
		wait = wait < 0 ? 0 : wait;
		if (timeout < 0 || wait < timeout)
			timeout = (int)wait;
	}
	if (poll(pf, (nfds_t)n, timeout) < 0)
		return;
	if (pf[0].revents & POLLIN)
		while (read(sigpipe_fd[0], buf, sizeof(buf)) > 0)
			;
	for (i = 0; i < nk; i++) {
		if (!pf[1 + nl + i].revents)
			continue;
		for (j = 0; j < sv->nkids && sv->kids[j].pid != who[i]; j++)
			;
		if (j < sv->nkids && sv->kids[j].ctl >= 0)
			from_child(sv, &sv->kids[j]);
	}
	reap(sv);
	start_queued(sv);
	metrics_tick(sv);
	for (i = 0; i < nl && !stop_flag; i++)
		if (pf[1 + i].revents & POLLIN)
			accept_one(sv, pf[1 + i].fd);
}

static void stop_children(struct server *sv)
{
	int i, round;

	for (i = 0; i < sv->nlfd; i++)
		close(sv->lfd[i]);
	sv->nlfd = 0;
	for (i = 0; i < sv->nqueue; i++)
		close(sv->queue[i].fd);
	sv->nqueue = 0;
	for (i = 0; i < sv->nkids; i++)
		kill(sv->kids[i].pid, SIGTERM);
	for (round = 0; round < 50 && sv->nkids > 0; round++) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		reap(sv);
		if (sv->nkids > 0)
			nanosleep(&ts, NULL);
	}
	for (i = 0; i < sv->nkids; i++)
		kill(sv->kids[i].pid, SIGKILL);
	/* every child, a metrics writer too (it is let finish: killed, it
	 * would leave its new file beside the old one) */
	while ((sv->nkids > 0 || sv->metrics_pid > 0) && waitpid(-1, NULL, 0) > 0)
		reap(sv);
	sv->metrics_pid = 0;
}

/* Crypto choices (issue 4): no SHA-1 "ssh-rsa" signatures, RSA >= 2048. */
static int bind_options(ssh_bind b)
{
	bool no = false;
	int rsa_min = 2048;
	const char *keys = "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,"
			   "ecdsa-sha2-nistp521,rsa-sha2-512,rsa-sha2-256";

	/* the identification string names no library or version (issue 10) */
	if (ssh_bind_options_set(b, SSH_BIND_OPTIONS_BANNER, "mmp") != SSH_OK ||
	    ssh_bind_options_set(b, SSH_BIND_OPTIONS_PROCESS_CONFIG, &no) != SSH_OK ||
	    ssh_bind_options_set(b, SSH_BIND_OPTIONS_PUBKEY_ACCEPTED_KEY_TYPES, keys) != SSH_OK ||
	    ssh_bind_options_set(b, SSH_BIND_OPTIONS_HOSTKEY_ALGORITHMS,
				 "ssh-ed25519,rsa-sha2-512,rsa-sha2-256") != SSH_OK ||
	    ssh_bind_options_set(b, SSH_BIND_OPTIONS_RSA_MIN_SIZE, &rsa_min) != SSH_OK) {
		sshd_log(LOG_ERR, "libssh refused an option: %s", ssh_get_error(b));
		return -1;
	}
	return 0;
}

/* Create the root and its stores once, so a broken root fails at start;
 * note whether any user can log in over SSH (admin, crypto or audit: the
 * other roles have no session). */
static int check_root(struct server *sv)
{
	static const unsigned session_roles[] = { ROLE_ADMIN, ROLE_CRYPTO, ROLE_AUDIT };
	struct mmp_err err;
	struct store *s;
	struct cfg *c;
	int n = 0, total = 0;
	size_t i;

	mmp_err_clear(&err);
	if ((s = store_open(sv->opts->root, &err)) == NULL ||
	    (c = cfg_open(sv->opts->root, &err)) == NULL) {
		sshd_log(LOG_ERR, "%s%s%s", err.msg, err.cause[0] ? ": " : "", err.cause);
		store_free(s);
		return -1;
	}
	for (i = 0; i < sizeof(session_roles) / sizeof(session_roles[0]); i++) {
		if (users_count_role(c, session_roles[i], &n, &err) != MMP_OK) {
			sshd_log(LOG_ERR, "%s%s%s", err.msg, err.cause[0] ? ": " : "", err.cause);
			cfg_close(c);
			store_free(s);
			return -1;
		}
		total += n;
	}
	sv->no_login_user = total == 0;
	cfg_close(c);
	store_free(s);
	return 0;
}

/* The start lines: where it listens with the host keys' fingerprints (what
 * the first ssh asks an admin to confirm), and how to make the first user
 * when there is none. */
static void announce(const struct server *sv)
{
	char line[1024];
	size_t used = 0;
	int i;

	used += (size_t)snprintf(line, sizeof(line), "listening on");
	for (i = 0; i < sv->nlfd && used < sizeof(line); i++)
		used += (size_t)snprintf(line + used, sizeof(line) - used, "%s %s",
					 i > 0 ? "," : "", sv->shown[i]);
	if (used < sizeof(line))
		snprintf(line + used, sizeof(line) - used, " (host keys: %s)", sv->host_keys);
	sshd_log(LOG_NOTICE, "%s", line);
	if (sv->no_login_user)
		sshd_log(LOG_WARNING,
			 "WARNING: no user can log in yet (no admin, crypto or audit user): make the first admin on this machine with \"mmp --root %s\", then \"user add admin admin\"",
			 sv->opts->root);
}

/* Become a daemon. The process that started it waits until the serving
 * process says it is ready (its pidfile written: systemd's Type=forking
 * reads the pidfile when that process exits) and exits 0, or 1 when the
 * serving process ended first. *ready: the serving process's end, to
 * write one byte to (ready_say). */
static int detach(int *ready)
{
	int p[2], fd;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) != 0 || (pid = fork()) < 0)
		return -1;
	if (pid > 0) {
		char c;
		ssize_t n;

		close(p[1]);
		do
			n = read(p[0], &c, 1);
		while (n < 0 && errno == EINTR);
		_exit(n == 1 ? 0 : 1);
	}
	close(p[0]);
	setsid();
	if ((pid = fork()) < 0)
		return -1;
	if (pid > 0)
		_exit(0);
	*ready = p[1];
	if (chdir("/") != 0)
		return -1;
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	return 0;
}

/* Tell the process that started a daemon that it serves. */
static void ready_say(int *ready)
{
	if (*ready < 0)
		return;
	if (write(*ready, "1", 1) != 1)
		sshd_log(LOG_ERR, "cannot tell the starting process: %s", strerror(errno));
	close(*ready);
	*ready = -1;
}

static int start(struct server *sv)
{
	int i;

	/* addresses first: a wrong --listen changes nothing under the root */
	if (sv->opts->nlisten == 0 && listen_one(sv, SSHD_DEFAULT_LISTEN) != 0)
		return -1;
	for (i = 0; i < sv->opts->nlisten; i++)
		if (listen_one(sv, sv->opts->listen[i]) != 0)
			return -1;
	if (check_root(sv) != 0 || ssh_init() != SSH_OK ||
	    (sv->bind = ssh_bind_new()) == NULL || bind_options(sv->bind) != 0 ||
	    sshd_hostkeys_load(sv->bind, sv->opts->root, sv->host_keys, sizeof(sv->host_keys)) != 0)
		return -1;
	return 0;
}

int sshd_serve(const struct sshd_options *opts)
{
	static struct server sv; /* large: kept off the stack */
	int status = 1, ready = -1;

	memset(&sv, 0, sizeof(sv));
	sv.opts = opts;
	sv.lim = &opts->limits;
	srandom((unsigned)time(NULL) ^ (unsigned)getpid());
	sshd_log_init(1);
	signal(SIGPIPE, SIG_IGN);
	if (start(&sv) != 0)
		goto out;
	if (!opts->foreground) {
		announce(&sv); /* on the terminal that started it, then in syslog */
		if (detach(&ready) != 0) {
			sshd_log(LOG_ERR, "cannot detach: %s", strerror(errno));
			goto out;
		}
		sshd_log_init(0);
	}
	if (pipe2(sigpipe_fd, O_CLOEXEC | O_NONBLOCK) != 0 || set_signals(on_signal) != 0) {
		sshd_log(LOG_ERR, "cannot set up signals: %s", strerror(errno));
		goto out;
	}
	/* after the fork: the id of the process that serves; after the
	 * signals, so a SIGTERM from whoever read it removes it */
	if (opts->pidfile != NULL && sshd_pidfile_write(opts->pidfile) != 0)
		goto out;
	announce(&sv);
	ready_say(&ready);
	sshd_log(LOG_NOTICE, "serving %s", opts->root);
	while (!stop_flag)
		serve_round(&sv);
	sshd_log(LOG_NOTICE, "stopping: %d session(s) to end", sv.nkids);
	stop_children(&sv);
	sshd_log(LOG_NOTICE, "stopped");
	status = 0;
out:
	if (ready >= 0)
		close(ready); /* the starting process exits 1 */
	if (opts->pidfile != NULL)
		sshd_pidfile_remove(opts->pidfile); /* only when it names this process */
	for (int i = 0; i < sv.nlfd; i++)
		close(sv.lfd[i]);
	ssh_bind_free(sv.bind);
	ssh_finalize();
	return status;
}
