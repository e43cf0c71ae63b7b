/*
 * conn.c: one connection's process (issues 4, 10): key exchange within
 * kex_seconds, login within login_seconds of the connect, the listener's
 * word on a session (its caps), then the session channel; the process ends
 * with the connection. It asks and tells the listener over its control
 * socket (sshd_ask, sshd_tell).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>

#include "conn.h"
#include "server.h"

/* Peak memory of this connection's process and its pty shell, in KiB: the
 * log line at its end lets tests and admins see what one session costs. */
static long peak_kib(void)
{
	struct rusage self, kids;

	if (getrusage(RUSAGE_SELF, &self) != 0 || getrusage(RUSAGE_CHILDREN, &kids) != 0)
		return -1;
	return self.ru_maxrss > kids.ru_maxrss ? self.ru_maxrss : kids.ru_maxrss;
}

/* SIGALRM: the key exchange or the login took too long. The line was
 * written beforehand: only write(2) and _exit(2) are safe here. */
static char alarm_line[160];
static size_t alarm_len;

static void on_alarm(int sig)
{
	(void)sig;
	if (alarm_len > 0 && sshd_log_to_stderr())
		(void)!write(STDERR_FILENO, alarm_line, alarm_len);
	_exit(1);
}

/* SIGALRM in wait seconds, saying "<what> not done within <limit> s". */
static void set_alarm(const struct sshd_conn *c, const char *what, int limit, int wait)
{
	int n = snprintf(alarm_line, sizeof(alarm_line),
			 "mmp-sshd[%ld]: %s: %s not done within %d s: connection closed\n",
			 (long)getpid(), c->source, what, limit);

	alarm_len = n > 0 && (size_t)n < sizeof(alarm_line) ? (size_t)n : 0;
	signal(SIGALRM, on_alarm);
	alarm((unsigned)wait);
}

int sshd_ask(struct sshd_conn *c, const char *msg, char *ans, size_t size)
{
	ssize_t n;

	ans[0] = '\0';
	if (c->ctl < 0 || send(c->ctl, msg, strlen(msg), MSG_NOSIGNAL) < 0)
		return -1;
	do
		n = recv(c->ctl, ans, size - 1, 0);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return -1;
	ans[n] = '\0';
	return 0;
}

void sshd_tell(struct sshd_conn *c, const char *msg)
{
	if (c->ctl >= 0)
		(void)send(c->ctl, msg, strlen(msg), MSG_NOSIGNAL);
}

/* The listener's word on a session for the logged-in user (its caps). */
static void ask_session(struct sshd_conn *c)
{
	char msg[64], ans[256];

	snprintf(msg, sizeof(msg), "A%u %s", c->role, c->user);
	if (sshd_ask(c, msg, ans, sizeof(ans)) != 0)
		snprintf(c->refused, sizeof(c->refused), "the server is stopping: try again later");
	else if (ans[0] != 'Y')
		snprintf(c->refused, sizeof(c->refused), "%s", ans + 1);
}

void sshd_connection(ssh_bind bind, int fd, const char *source, const char *root, int ctl,
		     const struct sshd_limits *lim)
{
	struct sshd_conn c;
	struct timespec t0, t1;
	int status = 1, left;

	memset(&c, 0, sizeof(c));
	c.root = root;
	c.lim = lim;
	c.ctl = ctl;
	c.pty_master = -1;
	snprintf(c.source, sizeof(c.source), "%s", source);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	set_alarm(&c, "key exchange", lim->kex_seconds, lim->kex_seconds); /* SIGALRM ends it */
	if ((c.session = ssh_new()) == NULL || ssh_bind_accept_fd(bind, c.session, fd) != SSH_OK) {
		sshd_log(LOG_ERR, "%s: cannot start the session: %s", c.source, ssh_get_error(bind));
		close(fd);
		goto out;
	}
	ssh_bind_free(bind); /* the session holds copies of the host keys */
	bind = NULL;
	sshd_auth_prepare(&c);
	if (ssh_handle_key_exchange(c.session) != SSH_OK) {
		sshd_log(LOG_INFO, "%s: key exchange failed: %s", c.source, ssh_get_error(c.session));
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	left = lim->login_seconds - (int)(t1.tv_sec - t0.tv_sec);
	set_alarm(&c, "login", lim->login_seconds, left > 1 ? left : 1);
	if ((c.event = ssh_event_new()) == NULL || ssh_event_add_session(c.event, c.session) != SSH_OK)
		goto out;
	if (sshd_auth(&c) != 0)
		goto out;
	alarm(0);
	ask_session(&c);
	sshd_channel_serve(&c);
	status = 0;
out:
	if (c.event != NULL) {
		ssh_event_remove_session(c.event, c.session);
		ssh_event_free(c.event);
	}
	if (c.session != NULL) {
		ssh_disconnect(c.session);
		ssh_free(c.session);
	}
	ssh_bind_free(bind);
	free(c.command);
	ssh_finalize();
	sshd_log(LOG_INFO, "%s: connection ended (%s), peak memory %ld KiB", c.source,
		 c.authed ? c.user : "not logged in", peak_kib());
	if (c.ctl >= 0)
		close(c.ctl);
	exit(status);
}
