/*
 * wrap.c: output on a terminal (issue 12 item 5.5): a line longer than the
 * terminal is wide is broken at word boundaries, each further piece
 * indented under the text of its first ("FAILURE: " and "Name : " lines
 * continue under their text). The one place that wraps: a FILE put in
 * front of the session's output by the REPL and by -c on a terminal.
 * Scripts, pipes and JSON lines pass unchanged.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <unistd.h>

#include "cli.h"

struct wrap {
	FILE *to;
	char *line; /* the line being written, until its newline */
	size_t n, cap;
	int raw;    /* the start of this line went out unwrapped (a prompt) */
};

/* Columns a byte takes: UTF-8 continuation bytes take none. */
static int cols(unsigned char c)
{
	return (c & 0xC0) != 0x80;
}

static int term_width(FILE *to)
{
	struct winsize ws;

	if (ioctl(fileno(to), TIOCGWINSZ, &ws) != 0 || ws.ws_col < 20)
		return 0;
	return ws.ws_col;
}

/* Where the pieces after the first begin: under the text after a
 * "WORD: " prefix ("FAILURE: ", "line 3: FAILURE: "), after a table's
 * " : ", else two columns in from the line's own indent. */
size_t cli_wrap_indent(const char *s, size_t n)
{
	static const char *const prefixes[] = { "FAILURE: ", "WARNING: ", "SUCCESS: ", NULL };
	const char *p = s, *sep;
	size_t lead = 0;
	int i;

	if (n > 5 && strncmp(p, "line ", 5) == 0) { /* script mode's "line N: " */
		size_t d = strspn(p + 5, "0123456789");
		if (d > 0 && p[5 + d] == ':' && p[6 + d] == ' ')
			p += 7 + d;
	}
	for (i = 0; prefixes[i] != NULL; i++)
		if ((size_t)(p - s) + strlen(prefixes[i]) <= n &&
		    strncmp(p, prefixes[i], strlen(prefixes[i])) == 0)
			return (size_t)(p - s) + strlen(prefixes[i]);
	sep = memmem(s, n < 48 ? n : 48, " : ", 3);
	if (sep != NULL)
		return (size_t)(sep - s) + 3;
	while (lead < n && s[lead] == ' ')
		lead++;
	/* "  word     what it is" (help, ?): under the second column */
	sep = lead > 0 ? memmem(s + lead, (n < 48 ? n : 48) - (n < lead ? n : lead), "  ", 2) : NULL;
	if (sep != NULL) {
		size_t col = (size_t)(sep - s);
		while (col < n && s[col] == ' ')
			col++;
		if (col < n)
			return col;
	}
	return lead + 2;
}

void cli_wrap_line(FILE *to, const char *s, size_t n, int width)
{
	size_t indent = cli_wrap_indent(s, n), pos = 0, first = 1;

	if (indent > (size_t)width / 2)
		indent = (size_t)width / 2;
	while (pos < n) {
		size_t avail = (size_t)width - (first ? 0 : indent), used = 0, i, brk = 0;
		int fits = 1;
		for (i = pos; i < n; i++) {
			used += (size_t)cols((unsigned char)s[i]);
			if (used > avail) {
				fits = 0;
				break;
			}
			if (s[i] == ' ' && (!first || i >= indent)) /* not in "FAILURE: " */
				brk = i;
		}
		if (!first)
			fprintf(to, "%*s", (int)indent, "");
		if (fits) {
			fwrite(s + pos, 1, n - pos, to);
			break;
		}
		if (brk <= pos) { /* one word wider than the line: cut it (s[i]
				   * starts a character: only those take a column) */
			fwrite(s + pos, 1, i - pos, to);
			pos = i;
		} else {
			size_t end = brk;
			while (end > pos && s[end - 1] == ' ')
				end--;
			fwrite(s + pos, 1, end - pos, to);
			pos = brk + 1;
		}
		while (pos < n && s[pos] == ' ')
			pos++;
		fputc('\n', to);
		first = 0;
	}
}

/* JSON keeps one line per message: a line that starts (after blanks)
 * with { [ " ] } is never broken. */
static int is_json(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] == ' ')
		i++;
	return i < n && strchr("{[\"]}", s[i]) != NULL;
}

static void end_line(struct wrap *w)
{
	int width = term_width(w->to);

	if (w->raw || width == 0 || is_json(w->line, w->n))
		fwrite(w->line, 1, w->n, w->to);
	else
		cli_wrap_line(w->to, w->line, w->n, width);
	fputc('\n', w->to);
	w->n = 0;
	w->raw = 0;
}

static ssize_t wrap_write(void *cookie, const char *buf, size_t size)
{
	struct wrap *w = cookie;
	size_t i;

	for (i = 0; i < size; i++) {
		if (buf[i] == '\n') {
			end_line(w);
			continue;
		}
		if (w->n == w->cap) {
			size_t nc = w->cap ? w->cap * 2 : 256;
			char *nl = realloc(w->line, nc);
			if (nl == NULL) { /* pass it on as it is */
				fwrite(w->line, 1, w->n, w->to);
				w->n = 0;
				w->raw = 1;
				fputc(buf[i], w->to);
				continue;
			}
			w->line = nl;
			w->cap = nc;
		}
		w->line[w->n++] = buf[i];
	}
	/* what is left is a line without its newline yet, flushed: a
	 * question waiting for its answer; it goes out as it is */
	if (w->n > 0) {
		fwrite(w->line, 1, w->n, w->to);
		w->n = 0;
		w->raw = 1;
	}
	fflush(w->to);
	return (ssize_t)size;
}

static int wrap_close(void *cookie)
{
	struct wrap *w = cookie;

	if (w->n > 0)
		fwrite(w->line, 1, w->n, w->to);
	fflush(w->to);
	free(w->line);
	free(w);
	return 0;
}

FILE *cli_wrap_open(FILE *to)
{
	static const cookie_io_functions_t io = { NULL, wrap_write, NULL, wrap_close };
	struct wrap *w;
	FILE *fp;

	if (!isatty(fileno(to)) || (w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	w->to = to;
	if ((fp = fopencookie(w, "w", io)) == NULL) {
		free(w);
		return NULL;
	}
	/* whole lines reach wrap_write: only a flush or a very long output
	 * cuts one (then its start goes out unwrapped) */
	setvbuf(fp, NULL, _IOFBF, 1 << 16);
	return fp;
}
