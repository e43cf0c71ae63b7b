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
int cli_path_words(const char *path)
{
	int n = 1;

	for (; *path != '\0'; path++)
		n += (*path == ' ');
	return n;
}

int cli_path_word(const char *path, int idx, const char *w, const char **wstart,
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

/* Word i of path (ws, wl) equal to the resolved word w (len)? */
static int path_word_is(const char *path, int i, const char *w, size_t len)
{
	const char *ws;
	size_t wl;

	cli_path_word(path, i, NULL, &ws, &wl);
	return wl == len && strncmp(ws, w, len) == 0;
}

int cmd_resolve(int argc, char **argv, const char **word, size_t *len, int *ambig)
{
	int d, i;

	*ambig = -1;
	for (d = 0; d < argc && d < CMD_ARGS_MAX; d++) {
		const struct mmp_cmd *c;
		const char *hit = NULL, *ws;
		size_t tl = strlen(argv[d]), hl = 0, wl;
		int exact = 0, takes_args = 0, many = 0;

		for (c = cmd_all(); c->path != NULL && !exact; c++) {
			int n = cli_path_words(c->path);
			for (i = 0; i < d && i < n; i++)
				if (!path_word_is(c->path, i, word[i], len[i]))
					break;
			if (i < d)
				continue;
			if (n == d) { /* the words so far are a command */
				takes_args |= c->max_args != 0;
				continue;
			}
			cli_path_word(c->path, d, NULL, &ws, &wl);
			if (wl == tl && strncmp(ws, argv[d], tl) == 0) {
				exact = 1;
				hit = ws;
				hl = wl;
			} else if (tl > 0 && tl < wl && strncmp(ws, argv[d], tl) == 0 &&
				   ws[0] != '?') {
				if (hit == NULL) {
					hit = ws;
					hl = wl;
				} else if (hl != wl || strncmp(hit, ws, wl) != 0) {
					many = 1;
				}
			}
		}
		/* an exact word wins; a prefix only where the words before it
		 * take no arguments ("webbridge3 options n" is an option) */
		if (!exact && (hit == NULL || takes_args))
			break;
		if (!exact && many) {
			*ambig = d;
			break;
		}
		word[d] = hit;
		len[d] = hl;
	}
	return d;
}

/* The longest command path of the resolved words; on the same path
 * (entries told apart by their argument counts) the one the arguments
 * fit. */
static const struct mmp_cmd *lookup_resolved(int argc, int nres, const char **word,
					     const size_t *len, int *used)
{
	const struct mmp_cmd *c, *best = NULL;
	int best_n = 0;

	for (c = cmd_all(); c->path != NULL; c++) {
		int n = cli_path_words(c->path), i;

		if (n > nres || n < best_n || (n == best_n && args_fit(best, argc - n)))
			continue;
		for (i = 0; i < n; i++)
			if (!path_word_is(c->path, i, word[i], len[i]))
				break;
		if (i == n) {
			best = c;
			best_n = n;
		}
	}
	*used = best_n;
	return best;
}

const struct mmp_cmd *cmd_lookup(int argc, char **argv, int *used)
{
	const char *word[CMD_ARGS_MAX];
	size_t len[CMD_ARGS_MAX];
	int ambig;
	int nres = cmd_resolve(argc, argv, word, len, &ambig);

	return lookup_resolved(argc, nres, word, len, used);
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
		const char *name = argv[i];
		switch (cmd_arg_kind(c, i)) {
		case COMPLETE_FILE: kind = STORE_ANY; break;
		case COMPLETE_KEY: kind = STORE_KEY; break;
		case COMPLETE_CERT: kind = STORE_CERT; break;
		default: continue;
		}
		/* pki verify's name:<dns name or IP> is no file; its
		 * crl:<file> names a file of any kind */
		if (strcmp(c->path, "pki verify") == 0 && strncmp(name, "name:", 5) == 0)
			continue;
		if (strcmp(c->path, "pki verify") == 0 && strncmp(name, "crl:", 4) == 0) {
			name += 4;
			kind = STORE_ANY;
		}
		if (store_check_name(name, kind, &err) != MMP_OK) {
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
		if (cli_path_word(c->path, 0, word, &ws, &wl))
			return 1;
	return 0;
}

/* Look up the words of a line, and write the table's whole word over each
 * prefix that named one ("pki ins" becomes "pki inspect"): the audit log,
 * messages and the rest of the dispatcher see the command's full path. */
static const struct mmp_cmd *lookup_words(struct lex_words *w, int *used, int *ambig)
{
	const char *word[CMD_ARGS_MAX];
	size_t len[CMD_ARGS_MAX];
	int nres = cmd_resolve(w->argc, w->argv, word, len, ambig), i;

	for (i = 0; i < nres; i++) {
		char *full;
		if (strlen(w->argv[i]) == len[i])
			continue;
		if ((full = strndup(word[i], len[i])) == NULL)
			continue; /* the prefix stays: the lookup below still finds it */
		explicit_bzero(w->argv[i], strlen(w->argv[i]));
		free(w->argv[i]);
		w->argv[i] = full;
	}
	return lookup_resolved(w->argc, nres, word, len, used);
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
		int secret = c == NULL ? !cli_starts_paths(w->argv, i + 1)
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
	/* the words taken off are freed here: lex_free frees argc words */
	if (w->argc >= 2 && strcmp(w->argv[w->argc - 2], "|") == 0 &&
	    strcmp(w->argv[w->argc - 1], "json") == 0) {
		free(w->argv[--w->argc]);
		free(w->argv[--w->argc]);
		w->argv[w->argc] = NULL;
		return 1;
	}
	if (w->argc >= 1 && strcmp(w->argv[w->argc - 1], "|json") == 0) {
		free(w->argv[--w->argc]);
		w->argv[w->argc] = NULL;
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
	struct lex_words words;
	int used = 0, nargs, ambig;

	*cp = NULL;
	*usedp = 0;
	/* "pki ?": the usage of the family, as help pki; "pki verify ?" and
	 * "pki verify a.crt ?": the usage of the command the words name, as
	 * help pki verify (the longest run of words that names one) */
	if (argc >= 2 && strcmp(argv[argc - 1], "?") == 0 && cmd_is_family(argv[0])) {
		const struct mmp_cmd *h, *named;
		struct lex_words before = { argc - 1, argv };
		int k, u = 0, am;

		/* it answers as help, and its words are shown as help's are,
		 * unless they are those of a command with a secret argument
		 * ("turn credentials u p r ?"): those stay masked */
		named = lookup_words(&before, &u, &am);
		for (h = cmd_all(); h->path != NULL && (named == NULL || !cmd_has_secret(named)); h++)
			if (strcmp(h->path, "?") == 0)
				*cp = h;
		for (k = argc - 1; k > 1; k--)
			if (cmd_print_help_words(ss, k, argv) == 0)
				return 0;
		cmd_print_help(ss, argv[0]);
		return 0;
	}
	words.argc = argc;
	words.argv = argv;
	c = lookup_words(&words, &used, &ambig);
	if (ambig >= 0 && (c == NULL || !args_fit(c, argc - used)))
		return cli_fail_ambiguous(ss, argv, ambig);
	if (c == NULL)
		return cli_fail_unknown(ss, argv, 0);
	*usedp = used;
	nargs = argc - used;
	/* "pki frobnicate": a family word followed by no valid sub-command;
	 * "pki list extra": a whole command with a word too many */
	if (nargs > 0 && c->max_args == 0 && cli_starts_paths(argv, used))
		return cli_fail_unknown(ss, argv, used);
	*cp = c;
	if (!(c->roles & ss->role)) {
		res_check(ss, REPORT_FAILURE, "shell.role", NULL, 0, NULL, "%s: not allowed for the %s role",
			  c->path, role_name(ss->role));
		*refused = 1;
		return 1;
	}
	if (nargs < c->min_args || (c->max_args >= 0 && nargs > c->max_args)) {
		char fix[2100];
		snprintf(fix, sizeof(fix), "usage: %s", usages(c, buf, sizeof(buf)));
		res_check(ss, REPORT_FAILURE, "shell.arguments", NULL, 0, fix, "%s: %s arguments", c->path,
			  nargs < c->min_args ? "too few" : "too many");
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
	if (c != NULL && (c->exec == cmd_exit || c->exec == cmd_check)) {
		res_check(ss, REPORT_FAILURE, "shell.check_refused", NULL, 0, "give a settings command",
			  "check: %s is not a settings command, there is nothing to check", c->path);
		ss->dry_run = 1;
		return 1;
	}
	if (c != NULL && (c->flags & (CMD_W_FILES | CMD_ASKS(3)))) {
		res_check(ss, REPORT_FAILURE, "shell.check_refused", NULL, 0, "run it without check",
			  "check: %s %s, so it cannot be checked without doing it",
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
