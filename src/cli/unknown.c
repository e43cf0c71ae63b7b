/*
 * unknown.c: what the dispatcher says about a line that names no command:
 * the closest valid words of an unknown one, the words that may follow
 * the start of commands ("user"), and what an ambiguous prefix may be
 * ("pki s"). Split from dispatch.c, which calls these.
 */
#include <string.h>

#include "cli.h"

static size_t edit_distance(const char *a, size_t al, const char *b, size_t bl)
{
	size_t row[65], i, j, prev, tmp;

	if (al > 64 || bl > 64)
		return 99;
	for (j = 0; j <= bl; j++)
		row[j] = j;
	for (i = 1; i <= al; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= bl; j++) {
			tmp = row[j];
			row[j] = a[i - 1] == b[j - 1] ? prev
				 : 1 + (prev < row[j] ? (prev < row[j - 1] ? prev : row[j - 1])
						      : (row[j] < row[j - 1] ? row[j] : row[j - 1]));
			prev = tmp;
		}
	}
	return row[bl];
}

/* The valid words at position depth after the words argv[0..depth-1],
 * closest to argv[depth] first; written as "a", "b" into buf. */
static int suggest(char **argv, int depth, char *buf, size_t size)
{
	const struct mmp_cmd *c;
	const char *seen[64];
	size_t nseen = 0, o = 0, k;
	const char *bad = argv[depth];
	size_t best = 99;
	int pass;

	buf[0] = '\0';
	for (pass = 0; pass < 2; pass++) {
		for (c = cmd_all(); c->path != NULL; c++) {
			const char *ws;
			size_t wl, d;
			int i;

			if (cli_path_words(c->path) <= depth || c->path[0] == '?')
				continue;
			for (i = 0; i < depth; i++)
				if (!cli_path_word(c->path, i, argv[i], &ws, &wl))
					break;
			if (i < depth)
				continue;
			cli_path_word(c->path, depth, NULL, &ws, &wl);
			d = edit_distance(bad, strlen(bad), ws, wl);
			if (strncmp(ws, bad, strlen(bad)) == 0 && strlen(bad) > 0)
				d = 0;
			if (pass == 0) {
				if (d < best)
					best = d;
				continue;
			}
			/* the closest words; every sub-command when none is close */
			if (!((d == best && best <= 2) || (depth > 0 && best > 2)))
				continue;
			for (k = 0; k < nseen; k++)
				if (strlen(seen[k]) >= wl && strncmp(seen[k], ws, wl) == 0 &&
				    (seen[k][wl] == '\0' || seen[k][wl] == ' '))
					break;
			if (k < nseen || nseen == 64)
				continue;
			seen[nseen++] = ws;
			o += (size_t)snprintf(buf + o, o < size ? size - o : 0, "%s\"%.*s\"",
					      o ? ", " : "", (int)wl, ws);
		}
	}
	return best <= 2;
}

/* Do the n words of argv start a longer command path ("user",
 * "webbridge3 c2w")? */
int cli_starts_paths(char **argv, int n)
{
	const struct mmp_cmd *c;
	const char *ws;
	size_t wl;
	int i;

	for (c = cmd_all(); c->path != NULL; c++) {
		if (cli_path_words(c->path) <= n)
			continue;
		for (i = 0; i < n; i++)
			if (!cli_path_word(c->path, i, argv[i], &ws, &wl))
				break;
		if (i == n)
			return 1;
	}
	return 0;
}

/* The first n words, each as a message echoes it, joined by tail after
 * each (" " between them when tail is NULL). */
static const char *words_shown(char **argv, int n, const char *tail, char *buf, size_t size)
{
	char shown[CLI_SHOWN_MAX];
	size_t o = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		o += (size_t)snprintf(buf + o, o < size ? size - o : 0, "%s%s%s",
				      tail == NULL && i ? " " : "", SHOWN(argv[i]),
				      tail != NULL ? tail : "");
	return buf;
}

/* "user", "webbridge3 c2w": the start of commands, not one. */
static int fail_incomplete(struct mmp_session *ss, char **argv, int n)
{
	char sugg[512], words_buf[4096];
	char *words[CMD_ARGS_MAX + 1];
	int i;

	for (i = 0; i < n; i++)
		words[i] = argv[i];
	words[n] = (char *)"";
	suggest(words, n, sugg, sizeof(sugg));
	res_check(ss, REPORT_FAILURE, "shell.incomplete", NULL, 0, NULL,
		  "\"%s\" needs more words: %s may follow; type help %s for the usage",
		  words_shown(argv, n, NULL, words_buf, sizeof(words_buf)), sugg, argv[0]);
	return 1;
}

int cli_fail_unknown(struct mmp_session *ss, char **argv, int depth)
{
	char sugg[512], words_buf[4096];
	int close;

	if (cli_starts_paths(argv, depth + 1))
		return fail_incomplete(ss, argv, depth + 1);
	if (ss->hide_unknown) { /* only the words that are commands are shown */
		res_check(ss, REPORT_FAILURE, "shell.unknown_command", NULL, 0, NULL,
			  "unknown command%s%s%s (the rest is not shown: it follows a line that named no command, and may be"
			  " the password of a mistyped one): type help%s%s for the usage",
			  depth > 0 ? " \"" : "",
			  depth > 0 ? words_shown(argv, depth, " ", words_buf, sizeof(words_buf)) : "",
			  depth > 0 ? "...\"" : "", depth ? " " : "", depth ? argv[0] : "");
		return 1;
	}
	close = suggest(argv, depth, sugg, sizeof(sugg));
	words_shown(argv, depth + 1, NULL, words_buf, sizeof(words_buf));
	if (sugg[0] != '\0') {
		char fix[1024];
		snprintf(fix, sizeof(fix), "%s %s%s type help%s%s for the usage",
			 close ? "did you mean" : "the words that fit here are", sugg, close ? "?" : ";",
			 depth ? " " : "", depth ? argv[0] : "");
		res_check(ss, REPORT_FAILURE, "shell.unknown_command", NULL, 0, fix,
			  "unknown command \"%s\"", words_buf);
	} else {
		res_check(ss, REPORT_FAILURE, "shell.unknown_command", NULL, 0,
			  "type help for the list of commands", "unknown command \"%s\"", words_buf);
	}
	return 1;
}

/* "pki s": the words the prefix argv[depth] may be, after the (resolved)
 * words before it. */
int cli_fail_ambiguous(struct mmp_session *ss, char **argv, int depth)
{
	const struct mmp_cmd *c;
	const char *seen[64], *ws;
	size_t seen_len[64], nseen = 0, wl, k, tl = strlen(argv[depth]);
	int i;

	for (c = cmd_all(); c->path != NULL; c++) {
		if (cli_path_words(c->path) <= depth)
			continue;
		for (i = 0; i < depth; i++)
			if (!cli_path_word(c->path, i, argv[i], &ws, &wl))
				break;
		cli_path_word(c->path, depth, NULL, &ws, &wl);
		if (i < depth || wl <= tl || strncmp(ws, argv[depth], tl) != 0)
			continue;
		for (k = 0; k < nseen; k++)
			if (seen_len[k] == wl && strncmp(seen[k], ws, wl) == 0)
				break;
		if (k == nseen && nseen < 64) {
			seen[nseen] = ws;
			seen_len[nseen++] = wl;
		}
	}
	{
		char words_buf[4096], list[2048];
		size_t o = 0;
		for (k = 0; k < nseen; k++) {
			o += (size_t)snprintf(list + o, o < sizeof(list) ? sizeof(list) - o : 0,
					      "%s\"%s%.*s\"", k == 0 ? "" : k + 1 == nseen ? " or " : ", ",
					      words_shown(argv, depth, " ", words_buf, sizeof(words_buf)),
					      (int)seen_len[k], seen[k]);
		}
		res_check(ss, REPORT_FAILURE, "shell.ambiguous_command", NULL, 0, "type more of the word",
			  "ambiguous command \"%s\": it may be %s",
			  words_shown(argv, depth + 1, NULL, words_buf, sizeof(words_buf)), list);
	}
	return 1;
}
