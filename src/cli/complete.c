/*
 * complete.c: Tab completion driven by the command table: which words may
 * follow the words already typed, and what each argument position takes.
 */
#include <stdlib.h>
#include <string.h>

#include "complete.h"

struct cands {
	char **v;
	size_t n, cap;
};

static void add(struct cands *c, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strlen(c->v[i]) == len && strncmp(c->v[i], s, len) == 0)
			return;
	if (c->n + 2 > c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 16;
		char **nv = realloc(c->v, nc * sizeof(*nv));
		if (nv == NULL)
			return;
		c->v = nv;
		c->cap = nc;
	}
	if ((c->v[c->n] = strndup(s, len)) != NULL)
		c->n++;
}

/* Split the typed words before the cursor (blank-separated; quotes are
 * rare in completed positions and are kept as typed). */
static int split(const char *line, int start, char words[][80], int max)
{
	int n = 0, i = 0;

	while (i < start && n < max) {
		int b;
		while (i < start && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i >= start)
			break;
		b = i;
		while (i < start && line[i] != ' ' && line[i] != '\t')
			i++;
		snprintf(words[n], 80, "%.*s", i - b, line + b);
		n++;
	}
	return n;
}

static int ext_fits(const char *name, enum cmd_complete what)
{
	const char *dot = strrchr(name, '.');
	const char *exts;

	if (dot == NULL)
		return 0;
	switch (what) {
	case COMPLETE_KEY: exts = " key pem der "; break;
	case COMPLETE_CERT: exts = " crt cer pem der p7b "; break;
	case COMPLETE_BASE: exts = " csr "; break;
	case COMPLETE_CABASE: exts = " crt "; break;
	default: return 1;
	}
	{
		char pat[12];
		snprintf(pat, sizeof(pat), " %.8s ", dot + 1);
		return strstr(exts, pat) != NULL;
	}
}

static void add_files(struct cands *c, struct mmp_session *ss, enum cmd_complete what,
		      const char *text)
{
	struct mmp_err err;
	char **names;
	size_t n, i;

	if (store_list(ss->store, &names, &n, &err) != MMP_OK)
		return;
	for (i = 0; i < n; i++) {
		if (strncmp(names[i], text, strlen(text)) != 0 || !ext_fits(names[i], what))
			continue;
		if (what == COMPLETE_BASE || what == COMPLETE_CABASE) {
			const char *dot = strrchr(names[i], '.');
			char key[STORE_NAME_MAX + 8];
			snprintf(key, sizeof(key), "%.*s.key", (int)(dot - names[i]), names[i]);
			if (what == COMPLETE_CABASE && !store_exists(ss->store, key))
				continue; /* a CA needs its key */
			add(c, names[i], (size_t)(dot - names[i]));
		} else {
			add(c, names[i], strlen(names[i]));
		}
	}
	store_list_free(names);
}

static void add_args(struct cands *c, struct mmp_session *ss, const struct mmp_cmd *cmd,
		     int argi, const char *text)
{
	static const char *attrs[] = { "CN:", "OU:", "O:", "L:", "ST:", "C:",
				       "emailAddress:", "subjectAltName:", NULL };
	enum cmd_complete what = cmd_arg_kind(cmd, argi);
	int i;

	if (cmd->max_args >= 0 && argi >= cmd->max_args)
		return;
	switch (what) {
	case COMPLETE_ATTR:
		for (i = 0; attrs[i] != NULL; i++)
			if (strncmp(attrs[i], text, strlen(text)) == 0)
				add(c, attrs[i], strlen(attrs[i]));
		break;
	case COMPLETE_FAMILY: {
		const struct mmp_cmd *t;
		for (t = cmd_all(); t->path != NULL; t++) {
			size_t wl = strcspn(t->path, " ");
			if (t->path[0] != '?' && strncmp(t->path, text, strlen(text)) == 0)
				add(c, t->path, wl);
		}
		break;
	}
	case COMPLETE_FILE:
	case COMPLETE_KEY:
	case COMPLETE_CERT:
	case COMPLETE_BASE:
	case COMPLETE_CABASE:
		add_files(c, ss, what, text);
		break;
	case COMPLETE_IFACE:
		for (i = 0; i < 4; i++) {
			char w[2] = { (char)('a' + i), '\0' };
			if (strncmp(w, text, strlen(text)) == 0)
				add(c, w, 1);
		}
		break;
	case COMPLETE_SECRET:
	case COMPLETE_NONE:
		break;
	}
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **cli_complete(struct mmp_session *ss, const char *line, int start, const char *text)
{
	char words[CMD_ARGS_MAX][80];
	char *wv[CMD_ARGS_MAX];
	struct cands c = { NULL, 0, 0 };
	const struct mmp_cmd *t;
	int nw = split(line, start, words, CMD_ARGS_MAX), i, used = 0;
	size_t k, pre;

	for (i = 0; i < nw; i++)
		wv[i] = words[i];
	/* next command words after the words typed */
	for (t = cmd_all(); t->path != NULL; t++) {
		const char *p = t->path;
		for (i = 0; i < nw && p != NULL; i++) {
			size_t wl = strcspn(p, " ");
			if (strlen(words[i]) != wl || strncmp(p, words[i], wl) != 0)
				break;
			p = p[wl] == ' ' ? p + wl + 1 : NULL;
		}
		if (i == nw && p != NULL && p[0] != '?' && strncmp(p, text, strlen(text)) == 0)
			add(&c, p, strcspn(p, " "));
	}
	t = cmd_lookup(nw, wv, &used);
	if (t != NULL && used > 0)
		add_args(&c, ss, t, nw - used, text);
	if (c.n == 0) {
		free(c.v);
		return NULL;
	}
	qsort(c.v, c.n, sizeof(*c.v), cmp);
	/* readline form: [0] = longest common prefix */
	memmove(c.v + 1, c.v, c.n * sizeof(*c.v));
	pre = strlen(c.v[1]);
	for (k = 2; k <= c.n; k++) {
		size_t j = 0;
		while (j < pre && c.v[k][j] == c.v[1][j])
			j++;
		pre = j;
	}
	c.v[0] = strndup(c.v[1], pre);
	c.v[c.n + 1] = NULL;
	if (c.v[0] == NULL) {
		for (k = 1; k <= c.n; k++)
			free(c.v[k]);
		free(c.v);
		return NULL;
	}
	return c.v;
}
