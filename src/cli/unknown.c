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

/* "user", "webbridge3 c2w": the start of commands, not one. */
static int fail_incomplete(struct mmp_session *ss, char **argv, int n)
{
	char sugg[512];
	char *words[CMD_ARGS_MAX + 1];
	int i;

	for (i = 0; i < n; i++)
		words[i] = argv[i];
	words[n] = (char *)"";
	suggest(words, n, sugg, sizeof(sugg));
	fprintf(ss->out, "FAILURE: \"");
	for (i = 0; i < n; i++) {
		fputs(i ? " " : "", ss->out);
		cli_fputs_word(argv[i], ss->out);
	}
	fprintf(ss->out, "\" needs more words: %s may follow; type help %s for the usage\n", sugg,
		argv[0]);
	return 1;
}

int cli_fail_unknown(struct mmp_session *ss, char **argv, int depth)
{
	char sugg[512];
	int i;
	int close;

	if (cli_starts_paths(argv, depth + 1))
		return fail_incomplete(ss, argv, depth + 1);
	if (ss->hide_unknown) { /* only the words that are commands are shown */
		fprintf(ss->out, "FAILURE: unknown command");
		if (depth > 0) {
			fprintf(ss->out, " \"");
			for (i = 0; i < depth; i++) {
				cli_fputs_word(argv[i], ss->out);
				fputs(" ", ss->out);
			}
			fprintf(ss->out, "...\"");
		}
		fprintf(ss->out, " (the rest is not shown: it follows a line that named no command, and may be"
				 " the password of a mistyped one): type help%s%s for the usage\n",
			depth ? " " : "", depth ? argv[0] : "");
		return 1;
	}
	close = suggest(argv, depth, sugg, sizeof(sugg));

	fprintf(ss->out, "FAILURE: unknown command \"");
	for (i = 0; i <= depth; i++) {
		fputs(i ? " " : "", ss->out);
		cli_fputs_word(argv[i], ss->out);
	}
	if (sugg[0] != '\0')
		fprintf(ss->out, "\": %s %s%s type help%s%s for the usage\n",
			close ? "did you mean" : "the words that fit here are", sugg,
			close ? "?" : ";", depth ? " " : "", depth ? argv[0] : "");
	else
		fprintf(ss->out, "\": type help for the list of commands\n");
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
	fprintf(ss->out, "FAILURE: ambiguous command \"");
	for (i = 0; i <= depth; i++) {
		fputs(i ? " " : "", ss->out);
		cli_fputs_word(argv[i], ss->out);
	}
	fprintf(ss->out, "\": it may be ");
	for (k = 0; k < nseen; k++) {
		fputs(k == 0 ? "" : k + 1 == nseen ? " or " : ", ", ss->out);
		fputc('"', ss->out);
		for (i = 0; i < depth; i++)
			fprintf(ss->out, "%s ", argv[i]);
		fprintf(ss->out, "%.*s\"", (int)seen_len[k], seen[k]);
	}
	fprintf(ss->out, "; type more of the word\n");
	return 1;
}
