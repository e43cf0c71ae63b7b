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
	char pw[256], shown[CLI_SHOWN_MAX], fix[160], key[USER_NAME_MAX + 8];
	unsigned role = users_role_from_name(argv[1]);
	enum mmp_rc rc;
	struct user_info u;

	(void)argc;
	mmp_err_clear(&err);
	if (users_check_name(argv[0], &err) != MMP_OK)
		return fail(ss, &err);
	if (role == 0) {
		res_check(ss, REPORT_FAILURE, "user.role_invalid", NULL, 0,
			  "use admin, crypto, audit, appadmin or api", "\"%s\" is not a role", SHOWN(argv[1]));
		return 1;
	}
	if (users_get(ss->cfg, argv[0], &u, &err) == MMP_OK) {
		snprintf(fix, sizeof(fix), "use passwd %s or user del %s", argv[0], argv[0]);
		res_check(ss, REPORT_FAILURE, "user.exists", NULL, 0, fix, "user %s already exists", argv[0]);
		return 1;
	}
	if (key_file_exists(ss, argv[0])) { /* issue 10 item 3 */
		key_name(argv[0], key, sizeof(key));
		snprintf(fix, sizeof(fix),
			 "remove %s first (SFTP rm), then upload the new user's key after user add", key);
		res_check(ss, REPORT_FAILURE, "user.key_exists", key, 0, fix,
			  "%s is already in the file store: whoever holds its key would log in as the new user %s",
			  key, argv[0]);
		return 1;
	}
	if (ask_new_password(ss, argv[0], pw, sizeof(pw)) != 0)
		return 1;
	rc = users_add(ss->cfg, argv[0], role, pw, &err);
	explicit_bzero(pw, sizeof(pw));
	if (rc != MMP_OK)
		return fail(ss, &err);
	json_object_set_new(res_data(ss), "user", report_str(argv[0]));
	json_object_set_new(res_data(ss), "role", report_str(users_role_name(role)));
	res_printf(ss, "user %s added with role %s\n", argv[0], argv[1]);
	return 0;
}

/* The last admin cannot go: nobody could add users or change settings
 * over SSH any more. */
static int is_last_admin(struct mmp_session *ss, const char *name)
{
	struct mmp_err err;
	struct user_info u;
	char fix[160];
	int n;

	if (users_get(ss->cfg, name, &u, &err) != MMP_OK || u.role != ROLE_ADMIN)
		return 0; /* users_del says what is wrong */
	if (users_count_role(ss->cfg, ROLE_ADMIN, &n, &err) != MMP_OK) {
		cmd_print_err(ss, &err);
		return -1;
	}
	if (n > 1)
		return 0;
	snprintf(fix, sizeof(fix), "add another admin first (user add <name> admin), then user del %s", name);
	res_check(ss, REPORT_FAILURE, "user.last_admin", NULL, 0, fix,
		  "%s is the last admin: without one nobody can manage users or settings over SSH", name);
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
		res_check(ss, REPORT_FAILURE, "user.delete_self", NULL, 0, NULL,
			  "you cannot delete the user you are logged in as");
		return 1;
	}
	if (is_last_admin(ss, argv[0]) != 0)
		return 1;
	if (users_del(ss->cfg, argv[0], &err) != MMP_OK)
		return fail(ss, &err);
	had_key = key_file_exists(ss, argv[0]);
	key_name(argv[0], key, sizeof(key));
	if (had_key && store_remove(ss->store, key, &err) != MMP_OK) {
		cmd_print_err(ss, &err);
		res_check(ss, REPORT_FAILURE, "user.key_not_removed", key, 0, NULL,
			  "user %s is kept: its login key %s could not be removed", argv[0], key);
		return 1;
	}
	json_object_set_new(res_data(ss), "user", report_str(argv[0]));
	json_object_set_new(res_data(ss), "login_key", had_key ? report_str(key) : json_null());
	if (had_key)
		res_printf(ss, "user %s deleted, and its login key %s removed\n", argv[0], key);
	else
		res_printf(ss, "user %s deleted\n", argv[0]);
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
	json_t *locks = json_array(), *l;

	if (users_failures(ss->cfg, name, &f, &n, &err) != MMP_OK) {
		json_decref(locks);
		return fail(ss, &err);
	}
	snprintf(buf, size, "active");
	for (i = 0; i < n && f[i].locked_until > now; i++) {
		long minutes = (long)((f[i].locked_until - now + 59) / 60);
		o += (size_t)snprintf(buf + o, o < size ? size - o : 0, "%s from %s for %ld more minutes",
				      i ? "," : "password locked",
				      text_escape(f[i].source, src, sizeof(src), 0), minutes);
		l = json_object();
		json_object_set_new(l, "source", report_str(f[i].source));
		json_object_set_new(l, "locked_until", report_time((long long)f[i].locked_until));
		json_object_set_new(l, "minutes", json_integer(minutes));
		json_array_append_new(locks, l);
	}
	json_object_set_new(res_data(ss), "status", report_str(i > 0 ? "locked" : "active"));
	json_object_set_new(res_data(ss), "locks", locks);
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
	json_t *users, *u;
	int rc = 0;

	(void)argc;
	(void)argv;
	if (users_list(ss->cfg, &v, &n, &err) != MMP_OK)
		return fail(ss, &err);
	if ((users = json_array()) != NULL)
		json_object_set_new(res_data(ss), "users", users);
	res_printf(ss, "%-32s %-9s %s\n", "User", "Role", "Status");
	for (i = 0; i < n; i++) {
		int damaged = v[i].damaged[0] != '\0', locked = v[i].locked_until > time(NULL);
		res_printf(ss, "%-32s %-9s %s\n", text_escape(v[i].name, name, sizeof(name), 0),
			   damaged ? "?" : users_role_name(v[i].role),
			   damaged ? "damaged (cannot log in)" : status(&v[i], st, sizeof(st)));
		u = json_object();
		json_object_set_new(u, "name", report_str(v[i].name));
		json_object_set_new(u, "role", damaged ? json_null() : report_str(users_role_name(v[i].role)));
		json_object_set_new(u, "status", report_str(damaged ? "damaged" : locked ? "locked" : "active"));
		json_array_append_new(users, u);
	}
	for (i = 0; i < n; i++)
		if (v[i].damaged[0]) {
			size_t at = v[i].damaged_remedy_at;
			if (at >= 2)
				res_check(ss, REPORT_FAILURE, v[i].damaged_code, "mmp.db", 0,
					  v[i].damaged + at, "%.*s", (int)(at - 2), v[i].damaged);
			else
				res_check(ss, REPORT_FAILURE, v[i].damaged_code, "mmp.db", 0, NULL, "%s",
					  v[i].damaged);
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
	json_object_set_new(res_data(ss), "name", report_str(u.name));
	json_object_set_new(res_data(ss), "role", report_str(users_role_name(u.role)));
	json_object_set_new(res_data(ss), "failed_logins", json_integer(u.failed));
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
	char pw[256], shown[CLI_SHOWN_MAX], fix[160];
	int ok = 0;
	enum mmp_rc rc;

	if (ss->prompt == NULL || ss->prompt(ss, "Current password: ", 1, pw, sizeof(pw)) != MMP_OK) {
		res_check(ss, REPORT_FAILURE, "shell.no_answer", NULL, 0, NULL,
			  "no password was given (end of input or Ctrl-C): nothing was changed");
		return 1;
	}
	mmp_err_clear(&err);
	rc = users_check_password(ss->cfg, who, ss->source, pw, time(NULL), &ok, &err);
	explicit_bzero(pw, sizeof(pw));
	if (rc != MMP_OK)
		return fail(ss, &err);
	if (commit_check(ss) != 0)
		return 1;
	if (!ok) {
		snprintf(fix, sizeof(fix),
			 "nothing was changed; it counts as a failed login (see user info %s)", who);
		res_check(ss, REPORT_FAILURE, "user.password_wrong", NULL, 0, fix,
			  "the current password is wrong, or passwords from %s are locked after too many failures",
			  SHOWN(ss->source));
	}
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
		res_check(ss, REPORT_FAILURE, "user.console_no_user", NULL, 0, "give passwd <user>",
			  "the console has no user of its own");
		return 1;
	}
	if (!self && !(ss->role & ROLE_ADMIN)) {
		res_check(ss, REPORT_FAILURE, "user.not_own_account", NULL, 0,
			  "use passwd to change your own",
			  "only an admin can change another user's password");
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
	json_object_set_new(res_data(ss), "user", report_str(who));
	res_printf(ss, "password of %s changed\n", who);
	return 0;
}

static int cmd_user_rule(struct mmp_session *ss, int argc, char **argv)
{
	struct mmp_err err;
	char *end, shown[CLI_SHOWN_MAX];
	long n = strtol(argv[0], &end, 10);

	(void)argc;
	if (*end != '\0' || argv[0][0] == '\0' || n < 0 || n > 100) {
		res_check(ss, REPORT_FAILURE, "user.max_failed_invalid", NULL, 0,
			  "use 0 (no limit) to 100", "\"%s\" is not a count", SHOWN(argv[0]));
		return 1;
	}
	if (users_set_max_failed(ss->cfg, (int)n, &err) != MMP_OK)
		return fail(ss, &err);
	json_object_set_new(res_data(ss), "max_failed_logins", json_integer(n));
	cli_confirm(ss, "user rule max_failed_logins", "%ld%s", n, n == 0 ? " (no limit)" : "");
	return 0;
}

static int cmd_user_rule_audit(struct mmp_session *ss, int argc, char **argv)
{
	struct mmp_err err;
	char *end, shown[CLI_SHOWN_MAX];
	long n = strtol(argv[0], &end, 10);

	(void)argc;
	if (*end != '\0' || argv[0][0] == '\0' || n < AUDIT_MAX_ROWS_MIN || n > AUDIT_MAX_ROWS_MAX) {
		char fix[64];
		snprintf(fix, sizeof(fix), "use %d to %d (the default is %d)", AUDIT_MAX_ROWS_MIN,
			 AUDIT_MAX_ROWS_MAX, AUDIT_MAX_ROWS_DEFAULT);
		res_check(ss, REPORT_FAILURE, "user.audit_rows_invalid", NULL, 0, fix,
			  "\"%s\" is not a row count", SHOWN(argv[0]));
		return 1;
	}
	if (audit_set_max_rows(ss->cfg, n, &err) != MMP_OK)
		return fail(ss, &err);
	json_object_set_new(res_data(ss), "audit_max_rows", json_integer(n));
	cli_confirm(ss, "user rule audit_max_rows", "%ld", n);
	return 0;
}

/* A field of an audit entry as text_fputs() shows it (tabs kept). */
static const char *esc(const char *s, char *buf, size_t size)
{
	return text_escape(s, buf, size, 1);
}

static int cmd_audit(struct mmp_session *ss, int argc, char **argv)
{
	struct mmp_err err;
	struct audit_entry *v;
	size_t n, i;
	char *end = (char *)"";
	long want = argc > 0 ? strtol(argv[0], &end, 10) : 20;
	char when[32], shown[CLI_SHOWN_MAX], buf[4 * sizeof(v->line) + 1];
	json_t *entries, *e;

	if (want < 1 || want > 10000 || *end != '\0') {
		res_check(ss, REPORT_FAILURE, "audit.count_invalid", NULL, 0, "use 1 to 10000",
			  "\"%s\" is not a count", SHOWN(argv[0]));
		return 1;
	}
	if (audit_latest(ss->cfg, (size_t)want, &v, &n, &err) != MMP_OK)
		return fail(ss, &err);
	if ((entries = json_array()) != NULL)
		json_object_set_new(res_data(ss), "entries", entries);
	for (i = 0; i < n; i++) {
		struct tm tm;
		gmtime_r(&v[i].time, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
		/* every field as text_escape() shows it: an entry holds what
		 * anyone typed or sent (issue 10 item 6) */
		res_printf(ss, "%s UTC %s", when, esc(v[i].user, buf, sizeof(buf)));
		res_printf(ss, "@%s", esc(v[i].source, buf, sizeof(buf)));
		res_printf(ss, " %s: ", esc(v[i].kind, buf, sizeof(buf)));
		res_printf(ss, "%s", esc(v[i].line, buf, sizeof(buf)));
		res_printf(ss, " [%s]\n", esc(v[i].result, buf, sizeof(buf)));
		e = json_object();
		json_object_set_new(e, "time", report_time((long long)v[i].time));
		json_object_set_new(e, "user", report_str(v[i].user));
		json_object_set_new(e, "source", report_str(v[i].source));
		json_object_set_new(e, "kind", report_str(v[i].kind));
		json_object_set_new(e, "command", report_str(v[i].line));
		json_object_set_new(e, "result", report_str(v[i].result));
		json_array_append_new(entries, e);
	}
	free(v);
	return 0;
}

/* The answers (issue 12). Passwords are never in them. */
static const struct res_field user_add_result[] = {
	{ "user", RES_STR, 0, NULL, "the user added" },
	{ "role", RES_STR, 0, NULL, "its role: admin, crypto, audit, appadmin or api" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field user_del_result[] = {
	{ "user", RES_STR, 0, NULL, "the user deleted" },
	{ "login_key", RES_STR, RES_NULLABLE, NULL, "its login key <name>.pub, removed with it; null when it had none" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field user_list_item[] = {
	{ "name", RES_STR, 0, NULL, "the user's name" },
	{ "role", RES_STR, RES_NULLABLE, NULL, "its role; null when its row is damaged" },
	{ "status", RES_STR, 0, NULL,
	  "active; locked (its passwords from a source are refused, see user info); damaged (cannot log in)" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field user_list_result[] = {
	{ "users", RES_LIST, 0, user_list_item, "every user, by name" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field user_lock_item[] = {
	{ "source", RES_STR, 0, NULL, "where the passwords came from: console or the SSH peer address" },
	{ "locked_until", RES_TIME, 0, NULL, "when the lock ends" },
	{ "minutes", RES_INT, 0, NULL, "minutes left, rounded up" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field user_info_result[] = {
	{ "name", RES_STR, 0, NULL, "the user's name" },
	{ "role", RES_STR, 0, NULL, "its role" },
	{ "status", RES_STR, 0, NULL, "active, or locked (passwords from a source refused; keys still work)" },
	{ "locks", RES_LIST, 0, user_lock_item, "each source whose passwords are refused now" },
	{ "failed_logins", RES_INT, 0, NULL, "failed password logins in a row, summed over every source" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field user_rule_result[] = {
	{ "max_failed_logins", RES_INT, 0, NULL, "the count now set (0: no limit)" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field user_rule_audit_result[] = {
	{ "audit_max_rows", RES_INT, 0, NULL, "the row count now set" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field passwd_result[] = {
	{ "user", RES_STR, 0, NULL, "the user whose password was changed (never the password)" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field audit_item[] = {
	{ "time", RES_TIME, 0, NULL, "when" },
	{ "user", RES_STR, 0, NULL, "who" },
	{ "source", RES_STR, 0, NULL, "console or the SSH peer address" },
	{ "kind", RES_STR, 0, NULL, "login or command" },
	{ "command", RES_STR, 0, NULL, "the command line, secrets as ***" },
	{ "result", RES_STR, 0, NULL, "ok, failed or refused" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field audit_result[] = {
	{ "entries", RES_LIST, 0, audit_item, "the latest entries, oldest first" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct mmp_cmd cmd_user_table[] = {
	{ "user add", "user add <name> <admin|crypto|audit|appadmin|api>",
	  "Add a user with a role; the password is asked twice", 2, 2, ROLE_ADMIN,
	  W_SET | CMD_ASKS(2), { COMPLETE_NONE, COMPLETE_WORDS, COMPLETE_NONE },
	  cmd_user_add, user_add_result },
	{ "user del", "user del <name>", "Delete a user and its login key <name>.pub (not the last admin)",
	  1, 1, ROLE_ADMIN, W_SET | W_FILES, { 0 }, cmd_user_del, user_del_result },
	{ "user list", "user list", "List the users, their roles and whether a source is locked out",
	  0, 0, ROLE_ADMIN, 0, { 0 }, cmd_user_list, user_list_result },
	{ "user info", "user info <name>", "Show one user", 1, 1, ROLE_ADMIN, 0, { 0 }, cmd_user_info, user_info_result },
	{ "user rule max_failed_logins", "user rule max_failed_logins <n>",
	  "Refuse a user's passwords from a source for 15 minutes after n failed logins from it in a row (0: no limit; keys still work)",
	  1, 1, ROLE_ADMIN, W_SET, { 0 }, cmd_user_rule, user_rule_result },
	{ "user rule audit_max_rows", "user rule audit_max_rows <n>",
	  "Keep at most n entries in the audit log, trimming the oldest (1000 to 10000000; default 100000)",
	  1, 1, ROLE_ADMIN, W_SET, { 0 }, cmd_user_rule_audit, user_rule_audit_result },
	{ "passwd", "passwd [<name>]",
	  "Change your password (the current one is asked first), or (admin) another user's",
	  0, 1, ROLES_ALL, W_SET | CMD_OWN_ACCOUNT | CMD_ASKS(3), { 0 }, cmd_passwd, passwd_result },
	{ "audit", "audit [<count>]", "Show the latest entries of the audit log (default 20)",
	  0, 1, ROLE_ADMIN | ROLE_AUDIT, 0, { 0 }, cmd_audit, audit_result },
	{ NULL, NULL, NULL, 0, 0, 0, 0, { 0 }, NULL, NULL },
};
