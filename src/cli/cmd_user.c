/*
 * cmd_user.c: users, roles and the audit log (SPEC §8, issue 4): user add,
 * del, list, info, passwd, user rule max_failed_logins, audit. Passwords
 * are asked twice without echo and wiped after use.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "svcutil.h"
#include "mmp/users.h"

#define PASSWORD_MIN 8

static int fail(struct mmp_session *ss, const struct mmp_err *e)
{
	cmd_print_err(ss, e);
	return 1;
}

/* "<user>.pub", the user's login key in the file store (src/ssh/authkeys.c). */
static const char *key_name(const char *user, char *buf, size_t size)
{
	snprintf(buf, size, "%s.pub", user);
	return buf;
}

/* Is <user>.pub in the file store? The name is a checked user name. */
static int key_file_exists(struct mmp_session *ss, const char *user)
{
	char name[USER_NAME_MAX + 8];

	return ss->store != NULL && store_exists(ss->store, key_name(user, name, sizeof(name)));
}

/* Ask a new password for user who twice; 0 with pw filled, or 1 after a
 * FAILURE. */
static int ask_new_password(struct mmp_session *ss, const char *who, char *pw, size_t size)
{
	char prompt[96];

	snprintf(prompt, sizeof(prompt), "New password for %s: ", who);
	return cli_ask_new_password(ss, prompt, "Retype the new password: ", PASSWORD_MIN, pw, size);
}

static int cmd_user_add(struct mmp_session *ss, int argc, char **argv)
{
	struct mmp_err err;
	char pw[256];
	unsigned role = users_role_from_name(argv[1]);
	enum mmp_rc rc;
	struct user_info u;

	(void)argc;
	mmp_err_clear(&err);
	if (users_check_name(argv[0], &err) != MMP_OK)
		return fail(ss, &err);
	if (role == 0) {
		fputs("FAILURE: \"", ss->out);
		cli_fputs_word(argv[1], ss->out);
		fputs("\" is not a role: use admin, crypto, audit, appadmin or api\n", ss->out);
		return 1;
	}
	if (users_get(ss->cfg, argv[0], &u, &err) == MMP_OK) {
		fprintf(ss->out, "FAILURE: user %s already exists: use passwd %s or user del %s\n",
			argv[0], argv[0], argv[0]);
		return 1;
	}
	if (key_file_exists(ss, argv[0])) { /* issue 10 item 3 */
		fprintf(ss->out, "FAILURE: %s.pub is already in the file store: whoever holds its key would log in as the new user %s: remove %s.pub first (SFTP rm), then upload the new user's key after user add\n",
			argv[0], argv[0], argv[0]);
		return 1;
	}
	if (ask_new_password(ss, argv[0], pw, sizeof(pw)) != 0)
		return 1;
	rc = users_add(ss->cfg, argv[0], role, pw, &err);
	explicit_bzero(pw, sizeof(pw));
	if (rc != MMP_OK)
		return fail(ss, &err);
	fprintf(ss->out, "SUCCESS: user %s added with role %s\n", argv[0], argv[1]);
	return 0;
}

/* The last admin cannot go: nobody could add users or change settings
 * over SSH any more. */
static int is_last_admin(struct mmp_session *ss, const char *name)
{
	struct mmp_err err;
	struct user_info u;
	int n;

	if (users_get(ss->cfg, name, &u, &err) != MMP_OK || u.role != ROLE_ADMIN)
		return 0; /* users_del says what is wrong */
	if (users_count_role(ss->cfg, ROLE_ADMIN, &n, &err) != MMP_OK) {
		cmd_print_err(ss, &err);
		return -1;
	}
	if (n > 1)
		return 0;
	fprintf(ss->out, "FAILURE: %s is the last admin: without one nobody can manage users or settings over SSH: add another admin first (user add <name> admin), then user del %s\n",
		name, name);
	return 1;
}

/* A user's login key (<user>.pub) goes with the user (issue 10 item 3):
 * the next user of that name must not inherit it. */
static int cmd_user_del(struct mmp_session *ss, int argc, char **argv)
{
	struct mmp_err err;
	char key[USER_NAME_MAX + 8];
	int had_key;

	(void)argc;
	if (strcmp(argv[0], ss->user) == 0) {
		fprintf(ss->out, "FAILURE: you cannot delete the user you are logged in as\n");
		return 1;
	}
	if (is_last_admin(ss, argv[0]) != 0)
		return 1;
	if (users_del(ss->cfg, argv[0], &err) != MMP_OK)
		return fail(ss, &err);
	had_key = key_file_exists(ss, argv[0]);
	if (had_key && store_remove(ss->store, key_name(argv[0], key, sizeof(key)), &err) != MMP_OK) {
		cmd_print_err(ss, &err);
		fprintf(ss->out, "FAILURE: user %s is kept: its login key %s.pub could not be removed\n",
			argv[0], argv[0]);
		return 1;
	}
	if (had_key)
		fprintf(ss->out, "SUCCESS: user %s deleted, and its login key %s.pub removed\n", argv[0],
			argv[0]);
	else
		fprintf(ss->out, "SUCCESS: user %s deleted\n", argv[0]);
	return 0;
}

/* user list: one word; the sources are in user info */
static const char *status(const struct user_info *u, char *buf, size_t size)
{
	snprintf(buf, size, "%s", u->locked_until > time(NULL) ? "password locked from a source (see user info)"
							      : "active");
	return buf;
}

/* user info: "active", or each locked source and for how long; the lock
 * is on passwords from that source only (issue 10 item 1). */
static int info_status(struct mmp_session *ss, const char *name, char *buf, size_t size)
{
	struct mmp_err err;
	struct login_failure *f;
	size_t n, i, o = 0;
	time_t now = time(NULL);
	char src[4 * sizeof(f->source)];

	if (users_failures(ss->cfg, name, &f, &n, &err) != MMP_OK)
		return fail(ss, &err);
	snprintf(buf, size, "active");
	for (i = 0; i < n && f[i].locked_until > now; i++)
		o += (size_t)snprintf(buf + o, o < size ? size - o : 0, "%s from %s for %ld more minutes",
				      i ? "," : "password locked",
				      text_escape(f[i].source, src, sizeof(src), 0),
				      (long)((f[i].locked_until - now + 59) / 60));
	if (i > 0)
		snprintf(buf + o, o < size ? size - o : 0, " (key logins still work)");
	free(f);
	return 0;
}

static int cmd_user_list(struct mmp_session *ss, int argc, char **argv)
{
	struct mmp_err err;
	struct user_info *v;
	size_t n, i;
	char st[64], name[4 * USER_NAME_MAX + 1];
	int rc = 0;

	(void)argc;
	(void)argv;
	if (users_list(ss->cfg, &v, &n, &err) != MMP_OK)
		return fail(ss, &err);
	fprintf(ss->out, "%-32s %-9s %s\n", "User", "Role", "Status");
	for (i = 0; i < n; i++)
		fprintf(ss->out, "%-32s %-9s %s\n",
			text_escape(v[i].name, name, sizeof(name), 0),
			v[i].damaged[0] ? "?" : users_role_name(v[i].role),
			v[i].damaged[0] ? "damaged (cannot log in)" : status(&v[i], st, sizeof(st)));
	for (i = 0; i < n; i++)
		if (v[i].damaged[0]) {
			fputs("FAILURE: ", ss->out);
			text_fputs(v[i].damaged, ss->out);
			fputc('\n', ss->out);
			rc = 1;
		}
	free(v);
	return rc;
}

static int cmd_user_info(struct mmp_session *ss, int argc, char **argv)
{
	struct mmp_err err;
	struct user_info u;
	char st[1024], failed[16];
	struct show_row rows[5];

	(void)argc;
	if (users_get(ss->cfg, argv[0], &u, &err) != MMP_OK)
		return fail(ss, &err);
	if (info_status(ss, u.name, st, sizeof(st)) != 0)
		return 1;
	snprintf(failed, sizeof(failed), "%d", u.failed);
	rows[0] = (struct show_row){ "User", NULL, u.name };
	rows[1] = (struct show_row){ "Role", NULL, users_role_name(u.role) };
	rows[2] = (struct show_row){ "Status", NULL, st };
	rows[3] = (struct show_row){ "Failed logins", NULL, failed };
	rows[4] = (struct show_row){ NULL, NULL, NULL };
	return cli_show(ss, rows);
}

/* The check of the current password is its own change, committed at once
 * (the dispatcher would roll a failure back with the failed command, and
 * other sessions must not wait on this one while the new password is
 * typed); the command's change begins again after it. */
static int commit_check(struct mmp_session *ss)
{
	struct mmp_err err;

	mmp_err_clear(&err);
	if (!cfg_in_transaction(ss->cfg))
		return 0;
	if (cfg_commit(ss->cfg, &err) != MMP_OK || cfg_begin(ss->cfg, &err) != MMP_OK)
		return fail(ss, &err);
	return 0;
}

/* passwd of one's own account asks the current password first (issue 10
 * item 2); a wrong one is a failed login from ss->source, so passwd cannot
 * guess faster than a login. 0 when it was right, 1 after a FAILURE. */
static int check_current(struct mmp_session *ss, const char *who)
{
	struct mmp_err err;
	char pw[256], shown[CLI_SHOWN_MAX];
	int ok = 0;
	enum mmp_rc rc;

	if (ss->prompt == NULL || ss->prompt(ss, "Current password: ", 1, pw, sizeof(pw)) != MMP_OK) {
		fprintf(ss->out, "FAILURE: no password was given (end of input or Ctrl-C): nothing was changed\n");
		return 1;
	}
	mmp_err_clear(&err);
	rc = users_check_password(ss->cfg, who, ss->source, pw, time(NULL), &ok, &err);
	explicit_bzero(pw, sizeof(pw));
	if (rc != MMP_OK)
		return fail(ss, &err);
	if (commit_check(ss) != 0)
		return 1;
	if (!ok)
		fprintf(ss->out, "FAILURE: the current password is wrong, or passwords from %s are locked after too many failures: nothing was changed; it counts as a failed login (see user info %s)\n",
			SHOWN(ss->source), who);
	return !ok;
}

static int cmd_passwd(struct mmp_session *ss, int argc, char **argv)
{
	struct mmp_err err;
	const char *who = argc > 0 ? argv[0] : ss->user;
	int self = ss->user[0] != '\0' && strcmp(who, ss->user) == 0;
	char pw[256];
	enum mmp_rc rc;
	struct user_info u;

	ss->asks = self ? 3 : 2; /* the current password only for one's own */
	if (who[0] == '\0') {
		fprintf(ss->out, "FAILURE: the console has no user of its own: give passwd <user>\n");
		return 1;
	}
	if (!self && !(ss->role & ROLE_ADMIN)) {
		fprintf(ss->out, "FAILURE: only an admin can change another user's password: use passwd to change your own\n");
		return 1;
	}
	if (users_get(ss->cfg, who, &u, &err) != MMP_OK)
		return fail(ss, &err);
	if (self && check_current(ss, who) != 0)
		return 1;
	if (ask_new_password(ss, who, pw, sizeof(pw)) != 0)
		return 1;
	rc = users_set_password(ss->cfg, who, pw, &err);
	explicit_bzero(pw, sizeof(pw));
	if (rc != MMP_OK)
		return fail(ss, &err);
	fprintf(ss->out, "SUCCESS: password of %s changed\n", who);
	return 0;
}

static int cmd_user_rule(struct mmp_session *ss, int argc, char **argv)
{
	struct mmp_err err;
	char *end;
	long n = strtol(argv[0], &end, 10);

	(void)argc;
	if (*end != '\0' || argv[0][0] == '\0' || n < 0 || n > 100) {
		fputs("FAILURE: \"", ss->out);
		cli_fputs_word(argv[0], ss->out);
		fputs("\" is not a count: use 0 (no limit) to 100\n", ss->out);
		return 1;
	}
	if (users_set_max_failed(ss->cfg, (int)n, &err) != MMP_OK)
		return fail(ss, &err);
	return 0;
}

static int cmd_user_rule_audit(struct mmp_session *ss, int argc, char **argv)
{
	struct mmp_err err;
	char *end, shown[CLI_SHOWN_MAX];
	long n = strtol(argv[0], &end, 10);

	(void)argc;
	if (*end != '\0' || argv[0][0] == '\0' || n < AUDIT_MAX_ROWS_MIN || n > AUDIT_MAX_ROWS_MAX) {
		fprintf(ss->out, "FAILURE: \"%s\" is not a row count: use %d to %d (the default is %d)\n",
			SHOWN(argv[0]), AUDIT_MAX_ROWS_MIN, AUDIT_MAX_ROWS_MAX, AUDIT_MAX_ROWS_DEFAULT);
		return 1;
	}
	if (audit_set_max_rows(ss->cfg, n, &err) != MMP_OK)
		return fail(ss, &err);
	return 0;
}

static int cmd_audit(struct mmp_session *ss, int argc, char **argv)
{
	struct mmp_err err;
	struct audit_entry *v;
	size_t n, i;
	char *end = (char *)"";
	long want = argc > 0 ? strtol(argv[0], &end, 10) : 20;
	char when[32];

	if (want < 1 || want > 10000 || *end != '\0') {
		fputs("FAILURE: \"", ss->out);
		cli_fputs_word(argv[0], ss->out);
		fputs("\" is not a count: use 1 to 10000\n", ss->out);
		return 1;
	}
	if (audit_latest(ss->cfg, (size_t)want, &v, &n, &err) != MMP_OK)
		return fail(ss, &err);
	for (i = 0; i < n; i++) {
		struct tm tm;
		gmtime_r(&v[i].time, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
		/* every field as text_escape() shows it: an entry holds what
		 * anyone typed or sent (issue 10 item 6) */
		fprintf(ss->out, "%s UTC ", when);
		text_fputs(v[i].user, ss->out);
		fputc('@', ss->out);
		text_fputs(v[i].source, ss->out);
		fputc(' ', ss->out);
		text_fputs(v[i].kind, ss->out);
		fputs(": ", ss->out);
		text_fputs(v[i].line, ss->out);
		fputs(" [", ss->out);
		text_fputs(v[i].result, ss->out);
		fputs("]\n", ss->out);
	}
	free(v);
	return 0;
}

const struct mmp_cmd cmd_user_table[] = {
	{ "user add", "user add <name> <admin|crypto|audit|appadmin|api>",
	  "Add a user with a role; the password is asked twice", 2, 2, ROLE_ADMIN,
	  W_SET | CMD_ASKS(2), { COMPLETE_NONE, COMPLETE_WORDS, COMPLETE_NONE },
	  cmd_user_add },
	{ "user del", "user del <name>", "Delete a user and its login key <name>.pub (not the last admin)",
	  1, 1, ROLE_ADMIN, W_SET | W_FILES, { 0 }, cmd_user_del },
	{ "user list", "user list", "List the users, their roles and whether a source is locked out",
	  0, 0, ROLE_ADMIN, 0, { 0 }, cmd_user_list },
	{ "user info", "user info <name>", "Show one user", 1, 1, ROLE_ADMIN, 0, { 0 }, cmd_user_info },
	{ "user rule max_failed_logins", "user rule max_failed_logins <n>",
	  "Refuse a user's passwords from a source for 15 minutes after n failed logins from it in a row (0: no limit; keys still work)",
	  1, 1, ROLE_ADMIN, W_SET, { 0 }, cmd_user_rule },
	{ "user rule audit_max_rows", "user rule audit_max_rows <n>",
	  "Keep at most n entries in the audit log, trimming the oldest (1000 to 10000000; default 100000)",
	  1, 1, ROLE_ADMIN, W_SET, { 0 }, cmd_user_rule_audit },
	{ "passwd", "passwd [<name>]",
	  "Change your password (the current one is asked first), or (admin) another user's",
	  0, 1, ROLES_ALL, W_SET | CMD_OWN_ACCOUNT | CMD_ASKS(3), { 0 }, cmd_passwd },
	{ "audit", "audit [<count>]", "Show the latest entries of the audit log (default 20)",
	  0, 1, ROLE_ADMIN | ROLE_AUDIT, 0, { 0 }, cmd_audit },
	{ NULL, NULL, NULL, 0, 0, 0, 0, { 0 }, NULL },
};
