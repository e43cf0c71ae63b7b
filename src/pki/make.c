/*
 * make.c: pki csr, pki selfsigned and pki sign (guide §3.1, §3.1.4, §6,
 * Appendix C): RSA 2048 keys, SHA-256 CSRs and certificates, written
 * atomically with keys at mode 0600 and never replaced unless confirmed.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include "make.h"

#define SELFSIGNED_DAYS 3650 /* guide A.3 makes its CA for 3650 days */
#define SIGNED_DAYS 398      /* CA/B Forum BR 6.3.2, Apple HT211025; capped by the CA */

enum mmp_rc pki_store_bio(const struct store *s, const char *name, BIO *bio, int flags,
			  struct mmp_err *err)
{
	char *data;
	long len = BIO_get_mem_data(bio, &data);

	if (len <= 0)
		return mmp_err_set(err, MMP_ERR_INTERNAL, "%s: nothing to write", name);
	return store_write(s, name, data, (size_t)len, flags, err);
}

static enum mmp_rc write_pem(const struct store *s, const char *name, EVP_PKEY *key, X509_REQ *req,
			     X509 *x, int flags, struct mmp_err *err)
{
	BIO *bio = BIO_new(BIO_s_secmem());
	int ok;
	enum mmp_rc rc;

	if (bio == NULL)
		bio = BIO_new(BIO_s_mem());
	if (bio == NULL)
		return mmp_err_set(err, MMP_ERR_NOMEM, "%s: out of memory", name);
	if (key != NULL)
		ok = PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL);
	else if (req != NULL)
		ok = PEM_write_bio_X509_REQ(bio, req);
	else
		ok = PEM_write_bio_X509(bio, x);
	if (!ok) {
		BIO_free(bio);
		mmp_err_set(err, MMP_ERR_INTERNAL, "%s: cannot encode", name);
		pki_cause_from_openssl(err);
		return MMP_ERR_INTERNAL;
	}
	rc = pki_store_bio(s, name, bio, flags, err);
	BIO_free(bio);
	return rc;
}

static int add_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *value)
{
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, ctx, nid, value);
	int ok = ext != NULL && X509_add_ext(x, ext, -1);

	X509_EXTENSION_free(ext);
	return ok;
}

/* A positive random serial of 127 bits (RFC 5280 4.1.2.2: at most 20 octets). */
static int random_serial(X509 *x)
{
	BIGNUM *bn = BN_new();
	int ok = bn != NULL && BN_rand(bn, 127, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) &&
		 BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL;

	BN_free(bn);
	return ok;
}

/* Write <base>.key, then the second file. If that fails, undo the key: put
 * back the one it replaced, or remove it, so no key is left without its
 * certificate or CSR (nor a new certificate's old key). */
static enum mmp_rc write_pair(const struct store *s, const char *base, EVP_PKEY *key,
			      X509_REQ *req, X509 *x, int overwrite, struct mmp_err *err)
{
	char kname[STORE_NAME_MAX + 8], oname[STORE_NAME_MAX + 8];
	unsigned char *old = NULL;
	size_t old_len = 0;
	enum mmp_rc rc;

	snprintf(kname, sizeof(kname), "%s.key", base);
	snprintf(oname, sizeof(oname), "%s.%s", base, req ? "csr" : "crt");
	if (overwrite && store_exists(s, kname) &&
	    (rc = store_read(s, kname, &old, &old_len, err)) != MMP_OK)
		return rc;
	rc = write_pem(s, kname, key, NULL, NULL,
		       STORE_W_PRIVATE | (overwrite ? 0 : STORE_W_NOREPLACE), err);
	if (rc == MMP_ERR_EXIST)
		rc = mmp_err_set(err, MMP_ERR_EXIST,
				 "%s already exists: a private key is never replaced silently; choose another basename",
				 kname);
	if (rc != MMP_OK)
		goto out;
	rc = write_pem(s, oname, NULL, req, x, 0, err);
	if (rc != MMP_OK &&
	    (old != NULL ? store_write(s, kname, old, old_len, STORE_W_PRIVATE, NULL)
			 : store_remove(s, kname, NULL)) != MMP_OK && err != NULL) {
		size_t l = strlen(err->msg);
		snprintf(err->msg + l, sizeof(err->msg) - l,
			 "; but %s is the new key, without its %s: make the pair again", kname, oname);
	}
out:
	store_buf_free(old, old_len);
	return rc;
}

static EVP_PKEY *new_key(struct mmp_err *err)
{
	EVP_PKEY *k = EVP_RSA_gen(2048); /* guide §3.1, A.1: RSA 2048 */

	if (k == NULL) {
		mmp_err_set(err, MMP_ERR_INTERNAL, "cannot generate an RSA 2048 key");
		pki_cause_from_openssl(err);
	}
	return k;
}

static int add_san(X509_REQ *req, X509 *x, const struct pki_subject *subj, const char *cn)
{
	GENERAL_NAMES *gens;
	int ok = 1;

	/* a CSR always names its host in SAN too: clients ignore the CN
	 * (RFC 6125 section 6.4.4); pki selfsigned only when a list is given */
	if (subj->san == NULL && (x != NULL || cn == NULL))
		return 1;
	if ((gens = pki_subject_san(subj, cn)) == NULL)
		return subj->san == NULL; /* a CN that is no host name: no SAN */
	if (x != NULL) {
		ok = X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0, X509V3_ADD_DEFAULT) == 1;
	} else {
		STACK_OF(X509_EXTENSION) *exts = sk_X509_EXTENSION_new_null();
		X509_EXTENSION *e = X509V3_EXT_i2d(NID_subject_alt_name, 0, gens);
		ok = 0;
		if (exts != NULL && e != NULL && sk_X509_EXTENSION_push(exts, e)) {
			e = NULL; /* the stack owns it */
			ok = X509_REQ_add_extensions(req, exts); /* copies */
		}
		X509_EXTENSION_free(e);
		sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	}
	GENERAL_NAMES_free(gens);
	return ok;
}

/* The SAN of req as one INFO line when it holds an internationalised
 * name, which is shown in both forms (issue 11 class 5). */
static void san_summary(X509_REQ *req, struct report *r)
{
	STACK_OF(X509_EXTENSION) *exts = X509_REQ_get_extensions(req);
	GENERAL_NAMES *gens = NULL;
	BIO *b = NULL;
	char *data = NULL;
	long len;
	int i;

	for (i = 0; gens == NULL && i < sk_X509_EXTENSION_num(exts); i++)
		if (OBJ_obj2nid(X509_EXTENSION_get_object(sk_X509_EXTENSION_value(exts, i))) ==
		    NID_subject_alt_name)
			gens = X509V3_EXT_d2i(sk_X509_EXTENSION_value(exts, i));
	if (r != NULL && gens != NULL && (b = BIO_new(BIO_s_mem())) != NULL &&
	    pki_print_gens(b, gens) > 0 && (len = BIO_get_mem_data(b, &data)) > 0)
		report_add(r, REPORT_INFO, "Subject alt names: %.*s", (int)len, data);
	BIO_free(b);
	GENERAL_NAMES_free(gens);
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	pki_err_clear();
}

enum mmp_rc pki_csr(const struct store *s, const char *base, const struct pki_subject *subj,
		    int overwrite, struct report *r, struct mmp_err *err)
{
	EVP_PKEY *key = NULL;
	X509_REQ *req = NULL;
	X509_NAME *name = NULL;
	enum mmp_rc rc = MMP_ERR_INTERNAL;

	if ((rc = pki_subject_check(subj, 1, err)) != MMP_OK)
		return rc;
	if ((key = new_key(err)) == NULL)
		return MMP_ERR_INTERNAL;
	if ((req = X509_REQ_new()) == NULL || !X509_REQ_set_version(req, 0) ||
	    (name = pki_subject_name(subj, NULL)) == NULL || !X509_REQ_set_subject_name(req, name) ||
	    !X509_REQ_set_pubkey(req, key) || !add_san(req, NULL, subj, subj->cn) ||
	    !X509_REQ_sign(req, key, EVP_sha256())) {
		rc = mmp_err_set(err, MMP_ERR_INTERNAL, "cannot make the CSR %s.csr", base);
		pki_cause_from_openssl(err);
		goto out;
	}
	rc = write_pair(s, base, key, req, NULL, overwrite, err);
	if (rc == MMP_OK)
		san_summary(req, r);
out:
	X509_NAME_free(name);
	X509_REQ_free(req);
	EVP_PKEY_free(key);
	return rc;
}

/* One INFO line "<label>: <extension as OpenSSL prints it>" (escaped),
 * and the same text as kept[key] when kept is not NULL. */
static void ext_line_kept(X509_EXTENSION *e, const char *label, struct report *r, json_t *kept,
			  const char *key);

static void ext_line(X509_EXTENSION *e, const char *label, struct report *r)
{
	ext_line_kept(e, label, r, NULL, NULL);
}

static void ext_line_kept(X509_EXTENSION *e, const char *label, struct report *r, json_t *kept,
			  const char *key)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data = NULL, *text;
	long len;

	if (r != NULL && b != NULL && X509V3_EXT_print(b, e, 0, 0) == 1 &&
	    (len = BIO_get_mem_data(b, &data)) > 0 &&
	    (text = pki_escape_dup((const unsigned char *)data, (size_t)len)) != NULL) {
		report_add(r, REPORT_INFO, "%s: %s", label, text);
		if (kept != NULL)
			json_object_set_new(kept, key, json_string(text));
		free(text);
	}
	BIO_free(b);
	pki_err_clear();
}

enum mmp_rc pki_csr_from(const struct store *s, const char *base, const char *from,
			 int overwrite, struct report *r, struct mmp_err *err)
{
	static const int keep[] = { NID_subject_alt_name, NID_ext_key_usage };
	struct pki_file *f = NULL;
	EVP_PKEY *key = NULL;
	X509_REQ *req = NULL;
	X509 *leaf;
	STACK_OF(X509_EXTENSION) *exts = NULL;
	char subject[512];
	enum mmp_rc rc;
	size_t k;
	json_t *kept = NULL;

	if ((rc = pki_file_load(s, from, &f, err)) != MMP_OK)
		return rc;
	if ((rc = pki_file_expect(f, PKI_WANT_CERTS, err)) != MMP_OK) {
		/* "<file> is a private key (PEM), not a certificate ...": what
		 * it is, then the remedy of from: */
		char *cut = strstr(err->msg, ": check the file name");
		if (cut != NULL) {
			*cut = '\0';
			err->remedy_at = strlen(err->msg) + 2;
			snprintf(cut, sizeof(err->msg) - (size_t)(cut - err->msg),
				 ": from: takes the certificate to renew, e.g. the one a service uses (pki list marks them)");
		}
		err->code = "csr.from_not_certificate";
		goto out;
	}
	leaf = sk_X509_value(f->certs, (int)pki_file_leaf(f));
	{ /* the one certificate of a service: not a CA, not one of several */
		int i, leaves = 0;
		for (i = 0; i < sk_X509_num(f->certs); i++)
			leaves += X509_check_ca(sk_X509_value(f->certs, i)) == 0;
		pki_err_clear();
		pki_name_oneline(X509_get_subject_name(leaf), subject, sizeof(subject));
		if (leaves == 0) {
			rc = pki_err_is(mmp_err_set(err, MMP_ERR_RULE,
					 "%s holds CA certificates only (%s%s): from: renews the certificate of a service; a CA certificate is renewed by its CA, or made anew with pki selfsigned",
					 f->name, subject, sk_X509_num(f->certs) > 1 ? ", ..." : ""),
				  err, "csr.from_ca", f->name, 1, "from: renews");
			goto out;
		}
		if (leaves > 1) {
			rc = pki_err_is(mmp_err_set(err, MMP_ERR_RULE,
					 "%s holds %d certificates that are not CAs: from: takes the file of the one certificate to renew (pki inspect %s shows them)",
					 f->name, leaves, f->name),
				  err, "csr.from_several_leaves", f->name, 0, "from: takes");
			goto out;
		}
	}
	rc = MMP_ERR_INTERNAL;
	if ((key = new_key(err)) == NULL)
		goto out;
	if ((req = X509_REQ_new()) == NULL || !X509_REQ_set_version(req, 0) ||
	    !X509_REQ_set_subject_name(req, X509_get_subject_name(leaf)) ||
	    !X509_REQ_set_pubkey(req, key) || (exts = sk_X509_EXTENSION_new_null()) == NULL)
		goto fail;
	/* what the renewed certificate must keep (Cisco's Expressway
	 * renewal note: the same SANs and EKU), each extension as it is */
	for (k = 0; k < sizeof(keep) / sizeof(keep[0]); k++) {
		int at = X509_get_ext_by_NID(leaf, keep[k], -1);
		if (at >= 0 && !sk_X509_EXTENSION_push(exts, X509_get_ext(leaf, at)))
			goto fail;
	}
	if ((sk_X509_EXTENSION_num(exts) > 0 && !X509_REQ_add_extensions(req, exts)) ||
	    !X509_REQ_sign(req, key, EVP_sha256()))
		goto fail;
	if ((rc = write_pair(s, base, key, req, NULL, overwrite, err)) != MMP_OK)
		goto out;
	report_add(r, REPORT_INFO, "Subject from %s: %s", f->name, subject[0] ? subject : "(empty)");
	if (r != NULL && (kept = json_pack("{s:s, s:n, s:n}", "subject", subject, "subject_alt_name",
					   "extended_key_usage")) != NULL)
		json_object_set_new(report_data(r), "kept", kept);
	for (k = 0; k < (size_t)sk_X509_EXTENSION_num(exts); k++) {
		int san = OBJ_obj2nid(X509_EXTENSION_get_object(sk_X509_EXTENSION_value(exts, (int)k))) ==
			  NID_subject_alt_name;
		ext_line_kept(sk_X509_EXTENSION_value(exts, (int)k), san ? "Subject alt names" : "ExtendedKeyUsage",
			      r, kept, san ? "subject_alt_name" : "extended_key_usage");
	}
	if (X509_get_ext_by_NID(leaf, NID_subject_alt_name, -1) < 0)
		report_add(r, REPORT_INFO, "Subject alt names: none (%s has none)", f->name);
	goto out;
fail:
	rc = mmp_err_set(err, MMP_ERR_INTERNAL, "cannot make the CSR %s.csr", base);
	pki_cause_from_openssl(err);
out:
	sk_X509_EXTENSION_free(exts); /* the extensions are the leaf's */
	X509_REQ_free(req);
	EVP_PKEY_free(key);
	pki_file_free(f);
	return rc;
}

/* Fill a certificate's body; the caller adds extensions and signs. */
static int cert_body(X509 *x, const X509_NAME *subject, const X509_NAME *issuer, EVP_PKEY *pub,
		     time_t from, time_t to)
{
	return X509_set_version(x, 2) && random_serial(x) && X509_set_subject_name(x, subject) &&
	       X509_set_issuer_name(x, issuer) && X509_set_pubkey(x, pub) &&
	       ASN1_TIME_set(X509_getm_notBefore(x), from) != NULL &&
	       ASN1_TIME_set(X509_getm_notAfter(x), to) != NULL;
}

enum mmp_rc pki_selfsigned(const struct store *s, const char *base, const struct pki_subject *subj,
			   int overwrite, struct mmp_err *err)
{
	EVP_PKEY *key = NULL;
	X509 *x = NULL;
	X509_NAME *name = NULL;
	X509V3_CTX ctx;
	time_t now = pki_now();
	const char *cn = subj->cn ? subj->cn : base;
	enum mmp_rc rc = MMP_ERR_INTERNAL;

	if ((rc = pki_subject_check(subj, 0, err)) != MMP_OK)
		return rc;
	rc = MMP_ERR_INTERNAL;
	if ((key = new_key(err)) == NULL)
		return MMP_ERR_INTERNAL;
	if ((x = X509_new()) == NULL || (name = pki_subject_name(subj, base)) == NULL ||
	    !cert_body(x, name, name, key, now - 60, now + (time_t)SELFSIGNED_DAYS * 86400))
		goto fail;
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	/* guide §6: a CA for pki sign, and a test service certificate: no EKU
	 * (any use, guide §2.1 note) and KeyUsage for both roles of §2.2 */
	if (!add_ext(x, &ctx, NID_basic_constraints, "critical,CA:TRUE") ||
	    !add_ext(x, &ctx, NID_key_usage,
		     "critical,digitalSignature,keyEncipherment,keyCertSign,cRLSign") ||
	    !add_ext(x, &ctx, NID_subject_key_identifier, "hash") ||
	    !add_ext(x, &ctx, NID_authority_key_identifier, "keyid:always") ||
	    !add_san(NULL, x, subj, cn) || !X509_sign(x, key, EVP_sha256()))
		goto fail;
	rc = write_pair(s, base, key, NULL, x, overwrite, err);
	goto out;
fail:
	mmp_err_set(err, MMP_ERR_INTERNAL, "cannot make the certificate %s.crt", base);
	pki_cause_from_openssl(err);
out:
	X509_NAME_free(name);
	X509_free(x);
	EVP_PKEY_free(key);
	return rc;
}

/* Load <base>.<ext> and require a kind. */
static enum mmp_rc load_as(const struct store *s, const char *base, const char *ext, unsigned want,
			   struct pki_file **f, struct mmp_err *err)
{
	char name[STORE_NAME_MAX + 8];
	enum mmp_rc rc;

	snprintf(name, sizeof(name), "%s.%s", base, ext);
	if ((rc = pki_file_load(s, name, f, err)) != MMP_OK)
		return rc;
	if ((rc = pki_file_expect(*f, want, err)) != MMP_OK) {
		pki_file_free(*f);
		*f = NULL;
	}
	return rc;
}

/* guide §3.1.4, Appendix C: the CA files must come from pki selfsigned (or
 * be a CA of their own): a CA certificate, its key, valid now. */
static enum mmp_rc check_ca(const struct pki_file *cf, const struct pki_file *kf, time_t now,
			    struct mmp_err *err)
{
	X509 *ca = sk_X509_value(cf->certs, 0);
	char why[256];

	if (pki_rule_role(cf, 0, PKI_ROLE_CA, why, sizeof(why)) != 1 || X509_check_ca(ca) < 1)
		return pki_err_is(mmp_err_set(err, MMP_ERR_RULE,
				   "%s is not a CA certificate (%s): sign with a CA made by pki selfsigned (guide section 3.1.4)",
				   cf->name, X509_check_ca(ca) < 1 ? "basicConstraints CA:TRUE is missing" : why),
			  err, "cert.not_ca", cf->name, 1, "sign with");
	if (X509_check_private_key(ca, kf->key) != 1) {
		pki_err_clear();
		return pki_err_is(mmp_err_set(err, MMP_ERR_MISMATCH,
				   "%s is not the private key of %s: give the basename of a key and certificate made together",
				   kf->name, cf->name),
			  err, "key.mismatch", kf->name, 0, "give the");
	}
	if (X509_cmp_time(X509_get0_notAfter(ca), &now) <= 0 ||
	    X509_cmp_time(X509_get0_notBefore(ca), &now) > 0)
		return pki_err_is(mmp_err_set(err, MMP_ERR_RULE,
				   "%s is expired or not yet valid: make a new CA with pki selfsigned (guide section 5.3)",
				   cf->name),
			  err, "cert.expired", cf->name, 1, "make a new");
	return MMP_OK;
}

/* Copy what the CSR asks for of nid (NID_subject_alt_name,
 * NID_ext_key_usage), and only that; *had: the CSR asked for it. An INFO
 * line for an EKU kept (r may be NULL). */
static int copy_ext(X509 *x, X509_REQ *req, int nid, int *had, struct report *r)
{
	STACK_OF(X509_EXTENSION) *exts = X509_REQ_get_extensions(req);
	int i, ok = 1;

	*had = 0;
	for (i = 0; i < sk_X509_EXTENSION_num(exts) && !*had; i++) {
		X509_EXTENSION *e = sk_X509_EXTENSION_value(exts, i);
		if (OBJ_obj2nid(X509_EXTENSION_get_object(e)) != nid)
			continue;
		*had = 1;
		ok = X509_add_ext(x, e, -1);
		if (ok && nid == NID_ext_key_usage)
			ext_line(e, "ExtendedKeyUsage as the CSR asks", r);
	}
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	pki_err_clear();
	return ok;
}

/* Does the CSR ask for a subjectAltName? */
static int csr_has_san(X509_REQ *req)
{
	STACK_OF(X509_EXTENSION) *exts = X509_REQ_get_extensions(req);
	int i, has = 0;

	for (i = 0; i < sk_X509_EXTENSION_num(exts); i++)
		has |= OBJ_obj2nid(X509_EXTENSION_get_object(sk_X509_EXTENSION_value(exts, i))) ==
		       NID_subject_alt_name;
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	pki_err_clear();
	return has;
}

enum mmp_rc pki_sign(const struct store *s, const char *csr_base, const char *ca_base,
		     struct report *r, struct mmp_err *err)
{
	struct pki_file *csr = NULL, *cacrt = NULL, *cakey = NULL;
	X509 *x = NULL, *ca;
	EVP_PKEY *pub;
	X509V3_CTX ctx;
	time_t now = pki_now(), end;
	char name[STORE_NAME_MAX + 8];
	enum mmp_rc rc;
	int had_san, had_eku, empty_subject;

	if ((rc = load_as(s, csr_base, "csr", PKI_WANT(PKI_KIND_CSR), &csr, err)) != MMP_OK ||
	    (rc = load_as(s, ca_base, "crt", PKI_WANT(PKI_KIND_CERT), &cacrt, err)) != MMP_OK ||
	    (rc = load_as(s, ca_base, "key", PKI_WANT(PKI_KIND_KEY), &cakey, err)) != MMP_OK)
		goto out;
	if ((pub = X509_REQ_get0_pubkey(csr->csr)) == NULL || X509_REQ_verify(csr->csr, pub) != 1) {
		pki_err_clear();
		rc = pki_err_is(mmp_err_set(err, MMP_ERR_VERIFY,
				 "%s.csr: the CSR's signature does not verify (damaged or edited): make it again with pki csr",
				 csr_base),
			  err, "csr.signature", NULL, 0, "make it again");
		goto out;
	}
	if ((rc = check_ca(cacrt, cakey, now, err)) != MMP_OK)
		goto out;
	/* a certificate names what it is for: its subject or its SAN */
	empty_subject = X509_NAME_entry_count(X509_REQ_get_subject_name(csr->csr)) == 0;
	if (empty_subject && !csr_has_san(csr->csr)) {
		rc = pki_err_is(mmp_err_set(err, MMP_ERR_RULE,
				 "%s.csr names nothing: its subject is empty and it asks for no subjectAltName, so no client could tell what the certificate is for: make it again with pki csr %s CN:<fqdn> (guide section 3.1)",
				 csr_base, csr_base),
			  err, "csr.no_name", NULL, 0, "make it again");
		goto out;
	}
	ca = sk_X509_value(cacrt->certs, 0);
	end = now - 60 + (time_t)SIGNED_DAYS * 86400; /* 398 days from notBefore */
	{ /* never outlive the CA */
		int days = 0, secs = 0;
		ASN1_TIME *t = ASN1_TIME_set(NULL, end);
		if (t != NULL && ASN1_TIME_diff(&days, &secs, X509_get0_notAfter(ca), t) &&
		    (days > 0 || secs > 0))
			end -= (time_t)days * 86400 + secs;
		ASN1_TIME_free(t);
	}
	rc = MMP_ERR_INTERNAL;
	if ((x = X509_new()) == NULL ||
	    !cert_body(x, X509_REQ_get_subject_name(csr->csr), X509_get_subject_name(ca), pub,
		       now - 60, end))
		goto fail;
	X509V3_set_ctx(&ctx, ca, x, NULL, NULL, 0);
	/* guide §2.1 Tables 2-3, §2.2: client and server use, never a CA;
	 * the EKU a CSR asks for is kept (a renewal, pki csr from:, keeps
	 * the old certificate's: Cisco's Expressway renewal note) */
	if (!add_ext(x, &ctx, NID_basic_constraints, "critical,CA:FALSE") ||
	    !add_ext(x, &ctx, NID_key_usage, "critical,digitalSignature,keyEncipherment") ||
	    !copy_ext(x, csr->csr, NID_ext_key_usage, &had_eku, r) ||
	    (!had_eku && !add_ext(x, &ctx, NID_ext_key_usage, "serverAuth,clientAuth")) ||
	    !add_ext(x, &ctx, NID_subject_key_identifier, "hash") ||
	    !add_ext(x, &ctx, NID_authority_key_identifier, "keyid,issuer") ||
	    !copy_ext(x, csr->csr, NID_subject_alt_name, &had_san, NULL))
		goto fail;
	if (empty_subject) { /* RFC 5280 4.2.1.6: then the SAN is critical */
		X509_EXTENSION *san = X509_get_ext(x, X509_get_ext_by_NID(x, NID_subject_alt_name, -1));
		if (san == NULL || !X509_EXTENSION_set_critical(san, 1))
			goto fail;
	}
	if (!X509_sign(x, cakey->key, EVP_sha256()))
		goto fail;
	snprintf(name, sizeof(name), "%s.crt", csr_base);
	rc = write_pem(s, name, NULL, NULL, x, 0, err);
	goto out;
fail:
	mmp_err_set(err, MMP_ERR_INTERNAL, "cannot make the certificate %s.crt", csr_base);
	pki_cause_from_openssl(err);
out:
	X509_free(x);
	pki_file_free(csr);
	pki_file_free(cacrt);
	pki_file_free(cakey);
	return rc;
}

enum mmp_rc pki_match(const struct store *s, const char *key_name, const char *cert_name,
		      struct mmp_err *err)
{
	struct pki_file *kf = NULL, *cf = NULL;
	char subj[256];
	enum mmp_rc rc;
	int i;

	if ((rc = pki_file_load(s, key_name, &kf, err)) != MMP_OK ||
	    (rc = pki_file_expect(kf, PKI_WANT(PKI_KIND_KEY), err)) != MMP_OK ||
	    (rc = pki_file_load(s, cert_name, &cf, err)) != MMP_OK ||
	    (rc = pki_file_expect(cf, PKI_WANT_CERTS, err)) != MMP_OK)
		goto out;
	/* a file of several certificates: say which one the key is for */
	if ((i = pki_key_cert_index(kf, cf)) > 0) {
		pki_name_oneline(X509_get_subject_name(sk_X509_value(cf->certs, i)), subj, sizeof(subj));
		rc = mmp_err_set(err, MMP_ERR_MISMATCH,
				 "Key and certificate problem: %s is the private key of certificate %d (%s) of %s, not of its first certificate: a certificate file starts with the certificate of its key; put certificate %d first (a full chain: the leaf, then each issuer, the root last; guide section 1.2.4) or give the file that holds that certificate",
				 key_name, i + 1, subj, cert_name, i + 1);
	} else if (i < 0) {
		rc = mmp_err_set(err, MMP_ERR_MISMATCH,
				 "Key and certificate problem: certificate and key do not match: %s is not the private key of %s; find the key made with this certificate's CSR (guide section 4.3)",
				 key_name, cert_name);
	}
out:
	pki_file_free(kf);
	pki_file_free(cf);
	return rc;
}

enum mmp_rc pki_summary(const struct store *s, struct report *r, struct mmp_err *err)
{
	size_t n, i, count[PKI_KIND_CRL + 1] = { 0 };
	char **names;
	enum mmp_rc rc;

	if ((rc = store_list(s, &names, &n, err)) != MMP_OK)
		return rc;
	for (i = 0; i < n; i++) {
		struct pki_file *f;
		struct mmp_err e2;
		if (pki_file_load(s, names[i], &f, &e2) != MMP_OK) {
			count[PKI_KIND_UNKNOWN]++;
			continue;
		}
		count[f->kind]++;
		pki_file_free(f);
	}
	store_list_free(names);
	{
		json_t *c = json_object();
		json_object_set_new(c, "total", json_integer((json_int_t)n));
		json_object_set_new(c, "private_keys", json_integer((json_int_t)(count[PKI_KIND_KEY] + count[PKI_KIND_LOCKED_KEY])));
		json_object_set_new(c, "locked_keys", json_integer((json_int_t)count[PKI_KIND_LOCKED_KEY]));
		json_object_set_new(c, "certificates", json_integer((json_int_t)count[PKI_KIND_CERT]));
		json_object_set_new(c, "bundles", json_integer((json_int_t)count[PKI_KIND_BUNDLE]));
		json_object_set_new(c, "csrs", json_integer((json_int_t)count[PKI_KIND_CSR]));
		json_object_set_new(c, "pkcs12", json_integer((json_int_t)count[PKI_KIND_PKCS12]));
		json_object_set_new(c, "ssh_public_keys", json_integer((json_int_t)count[PKI_KIND_SSH_PUBKEY]));
		json_object_set_new(c, "crls", json_integer((json_int_t)count[PKI_KIND_CRL]));
		json_object_set_new(c, "other", json_integer((json_int_t)(count[PKI_KIND_UNKNOWN] + count[PKI_KIND_EMPTY] +
							   count[PKI_KIND_PUBLIC_KEY] + count[PKI_KIND_FOREIGN_KEY])));
		json_object_set_new(report_data(r), "counts", c);
	}
	report_add(r, REPORT_INFO,
		   "Files: %zu in all: %zu private keys (%zu locked), %zu certificates, %zu bundles, %zu CSRs, %zu PKCS#12, %zu SSH public keys, %zu revocation lists, %zu other",
		   n, count[PKI_KIND_KEY] + count[PKI_KIND_LOCKED_KEY], count[PKI_KIND_LOCKED_KEY],
		   count[PKI_KIND_CERT], count[PKI_KIND_BUNDLE], count[PKI_KIND_CSR],
		   count[PKI_KIND_PKCS12], count[PKI_KIND_SSH_PUBKEY], count[PKI_KIND_CRL],
		   count[PKI_KIND_UNKNOWN] + count[PKI_KIND_EMPTY] + count[PKI_KIND_PUBLIC_KEY] +
			   count[PKI_KIND_FOREIGN_KEY]);
	return MMP_OK;
}

/* A value as pki csr takes it: printable ASCII without blanks, quotes or
 * commas (a host name or an IP address); 0 when not. */
static int plain_value(const unsigned char *p, int len)
{
	int i;

	for (i = 0; i < len; i++)
		if (p[i] <= ' ' || p[i] >= 0x7f || p[i] == '"' || p[i] == '\'' || p[i] == ',' ||
		    p[i] == '\\')
			return 0;
	return len > 0;
}

int pki_csr_line(const struct pki_file *f, size_t i, const char *base, char *buf, size_t size)
{
	if (size == 0 || i >= pki_file_cert_count(f))
		return 0;
	return pki_csr_line_x509(sk_X509_value(f->certs, (int)i), base, buf, size);
}

int pki_csr_line_x509(X509 *x, const char *base, char *buf, size_t size)
{
	const X509_NAME *n;
	GENERAL_NAMES *gens;
	int at, k, len = 0, names = 0;
	size_t used;

	if (size == 0)
		return 0;
	n = X509_get_subject_name(x);
	at = X509_NAME_get_index_by_NID(n, NID_commonName, -1);
	if (at >= 0) {
		const ASN1_STRING *cn = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, at));
		if (!plain_value(ASN1_STRING_get0_data(cn), ASN1_STRING_length(cn)))
			return 0;
		len = snprintf(buf, size, "pki csr %s CN:%.*s", base, ASN1_STRING_length(cn),
			       (const char *)ASN1_STRING_get0_data(cn));
	} else {
		return 0;
	}
	gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	for (k = 0; gens != NULL && k < sk_GENERAL_NAME_num(gens); k++) {
		GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, k);
		char ip[64] = "";
		const unsigned char *p = NULL;
		int l = 0;

		if (g->type == GEN_DNS) {
			p = ASN1_STRING_get0_data(g->d.dNSName);
			l = ASN1_STRING_length(g->d.dNSName);
			if (l > 1 && p[l - 1] == '.')
				l--; /* no final dot: RFC 5280 section 4.2.1.6, browsers miss it */
		} else if (g->type == GEN_IPADD) {
			const unsigned char *a = ASN1_STRING_get0_data(g->d.iPAddress);
			int al = ASN1_STRING_length(g->d.iPAddress);
			if (al == 4)
				snprintf(ip, sizeof(ip), "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
			else if (al == 16)
				inet_ntop(AF_INET6, a, ip, sizeof(ip));
			p = (const unsigned char *)ip;
			l = (int)strlen(ip);
		} else {
			continue; /* email and others: pki csr takes them, rarely on a server */
		}
		if (!plain_value(p, l)) {
			GENERAL_NAMES_free(gens);
			return 0;
		}
		used = (size_t)len;
		if (used < size)
			len += snprintf(buf + used, size - used, "%s%.*s", names++ ? "," : " subjectAltName:", l,
					(const char *)p);
	}
	GENERAL_NAMES_free(gens);
	pki_err_clear();
	return len > 0 && (size_t)len < size;
}
