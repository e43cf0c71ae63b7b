/*
 * dispatch.c: runs one command line: split, look up in the command table,
 * check the role and the argument count (the only place that does), run,
 * and print. Also the "unknown command" suggestions.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mmp/cmd.h"
#include "mmp/config.h"
#include "mmp/lex.h"
#include "mmp/pki.h"
#include "mmp/text.h"
#include "mmp/users.h"

/* Number of words in a path ("pki csr" -> 2) and the n-th word. */
static int path_words(const char *path)
{
	int n = 1;

	for (; *path != '\0'; path++)
		n += (*path == ' ');
	return n;
}

static int word_eq(const char *path, int idx, const char *w, const char **wstart,
		   size_t *wlen)
{
	const char *p = path, *e;
	int i;

	for (i = 0; i < idx; i++) {
		p = strchr(p, ' ');
		if (p == NULL)
			return 0;
		p++;
	}
	e = strchr(p, ' ');
	*wstart = p;
	*wlen = e ? (size_t)(e - p) : strlen(p);
	return w != NULL && strlen(w) == *wlen && strncmp(p, w, *wlen) == 0;
}

/* Does c take nargs arguments? */
static int args_fit(const struct mmp_cmd *c, int nargs)
{
	return nargs >= c->min_args && (c->max_args < 0 || nargs <= c->max_args);
}

const struct mmp_cmd *cmd_lookup(int argc, char **argv, int *used)
{
	const struct mmp_cmd *c, *best = NULL;
	int best_n = 0;

	for (c = cmd_all(); c->path != NULL; c++) {
		int n = path_words(c->path), i;
		const char *ws;
		size_t wl;

		/* a longer path wins; on the same path (entries told apart by
		 * their argument counts) the one the arguments fit */
		if (n > argc || n < best_n || (n == best_n && args_fit(best, argc - n)))
			continue;
		for (i = 0; i < n; i++)
			if (!word_eq(c->path, i, argv[i], &ws, &wl))
				break;
		if (i == n) {
			best = c;
			best_n = n;
		}
	}
	*used = best_n;
	return best;
}

enum cmd_complete cmd_arg_kind(const struct mmp_cmd *c, int i)
{
	return c->complete[i < 3 ? i : 2];
}

int cmd_has_secret(const struct mmp_cmd *c)
{
	int i;

	for (i = 0; i < 3; i++) /* the third repeats */
		if (c->complete[i] == COMPLETE_SECRET)
			return 1;
	return 0;
}

int cmd_line_has_secret(const char *line)
{
	struct lex_words w;
	struct mmp_err err;
	const struct mmp_cmd *c;
	int used, secret;

	if (lex_is_blank(line))
		return 0;
	if (lex_split(line, &w, &err) != MMP_OK)
		return 1; /* cannot be looked up: it may hold one */
	c = w.argc > 0 ? cmd_lookup(w.argc, w.argv, &used) : NULL;
	if (c != NULL && c->exec == cmd_check && w.argc > used) /* check <command line> */
		c = cmd_lookup(w.argc - used, w.argv + used, &used);
	secret = c != NULL && cmd_has_secret(c);
	lex_free(&w);
	return secret;
}

/* The usage of c's path: of each of its entries (told apart by argument
 * counts: "turn credentials"), in table order, joined by " or ". */
static const char *usages(const struct mmp_cmd *c, char *buf, size_t size)
{
	const struct mmp_cmd *t;
	size_t o = 0;

	buf[0] = '\0';
	for (t = cmd_all(); t->path != NULL; t++)
		if (strcmp(t->path, c->path) == 0)
			o += (size_t)snprintf(buf + o, o < size ? size - o : 0, "%s%s", o ? " or " : "",
					      t->usage);
	return buf;
}

/* SPEC §4: every file name a command is given is checked against the
 * store's rules before the command runs, from the table's argument kinds. */
static int check_file_args(struct mmp_session *ss, const struct mmp_cmd *c, int argc,
			   char **argv)
{
	struct mmp_err err;
	int i;

	for (i = 0; i < argc; i++) {
		enum store_kind kind;
		switch (cmd_arg_kind(c, i)) {
		case COMPLETE_FILE: kind = STORE_ANY; break;
		case COMPLETE_KEY: kind = STORE_KEY; break;
		case COMPLETE_CERT: kind = STORE_CERT; break;
		default: continue;
		}
		if (store_check_name(argv[i], kind, &err) != MMP_OK) {
			cmd_print_err(ss, &err);
			return -1;
		}
	}
	return 0;
}

int cmd_is_family(const char *word)
{
	const struct mmp_cmd *c;
	const char *ws;
	size_t wl;

	for (c = cmd_all(); c->path != NULL; c++)
		if (word_eq(c->path, 0, word, &ws, &wl))
			return 1;
	return 0;
}

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

			if (path_words(c->path) <= depth || c->path[0] == '?')
				continue;
			for (i = 0; i < depth; i++)
				if (!word_eq(c->path, i, argv[i], &ws, &wl))
					break;
			if (i < depth)
				continue;
			word_eq(c->path, depth, NULL, &ws, &wl);
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
static int starts_paths(char **argv, int n)
{
	const struct mmp_cmd *c;
	const char *ws;
	size_t wl;
	int i;

	for (c = cmd_all(); c->path != NULL; c++) {
		if (path_words(c->path) <= n)
			continue;
		for (i = 0; i < n; i++)
			if (!word_eq(c->path, i, argv[i], &ws, &wl))
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

static int fail_unknown(struct mmp_session *ss, char **argv, int depth)
{
	char sugg[512], words_buf[4096];
	int close;

	if (starts_paths(argv, depth + 1))
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
	if (sugg[0] != '\0')
		res_check(ss, REPORT_FAILURE, "shell.unknown_command", NULL, 0, NULL,
			  "unknown command \"%s\": %s %s%s type help%s%s for the usage", words_buf,
			  close ? "did you mean" : "the words that fit here are", sugg,
			  close ? "?" : ";", depth ? " " : "", depth ? argv[0] : "");
	else
		res_check(ss, REPORT_FAILURE, "shell.unknown_command", NULL, 0, NULL,
			  "unknown command \"%s\": type help for the list of commands", words_buf);
	return 1;
}

static const char *role_name(unsigned role)
{
	switch (role) {
	case ROLE_ADMIN: return "admin";
	case ROLE_CRYPTO: return "crypto";
	case ROLE_AUDIT: return "audit";
	case ROLE_APPADMIN: return "appadmin";
	case ROLE_API: return "api";
	}
	return "unknown";
}

/* A question never makes other sessions wait for a person to type: asked
 * inside a settings change that has written nothing yet (and with no file
 * change under the in-use guard), the change is rolled back before the
 * question and begun again after it. While it was open, other sessions'
 * settings changes and even their audit entries waited (10 s, then
 * failed). What the command read before the question may have changed
 * meanwhile; its writes then meet the database's constraints. */
static enum mmp_rc tx_prompt(struct mmp_session *ss, const char *prompt, int secret, char *buf,
			     size_t size)
{
	int release = cfg_in_transaction(ss->cfg) && !cfg_tx_changed(ss->cfg) && !ss->guard_tx;
	struct mmp_err err;
	enum mmp_rc rc;

	if (release)
		cfg_rollback(ss->cfg);
	rc = ss->tx_prompt(ss, prompt, secret, buf, size);
	mmp_err_clear(&err);
	if (release && cfg_begin(ss->cfg, &err) != MMP_OK) {
		explicit_bzero(buf, size);
		cmd_print_err(ss, &err);
		return err.rc;
	}
	return rc;
}

/* Run a command; one settings transaction around a settings change. */
static int run_cmd_tx(struct mmp_session *ss, const struct mmp_cmd *c, int argc, char **argv)
{
	struct mmp_err err;
	int rc;

	if (!(c->flags & CMD_W_SETTINGS) || ss->cfg == NULL)
		return c->exec(ss, argc, argv) != 0;
	mmp_err_clear(&err);
	if (cfg_begin(ss->cfg, &err) != MMP_OK) {
		cmd_print_err(ss, &err);
		return 1;
	}
	if (ss->prompt != NULL) {
		ss->tx_prompt = ss->prompt;
		ss->prompt = tx_prompt;
	}
	rc = c->exec(ss, argc, argv) != 0;
	if (ss->prompt == tx_prompt) {
		ss->prompt = ss->tx_prompt;
		ss->tx_prompt = NULL;
	}
	if (rc != 0 || ss->dry_run) { /* check <command line> applies nothing */
		cfg_rollback(ss->cfg);
	} else if (cfg_commit(ss->cfg, &err) != MMP_OK) {
		cmd_print_err(ss, &err);
		rc = 1;
	}
	return rc;
}

/* Run a command; when it failed while memory ran out, say so: its
 * reasons may then be wrong (a key that "does not match"). */
static int run_cmd(struct mmp_session *ss, const struct mmp_cmd *c, int argc, char **argv)
{
	int rc;

	pki_take_oom();
	rc = run_cmd_tx(ss, c, argc, argv);
	if (rc != 0 && pki_take_oom())
		res_check(ss, REPORT_FAILURE, "system.memory", NULL, 0, "try again",
			  "%s: memory ran out while it ran, so a reason above may be wrong", c->path);
	return rc;
}

/* The line as the audit log and JSON show it (SPEC §8): secret arguments
 * (COMPLETE_SECRET in the table) become ***, and of a line that matched
 * no command only a family word is kept, in case it was a password or a
 * mistyped command that carried one. */
static const char *masked_line(const struct mmp_cmd *c, int used, const struct lex_words *w,
			       char *line, size_t size)
{
	size_t o = 0;
	int i;

	/* a count that fits no entry of a command with a secret: the secret
	 * may be at any position ("turn credentials <password>"), so all the
	 * arguments are *** */
	int hide_args = c != NULL && w != NULL && !args_fit(c, w->argc - used) && cmd_has_secret(c);

	/* check <command line>: the words of the command it checks */
	if (c != NULL && c->exec == cmd_check && w != NULL && w->argc > used) {
		struct lex_words inner = { w->argc - used, w->argv + used };
		const struct mmp_cmd *ic = cmd_lookup(inner.argc, inner.argv, &i);
		int o2 = snprintf(line, size, "check ");
		return masked_line(ic, i, &inner, line + o2, size - (size_t)o2), line;
	}
	line[0] = '\0';
	for (i = 0; w != NULL && i < w->argc && o < size; i++) {
		const char *word = w->argv[i];
		/* unknown: keep the words that start a command path ("tls
		 * sip"), hide the rest (it may be a password that a script
		 * meant for a prompt) */
		int secret = c == NULL ? !starts_paths(w->argv, i + 1)
				       : i >= used && (hide_args ||
						       cmd_arg_kind(c, i - used) == COMPLETE_SECRET);
		if (secret)
			word = "***";
		o += (size_t)snprintf(line + o, size - o, "%s%s%s%s", i ? " " : "",
				      strpbrk(word, " \t") ? "\"" : "", word,
				      strpbrk(word, " \t") ? "\"" : "");
		if (secret && c == NULL)
			break;
	}
	if (w == NULL)
		snprintf(line, size, "(a line that could not be read as words)");
	return line;
}

static void audit(struct mmp_session *ss, const char *line, const char *result)
{
	struct mmp_err err;

	if (ss->cfg == NULL)
		return;
	if (audit_add(ss->cfg, ss->user[0] ? ss->user : "console",
		      ss->source[0] ? ss->source : "console", "command", line, result, &err) != MMP_OK)
		res_check(ss, REPORT_WARNING, "audit.not_written", NULL, 0, NULL,
			  "%s%s%s: this command is not in the audit log", err.msg,
			  err.cause[0] ? ": " : "", err.cause);
}

/* "... | json" (Arista EOS, NX-OS; Junos "| display json"): the line's
 * answer as JSON. Takes the two words off; 1 when they were there. */
static int take_json_suffix(struct lex_words *w)
{
	if (w->argc >= 2 && strcmp(w->argv[w->argc - 2], "|") == 0 &&
	    strcmp(w->argv[w->argc - 1], "json") == 0) {
		w->argc -= 2;
		return 1;
	}
	if (w->argc >= 1 && strcmp(w->argv[w->argc - 1], "|json") == 0) {
		w->argc -= 1;
		return 1;
	}
	/* "hostname|json": the last word ends with it */
	if (w->argc >= 1) {
		char *last = w->argv[w->argc - 1];
		size_t n = strlen(last);
		if (n > 5 && strcmp(last + n - 5, "|json") == 0) {
			last[n - 5] = '\0';
			return 1;
		}
	}
	return 0;
}

/* Look up, check and run the command of argv (argc >= 1). *cp is the
 * entry found (NULL: none), *usedp its path's words, *refused set when
 * the role refused it. Returns 0 when it succeeded, else 1. */
static int run_words(struct mmp_session *ss, int argc, char **argv, const struct mmp_cmd **cp,
		     int *usedp, int *refused)
{
	char buf[2048];
	const struct mmp_cmd *c;
	int used = 0, nargs;

	*cp = NULL;
	*usedp = 0;
	/* "pki ?": the usage of the family, as help pki */
	if (argc >= 2 && strcmp(argv[argc - 1], "?") == 0 && cmd_is_family(argv[0])) {
		cmd_print_help(ss, argv[0]);
		return 0;
	}
	c = cmd_lookup(argc, argv, &used);
	if (c == NULL)
		return fail_unknown(ss, argv, 0);
	*usedp = used;
	nargs = argc - used;
	/* "pki frobnicate": a family word followed by no valid sub-command;
	 * "pki list extra": a whole command with a word too many */
	if (nargs > 0 && c->max_args == 0 && starts_paths(argv, used))
		return fail_unknown(ss, argv, used);
	*cp = c;
	if (!(c->roles & ss->role)) {
		res_check(ss, REPORT_FAILURE, "shell.role", NULL, 0, NULL, "%s: not allowed for the %s role",
			  c->path, role_name(ss->role));
		*refused = 1;
		return 1;
	}
	if (nargs < c->min_args || (c->max_args >= 0 && nargs > c->max_args)) {
		res_check(ss, REPORT_FAILURE, "shell.arguments", NULL, 0, NULL,
			  "%s: %s arguments: usage: %s", c->path,
			  nargs < c->min_args ? "too few" : "too many", usages(c, buf, sizeof(buf)));
		return 1;
	}
	if (check_file_args(ss, c, nargs, argv + used) != 0)
		return 1;
	return run_cmd(ss, c, nargs, argv + used);
}

/* check <command line>: run a settings command's checks and roll its
 * changes back (issue 12; the Ansible collection's check mode). Only a
 * command that changes settings alone may be checked: one that writes
 * files or asks questions would do so for real. */
int cmd_check(struct mmp_session *ss, int argc, char **argv)
{
	const struct mmp_cmd *c;
	struct mmp_err err;
	int used, refused = 0, rc;

	c = cmd_lookup(argc, argv, &used);
	if (c != NULL && (c->flags & (CMD_W_FILES | CMD_ASKS(3)))) {
		res_check(ss, REPORT_FAILURE, "shell.check_refused", NULL, 0, NULL,
			  "check: %s %s, so it cannot be checked without doing it: run it without check",
			  c->path, (c->flags & CMD_W_FILES) ? "writes files" : "asks questions");
		ss->dry_run = 1;
		return 1;
	}
	if (c != NULL && !(c->flags & CMD_W_SETTINGS)) {
		/* it changes nothing: checking it is running it */
		rc = run_words(ss, argc, argv, &c, &used, &refused);
		ss->dry_run = 1;
		return rc;
	}
	/* set until the answer is written, so that JSON says "dry_run": true
	 * (cmd_run_line clears it after cli_res_end) */
	ss->dry_run = 1;
	rc = run_words(ss, argc, argv, &c, &used, &refused);
	/* what the command read into the session (the prompt's name) */
	mmp_err_clear(&err);
	(void)cli_load_hostname(ss, &err);
	res_printf(ss, "check: %s; nothing was changed\n",
		   rc == 0 ? "every check passed" : "the command would fail");
	return rc;
}

int cmd_run_line(struct mmp_session *ss, const char *line)
{
	char shown[2048];
	struct lex_words w;
	struct mmp_err err;
	const struct mmp_cmd *c = NULL;
	int used = 0, rc, refused = 0, json;

	ss->ran = NULL;
	if (lex_is_blank(line))
		return 0;
	mmp_err_clear(&err);
	if (lex_split(line, &w, &err) != MMP_OK) {
		cli_res_begin(ss, ss->json_all);
		cmd_print_err(ss, &err);
		masked_line(NULL, 0, NULL, shown, sizeof(shown));
		audit(ss, shown, "failed");
		cli_res_end(ss, shown, 0);
		return 1;
	}
	json = take_json_suffix(&w) || ss->json_all;
	if (w.argc == 0 && !json) {
		lex_free(&w);
		return 0;
	}
	cli_res_begin(ss, json);
	if (cli_session_user_gone(ss)) { /* deleted while logged in: no more commands */
		res_check(ss, REPORT_FAILURE, "session.user_gone", NULL, 0, NULL,
			  "user %s was deleted or changed while logged in: the session ends", ss->user);
		ss->quit = 1;
		rc = 1;
	} else if (w.argc == 0) { /* "| json" alone */
		res_check(ss, REPORT_FAILURE, "shell.unknown_command", NULL, 0, NULL,
			  "\"| json\" follows a command: type e.g. pki list | json");
		rc = 1;
	} else {
		rc = run_words(ss, w.argc, w.argv, &c, &used, &refused);
	}
	ss->ran = c;
	masked_line(c, used, &w, shown, sizeof(shown));
	audit(ss, shown, refused ? "refused" : rc ? "failed" : "ok");
	cli_res_end(ss, shown, rc == 0);
	ss->dry_run = 0;
	fflush(ss->out);
	lex_free(&w);
	return rc;
}
