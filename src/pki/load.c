/*
 * load.c: reads a file of the store and says what it is (SPEC §5 "inputs
 * that admins really upload"): PEM with CRLF, BOM, blank lines, trailing
 * blanks; DER; PKCS#7 in PEM or DER; PKCS#12; encrypted keys (never asks
 * for a password: they are only marked locked); OpenSSH public key lines.
 * pki_file_load (cache.c) reads a file of the store and parses it here.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>

#include "internal.h"

static _Thread_local int oom_seen; /* for pki_take_oom() */

enum mmp_rc pki_err_is(enum mmp_rc rc, struct mmp_err *e, const char *code, const char *file,
		       int cert, const char *remedy)
{
	char key[128];
	const char *at;

	mmp_err_about(e, code, file, cert);
	if (remedy != NULL) {
		snprintf(key, sizeof(key), ": %s", remedy);
		if ((at = strstr(e->msg, key)) != NULL)
			e->remedy_at = (size_t)(at - e->msg) + 2;
	}
	return rc;
}

int pki_err_clear(void)
{
	unsigned long e;
	int oom = 0;

	while ((e = ERR_get_error()) != 0)
		oom |= ERR_GET_REASON(e) == ERR_R_MALLOC_FAILURE;
	oom_seen |= oom;
	return oom;
}

int pki_take_oom(void)
{
	int r = oom_seen;

	oom_seen = 0;
	return r;
}

void pki_cause_from_openssl(struct mmp_err *err)
{
	unsigned long e, last = 0;
	char buf[256];
	int oom = 0;

	while ((e = ERR_get_error()) != 0) {
		oom |= ERR_GET_REASON(e) == ERR_R_MALLOC_FAILURE;
		last = e;
	}
	if (err == NULL)
		return;
	if (last == 0 || oom) { /* the outer errors of a failed allocation mislead */
		mmp_err_cause_str(err, oom ? "out of memory" : "OpenSSL gave no reason");
		return;
	}
	ERR_error_string_n(last, buf, sizeof(buf));
	/* keep only the reason, the last ':' field */
	{
		const char *r = ERR_reason_error_string(last);
		mmp_err_cause_str(err, r != NULL ? r : buf);
	}
}

void pki_file_free(struct pki_file *f)
{
	if (f == NULL)
		return;
	sk_X509_pop_free(f->certs, X509_free);
	EVP_PKEY_free(f->key);
	EVP_PKEY_free(f->pubkey);
	X509_REQ_free(f->csr);
	PKCS12_free(f->p12);
	if (f->raw != NULL)
		OPENSSL_clear_free(f->raw, f->raw_len + 1);
	free(f);
}

static void add_pkcs7_certs(struct pki_file *f, PKCS7 *p7)
{
	STACK_OF(X509) *certs = NULL;
	int i;

	if (p7 == NULL)
		return;
	if (PKCS7_type_is_signed(p7) && p7->d.sign != NULL)
		certs = p7->d.sign->cert;
	else if (PKCS7_type_is_signedAndEnveloped(p7) && p7->d.signed_and_enveloped != NULL)
		certs = p7->d.signed_and_enveloped->cert;
	f->pkcs7 = 1;
	if (certs != NULL && sk_X509_num(certs) > PKI_FILE_MAX_BLOCKS) {
		f->too_many = 1;
		return;
	}
	for (i = 0; certs != NULL && i < sk_X509_num(certs); i++) {
		X509 *x = sk_X509_value(certs, i);
		if (X509_up_ref(x) && !sk_X509_push(f->certs, x))
			X509_free(x);
	}
}

/* A PEM private key block: legacy encryption shows in its headers. */
static void add_pem_key(struct pki_file *f, const char *name, const char *header,
			const unsigned char *data, long len)
{
	const unsigned char *p = data;
	EVP_PKEY *k;

	if (strcmp(name, "ENCRYPTED PRIVATE KEY") == 0 ||
	    (header != NULL && strstr(header, "ENCRYPTED") != NULL)) {
		f->locked = 1;
		f->keys++;
		return;
	}
	k = d2i_AutoPrivateKey(NULL, &p, len);
	f->keys += (k != NULL);
	if (k == NULL || f->key != NULL) { /* a second key: counted, refused by pki_file_expect */
		f->bad_blocks += (k == NULL);
		EVP_PKEY_free(k);
		return;
	}
	f->key = k;
}

/* The key type of an openssh-key-v1 block (PROTOCOL.key): after the magic,
 * the cipher, KDF and KDF options strings and the key count, the first
 * public key blob starts with its type string; all unencrypted, so it is
 * read from locked keys too. type stays "" when the block is not so. */
static void openssh_key_type(const unsigned char *d, long len, char *type, size_t size)
{
	static const char magic[] = "openssh-key-v1";
	size_t at = sizeof(magic), n, i;
	unsigned long v;

	if (len < (long)sizeof(magic) || memcmp(d, magic, sizeof(magic)) != 0)
		return;
	for (i = 0; i < 6; i++) { /* cipher, kdf, kdfoptions, nkeys, blob, type */
		if (at + 4 > (size_t)len)
			return;
		v = (unsigned long)d[at] << 24 | (unsigned long)d[at + 1] << 16 |
		    (unsigned long)d[at + 2] << 8 | d[at + 3];
		at += 4;
		if (i == 3 || i == 4) /* the count; the blob's length: go inside */
			continue;
		if (v > (size_t)len - at)
			return;
		if (i == 5) {
			for (n = 0; n < v; n++)
				if (!isgraph(d[at + n]))
					return;
			if (v < size)
				snprintf(type, size, "%.*s", (int)v, (const char *)d + at);
			return;
		}
		at += v;
	}
}

static void add_pem_object(struct pki_file *f, const char *name, const char *header,
			   const unsigned char *data, long len, const unsigned char **pp)
{
	const unsigned char *p = data;
	size_t nl = strlen(name);

	if (strcmp(name, "CERTIFICATE") == 0 || strcmp(name, "X509 CERTIFICATE") == 0 ||
	    strcmp(name, "TRUSTED CERTIFICATE") == 0) {
		X509 *x = strcmp(name, "TRUSTED CERTIFICATE") == 0 ? d2i_X509_AUX(NULL, &p, len)
								      : d2i_X509(NULL, &p, len);
		if (x == NULL || !sk_X509_push(f->certs, x)) {
			X509_free(x);
			f->bad_blocks++;
		}
	} else if (strcmp(name, "CERTIFICATE REQUEST") == 0 ||
		   strcmp(name, "NEW CERTIFICATE REQUEST") == 0) {
		X509_REQ *r = d2i_X509_REQ(NULL, &p, len);
		if (r == NULL || f->csr != NULL) {
			f->bad_blocks += (r == NULL);
			X509_REQ_free(r);
		} else {
			f->csr = r;
		}
	} else if (strcmp(name, "PKCS7") == 0 || strcmp(name, "CERTIFICATE CHAIN") == 0) {
		PKCS7 *p7 = d2i_PKCS7(NULL, &p, len);
		if (p7 == NULL)
			f->bad_blocks++;
		add_pkcs7_certs(f, p7);
		PKCS7_free(p7);
	} else if (strcmp(name, "OPENSSH PRIVATE KEY") == 0) {
		f->foreign = PKI_FOREIGN_OPENSSH; /* ssh-keygen's own format */
		openssh_key_type(data, len, f->foreign_type, sizeof(f->foreign_type));
	} else if (nl >= 11 && strcmp(name + nl - 11, "PRIVATE KEY") == 0) {
		add_pem_key(f, name, header, data, len);
	} else if (strcmp(name, "PUBLIC KEY") == 0) {
		EVP_PKEY *k = d2i_PUBKEY(NULL, &p, len);
		if (k == NULL || f->pubkey != NULL) {
			f->bad_blocks += (k == NULL);
			EVP_PKEY_free(k);
		} else {
			f->pubkey = k;
		}
	} else if (strcmp(name, "X509 CRL") == 0) {
		/* public, as a certificate is: told, not an unknown block */
		X509_CRL *c = d2i_X509_CRL(NULL, &p, len);
		if (c == NULL)
			f->bad_blocks++;
		else
			f->crls++;
		X509_CRL_free(c);
	} else {
		f->unknown_blocks++;
	}
	*pp = p;
}

static int used_all(const unsigned char *p, const unsigned char *end);

static void add_pem_block(struct pki_file *f, const char *name, const char *header,
			  const unsigned char *data, long len)
{
	const unsigned char *p = data;

	add_pem_object(f, name, header, data, len, &p);
	/* a certificate, request, PKCS#7 or public key block holds its object
	 * and nothing else: bytes after it, or header lines (only a locked
	 * key has them), may carry a key the access table must not call plain */
	if (p != data && (!used_all(p, data + len) || (header != NULL && header[0] != '\0')))
		f->untold_blocks++;
}

static void parse_pem(struct pki_file *f, const unsigned char *buf, size_t len)
{
	size_t tlen;
	char *text = pki_pem_clean(buf, len, &tlen, &f->blank_line, &f->blanks);
	BIO *bio = text ? BIO_new_mem_buf(text, (int)tlen) : NULL;
	char *name = NULL, *header = NULL;
	unsigned char *data = NULL;
	long dlen;

	int blocks = 0;

	while (bio != NULL && PEM_read_bio(bio, &name, &header, &data, &dlen) == 1) {
		if (++blocks > PKI_FILE_MAX_BLOCKS)
			f->too_many = 1;
		else
			add_pem_block(f, name, header, data, dlen);
		OPENSSL_free(name);
		OPENSSL_free(header);
		OPENSSL_clear_free(data, (size_t)dlen);
		name = header = NULL;
		data = NULL;
	}
	if (f->too_many) { /* refused whole: no partial list of certificates */
		sk_X509_pop_free(f->certs, X509_free);
		f->certs = sk_X509_new_null();
	}
	/* the loop ends at "no start line" (done) or at a broken block */
	if (ERR_GET_REASON(ERR_peek_last_error()) != PEM_R_NO_START_LINE)
		f->bad_blocks++;
	f->oom |= bio == NULL || f->certs == NULL || pki_err_clear();
	BIO_free(bio);
	if (f->bad_blocks > 0 && !f->oom)
		pki_pem_diagnose(f); /* the true cause, for the message */
	if (text != NULL)
		OPENSSL_clear_free(text, tlen);
}

static int all_blank(const unsigned char *buf, size_t len);

/* Did the object end at the end of the file (blanks after it are what a
 * text tool adds, e.g. a final newline)? */
static int used_all(const unsigned char *p, const unsigned char *end)
{
	return p == end || (p != NULL && p < end && all_blank(p, (size_t)(end - p)));
}

/* DER: exactly one object that uses every byte (but trailing blanks). */
static void parse_der(struct pki_file *f, const unsigned char *buf, size_t len)
{
	const unsigned char *p, *end = buf + len;
	long l = (long)len;
	X509 *x;
	X509_REQ *r;
	PKCS7 *p7;
	PKCS12 *p12;
	X509_SIG *sig;
	X509_CRL *crl;
	EVP_PKEY *k;

	p = buf;
	if ((x = d2i_X509(NULL, &p, l)) != NULL && used_all(p, end)) {
		sk_X509_push(f->certs, x);
		return;
	}
	X509_free(x);
	p = buf;
	if ((r = d2i_X509_REQ(NULL, &p, l)) != NULL && used_all(p, end)) {
		f->csr = r;
		return;
	}
	X509_REQ_free(r);
	p = buf;
	if ((p7 = d2i_PKCS7(NULL, &p, l)) != NULL && used_all(p, end)) {
		add_pkcs7_certs(f, p7);
		PKCS7_free(p7);
		return;
	}
	PKCS7_free(p7);
	p = buf;
	if ((p12 = d2i_PKCS12(NULL, &p, l)) != NULL && used_all(p, end)) {
		f->p12 = p12;
		return;
	}
	PKCS12_free(p12);
	p = buf;
	if ((sig = d2i_X509_SIG(NULL, &p, l)) != NULL && used_all(p, end)) {
		X509_SIG_free(sig);
		f->locked = 1;
		f->keys = 1;
		return;
	}
	X509_SIG_free(sig);
	p = buf;
	if ((k = d2i_AutoPrivateKey(NULL, &p, l)) != NULL && used_all(p, end)) {
		f->key = k;
		f->keys = 1;
		return;
	}
	EVP_PKEY_free(k);
	p = buf;
	if ((k = d2i_PUBKEY(NULL, &p, l)) != NULL && used_all(p, end)) {
		f->pubkey = k;
		return;
	}
	EVP_PKEY_free(k);
	p = buf;
	if ((crl = d2i_X509_CRL(NULL, &p, l)) != NULL && used_all(p, end)) {
		X509_CRL_free(crl);
		f->crls = 1;
		return;
	}
	X509_CRL_free(crl);
	f->unknown_blocks++;
}

/* "ssh-rsa AAAA... comment": the type word and base64 that decodes. */
static int parse_ssh_line(struct pki_file *f, const unsigned char *buf, size_t len)
{
	static const char *types[] = { "ssh-rsa", "ssh-ed25519", "ssh-dss",
				       "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
				       "ecdsa-sha2-nistp521", NULL };
	size_t i, tl, b64;
	unsigned char out[4096];

	for (i = 0; types[i] != NULL; i++) {
		tl = strlen(types[i]);
		if (len > tl + 1 && memcmp(buf, types[i], tl) == 0 && buf[tl] == ' ')
			break;
	}
	if (types[i] == NULL)
		return 0;
	for (b64 = tl + 1; b64 < len && !isspace(buf[b64]); b64++)
		;
	if (b64 - tl - 1 > 4 * (sizeof(out) / 3) ||
	    EVP_DecodeBlock(out, buf + tl + 1, (int)(b64 - tl - 1)) <= 0)
		return 0;
	snprintf(f->ssh_type, sizeof(f->ssh_type), "%s", types[i]);
	return 1;
}

static int all_blank(const unsigned char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!isspace(buf[i]))
			return 0;
	return 1;
}

static enum pki_kind decide_kind(const struct pki_file *f)
{
	int n = sk_X509_num(f->certs);

	if (f->too_many)
		return PKI_KIND_UNKNOWN;
	if (n == 1)
		return PKI_KIND_CERT;
	if (n > 1)
		return PKI_KIND_BUNDLE;
	if (f->key != NULL)
		return PKI_KIND_KEY;
	if (f->locked)
		return PKI_KIND_LOCKED_KEY;
	if (f->csr != NULL)
		return PKI_KIND_CSR;
	if (f->p12 != NULL)
		return PKI_KIND_PKCS12;
	if (f->pubkey != NULL)
		return PKI_KIND_PUBLIC_KEY;
	if (f->ssh_type[0] != '\0')
		return PKI_KIND_SSH_PUBKEY;
	if (f->foreign != PKI_FOREIGN_NONE)
		return PKI_KIND_FOREIGN_KEY;
	if (f->crls > 0)
		return PKI_KIND_CRL;
	return PKI_KIND_UNKNOWN;
}

enum mmp_rc pki_file_parse(const char *name, const unsigned char *buf,
			   size_t len, struct pki_file **out, struct mmp_err *err)
{
	struct pki_file *f = calloc(1, sizeof(*f));
	unsigned char *conv = NULL;
	const char *u16 = NULL;
	size_t clen = 0;

	*out = NULL;
	pki_cache_count_parse();
	if (f == NULL || (f->certs = sk_X509_new_null()) == NULL) {
		free(f);
		return mmp_err_set(err, MMP_ERR_NOMEM, "%s: out of memory", name);
	}
	snprintf(f->name, sizeof(f->name), "%s", name);
	ERR_clear_error(); /* f->oom must be about this file only */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) { /* UTF-8 BOM */
		buf += 3;
		len -= 3;
	} else if ((len >= 2 && (memcmp(buf, "\xff\xfe", 2) == 0 || memcmp(buf, "\xfe\xff", 2) == 0)) ||
		   (u16 = pki_utf16_guess(buf, len)) != NULL) {
		/* Notepad "Unicode": UTF-16 with its BOM (issue 11 class 7), or
		 * without one, as other tools and PowerShell's Out-File write it */
		if ((conv = pki_utf16_to_utf8(buf, len, u16 != NULL ? u16 : "UTF-16", &clen)) != NULL &&
		    memchr(conv, '\0', clen) == NULL) {
			f->utf16 = 1;
			buf = conv[0] == 0xef && clen >= 3 ? conv + 3 : conv; /* its BOM */
			len = clen - (size_t)(buf - conv);
		} else {
			f->utf16 = -1;
		}
	}
	if ((f->raw = malloc(len + 1)) == NULL) {
		if (conv != NULL)
			OPENSSL_clear_free(conv, clen + 1);
		pki_file_free(f);
		return mmp_err_set(err, MMP_ERR_NOMEM, "%s: out of memory", name);
	}
	memcpy(f->raw, buf, len);
	f->raw[len] = '\0';
	f->raw_len = len;
	if (conv != NULL)
		OPENSSL_clear_free(conv, clen + 1);
	buf = f->raw; /* the converted text, when it was UTF-16 */
	if (f->utf16 < 0) {
		f->kind = PKI_KIND_UNKNOWN;
	} else if (all_blank(buf, len)) {
		f->kind = PKI_KIND_EMPTY;
	} else if (memmem(buf, len, "-----BEGIN ", 11) != NULL) {
		f->enc = PKI_ENC_PEM;
		parse_pem(f, buf, len);
		if (f->pkcs7) /* PKCS#7 has no order: leaf first, as a full chain */
			pki_order_chain(f->certs);
		f->kind = decide_kind(f);
	} else if (len >= 20 && memcmp(buf, "PuTTY-User-Key-File-", 20) == 0) {
		/* PuTTYgen's .ppk (versions 2 and 3): text, no PEM */
		f->foreign = PKI_FOREIGN_PUTTY;
		f->kind = PKI_KIND_FOREIGN_KEY;
		{ /* "PuTTY-User-Key-File-3: ssh-rsa": its key type */
			const unsigned char *c = memchr(buf, ':', len);
			size_t n = 0;

			if (c != NULL && (size_t)(c - buf) < 24 && c + 2 < buf + len && c[1] == ' ')
				for (c += 2; c + n < buf + len && n + 1 < sizeof(f->foreign_type) &&
					     isgraph(c[n]);
				     n++)
					;
			if (n > 0 && (c + n == buf + len || c[n] == '\r' || c[n] == '\n'))
				snprintf(f->foreign_type, sizeof(f->foreign_type), "%.*s", (int)n,
					 (const char *)c);
		}
	} else if (parse_ssh_line(f, buf, len)) {
		f->kind = PKI_KIND_SSH_PUBKEY;
	} else {
		f->enc = PKI_ENC_DER;
		parse_der(f, buf, len);
		if (f->pkcs7) /* PKCS#7 has no order: leaf first, as a full chain */
			pki_order_chain(f->certs);
		f->kind = decide_kind(f);
		if (f->kind == PKI_KIND_UNKNOWN) {
			f->enc = PKI_ENC_NONE;
			if (pki_der_short(buf, len))
				f->damage = PKI_DAMAGE_SHORT;
		}
	}
	if (pki_err_clear() || f->oom) { /* else a damaged or unknown file, wrongly */
		pki_take_oom(); /* said here */
		pki_file_free(f);
		return mmp_err_set(err, MMP_ERR_NOMEM, "%s: out of memory while reading the file: try again",
				   name);
	}
	*out = f;
	return MMP_OK;
}
