/*
 * pty.c: the interactive shell over SSH (issue 4): the REPL (libedit), or
 * one command given with ssh -t, runs in a child process on a real pty, so
 * editing, history, Tab and no-echo prompts work as on the console; this
 * process relays between the channel and the pty master and passes
 * window-size changes on. No program is ever executed.
 */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <syslog.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "conn.h"
#include "server.h"

static void repl_child(struct sshd_conn *c, int slave) __attribute__((noreturn));

static void repl_child(struct sshd_conn *c, int slave)
{
	struct mmp_session ss;
	struct mmp_err err;
	int status = 1;
	int fd, max = (int)sysconf(_SC_OPEN_MAX);

	/* the network and other channels' ptys are the relay's business: an
	 * inherited pty master would keep another shell from its hangup
	 * (syslog's socket is closed its own way: it reconnects when used) */
	closelog();
	for (fd = STDERR_FILENO + 1; fd < (max > 0 && max < 4096 ? max : 4096); fd++)
		if (fd != slave)
			close(fd);
	setsid();
	if (ioctl(slave, TIOCSCTTY, 0) != 0 || dup2(slave, STDIN_FILENO) < 0 ||
	    dup2(slave, STDOUT_FILENO) < 0 || dup2(slave, STDERR_FILENO) < 0)
		_exit(1);
	if (slave > STDERR_FILENO)
		close(slave);
	signal(SIGPIPE, SIG_DFL);
	setenv("TERM", c->term[0] ? c->term : "vt100", 1);
	unsetenv("LINES");
	unsetenv("COLUMNS");
	mmp_err_clear(&err);
	if (sshd_session_open(c, &ss, &err) != MMP_OK) {
		printf("FAILURE: %s\n", err.msg);
	} else {
		ss.out = stdout;
		ss.interactive = 1;
		if (c->mode == SSHD_MODE_EXEC) { /* ssh -t host 'command' */
			FILE *wrapped = cli_wrap_open(stdout); /* at the pty's width */
			if (wrapped != NULL)
				ss.out = wrapped;
			ss.prompt = cli_tty_prompt;
			status = cmd_run_line(&ss, c->command);
			if (wrapped != NULL) {
				fclose(wrapped);
				ss.out = stdout;
			}
		} else {
			status = cli_repl(&ss);
		}
		fflush(stdout);
		cli_session_close(&ss);
	}
	exit(status);
}

/* The REPL's output, to the client. */
static int from_pty(socket_t fd, int revents, void *ud)
{
	struct sshd_conn *c = ud;
	char buf[4096];
	ssize_t n = 0;

	if (revents & POLLIN) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			return 0;
		if (n > 0 && ssh_channel_write(c->channel, buf, (uint32_t)n) == SSH_ERROR)
			c->pty_done = 1;
		c->pty_output |= n > 0;
	}
	if (n <= 0 && (revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)))
		c->pty_done = 1; /* EIO once the slave side is closed */
	return 0;
}

/* Input that arrived before the REPL started. */
static void drain_pending(struct sshd_conn *c)
{
	char buf[4096];
	int n;

	while ((n = ssh_channel_read_nonblocking(c->channel, buf, sizeof(buf), 0)) > 0) {
		ssize_t off = 0;
		while (off < n) {
			ssize_t w = write(c->pty_master, buf + off, (size_t)(n - off));
			if (w <= 0)
				return;
			off += w;
		}
	}
}

/* Is the shell on the pty waiting for input? libedit's prompt holds the
 * terminal raw; a question (cli_tty_prompt) reads a cooked line with
 * ECHONL set. A command that runs leaves it cooked without ECHONL. */
static int waits_for_input(int master)
{
	struct termios t;

	return tcgetattr(master, &t) == 0 && (!(t.c_lflag & ICANON) || (t.c_lflag & ECHONL));
}

/* The client's EOF reaches the shell as ^U ^D typed where it waits for
 * input, after two quiet rounds in a row: ^U drops a last line that never
 * got its Enter (^D alone would only delete a character there, and the
 * shell would wait for ever), then ^D at the prompt ends the shell, in a
 * question it ends the answer (the command fails, nothing changes), and
 * again at the next prompt. Typed while a command runs, the tty would hand
 * it to whatever reads next, so never then. */
static void pass_eof(struct sshd_conn *c, int *quiet_rounds)
{
	if (!c->eof)
		return;
	if (c->pty_output || !waits_for_input(c->pty_master))
		*quiet_rounds = 0;
	else if (++*quiet_rounds >= 2 && write(c->pty_master, "\025\004", 2) == 2)
		*quiet_rounds = 0;
	c->pty_output = 0;
}

int sshd_pty_start(struct sshd_conn *c)
{
	int master, slave;
	pid_t pid;

	if (openpty(&master, &slave, NULL, NULL, &c->ws) != 0) {
		sshd_log(LOG_ERR, "%s: openpty: %s", c->source, strerror(errno));
		return -1;
	}
	if ((pid = fork()) == 0) {
		close(master);
		repl_child(c, slave);
	}
	close(slave);
	if (pid < 0) {
		close(master);
		return -1;
	}
	c->pty_pid = pid;
	c->pty_master = master;
	c->pty_done = c->pty_output = c->pty_quiet = 0;
	drain_pending(c);
	if (ssh_event_add_fd(c->event, master, POLLIN, from_pty, c) != SSH_OK)
		c->pty_done = 1;
	return 0;
}

int sshd_pty_step(struct sshd_conn *c)
{
	if (c->pty_done || c->closed)
		return 1;
	pass_eof(c, &c->pty_quiet);
	if (sshd_now() - c->last_input > c->lim->idle_seconds) { /* whole seconds: never early */
		sshd_idle_end(c, "\r\n"); /* issue 10: the shell gets SIGHUP below */
		return 1;
	}
	return 0;
}

int sshd_pty_finish(struct sshd_conn *c)
{
	int st = 0;

	ssh_event_remove_fd(c->event, c->pty_master);
	if (!c->pty_done)
		kill(c->pty_pid, SIGHUP); /* the client went away first */
	close(c->pty_master);
	c->pty_master = -1;
	while (waitpid(c->pty_pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
