/*
 * unlock.c: pki unlock and pki pkcs12-to-ssh (guide Appendix C): decrypt a
 * password-protected key (legacy PEM or PKCS#8, PEM or DER) or a PKCS#12
 * file with the password the shell asked for, and replace the file
 * atomically. A wrong password changes nothing.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "internal.h"
#include "ssh/pubkey.h"

/* Decrypt the key of a file classified PKI_KIND_LOCKED_KEY: NULL when the
 * password is wrong (or the file is damaged: the two look the same). */
static EVP_PKEY *decrypt_key(const struct pki_file *f, const char *password)
{
	EVP_PKEY *k = NULL;

	if (f->enc == PKI_ENC_PEM) {
		/* the first private key block; with cb NULL, u is the password
		 * (PEM_read_bio_PrivateKey(3)); legacy and PKCS#8 alike */
		BIO *b = BIO_new_mem_buf(f->raw, (int)f->raw_len);
		if (b != NULL)
			k = PEM_read_bio_PrivateKey(b, NULL, NULL, (void *)password);
		BIO_free(b);
	} else {
		/* DER: an EncryptedPrivateKeyInfo (RFC 5208 section 6) */
		const unsigned char *p = f->raw;
		X509_SIG *sig = d2i_X509_SIG(NULL, &p, (long)f->raw_len);
		PKCS8_PRIV_KEY_INFO *p8 =
		    sig != NULL ? PKCS8_decrypt(sig, password, (int)strlen(password)) : NULL;

		if (p8 != NULL)
			k = EVP_PKCS82PKEY(p8);
		PKCS8_PRIV_KEY_INFO_free(p8); /* OpenSSL wipes the key bytes */
		X509_SIG_free(sig);
	}
	pki_err_clear();
	return k;
}

/* The key as unencrypted PKCS#8, DER or PEM, in secure memory (wiped when
 * freed); NULL on failure. */
static BIO *key_bio(EVP_PKEY *k, int der)
{
	BIO *b = BIO_new(BIO_s_secmem());

	if (b == NULL)
		b = BIO_new(BIO_s_mem());
	if (b != NULL && !(der ? i2d_PKCS8PrivateKey_bio(b, k, NULL, NULL, 0, NULL, NULL)
			       : PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL))) {
		BIO_free(b);
		b = NULL;
	}
	return b;
}

enum mmp_rc pki_unlock(const struct store *s, const char *key_name, const char *password,
		       struct mmp_err *err)
{
	struct pki_file *f = NULL;
	EVP_PKEY *k = NULL;
	BIO *pem = NULL;
	enum mmp_rc rc;

	if ((rc = pki_init_legacy(err)) != MMP_OK || /* old ciphers */
	    (rc = store_check_name(key_name, STORE_KEY, err)) != MMP_OK ||
	    (rc = pki_file_load(s, key_name, &f, err)) != MMP_OK ||
	    (rc = pki_file_expect(f, PKI_WANT(PKI_KIND_LOCKED_KEY), err)) != MMP_OK)
		goto out;
	if ((k = decrypt_key(f, password)) == NULL) {
		rc = mmp_err_set(err, MMP_ERR_PASSWORD, "wrong password for %s: nothing was changed",
				 key_name);
		goto out;
	}
	/* issue 11: the file keeps its encoding; DER is unencrypted PKCS#8
	 * (RFC 5208 section 5), as openssl pkcs8 -topk8 -nocrypt writes it */
	if ((pem = key_bio(k, f->enc == PKI_ENC_DER)) == NULL) {
		rc = mmp_err_set(err, MMP_ERR_INTERNAL, "%s: cannot encode the unlocked key: nothing was changed",
				 key_name);
		pki_cause_from_openssl(err);
		goto out;
	}
	/* SPEC §4: keys are written atomically, mode 0600 */
	rc = pki_store_bio(s, key_name, pem, STORE_W_PRIVATE, err);
out:
	BIO_free(pem);
	EVP_PKEY_free(k);
	pki_file_free(f);
	return rc;
}

/* Open the PKCS#12 with the password: its private key, or NULL with err
 * set (wrong password, no private key inside, unsupported cipher). */
static EVP_PKEY *p12_key(const struct pki_file *f, const char *password, struct mmp_err *err)
{
	EVP_PKEY *k = NULL;
	X509 *x = NULL;
	STACK_OF(X509) *ca = NULL;
	int mac_ok;

	if (pki_p12_rounds_ok(f, password, err) != MMP_OK)
		return NULL;
	mac_ok = !PKCS12_mac_present(f->p12) ||
		     PKCS12_verify_mac(f->p12, password, (int)strlen(password)) ||
		     (password[0] == '\0' && PKCS12_verify_mac(f->p12, NULL, 0));

	if (!mac_ok) {
		pki_err_clear();
		mmp_err_set(err, MMP_ERR_PASSWORD, "wrong password for %s: nothing was changed", f->name);
		return NULL;
	}
	if (!PKCS12_parse(f->p12, password, &k, &x, &ca)) {
		mmp_err_set(err, PKCS12_mac_present(f->p12) ? MMP_ERR_FORMAT : MMP_ERR_PASSWORD,
			    "%s cannot be decrypted (wrong password, or a cipher this system does not support): nothing was changed",
			    f->name);
		pki_cause_from_openssl(err);
		return NULL;
	}
	X509_free(x);
	sk_X509_pop_free(ca, X509_free);
	if (k == NULL)
		mmp_err_set(err, MMP_ERR_FORMAT,
			    "%s holds no private key, so no SSH key can be taken from it: export the PKCS#12 again with its private key",
			    f->name);
	pki_err_clear();
	return k;
}

/* The OpenSSH line of key k, comment = user, via libssh (src/ssh/). */
static enum mmp_rc ssh_line(EVP_PKEY *k, const char *user, char **line, struct mmp_err *err)
{
	BIO *pem = key_bio(k, 0);
	char *data;
	long len;
	enum mmp_rc rc;

	*line = NULL;
	if (pem == NULL || BIO_write(pem, "", 1) != 1 || (len = BIO_get_mem_data(pem, &data)) <= 0) {
		BIO_free(pem);
		return mmp_err_set(err, MMP_ERR_INTERNAL, "cannot encode the key of %s.pub", user);
	}
	rc = sshd_pubkey_line_from_pem(data, user, line, err);
	BIO_free(pem);
	return rc;
}

enum mmp_rc pki_pkcs12_to_ssh(const struct store *s, const char *user, const char *password,
			      struct mmp_err *err)
{
	char name[STORE_NAME_MAX + 8], *line = NULL;
	struct pki_file *f = NULL;
	EVP_PKEY *k = NULL;
	enum mmp_rc rc;

	snprintf(name, sizeof(name), "%s.pub", user);
	if ((rc = pki_init_legacy(err)) != MMP_OK || /* RC2/3DES PKCS#12 */
	    (rc = store_check_basename(user, err)) != MMP_OK ||
	    (rc = pki_file_load(s, name, &f, err)) != MMP_OK)
		goto out;
	if (f->kind == PKI_KIND_SSH_PUBKEY) {
		rc = mmp_err_set(err, MMP_ERR_FORMAT,
				 "%s already holds an OpenSSH public key (%s): nothing to convert",
				 name, f->ssh_type);
		goto out;
	}
	if ((rc = pki_file_expect(f, PKI_WANT(PKI_KIND_PKCS12), err)) != MMP_OK)
		goto out;
	if ((k = p12_key(f, password, err)) == NULL) {
		rc = err->rc;
		goto out;
	}
	if ((rc = ssh_line(k, user, &line, err)) != MMP_OK) {
		size_t l = strlen(err->msg);
		snprintf(err->msg + l, sizeof(err->msg) - l, ": %s was not changed", name);
		goto out;
	}
	/* a public key: mode 0644, replaced atomically (SPEC §4) */
	rc = store_write(s, name, line, strlen(line), 0, err);
out:
	free(line);
	EVP_PKEY_free(k);
	pki_file_free(f);
	return rc;
}
