/*
 * log.c: mmp-sshd's log: stderr with the process id in the foreground,
 * syslog (LOG_AUTH) once detached. Never passwords or key material.
 */
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"

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
	char line[1024];

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (to_stderr)
		fprintf(stderr, "mmp-sshd[%ld]: %s\n", (long)getpid(), line);
	else
		syslog(prio, "%s", line);
}
