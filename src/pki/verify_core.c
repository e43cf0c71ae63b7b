/*
 * verify_core.c: the checks of pki verify (guide §4.3). OpenSSL's
 * X509_STORE_CTX builds the chain and applies RFC 5280 (X509_STRICT); this
 * file adds the RFC 5280 rules OpenSSL gets wrong or skips, the CA rules of
 * guide §2.2, and turns every X509_V_ERR_* into words and what to do.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "names.h"
#include "verify_core.h"

#define NAME_MAX_LEN 512
#define REF_MAX_LEN (NAME_MAX_LEN + STORE_NAME_MAX + 48)
#define EXPIRY_WARN_DAYS 30 /* SPEC §6: expiring within 30 days, a WARNING */

/* What OpenSSL did with the CRLs, as it did it: the CRL it checked each
 * certificate against (X509_STORE's cert_crl, wrapped: OpenSSL says
 * nothing of a CRL that revokes nothing), and the CRL that failed
 * (verify_cb: OpenSSL forgets it on return). A chain has at most
 * TRACK_MAX certificates checked (OpenSSL's depth limit is 100; more are
 * not recorded, and then said not checked). */
#define TRACK_MAX 64
struct vtrack {
	X509_CRL *failed;
	X509_STORE_CTX_cert_crl_fn dflt; /* OpenSSL's own cert_crl */
	int n;
	X509 *cert[TRACK_MAX];
	X509_CRL *crl[TRACK_MAX];
	int revoked[TRACK_MAX];
};

/* One run of the core. */
struct vrun {
	const struct vin *in;
	const struct pki_verify_opts *o;
	time_t at;              /* validation time */
	STACK_OF(X509) *chain;  /* what OpenSSL built, leaf first (borrowed) */
	struct report *r;       /* may be NULL */
	struct mmp_err *err;
	const struct vtrack *t; /* what OpenSSL did with the CRLs */
};

#define RADD(v, kind, ...)                                          \
	do {                                                        \
		if ((v)->r != NULL)                                 \
			report_add((v)->r, (kind), __VA_ARGS__);    \
	} while (0)
/* A check with its code (issue 12), the file it is about (NULL: none) and
 * the certificate's position in that file (0: none). */
#define RCHECK(v, kind, code, ...)                                       \
	do {                                                             \
		if ((v)->r != NULL)                                      \
			report_check((v)->r, (kind), (code), __VA_ARGS__); \
	} while (0)

/* The given certificate equal to x: its source, and whether any copy of it
 * was given as a trust anchor. */
static const struct vcert *vin_find(const struct vin *in, X509 *x, int *anchor)
{
	const struct vcert *found = NULL;
	size_t i;

	if (anchor != NULL)
		*anchor = 0;
	for (i = 0; i < in->n; i++) {
		if (in->c[i].x != x && X509_cmp(in->c[i].x, x) != 0)
			continue;
		if (found == NULL)
			found = &in->c[i];
		if (anchor != NULL && in->c[i].anchor)
			*anchor = 1;
	}
	return found;
}

static void subject_of(X509 *x, char *buf, size_t size)
{
	pki_name_oneline(X509_get_subject_name(x), buf, size);
}

/* "certificate 2 (CN = x, from bundle.crt)": pos counts from the leaf = 1. */
static void cert_ref(const struct vin *in, X509 *x, int pos, char *buf, size_t size)
{
	const struct vcert *vc = vin_find(in, x, NULL);
	char subj[NAME_MAX_LEN];

	subject_of(x, subj, sizeof(subj));
	snprintf(buf, size, "certificate %d (%s, from %s)", pos, subj,
		 vc != NULL ? vc->src : "the files");
}

/* The file certificate x of the chain came from, and its 1-based position
 * there: what a check's JSON names (docs/json.md: "certificate" is the
 * position in "file"; the text's "certificate N" counts the chain from the
 * leaf, and result.chain maps one to the other). NULL and 0 for blobs
 * (pki_verify_mem) or a certificate that was not given. */
static const char *cert_file(const struct vin *in, X509 *x)
{
	const struct vcert *vc = in->mem ? NULL : vin_find(in, x, NULL);

	return vc != NULL ? vc->src : NULL;
}

static int cert_pos(const struct vin *in, X509 *x)
{
	const struct vcert *vc = in->mem ? NULL : vin_find(in, x, NULL);

	return vc != NULL ? vc->pos : 0;
}

/* file, cert of pki_err_is and RCHECK for certificate x */
#define AT(v, x) cert_file((v)->in, (x)), cert_pos((v)->in, (x))

static void fmt_time(const ASN1_TIME *t, char *buf, size_t size)
{
	struct tm tm;

	if (t == NULL || !ASN1_TIME_to_tm(t, &tm) ||
	    strftime(buf, size, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(buf, size, "an unreadable date");
}

/* guide §2.2 rules (rules.c) for a certificate that is not in a file. */
static int rule_x509(X509 *x, enum pki_role role, char *why, size_t size)
{
	struct pki_file tmp;
	int ok = -1;

	memset(&tmp, 0, sizeof(tmp));
	snprintf(why, size, "out of memory");
	if ((tmp.certs = sk_X509_new_null()) != NULL && sk_X509_push(tmp.certs, x) > 0)
		ok = pki_rule_role(&tmp, 0, role, why, size);
	sk_X509_free(tmp.certs);
	return ok;
}

/* RFC 5280 4.1.2.5: the validity period is "from notBefore through
 * notAfter, inclusive". OpenSSL counts a certificate as expired from the
 * second of its notAfter (X509_cmp_time treats "equal" as "earlier"), so
 * that one second is given back here. */
static int verify_cb(int ok, X509_STORE_CTX *ctx)
{
	X509 *x = X509_STORE_CTX_get_current_cert(ctx);
	time_t at = X509_VERIFY_PARAM_get_time(X509_STORE_CTX_get0_param(ctx));

	int e = X509_STORE_CTX_get_error(ctx);

	if (!ok && e == X509_V_ERR_CERT_HAS_EXPIRED &&
	    x != NULL && ASN1_TIME_cmp_time_t(X509_get0_notAfter(x), at) == 0) {
		X509_STORE_CTX_set_error(ctx, X509_V_OK);
		return 1;
	}
	/* CRLs are used when given, for every certificate whose issuer has
	 * one; a certificate without one is not checked (there is no CRL to
	 * ask). A CRL past its nextUpdate still says what it revoked: it is
	 * used, and a WARNING says so (warn_crls). */
	if (!ok && (e == X509_V_ERR_UNABLE_TO_GET_CRL || e == X509_V_ERR_CRL_HAS_EXPIRED)) {
		X509_STORE_CTX_set_error(ctx, X509_V_OK);
		return 1;
	}
	/* the CRL that failed, for explain(): OpenSSL forgets it on return */
	if (!ok && X509_STORE_CTX_get0_current_crl(ctx) != NULL && X509_STORE_CTX_get_app_data(ctx) != NULL)
		((struct vtrack *)X509_STORE_CTX_get_app_data(ctx))->failed =
			X509_STORE_CTX_get0_current_crl(ctx);
	return ok;
}

/* OpenSSL's cert_crl (is x on crl?), called once for each certificate it
 * checks against a CRL it accepted: which CRL covered which certificate. */
static int track_cert_crl(X509_STORE_CTX *ctx, X509_CRL *crl, X509 *x)
{
	struct vtrack *t = X509_STORE_CTX_get_app_data(ctx);
	int ok = t->dflt(ctx, crl, x);

	if (t->n < TRACK_MAX) {
		t->cert[t->n] = x;
		t->crl[t->n] = crl;
		t->revoked[t->n] = !ok && X509_STORE_CTX_get_error(ctx) == X509_V_ERR_CERT_REVOKED;
		t->n++;
	}
	return ok;
}

/* Trust anchors into a store, the others untrusted; a context for c[0]. */
static X509_STORE_CTX *make_ctx(const struct vin *in, time_t at, struct vtrack *t,
				X509_STORE **store, STACK_OF(X509) **untrusted,
				STACK_OF(X509_CRL) **crls)
{
	X509_STORE_CTX *ctx;
	X509_VERIFY_PARAM *param;
	size_t i;

	if ((*store = X509_STORE_new()) == NULL || (*untrusted = sk_X509_new_null()) == NULL)
		return NULL;
	for (i = 0; i < in->n; i++) {
		if (in->c[i].anchor ? !X509_STORE_add_cert(*store, in->c[i].x)
				    : i > 0 && !sk_X509_push(*untrusted, in->c[i].x))
			return NULL;
	}
	if (in->n_crl > 0 && (*crls = sk_X509_CRL_new_null()) == NULL)
		return NULL;
	for (i = 0; i < in->n_crl; i++)
		if (!sk_X509_CRL_push(*crls, in->crl[i].c))
			return NULL;
	if ((ctx = X509_STORE_CTX_new()) == NULL)
		return NULL;
	/* OpenSSL's own cert_crl, as a context of a store without one takes
	 * it; then the store's, which wraps it (track_cert_crl) */
	if (!X509_STORE_CTX_init(ctx, *store, in->c[0].x, *untrusted) ||
	    (t->dflt = X509_STORE_CTX_get_cert_crl(ctx)) == NULL) {
		X509_STORE_CTX_free(ctx);
		return NULL;
	}
	X509_STORE_CTX_cleanup(ctx);
	X509_STORE_set_cert_crl(*store, track_cert_crl);
	if (!X509_STORE_CTX_init(ctx, *store, in->c[0].x, *untrusted)) {
		X509_STORE_CTX_free(ctx);
		return NULL;
	}
	X509_STORE_CTX_set_app_data(ctx, t);
	/* Anchors are trusted as given (RFC 5280 6.1.1 (d)): in pki verify
	 * they are the self-signed certificates of the files, so a chain always
	 * ends at a root given there; PARTIAL_CHAIN only lets pki_verify_mem
	 * trust an explicitly given intermediate. */
	param = X509_STORE_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_X509_STRICT | X509_V_FLAG_PARTIAL_CHAIN);
	X509_VERIFY_PARAM_set_time(param, at);
	if (in->n_crl > 0) {
		X509_STORE_CTX_set0_crls(ctx, *crls);
		X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
	}
	X509_STORE_CTX_set_verify_cb(ctx, verify_cb);
	return ctx;
}

/* The CRL (its index in in->crl) OpenSSL checked chain certificate i
 * (0: the leaf) against, -1 when none; *revoked: that CRL lists it. */
static long crl_of(const struct vrun *v, int i, int *revoked)
{
	X509 *x = sk_X509_value(v->chain, i);
	long found = -1;
	size_t k;
	int j;

	*revoked = 0;
	for (j = 0; j < v->t->n; j++) {
		if (v->t->cert[j] != x)
			continue;
		for (k = 0; k < v->in->n_crl; k++)
			if (v->in->crl[k].c == v->t->crl[j]) {
				found = (long)k;
				*revoked |= v->t->revoked[j];
			}
	}
	return found;
}

/* What the JSON chain says of certificate i's revocation (docs/json.md):
 * "revoked", "checked" (a CRL given covers it and does not list it),
 * "not needed (trust anchor)" (a trust anchor is trusted as given, RFC
 * 5280 section 6.1.1 (d)) or "not checked" (no CRL of its issuer was
 * given, or the verification stopped before). */
static const char *revocation_word(const struct vrun *v, int i, int anchor, long *crl)
{
	int revoked;

	*crl = crl_of(v, i, &revoked);
	if (revoked)
		return "revoked";
	if (anchor && i == sk_X509_num(v->chain) - 1)
		return "not needed (trust anchor)";
	return *crl >= 0 ? "checked" : "not checked";
}

/* One INFO line per certificate of the chain, leaf first. */
static void report_chain(const struct vrun *v)
{
	int i, n = sk_X509_num(v->chain), anchor;
	char subj[NAME_MAX_LEN];
	json_t *chain;

	if (v->r == NULL || n <= 0)
		return;
	RADD(v, REPORT_INFO, "Chain built, leaf first:");
	chain = json_array();
	for (i = 0; i < n; i++) {
		X509 *x = sk_X509_value(v->chain, i);
		const struct vcert *vc = vin_find(v->in, x, &anchor);
		int root = X509_self_signed(x, 0) == 1;
		const char *role = i > 0 ? "intermediate" : "leaf";

		pki_err_clear();
		subject_of(x, subj, sizeof(subj));
		if (anchor && i == n - 1)
			role = !root ? (i > 0 ? "trust anchor" : "leaf, trust anchor")
				     : (i > 0 ? "root, trusted" : "leaf, root, trusted");
		else if (root && i == n - 1)
			role = "self-signed, not trusted";
		{
			long crl;
			const char *rev = revocation_word(v, i, anchor, &crl);
			char said[STORE_NAME_MAX + 64] = "";

			/* with CRLs given, each line says what they told of it
			 * (the words of the JSON field); without, nothing */
			if (v->in->n_crl > 0 && crl >= 0 && strcmp(rev, "revoked") == 0)
				snprintf(said, sizeof(said), "; revoked by %s", v->in->crl[crl].src);
			else if (v->in->n_crl > 0 && crl >= 0 && strcmp(rev, "checked") == 0)
				snprintf(said, sizeof(said), "; revocation checked with %s",
					 v->in->crl[crl].src);
			else if (v->in->n_crl > 0)
				snprintf(said, sizeof(said), "; revocation %s", rev);
			RADD(v, REPORT_INFO, "  %d: %s (%s, %s%s)", i + 1, subj, role,
			     vc != NULL ? vc->src : "the files", said);
			json_array_append_new(chain, json_pack(
				"{s:i, s:o, s:s, s:o, s:o, s:o}", "position", i + 1,
				"subject", report_str(subj), "role", role,
				"source", report_str(vc != NULL ? vc->src : "the files"),
				"revocation", v->in->n_crl > 0 ? json_string(rev) : json_null(),
				"crl", crl >= 0 && (strcmp(rev, "checked") == 0 || strcmp(rev, "revoked") == 0)
					       ? report_str(v->in->crl[crl].src) : json_null()));
		}
	}
	json_object_set_new(report_data(v->r), "chain", chain);
}

/* ---- Failures found by OpenSSL, in words -------------------------------- */

/* The issuer of x (at chain position pos) was not found. Say why: a
 * certificate with the issuer's name that cannot be the issuer, or none. */
static enum mmp_rc explain_issuer(const struct vrun *v, X509 *x, int pos, const char *ref)
{
	const struct vin *in = v->in;
	char iss[NAME_MAX_LEN], why[256];
	size_t i;

	pki_name_oneline(X509_get_issuer_name(x), iss, sizeof(iss));
	for (i = 0; i < in->n; i++) {
		X509 *c = in->c[i].x;
		if (X509_cmp(c, x) == 0 || X509_NAME_cmp(X509_get_subject_name(c),
							 X509_get_issuer_name(x)) != 0)
			continue;
		if (rule_x509(c, PKI_ROLE_CA, why, sizeof(why)) != 1)
			return pki_err_is(mmp_err_set(v->err, MMP_ERR_VERIFY,
					   "%s: its issuer %s is in %s but is not a CA: %s (guide section 2.2: every certificate above the leaf must be marked as a CA): get the CA certificate of %s from your CA",
					   ref, iss, in->c[i].src, why, iss),
			  v->err, "chain.issuer_not_ca", AT(v, x), "get the CA");
		if (X509_check_issued(c, x) != X509_V_OK)
			return pki_err_is(mmp_err_set(v->err, MMP_ERR_VERIFY,
					   "%s: the certificate of %s in %s has the issuer's name but not the issuer's key (the key identifiers differ): it is another CA of the same name; add the CA certificate that really issued it",
					   ref, iss, in->c[i].src),
			  v->err, "chain.issuer_key", AT(v, x), "add the");
	}
	if (in->n_anchors == 0 && in->mem)
		return pki_err_is(mmp_err_set(v->err, MMP_ERR_VERIFY,
				   "%s: the chain ends at its issuer %s, and no trust anchor was given",
				   ref, iss),
			  v->err, "chain.no_anchor", AT(v, x), NULL);
	if (in->n_anchors == 0)
		return pki_err_is(mmp_err_set(v->err, MMP_ERR_VERIFY,
				   "%s: the chain ends at its issuer %s, and no root CA certificate (self-signed) is among the files: the root CA certificate must be given; add the certificate of %s (and any CA above it, up to the root) at the end of %s, or give the root as the last file",
				   ref, iss, iss, in->where[0] != '\0' ? in->where : "the bundle"),
			  v->err, "chain.no_root", AT(v, x), "the root CA");
	return pki_err_is(mmp_err_set(v->err, MMP_ERR_VERIFY,
			   "%s: its issuer %s is not in %s: add the %s of %s to the bundle",
			   ref, iss, in->where[0] != '\0' ? in->where : in->leaf_name,
			   pos == 1 ? "intermediate certificate" : "CA certificate (the next intermediate, or the root)",
			   iss),
			  v->err, "bundle.missing_issuer", AT(v, x), "add the");
}

/* x (at chain position pos) issued the one below it but is no CA. */
static enum mmp_rc explain_ca(const struct vrun *v, X509 *x, int pos, const char *ref)
{
	char why[256];

	if (rule_x509(x, PKI_ROLE_CA, why, sizeof(why)) == 1)
		snprintf(why, sizeof(why), "basicConstraints CA:TRUE is missing (RFC 5280 section 4.2.1.9)");
	if (pos == 1)
		return mmp_err_set(v->err, MMP_ERR_VERIFY, "%s: %s", ref, why);
	return pki_err_is(mmp_err_set(v->err, MMP_ERR_VERIFY,
			   "%s is not a CA, yet it issued certificate %d: %s (guide section 2.2: every certificate above the leaf must be marked as a CA): get the right intermediate CA certificate from your CA",
			   ref, pos - 1, why),
			  v->err, "chain.not_ca", AT(v, x), "get the right");
}

/* A CA certificate (basicConstraints CA:TRUE) or a root (self-signed, no
 * basicConstraints) is replaced by its CA's current one, not renewed by
 * the admin with a CSR (issue 11 class 1). */
static int is_ca_or_root(X509 *x)
{
	uint32_t flags = X509_get_extension_flags(x);
	int ca = (flags & EXFLAG_CA) || (!(flags & EXFLAG_BCONS) && X509_self_signed(x, 0) == 1);

	pki_err_clear();
	return ca;
}

static enum mmp_rc explain_time(const struct vrun *v, X509 *x, int expired, const char *ref)
{
	char when[64];

	if (expired) {
		fmt_time(X509_get0_notAfter(x), when, sizeof(when));
		return pki_err_is(mmp_err_set(v->err, MMP_ERR_VERIFY,
				   "%s expired on %s: %s (guide section 5.3)", ref, when,
				   is_ca_or_root(x)
					   ? "it is a CA certificate, which its CA renews: replace it with the CA's current certificate (or a re-issued cross-signed one) and remove the expired one"
					   : "renew it (a new CSR, signed again) and upload the new certificate"),
			  v->err, "cert.expired", AT(v, x), NULL);
	}
	fmt_time(X509_get0_notBefore(x), when, sizeof(when));
	return pki_err_is(mmp_err_set(v->err, MMP_ERR_VERIFY,
			   "%s is not valid before %s: check the system date and time, or wait until then",
			   ref, when),
			  v->err, "cert.not_yet_valid", AT(v, x), "check the");
}

/* RFC 5280 rules whose failure is "the CA must issue it again". */
static const struct {
	int code;
	const char *words;
} rfc_words[] = {
	{ X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION, "it has a critical extension that is not understood, so it must be rejected (RFC 5280 section 4.2)" },
	{ X509_V_ERR_INVALID_EXTENSION, "an extension is malformed or appears twice (RFC 5280 section 4.2)" },
	{ X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD, "its notBefore date is malformed (RFC 5280 section 4.1.2.5)" },
	{ X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD, "its notAfter date is malformed (RFC 5280 section 4.1.2.5)" },
	{ X509_V_ERR_SIGNATURE_ALGORITHM_MISMATCH, "its two signature algorithm fields differ (RFC 5280 section 4.1.1.2)" },
	{ X509_V_ERR_SIGNATURE_ALGORITHM_INCONSISTENCY, "its signature algorithm does not fit its issuer's key (RFC 5280 section 4.1.1.2)" },
	{ X509_V_ERR_UNSUPPORTED_SIGNATURE_ALGORITHM, "its signature algorithm is not supported" },
	{ X509_V_ERR_PATHLEN_INVALID_FOR_NON_CA, "it sets a path length but is not a CA (RFC 5280 section 4.2.1.9)" },
	{ X509_V_ERR_PATHLEN_WITHOUT_KU_KEY_CERT_SIGN, "it sets a path length but its KeyUsage lacks keyCertSign (RFC 5280 section 4.2.1.9)" },
	{ X509_V_ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA, "its KeyUsage has keyCertSign but basicConstraints is not CA:TRUE (RFC 5280 section 4.2.1.3)" },
	{ X509_V_ERR_ISSUER_NAME_EMPTY, "its issuer name is empty (RFC 5280 section 4.1.2.4)" },
	{ X509_V_ERR_SUBJECT_NAME_EMPTY, "its subject name is empty, which only a leaf with a critical subjectAltName may have (RFC 5280 section 4.1.2.6)" },
	{ X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER, "it has no authorityKeyIdentifier, which every certificate that is not self-signed needs (RFC 5280 section 4.2.1.1)" },
	{ X509_V_ERR_MISSING_SUBJECT_KEY_IDENTIFIER, "it is a CA without subjectKeyIdentifier (RFC 5280 section 4.2.1.2)" },
	{ X509_V_ERR_EMPTY_SUBJECT_ALT_NAME, "its subjectAltName extension is empty (RFC 5280 section 4.2.1.6)" },
	{ X509_V_ERR_EMPTY_SUBJECT_SAN_NOT_CRITICAL, "its subject is empty and its subjectAltName is not critical (RFC 5280 section 4.2.1.6)" },
	{ X509_V_ERR_CA_BCONS_NOT_CRITICAL, "it is a CA whose basicConstraints extension is not critical (RFC 5280 section 4.2.1.9)" },
	{ X509_V_ERR_AUTHORITY_KEY_IDENTIFIER_CRITICAL, "its authorityKeyIdentifier is marked critical (RFC 5280 section 4.2.1.1)" },
	{ X509_V_ERR_SUBJECT_KEY_IDENTIFIER_CRITICAL, "its subjectKeyIdentifier is marked critical (RFC 5280 section 4.2.1.2)" },
	{ X509_V_ERR_CA_CERT_MISSING_KEY_USAGE, "it is a CA without a KeyUsage extension (RFC 5280 section 4.2.1.3)" },
	{ X509_V_ERR_EXTENSIONS_REQUIRE_VERSION_3, "it has extensions but is not an X.509 version 3 certificate (RFC 5280 section 4.1.2.1)" },
	{ X509_V_ERR_EC_KEY_EXPLICIT_PARAMS, "its EC key has explicit curve parameters instead of a named curve (RFC 5480 section 2.1.1)" },
	{ X509_V_ERR_INVALID_POLICY_EXTENSION, "its certificate policies are malformed (RFC 5280 section 4.2.1.4)" },
	{ X509_V_ERR_NO_EXPLICIT_POLICY, "the chain has no acceptable certificate policy (RFC 5280 section 6.1.5)" },
	{ X509_V_ERR_PERMITTED_VIOLATION, "a name in it is outside the name constraints of a CA above it (RFC 5280 section 4.2.1.10)" },
	{ X509_V_ERR_EXCLUDED_VIOLATION, "a name in it is excluded by the name constraints of a CA above it (RFC 5280 section 4.2.1.10)" },
	{ X509_V_ERR_SUBTREE_MINMAX, "a CA above it has name constraints with minimum or maximum, which RFC 5280 section 4.2.1.10 forbids" },
	{ X509_V_ERR_UNSUPPORTED_CONSTRAINT_TYPE, "a CA above it has name constraints of a type that cannot be checked (RFC 5280 section 4.2.1.10)" },
	{ X509_V_ERR_UNSUPPORTED_CONSTRAINT_SYNTAX, "a CA above it has malformed name constraints (RFC 5280 section 4.2.1.10)" },
	{ X509_V_ERR_UNSUPPORTED_NAME_SYNTAX, "a name in it cannot be checked against the name constraints above it (RFC 5280 section 4.2.1.10)" },
	{ X509_V_ERR_EE_KEY_TOO_SMALL, "its key is too small" },
	{ X509_V_ERR_CA_KEY_TOO_SMALL, "its CA key is too small" },
	{ X509_V_ERR_CA_MD_TOO_WEAK, "it is signed with a digest that is too weak" },
	{ X509_V_ERR_CERT_UNTRUSTED, "it is marked as not trusted for this use" },
	{ X509_V_ERR_CERT_REJECTED, "it is marked as rejected for this use" },
};

static enum mmp_rc explain_other(const struct vrun *v, X509 *x, int code, const char *ref)
{
	size_t i;

	for (i = 0; i < sizeof(rfc_words) / sizeof(rfc_words[0]); i++)
		if (rfc_words[i].code == code)
			return pki_err_is(mmp_err_set(v->err, MMP_ERR_VERIFY,
					   "%s: %s: ask its CA for a corrected certificate",
					   ref, rfc_words[i].words),
			  v->err, "cert.rfc5280", AT(v, x), "ask its CA");
	mmp_err_set(v->err, MMP_ERR_VERIFY, "%s does not pass the checks of RFC 5280",
		    ref);
	mmp_err_cause_str(v->err, X509_verify_cert_error_string(code));
	return MMP_ERR_VERIFY;
}

static enum mmp_rc explain(const struct vrun *v, X509_STORE_CTX *ctx)
{
	int code = X509_STORE_CTX_get_error(ctx), depth = X509_STORE_CTX_get_error_depth(ctx);
	X509 *x = X509_STORE_CTX_get_current_cert(ctx);
	char ref[REF_MAX_LEN], iss[NAME_MAX_LEN];

	if (x == NULL)
		x = depth >= 0 && depth < sk_X509_num(v->chain) ? sk_X509_value(v->chain, depth)
								 : v->in->c[0].x;
	cert_ref(v->in, x, depth + 1, ref, sizeof(ref));
	pki_name_oneline(X509_get_issuer_name(x), iss, sizeof(iss));
	switch (code) {
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
		return explain_issuer(v, x, depth + 1, ref);
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
		return pki_err_is(mmp_err_set(v->err, MMP_ERR_VERIFY,
				   "%s is a self-signed root that is not trusted: give it as a trusted CA certificate",
				   ref),
			  v->err, "chain.untrusted_root", AT(v, x), "give it");
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
	case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
	case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
	case X509_V_ERR_NO_ISSUER_PUBLIC_KEY:
		return pki_err_is(mmp_err_set(v->err, MMP_ERR_VERIFY,
				   "%s: its signature does not verify with the key of its issuer %s: the certificate was altered, or another CA of that name signed it; get the certificate and its CA certificates again",
				   ref, iss),
			  v->err, "chain.signature", AT(v, x), "the certificate was");
	case X509_V_ERR_CERT_HAS_EXPIRED:
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return explain_time(v, x, code == X509_V_ERR_CERT_HAS_EXPIRED, ref);
	case X509_V_ERR_INVALID_CA:
	case X509_V_ERR_KEYUSAGE_NO_CERTSIGN:
		return explain_ca(v, x, depth + 1, ref);
	case X509_V_ERR_PATH_LENGTH_EXCEEDED:
		return pki_err_is(mmp_err_set(v->err, MMP_ERR_VERIFY,
				   "%s: a CA above it allows fewer intermediate CAs below it than this chain has (basicConstraints pathlen, RFC 5280 section 4.2.1.9): get a chain that fits the CA's limit",
				   ref),
			  v->err, "chain.path_length", AT(v, x), "get a chain");
	case X509_V_ERR_CERT_CHAIN_TOO_LONG:
		return pki_err_is(mmp_err_set(v->err, MMP_ERR_VERIFY,
				   "%s: the chain above it has more than the 100 intermediate CA certificates that are followed before a trusted root (OpenSSL's default verify depth): check the bundle for a loop of cross-signed CAs or certificates that do not belong",
				   ref),
			  v->err, "chain.too_long", AT(v, x), "check the");
	case X509_V_ERR_PATH_LOOP:
		return pki_err_is(mmp_err_set(v->err, MMP_ERR_VERIFY,
				   "%s: the chain above it is too long or loops and never reaches a trusted root: check the bundle",
				   ref),
			  v->err, "chain.loop", AT(v, x), "check the");
	case X509_V_ERR_CERT_REVOKED: {
		char why[STORE_NAME_MAX + 160];
		int ca = is_ca_or_root(x);

		vin_revoked_text(v->in, x, why, sizeof(why));
		return pki_err_is(mmp_err_set(v->err, MMP_ERR_VERIFY,
				   "%s is revoked by its CA: %s: %s",
				   ref, why,
				   ca ? "replace it with the CA's current certificate"
				      : "get a new certificate (a new CSR, signed again) and upload it"),
			  v->err, "cert.revoked", AT(v, x), ca ? "replace it" : "get a new");
	}
	case X509_V_ERR_KEYUSAGE_NO_CRL_SIGN:
	case X509_V_ERR_CRL_SIGNATURE_FAILURE:
	case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
	case X509_V_ERR_CRL_NOT_YET_VALID:
	case X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD:
	case X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD:
	case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
	case X509_V_ERR_DIFFERENT_CRL_SCOPE:
	case X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION:
	case X509_V_ERR_CRL_PATH_VALIDATION_ERROR: {
		/* the remedy by cause: "signed with a key allowed to sign
		 * CRLs" was said for a CRL not yet valid or out of scope too */
		char why[256];
		const char *src, *remedy = vin_crl_unusable(v->in, v->t->failed, code, why,
							    sizeof(why), &src);

		return pki_err_is(mmp_err_set(v->err, MMP_ERR_VERIFY,
				   "%s: the CRL of its issuer %s%s%s cannot be used: %s: %s",
				   ref, iss, src != NULL ? " in " : "", src != NULL ? src : "", why, remedy),
			  v->err, "crl.unusable", AT(v, x), remedy);
	}
	case X509_V_ERR_OUT_OF_MEM:
		return mmp_err_set(v->err, MMP_ERR_NOMEM, "pki verify: out of memory");
	}
	return explain_other(v, x, code, ref);
}

/* ---- Rules checked on the chain OpenSSL accepted ----------------------- */

/* RFC 5280 4.2.1.12: ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX): an
 * extendedKeyUsage extension that lists no purpose is malformed. OpenSSL
 * reads it as "no purpose" and only fails it when a purpose is asked for. */
static enum mmp_rc check_eku_empty(const struct vrun *v)
{
	int i, crit;
	char ref[REF_MAX_LEN];

	for (i = 0; i < sk_X509_num(v->chain); i++) {
		X509 *x = sk_X509_value(v->chain, i);
		EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(x, NID_ext_key_usage, &crit, NULL);
		int empty = eku != NULL && sk_ASN1_OBJECT_num(eku) == 0;

		sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
		pki_err_clear();
		if (!empty)
			continue;
		cert_ref(v->in, x, i + 1, ref, sizeof(ref));
		return pki_err_is(mmp_err_set(v->err, MMP_ERR_VERIFY,
				   "%s: its ExtendedKeyUsage extension lists no purpose, which RFC 5280 section 4.2.1.12 forbids: ask its CA for a corrected certificate",
				   ref),
			  v->err, "cert.eku_empty", AT(v, x), "ask its CA");
	}
	return MMP_OK;
}

/* A malformed email address in the leaf's subjectAltName (webpki.c). */
static enum mmp_rc check_email(const struct vrun *v)
{
	char why[256], ref[REF_MAX_LEN];
	X509 *leaf = sk_X509_value(v->chain, 0);

	if (!rfc5280_email_names(leaf, why, sizeof(why)))
		return MMP_OK;
	cert_ref(v->in, leaf, 1, ref, sizeof(ref));
	return pki_err_is(mmp_err_set(v->err, MMP_ERR_VERIFY, "%s: %s: ask its CA for a corrected certificate",
				      ref, why),
			  v->err, "cert.rfc5280", AT(v, leaf), "ask its CA");
}

/* The maximum number of intermediates, counted as RFC 5280 6.1.4 (l) and
 * 4.2.1.9 count pathLenConstraint: self-issued certificates (subject =
 * issuer, e.g. a CA's key rollover) are not counted. OpenSSL's own depth
 * limit counts every certificate, so it is not used. */
static enum mmp_rc check_depth(const struct vrun *v)
{
	int i, n = sk_X509_num(v->chain), count = 0;

	if (v->o->max_depth < 0)
		return MMP_OK;
	for (i = 1; i < n - 1; i++) {
		X509 *x = sk_X509_value(v->chain, i);
		if (X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) != 0)
			count++;
	}
	if (count <= v->o->max_depth)
		return MMP_OK;
	return mmp_err_set(v->err, MMP_ERR_VERIFY,
			   "%s: the chain has %d intermediate CA certificates, more than the %d allowed",
			   v->in->leaf_name, count, v->o->max_depth);
}

/* guide §2.2: every certificate above the leaf is a CA; the leaf fits the
 * role asked for. */
static enum mmp_rc check_guide_rules(const struct vrun *v)
{
	int i, n = sk_X509_num(v->chain);
	char why[256], ref[REF_MAX_LEN];
	X509 *leaf = sk_X509_value(v->chain, 0);

	for (i = 1; i < n; i++) {
		X509 *x = sk_X509_value(v->chain, i);
		if (rule_x509(x, PKI_ROLE_CA, why, sizeof(why)) == 1)
			continue;
		cert_ref(v->in, x, i + 1, ref, sizeof(ref));
		return pki_err_is(mmp_err_set(v->err, MMP_ERR_VERIFY,
				   "%s is above the leaf but not marked as a CA: %s (guide section 2.2): get the right CA certificate from your CA",
				   ref, why),
			  v->err, "chain.not_ca", AT(v, x), "get the right");
	}
	if (v->o->role != PKI_ROLE_SERVER && v->o->role != PKI_ROLE_CLIENT)
		return MMP_OK;
	if (rule_x509(leaf, v->o->role, why, sizeof(why)) == 1)
		return MMP_OK;
	cert_ref(v->in, leaf, 1, ref, sizeof(ref));
	return pki_err_is(mmp_err_set(v->err, MMP_ERR_VERIFY,
			   "%s cannot be used by a TLS %s: %s (guide section 2.2): have it issued again for that use",
			   ref, v->o->role == PKI_ROLE_SERVER ? "server" : "client", why),
			  v->err, "cert.usage", AT(v, leaf), "have it");
}

static time_t asn1_time(const ASN1_TIME *t)
{
	struct tm tm;

	if (t == NULL || !ASN1_TIME_to_tm(t, &tm))
		return 0;
	return timegm(&tm);
}

/* SPEC §6: a WARNING for each certificate that ends within 30 days. */
static void warn_expiry(const struct vrun *v)
{
	int i;
	char ref[REF_MAX_LEN], when[64];

	for (i = 0; i < sk_X509_num(v->chain); i++) {
		X509 *x = sk_X509_value(v->chain, i);
		time_t end = asn1_time(X509_get0_notAfter(x));
		/* a started day counts as a day, as pki inspect shows it */
		long days = (long)((end - v->at + 86399) / 86400);

		if (end - v->at >= (time_t)EXPIRY_WARN_DAYS * 86400)
			continue;
		cert_ref(v->in, x, i + 1, ref, sizeof(ref));
		fmt_time(X509_get0_notAfter(x), when, sizeof(when));
		RCHECK(v, REPORT_WARNING, "cert.expires_soon", AT(v, x), "%s expires in %ld day%s, on %s",
		       ref, days, days == 1 ? "" : "s", when);
		if (v->r != NULL)
			report_remedy(v->r, "%s (guide section 5.3)",
				      is_ca_or_root(x) ? "get the CA's current certificate before then"
						       : "renew it soon");
	}
}

/* The name the peer must hold (names.c), on the leaf. */
static enum mmp_rc check_name(const struct vrun *v)
{
	if (v->o->name == NULL)
		return MMP_OK;
	return pki_name_verdict(sk_X509_value(v->chain, 0), v->in->leaf_name, 1, v->o->name,
				(v->o->flags & PKI_VERIFY_WEB) != 0, v->r, v->err);
}

/* The browser profile (webpki.c): a FAILURE under PKI_VERIFY_WEB, else a
 * WARNING when a name is checked (the certificate is meant for browsers). */
static enum mmp_rc check_web(const struct vrun *v)
{
	char why[512], ref[REF_MAX_LEN];
	int pos;

	if (!(v->o->flags & PKI_VERIFY_WEB) && v->o->name == NULL)
		return MMP_OK;
	if (!webpki_chain(v->chain, &pos, why, sizeof(why)))
		return MMP_OK;
	cert_ref(v->in, sk_X509_value(v->chain, pos), pos + 1, ref, sizeof(ref));
	if (v->o->flags & PKI_VERIFY_WEB)
		return pki_err_is(mmp_err_set(v->err, MMP_ERR_VERIFY,
				   "%s: %s: the browser-facing profile refuses it: ask its CA for a certificate that keeps the CA/Browser Forum Baseline Requirements and RFC 5280",
				   ref, why),
			  v->err, "cert.webpki", AT(v, sk_X509_value(v->chain, pos)), "ask its CA");
	RCHECK(v, REPORT_WARNING, "cert.webpki", AT(v, sk_X509_value(v->chain, pos)),
	       "%s: %s: browsers that enforce this rule refuse it", ref, why);
	if (v->r != NULL)
		report_remedy(v->r, "for a name browsers reach, ask its CA for a certificate that keeps the CA/Browser Forum Baseline Requirements and RFC 5280");
	return MMP_OK;
}

/* "certificate 1", "certificates 1 and 2", "certificates 1, 2 and 3":
 * the chain positions (1: the leaf) below the anchor that CRL k covered;
 * 0 when none. */
static int covered_list(const struct vrun *v, long k, char *buf, size_t size)
{
	int i, revoked, count = 0, last = -1, n = sk_X509_num(v->chain) - 1;
	size_t len = 0;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		if (crl_of(v, i, &revoked) == k)
			count++;
	for (i = 0; i < n; i++) {
		if (crl_of(v, i, &revoked) != k)
			continue;
		len = strlen(buf);
		snprintf(buf + len, size - len, "%s%d",
			 last < 0 ? (count > 1 ? "certificates " : "certificate ")
				  : --count > 1 ? ", " : " and ",
			 i + 1);
		last = i;
	}
	return last >= 0;
}

/* Why CRL k, used for no certificate, applies to none of this chain. */
static const char *unused_why(const struct vrun *v, long k, const char *issuer, char *buf,
			      size_t size)
{
	int i, n = sk_X509_num(v->chain) - 1;

	for (i = 0; i < n; i++)
		if (X509_NAME_cmp(X509_get_issuer_name(sk_X509_value(v->chain, i)),
				  X509_CRL_get_issuer(v->in->crl[k].c)) == 0)
			break;
	if (i == n)
		snprintf(buf, size, "no certificate of this chain below its anchor was issued by %s",
			 issuer);
	else {
		ISSUING_DIST_POINT *idp = X509_CRL_get_ext_d2i(v->in->crl[k].c,
							       NID_issuing_distribution_point, NULL, NULL);

		snprintf(buf, size, "its issuingDistributionPoint limits it to %s, which leaves out what %s issued in this chain (RFC 5280 section 5.2.5)",
			 idp == NULL ? "some certificates"
			 : idp->onlyCA > 0 ? "CA certificates"
			 : idp->onlyuser > 0 ? "end-entity certificates"
					     : "the certificates of one distribution point",
			 issuer);
		ISSUING_DIST_POINT_free(idp);
		pki_err_clear();
	}
	return buf;
}

/* What the CRLs given covered, once the chain verified (an attack on a
 * trial: with only the issuing CA's CRL given, "none of the chain is
 * revoked" was said while the root's CRL, not given, revoked the
 * intermediate). For each CRL: a SUCCESS naming the certificates it
 * covered (crl.used), a WARNING when past its nextUpdate (crl.expired: it
 * was used, but a newer one may revoke more), an INFO line when another
 * list of its CA was used instead, a WARNING when it applies to no
 * certificate of the chain (crl.unused). Then, when any CRL was given, a
 * WARNING for each certificate below the anchor that none covered
 * (crl.missing). Without a CRL revocation is not checked, and not said. */
static void report_crls(const struct vrun *v)
{
	char issuer[NAME_MAX_LEN], when[64], list[256], why[NAME_MAX_LEN + 160];
	char ref[REF_MAX_LEN];
	size_t i;
	long newer;
	int p, revoked;

	for (i = 0; i < v->in->n_crl; i++) {
		const struct vcrl *c = &v->in->crl[i];
		const char *file = v->in->mem ? NULL : c->src;

		pki_name_oneline(X509_CRL_get_issuer(c->c), issuer, sizeof(issuer));
		if (covered_list(v, (long)i, list, sizeof(list))) {
			RCHECK(v, REPORT_SUCCESS, "crl.used", file, 0,
			       "%s: the revocation list of %s was used: none of the certificates it covers is revoked: %s",
			       c->src, issuer, list);
			vin_crl_expired(v->in, i, v->at, when, sizeof(when));
			if (when[0] == '\0')
				continue;
			RCHECK(v, REPORT_WARNING, "crl.expired", file, 0,
			       "%s: the revocation list of %s was to be replaced on %s (nextUpdate): it was used, but a newer one may revoke more",
			       c->src, issuer, when);
			if (v->r != NULL)
				report_remedy(v->r, "get the current CRL from the CA (RFC 5280 section 5.1.2.5)");
			continue;
		}
		/* of two lists of one CA, OpenSSL reads the newer: the other
		 * said nothing, and may list what the newer one no longer does */
		if ((newer = vin_crl_superseded(v->in, i)) >= 0) {
			RADD(v, REPORT_INFO, "Revocation list of %s in %s not used: the one in %s is as recent or newer (thisUpdate)",
			     issuer, c->src, v->in->crl[newer].src);
			continue;
		}
		RCHECK(v, REPORT_WARNING, "crl.unused", file, 0,
		       "%s: the revocation list of %s applies to no certificate of this chain: %s",
		       c->src, issuer, unused_why(v, (long)i, issuer, why, sizeof(why)));
		if (v->r != NULL)
			report_remedy(v->r, "check that it is the CRL meant: give the CRLs of the CAs that issued this chain");
	}
	for (p = 0; v->in->n_crl > 0 && p < sk_X509_num(v->chain) - 1; p++) {
		X509 *x = sk_X509_value(v->chain, p);

		if (crl_of(v, p, &revoked) >= 0)
			continue;
		cert_ref(v->in, x, p + 1, ref, sizeof(ref));
		pki_name_oneline(X509_get_issuer_name(x), issuer, sizeof(issuer));
		RCHECK(v, REPORT_WARNING, "crl.missing", AT(v, x),
		       "%s was not checked for revocation: no CRL of its issuer %s was given", ref,
		       issuer);
		if (v->r != NULL)
			report_remedy(v->r, "give the CRL of %s too, with crl:<file>", issuer);
	}
}

static enum mmp_rc check_accepted(const struct vrun *v)
{
	enum mmp_rc rc;
	int n = sk_X509_num(v->chain);
	X509 *top = sk_X509_value(v->chain, n - 1);
	char subj[NAME_MAX_LEN];
	int root;

	if ((rc = check_eku_empty(v)) != MMP_OK || (rc = check_email(v)) != MMP_OK ||
	    (rc = check_depth(v)) != MMP_OK ||
	    (rc = check_guide_rules(v)) != MMP_OK || (rc = check_name(v)) != MMP_OK ||
	    (rc = check_web(v)) != MMP_OK)
		return rc;
	warn_expiry(v);
	report_crls(v);
	root = X509_self_signed(top, 0) == 1;
	pki_err_clear();
	subject_of(top, subj, sizeof(subj));
	if (v->r != NULL) {
		json_object_set_new(report_data(v->r), "verified", json_true());
		json_object_set_new(report_data(v->r), "anchor", report_str(subj));
		json_object_set_new(report_data(v->r), "anchor_is_root", json_boolean(root));
	}
	RCHECK(v, REPORT_SUCCESS, "chain.verified", AT(v, sk_X509_value(v->chain, 0)), "%s verifies: chain of %d certificate%s to the %s %s",
	     v->in->leaf_name, n, n > 1 ? "s" : "", root ? "trusted root" : "trust anchor", subj);
	return MMP_OK;
}

enum mmp_rc verify_core(const struct vin *in, const struct pki_verify_opts *o,
			struct report *r, struct mmp_err *err)
{
	X509_STORE *store = NULL;
	STACK_OF(X509) *untrusted = NULL;
	X509_STORE_CTX *ctx = NULL;
	STACK_OF(X509_CRL) *crls = NULL;
	struct vtrack *t = calloc(1, sizeof(*t));
	struct vrun v = { in, o, o->at != 0 ? o->at : pki_now(), NULL, r, err, t };
	enum mmp_rc rc;

	if (in->n == 0) {
		free(t);
		return mmp_err_set(err, MMP_ERR_INTERNAL, "pki verify: no certificate given");
	}
	if (t == NULL || (ctx = make_ctx(in, v.at, t, &store, &untrusted, &crls)) == NULL) {
		rc = mmp_err_set(err, MMP_ERR_NOMEM, "pki verify: out of memory");
		goto out;
	}
	if (X509_verify_cert(ctx) == 1) {
		v.chain = X509_STORE_CTX_get0_chain(ctx);
		report_chain(&v);
		rc = check_accepted(&v);
	} else {
		v.chain = X509_STORE_CTX_get0_chain(ctx);
		report_chain(&v);
		rc = explain(&v, ctx);
	}
out:
	pki_err_clear();
	X509_STORE_CTX_free(ctx);
	sk_X509_free(untrusted);
	sk_X509_CRL_free(crls);
	X509_STORE_free(store);
	free(t);
	return rc;
}
