/*
 * users.h: users, roles, login failure limits per (user, source) and the
 * bounded audit log (SPEC §8, issue 10),
 * kept in the config store. Passwords are hashed with yescrypt (libxcrypt)
 * and never stored, printed or logged in clear.
 */
#ifndef MMP_USERS_H
#define MMP_USERS_H

#include <stddef.h>
#include <time.h>

#include "mmp/config.h"

#define USER_NAME_MAX 32
#define USER_LOCK_SECONDS (15 * 60) /* issue 4: locked for 15 minutes */

/* Role names <-> enum mmp_role bits (include/mmp/cmd.h). 0 when unknown. */
unsigned users_role_from_name(const char *name);
const char *users_role_name(unsigned role);

/* Check a user name: 1..32 of lower-case letters, digits, '-', '_' ,
 * starting with a letter; no '_', so <name>.pub is a valid file name. */
enum mmp_rc users_check_name(const char *name, struct mmp_err *err);

/* Add a user with a role and a password (hashed here; the caller wipes its
 * copy). MMP_ERR_EXIST when the name is taken. */
enum mmp_rc users_add(struct cfg *c, const char *name, unsigned role, const char *password,
		      struct mmp_err *err);
enum mmp_rc users_del(struct cfg *c, const char *name, struct mmp_err *err);
enum mmp_rc users_set_password(struct cfg *c, const char *name, const char *password,
			       struct mmp_err *err);

struct user_info {
	char name[USER_NAME_MAX + 1];
	unsigned role;
	int failed;          /* failed password logins, summed over every source */
	time_t locked_until; /* the latest password lock of any source, 0 = none.
			      * For display only: a lock refuses passwords from its
			      * own source and never a key, so a login must not read
			      * it (users_check_password() decides, per source) */
	char damaged[1024];  /* users_list only: "" or why the row is damaged */
	const char *damaged_code; /* its check code (static) and where in */
	size_t damaged_remedy_at; /* damaged its remedy starts (0: none) */
};

/* Failed password logins of one user from one source address. */
struct login_failure {
	char source[64];     /* "console" or the SSH peer address */
	int failed;          /* in a row from this source */
	time_t locked_until; /* 0 = never locked; a time past = the lock ended */
};

/* Look a user up; MMP_ERR_NOENT when there is none. */
enum mmp_rc users_get(struct cfg *c, const char *name, struct user_info *out,
		      struct mmp_err *err);
/* All users sorted by name; *list is malloc'd (free()). */
/* Every user, by name. A damaged row (cfg_col_text) does not hide the
 * others: it is listed with damaged set (and its name when readable). */
enum mmp_rc users_list(struct cfg *c, struct user_info **list, size_t *n, struct mmp_err *err);

/* Check a login password for a user logging in from source (an address,
 * "console") at time now. *ok = 1 when it is right and that source is not
 * locked. A wrong password from a source counts a failure for (user,
 * source), in one statement (parallel attempts never lose a count); at
 * max_failed_logins failures in a row passwords from that source alone
 * are refused for USER_LOCK_SECONDS. Other sources and key logins are not
 * affected (issue 10: a stranger must not lock an admin out). A success
 * clears that source's count. An unknown user does the same hashing work
 * and counts nothing, so the reply and its timing do not tell the two
 * apart. */
enum mmp_rc users_check_password(struct cfg *c, const char *name, const char *source,
				 const char *password, time_t now, int *ok, struct mmp_err *err);

/* The sources with failed logins of a user, most recent lock first; *list
 * is malloc'd (free()), *n may be 0. */
enum mmp_rc users_failures(struct cfg *c, const char *name, struct login_failure **list,
			   size_t *n, struct mmp_err *err);

/* How many users have role (enum mmp_role bit) now. */
enum mmp_rc users_count_role(struct cfg *c, unsigned role, int *n, struct mmp_err *err);

/* The rule `user rule max_failed_logins <n>` (0 = no limit). */
enum mmp_rc users_get_max_failed(struct cfg *c, int *n, struct mmp_err *err);
enum mmp_rc users_set_max_failed(struct cfg *c, int n, struct mmp_err *err);

/* ---- Audit log ----------------------------------------------------------- */

struct audit_entry {
	long long id;
	time_t time;
	char user[USER_NAME_MAX + 1];
	char source[64];  /* "console", or the SSH peer address */
	char kind[16];    /* "login", "command" */
	char line[512];   /* the command line with secrets replaced by *** */
	char result[16];  /* "ok", "failed", "refused" */
};

#define AUDIT_MAX_ROWS_DEFAULT 100000
#define AUDIT_MAX_ROWS_MIN 1000
#define AUDIT_MAX_ROWS_MAX 10000000
#define AUDIT_TRIM_EVERY 100 /* inserts between two checks of the size */

/* Append one entry (its own transaction unless one is open). Every
 * AUDIT_TRIM_EVERY-th entry (by id) checks the size: past audit_max_rows,
 * the oldest entries go, and one entry of kind "audit" says how many. */
enum mmp_rc audit_add(struct cfg *c, const char *user, const char *source, const char *kind,
		      const char *line, const char *result, struct mmp_err *err);
/* The rule `user rule audit_max_rows <n>` (AUDIT_MAX_ROWS_MIN..MAX;
 * unset = AUDIT_MAX_ROWS_DEFAULT). */
enum mmp_rc audit_get_max_rows(struct cfg *c, long *n, struct mmp_err *err);
enum mmp_rc audit_set_max_rows(struct cfg *c, long n, struct mmp_err *err);
/* The latest n entries, oldest first; *list is malloc'd (free()). */
enum mmp_rc audit_latest(struct cfg *c, size_t n, struct audit_entry **list, size_t *count,
			 struct mmp_err *err);

/* An expiry alarm (issue 14) is written to the audit log and syslog once:
 * *first is 1 when key (service, certificate and threshold) was not yet
 * recorded, and records it; 0 when it was. */
enum mmp_rc audit_alarm_once(struct cfg *c, const char *key, long long now, int *first,
			     struct mmp_err *err);

#endif
