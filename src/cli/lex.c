/*
 * lex.c: splits one command line into words (SPEC §2): blanks separate,
 * double quotes group, \" and \\ escape inside quotes, a "NAME:" word
 * followed by a quoted word takes that word as its value.
 */
#include <stdlib.h>
#include <string.h>

#include "mmp/cmd.h"
#include "mmp/lex.h"

int lex_is_blank(const char *line)
{
	while (*line == ' ' || *line == '\t' || *line == '\r' || *line == '\n')
		line++;
	return *line == '\0' || *line == '#';
}

void lex_free(struct lex_words *w)
{
	int i;

	if (w == NULL || w->argv == NULL)
		return;
	for (i = 0; i < w->argc; i++) { /* a word may be a password */
		explicit_bzero(w->argv[i], strlen(w->argv[i]));
		free(w->argv[i]);
	}
	free(w->argv);
	w->argv = NULL;
	w->argc = 0;
}

/* Is w "NAME:" (an attribute name with nothing after the colon)? */
static int is_bare_attr(const char *w)
{
	size_t n = strlen(w), i;

	if (n < 2 || w[n - 1] != ':')
		return 0;
	for (i = 0; i + 1 < n; i++)
		if (!((w[i] >= 'a' && w[i] <= 'z') || (w[i] >= 'A' && w[i] <= 'Z')))
			return 0;
	return 1;
}

static enum mmp_rc check_line(const char *line, size_t len, struct mmp_err *err)
{
	size_t i;

	if (len > CMD_LINE_MAX)
		return mmp_err_set(err, MMP_ERR_USAGE,
				   "line is %zu bytes, more than %d: split the command or use shorter names",
				   len, CMD_LINE_MAX);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return mmp_err_set(err, MMP_ERR_USAGE,
					   "control character 0x%02x at column %zu: remove it and type the command again",
					   c, i + 1);
	}
	return MMP_OK;
}

enum mmp_rc lex_split(const char *line, struct lex_words *out, struct mmp_err *err)
{
	size_t len = strlen(line), i = 0, o;
	char *word = NULL;
	int prev_bare = 0; /* previous word was "NAME:" */
	enum mmp_rc rc;

	out->argc = 0;
	out->argv = calloc(CMD_ARGS_MAX + 1, sizeof(char *));
	if (out->argv == NULL)
		return mmp_err_set(err, MMP_ERR_NOMEM, "out of memory");
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if ((rc = check_line(line, len, err)) != MMP_OK)
		goto fail;
	if ((word = malloc(len + 1)) == NULL) {
		rc = mmp_err_set(err, MMP_ERR_NOMEM, "out of memory");
		goto fail;
	}
	while (i < len) {
		int quoted = 0;
		size_t start, qcol = 0;

		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i >= len)
			break;
		start = i;
		o = 0;
		while (i < len && line[i] != ' ' && line[i] != '\t') {
			if (line[i] != '"') {
				word[o++] = line[i++];
				continue;
			}
			quoted = 1;
			qcol = i + 1;
			for (i++; i < len && line[i] != '"'; i++) {
				if (line[i] == '\\' && i + 1 < len &&
				    (line[i + 1] == '"' || line[i + 1] == '\\'))
					i++;
				word[o++] = line[i];
			}
			if (i >= len) {
				rc = mmp_err_set(err, MMP_ERR_USAGE,
						 "unterminated quote at column %zu: close it with \"",
						 qcol);
				goto fail;
			}
			i++; /* closing quote */
		}
		word[o] = '\0';
		if (prev_bare && quoted && line[start] == '"') {
			/* "CN:" "My company CA" -> CN:My company CA */
			char *joined, *prev = out->argv[out->argc - 1];
			size_t pl = strlen(prev);
			if ((joined = realloc(prev, pl + o + 1)) == NULL) {
				rc = mmp_err_set(err, MMP_ERR_NOMEM, "out of memory");
				goto fail;
			}
			memcpy(joined + pl, word, o + 1);
			out->argv[out->argc - 1] = joined;
			prev_bare = 0;
			continue;
		}
		if (out->argc >= CMD_ARGS_MAX) {
			rc = mmp_err_set(err, MMP_ERR_USAGE,
					 "more than %d words on one line: split the command",
					 CMD_ARGS_MAX);
			goto fail;
		}
		if ((out->argv[out->argc] = strdup(word)) == NULL) {
			rc = mmp_err_set(err, MMP_ERR_NOMEM, "out of memory");
			goto fail;
		}
		out->argc++;
		prev_bare = !quoted && is_bare_attr(word);
	}
	free(word);
	return MMP_OK;
fail:
	free(word);
	lex_free(out);
	return rc;
}
