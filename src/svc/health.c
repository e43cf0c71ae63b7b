/*
 * health.c: the pairs of services of this node that talk TLS (issue 14
 * item 4): which settings make each side, a handshake at TLS 1.2 and at
 * TLS 1.3 (pki_tls_handshake), and the one line per pair that says what
 * was proven, or which side refused, why, and what to change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmp/health.h"
#include "mmp/roots.h"
#include "mmp/text.h"

/* One side of a pair: its settings and how messages name it. */
struct side_def {
	const char *who;      /* "the Call Bridge": the side that refuses */
	const char *cert_of;  /* "the Call Bridge's certificate": as the peer names it */
	const char *key, *crt, *chain, *trust; /* settings; NULL: none */
	const char *certs_cmd;    /* the command that sets its key and certificate */
	const char *certs_guide;  /* "guide §4.4" */
	const char *certs_unset;  /* what a missing key/certificate is called */
	const char *trust_cmd;    /* the command that sets its trust ("" browser) */
	const char *trust_name;   /* how messages name its trust */
	const char *trust_unset;
	const char *issuer_fix;   /* remedy when the peer's issuer or root is not trusted */
};

struct pair_def {
	const char *name;           /* "c2w": the data's name */
	const char *client, *server;/* "Call Bridge", "Web Bridge 3 C2W" */
	int browser;                /* the client is a browser with the public roots */
	const char *name_fix;       /* browser: remedy when the name does not match (%s: host) */
	struct side_def c, s;
};

static const struct pair_def pairs[SVC_HEALTH_PAIRS] = {
	[SVC_HEALTH_C2W] = {
		"c2w", "Call Bridge", "Web Bridge 3 C2W", 0, NULL,
		{ "the Call Bridge", "the Call Bridge's certificate",
		  "callbridge.key", "callbridge.crt", "callbridge.bundle", "callbridge.trust.c2w",
		  "callbridge certs", "guide §4.4", "callbridge certs",
		  "callbridge trust c2w", "callbridge trust c2w", "callbridge trust c2w",
		  "give callbridge trust c2w a bundle that holds it (guide Appendix D.2)" },
		{ "Web Bridge 3", "Web Bridge 3's C2W certificate",
		  "webbridge3.c2w.key", "webbridge3.c2w.crt", NULL, "webbridge3.c2w.trust",
		  "webbridge3 c2w certs", "guide Appendix D.1 step 7", "webbridge3 c2w certs",
		  "webbridge3 c2w trust", "webbridge3 c2w trust", "webbridge3 c2w trust",
		  "give webbridge3 c2w trust a bundle that holds it (guide Appendix D.1 step 8)" },
	},
	[SVC_HEALTH_DATABASE] = {
		"database", "database cluster client", "database cluster server", 0, NULL,
		{ "the database cluster client", "the database client certificate",
		  "database.client_key", "database.client_crt", NULL, "database.ca_crt",
		  "database cluster certs", "guide §3.1.4", "the client pair (database cluster certs)",
		  "database cluster certs", "the cluster CA", "the cluster CA (database cluster certs)",
		  "sign the server's CSR with the cluster CA and install the certificate with database cluster certs (guide §3.1.4)" },
		{ "the database cluster server", "the database server certificate",
		  "database.server_key", "database.server_crt", NULL, "database.ca_crt",
		  "database cluster certs", "guide §3.1.4",
		  "the server pair (database cluster certs with 5 arguments)",
		  "database cluster certs", "the cluster CA", "the cluster CA (database cluster certs)",
		  "sign the client's CSR with the cluster CA and install the certificate with database cluster certs (guide §3.1.4)" },
	},
	[SVC_HEALTH_HTTPS] = {
		"https", "browser", "Web Bridge 3 HTTPS", 1,
		"give webbridge3 https certs a certificate whose subjectAltName holds %s (guide §2.1, Appendix D.1 step 5)",
		{ "the browser", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "", NULL, NULL,
		  "install webbridge3 https certs with its full chain: leaf, issuing CAs, root (guide Appendix D.1 step 5)" },
		{ "Web Bridge 3", "Web Bridge 3's HTTPS certificate",
		  "webbridge3.https.key", "webbridge3.https.crt", NULL, NULL,
		  "webbridge3 https certs", "guide Appendix D.1 step 5", "webbridge3 https certs",
		  NULL, NULL, NULL, NULL },
	},
	[SVC_HEALTH_TURN] = {
		"turn", "browser", "TURN TLS", 1,
		"give turn certs a certificate whose subjectAltName holds %s (guide §2.1, §4.6)",
		{ "the browser", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "", NULL, NULL,
		  "give turn certs a bundle that holds it (guide §4.6)" },
		{ "the TURN server", "the TURN server's certificate",
		  "turn.key", "turn.crt", "turn.bundle", NULL,
		  "turn certs", "guide §4.6", "turn certs", NULL, NULL, NULL, NULL },
	},
};

#define NAME_MAX_ CFG_VALUE_MAX + 1
#define MSG_MAX 8192

/* A side's files as set ("" unset). */
struct side_val {
	char key[NAME_MAX_], crt[NAME_MAX_], chain[NAME_MAX_], trust[NAME_MAX_];
};

/* One handshake's outcome as a check. */
struct outcome {
	enum report_kind kind;
	const char *code;
	char msg[MSG_MAX];    /* without the pair's heading */
	char remedy[MSG_MAX]; /* "" none */
	const char *refused_by; /* NULL when the handshake succeeded */
	char file[NAME_MAX_];   /* the file the check is about, "" none */
	int cert;               /* 1: its leaf; 0: not one certificate of it */
};

static int get(struct cfg *c, const char *key, char *buf, size_t size, struct report *r)
{
	struct mmp_err e;
	int set = 0;

	buf[0] = '\0';
	if (key == NULL)
		return 0;
	mmp_err_clear(&e);
	if (cfg_get(c, key, buf, size, &set, &e) != MMP_OK) {
		report_check(r, REPORT_FAILURE, "health.settings", NULL, 0, "%s", e.msg);
		return -1;
	}
	if (!set)
		buf[0] = '\0';
	return 0;
}

static int read_side(struct cfg *c, const struct side_def *d, struct side_val *v, struct report *r)
{
	return get(c, d->key, v->key, sizeof(v->key), r) | get(c, d->crt, v->crt, sizeof(v->crt), r) |
	       get(c, d->chain, v->chain, sizeof(v->chain), r) |
	       get(c, d->trust, v->trust, sizeof(v->trust), r);
}

/* What is missing of a side, appended to list (each said once). */
static void missing(const struct side_def *d, const struct side_val *v, json_t *list)
{
	const char *need[2] = { NULL, NULL };
	size_t i, j;

	if (d->key != NULL && (v->key[0] == '\0' || v->crt[0] == '\0'))
		need[0] = d->certs_unset;
	if (d->trust != NULL && v->trust[0] == '\0')
		need[1] = d->trust_unset;
	for (i = 0; i < 2; i++) {
		if (need[i] == NULL)
			continue;
		for (j = 0; j < json_array_size(list); j++)
			if (strcmp(json_string_value(json_array_get(list, j)), need[i]) == 0)
				break;
		if (j == json_array_size(list))
			json_array_append_new(list, json_string(need[i]));
	}
}

/* A name of the table that a browser side lacks, as "". */
#define S(x) ((x) != NULL ? (x) : "")

static const char *opt(const char *s)
{
	return s[0] != '\0' ? s : NULL;
}

/* What the refusing side trusts, after "is not": "in callbridge trust c2w
 * (c2w.crt)", "the cluster CA (dbca.crt)", "among the public roots (/etc/...)". */
static void trust_words(const struct pair_def *p, int side, const struct side_val *v,
			int own_root, char *buf, size_t size)
{
	const struct side_def *d = side == PKI_TLS_CLIENT ? &p->c : &p->s;
	char path[1024];

	if (p->browser && side == PKI_TLS_CLIENT) {
		text_escape(pki_public_roots(), path, sizeof(path), 0);
		snprintf(buf, size, own_root ? "among the public roots (%s) nor sent by %s" :
					       "among the public roots (%s)", path, p->s.who);
		return;
	}
	if (d->trust_name == NULL) { /* a browser pair's server trusts nobody */
		snprintf(buf, size, "trusted");
		return;
	}
	snprintf(buf, size, "%s%s (%s)", strncmp(d->trust_name, "the ", 4) == 0 ? "" : "in ",
		 d->trust_name, v->trust);
}

/* A handshake's failure in words, with the remedy. */
static void refused(const struct pair_def *p, const struct pki_tls_result *res, const char *host,
		    const struct side_val *cv, const struct side_val *sv, int own_root,
		    struct outcome *o)
{
	int side = res->refused_by;
	const struct side_def *me = side == PKI_TLS_CLIENT ? &p->c : &p->s;
	const struct side_def *peer = side == PKI_TLS_CLIENT ? &p->s : &p->c;
	const char *peer_leaf = side == PKI_TLS_CLIENT ? res->server_leaf : res->client_leaf;
	char head[512], trust[1200], renew[512], at[PKI_TLS_TEXT + 64];

	o->kind = REPORT_FAILURE;
	o->refused_by = side == PKI_TLS_CLIENT ? p->client : p->server;
	/* the certificate refused: the peer's (its leaf when the error is) */
	snprintf(o->file, sizeof(o->file), "%s", side == PKI_TLS_CLIENT ? sv->crt : cv->crt);
	o->cert = res->depth == 0 && res->why != PKI_TLS_NO_PEER_CERT;
	snprintf(head, sizeof(head), "%s refused %s (%s)", me->who, S(peer->cert_of), peer_leaf);
	snprintf(renew, sizeof(renew), "renew %s and install it with %s (%s)", S(peer->cert_of),
		 S(peer->certs_cmd), S(peer->certs_guide));
	if (res->depth > 0)
		snprintf(at, sizeof(at), "certificate %d of its chain (%s)", res->depth + 1, res->subject);
	else
		snprintf(at, sizeof(at), "it");
	trust_words(p, side, side == PKI_TLS_CLIENT ? cv : sv, own_root, trust, sizeof(trust));
	switch (res->why) {
	case PKI_TLS_UNKNOWN_ISSUER:
		o->code = "health.unknown_issuer";
		snprintf(o->msg, sizeof(o->msg), "%s: the issuer of %s, %s, is not %s", head, at,
			 res->issuer, trust);
		if (res->depth == 0)
			snprintf(o->msg, sizeof(o->msg), "%s: its issuer %s is not %s", head,
				 res->issuer, trust);
		snprintf(o->remedy, sizeof(o->remedy), "%s", S(me->issuer_fix));
		break;
	case PKI_TLS_UNTRUSTED_ROOT:
		o->code = "health.untrusted_root";
		snprintf(o->msg, sizeof(o->msg), "%s: its root %s is not %s", head, res->subject, trust);
		snprintf(o->remedy, sizeof(o->remedy), "%s", S(me->issuer_fix));
		break;
	case PKI_TLS_EXPIRED:
	case PKI_TLS_NOT_YET_VALID:
		if (res->why == PKI_TLS_EXPIRED)
			o->code = "health.expired";
		else
			o->code = "health.not_yet_valid";
		snprintf(o->msg, sizeof(o->msg), "%s: %s %s", head, res->depth > 0 ? at : "it",
			 res->why == PKI_TLS_EXPIRED ? "has expired" : "is not valid yet");
		if (res->depth > 0) /* a CA's certificate: its CA renews it, not the admin */
			snprintf(o->remedy, sizeof(o->remedy),
				 "it is a CA certificate, which its CA renews: put that CA's current certificate in its place in the files of %s%s%s%s, and give them again (guide section 5.3)",
				 S(peer->certs_cmd),
				 me->trust_cmd != NULL && me->trust_cmd[0] != '\0' ? " (or of " : "",
				 me->trust_cmd != NULL && me->trust_cmd[0] != '\0' ? me->trust_cmd : "",
				 me->trust_cmd != NULL && me->trust_cmd[0] != '\0' ? ", where it is there too)" : "");
		else
			snprintf(o->remedy, sizeof(o->remedy), "%s", renew);
		break;
	case PKI_TLS_NAME:
		o->code = "health.name_mismatch";
		snprintf(o->msg, sizeof(o->msg), "%s: it is not for %s (its names: %s)", head,
			 host != NULL ? host : "", res->names[0] != '\0' ? res->names : "none");
		snprintf(o->remedy, sizeof(o->remedy), p->name_fix != NULL ? p->name_fix : "%s",
			 host != NULL ? host : "");
		break;
	case PKI_TLS_PURPOSE:
		o->code = "health.wrong_purpose";
		snprintf(o->msg, sizeof(o->msg), "%s: %s is not for this use (%s)", head, at, res->detail);
		snprintf(o->remedy, sizeof(o->remedy), "%s: a %s certificate needs TLS Web %s Authentication (guide §2.2)",
			 renew, side == PKI_TLS_CLIENT ? "server" : "client",
			 side == PKI_TLS_CLIENT ? "Server" : "Client");
		break;
	case PKI_TLS_VERIFY_OTHER:
		o->code = "health.verify_failed";
		snprintf(o->msg, sizeof(o->msg), "%s: %s: %s", head, at, res->detail);
		snprintf(o->remedy, sizeof(o->remedy), "%s", renew);
		break;
	case PKI_TLS_NO_PEER_CERT:
		o->code = "health.no_client_certificate";
		snprintf(o->msg, sizeof(o->msg), "%s refused the handshake: %s sent no certificate", me->who,
			 peer->who);
		snprintf(o->remedy, sizeof(o->remedy), "set it with %s (%s)", S(peer->certs_cmd),
			 S(peer->certs_guide));
		break;
	case PKI_TLS_UNUSABLE:
		o->code = "health.file_unusable";
		snprintf(o->file, sizeof(o->file), "%s", res->file);
		o->cert = 0;
		o->refused_by = side == PKI_TLS_CLIENT ? p->client : p->server;
		snprintf(o->msg, sizeof(o->msg), "%s cannot use %s: %s", me->who, res->file, res->detail);
		snprintf(o->remedy, sizeof(o->remedy), "install a usable one with %s (%s)",
			 me->trust_cmd != NULL && me->trust_cmd[0] != '\0' &&
				     (strcmp(res->file, side == PKI_TLS_CLIENT ? cv->trust : sv->trust) == 0) ?
			     me->trust_cmd : S(me->certs_cmd),
			 me->certs_guide != NULL ? me->certs_guide : "guide §2.1");
		break;
	default:
		o->code = "health.handshake_failed";
		snprintf(o->msg, sizeof(o->msg), "%s ended the handshake: %s", me->who, res->detail);
		snprintf(o->remedy, sizeof(o->remedy),
			 "give %s a key and certificate that TLS 1.2 and 1.3 both accept: RSA of 2048 bits or more, or ECDSA P-256 (guide §2.1)",
			 me->certs_cmd != NULL ? me->certs_cmd : S(peer->certs_cmd));
		break;
	}
}

/* One version's handshake of pair p into o. -1 when memory ran out. */
static int prove(const struct store *s, const struct pair_def *p, const struct side_val *cv,
		 const struct side_val *sv, const char *host, int version, struct outcome *o)
{
	struct pki_tls_side cs = { opt(cv->key), opt(cv->crt), opt(cv->chain), opt(cv->trust), NULL,
				   { NULL, NULL }, 0, NULL };
	struct pki_tls_side ss = { opt(sv->key), opt(sv->crt), opt(sv->chain), opt(sv->trust), NULL,
				   { NULL, NULL }, !p->browser, NULL };
	struct pki_tls_result res;
	struct mmp_err e;
	char trust[1200];
	int own = 0;

	memset(o, 0, sizeof(*o));
	mmp_err_clear(&e);
	if (p->browser) {
		cs.trust_path = pki_public_roots();
		cs.host = host;
	}
	if (pki_tls_handshake(s, &cs, &ss, version, &res, &e) != MMP_OK)
		return -1;
	if (p->browser && res.refused_by == PKI_TLS_CLIENT &&
	    (res.why == PKI_TLS_UNKNOWN_ISSUER || res.why == PKI_TLS_UNTRUSTED_ROOT)) {
		/* would it pass if the browser trusted the node's own root? */
		cs.trust_root_of[0] = ss.crt;
		cs.trust_root_of[1] = ss.chain;
		own = 1;
		if (pki_tls_handshake(s, &cs, &ss, version, &res, &e) != MMP_OK)
			return -1;
		if (res.why == PKI_TLS_OK) {
			trust_words(p, PKI_TLS_CLIENT, cv, 0, trust, sizeof(trust));
			o->kind = REPORT_WARNING;
			o->code = "health.internal_ca";
			snprintf(o->file, sizeof(o->file), "%s", sv->crt);
			snprintf(o->msg, sizeof(o->msg),
				 "only an internal CA vouches for %s (%s): its root %s is not %s; the handshake succeeds when the browser trusts that root%s%s",
				 p->s.cert_of, res.server_leaf, res.root, trust, host != NULL ? ", for the name " : "",
				 host != NULL ? host : "");
			snprintf(o->remedy, sizeof(o->remedy),
				 "browsers warn until %s is installed on each of them; or give %s a certificate from a public CA (guide §2.1)",
				 res.root, p->s.certs_cmd);
			return 0;
		}
	}
	if (res.why != PKI_TLS_OK) {
		refused(p, &res, host, cv, sv, own, o);
		return 0;
	}
	o->kind = REPORT_SUCCESS;
	o->code = "health.proven";
	if (p->browser && res.server_key[0] != '\0' && strcmp(res.server_key, "RSA") != 0 &&
	    strcmp(res.server_key, "EC") != 0) {
		/* OpenSSL takes these keys; browsers do not (CA/B BR 6.1.5,
		 * 7.1.3.1: RSA with rsaEncryption and ECDSA only) */
		o->kind = REPORT_WARNING;
		o->code = "health.browser_key";
		snprintf(o->file, sizeof(o->file), "%s", sv->crt);
		o->cert = 1;
		snprintf(o->msg, sizeof(o->msg),
			 "OpenSSL completed the handshake, but %s (%s) has an %s key, which browsers do not take (CA/Browser Forum BR sections 6.1.5, 7.1.3.1: RSA or ECDSA only)",
			 p->s.cert_of, res.server_leaf,
			 strcmp(res.server_key, "ED25519") == 0 ? "Ed25519" :
			 strcmp(res.server_key, "ED448") == 0 ? "Ed448" : res.server_key);
		snprintf(o->remedy, sizeof(o->remedy),
			 "give %s a certificate for an RSA 2048 or ECDSA P-256 key (pki csr makes RSA 2048)",
			 p->s.certs_cmd);
		return 0;
	}
	if (p->browser) {
		text_escape(pki_public_roots(), trust, sizeof(trust), 0);
		snprintf(o->msg, sizeof(o->msg), "the browser verified %s (%s) with the public roots (%s)%s%s",
			 p->s.cert_of, res.server_leaf, trust, host != NULL ? ", for the name " : "", host != NULL ? host : "");
	} else {
		snprintf(o->msg, sizeof(o->msg),
			 "mutual handshake: %s verified %s (%s) with %s (%s); %s verified %s (%s) with %s (%s)",
			 p->c.who, p->s.cert_of, res.server_leaf, p->c.trust_name, cv->trust, p->s.who,
			 p->c.cert_of, res.client_leaf, p->s.trust_name, sv->trust);
	}
	return 0;
}

static void emit(const struct pair_def *p, const struct outcome *o, const char *versions,
		 int warn_only, struct report *r)
{
	enum report_kind k = o->kind == REPORT_FAILURE && warn_only ? REPORT_WARNING : o->kind;

	report_check(r, k, o->code, o->file[0] != '\0' ? o->file : NULL, o->cert, "%s -> %s (%s): %s",
		     p->client, p->server, versions, o->msg);
	if (o->remedy[0] != '\0')
		report_remedy(r, "%s", o->remedy);
}

/* The line of a pair not configured: what is not set. */
static void say_unset(const struct pair_def *p, json_t *miss, struct report *r)
{
	char list[1024] = "";
	size_t j;

	for (j = 0; j < json_array_size(miss); j++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", j ? ", " : "",
			 json_string_value(json_array_get(miss, j)));
	report_add(r, REPORT_INFO, "%s -> %s: not configured on this node (not set: %s)", p->client,
		   p->server, list);
}

/* One line for both versions when they say the same, else one each;
 * warn_only (restart): failures only, as WARNINGs. */
static void emit_both(const struct pair_def *p, const struct outcome *o, const char *const vnames[2],
		      int warn_only, struct report *r)
{
	int i;

	if (o[0].kind == o[1].kind && strcmp(o[0].msg, o[1].msg) == 0 &&
	    strcmp(o[0].remedy, o[1].remedy) == 0) {
		if (!warn_only || o[0].kind == REPORT_FAILURE)
			emit(p, &o[0], "TLS 1.2, TLS 1.3", warn_only, r);
		return;
	}
	for (i = 0; i < 2; i++)
		if (!warn_only || o[i].kind == REPORT_FAILURE)
			emit(p, &o[i], vnames[i], warn_only, r);
}

int svc_health_pair(const struct store *s, struct cfg *c, enum svc_health_pair_id id,
		    const char *host, int quiet_unset, int warn_only, struct report *r,
		    json_t **pair)
{
	static const int versions[2] = { 12, 13 };
	static const char *const vnames[2] = { "TLS 1.2", "TLS 1.3" };
	const struct pair_def *p = &pairs[id];
	struct side_val *cv = calloc(1, sizeof(*cv)), *sv = calloc(1, sizeof(*sv));
	struct outcome *o = calloc(2, sizeof(*o));
	json_t *d = json_object(), *miss = json_array(), *proven = json_array();
	const struct outcome *bad = NULL, *warn = NULL;
	int i, ret = 0;

	if (cv == NULL || sv == NULL || o == NULL || d == NULL || miss == NULL || proven == NULL) {
		report_check(r, REPORT_FAILURE, "internal.nomem", NULL, 0, "out of memory");
		ret = -1;
		goto out;
	}
	if (read_side(c, &p->c, cv, r) != 0 || read_side(c, &p->s, sv, r) != 0) {
		ret = -1;
		goto out;
	}
	missing(&p->c, cv, miss);
	missing(&p->s, sv, miss);
	json_object_set_new(d, "name", json_string(p->name));
	json_object_set_new(d, "client", json_string(p->client));
	json_object_set_new(d, "server", json_string(p->server));
	json_object_set_new(d, "configured", json_boolean(json_array_size(miss) == 0));
	if (json_array_size(miss) > 0) {
		if (!quiet_unset)
			say_unset(p, miss, r);
		json_object_set_new(d, "ok", json_true());
		json_object_set_new(d, "refused_by", json_null());
		json_object_set_new(d, "reason", json_null());
		goto done;
	}
	for (i = 0; i < 2; i++) {
		if (prove(s, p, cv, sv, host, versions[i], &o[i]) != 0) {
			report_check(r, REPORT_FAILURE, "internal.nomem", NULL, 0,
				     "%s -> %s (%s): out of memory while proving it, so nothing is said of its files",
				     p->client, p->server, vnames[i]);
			report_remedy(r, "try again");
			ret = -1;
			goto out;
		}
		if (o[i].kind != REPORT_FAILURE)
			json_array_append_new(proven, json_string(vnames[i]));
		if (o[i].kind == REPORT_FAILURE && bad == NULL)
			bad = &o[i];
		if (o[i].kind == REPORT_WARNING && warn == NULL)
			warn = &o[i];
	}
	emit_both(p, o, vnames, warn_only, r);
	json_object_set_new(d, "ok", json_boolean(bad == NULL));
	json_object_set_new(d, "refused_by", bad != NULL ? json_string(bad->refused_by) : json_null());
	json_object_set_new(d, "reason", bad != NULL ? report_str(bad->msg) :
				     warn != NULL ? report_str(warn->msg) : json_null());
	ret = bad != NULL;
done:
	json_object_set(d, "tls_versions", proven);
	json_object_set(d, "missing", miss);
	if (pair != NULL) {
		*pair = d;
		d = NULL;
	}
out:
	json_decref(d);
	json_decref(miss);
	json_decref(proven);
	free(cv);
	free(sv);
	free(o);
	return ret;
}
