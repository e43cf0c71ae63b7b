/*
 * script.c: script mode (SPEC §1): one command per line from a stream that
 * is not a terminal; a prompt inside a command reads the next line, and
 * fails at end of input instead of waiting. Every FAILURE line names the
 * script's line it comes from ("line 12: FAILURE: ...").
 */
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "cli.h"

/* The output of script mode: what the commands print, passed on to the
 * session's stream with "line N: " before each line that starts with
 * "FAILURE: " (issue 11: as the WARNINGs about answer lines name theirs).
 * Every FAILURE of every command gets it in this one place. */
#define TAG_WORD "FAILURE: "
#define TAG_LEN (sizeof(TAG_WORD) - 1)
struct line_tag {
	FILE *to;
	unsigned long line; /* the script line running; 0: none */
	char pend[TAG_LEN]; /* the start of a line, until it is known */
	size_t npend;
	int mid;            /* inside a line whose start is passed on */
};

static void tag_pass(struct line_tag *t)
{
	if (t->npend == TAG_LEN && memcmp(t->pend, TAG_WORD, TAG_LEN) == 0 && t->line > 0)
		fprintf(t->to, "line %lu: ", t->line);
	fwrite(t->pend, 1, t->npend, t->to);
	t->npend = 0;
	t->mid = 1;
}

static ssize_t tag_write(void *cookie, const char *buf, size_t size)
{
	struct line_tag *t = cookie;
	size_t i;

	for (i = 0; i < size; i++) {
		char c = buf[i];
		if (!t->mid) {
			t->pend[t->npend++] = c;
			/* known once it differs from "FAILURE: ", ends, or is it */
			if (c == '\n' || c != TAG_WORD[t->npend - 1] || t->npend == TAG_LEN)
				tag_pass(t);
		} else {
			/* the rest of the line, up to and with its newline, at once */
			const char *nl = memchr(buf + i, '\n', size - i);
			size_t n = nl != NULL ? (size_t)(nl - (buf + i)) + 1 : size - i;
			fwrite(buf + i, 1, n, t->to);
			i += n - 1;
			c = buf[i];
		}
		if (c == '\n')
			t->mid = 0;
	}
	fflush(t->to);
	return (ssize_t)size;
}

static int tag_close(void *cookie)
{
	struct line_tag *t = cookie;

	if (t->npend > 0)
		tag_pass(t);
	fflush(t->to);
	return 0;
}

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
		res_check(ss, REPORT_FAILURE, "shell.answer_unusable", NULL, 0, NULL,
			  "the answer line is %s: it is not used",
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
		res_session_check(ss, REPORT_WARNING, "script.answer_skipped",
				  "line %lu not run and not shown: it is an answer to %s, which stopped before asking for it",
				  *lineno, ss->ran->path);
	}
}

int cli_script(struct mmp_session *ss, FILE *in, int stop_on_error)
{
	static const cookie_io_functions_t tag_io = { NULL, tag_write, NULL, tag_close };
	struct line_tag tag = { ss->out, 0, { 0 }, 0, 0 };
	char *line = malloc(CMD_LINE_MAX + 2);
	FILE *out = NULL, *tagged;
	int status = 0, r;
	unsigned long lineno = 0;

	if (line == NULL || (tagged = fopencookie(&tag, "w", tag_io)) == NULL) {
		free(line);
		fprintf(ss->out, "FAILURE: out of memory\n");
		return 1;
	}
	out = ss->out;
	ss->out = tagged;
	ss->prompt = script_prompt;
	ss->prompt_ctx = in;
	while (!ss->quit && (r = read_line(in, line, CMD_LINE_MAX + 2)) != -1) {
		int failed = 1;

		lineno++;
		fflush(ss->out);
		tag.line = lineno;
		/* a script saved by Notepad starts with a UTF-8 BOM: not a word */
		if (lineno == 1 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
			memmove(line, line + 3, strlen(line + 3) + 1);
		ss->ran = NULL;
		ss->line_no = lineno;
		if (r == 1) {
			res_session_check(ss, REPORT_FAILURE, "script.line_too_long",
					  "the line is longer than %d bytes: split the command or use shorter names",
					  CMD_LINE_MAX);
		} else if (r == 2) {
			res_session_check(ss, REPORT_FAILURE, "script.nul_byte",
					  "the line holds a NUL byte: remove it and run the script again");
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
	ss->line_no = 0;
	explicit_bzero(line, CMD_LINE_MAX + 2);
	free(line);
	fclose(tagged);
	ss->out = out;
	return status;
}

int cli_script_line(struct mmp_session *ss, const char *line)
{
	ss->prompt = ss->interactive ? cli_tty_prompt : script_prompt;
	ss->prompt_ctx = stdin;
	return cmd_run_line(ss, line);
}
