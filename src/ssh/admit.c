/*
 * admit.c: the listener's decisions about more than one connection (issue
 * 10 items 2-4): who may start logging in (per-source cap, random early
 * drop past startups_begin as OpenSSH's MaxStartups 10:30:100, a bounded
 * wait queue), penalties per source address after failed passwords
 * (growing refusals, as OpenSSH's PerSourcePenalties), and session caps
 * (in all, per user, per source, with slots kept for admins).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>

#include "server_int.h"

void sshd_limits_default(struct sshd_limits *l)
{
	*l = (struct sshd_limits){
		.startups_begin = 10, .startups_rate = 30, .startups_full = 100,
		.source_startups = 4, .queue_source = 16, .queue_total = 64, .queue_seconds = 10,
		.kex_seconds = 10, .login_seconds = 30, .request_seconds = 10, .idle_seconds = 900,
		.sftp_packet_bytes = 256 * 1024, .channels_per_connection = 4,
		.max_sessions = 128, .admin_sessions = 16, .user_sessions = 32, .source_sessions = 64,
		.penalty_free = 5, .penalty_seconds = 5, .penalty_max = 600, .penalty_forget = 900,
	};
}

#define LIM(f, lo, hi, what) { #f, offsetof(struct sshd_limits, f), lo, hi, what }
static const struct {
	const char *name;
	size_t off;
	int lo, hi;
	const char *what;
} limit_defs[] = {
	LIM(startups_begin, 1, 1000, "connections logging in before random early drop"),
	LIM(startups_rate, 0, 100, "percent dropped at startups_begin, rising to 100"),
	LIM(startups_full, 1, 1000, "connections logging in at most (all dropped past it)"),
	LIM(source_startups, 1, 1000, "connections logging in at once from one source address"),
	LIM(queue_source, 0, 1000, "connections waiting to start, per source address"),
	LIM(queue_total, 0, QUEUE_MAX, "connections waiting to start, in all"),
	LIM(queue_seconds, 1, 600, "seconds a connection may wait to start"),
	LIM(kex_seconds, 1, 600, "seconds to finish the key exchange"),
	LIM(login_seconds, 1, 600, "seconds to finish logging in, from the connect"),
	LIM(request_seconds, 1, 600, "seconds for a session channel's request (shell, exec, sftp)"),
	LIM(idle_seconds, 1, 86400, "seconds without input before a session ends"),
	LIM(sftp_packet_bytes, 65536, 16 * 1024 * 1024,
	    "longest SFTP request in bytes (a longer one ends the session unread)"),
	LIM(channels_per_connection, 1, 16,
	    "session channels open at once on one connection (shell and SFTP side by side)"),
	LIM(max_sessions, 1, CHILD_MAX / 2, "logged-in sessions in all"),
	LIM(admin_sessions, 0, CHILD_MAX / 2, "of those, kept for admins"),
	LIM(user_sessions, 1, CHILD_MAX / 2, "sessions per user"),
	LIM(source_sessions, 1, CHILD_MAX / 2, "sessions per source address"),
	LIM(penalty_free, 1, 1000, "failed passwords from a source address before penalties"),
	LIM(penalty_seconds, 1, 86400, "first refusal of a source address, seconds (doubled each time)"),
	LIM(penalty_max, 1, 86400, "longest refusal, seconds"),
	LIM(penalty_forget, 1, 86400, "seconds without a failure after which a source is forgiven"),
};
#define NLIMITS (sizeof(limit_defs) / sizeof(limit_defs[0]))

int sshd_limit_set(struct sshd_limits *l, const char *spec, char *why, size_t size)
{
	const char *eq = strchr(spec, '=');
	size_t i, n = eq ? (size_t)(eq - spec) : 0;
	char *end;
	long v;

	for (i = 0; eq != NULL && i < NLIMITS; i++) {
		if (strlen(limit_defs[i].name) != n || strncmp(spec, limit_defs[i].name, n) != 0)
			continue;
		v = strtol(eq + 1, &end, 10);
		if (eq[1] == '\0' || *end != '\0' || v < limit_defs[i].lo || v > limit_defs[i].hi) {
			snprintf(why, size, "--limit %.*s: give a whole number from %d to %d", (int)n, spec,
				 limit_defs[i].lo, limit_defs[i].hi);
			return -1;
		}
		*(int *)((char *)l + limit_defs[i].off) = (int)v;
		return 0;
	}
	snprintf(why, size, "--limit %.40s: give NAME=VALUE with a NAME of --limits", spec);
	return -1;
}

void sshd_limits_print(const struct sshd_limits *l, FILE *fp)
{
	size_t i;

	for (i = 0; i < NLIMITS; i++)
		fprintf(fp, "  %-17s %6d  %s\n", limit_defs[i].name,
			*(const int *)((const char *)l + limit_defs[i].off), limit_defs[i].what);
}

void admit_source_key(const char *host, char *key, size_t size)
{
	struct in6_addr a6;
	char buf[INET6_ADDRSTRLEN];

	if (strncmp(host, "::ffff:", 7) == 0 && strchr(host + 7, '.') != NULL)
		host += 7; /* IPv4 mapped */
	if (strchr(host, ':') != NULL && inet_pton(AF_INET6, host, &a6) == 1) {
		memset(a6.s6_addr + 8, 0, 8); /* one host's /64 */
		if (inet_ntop(AF_INET6, &a6, buf, sizeof(buf)) != NULL) {
			snprintf(key, size, "%s/64", buf);
			return;
		}
	}
	snprintf(key, size, "%s", host);
}

/* The source record of key, made (evicting the longest quiet unblocked
 * one) when create. */
static struct source *source_of(struct server *sv, const char *key, int create)
{
	time_t now = time(NULL);
	int i, victim = -1;

	for (i = 0; i < sv->nsources; i++)
		if (strcmp(sv->sources[i].key, key) == 0)
			return &sv->sources[i];
	if (!create)
		return NULL;
	if (sv->nsources < SOURCE_MAX) {
		victim = sv->nsources++;
	} else {
		for (i = 0; i < sv->nsources; i++)
			if (sv->sources[i].blocked_until <= now &&
			    (victim < 0 || sv->sources[i].last_fail < sv->sources[victim].last_fail))
				victim = i;
		if (victim < 0)
			victim = 0; /* all blocked: forget the first */
	}
	memset(&sv->sources[victim], 0, sizeof(sv->sources[victim]));
	snprintf(sv->sources[victim].key, sizeof(sv->sources[victim].key), "%s", key);
	sv->sources[victim].penalty = sv->lim->penalty_seconds;
	return &sv->sources[victim];
}

static int blocked(struct server *sv, const char *key, long *left)
{
	struct source *s = source_of(sv, key, 0);
	time_t now = time(NULL);

	*left = s != NULL && s->blocked_until > now ? (long)(s->blocked_until - now) : 0;
	return *left > 0;
}

int admit_logins(const struct server *sv, const char *src)
{
	int i, n = 0;

	for (i = 0; i < sv->nkids; i++)
		n += sv->kids[i].state == KID_LOGIN && (src == NULL || strcmp(sv->kids[i].src, src) == 0);
	return n;
}

static int queued_from(const struct server *sv, const char *src)
{
	int i, n = 0;

	for (i = 0; i < sv->nqueue; i++)
		n += strcmp(sv->queue[i].src, src) == 0;
	return n;
}

int admit_can_start(struct server *sv, const char *src)
{
	return sv->nkids < CHILD_MAX && admit_logins(sv, src) < sv->lim->source_startups &&
	       admit_logins(sv, NULL) < sv->lim->startups_begin;
}

enum admit admit_connection(struct server *sv, const char *src, char *why, size_t size)
{
	const struct sshd_limits *l = sv->lim;
	int all = admit_logins(sv, NULL), mine = admit_logins(sv, src);
	long left;

	if (blocked(sv, src, &left)) {
		snprintf(why, size, "refused for %ld more seconds after failed passwords", left);
		return ADMIT_DROP;
	}
	if (sv->nkids >= CHILD_MAX || all >= l->startups_full) {
		snprintf(why, size, "%d connections are logging in, the most there may be", all);
		return ADMIT_DROP;
	}
	if (mine < l->source_startups && all >= l->startups_begin) {
		/* random early drop: rate% at begin, rising to 100% at full */
		int p = l->startups_rate + (100 - l->startups_rate) * (all - l->startups_begin) /
						   (l->startups_full - l->startups_begin > 0
							    ? l->startups_full - l->startups_begin : 1);
		if (random() % 100 < p) {
			snprintf(why, size, "%d connections are logging in: dropped early (%d%%)", all, p);
			return ADMIT_DROP;
		}
		return ADMIT_START;
	}
	if (mine < l->source_startups)
		return ADMIT_START;
	if (queued_from(sv, src) < l->queue_source && sv->nqueue < l->queue_total &&
	    sv->nqueue < QUEUE_MAX)
		return ADMIT_QUEUE;
	snprintf(why, size, "%d connections of this address are logging in and %d waiting", mine,
		 queued_from(sv, src));
	return ADMIT_DROP;
}

int admit_note_drop(struct server *sv, const char *src, long *count)
{
	struct source *s = source_of(sv, src, 1);
	time_t now = time(NULL);

	s->dropped++;
	if (s->dropped_logged + 10 > now)
		return 0;
	*count = s->dropped;
	s->dropped = 0;
	s->dropped_logged = now;
	return 1;
}

static void reply(struct child *k, const char *msg)
{
	if (k->ctl >= 0 && send(k->ctl, msg, strlen(msg), MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		sshd_log(LOG_WARNING, "%s: cannot answer connection process %ld", k->src, (long)k->pid);
}

/* "P": may this connection check a password now? */
static void password_asked(struct server *sv, struct child *k)
{
	struct source *s = source_of(sv, k->src, 1);
	time_t now = time(NULL);
	int i, pending = 0;
	long left;

	if (s->fails > 0 && s->last_fail + sv->lim->penalty_forget < now) {
		s->fails = 0; /* forgiven */
		s->penalty = sv->lim->penalty_seconds;
	}
	for (i = 0; i < sv->nkids; i++)
		if (strcmp(sv->kids[i].src, k->src) == 0)
			pending += sv->kids[i].pending;
	if (blocked(sv, k->src, &left)) {
		char msg[96];
		snprintf(msg, sizeof(msg), "Ntoo many failed logins from your address: try again in %ld seconds", left);
		reply(k, msg);
		return;
	}
	/* past the free failures, one check at a time per source */
	if (s->fails >= sv->lim->penalty_free && pending > 0) {
		reply(k, "Ntoo many failed logins from your address: one password at a time, try again later");
		return;
	}
	k->pending++;
	reply(k, "Y");
}

/* "F": a password was wrong. */
static void password_failed(struct server *sv, struct child *k)
{
	struct source *s = source_of(sv, k->src, 1);
	time_t now = time(NULL);

	if (k->pending > 0)
		k->pending--;
	s->fails++;
	s->last_fail = now;
	if (s->fails < sv->lim->penalty_free)
		return;
	s->blocked_until = now + s->penalty;
	sshd_log(LOG_WARNING, "%s: %d failed passwords: connections from it refused for %d s", k->src,
		 s->fails, s->penalty);
	s->penalty = s->penalty * 2 > sv->lim->penalty_max ? sv->lim->penalty_max : s->penalty * 2;
}

/* "A<role> <user>": logged in; may it have a session? */
static void session_asked(struct server *sv, struct child *k, const char *msg)
{
	const struct sshd_limits *l = sv->lim;
	const char *sp = strchr(msg, ' ');
	int i, all = 0, user = 0, src = 0;
	char why[200];

	k->role = (unsigned)atoi(msg + 1);
	snprintf(k->user, sizeof(k->user), "%s", sp ? sp + 1 : "");
	for (i = 0; i < sv->nkids; i++) {
		const struct child *o = &sv->kids[i];
		if (o->state != KID_SESSION)
			continue;
		all++;
		user += strcmp(o->user, k->user) == 0;
		src += strcmp(o->src, k->src) == 0;
	}
	why[0] = '\0';
	if (all >= l->max_sessions)
		snprintf(why, sizeof(why), "all %d sessions are in use: try again later", l->max_sessions);
	else if (!(k->role & ROLE_ADMIN) && all >= l->max_sessions - l->admin_sessions)
		snprintf(why, sizeof(why),
			 "%d sessions are in use and the last %d are kept for admins: try again later, or log in as an admin",
			 all, l->admin_sessions);
	else if (user >= l->user_sessions)
		snprintf(why, sizeof(why), "user %s has %d sessions open, the most one user may have: end one first",
			 k->user, user);
	else if (src >= l->source_sessions)
		snprintf(why, sizeof(why), "your address has %d sessions open, the most one address may have: end one first",
			 src);
	if (why[0] != '\0') {
		char out[210];
		k->state = KID_ENDING;
		sshd_log(LOG_WARNING, "%s: %s: session refused: %s", k->src, k->user, why);
		snprintf(out, sizeof(out), "N%s", why);
		reply(k, out);
		return;
	}
	k->state = KID_SESSION;
	reply(k, "Y");
}

void admit_message(struct server *sv, struct child *k, const char *msg, size_t len)
{
	if (len == 0)
		return;
	switch (msg[0]) {
	case 'P': password_asked(sv, k); break;
	case 'F': password_failed(sv, k); break;
	case 'S':
		if (k->pending > 0)
			k->pending--;
		break;
	case 'A':
		if (k->state == KID_LOGIN)
			session_asked(sv, k, msg);
		break;
	default: break;
	}
}
