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
#include <sys/time.h>
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

/* SIGALRM in wait_ms milliseconds, saying "<what> not done within <limit> s". */
static void set_alarm(const struct sshd_conn *c, const char *what, int limit, long wait_ms)
{
	struct itimerval it;
	int n = snprintf(alarm_line, sizeof(alarm_line),
			 "mmp-sshd[%ld]: %s: %s not done within %d s: connection closed\n",
			 (long)getpid(), c->source, what, limit);

	alarm_len = n > 0 && (size_t)n < sizeof(alarm_line) ? (size_t)n : 0;
	signal(SIGALRM, on_alarm);
	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = wait_ms / 1000;
	it.it_value.tv_usec = (wait_ms % 1000) * 1000;
	setitimer(ITIMER_REAL, &it, NULL);
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
	int status = 1;
	long left;

	memset(&c, 0, sizeof(c));
	c.root = root;
	c.lim = lim;
	c.ctl = ctl;
	c.top = &c;
	c.pty_master = -1;
	snprintf(c.source, sizeof(c.source), "%s", source);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	set_alarm(&c, "key exchange", lim->kex_seconds, lim->kex_seconds * 1000L); /* SIGALRM ends it */
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
	left = lim->login_seconds * 1000L - ((t1.tv_sec - t0.tv_sec) * 1000L +
					     (t1.tv_nsec - t0.tv_nsec) / 1000000);
	set_alarm(&c, "login", lim->login_seconds, left > 100 ? left : 100);
	if ((c.event = ssh_event_new()) == NULL || ssh_event_add_session(c.event, c.session) != SSH_OK)
		goto out;
	if (sshd_auth(&c) != 0)
		goto out;
	set_alarm(&c, "login", lim->login_seconds, 0); /* 0: the timer is off */
	ask_session(&c);
	sshd_channels_serve(&c);
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
