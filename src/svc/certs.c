/*
 * certs.c: the checks a key, certificate and bundle go through before a
 * service takes them (SPEC §6). Every failed check is its own FAILURE
 * line, so an admin sees all that is wrong at once.
 */
#include <stdio.h>
#include <string.h>

#include "mmp/svc.h"

static const char *role_word(unsigned role)
{
	return role == PKI_ROLE_SERVER ? "TLS server" : role == PKI_ROLE_CLIENT ? "TLS client" : "CA";
}

/* Load a file and require a kind; a FAILURE line when it is not. */
static struct pki_file *load(const struct store *s, const char *name, unsigned want,
			     struct report *r)
{
	struct pki_file *f = NULL;
	struct mmp_err err;

	mmp_err_clear(&err);
	if (pki_file_load(s, name, &f, &err) != MMP_OK ||
	    pki_file_expect(f, want, &err) != MMP_OK) {
		report_add(r, REPORT_FAILURE, "%s%s%s", err.msg, err.cause[0] ? ": " : "", err.cause);
		pki_file_free(f);
		return NULL;
	}
	pki_file_warnings(f, r); /* read, but not as saved (issue 11) */
	return f;
}

static void check_leaf(const struct svc_certs_rule *rule, const struct pki_file *cf,
		       struct report *r)
{
	unsigned role;
	char why[256], got[128];

	for (role = PKI_ROLE_SERVER; role <= PKI_ROLE_CLIENT; role <<= 1) {
		if (!(rule->roles & role) || pki_rule_role(cf, 0, role, why, sizeof(why)) == 1)
			continue;
		/* the remedy follows the extension that failed */
		report_add(r, REPORT_FAILURE,
			   "%s cannot be used by %s as a %s: %s; have it issued with %s (guide section 2.2)",
			   pki_file_name(cf), rule->service, role_word(role), why,
			   strncmp(why, "KeyUsage", 8) == 0
				   ? (role == PKI_ROLE_SERVER ? "KeyUsage digitalSignature or keyEncipherment"
							      : "KeyUsage digitalSignature")
			   : strncmp(why, "Netscape", 8) == 0
				   ? (role == PKI_ROLE_SERVER ? "Netscape cert type SSL Server, or without it"
							      : "Netscape cert type SSL Client, or without it")
			   : role == PKI_ROLE_SERVER ? "TLS Web Server Authentication in ExtendedKeyUsage"
						     : "TLS Web Client Authentication in ExtendedKeyUsage");
	}
	if (rule->digital_signature && pki_rule_digital_signature(cf, 0, why, sizeof(why)) != 1)
		report_add(r, REPORT_FAILURE, "%s: %s; have it issued with digitalSignature",
			   pki_file_name(cf), why);
	if (rule->cn != NULL && pki_rule_cn_is(cf, 0, rule->cn, got, sizeof(got)) != 1)
		report_add(r, REPORT_FAILURE,
			   "%s: the CN is \"%s\", it must be exactly \"%s\": make it with pki csr <name> CN:%s (guide section 3.1.4)",
			   pki_file_name(cf), got, rule->cn, rule->cn);
}

/* guide chapter 3 note: SHA-2 signatures only; what: "" or " of the bundle" */
static void check_sha2(const struct pki_file *f, size_t i, int above_leaf, const char *what,
		       struct report *r)
{
	char why[256];

	if (pki_rule_sha2(f, i, above_leaf, why, sizeof(why)) == 0)
		report_add(r, REPORT_FAILURE,
			   "%s: certificate %zu%s: %s: have it reissued with SHA-256 (guide chapter 3)",
			   pki_file_name(f), i + 1, what, why);
}

static void check_chain_files(const struct svc_certs_rule *rule, const struct pki_file *cf,
			      const struct pki_file *bf, struct report *r)
{
	struct mmp_err err;
	size_t i, n = pki_file_cert_count(cf);
	char why[256];

	mmp_err_clear(&err);
	if (rule->fullchain) {
		if (pki_rule_fullchain_order(cf, &err) != MMP_OK)
			report_add(r, REPORT_FAILURE, "%s", err.msg);
		for (i = 1; i < n; i++)
			if (pki_rule_role(cf, i, PKI_ROLE_CA, why, sizeof(why)) != 1)
				report_add(r, REPORT_FAILURE,
					   "%s: certificate %zu is above the leaf but is not a CA: %s (guide section 2.2)",
					   pki_file_name(cf), i + 1, why);
	}
	for (i = 0; i < n; i++) {
		pki_rule_validity(cf, i, pki_now(), SVC_EXPIRY_WARN_DAYS, r);
		check_sha2(cf, i, i > 0, "", r);
	}
	if (bf == NULL)
		return;
	if (pki_rule_bundle_chains(cf, bf, &err) != MMP_OK)
		report_add(r, REPORT_FAILURE, "%s", err.msg);
	for (i = 0; i < pki_file_cert_count(bf); i++) {
		pki_rule_validity(bf, i, pki_now(), SVC_EXPIRY_WARN_DAYS, r);
		check_sha2(bf, i, 1, " of the bundle", r);
		if (pki_rule_role(bf, i, PKI_ROLE_CA, why, sizeof(why)) != 1)
			report_add(r, REPORT_FAILURE,
				   "%s: certificate %zu of the bundle is not a CA: %s (guide section 2.2)",
				   pki_file_name(bf), i + 1, why);
	}
}

enum mmp_rc svc_check_certs(const struct store *s, const struct svc_certs_rule *rule,
			    const char *key, const char *crt, const char *bundle, struct report *r)
{
	size_t before = r->failures;
	struct pki_file *kf, *cf, *bf = NULL;

	kf = load(s, key, PKI_WANT(PKI_KIND_KEY), r);
	cf = load(s, crt, PKI_WANT_CERTS, r);
	if (bundle != NULL)
		bf = load(s, bundle, PKI_WANT_CERTS, r);
	if (kf != NULL && cf != NULL) {
		if (pki_match_key_cert(kf, cf))
			report_add(r, REPORT_SUCCESS, "Key and certificate pair match");
		else
			report_add(r, REPORT_FAILURE,
				   "Key and certificate problem: certificate and key do not match: %s is not the private key of %s (guide section 4.4)",
				   key, crt);
	}
	if (cf != NULL) {
		check_leaf(rule, cf, r);
		check_chain_files(rule, cf, bf, r);
		/* what clients refuse (pki_compat_cert) */
		pki_compat_file(cf, 0,
				PKI_COMPAT_OWN | PKI_COMPAT_DUP_ELSEWHERE |
					(rule->roles & PKI_ROLE_SERVER ? PKI_COMPAT_TLS_SERVER : 0),
				r);
	}
	pki_compat_file(bf, -1, PKI_COMPAT_DUP_ELSEWHERE, r);
	pki_file_free(kf);
	pki_file_free(cf);
	pki_file_free(bf);
	return r->failures > before ? MMP_ERR_RULE : MMP_OK;
}

enum mmp_rc svc_check_trust(const struct store *s, const char *service, const char *bundle,
			    struct report *r)
{
	size_t before = r->failures, i;
	struct pki_file *bf = load(s, bundle, PKI_WANT_CERTS, r);

	(void)service;
	if (bf == NULL)
		return MMP_ERR_RULE;
	/* no SHA-2 rule here: every certificate of a trust store is an anchor,
	 * and nobody checks an anchor's own signature */
	for (i = 0; i < pki_file_cert_count(bf); i++)
		pki_rule_validity(bf, i, pki_now(), SVC_EXPIRY_WARN_DAYS, r);
	pki_compat_file(bf, -1, PKI_COMPAT_NO_SHA2_RULE, r);
	pki_file_free(bf);
	return r->failures > before ? MMP_ERR_RULE : MMP_OK;
}

enum mmp_rc svc_check_not_db_ca(const struct store *s, struct cfg *c, const char *service,
				const char *const *files, struct report *r)
{
	char ca_name[CFG_VALUE_MAX + 1];
	struct pki_file *ca = NULL, *f;
	struct mmp_err err;
	size_t before = r->failures, i, j;
	int set;

	if (cfg_get(c, "database.ca_crt", ca_name, sizeof(ca_name), &set, &err) != MMP_OK || !set ||
	    pki_file_load(s, ca_name, &ca, &err) != MMP_OK)
		return MMP_OK;
	for (; *files != NULL; files++) {
		if (pki_file_load(s, *files, &f, &err) != MMP_OK)
			continue;
		for (i = 0; i < pki_file_cert_count(f); i++) {
			for (j = 0; j < pki_file_cert_count(ca); j++)
				if (pki_file_same_cert(f, i, ca, j))
					break;
			/* the CA itself, or any certificate it signed (a leaf,
			 * or an intermediate inside a bundle) */
			if (j < pki_file_cert_count(ca) || pki_cert_issued_by(f, i, ca)) {
				report_add(r, REPORT_FAILURE,
					   "%s %s the database cluster CA in %s, which must be dedicated to the database cluster (guide section 3.1.4): use certificates of another CA for %s",
					   *files, j < pki_file_cert_count(ca) ? "holds" : "is signed by",
					   ca_name, service);
				break;
			}
		}
		pki_file_free(f);
	}
	pki_file_free(ca);
	return r->failures > before ? MMP_ERR_RULE : MMP_OK;
}
