/*
 * repl.c: interactive mode on a terminal (SPEC §1) with libedit: the
 * "<hostname>> " prompt, history, Tab completion of command words and of
 * file names in the store, and no-echo password prompts that never reach
 * the history. libedit is used only here.
 */
#include <editline/readline.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "complete.h"
#include "mmp/lex.h"

static struct mmp_session *cur; /* libedit's callbacks carry no context */
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

enum mmp_rc cli_tty_prompt(struct mmp_session *ss, const char *prompt, int secret,
			   char *buf, size_t size)
{
	struct termios old, ask;
	struct sigaction sa, old_sa;
	int restore = 0;
	char *got;
	size_t n;

	/* the terminal, also while JSON mode catches ss->out */
	fprintf(cli_res_terminal(ss), "%s", prompt);
	fflush(cli_res_terminal(ss));
	/* A question reads a cooked line with ECHONL set: the newline shows
	 * even when the answer (a password) does not, and mmp-sshd's pty
	 * reads that mode as "waiting for an answer", where a client's end
	 * of input becomes a ^D (src/ssh/pty.c). A password is typed after
	 * its prompt: what was typed ahead is dropped (TCSAFLUSH, as
	 * OpenSSH's readpassphrase does), so it is never taken as one. */
	if (tcgetattr(STDIN_FILENO, &old) == 0) {
		ask = old;
		ask.c_lflag |= ICANON | ECHONL;
		if (secret)
			ask.c_lflag &= ~(tcflag_t)ECHO;
		restore = tcsetattr(STDIN_FILENO, secret ? TCSAFLUSH : TCSANOW, &ask) == 0;
	}
	/* Ctrl-C cancels the question (the shell ignores it elsewhere): the
	 * handler has no SA_RESTART, so the read returns at once */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	interrupted = 0;
	sigaction(SIGINT, &sa, &old_sa);
	got = fgets(buf, (int)size, stdin);
	sigaction(SIGINT, &old_sa, NULL);
	if (got == NULL || interrupted) {
		explicit_bzero(buf, size);
		clearerr(stdin);
		if (restore)
			tcsetattr(STDIN_FILENO, TCSAFLUSH, &old); /* drop what was typed */
		fprintf(cli_res_terminal(ss), "\n");
		return MMP_ERR_CANCEL;
	}
	if (restore)
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return MMP_OK;
}

static char **complete_cb(const char *text, int start, int end)
{
	char **m;

	(void)end;
	rl_attempted_completion_over = 1; /* never fall back to local files */
	m = cli_complete(cur, rl_line_buffer, start, text);
	return m;
}

static volatile sig_atomic_t dropped; /* Ctrl-C ended the line being typed */

/* Ctrl-C at the prompt (issue 12 item 5.1): the line typed is dropped
 * and a fresh prompt given. The prompt's terminal mode does not turn
 * Ctrl-C into SIGINT (setty -isig below), so it reaches libedit as a key
 * wherever the shell runs, on the console and on mmp-sshd's pty alike;
 * an Enter is pushed to end the line, which the loop then throws away. */
static int on_ctrl_c(int count, int key)
{
	(void)count;
	(void)key;
	dropped = 1;
	return rl_insert(1, '\n');
}

/* ? at the prompt (issue 12 item 5.2): what may come next, at once and
 * without Enter, then the prompt again with the line as typed (as IOS
 * does). Ctrl-V ? types a '?'. */
static int on_question(int count, int key)
{
	(void)count;
	(void)key;
	fputc('\n', cur->out);
	cli_help_next(cur, rl_line_buffer, rl_point, cur->out);
	fflush(cur->out);
	rl_forced_update_display();
	return 0;
}

/* Before each prompt (readline sets the terminal up anew every time):
 * the edit mode keeps Ctrl-C from the kernel (no SIGINT) and gives it to
 * on_ctrl_c as a key. */
static int before_prompt(void)
{
	rl_parse_and_bind("setty -d -isig");
	rl_parse_and_bind("bind ^C mmp-interrupt");
	return 0;
}

int cli_repl(struct mmp_session *ss)
{
	char prompt[sizeof(ss->hostname) + 8];
	char *line;
	int status = 0, secret;
	FILE *tty_out = ss->out, *wrapped = cli_wrap_open(ss->out);

	if (wrapped != NULL)
		ss->out = wrapped;
	cur = ss;
	ss->prompt = cli_tty_prompt;
	/* Ctrl-C must not end the session (over SSH it would drop the
	 * connection): at the prompt it is a key (on_ctrl_c); while a
	 * command runs it does nothing; in a question it cancels it */
	signal(SIGINT, SIG_IGN);
	rl_catch_signals = 0; /* libedit would re-raise it after leaving raw mode */
	rl_readline_name = "mmp";
	rl_attempted_completion_function = complete_cb;
	rl_basic_word_break_characters = " \t";
	rl_initialize();
	rl_add_defun("mmp-interrupt", on_ctrl_c, 3);
	rl_add_defun("mmp-help", on_question, '?');
	rl_pre_input_hook = before_prompt;
	using_history();
	stifle_history(500);
	fprintf(ss->out, "Type help or ? for the commands, exit to leave.\n");
	cli_login_alarms(ss);
	fflush(ss->out);
	while (!ss->quit) {
		snprintf(prompt, sizeof(prompt), "%s> ", ss->hostname);
		dropped = 0;
		line = readline(prompt);
		if (line == NULL) {
			fprintf(ss->out, "\n");
			break;
		}
		if (dropped) {
			explicit_bzero(line, strlen(line)); /* not run, not in the history */
			free(line);
			continue;
		}
		/* a line with a password on it (a COMPLETE_SECRET argument in
		 * the command table) never enters the history (issue 10 item 8) */
		secret = cmd_line_has_secret(line);
		if (!lex_is_blank(line) && !secret)
			add_history(line);
		if (cmd_run_line(ss, line) != 0)
			status = 1;
		if (secret)
			explicit_bzero(line, strlen(line));
		free(line);
	}
	clear_history();
	cur = NULL;
	if (wrapped != NULL) {
		fclose(wrapped);
		ss->out = tty_out;
	}
	return status;
}
