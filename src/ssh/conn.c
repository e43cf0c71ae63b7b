/*
 * conn.c: one connection's process (issue 4): key exchange, login within
 * SSHD_LOGIN_SECONDS, then the session channel; the process ends with the
 * connection. The parent learns that the login phase is over when the
 * preauth pipe closes.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/resource.h>
#include <unistd.h>

#include "conn.h"

/* Peak memory of this connection's process and its pty shell, in KiB: the
 * log line at its end lets tests and admins see what one session costs. */
static long peak_kib(void)
{
	struct rusage self, kids;

	if (getrusage(RUSAGE_SELF, &self) != 0 || getrusage(RUSAGE_CHILDREN, &kids) != 0)
		return -1;
	return self.ru_maxrss > kids.ru_maxrss ? self.ru_maxrss : kids.ru_maxrss;
}

void sshd_connection(ssh_bind bind, int fd, const char *source, const char *root, int preauth_fd)
{
	struct sshd_conn c;
	int status = 1;

	memset(&c, 0, sizeof(c));
	c.root = root;
	c.pty_master = -1;
	snprintf(c.source, sizeof(c.source), "%s", source);
	alarm(SSHD_LOGIN_SECONDS); /* SIGALRM ends a login that takes too long */
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
	if ((c.event = ssh_event_new()) == NULL || ssh_event_add_session(c.event, c.session) != SSH_OK)
		goto out;
	if (sshd_auth(&c) != 0)
		goto out;
	alarm(0);
	close(preauth_fd); /* tell the listener this connection is logged in */
	preauth_fd = -1;
	sshd_channel_serve(&c);
	status = 0;
out:
	if (preauth_fd >= 0)
		close(preauth_fd);
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
	exit(status);
}
