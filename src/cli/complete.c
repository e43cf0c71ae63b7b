/*
 * complete.c: Tab completion driven by the command table: which words may
 * follow the words already typed, and what each argument position takes.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
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
	case COMPLETE_CRL: exts = " crl pem der "; break;
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

/* "<prefix><name>" for each file of kind what starting with text:
 * from:<certificate> (pki csr), crl:<file> (pki verify) */
static void add_prefixed(struct cands *c, struct mmp_session *ss, const char *prefix,
			 enum cmd_complete what, const char *text)
{
	struct mmp_err err;
	char **names, word[STORE_NAME_MAX + 8];
	size_t n, i;

	if (store_list(ss->store, &names, &n, &err) != MMP_OK)
		return;
	for (i = 0; i < n; i++)
		if (strncmp(names[i], text, strlen(text)) == 0 && ext_fits(names[i], what)) {
			snprintf(word, sizeof(word), "%s%s", prefix, names[i]);
			add(c, word, strlen(word));
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
		/* pki csr <base> from:<certificate>: a renewal */
		if (strcmp(cmd->path, "pki csr") == 0 && argi == 1) {
			if (strncmp(text, "from:", 5) == 0) {
				add_prefixed(c, ss, "from:", COMPLETE_CERT, text + 5);
				break;
			}
			if (strncmp("from:", text, strlen(text)) == 0)
				add(c, "from:", 5);
		}
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
	case COMPLETE_VERIFY:
		/* pki verify <cert> <bundle> [<CA cert>] [name:<n>] [crl:<file>...] */
		if (strncmp(text, "crl:", 4) == 0) {
			add_prefixed(c, ss, "crl:", COMPLETE_CRL, text + 4);
			break;
		}
		if (strncmp(text, "name:", 5) == 0)
			break; /* a name is typed, not chosen */
		for (i = 0; i < 2; i++) {
			const char *w = i == 0 ? "name:" : "crl:";
			if (strncmp(w, text, strlen(text)) == 0)
				add(c, w, strlen(w));
		}
		add_files(c, ss, COMPLETE_CERT, text);
		break;
	case COMPLETE_FILE:
	case COMPLETE_KEY:
	case COMPLETE_CERT:
	case COMPLETE_BASE:
	case COMPLETE_CABASE:
	case COMPLETE_CRL:
		add_files(c, ss, what, text);
		break;
	case COMPLETE_IFACE:
		for (i = 0; i < 4; i++) {
			char w[2] = { (char)('a' + i), '\0' };
			if (strncmp(w, text, strlen(text)) == 0)
				add(c, w, 1);
		}
		break;
	case COMPLETE_WORDS: {
		char words[16][CMD_WORD_MAX];
		int n = cmd_arg_words(cmd, argi, words, 16);
		for (i = 0; i < n; i++)
			if (strncmp(words[i], text, strlen(text)) == 0)
				add(c, words[i], strlen(words[i]));
		break;
	}
	case COMPLETE_SECRET:
	case COMPLETE_NONE:
		break;
	}
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The command words that may follow the nw words typed (each exact or a
 * unique prefix, as the dispatcher takes them) and start with text: each
 * distinct word at position nw of the paths they start, in table order.
 * fn gets the word and the path up to and with it. */
typedef void (*next_fn)(void *ctx, const char *word, size_t wl, const char *path, size_t pl);

static int next_words(int nw, char **wv, const char *text, next_fn fn, void *ctx)
{
	const char *word[CMD_ARGS_MAX], *seen[64];
	size_t len[CMD_ARGS_MAX], seen_len[64], nseen = 0, k;
	const struct mmp_cmd *t;
	int ambig, i;

	if (cmd_resolve(nw, wv, word, len, &ambig) < nw)
		return 0;
	for (t = cmd_all(); t->path != NULL; t++) {
		const char *p = t->path, *w;
		size_t wl;
		for (i = 0; i < nw && p != NULL; i++) {
			wl = strcspn(p, " ");
			if (wl != len[i] || strncmp(p, word[i], wl) != 0)
				break;
			p = p[wl] == ' ' ? p + wl + 1 : NULL;
		}
		if (i < nw || p == NULL || p[0] == '?' || strncmp(p, text, strlen(text)) != 0)
			continue;
		w = p;
		wl = strcspn(p, " ");
		for (k = 0; k < nseen; k++)
			if (seen_len[k] == wl && strncmp(seen[k], w, wl) == 0)
				break;
		if (k < nseen || nseen == 64)
			continue;
		seen[nseen] = w;
		seen_len[nseen++] = wl;
		fn(ctx, w, wl, t->path, (size_t)(w - t->path) + wl);
	}
	return (int)nseen;
}

static void add_next(void *ctx, const char *word, size_t wl, const char *path, size_t pl)
{
	(void)path;
	(void)pl;
	add(ctx, word, wl);
}

/* The words after "help" or "?" are command words. */
static int is_help(const struct mmp_cmd *t)
{
	return t != NULL && t->exec == cmd_help;
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
	t = cmd_lookup(nw, wv, &used);
	if (is_help(t) && used == 1 && nw >= 1) {
		next_words(nw - 1, wv + 1, text, add_next, &c);
	} else {
		/* next command words after the words typed */
		next_words(nw, wv, text, add_next, &c);
		if (t != NULL && used > 0)
			add_args(&c, ss, t, nw - used, text);
	}
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

/* ? at the prompt: one line per thing that may come next. */
struct help_ctx {
	FILE *out;
	int width;
};

static void help_line(FILE *out, int width, const char *word, size_t wl, const char *desc)
{
	if (desc[0] == '\0')
		fprintf(out, "  %.*s\n", (int)wl, word);
	else
		fprintf(out, "  %-*.*s %s\n", width, (int)wl, word, desc);
}

/* A command word and what it does: the summary of the command it ends,
 * the title of a family, or the words that may follow it. */
static void help_next(void *ctx, const char *word, size_t wl, const char *path, size_t pl)
{
	struct help_ctx *h = ctx;
	const struct mmp_cmd *t;
	const struct cmd_family *f;
	char sub[256];
	size_t o = 0;

	if (pl == wl) /* a first word: the family's title */
		for (f = cmd_families; f->name != NULL; f++)
			if (strlen(f->name) == wl && strncmp(f->name, word, wl) == 0) {
				help_line(h->out, h->width, word, wl, f->title);
				return;
			}
	for (t = cmd_all(); t->path != NULL; t++)
		if (strlen(t->path) == pl && strncmp(t->path, path, pl) == 0) {
			help_line(h->out, h->width, word, wl, t->summary);
			return;
		}
	/* "callbridge trust": the words that follow it */
	sub[0] = '\0';
	for (t = cmd_all(); t->path != NULL; t++) {
		const char *nx, *d;
		size_t nl;
		int dup = 0;
		/* only a longer path: nx must point into it */
		if (strlen(t->path) <= pl || strncmp(t->path, path, pl) != 0 || t->path[pl] != ' ')
			continue;
		nx = t->path + pl + 1;
		nl = strcspn(nx, " ");
		/* a word already listed: sub holds "then a, b" */
		for (d = sub + 5; o > 5 && d < sub + o; d += strcspn(d, ",") + 2)
			if (strncmp(d, nx, nl) == 0 && (d[nl] == ',' || d[nl] == '\0'))
				dup = 1;
		if (!dup)
			o += (size_t)snprintf(sub + o, o < sizeof(sub) ? sizeof(sub) - o : 0, "%s%.*s",
					      o ? ", " : "then ", (int)nl, nx);
	}
	help_line(h->out, h->width, word, wl, sub);
}

static const struct {
	const char *name, *desc;
} attr_help[] = {
	{ "CN:", "Common name: the server's fully qualified domain name" },
	{ "OU:", "Organizational unit" },
	{ "O:", "Organization" },
	{ "L:", "Locality (city)" },
	{ "ST:", "State or province" },
	{ "C:", "Country: two letters (GB, US, ...)" },
	{ "emailAddress:", "Contact e-mail address" },
	{ "subjectAltName:", "Names it is valid for, comma-separated, no blanks (the CN is added)" },
	{ NULL, NULL },
};

/* What pki verify takes after its two files (cmd_pki_verify). */
static const struct {
	const char *name, *desc;
} verify_help[] = {
	{ "<CA cert>", "The CA certificate to trust, when the bundle does not end in it" },
	{ "name:", "name:<dns name or IP address>: the name clients connect to; the certificate must hold it in its subjectAltName" },
	{ "crl:", "crl:<file>: a certificate revocation list (PEM or DER), up to 8; CRLs in the bundle count too" },
	{ NULL, NULL },
};

/* The attributes starting with typed that no word typed has yet. */
static void list_attrs(FILE *out, int width, int nw, char **wv, const char *typed)
{
	int i, k;

	for (i = 0; attr_help[i].name != NULL; i++) {
		size_t al = strlen(attr_help[i].name);
		for (k = 0; k < nw; k++)
			if (strncmp(wv[k], attr_help[i].name, al) == 0)
				break;
		if (k == nw && strncmp(attr_help[i].name, typed, strlen(typed)) == 0)
			help_line(out, width, attr_help[i].name, al, attr_help[i].desc);
	}
}

void cli_help_next(struct mmp_session *ss, const char *line, int point, FILE *out)
{
	char words[CMD_ARGS_MAX][80];
	char *wv[CMD_ARGS_MAX];
	struct help_ctx h = { out, 15 };
	const struct mmp_cmd *t, *e;
	const char *text;
	int start = point, nw, i, used = 0, n = 0, nargs;

	(void)ss;
	while (start > 0 && line[start - 1] != ' ' && line[start - 1] != '\t')
		start--;
	text = line + start;
	nw = split(line, start, words, CMD_ARGS_MAX);
	for (i = 0; i < nw; i++)
		wv[i] = words[i];
	{
		char typed[80];
		snprintf(typed, sizeof(typed), "%.*s", point - start, text);
		t = cmd_lookup(nw, wv, &used);
		if (is_help(t) && used == 1) {
			n = next_words(nw - 1, wv + 1, typed, help_next, &h);
			if (n == 0)
				fprintf(out, "  (no command starts with the words after help)\n");
			return;
		}
		n = next_words(nw, wv, typed, help_next, &h);
		if (t == NULL || used == 0) {
			if (n == 0)
				fprintf(out, "  (no command starts so: ? at an empty line lists them)\n");
			return;
		}
		nargs = nw - used;
		switch (cmd_arg_kind(t, nargs)) {
		case COMPLETE_ATTR:
			if (t->max_args >= 0 && nargs >= t->max_args)
				break;
			if (strcmp(t->path, "pki csr") == 0 && nargs == 1 &&
			    strncmp("from:", typed, strlen(typed)) == 0)
				help_line(out, h.width, "from:", 5,
					  "Renew a certificate: its subject, subjectAltName and ExtendedKeyUsage, alone");
			list_attrs(out, h.width, nw, wv, typed);
			n++;
			break;
		case COMPLETE_WORDS: {
			char w[16][CMD_WORD_MAX];
			int k, nwords = cmd_arg_words(t, nargs, w, 16);
			for (k = 0; k < nwords; k++)
				if (strncmp(w[k], typed, strlen(typed)) == 0) {
					help_line(out, h.width, w[k], strlen(w[k]), "");
					n++;
				}
			break;
		}
		case COMPLETE_VERIFY:
			if (t->max_args >= 0 && nargs >= t->max_args)
				break;
			for (i = 0; verify_help[i].name != NULL; i++)
				if (strncmp(verify_help[i].name, typed, strlen(typed)) == 0) {
					help_line(out, h.width, verify_help[i].name,
						  strlen(verify_help[i].name), verify_help[i].desc);
					n++;
				}
			break;
		default:
			break;
		}
		/* the usage of the command the words name, and what it does;
		 * then the attributes that come after its basename (pki csr) */
		if (cmd_arg_kind(t, nargs) != COMPLETE_ATTR) {
			for (e = cmd_all(); e->path != NULL; e++)
				if (strcmp(e->path, t->path) == 0 &&
				    (e->max_args < 0 || nargs < e->max_args)) {
					fprintf(out, "  %s\n      %s\n", e->usage, e->summary);
					n++;
				}
			if (n > 0 && cmd_arg_kind(t, nargs + 1) == COMPLETE_ATTR) {
				fprintf(out, "  then:\n");
				list_attrs(out, h.width, nw, wv, "");
			}
		}
		if (typed[0] == '\0')
			for (e = cmd_all(); e->path != NULL; e++)
				if (strcmp(e->path, t->path) == 0 && nargs >= e->min_args &&
				    (e->max_args < 0 || nargs <= e->max_args)) {
					help_line(out, h.width, "<Enter>", 7, "runs it");
					n++;
					break;
				}
		if (n == 0)
			fprintf(out, "  (nothing fits here: help %s shows the usage)\n", t->path);
	}
}
