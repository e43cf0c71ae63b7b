/*
 * channel.c: a session channel of a connection (issue 4; a few at once
 * since issue 13, see conn.h): accepts a
 * pty, then exactly one of shell, exec or the sftp subsystem; refuses env,
 * X11 and agent forwarding and other subsystems (libssh answers "failure"
 * to every request without a callback, and to port forwarding). Runs the
 * request as the logged-in user's session and sends its exit status.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <libssh/callbacks.h>

#include "cli/cli.h"
#include "conn.h"
#include "server.h"
#include "mmp/config.h"

static int on_pty(ssh_session s, ssh_channel ch, const char *term, int cols, int rows, int px,
		  int py, void *ud)
{
	struct sshd_conn *c = ud;
	size_t i;

	(void)s;
	(void)ch;
	if (c->mode != SSHD_MODE_NONE || c->pty)
		return -1;
	c->pty = 1;
	for (i = 0; term[i] != '\0' && i + 1 < sizeof(c->term); i++)
		c->term[i] = isalnum((unsigned char)term[i]) || strchr("-._+", term[i]) ? term[i] : '-';
	c->term[i] = '\0';
	c->ws.ws_col = (unsigned short)(cols > 0 && cols < 1000 ? cols : 80);
	c->ws.ws_row = (unsigned short)(rows > 0 && rows < 1000 ? rows : 24);
	c->ws.ws_xpixel = (unsigned short)(px > 0 && px < 65536 ? px : 0);
	c->ws.ws_ypixel = (unsigned short)(py > 0 && py < 65536 ? py : 0);
	return 0;
}

static int on_winch(ssh_session s, ssh_channel ch, int cols, int rows, int px, int py, void *ud)
{
	struct sshd_conn *c = ud;

	(void)s;
	(void)ch;
	if (!c->pty)
		return -1;
	c->ws.ws_xpixel = (unsigned short)(px > 0 && px < 65536 ? px : 0);
	c->ws.ws_ypixel = (unsigned short)(py > 0 && py < 65536 ? py : 0);
	c->ws.ws_col = (unsigned short)(cols > 0 && cols < 1000 ? cols : c->ws.ws_col);
	c->ws.ws_row = (unsigned short)(rows > 0 && rows < 1000 ? rows : c->ws.ws_row);
	if (c->pty_master >= 0)
		ioctl(c->pty_master, TIOCSWINSZ, &c->ws);
	return 0;
}

static int on_shell(ssh_session s, ssh_channel ch, void *ud)
{
	struct sshd_conn *c = ud;

	(void)s;
	(void)ch;
	if (c->mode != SSHD_MODE_NONE)
		return 1;
	c->mode = c->pty ? SSHD_MODE_PTY : SSHD_MODE_SCRIPT;
	return 0;
}

static int on_exec(ssh_session s, ssh_channel ch, const char *command, void *ud)
{
	struct sshd_conn *c = ud;

	(void)s;
	(void)ch;
	if (c->mode != SSHD_MODE_NONE || (c->command = strdup(command)) == NULL)
		return 1;
	c->mode = SSHD_MODE_EXEC;
	return 0;
}

static int on_subsystem(ssh_session s, ssh_channel ch, const char *name, void *ud)
{
	struct sshd_conn *c = ud;

	(void)s;
	(void)ch;
	if (c->mode != SSHD_MODE_NONE || strcmp(name, "sftp") != 0) {
		sshd_log(LOG_WARNING, "%s: %s: subsystem refused", c->source, c->user);
		return 1;
	}
	c->mode = SSHD_MODE_SFTP;
	return 0;
}

static int on_env(ssh_session s, ssh_channel ch, const char *name, const char *value, void *ud)
{
	(void)s;
	(void)ch;
	(void)name;
	(void)value;
	(void)ud;
	return 1; /* the shell's environment is not the client's to set */
}

uint64_t sshd_input_pos(const struct sshd_conn *c)
{
	return c->counter.in_bytes - c->dropped;
}

/* Follow the SFTP stream's framing over the bytes that arrived (the
 * channel's unread input is data[0..len), starting at stream offset
 * sshd_input_pos()): every request's 4-byte length field is read here,
 * the moment it arrives, and one over sftp_packet_bytes sets sftp_over
 * (sftp.c then ends the session without reading it). */
void sshd_sftp_frame(struct sshd_conn *c, const unsigned char *data, uint32_t len)
{
	uint64_t start = sshd_input_pos(c), end = start + len;
	uint64_t pos = c->seen > start ? c->seen : start;
	uint32_t n;

	while (pos < end && c->sftp_over == 0) {
		if (pos < c->sftp_next) { /* inside a request */
			pos = c->sftp_next < end ? c->sftp_next : end;
			continue;
		}
		c->sftp_len[pos - c->sftp_next] = data[pos - start];
		if (++pos < c->sftp_next + 4)
			continue;
		n = (uint32_t)c->sftp_len[0] << 24 | (uint32_t)c->sftp_len[1] << 16 |
		    (uint32_t)c->sftp_len[2] << 8 | c->sftp_len[3];
		if (n > (uint32_t)c->lim->sftp_packet_bytes) {
			c->sftp_over = n;
			break;
		}
		c->sftp_last = c->sftp_next;
		c->sftp_next += 4 + (uint64_t)n;
	}
	c->seen = end;
}

/* Typed input goes to the pty while one runs; otherwise it stays in the
 * channel's buffer for ssh_channel_read (script mode, prompts, sftp).
 * Extended data (stderr) from the client is never read: dropped. Once an
 * SFTP request is refused for its length, the rest of the input is left
 * unread: the channel's window is not opened again, so the client stops
 * sending (a 64 MiB WRITE is not pumped through only to be dropped). */
static int on_data(ssh_session s, ssh_channel ch, void *data, uint32_t len, int is_stderr,
		   void *ud)
{
	struct sshd_conn *c = ud;
	const char *p = data;
	uint32_t done = 0;

	(void)s;
	(void)ch;
	c->last_input = sshd_now();
	if (is_stderr) {
		c->dropped += len;
		return (int)len;
	}
	if (c->mode == SSHD_MODE_NONE || c->mode == SSHD_MODE_SFTP)
		sshd_sftp_frame(c, data, len);
	if (c->mode == SSHD_MODE_SFTP && c->sftp_over != 0)
		return 0; /* left unread: the window stays shut, the client stops */
	if (c->pty_master < 0)
		return 0;
	while (done < len) {
		ssize_t w = write(c->pty_master, p + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (uint32_t)w;
	}
	return (int)len; /* what could not be written is dropped with the pty */
}

static void on_eof(ssh_session s, ssh_channel ch, void *ud)
{
	struct sshd_conn *c = ud;

	(void)s;
	(void)ch;
	c->eof = 1; /* pty mode passes it on as ^D once the shell waits at its prompt */
}

static void on_close(ssh_session s, ssh_channel ch, void *ud)
{
	(void)s;
	(void)ch;
	((struct sshd_conn *)ud)->closed = 1;
}

enum mmp_rc sshd_session_open(struct sshd_conn *c, struct mmp_session *ss, struct mmp_err *err)
{
	if (cli_session_open(ss, c->root, err) != MMP_OK)
		return err->rc;
	cli_session_set_role(ss, c->role);
	snprintf(ss->user, sizeof(ss->user), "%s", c->user);
	snprintf(ss->source, sizeof(ss->source), "%s", c->source);
	ss->interactive = 0;
	ss->prompt = NULL;
	return MMP_OK;
}

/* A prompt inside a command run by exec reads the next line of the
 * client's input, as script mode does (SPEC §1); EOF fails the command. */
static enum mmp_rc chan_prompt(struct mmp_session *ss, const char *prompt, int secret, char *buf,
			       size_t size)
{
	size_t n;

	(void)prompt;
	(void)secret;
	if (fgets(buf, (int)size, ss->prompt_ctx) == NULL) {
		explicit_bzero(buf, size);
		return MMP_ERR_CANCEL;
	}
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return MMP_OK;
}

static void audit_refusal(struct sshd_conn *c, const char *line)
{
	struct mmp_err err;
	struct cfg *cfg = cfg_open(c->root, &err);

	if (cfg != NULL)
		audit_add(cfg, c->user, c->source, "command", line, "refused", &err);
	cfg_close(cfg);
}

/* exec and shell without a pty, in this process. */
static int run_commands(struct sshd_conn *c, FILE *out)
{
	struct mmp_session ss;
	struct mmp_err err;
	FILE *in;
	int status;

	mmp_err_clear(&err);
	if ((in = sshd_chan_reader(c)) == NULL)
		return 1;
	if (sshd_session_open(c, &ss, &err) != MMP_OK) {
		fprintf(out, "FAILURE: %s\n", err.msg);
		fclose(in);
		return 1;
	}
	ss.out = out;
	if (c->mode == SSHD_MODE_EXEC) {
		ss.prompt = chan_prompt;
		ss.prompt_ctx = in;
		status = cmd_run_line(&ss, c->command);
	} else {
		status = cli_script(&ss, in, 0);
	}
	fflush(out);
	cli_session_close(&ss);
	fclose(in);
	return status;
}

static const char *mode_name(const struct sshd_conn *c)
{
	switch (c->mode) {
	case SSHD_MODE_EXEC: return c->pty ? "exec (pty)" : "exec";
	case SSHD_MODE_SFTP: return "sftp";
	case SSHD_MODE_PTY: return "shell (pty)";
	default: return "shell (script)";
	}
}

static int is_scp(const struct sshd_conn *c)
{
	return c->mode == SSHD_MODE_EXEC &&
	       (strcmp(c->command, "scp") == 0 || strncmp(c->command, "scp ", 4) == 0);
}

/* A session that may not run: a FAILURE line on stderr (never in the SFTP
 * stream) and in the audit log; exit status 1. */
static int refuse(struct sshd_conn *c, const char *why, const char *what)
{
	FILE *err = sshd_chan_writer(c->channel, 1);

	if (err != NULL) {
		fprintf(err, "FAILURE: %s\n", why);
		fclose(err);
	}
	audit_refusal(c, what);
	return 1;
}

/* The request, for a user whose role may have a shell; appadmin and api
 * users (issue 4), scp, and sessions over the listener's caps (issue 10)
 * get a FAILURE line on stderr instead. */
int sshd_chan_begin(struct sshd_conn *c)
{
	int shell_role = (c->role & ROLES_ALL) != 0, status;
	const char *what = c->mode == SSHD_MODE_EXEC ? "(exec)" : c->mode == SSHD_MODE_SFTP ? "(sftp)"
											 : "(shell)";
	char why[320];
	FILE *out;

	sshd_log(LOG_INFO, "%s: %s: %s", c->source, c->user, mode_name(c));
	c->last_input = sshd_now();
	if (c->refused[0] != '\0') {
		snprintf(why, sizeof(why), "%s", c->refused);
		return refuse(c, why, what);
	}
	if (!shell_role) {
		snprintf(why, sizeof(why),
			 "the %s role cannot open a shell, run commands or use SFTP: log in as an admin, crypto or audit user",
			 users_role_name(c->role));
		return refuse(c, why, what);
	}
	if (is_scp(c))
		return refuse(c, "scp is not available: use sftp to move files in and out of the file store",
			      "scp");
	if (c->pty && c->mode != SSHD_MODE_SFTP)
		return sshd_pty_start(c) == 0 ? 0 : 1;
	if (c->mode == SSHD_MODE_SFTP)
		return (c->sftp = sshd_sftp_start(c)) != NULL ? 0 : 1;
	if ((out = sshd_chan_writer(c->channel, 0)) == NULL)
		return 1;
	c->busy = 1; /* the others are served while it waits for input */
	status = run_commands(c, out);
	c->busy = 0;
	fclose(out);
	return status;
}

void sshd_chan_prepare(struct sshd_conn *c)
{
	memset(&c->cb, 0, sizeof(c->cb));
	c->cb.userdata = c;
	c->cb.channel_pty_request_function = on_pty;
	c->cb.channel_pty_window_change_function = on_winch;
	c->cb.channel_shell_request_function = on_shell;
	c->cb.channel_exec_request_function = on_exec;
	c->cb.channel_subsystem_request_function = on_subsystem;
	c->cb.channel_env_request_function = on_env;
	c->cb.channel_data_function = on_data;
	c->cb.channel_eof_function = on_eof;
	c->cb.channel_close_function = on_close;
	ssh_callbacks_init(&c->cb);
	ssh_set_channel_callbacks(c->channel, &c->cb);
	ssh_channel_set_counter(c->channel, &c->counter);
}

