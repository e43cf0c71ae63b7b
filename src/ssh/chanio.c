/*
 * chanio.c: stdio streams over an SSH channel (fopencookie), so the shell's
 * output (struct mmp_session.out) and script-mode input run unchanged over
 * SSH. Writes block until libssh has sent everything; reads block until
 * data or the client's EOF.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <time.h>

#include "conn.h"
#include "server.h"

struct chan_cookie {
	ssh_channel ch;
	int is_stderr;
	struct sshd_conn *c; /* readers: for the idle time */
};

time_t sshd_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec;
}

void sshd_idle_end(struct sshd_conn *c, const char *eol)
{
	char line[160];
	int n;

	c->idle = 1;
	n = snprintf(line, sizeof(line), "%smmp: no input for %d seconds: the session ends%s", eol,
		     c->lim->idle_seconds, eol);
	if (n > 0)
		ssh_channel_write_stderr(c->channel, line, (uint32_t)n);
	sshd_log(LOG_INFO, "%s: %s: no input for %d s: session ended", c->source, c->user,
		 c->lim->idle_seconds);
}

static ssize_t chan_write(void *cookie, const char *buf, size_t size)
{
	struct chan_cookie *k = cookie;
	size_t done = 0;

	while (done < size) {
		uint32_t n = size - done > 32768 ? 32768 : (uint32_t)(size - done);
		int w = k->is_stderr ? ssh_channel_write_stderr(k->ch, buf + done, n)
				     : ssh_channel_write(k->ch, buf + done, n);
		if (w <= 0)
			return done > 0 ? (ssize_t)done : -1;
		done += (size_t)w;
	}
	return (ssize_t)size;
}

static ssize_t chan_read(void *cookie, char *buf, size_t size)
{
	struct chan_cookie *k = cookie;
	struct sshd_conn *c = k->c;
	time_t end = sshd_now() + c->lim->idle_seconds;
	int n;

	for (;;) {
		/* the connection's other channels are served between short waits */
		n = ssh_channel_read_timeout(k->ch, buf, size > 32768 ? 32768 : (uint32_t)size, 0,
					     c->top->nchans > 1 ? 20 : 1000);
		if (n != 0)
			return n == SSH_ERROR ? -1 : n;
		if (ssh_channel_is_eof(k->ch) || !ssh_channel_is_open(k->ch))
			return 0; /* EOF */
		sshd_service(c->top);
		if (sshd_now() > end) { /* whole seconds: never early */
			sshd_idle_end(c, "\n");
			return 0;
		}
	}
}

static int chan_close(void *cookie)
{
	free(cookie);
	return 0;
}

static FILE *chan_open(ssh_channel ch, int is_stderr, const char *mode, struct sshd_conn *c)
{
	cookie_io_functions_t io = { chan_read, chan_write, NULL, chan_close };
	struct chan_cookie *k = malloc(sizeof(*k));
	FILE *fp;

	if (k == NULL)
		return NULL;
	k->ch = ch;
	k->is_stderr = is_stderr;
	k->c = c;
	if ((fp = fopencookie(k, mode, io)) == NULL)
		free(k);
	return fp;
}

FILE *sshd_chan_writer(ssh_channel ch, int is_stderr)
{
	return chan_open(ch, is_stderr, "w", NULL);
}

FILE *sshd_chan_reader(struct sshd_conn *c)
{
	return chan_open(c->channel, 0, "r", c);
}
