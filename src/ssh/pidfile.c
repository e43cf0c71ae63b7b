/*
 * pidfile.c: mmp-sshd --pidfile (issue 12): refuse to start over a running
 * server's pidfile, write the serving process's id atomically (a temporary
 * file renamed over it, so a reader never sees half a number), and remove
 * it on a clean stop when it still names this process.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "server_int.h"

/* The process id in the file at path; 0 when there is none (no file, or
 * not a number), -1 when it cannot be read (errno set). */
static long read_pid(const char *path)
{
	char buf[32], *end;
	ssize_t n;
	long pid;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	errno = 0;
	pid = strtol(buf, &end, 10);
	if (errno != 0 || end == buf || (*end != '\n' && *end != '\0') || pid <= 0 ||
	    pid > INT_MAX)
		return 0;
	return pid;
}

/* Is pid a live mmp-sshd? A process whose name cannot be read counts as
 * one: better refusing to start than two servers sharing one pidfile. */
static int live_server(long pid)
{
	char path[64], comm[32];
	ssize_t n;
	int fd;

	if (kill((pid_t)pid, 0) != 0 && errno != EPERM)
		return 0;
	snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno != ENOENT;
	n = read(fd, comm, sizeof(comm) - 1);
	close(fd);
	if (n <= 0)
		return 1;
	comm[n] = '\0';
	comm[strcspn(comm, "\n")] = '\0';
	return strcmp(comm, "mmp-sshd") == 0;
}

int sshd_pidfile_check(const char *path, char *why, size_t size)
{
	char tmp[PATH_MAX + 32];
	long pid = read_pid(path);
	int fd;

	if (pid < 0) {
		snprintf(why, size, "--pidfile %s: %s", path, strerror(errno));
		return -1;
	}
	if (pid > 0 && pid != (long)getpid() && live_server(pid)) {
		snprintf(why, size,
			 "--pidfile %s: mmp-sshd is already running as process %ld: stop it first (kill %ld), or give another --pidfile",
			 path, pid, pid);
		return -1;
	}
	/* the directory must take the file now, not after the server detached */
	snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644)) < 0) {
		snprintf(why, size, "--pidfile %s: cannot write next to it: %s", path, strerror(errno));
		return -1;
	}
	close(fd);
	unlink(tmp);
	return 0;
}

int sshd_pidfile_write(const char *path)
{
	char tmp[PATH_MAX + 32], line[32];
	int fd, n, ok;

	snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid());
	unlink(tmp);
	n = snprintf(line, sizeof(line), "%ld\n", (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644)) < 0) {
		sshd_log(LOG_ERR, "cannot write the pidfile %s: %s", path, strerror(errno));
		return -1;
	}
	/* 0644 despite the umask: monitoring reads it */
	ok = fchmod(fd, 0644) == 0 && write(fd, line, (size_t)n) == n && fsync(fd) == 0;
	if (close(fd) != 0)
		ok = 0;
	if (!ok || rename(tmp, path) != 0) {
		sshd_log(LOG_ERR, "cannot write the pidfile %s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

void sshd_pidfile_remove(const char *path)
{
	if (read_pid(path) == (long)getpid())
		unlink(path);
}
