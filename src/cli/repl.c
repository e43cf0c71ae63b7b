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

int cli_repl(struct mmp_session *ss)
{
	char prompt[80];
	char *line;
	int status = 0, secret;

	cur = ss;
	ss->prompt = cli_tty_prompt;
	/* Ctrl-C must not end the session (over SSH it would drop the
	 * connection): at the prompt and in a question it does nothing; an
	 * empty answer cancels a question, exit leaves */
	signal(SIGINT, SIG_IGN);
	rl_catch_signals = 0; /* libedit would re-raise it after leaving raw mode */
	rl_readline_name = "mmp";
	rl_attempted_completion_function = complete_cb;
	rl_basic_word_break_characters = " \t";
	using_history();
	stifle_history(500);
	while (!ss->quit) {
		snprintf(prompt, sizeof(prompt), "%s> ", ss->hostname);
		line = readline(prompt);
		if (line == NULL) {
			fprintf(ss->out, "\n");
			break;
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
	return status;
}
