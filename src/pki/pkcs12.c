/*
 * pkcs12.c: pki pkcs12-extract (issue 11 class 3): split a PKCS#12 file
 * (.pfx/.p12 from Windows, any name) into the three files a service takes:
 * <basename>.key, <basename>.crt (the certificate of that key) and
 * <basename>-bundle.crt (its CA certificates, leaf side first, root last).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "internal.h"

#define EXT_KEY ".key"
#define EXT_CRT ".crt"
#define EXT_BUNDLE "-bundle.crt"

static void out_name(char *buf, size_t size, const char *base, const char *ext)
{
	snprintf(buf, size, "%s%s", base, ext);
}

/* "CN" of x, escaped as pki_name_oneline escapes; "(no CN)" without one. */
static void cert_cn(X509 *x, char *buf, size_t size)
{
	X509_NAME *n = X509_NAME_new(), *subj = X509_get_subject_name(x);
	int pos = -1;

	while (n != NULL && (pos = X509_NAME_get_index_by_NID(subj, NID_commonName, pos)) >= 0)
		X509_NAME_add_entry(n, X509_NAME_get_entry(subj, pos), -1, 0);
	if (n == NULL || X509_NAME_entry_count(n) == 0) {
		snprintf(buf, size, "(no CN)");
	} else {
		char one[256];
		pki_name_oneline(n, one, sizeof(one));
		snprintf(buf, size, "%s", strncmp(one, "CN = ", 5) == 0 ? one + 5 : one);
	}
	X509_NAME_free(n);
	pki_err_clear();
}

enum mmp_rc pki_pkcs12_extract_check(const struct store *s, const char *file, const char *base,
				     struct mmp_err *err)
{
	static const char *const exts[] = { EXT_KEY, EXT_CRT, EXT_BUNDLE };
	struct pki_file *f = NULL;
	char name[STORE_NAME_MAX + 16];
	enum mmp_rc rc;
	size_t i;

	if ((rc = store_check_basename(base, err)) != MMP_OK ||
	    (rc = pki_file_load(s, file, &f, err)) != MMP_OK)
		return rc;
	rc = f->kind == PKI_KIND_PKCS12
		     ? MMP_OK
		     : mmp_err_set(err, MMP_ERR_FORMAT,
				   "%s is %s, not a PKCS#12 file (.pfx/.p12): pki pkcs12-extract reads only PKCS#12; see pki inspect %s",
				   file, pki_kind_describe(f, name, sizeof(name)), file);
	pki_file_free(f);
	if (rc != MMP_OK)
		return rc;
	/* SPEC §4: a file is never overwritten silently; ask nothing first */
	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		out_name(name, sizeof(name), base, exts[i]);
		if ((rc = store_check_name(name, STORE_ANY, err)) != MMP_OK)
			return rc;
		if (store_exists(s, name))
			return mmp_err_set(err, MMP_ERR_EXIST,
					   "%s already exists and pki pkcs12-extract never replaces a file: choose another basename, or remove %s first (sftp rm %s)",
					   name, name, name);
	}
	return MMP_OK;
}

/* Open p12 with the password: key, every certificate (cert first if any),
 * or err set. PKCS12_parse tries NULL and "" for an empty password (the
 * two are different PKCS#12 passwords; Windows and OpenSSL use both). */
static enum mmp_rc p12_open(const struct pki_file *f, const char *password, EVP_PKEY **key,
			    STACK_OF(X509) **certs, struct mmp_err *err)
{
	X509 *x = NULL;
	STACK_OF(X509) *ca = NULL;
	int mac_ok = !PKCS12_mac_present(f->p12) ||
		     PKCS12_verify_mac(f->p12, password, -1) ||
		     (password[0] == '\0' && PKCS12_verify_mac(f->p12, NULL, 0));

	if (!mac_ok) {
		pki_err_clear();
		return mmp_err_set(err, MMP_ERR_PASSWORD,
				   "the password is wrong: %s was not opened and nothing was written; type the password the PKCS#12 was exported with",
				   f->name);
	}
	if (!PKCS12_parse(f->p12, password, key, &x, &ca)) {
		mmp_err_set(err, PKCS12_mac_present(f->p12) ? MMP_ERR_FORMAT : MMP_ERR_PASSWORD,
			    "%s cannot be decrypted (%s): nothing was written",
			    f->name, PKCS12_mac_present(f->p12)
					     ? "a cipher this system does not support, or a damaged file"
					     : "the password is wrong, or a cipher this system does not support");
		pki_cause_from_openssl(err);
		return err->rc;
	}
	if (ca == NULL)
		ca = sk_X509_new_null();
	if (ca == NULL || (x != NULL && !sk_X509_insert(ca, x, 0))) {
		X509_free(x);
		sk_X509_pop_free(ca, X509_free);
		EVP_PKEY_free(*key);
		*key = NULL;
		return mmp_err_set(err, MMP_ERR_NOMEM, "%s: out of memory", f->name);
	}
	*certs = ca;
	pki_err_clear();
	return MMP_OK;
}

/* Index of the certificate whose public key is key's, or -1 (RFC 7292
 * gives no order: Windows puts the CA certificates first at times). */
static int matching_cert(STACK_OF(X509) *certs, EVP_PKEY *key)
{
	int i;

	for (i = 0; i < sk_X509_num(certs); i++) {
		EVP_PKEY *pub = X509_get0_pubkey(sk_X509_value(certs, i));
		if (pub != NULL && EVP_PKEY_eq(pub, key) == 1) {
			pki_err_clear();
			return i;
		}
	}
	pki_err_clear();
	return -1;
}

/* Does issuer issue cert (names, key identifiers and the signature)? */
static int issued(X509 *cert, X509 *issuer)
{
	int ok = X509_check_issued(issuer, cert) == X509_V_OK &&
		 X509_verify(cert, X509_get0_pubkey(issuer)) == 1;

	pki_err_clear();
	return ok;
}

/* Move into chain, from pool, the issuer of leaf, then its issuer, ...:
 * the order of guide §1.2.4 (leaf side first, root last), built from the
 * issuer/subject links and signatures, never from the file order. What
 * stays in pool is on no path from the leaf. */
static int build_chain(X509 *leaf, STACK_OF(X509) *pool, STACK_OF(X509) *chain)
{
	X509 *cur = leaf;
	int i;

	while (X509_check_issued(cur, cur) != X509_V_OK) { /* a root ends it */
		for (i = 0; i < sk_X509_num(pool); i++)
			if (issued(cur, sk_X509_value(pool, i)))
				break;
		if (i == sk_X509_num(pool))
			break;
		cur = sk_X509_delete(pool, i);
		if (!sk_X509_push(chain, cur)) {
			X509_free(cur);
			return 0;
		}
	}
	pki_err_clear();
	return 1;
}

static BIO *mem_bio(void)
{
	BIO *b = BIO_new(BIO_s_secmem());

	return b != NULL ? b : BIO_new(BIO_s_mem());
}

/* Write the three files; on a failure, remove those already written. */
static enum mmp_rc write_all(const struct store *s, const char *base, EVP_PKEY *key, X509 *cert,
			     STACK_OF(X509) *chain, struct mmp_err *err)
{
	char names[3][STORE_NAME_MAX + 16];
	BIO *b[3] = { mem_bio(), mem_bio(), mem_bio() };
	int i, ok, done = 0, n = sk_X509_num(chain) > 0 ? 3 : 2;
	enum mmp_rc rc = MMP_OK;

	out_name(names[0], sizeof(names[0]), base, EXT_KEY);
	out_name(names[1], sizeof(names[1]), base, EXT_CRT);
	out_name(names[2], sizeof(names[2]), base, EXT_BUNDLE);
	/* unencrypted PKCS#8 PEM, as pki unlock writes a key */
	ok = b[0] != NULL && b[1] != NULL && b[2] != NULL &&
	     PEM_write_bio_PrivateKey(b[0], key, NULL, NULL, 0, NULL, NULL) &&
	     PEM_write_bio_X509(b[1], cert);
	for (i = 0; ok && i < sk_X509_num(chain); i++)
		ok = PEM_write_bio_X509(b[2], sk_X509_value(chain, i));
	if (!ok) {
		rc = mmp_err_set(err, MMP_ERR_INTERNAL, "%s: cannot encode the key or a certificate: nothing was written",
				 base);
		pki_cause_from_openssl(err);
	}
	/* SPEC §4: atomic, never replacing; the key 0600, certificates 0644 */
	for (i = 0; rc == MMP_OK && i < n; i++, done++)
		rc = pki_store_bio(s, names[i], b[i], STORE_W_NOREPLACE | (i == 0 ? STORE_W_PRIVATE : 0),
				   err);
	if (rc != MMP_OK)
		for (i = done - 1; i >= 0; i--) {
			struct mmp_err ignored;
			store_remove(s, names[i], &ignored);
		}
	for (i = 0; i < 3; i++)
		BIO_free(b[i]);
	return rc;
}

/* What the files hold, as SUCCESS and WARNING lines. */
static void tell(const char *file, const char *base, X509 *cert, STACK_OF(X509) *chain,
		 STACK_OF(X509) *left, struct report *r)
{
	char cn[256], issuer[256];
	int i, n = sk_X509_num(chain);
	X509 *top = n > 0 ? sk_X509_value(chain, n - 1) : cert;

	cert_cn(cert, cn, sizeof(cn));
	report_add(r, REPORT_SUCCESS, "%s%s holds the private key of %s (unencrypted, mode 0600)", base,
		   EXT_KEY, file);
	report_add(r, REPORT_SUCCESS, "%s%s holds the certificate of that key (CN %s)", base, EXT_CRT,
		   cn);
	if (n > 0)
		report_add(r, REPORT_SUCCESS,
			   "%s%s holds its %d CA certificate%s, in chain order: the issuer of %s%s first, %s last",
			   base, EXT_BUNDLE, n, n == 1 ? "" : "s", base, EXT_CRT,
			   X509_check_issued(top, top) == X509_V_OK ? "the root" : "the highest one the file holds");
	if (X509_check_issued(top, top) != X509_V_OK) {
		pki_name_oneline(X509_get_issuer_name(top), issuer, sizeof(issuer));
		if (n > 0)
			report_add(r, REPORT_WARNING,
				   "%s does not hold the certificate of %s, the issuer of its last CA certificate: get it from the CA and add it at the end of %s%s (guide section 1.2.4)",
				   file, issuer, base, EXT_BUNDLE);
		else
			report_add(r, REPORT_WARNING,
				   "%s holds no CA certificate: get the certificates of the issuer %s and above from the CA and upload them, leaf side first, root last, as %s%s (guide section 1.2.4)",
				   file, issuer, base, EXT_BUNDLE);
	} else if (n == 0) {
		report_add(r, REPORT_SUCCESS, "%s%s is self-signed: it needs no CA bundle, so no %s%s was written",
			   base, EXT_CRT, base, EXT_BUNDLE);
	}
	for (i = 0; i < sk_X509_num(left); i++) {
		cert_cn(sk_X509_value(left, i), cn, sizeof(cn));
		report_add(r, REPORT_WARNING,
			   "%s: certificate CN %s is not in the chain of %s%s: it was left out of %s%s",
			   file, cn, base, EXT_CRT, base, EXT_BUNDLE);
	}
	pki_err_clear();
}

enum mmp_rc pki_pkcs12_extract(const struct store *s, const char *file, const char *base,
			       const char *password, struct report *r, struct mmp_err *err)
{
	struct pki_file *f = NULL;
	EVP_PKEY *key = NULL;
	STACK_OF(X509) *certs = NULL, *chain = sk_X509_new_null();
	X509 *cert = NULL;
	enum mmp_rc rc;
	int idx;

	if (chain == NULL)
		return mmp_err_set(err, MMP_ERR_NOMEM, "%s: out of memory", file);
	if ((rc = pki_init_legacy(err)) != MMP_OK || /* RC2/3DES from Windows */
	    (rc = pki_pkcs12_extract_check(s, file, base, err)) != MMP_OK ||
	    (rc = pki_file_load(s, file, &f, err)) != MMP_OK ||
	    (rc = p12_open(f, password, &key, &certs, err)) != MMP_OK)
		goto out;
	if (key == NULL) {
		rc = mmp_err_set(err, MMP_ERR_FORMAT,
				 "%s holds no private key (%d certificate%s only): export it again with its private key (Windows: \"Yes, export the private key\")",
				 file, sk_X509_num(certs), sk_X509_num(certs) == 1 ? "" : "s");
		goto out;
	}
	if ((idx = matching_cert(certs, key)) < 0 && sk_X509_num(certs) == 0) {
		rc = mmp_err_set(err, MMP_ERR_FORMAT,
				 "%s holds a private key but no certificate: export it again with the certificate of this key",
				 file);
		goto out;
	}
	if (idx < 0) {
		rc = mmp_err_set(err, MMP_ERR_MISMATCH,
				 "%s holds a private key but no certificate that matches it (%d other certificate%s): export it again with the certificate of this key",
				 file, sk_X509_num(certs), sk_X509_num(certs) == 1 ? "" : "s");
		goto out;
	}
	cert = sk_X509_delete(certs, idx);
	if (!build_chain(cert, certs, chain)) {
		rc = mmp_err_set(err, MMP_ERR_NOMEM, "%s: out of memory", file);
		goto out;
	}
	if ((rc = write_all(s, base, key, cert, chain, err)) == MMP_OK)
		tell(file, base, cert, chain, certs, r);
out:
	X509_free(cert);
	sk_X509_pop_free(certs, X509_free);
	sk_X509_pop_free(chain, X509_free);
	EVP_PKEY_free(key);
	pki_file_free(f);
	return rc;
}
