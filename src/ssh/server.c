/*
 * server.c: mmp-sshd's listening process (issue 4): binds the listen
 * addresses, forks one process per connection, keeps at most
 * SSHD_PREAUTH_MAX of them logging in at once (the others wait in the
 * kernel's backlog), reaps them, and stops cleanly on SIGTERM.
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

#include "conn.h"
#include "mmp/config.h"
#include "mmp/store.h"
#include "server.h"

#define CHILD_MAX 128 /* connections served at once */
#define LISTEN_FD_MAX (SSHD_LISTEN_MAX * 2)

struct child {
	pid_t pid;
	int preauth_fd; /* read end; EOF or a byte once logged in; -1 after */
};

struct server {
	const struct sshd_options *opts;
	ssh_bind bind;
	int lfd[LISTEN_FD_MAX];
	char shown[LISTEN_FD_MAX][80]; /* "127.0.0.1:2222", logged once serving */
	int nlfd;
	struct child kids[CHILD_MAX];
	int nkids, npreauth;
};

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

static void close_child_fd(struct server *sv, struct child *k)
{
	if (k->preauth_fd >= 0) {
		close(k->preauth_fd);
		k->preauth_fd = -1;
		sv->npreauth--;
	}
}

static void reap(struct server *sv)
{
	pid_t pid;
	int st, i;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (i = 0; i < sv->nkids; i++) {
			if (sv->kids[i].pid != pid)
				continue;
			close_child_fd(sv, &sv->kids[i]);
			sv->kids[i] = sv->kids[--sv->nkids];
			break;
		}
	}
}

static void spawn(struct server *sv, int fd, const struct sockaddr *sa, socklen_t sl)
{
	char host[64];
	int p[2], port, i;
	pid_t pid;

	addr_str(sa, sl, host, sizeof(host), &port);
	if (pipe2(p, O_CLOEXEC) != 0) {
		sshd_log(LOG_ERR, "connection from %s dropped: %s", host, strerror(errno));
		close(fd);
		return;
	}
	if ((pid = fork()) == 0) {
		set_signals(SIG_DFL);
		close(sigpipe_fd[0]);
		close(sigpipe_fd[1]);
		for (i = 0; i < sv->nlfd; i++)
			close(sv->lfd[i]);
		for (i = 0; i < sv->nkids; i++)
			if (sv->kids[i].preauth_fd >= 0)
				close(sv->kids[i].preauth_fd);
		close(p[0]);
		sshd_connection(sv->bind, fd, host, sv->opts->root, p[1]);
	}
	close(fd);
	close(p[1]);
	if (pid < 0) {
		sshd_log(LOG_ERR, "connection from %s dropped: fork: %s", host, strerror(errno));
		close(p[0]);
		return;
	}
	sshd_log(LOG_INFO, "connection from %s port %d (process %ld)", host, port, (long)pid);
	sv->kids[sv->nkids].pid = pid;
	sv->kids[sv->nkids].preauth_fd = p[0];
	sv->nkids++;
	sv->npreauth++;
}

static void accept_one(struct server *sv, int lfd)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int fd = accept4(lfd, (struct sockaddr *)&ss, &sl, SOCK_CLOEXEC);

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
	spawn(sv, fd, (struct sockaddr *)&ss, sl);
}

/* One round: wait for a signal, a login finishing, or a new connection. */
static void serve_round(struct server *sv)
{
	struct pollfd pf[1 + LISTEN_FD_MAX + CHILD_MAX];
	struct child *who[CHILD_MAX];
	int n = 0, nl = 0, nk = 0, i, accepting;
	char buf[64];

	pf[n++] = (struct pollfd){ sigpipe_fd[0], POLLIN, 0 };
	accepting = sv->npreauth < SSHD_PREAUTH_MAX && sv->nkids < CHILD_MAX;
	for (i = 0; accepting && i < sv->nlfd; i++, nl++)
		pf[n++] = (struct pollfd){ sv->lfd[i], POLLIN, 0 };
	for (i = 0; i < sv->nkids; i++) {
		if (sv->kids[i].preauth_fd < 0)
			continue;
		who[nk++] = &sv->kids[i];
		pf[n++] = (struct pollfd){ sv->kids[i].preauth_fd, POLLIN, 0 };
	}
	if (poll(pf, (nfds_t)n, -1) < 0)
		return;
	if (pf[0].revents & POLLIN)
		while (read(sigpipe_fd[0], buf, sizeof(buf)) > 0)
			;
	for (i = 0; i < nk; i++)
		if (pf[1 + nl + i].revents)
			close_child_fd(sv, who[i]);
	reap(sv);
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
	while (sv->nkids > 0 && waitpid(-1, NULL, 0) > 0)
		reap(sv);
}

/* Crypto choices (issue 4): no SHA-1 "ssh-rsa" signatures, RSA >= 2048. */
static int bind_options(ssh_bind b)
{
	bool no = false;
	int rsa_min = 2048;
	const char *keys = "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,"
			   "ecdsa-sha2-nistp521,rsa-sha2-512,rsa-sha2-256";

	if (ssh_bind_options_set(b, SSH_BIND_OPTIONS_PROCESS_CONFIG, &no) != SSH_OK ||
	    ssh_bind_options_set(b, SSH_BIND_OPTIONS_PUBKEY_ACCEPTED_KEY_TYPES, keys) != SSH_OK ||
	    ssh_bind_options_set(b, SSH_BIND_OPTIONS_HOSTKEY_ALGORITHMS,
				 "ssh-ed25519,rsa-sha2-512,rsa-sha2-256") != SSH_OK ||
	    ssh_bind_options_set(b, SSH_BIND_OPTIONS_RSA_MIN_SIZE, &rsa_min) != SSH_OK) {
		sshd_log(LOG_ERR, "libssh refused an option: %s", ssh_get_error(b));
		return -1;
	}
	return 0;
}

/* Create the root and its stores once, so a broken root fails at start. */
static int check_root(const char *root)
{
	struct mmp_err err;
	struct store *s;
	struct cfg *c;

	mmp_err_clear(&err);
	if ((s = store_open(root, &err)) == NULL || (c = cfg_open(root, &err)) == NULL) {
		sshd_log(LOG_ERR, "%s%s%s", err.msg, err.cause[0] ? ": " : "", err.cause);
		store_free(s);
		return -1;
	}
	cfg_close(c);
	store_free(s);
	return 0;
}

static int detach(void)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0)
		return -1;
	if (pid > 0)
		_exit(0);
	setsid();
	if ((pid = fork()) < 0)
		return -1;
	if (pid > 0)
		_exit(0);
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

static int start(struct server *sv)
{
	int i;

	/* addresses first: a wrong --listen changes nothing under the root */
	if (sv->opts->nlisten == 0 && listen_one(sv, SSHD_DEFAULT_LISTEN) != 0)
		return -1;
	for (i = 0; i < sv->opts->nlisten; i++)
		if (listen_one(sv, sv->opts->listen[i]) != 0)
			return -1;
	if (check_root(sv->opts->root) != 0 || ssh_init() != SSH_OK ||
	    (sv->bind = ssh_bind_new()) == NULL || bind_options(sv->bind) != 0 ||
	    sshd_hostkeys_load(sv->bind, sv->opts->root) != 0)
		return -1;
	return 0;
}

int sshd_serve(const struct sshd_options *opts)
{
	static struct server sv; /* large: kept off the stack */
	int status = 1;

	memset(&sv, 0, sizeof(sv));
	sv.opts = opts;
	sshd_log_init(1);
	signal(SIGPIPE, SIG_IGN);
	if (start(&sv) != 0)
		goto out;
	if (!opts->foreground) {
		if (detach() != 0) {
			sshd_log(LOG_ERR, "cannot detach: %s", strerror(errno));
			goto out;
		}
		sshd_log_init(0);
	}
	if (pipe2(sigpipe_fd, O_CLOEXEC | O_NONBLOCK) != 0 || set_signals(on_signal) != 0) {
		sshd_log(LOG_ERR, "cannot set up signals: %s", strerror(errno));
		goto out;
	}
	for (int i = 0; i < sv.nlfd; i++)
		sshd_log(LOG_NOTICE, "listening on %s", sv.shown[i]);
	sshd_log(LOG_NOTICE, "serving %s", opts->root);
	while (!stop_flag)
		serve_round(&sv);
	sshd_log(LOG_NOTICE, "stopping: %d session(s) to end", sv.nkids);
	stop_children(&sv);
	sshd_log(LOG_NOTICE, "stopped");
	status = 0;
out:
	for (int i = 0; i < sv.nlfd; i++)
		close(sv.lfd[i]);
	ssh_bind_free(sv.bind);
	ssh_finalize();
	return status;
}
