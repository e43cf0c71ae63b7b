/*
 * session.c: opening and closing what a shell session works on: the file
 * store, the config store, and the guard between them that keeps files in
 * use by a service from being replaced or removed (SPEC §4).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "mmp/config.h"
#include "mmp/users.h"

static int in_use_guard(void *ctx, const char *name, char *why, size_t size)
{
	struct mmp_session *ss = ctx;
	struct mmp_err err;
	char svc[64], freed[96], fix[CLI_REMEDY_MAX];
	int in_use;

	/* hold the settings write lock from this check to the file change
	 * (released by in_use_release): no service can start using the file
	 * in between, as a concurrent "callbridge certs" would */
	if (!ss->guard_tx && !cfg_in_transaction(ss->cfg)) {
		if (cfg_begin(ss->cfg, &err) != MMP_OK) {
			snprintf(why, size, "%s%s%s", err.msg, err.cause[0] ? ": " : "", err.cause);
			return -1;
		}
		ss->guard_tx = 1;
	}
	if (cfg_file_user(ss->cfg, name, &in_use, svc, sizeof(svc), freed, sizeof(freed), &err) !=
	    MMP_OK) {
		snprintf(why, size, "%s%s%s", err.msg, err.cause[0] ? ": " : "", err.cause);
		return -1;
	}
	if (in_use)
		snprintf(why, size, "in use by %s: %s", svc,
			 cli_remedy_cmd(ss, freed, fix, sizeof(fix)));
	return in_use;
}

static void in_use_release(void *ctx)
{
	struct mmp_session *ss = ctx;
	struct mmp_err err;

	if (ss->guard_tx) {
		ss->guard_tx = 0;
		if (cfg_commit(ss->cfg, &err) != MMP_OK) /* a read-only change: nothing lost */
			cfg_rollback(ss->cfg);
	}
}

enum mmp_rc cli_session_open(struct mmp_session *ss, const char *root, struct mmp_err *err)
{
	memset(ss, 0, sizeof(*ss));
	if ((ss->store = store_open(root, err)) == NULL)
		return err->rc;
	if ((ss->cfg = cfg_open(root, err)) == NULL) {
		store_free(ss->store);
		ss->store = NULL;
		return err->rc;
	}
	store_set_guard(ss->store, in_use_guard, ss);
	store_set_guard_release(ss->store, in_use_release);
	ss->out = stdout;
	cli_session_set_role(ss, ROLE_ADMIN);
	snprintf(ss->hostname, sizeof(ss->hostname), "mmp");
	(void)cli_load_hostname(ss, err); /* damaged: the prompt stays "mmp", hostname says why */
	mmp_err_clear(err);
	return MMP_OK;
}

void cli_session_set_role(struct mmp_session *ss, unsigned role)
{
	ss->role = role;
	store_set_actor(ss->store, role, pki_access_classify);
}

int cli_session_user_gone(struct mmp_session *ss)
{
	struct user_info u;
	struct mmp_err err;

	if (ss->user[0] == '\0' || ss->cfg == NULL)
		return 0; /* the console: no user of its own */
	mmp_err_clear(&err);
	if (users_get(ss->cfg, ss->user, &u, &err) == MMP_OK)
		return u.role != ss->role;
	return err.rc == MMP_ERR_NOENT; /* a busy store is not a deleted user */
}

void cli_session_close(struct mmp_session *ss)
{
	report_free(&ss->res);
	cfg_close(ss->cfg);
	store_free(ss->store);
	ss->cfg = NULL;
	ss->store = NULL;
}

enum mmp_rc cli_load_hostname(struct mmp_session *ss, struct mmp_err *err)
{
	char buf[sizeof(ss->hostname)];
	int set;

	if (cfg_get(ss->cfg, "hostname", buf, sizeof(buf), &set, err) != MMP_OK)
		return err->rc;
	/* not set (or set and rolled back by check <command line>): "mmp" */
	snprintf(ss->hostname, sizeof(ss->hostname), "%s", set ? buf : "mmp");
	return MMP_OK;
}
