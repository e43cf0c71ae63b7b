/*
 * expiry.c: which certificates each service uses, and which of them ends
 * first (mmp/expiry.h; issue 14). A service's own certificate is as good
 * as the first certificate on its chain to end: an intermediate CA that
 * expires under a valid leaf breaks the service as surely as the leaf
 * would (guide §1.2.4, §5.3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mmp/expiry.h"

struct use_def {
	const char *service, *what, *freed_by;
	const char *file_key, *bundle_key; /* settings (bundle_key may be NULL) */
	int trust;
};

/* Every setting that names certificates (src/store/settings.c), as the
 * commands that set them say it. */
static const struct use_def defs[] = {
	{ "callbridge", "certs", "callbridge certs", "callbridge.crt", "callbridge.bundle", 0 },
	{ "callbridge", "trust c2w", "callbridge trust c2w", "callbridge.trust.c2w", NULL, 1 },
	{ "callbridge", "trust cluster", "callbridge trust cluster", "callbridge.trust.cluster", NULL, 1 },
	{ "callbridge", "trust edge", "callbridge trust edge", "callbridge.trust.edge", NULL, 1 },
	{ "webbridge3", "https certs", "webbridge3 https certs", "webbridge3.https.crt", NULL, 0 },
	{ "webbridge3", "c2w certs", "webbridge3 c2w certs", "webbridge3.c2w.crt", NULL, 0 },
	{ "webbridge3", "c2w trust", "webbridge3 c2w trust", "webbridge3.c2w.trust", NULL, 1 },
	{ "turn", "certs", "turn certs", "turn.crt", "turn.bundle", 0 },
	{ "meetingapps", "https certs", "meetingapps https certs", "meetingapps.https.crt", NULL, 0 },
	{ "database cluster", "server certs", "database cluster certs", "database.server_crt", "database.ca_crt", 0 },
	{ "database cluster", "client certs", "database cluster certs", "database.client_crt", "database.ca_crt", 0 },
	{ "database cluster", "CA", "database cluster certs", "database.ca_crt", NULL, 1 },
	{ "tls sip", "trust", "tls sip trust", "tls.sip.trust", NULL, 1 },
	{ "tls ldap", "trust", "tls ldap trust", "tls.ldap.trust", NULL, 1 },
};

long long expiry_days_left(long long not_after, long long now)
{
	long long d = not_after - now;

	if (d < 0)
		return -((-d) / 86400);
	return d / 86400 + (d % 86400 > 0);
}

const char *expiry_words(long long not_after, long long now, char *buf, size_t size)
{
	long long d = expiry_days_left(not_after, now);

	if (not_after <= now)
		snprintf(buf, size, "expired %lld day%s ago", -d, d == -1 ? "" : "s");
	else
		snprintf(buf, size, "expires in %lld day%s", d, d == 1 ? "" : "s");
	return buf;
}

const char *expiry_date(long long t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, size, "%Y-%m-%d", &tm) == 0)
		snprintf(buf, size, "?");
	return buf;
}

/* A certificate of a pool: which file, which certificate. */
struct ref {
	const struct file_facts *f;
	const struct cert_facts *c;
};

/* Is a's issuer b (by name: the facts keep no keys), b not a itself? */
static int issued(const struct cert_facts *a, const struct cert_facts *b)
{
	return a != b && strcmp(a->issuer, b->subject) == 0;
}

/* The leaf of a file: a certificate that issued none of the others,
 * preferring one that is not self-signed (pki_file_leaf's rule). */
static const struct cert_facts *leaf_of(const struct file_facts *f)
{
	const struct cert_facts *best = NULL;
	size_t i, k;

	for (i = 0; i < f->ncerts; i++) {
		int issuer = 0;
		for (k = 0; k < f->ncerts && !issuer; k++)
			issuer = issued(&f->certs[k], &f->certs[i]);
		if (!issuer && (best == NULL || (best->self_signed && !f->certs[i].self_signed)))
			best = &f->certs[i];
	}
	return best != NULL ? best : (f->ncerts > 0 ? &f->certs[0] : NULL);
}

/* Keep r as the end when it ends before the end so far. */
static void earliest(struct expiry_use *u, const struct file_facts *f, const struct cert_facts *c, int leaf)
{
	if (u->end_cert == NULL || c->not_after < u->end_cert->not_after) {
		u->end_file = f;
		u->end_cert = c;
		u->end_is_leaf = leaf;
	}
}

/* The chain of a service's certificate: from the leaf of file up by
 * issuer through file and bundle, to a self-signed root or an issuer
 * that is not there. At most 16 steps (a loop of names ends there). */
static void walk_chain(struct expiry_use *u, const struct file_facts *file, const struct file_facts *bundle)
{
	const struct file_facts *pools[2] = { file, bundle };
	struct ref at = { file, leaf_of(file) };
	int steps;

	if (at.c == NULL)
		return;
	earliest(u, at.f, at.c, !at.c->is_ca);
	for (steps = 0; steps < 16 && !at.c->self_signed; steps++) {
		struct ref next = { NULL, NULL };
		size_t p, i;
		for (p = 0; p < 2 && next.c == NULL; p++)
			for (i = 0; pools[p] != NULL && i < pools[p]->ncerts && next.c == NULL; i++)
				if (issued(at.c, &pools[p]->certs[i]))
					next = (struct ref){ pools[p], &pools[p]->certs[i] };
		if (next.c == NULL)
			break;
		at = next;
		earliest(u, at.f, at.c, 0);
	}
}

enum mmp_rc expiry_uses(struct cfg *c, const struct store_facts *sf, struct expiry_use **uses,
			size_t *n, struct mmp_err *err)
{
	size_t ndefs = sizeof(defs) / sizeof(defs[0]), i;
	struct expiry_use *v = calloc(ndefs, sizeof(*v));

	*uses = NULL;
	*n = 0;
	if (v == NULL)
		return mmp_err_set(err, MMP_ERR_NOMEM, "out of memory");
	for (i = 0; i < ndefs; i++) {
		struct expiry_use *u = &v[*n];
		const struct file_facts *file, *bundle = NULL;
		int set = 0, bset = 0;
		enum mmp_rc rc;

		memset(u, 0, sizeof(*u));
		if ((rc = cfg_get(c, defs[i].file_key, u->file, sizeof(u->file), &set, err)) != MMP_OK ||
		    (defs[i].bundle_key != NULL &&
		     (rc = cfg_get(c, defs[i].bundle_key, u->bundle, sizeof(u->bundle), &bset, err)) != MMP_OK)) {
			free(v);
			return rc;
		}
		if (!set)
			continue;
		if (!bset)
			u->bundle[0] = '\0';
		u->service = defs[i].service;
		u->what = defs[i].what;
		u->freed_by = defs[i].freed_by;
		u->trust = defs[i].trust;
		file = store_facts_find(sf, u->file);
		if (u->bundle[0] != '\0')
			bundle = store_facts_find(sf, u->bundle);
		if (file != NULL && u->trust) {
			size_t k;
			for (k = 0; k < file->ncerts; k++)
				earliest(u, file, &file->certs[k], 0);
		} else if (file != NULL) {
			walk_chain(u, file, bundle);
		}
		(*n)++;
	}
	*uses = v;
	return MMP_OK;
}

enum mmp_rc expiry_thresholds(struct cfg *c, int *days, size_t *n, struct mmp_err *err)
{
	char buf[CFG_VALUE_MAX + 1], *p, *end;
	int set = 0;
	enum mmp_rc rc;

	*n = 0;
	if ((rc = cfg_get(c, "pki.alarm_days", buf, sizeof(buf), &set, err)) != MMP_OK)
		return rc;
	if (!set)
		snprintf(buf, sizeof(buf), "%s", EXPIRY_DEFAULT_THRESHOLDS);
	for (p = buf; *p != '\0' && *n < EXPIRY_MAX_THRESHOLDS;) {
		long d = strtol(p, &end, 10);
		if (end == p)
			break;
		if (d >= 0 && d <= 3650)
			days[(*n)++] = (int)d;
		p = end;
	}
	return MMP_OK;
}
