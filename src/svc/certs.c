/*
 * certs.c: the checks a key, certificate and bundle go through before a
 * service takes them (SPEC §6). Every failed check is its own FAILURE
 * line, so an admin sees all that is wrong at once; a check that would
 * fail only because of another's cause (a certificate OpenSSL cannot use,
 * a full chain in the wrong order) is not run or not said.
 */
#include <stdio.h>
#include <string.h>

#include "mmp/roots.h"
#include "mmp/svc.h"

/* A check whose text is message + ": " + remedy, where the remedy starts
 * at text + at (0: none): the same line, with its remedy apart for JSON. */
static void check_at(struct report *r, enum report_kind kind, const char *code, const char *file,
		     int cert, const char *text, size_t at)
{
	if (at < 2 || at > strlen(text)) {
		report_check(r, kind, code, file, cert, "%s", text);
		return;
	}
	report_check(r, kind, code, file, cert, "%.*s", (int)(at - 2), text);
	report_remedy(r, "%s", text + at);
}

/* A failed mmp_err as a FAILURE: its code, file, certificate and remedy
 * (the remedy apart only when no library cause follows it: the text
 * stays "msg: cause"). file: what the check was about, when err names none. */
static void check_err(struct report *r, const struct mmp_err *err, const char *code,
		      const char *file)
{
	const char *c = err->code != NULL || code == NULL ? mmp_err_code(err) : code;
	const char *f = err->file[0] != '\0' ? err->file : file;

	if (err->cause[0] != '\0')
		report_check(r, REPORT_FAILURE, c, f, err->cert, "%s: %s", err->msg, err->cause);
	else
		check_at(r, REPORT_FAILURE, c, f, err->cert, err->msg, err->remedy_at);
}

static const char *role_word(unsigned role)
{
	return role == PKI_ROLE_SERVER ? "TLS server" : role == PKI_ROLE_CLIENT ? "TLS client" : "CA";
}

/* A certificate, full-chain, bundle or trust file holds certificates
 * only. A private key beside them is refused: a key must not travel in a
 * file that is handed to peers, shown and copied as public (SPEC §6). A
 * CSR there is refused too: it is never part of a chain, so the file is
 * not the one meant. A CRL is said by crl_lines(), when warn_crl. 0
 * after a FAILURE. */
static int certs_only(const struct pki_file *f, int warn_crl, struct report *r);

/* The CRL blocks of f (a certificate or bundle file): one that revokes a
 * certificate being installed, or one of its chain, is a FAILURE
 * (cert.revoked: a trial passed callbridge certs with a bundle whose CRL
 * revokes the certificate, which pki verify refused); else a WARNING: the
 * services take certificates alone from these files, so the CRL revokes
 * nothing there and must not be counted on. */
static void crl_lines(const struct pki_file *f, const struct pki_file *cf,
		      const struct pki_file *bf, struct report *r)
{
	int keys, csrs, crls;

	if (f == NULL)
		return;
	pki_file_blocks(f, &keys, &csrs, &crls);
	if (crls == 0 || pki_crl_revocations(f, cf, bf, r) > 0)
		return;
	report_check(r, REPORT_WARNING, "file.crl_ignored", pki_file_name(f), 0,
		     "%s holds %d X509 CRL block%s", pki_file_name(f), crls, crls > 1 ? "s" : "");
	report_remedy(r, "the services read only the certificates of this file, so it revokes nothing; delete the block%s to keep the file plain",
		      crls > 1 ? "s" : "");
}

static int certs_only(const struct pki_file *f, int warn_crl, struct report *r)
{
	const char *name = pki_file_name(f);
	int keys, csrs, crls;

	pki_file_blocks(f, &keys, &csrs, &crls);
	if (keys > 0) {
		char why[1024];

		char line[1280];
		const char *fix;

		/* the same line pki_file_expect gives for such a file as a key */
		snprintf(line, sizeof(line), "%s: %s", name,
			 pki_key_with_certs_remedy(f, why, sizeof(why)));
		fix = strstr(line, ": on your computer, ");
		check_at(r, REPORT_FAILURE, "file.key_with_certs", name, 0, line,
			 fix != NULL ? (size_t)(fix - line) + 2 : 0);
	}
	if (csrs > 0) {
		report_check(r, REPORT_FAILURE, "file.csr_with_certs", name, 0,
			     "%s holds a certificate signing request besides its certificates",
			     name);
		report_remedy(r, "a CSR is never part of a chain or trust bundle; delete the CERTIFICATE REQUEST block from %s and upload it again",
			      name);
	}
	if (warn_crl)
		crl_lines(f, NULL, NULL, r);
	return keys == 0 && csrs == 0;
}

/* Load a file and require a kind; a FAILURE line when it is not. */
static struct pki_file *load(const struct store *s, const char *name, unsigned want,
			     int warn_crl, struct report *r)
{
	struct pki_file *f = NULL;
	struct mmp_err err;

	mmp_err_clear(&err);
	if (pki_file_load(s, name, &f, &err) != MMP_OK ||
	    pki_file_expect(f, want, &err) != MMP_OK) {
		check_err(r, &err, NULL, name);
		pki_file_free(f);
		return NULL;
	}
	pki_file_warnings(f, r); /* read, but not as saved (issue 11) */
	if (want == PKI_WANT_CERTS && !certs_only(f, warn_crl, r)) {
		pki_file_free(f);
		return NULL;
	}
	return f;
}

/* The remedy for a leaf without role, by the extension that failed. */
static const char *role_fix(unsigned role, const char *why)
{
	if (strncmp(why, "KeyUsage", 8) == 0)
		return role == PKI_ROLE_SERVER ? "KeyUsage digitalSignature or keyEncipherment"
					       : "KeyUsage digitalSignature";
	if (strncmp(why, "Netscape", 8) == 0)
		return role == PKI_ROLE_SERVER ? "Netscape cert type SSL Server, or without it"
					       : "Netscape cert type SSL Client, or without it";
	return role == PKI_ROLE_SERVER ? "TLS Web Server Authentication in ExtendedKeyUsage"
				       : "TLS Web Client Authentication in ExtendedKeyUsage";
}

/* The 2026 change (Chrome Root Program; Cisco field notices FN74345 and
 * FN74362): public CAs stop issuing TLS Web Client Authentication, which a
 * service of the client role needs (guide section 2.2). A leaf from a
 * public CA that lacks it is refused with the way out (an internal CA,
 * guide section 3.3); one that has it is warned that its renewal will not.
 * 1 when it said the leaf's client role is missing. */
static int check_client_public(const struct svc_certs_rule *rule, const struct pki_file *cf,
			       size_t li, const struct pki_file *bf, const char *why,
			       struct report *r)
{
	char root[256];

	if (why != NULL && strncmp(why, "KeyUsage", 8) == 0)
		return 0; /* not the EKU: no CA policy is the cause */
	if (!pki_chains_to_public(cf, li, bf, root, sizeof(root)))
		return 0;
	if (why != NULL) {
		char base[STORE_NAME_MAX + 8], line[1024];
		const char *dot = strrchr(pki_file_name(cf), '.');

		snprintf(base, sizeof(base), "%.*s-new",
			 dot != NULL ? (int)(dot - pki_file_name(cf)) : (int)strlen(pki_file_name(cf)),
			 pki_file_name(cf));
		if (!pki_csr_line(cf, li, base, line, sizeof(line)))
			snprintf(line, sizeof(line), "pki csr %s CN:<its CN> subjectAltName:<its names>", base);
		report_check(r, REPORT_FAILURE, "cert.client_auth_missing_public", pki_file_name(cf),
			     (int)li + 1,
			     "%s cannot be used by %s as a TLS client: %s; it is from a public CA (root %s), and public CAs no longer issue TLS Web Client Authentication (Chrome Root Program, 2026; Cisco field notices FN74345 and FN74362), which %s needs for the connections it opens (guide section 2.2)",
			     pki_file_name(cf), rule->service, why, root, rule->service);
		report_remedy(r, "have it issued by an internal CA with TLS Web Client Authentication and TLS Web Server Authentication (guide section 3.3): %s makes a key and a CSR with its names and no ExtendedKeyUsage, which pki sign <internal CA> issues with both (pki csr from: would keep its EKU, without client authentication)",
			      line);
		return 1;
	}
	report_check(r, REPORT_WARNING, "cert.client_auth_public", pki_file_name(cf), (int)li + 1,
		     "%s is from a public CA (root %s) and has TLS Web Client Authentication, which %s needs (guide section 2.2); public CAs stop issuing it in 2026 (Chrome Root Program; Cisco field notices FN74345 and FN74362), so its renewal from a public CA will lack it and %s will refuse the renewed certificate",
		     pki_file_name(cf), root, rule->service, rule->service);
	report_remedy(r, "renew it from an internal CA that issues TLS Web Client Authentication (guide section 3.3): pki csr <name> from:%s makes the key and CSR with the same subject and names",
		      pki_file_name(cf));
	return 0;
}

static void check_leaf(const struct svc_certs_rule *rule, const struct pki_file *cf, size_t li,
		       const struct pki_file *bf, int usable, struct report *r)
{
	unsigned role;
	char why[256], got[128];

	for (role = PKI_ROLE_SERVER; role <= PKI_ROLE_CLIENT; role <<= 1) {
		if (!usable || !(rule->roles & role))
			continue;
		if (pki_rule_role(cf, li, role, why, sizeof(why)) == 1) {
			if (role == PKI_ROLE_CLIENT)
				check_client_public(rule, cf, li, bf, NULL, r);
			continue;
		}
		if (role == PKI_ROLE_CLIENT && check_client_public(rule, cf, li, bf, why, r))
			continue;
		/* the remedy follows the extension that failed */
		report_check(r, REPORT_FAILURE,
			     role == PKI_ROLE_SERVER ? "cert.not_tls_server" : "cert.not_tls_client",
			     pki_file_name(cf), (int)li + 1,
			     "%s cannot be used by %s as a %s: %s; have it issued with %s (guide section 2.2)",
			     pki_file_name(cf), rule->service, role_word(role), why, role_fix(role, why));
	}
	if (usable && rule->digital_signature &&
	    pki_rule_digital_signature(cf, li, why, sizeof(why)) != 1)
		report_check(r, REPORT_FAILURE, "cert.no_digital_signature", pki_file_name(cf),
			     (int)li + 1, "%s: %s; have it issued with digitalSignature",
			     pki_file_name(cf), why);
	if (rule->cn != NULL && pki_rule_cn_is(cf, li, rule->cn, got, sizeof(got)) != 1) {
		report_check(r, REPORT_FAILURE, "cert.cn_mismatch", pki_file_name(cf), (int)li + 1,
			     "%s: the CN is \"%s\", it must be exactly \"%s\"", pki_file_name(cf), got,
			     rule->cn);
		report_remedy(r, "make it with pki csr <name> CN:%s (guide section 3.1.4)", rule->cn);
	}
}

/* guide chapter 3 note: SHA-2 signatures only; what: "" or " of the bundle" */
static void check_sha2(const struct pki_file *f, size_t i, int above_leaf, const char *what,
		       struct report *r)
{
	char why[256];

	if (pki_rule_sha2(f, i, above_leaf, why, sizeof(why)) == 0) {
		report_check(r, REPORT_FAILURE, "cert.not_sha2", pki_file_name(f), (int)i + 1,
			     "%s: certificate %zu%s: %s", pki_file_name(f), i + 1, what, why);
		report_remedy(r, "have it reissued with SHA-256 (guide chapter 3)");
	}
}

/* One FAILURE for each certificate of f that OpenSSL cannot use (two
 * subjectAltName extensions, ...): the cause, said once. Its role, chain
 * and signature checks would all fail as a consequence, so the callers
 * skip them (usable_cert). Returns how many. */
static size_t report_unusable(const struct pki_file *f, struct report *r)
{
	char why[512];
	size_t i, bad = 0;

	for (i = 0; f != NULL && i < pki_file_cert_count(f); i++)
		if (pki_rule_wellformed(f, i, why, sizeof(why)) == 0) {
			report_check(r, REPORT_FAILURE, "cert.unusable", pki_file_name(f), (int)i + 1,
				     "%s: %s", pki_file_name(f), why);
			bad++;
		}
	return bad;
}

static int usable_cert(const struct pki_file *f, size_t i)
{
	return pki_rule_wellformed(f, i, NULL, 0) == 1;
}

/* chains: every certificate of both files is usable, so the rules between
 * them (order, the bundle chains the leaf) say something true. li: the leaf
 * of cf (guide §2.2: every other certificate of a full chain is a CA). */
static void check_chain_files(const struct svc_certs_rule *rule, const struct pki_file *cf,
			      size_t li, const struct pki_file *bf, int chains, struct report *r)
{
	struct mmp_err err;
	size_t i, n = pki_file_cert_count(cf);
	char why[256];

	mmp_err_clear(&err);
	if (rule->fullchain) {
		if (chains && pki_rule_fullchain_order(cf, &err) != MMP_OK)
			check_err(r, &err, "chain.order", pki_file_name(cf));
		for (i = 0; i < n; i++)
			/* off the chain: the order line said so (asked last: it walks) */
			if (i != li && usable_cert(cf, i) &&
			    pki_rule_role(cf, i, PKI_ROLE_CA, why, sizeof(why)) != 1 &&
			    (!chains || pki_file_on_chain(cf, i)))
				report_check(r, REPORT_FAILURE, "cert.not_ca", pki_file_name(cf),
					     (int)i + 1,
					     "%s: certificate %zu is above the leaf but is not a CA: %s (guide section 2.2)",
					     pki_file_name(cf), i + 1, why);
	}
	for (i = 0; i < n; i++) {
		pki_rule_validity(cf, i, pki_now(), SVC_EXPIRY_WARN_DAYS, r);
		if (usable_cert(cf, i))
			check_sha2(cf, i, i != li, "", r);
	}
	if (bf == NULL)
		return;
	if (chains && pki_rule_bundle_chains(cf, bf, &err) != MMP_OK)
		check_err(r, &err, "bundle.not_chained", pki_file_name(bf));
	for (i = 0; i < pki_file_cert_count(bf); i++) {
		pki_rule_validity(bf, i, pki_now(), SVC_EXPIRY_WARN_DAYS, r);
		/* the leaf itself in the bundle: the line above said so */
		if (!usable_cert(bf, i) || (chains && (int)i == pki_bundle_leaf_copy(cf, bf)))
			continue;
		check_sha2(bf, i, 1, " of the bundle", r);
		if (pki_rule_role(bf, i, PKI_ROLE_CA, why, sizeof(why)) != 1)
			report_check(r, REPORT_FAILURE, "cert.not_ca", pki_file_name(bf), (int)i + 1,
				     "%s: certificate %zu of the bundle is not a CA: %s (guide section 2.2)",
				     pki_file_name(bf), i + 1, why);
	}
}

enum mmp_rc svc_check_certs_pair(const struct store *s, const struct svc_certs_rule *rule,
				 const char *key, const char *crt, const char *bundle,
				 const char *pair, struct report *r)
{
	size_t before = r->failures, li = 0, bad;
	struct pki_file *kf, *cf, *bf = NULL;
	char which[2 * STORE_NAME_MAX + 64] = "";

	kf = load(s, key, PKI_WANT(PKI_KIND_KEY), 0, r);
	cf = load(s, crt, PKI_WANT_CERTS, 0, r);
	if (bundle != NULL)
		bf = load(s, bundle, PKI_WANT_CERTS, 0, r);
	crl_lines(cf, cf, bf, r);
	if (bf != NULL && (cf == NULL || strcmp(pki_file_name(cf), pki_file_name(bf)) != 0))
		crl_lines(bf, cf, bf, r);
	/* a full chain in any order: the key and the roles are those of the
	 * leaf found, so a wrong order is one line, not four */
	if (cf != NULL && rule->fullchain)
		li = pki_file_leaf(cf);
	if (pair != NULL)
		snprintf(which, sizeof(which), " (%s: %s, %s)", pair, key, crt);
	if (kf != NULL && cf != NULL) {
		if (pki_key_cert_index(kf, cf) == (int)li)
			report_check(r, REPORT_SUCCESS, "key.match", crt, (int)li + 1,
				     "Key and certificate pair match%s", which);
		else
			report_check(r, REPORT_FAILURE, "key.mismatch", crt, (int)li + 1,
				     "Key and certificate problem: certificate and key do not match: %s is not the private key of %s (guide section 4.4)",
				     key, crt);
	}
	if (cf != NULL) {
		bad = report_unusable(cf, r);
		bad += report_unusable(bf, r);
		check_leaf(rule, cf, li, bf, usable_cert(cf, li), r);
		check_chain_files(rule, cf, li, bf, bad == 0, r);
		/* what clients refuse (pki_compat_cert); duplicate extensions
		 * were the one cause above (report_unusable) */
		pki_compat_file(cf, (long)li, bf,
				PKI_COMPAT_OWN | PKI_COMPAT_DUP_ELSEWHERE |
					(rule->roles & PKI_ROLE_SERVER ? PKI_COMPAT_TLS_SERVER : 0),
				r);
	}
	pki_compat_file(bf, -1, NULL, PKI_COMPAT_DUP_ELSEWHERE, r);
	pki_file_free(kf);
	pki_file_free(cf);
	pki_file_free(bf);
	return r->failures > before ? MMP_ERR_RULE : MMP_OK;
}

enum mmp_rc svc_check_certs(const struct store *s, const struct svc_certs_rule *rule,
			    const char *key, const char *crt, const char *bundle, struct report *r)
{
	return svc_check_certs_pair(s, rule, key, crt, bundle, NULL, r);
}

enum mmp_rc svc_check_trust(const struct store *s, const char *service, const char *bundle,
			    struct report *r)
{
	size_t before = r->failures, i;
	struct pki_file *bf = load(s, bundle, PKI_WANT_CERTS, 1, r);

	(void)service;
	if (bf == NULL)
		return MMP_ERR_RULE;
	/* no SHA-2 rule here: every certificate of a trust store is an anchor,
	 * and nobody checks an anchor's own signature */
	report_unusable(bf, r);
	for (i = 0; i < pki_file_cert_count(bf); i++)
		pki_rule_validity(bf, i, pki_now(), SVC_EXPIRY_WARN_DAYS, r);
	pki_compat_file(bf, -1, NULL, PKI_COMPAT_NO_SHA2_RULE | PKI_COMPAT_DUP_ELSEWHERE, r);
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
				report_check(r, REPORT_FAILURE, "database.ca_dedicated", *files, (int)i + 1,
					     "%s %s the database cluster CA in %s, which must be dedicated to the database cluster (guide section 3.1.4)",
					     *files, j < pki_file_cert_count(ca) ? "holds" : "is signed by",
					     ca_name);
				report_remedy(r, "use certificates of another CA for %s", service);
				break;
			}
		}
		pki_file_free(f);
	}
	pki_file_free(ca);
	return r->failures > before ? MMP_ERR_RULE : MMP_OK;
}
