/*
 * auth.c: logging in to mmp-sshd (issues 4, 10; SPEC §8): password
 * (yescrypt, through users_check_password) or the OpenSSH key in
 * <user>.pub; at most SSHD_AUTH_TRIES attempts; each password check is
 * granted by the listener first (penalties per source address) and its
 * failure reported back; an unknown user and a wrong password get the
 * same reply after the same time; every attempt goes to the audit log,
 * an unknown user's name never (it may be a password typed in its place).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include <libssh/callbacks.h>

#include "conn.h"
#include "mmp/config.h"

static struct ssh_server_callbacks_struct server_cb; /* lives as long as the session */

/* Every attempt to the log and the audit log. A name that is not a user's
 * is never written down: it may be a password typed where the name goes
 * (issue 10). */
static void audit_login(struct sshd_conn *c, const char *user, const char *how, const char *result)
{
	struct mmp_err err;
	struct user_info u;
	struct cfg *cfg;
	const char *name = "(unknown user)";

	mmp_err_clear(&err);
	/* one settings handle: whether the user exists, then the entry */
	if ((cfg = cfg_open(c->root, &err)) != NULL && users_check_name(user, &err) == MMP_OK &&
	    users_get(cfg, user, &u, &err) == MMP_OK)
		name = user;
	sshd_log(strcmp(result, "ok") == 0 ? LOG_NOTICE : LOG_WARNING, "%s: login %s of %s by %s",
		 c->source, strcmp(result, "ok") == 0 ? "accepted" : "failed", name, how);
	if (cfg != NULL)
		mmp_err_clear(&err); /* else err says why mmp.db did not open */
	if (cfg == NULL || audit_add(cfg, name, c->source, "login", how, result, &err) != MMP_OK)
		sshd_log(LOG_ERR, "%s: cannot write the audit log: %s", c->source, err.msg);
	cfg_close(cfg);
}

/* The user if it exists (password locks are per source, password only:
 * users_check_password). */
static int user_usable(struct sshd_conn *c, const char *user, struct user_info *u)
{
	struct mmp_err err;
	struct cfg *cfg;
	int ok;

	mmp_err_clear(&err);
	if ((cfg = cfg_open(c->root, &err)) == NULL)
		return 0;
	ok = users_get(cfg, user, u, &err) == MMP_OK; /* a password lock never refuses a key */
	if (err.rc != MMP_OK && err.rc != MMP_ERR_NOENT) /* a damaged row, a busy store */
		sshd_log(LOG_ERR, "%s: a login: %s", c->source, err.msg);
	cfg_close(cfg);
	return ok;
}

static void logged_in(struct sshd_conn *c, const struct user_info *u)
{
	snprintf(c->user, sizeof(c->user), "%s", u->name);
	c->role = u->role;
	c->authed = 1;
}

static long long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000LL + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* A failure is answered SSHD_FAIL_FLOOR_MS after the request came, whatever
 * made it fail, so the time tells nothing about the user. */
static void pad_failure(const struct timespec *t0)
{
	long long left = SSHD_FAIL_FLOOR_MS - ms_since(t0);
	struct timespec ts;

	if (left <= 0)
		return;
	ts.tv_sec = left / 1000;
	ts.tv_nsec = (left % 1000) * 1000000;
	nanosleep(&ts, NULL);
}

/* The listener grants each password check (penalties per source address,
 * issue 10): refused, the connection ends with the reason, no password is
 * checked and no "wrong password" is answered. */
static int password_granted(struct sshd_conn *c, ssh_session s)
{
	char ans[160];

	if (sshd_ask(c, "P", ans, sizeof(ans)) == 0 && ans[0] == 'Y')
		return 1;
	sshd_log(LOG_WARNING, "%s: password login refused: %s", c->source,
		 ans[0] == 'N' ? ans + 1 : "the server is stopping");
	ssh_session_set_disconnect_message(s, ans[0] == 'N' ? ans + 1 : "the server is stopping");
	ssh_disconnect(s);
	c->failures = SSHD_AUTH_TRIES; /* the connection ends */
	return 0;
}

static int auth_password(ssh_session s, const char *user, const char *password, void *ud)
{
	struct sshd_conn *c = ud;
	struct timespec t0;
	struct user_info u;
	struct mmp_err err;
	struct cfg *cfg;
	int ok = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	mmp_err_clear(&err);
	if (!password_granted(c, s))
		return SSH_AUTH_DENIED;
	if ((cfg = cfg_open(c->root, &err)) != NULL) {
		if (users_check_password(cfg, user, c->source, password, time(NULL), &ok, &err) != MMP_OK) {
			if (err.rc != MMP_ERR_NOENT)
				sshd_log(LOG_ERR, "%s: a password login: %s", c->source, err.msg);
			ok = 0;
		}
		if (ok && users_get(cfg, user, &u, &err) != MMP_OK)
			ok = 0;
		cfg_close(cfg);
	}
	if (ok) {
		sshd_tell(c, "S");
		logged_in(c, &u);
		audit_login(c, user, "ssh password", "ok");
		return SSH_AUTH_SUCCESS;
	}
	sshd_tell(c, "F");
	c->failures++;
	audit_login(c, user, "ssh password", "failed");
	pad_failure(&t0);
	return SSH_AUTH_DENIED;
}

static void key_how(ssh_key key, char *how, size_t size)
{
	unsigned char *hash = NULL;
	size_t hlen = 0;
	char *fp = NULL;
	const char *type = ssh_key_type_to_char(ssh_key_type(key));

	if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &hlen) == SSH_OK)
		fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hlen);
	snprintf(how, size, "ssh publickey %s %s", type ? type : "?", fp ? fp : "?");
	ssh_string_free_char(fp);
	ssh_clean_pubkey_hash(&hash);
}

/* Called twice per key: first the client asks whether the key would do
 * (state NONE: SUCCESS means "yes, sign"), then with the signature that
 * libssh has checked (state VALID). */
static int auth_pubkey(ssh_session s, const char *user, struct ssh_key_struct *key, char state,
		       void *ud)
{
	struct sshd_conn *c = ud;
	struct user_info u;
	char how[160];
	int ok;

	(void)s;
	ok = (state == SSH_PUBLICKEY_STATE_NONE || state == SSH_PUBLICKEY_STATE_VALID) &&
	     user_usable(c, user, &u) && sshd_key_allowed(c->root, u.name, key);
	key_how(key, how, sizeof(how));
	if (ok && state == SSH_PUBLICKEY_STATE_NONE)
		return SSH_AUTH_SUCCESS;
	if (ok) {
		logged_in(c, &u);
		audit_login(c, user, how, "ok");
		return SSH_AUTH_SUCCESS;
	}
	c->failures++;
	audit_login(c, user, how, "failed");
	return SSH_AUTH_DENIED;
}

/* The first session channel is the connection's own (top); more are
 * added by chans.c up to channels_per_connection (libssh refuses the
 * rest: "administratively prohibited"). Each gets its callbacks here,
 * before a request for it can arrive. */
static ssh_channel open_session(ssh_session s, void *ud)
{
	struct sshd_conn *c = ud;
	ssh_channel ch;

	if (!c->authed || (ch = ssh_channel_new(s)) == NULL)
		return NULL;
	if (c->channel == NULL) {
		c->channel = ch;
		c->chans[0] = c;
		c->nchans = 1;
		sshd_chan_prepare(c);
		return ch;
	}
	if (sshd_chan_add(c, ch) == NULL) {
		ssh_channel_free(ch);
		return NULL;
	}
	return ch;
}

void sshd_auth_prepare(struct sshd_conn *c)
{
	memset(&server_cb, 0, sizeof(server_cb));
	server_cb.userdata = c;
	server_cb.auth_password_function = auth_password;
	server_cb.auth_pubkey_function = auth_pubkey;
	server_cb.channel_open_request_session_function = open_session;
	ssh_callbacks_init(&server_cb);
	ssh_set_server_callbacks(c->session, &server_cb);
	ssh_set_auth_methods(c->session, SSH_AUTH_METHOD_PASSWORD | SSH_AUTH_METHOD_PUBLICKEY);
}

int sshd_auth(struct sshd_conn *c)
{
	while (!c->authed || c->channel == NULL) {
		if (c->failures >= SSHD_AUTH_TRIES) {
			sshd_log(LOG_WARNING, "%s: %d failed logins: disconnected", c->source,
				 c->failures);
			ssh_silent_disconnect(c->session);
			return -1;
		}
		if (ssh_event_dopoll(c->event, 1000) == SSH_ERROR ||
		    (ssh_get_status(c->session) & (SSH_CLOSED | SSH_CLOSED_ERROR)))
			return -1;
	}
	return 0;
}
