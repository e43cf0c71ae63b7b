/*
 * chanio.c: stdio streams over an SSH channel (fopencookie), so the shell's
 * output (struct mmp_session.out) and script-mode input run unchanged over
 * SSH. Writes block until libssh has sent everything; reads block until
 * data or the client's EOF.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "conn.h"

struct chan_cookie {
	ssh_channel ch;
	int is_stderr;
};

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
	int n = ssh_channel_read(k->ch, buf, size > 32768 ? 32768 : (uint32_t)size, 0);

	return n == SSH_ERROR ? -1 : n; /* 0 at EOF */
}

static int chan_close(void *cookie)
{
	free(cookie);
	return 0;
}

static FILE *chan_open(ssh_channel ch, int is_stderr, const char *mode)
{
	cookie_io_functions_t io = { chan_read, chan_write, NULL, chan_close };
	struct chan_cookie *k = malloc(sizeof(*k));
	FILE *fp;

	if (k == NULL)
		return NULL;
	k->ch = ch;
	k->is_stderr = is_stderr;
	if ((fp = fopencookie(k, mode, io)) == NULL)
		free(k);
	return fp;
}

FILE *sshd_chan_writer(ssh_channel ch, int is_stderr)
{
	return chan_open(ch, is_stderr, "w");
}

FILE *sshd_chan_reader(ssh_channel ch)
{
	return chan_open(ch, 0, "r");
}
