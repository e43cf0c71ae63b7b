/*
 * file.c: what a loaded file is, in words, and the check that a command
 * got the kind of file it needs (with what to do when it did not).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/provider.h>

#include "internal.h"

static OSSL_PROVIDER *prov_default, *prov_legacy;
static EVP_MD *sha256; /* fetched once: EVP_sha256() is fetched again on every use */

enum mmp_rc pki_init(struct mmp_err *err)
{
	if (prov_default != NULL)
		return MMP_OK;
	/* The system's openssl.cnf is not read: mmp's checks do not change
	 * with a machine's OpenSSL settings, and reading it was 1.7 M of the
	 * 8.5 M instructions of a start-up (issue 6). OpenSSL's core is set
	 * up here, at start-up, not by the first command that needs it: an
	 * allocation that fails inside that set-up leaves OpenSSL 3.0 with a
	 * NULL lock it later takes (found by tests/faults). */
	if (!OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL) ||
	    (prov_default = OSSL_PROVIDER_load(NULL, "default")) == NULL)
		return mmp_err_set(err, MMP_ERR_INTERNAL, "cannot load OpenSSL's default provider");
	return MMP_OK;
}

enum mmp_rc pki_init_legacy(struct mmp_err *err)
{
	enum mmp_rc rc;

	if (prov_legacy != NULL)
		return MMP_OK;
	if ((rc = pki_init(err)) != MMP_OK)
		return rc;
	/* PKCS#12 files from Windows use RC2/3DES, old keys DES: without the
	 * legacy provider those alone fail to decrypt, with a clear message */
	prov_legacy = OSSL_PROVIDER_load(NULL, "legacy");
	return MMP_OK;
}

const EVP_MD *pki_sha256(void)
{
	if (sha256 == NULL)
		sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	pki_err_clear();
	return sha256 != NULL ? sha256 : EVP_sha256();
}

void pki_cleanup(void)
{
	pki_roots_free();
	EVP_MD_free(sha256);
	sha256 = NULL;
	pki_cache_free();
	if (prov_legacy != NULL)
		OSSL_PROVIDER_unload(prov_legacy);
	if (prov_default != NULL)
		OSSL_PROVIDER_unload(prov_default);
	prov_legacy = prov_default = NULL;
}

time_t pki_now(void)
{
	return time(NULL);
}

enum pki_kind pki_file_kind(const struct pki_file *f)
{
	return f->kind;
}

enum pki_encoding pki_file_encoding(const struct pki_file *f)
{
	return f->enc;
}

const char *pki_file_name(const struct pki_file *f)
{
	return f->name;
}

int pki_file_is_pkcs7(const struct pki_file *f)
{
	return f->pkcs7;
}

size_t pki_file_cert_count(const struct pki_file *f)
{
	return (size_t)sk_X509_num(f->certs);
}

const char *pki_kind_describe(const struct pki_file *f, char *buf, size_t size)
{
	const char *enc = f->enc == PKI_ENC_PEM ? "PEM" : f->enc == PKI_ENC_DER ? "DER" : "";
	size_t n = pki_file_cert_count(f);

	switch (f->kind) {
	case PKI_KIND_EMPTY:
		snprintf(buf, size, "an empty file");
		break;
	case PKI_KIND_KEY:
		snprintf(buf, size, "a private key (%s)", enc);
		break;
	case PKI_KIND_LOCKED_KEY:
		snprintf(buf, size, "a password-protected private key (%s)", enc);
		break;
	case PKI_KIND_PUBLIC_KEY:
		snprintf(buf, size, "a public key (%s)", enc);
		break;
	case PKI_KIND_CERT:
		snprintf(buf, size, "a certificate (%s%s)", f->pkcs7 ? "PKCS#7, " : "", enc);
		break;
	case PKI_KIND_BUNDLE:
		snprintf(buf, size, "a bundle of %zu certificates (%s%s)", n,
			 f->pkcs7 ? "PKCS#7, " : "", enc);
		break;
	case PKI_KIND_CSR:
		snprintf(buf, size, "a certificate signing request (%s)", enc);
		break;
	case PKI_KIND_PKCS12:
		snprintf(buf, size, "a PKCS#12 file (DER)");
		break;
	case PKI_KIND_SSH_PUBKEY:
		snprintf(buf, size, "an SSH public key (%s)", f->ssh_type);
		break;
	case PKI_KIND_FOREIGN_KEY:
		snprintf(buf, size, "%s%s%s%s",
			 f->foreign == PKI_FOREIGN_PUTTY ? "a PuTTY private key (.ppk, from PuTTYgen"
							 : "an OpenSSH private key (from ssh-keygen",
			 f->foreign_type[0] ? ", " : "", f->foreign_type, ")");
		break;
	case PKI_KIND_CRL:
		if (f->crls == 1)
			snprintf(buf, size, "a certificate revocation list (%s)", enc);
		else
			snprintf(buf, size, "%d certificate revocation lists (%s)", f->crls, enc);
		break;
	case PKI_KIND_UNKNOWN:
	default:
		if (f->too_many)
			snprintf(buf, size, "a file of more than %d certificates or PEM blocks, more than any chain or trust bundle holds",
				 PKI_FILE_MAX_BLOCKS);
		else if (f->pkcs7)
			snprintf(buf, size, "a PKCS#7 file without certificates (%s)", enc);
		else if (f->utf16 < 0)
			snprintf(buf, size, "a text saved as UTF-16 (Notepad 'Unicode') that does not convert");
		else if (f->bad_blocks > 0)
			snprintf(buf, size, "a damaged PEM file");
		else if (f->damage == PKI_DAMAGE_SHORT)
			snprintf(buf, size, "a DER file that ends short");
		else
			snprintf(buf, size, "an unknown file (not a key, certificate, CSR, PKCS#7, PKCS#12 or SSH public key)");
		break;
	}
	return buf;
}

const char *pki_foreign_key_remedy(const struct pki_file *f)
{
	/* ssh-keygen -m PKCS8 converts RSA and ECDSA keys, not Ed25519 (which
	 * the services' TLS does not take either); puttygen -O private-openssh
	 * writes PEM for RSA/ECDSA (OpenSSH ssh-keygen(1), PuTTY manual 8.2.12) */
	static char buf[512];
	const char *t = f->foreign_type, *what;
	const char *make = "make a new key here with pki csr <basename> CN:<name> (the key never leaves the MMP)";
	const char *conv = f->foreign == PKI_FOREIGN_PUTTY
				   ? "convert a copy on your machine with puttygen <file> -O private-openssh -o <basename>.key (PuTTYgen: Conversions, Export OpenSSH key) and upload that"
				   : "convert a copy on your machine with ssh-keygen -p -m PKCS8 -f <copy> and upload the copy";

	if (strcmp(t, "ssh-rsa") == 0)
		what = "RSA";
	else if (strncmp(t, "ecdsa-sha2-", 11) == 0)
		what = "ECDSA";
	else
		what = NULL;
	if (what != NULL)
		snprintf(buf, sizeof(buf), "services read PEM or PKCS#8 keys: %s, or, as this is an %s key, %s",
			 make, what, conv);
	else if (t[0] != '\0')
		snprintf(buf, sizeof(buf),
			 "services read PEM or PKCS#8 RSA or ECDSA keys, and this %s key cannot be converted to one: %s",
			 t, make);
	else
		snprintf(buf, sizeof(buf),
			 "services read PEM or PKCS#8 keys: %s, or, for an RSA or ECDSA key, %s (an Ed25519 key cannot be converted: make a new key with pki csr)",
			 make, conv);
	return buf;
}

const char *pki_damage_text(const struct pki_file *f, char *buf, size_t size)
{
	/* "upload again" only where the file was likely cut on its way: a
	 * file edited or damaged at its source never reads differently */
	switch (f->damage) {
	case PKI_DAMAGE_NO_END:
		snprintf(buf, size,
			 "the PEM block begun at line %d has no END line, so the file was cut short: upload the whole file again, unchanged, with SFTP",
			 f->damage_line);
		break;
	case PKI_DAMAGE_BASE64:
		snprintf(buf, size,
			 "line %d, inside a PEM block, is not base64 (the file was edited or damaged): get the file again from its source (the CA or the tool that made it)",
			 f->damage_line);
		break;
	case PKI_DAMAGE_SHORT:
		snprintf(buf, size,
			 "the PEM block that ends at line %d ends short (its contents were cut): get the whole file again from its source and upload it unchanged with SFTP",
			 f->damage_line);
		break;
	default:
		snprintf(buf, size,
			 "a PEM block decodes, but to no valid certificate, key or CSR (it was damaged at its source): get the file again from its source (the CA or the tool that made it)");
		break;
	}
	return buf;
}

int pki_file_unreadable(const struct pki_file *f, char *buf, size_t size)
{
	char why[400];

	if (f->kind == PKI_KIND_EMPTY)
		snprintf(buf, size,
			 "%s is an empty file: it holds no key, certificate, bundle or CSR; upload the file again with SFTP",
			 f->name);
	else if (f->kind != PKI_KIND_UNKNOWN || f->too_many)
		return 0;
	else if (f->utf16 < 0 || (f->utf16 > 0 && f->bad_blocks == 0 && f->unknown_blocks == 0))
		snprintf(buf, size,
			 "%s is saved as UTF-16 (Notepad 'Unicode'): save it as UTF-8 or ANSI and upload again",
			 f->name);
	else if (f->bad_blocks > 0)
		snprintf(buf, size, "%s: %s", f->name, pki_damage_text(f, why, sizeof(why)));
	else if (f->damage == PKI_DAMAGE_SHORT)
		snprintf(buf, size,
			 "%s is a DER file that ends short (it was cut in a download or an upload): upload the whole file again, unchanged, with SFTP",
			 f->name);
	else if (f->pkcs7)
		snprintf(buf, size,
			 "%s is a PKCS#7 file without certificates: export the chain again with its certificates (Windows: \"Include all certificates in the certification path\")",
			 f->name);
	else
		snprintf(buf, size,
			 "%s is not a key, certificate, CSR, PKCS#7, PKCS#12 or SSH public key (an unknown file): upload the PEM or DER file the CA or the key tool gave",
			 f->name);
	return 1;
}

static const char *want_words(unsigned want)
{
	if (want == PKI_WANT(PKI_KIND_KEY))
		return "a private key";
	if (want == PKI_WANT(PKI_KIND_CERT))
		return "a certificate";
	if (want == PKI_WANT_CERTS)
		return "a certificate or a bundle of certificates";
	if (want == PKI_WANT(PKI_KIND_CSR))
		return "a certificate signing request";
	if (want == PKI_WANT(PKI_KIND_PKCS12))
		return "a PKCS#12 file";
	if (want == PKI_WANT(PKI_KIND_LOCKED_KEY))
		return "a password-protected private key";
	return "another kind of file";
}

const char *pki_key_with_certs_remedy(const struct pki_file *f, char *buf, size_t size)
{
	size_t n = pki_file_cert_count(f);

	if (n == 1)
		snprintf(buf, size,
			 "it holds a private key and its certificate, and a key travels alone in its .key file while a certificate or bundle file holds certificates only: on your computer, openssl pkey -in %s -out <name>.key writes the key and openssl x509 -in %s -out <name>.crt the certificate; upload both and use <name>.key and <name>.crt",
			 f->name, f->name);
	else
		snprintf(buf, size,
			 "it holds a private key and %zu certificates, and a key travels alone in its .key file while a certificate or bundle file holds certificates only: on your computer, openssl pkey -in %s -out <name>.key writes the key and openssl crl2pkcs7 -nocrl -certfile %s | openssl pkcs7 -print_certs -out <name>.crt the certificates; upload both and use <name>.key and <name>.crt",
			 n, f->name, f->name);
	return buf;
}

enum mmp_rc pki_file_expect(const struct pki_file *f, unsigned want,
			    struct mmp_err *err)
{
	char what[512];

	/* which of two keys is meant? taking the first loses or mismatches
	 * the other (pki unlock rewrote such a file with one key) */
	if ((want & (PKI_WANT(PKI_KIND_KEY) | PKI_WANT(PKI_KIND_LOCKED_KEY))) && f->keys > 1)
		return mmp_err_set(err, MMP_ERR_FORMAT,
				   "%s holds %d private keys: no command can tell which is meant; keep one key per file",
				   f->name, f->keys);
	if (want & PKI_WANT(f->kind))
		return MMP_OK;
	/* a key with its certificate in one file (a "combined PEM"): the file
	 * reads as certificates, but what is wrong is that the key is not alone
	 * (issue 11: the true cause and the way to split, not "check the name") */
	if ((want & (PKI_WANT(PKI_KIND_KEY) | PKI_WANT(PKI_KIND_LOCKED_KEY))) && f->keys == 1 &&
	    pki_file_cert_count(f) > 0)
		return pki_err_is(mmp_err_set(err, MMP_ERR_FORMAT, "%s: %s", f->name, pki_key_with_certs_remedy(f, what, sizeof(what))),
			  err, "file.key_with_certs", f->name, 0, NULL);
	if (f->kind == PKI_KIND_LOCKED_KEY && (want & PKI_WANT(PKI_KIND_KEY)))
		return mmp_err_set(err, MMP_ERR_LOCKED,
				   "%s: the private key is locked (password-protected): use pki unlock %s first",
				   f->name, f->name);
	if (f->kind == PKI_KIND_FOREIGN_KEY &&
	    (want & (PKI_WANT(PKI_KIND_KEY) | PKI_WANT(PKI_KIND_LOCKED_KEY))))
		return mmp_err_set(err, MMP_ERR_FORMAT, "%s is %s: %s", f->name,
				   pki_kind_describe(f, what, sizeof(what)), pki_foreign_key_remedy(f));
	/* issue 11 class 3: the way out for a .pfx/.p12 from Windows */
	if (f->kind == PKI_KIND_PKCS12)
		return mmp_err_set(err, MMP_ERR_FORMAT,
				   "%s is a PKCS#12 file (a key with its certificates, as Windows exports them), not %s: split it with pki pkcs12-extract %s <basename>, then use <basename>.key, <basename>.crt and <basename>-bundle.crt",
				   f->name, want_words(want), f->name);
	if (f->kind == PKI_KIND_EMPTY)
		return mmp_err_set(err, MMP_ERR_FORMAT,
				   "%s is empty: upload the %s again with SFTP",
				   f->name, want_words(want) + 2);
	if (f->too_many)
		return mmp_err_set(err, MMP_ERR_FORMAT,
				   "%s holds more than %d certificates or PEM blocks: a chain or trust bundle holds a few; keep only the certificates this service needs",
				   f->name, PKI_FILE_MAX_BLOCKS);
	if (f->kind == PKI_KIND_UNKNOWN && pki_file_unreadable(f, what, sizeof(what)))
		return mmp_err_set(err, MMP_ERR_FORMAT, "%s", what);
	return mmp_err_set(err, MMP_ERR_FORMAT, "%s is %s, not %s: check the file name and pki inspect %s",
			   f->name, pki_kind_describe(f, what, sizeof(what)),
			   want_words(want), f->name);
}
