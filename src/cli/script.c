/*
 * script.c: script mode (SPEC §1): one command per line from a stream that
 * is not a terminal; a prompt inside a command reads the next line, and
 * fails at end of input instead of waiting.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Read one line of at most CMD_LINE_MAX bytes; a longer one is read to its
 * end and reported. Returns -1 at end of input, 1 too long, 2 NUL inside. */
static int read_line(FILE *in, char *buf, size_t size)
{
	size_t n = 0;
	int c, nul = 0, too_long = 0;

	while ((c = getc(in)) != EOF && c != '\n') {
		if (c == '\0')
			nul = 1;
		if (n + 1 < size)
			buf[n++] = (char)c;
		else
			too_long = 1;
	}
	buf[n] = '\0';
	if (c == EOF && n == 0 && !too_long && !nul)
		return -1;
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return too_long ? 1 : nul ? 2 : 0;
}

static enum mmp_rc script_prompt(struct mmp_session *ss, const char *prompt, int secret,
				 char *buf, size_t size)
{
	FILE *in = ss->prompt_ctx;

	int r;

	(void)prompt;
	(void)secret;
	if ((r = read_line(in, buf, size)) != 0) {
		explicit_bzero(buf, size);
		if (r == -1)
			return MMP_ERR_CANCEL;
		/* the line was this question's answer, though not a usable one:
		 * it is taken, so the next line stays a command */
		ss->answers++;
		fprintf(ss->out, "FAILURE: the answer line is %s: it is not used\n",
			r == 1 ? "too long for this question" : "holding a NUL byte");
		return MMP_ERR_CANCEL;
	}
	ss->answers++;
	return MMP_OK;
}

/* The answer lines a command that asks questions (CMD_ASKS, or fewer when
 * it set ss->asks) did not read,
 * because it stopped before asking: they are taken anyway, neither run nor
 * shown, so a password never runs as a command or lands in a message. */
static void skip_answers(struct mmp_session *ss, FILE *in, char *line, unsigned long *lineno)
{
	int asks = ss->ran == NULL ? 0 : ss->asks >= 0 ? ss->asks : CMD_ASKS_OF(ss->ran->flags);
	int left = asks - ss->answers;

	for (; left > 0 && read_line(in, line, CMD_LINE_MAX + 2) != -1; left--) {
		++*lineno;
		fprintf(ss->out, "WARNING: line %lu not run and not shown: it is an answer to %s, which stopped before asking for it\n",
			*lineno, ss->ran->path);
	}
}

int cli_script(struct mmp_session *ss, FILE *in, int stop_on_error)
{
	char *line = malloc(CMD_LINE_MAX + 2);
	int status = 0, r;
	unsigned long lineno = 0;

	if (line == NULL) {
		fprintf(ss->out, "FAILURE: out of memory\n");
		return 1;
	}
	ss->prompt = script_prompt;
	ss->prompt_ctx = in;
	while (!ss->quit && (r = read_line(in, line, CMD_LINE_MAX + 2)) != -1) {
		int failed = 1;

		lineno++;
		/* a script saved by Notepad starts with a UTF-8 BOM: not a word */
		if (lineno == 1 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
			memmove(line, line + 3, strlen(line + 3) + 1);
		ss->ran = NULL;
		if (r == 1) {
			fprintf(ss->out, "FAILURE: line %lu is longer than %d bytes: split the command or use shorter names\n",
				lineno, CMD_LINE_MAX);
		} else if (r == 2) {
			fprintf(ss->out, "FAILURE: line %lu holds a NUL byte: remove it and run the script again\n",
				lineno);
		} else {
			ss->answers = 0;
			ss->asks = -1;
			failed = cmd_run_line(ss, line) != 0;
			lineno += (unsigned long)ss->answers;
			skip_answers(ss, in, line, &lineno);
		}
		/* a line that named no command may be a mistyped one whose
		 * password follows */
		ss->hide_unknown = failed && ss->ran == NULL;
		if (!failed)
			continue;
		status = 1;
		fflush(ss->out);
		if (stop_on_error)
			break;
	}
	explicit_bzero(line, CMD_LINE_MAX + 2);
	free(line);
	return status;
}

int cli_script_line(struct mmp_session *ss, const char *line)
{
	ss->prompt = ss->interactive ? cli_tty_prompt : script_prompt;
	ss->prompt_ctx = stdin;
	return cmd_run_line(ss, line);
}
