/*
 * log.c: mmp-sshd's log: stderr with the process id in the foreground,
 * syslog (LOG_AUTH) once detached. Never passwords or key material; bytes
 * from outside (C0, C1, DEL, invalid UTF-8) escaped as \xNN.
 */
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"
#include "mmp/text.h"

static int to_stderr = 1;

void sshd_log_init(int foreground)
{
	to_stderr = foreground;
	if (!foreground)
		openlog("mmp-sshd", LOG_PID | LOG_NDELAY, LOG_AUTH);
}

int sshd_log_to_stderr(void)
{
	return to_stderr;
}

void sshd_log(int prio, const char *fmt, ...)
{
	va_list ap;
	char raw[1024], line[4096];

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	text_escape(raw, line, sizeof(line), 0); /* issue 10: nothing raw in a log */
	if (to_stderr)
		fprintf(stderr, "mmp-sshd[%ld]: %s\n", (long)getpid(), line);
	else
		syslog(prio, "%s", line);
}
