/*
 * chain.c: rules between files for the service commands (SPEC §6): a
 * certificate chains to a given CA (database cluster, guide §3.1.4); a certificate's CN.
 */
#include <stdint.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>

#include "internal.h"

/* Signature checks already made (issue 15): a certificate's signature
 * under another's key is a function of the two certificates' bytes alone,
 * so the answer is kept by their SHA-256 fingerprints (not SHA-1: its
 * collisions can be made) and the same pair is never verified twice in a process:
 * a script verifying one chain again and again. Direct-mapped, bounded. */
#define SIG_MEMO 512
static struct {
	unsigned char cert[SHA256_DIGEST_LENGTH], issuer[SHA256_DIGEST_LENGTH];
	unsigned char what; /* 0 empty, 1 issued by */
	unsigned char ok;
} sig_memo[SIG_MEMO];

/* The memo slot of (cert, issuer, what), filled with their fingerprints;
 * *hit when it holds their answer. NULL when a fingerprint is not to be had. */
static int sig_slot(X509 *cert, X509 *issuer, unsigned char what, int *hit)
{
	unsigned char c[SHA256_DIGEST_LENGTH], i[SHA256_DIGEST_LENGTH];
	unsigned int n = 0, m = 0;
	int slot;

	*hit = 0;
	if (!X509_digest(cert, pki_sha256(), c, &n) || !X509_digest(issuer, pki_sha256(), i, &m) ||
	    n != SHA256_DIGEST_LENGTH || m != SHA256_DIGEST_LENGTH) {
		pki_err_clear();
		return -1;
	}
	slot = (int)(((unsigned)c[0] << 8 | c[1]) ^ ((unsigned)i[2] << 8 | i[3]) ^ what) % SIG_MEMO;
	if (sig_memo[slot].what == what && memcmp(sig_memo[slot].cert, c, n) == 0 &&
	    memcmp(sig_memo[slot].issuer, i, m) == 0) {
		*hit = 1;
		return slot;
	}
	memcpy(sig_memo[slot].cert, c, n);
	memcpy(sig_memo[slot].issuer, i, m);
	sig_memo[slot].what = 0; /* until the answer is in */
	return slot;
}

int pki_issued_by(X509 *cert, X509 *issuer)
{
	int hit, slot = sig_slot(cert, issuer, 1, &hit), ok;

	if (hit)
		return sig_memo[slot].ok;
	ok = X509_check_issued(issuer, cert) == X509_V_OK &&
	     X509_verify(cert, X509_get0_pubkey(issuer)) == 1;
	if (slot >= 0 && !pki_err_clear()) { /* an allocation that failed tells nothing */
		sig_memo[slot].ok = (unsigned char)ok;
		sig_memo[slot].what = 1;
	}
	pki_err_clear();
	return ok;
}

/* pki_self_signed's answer, kept in the X509 itself (the cache of parsed
 * files shares it between loads): 0 not asked, 1 no, 2 yes. */
static int self_idx = -1;

int pki_self_signed(X509 *x)
{
	intptr_t kept;
	int ok;

	if (self_idx < 0)
		self_idx = X509_get_ex_new_index(0, NULL, NULL, NULL, NULL);
	if (self_idx >= 0 && (kept = (intptr_t)X509_get_ex_data(x, self_idx)) != 0)
		return kept == 2;
	ok = X509_self_signed(x, 1) == 1;
	if (!pki_err_clear() && self_idx >= 0) /* a failed allocation tells nothing */
		X509_set_ex_data(x, self_idx, (void *)(intptr_t)(ok ? 2 : 1));
	pki_err_clear();
	return ok;
}

enum mmp_rc pki_rule_chains_to(const struct pki_file *cert, const struct pki_file *ca,
			       struct mmp_err *err)
{
	X509 *leaf;
	char issuer[256];
	int i;

	if (pki_file_cert_count(cert) == 0 || pki_file_cert_count(ca) == 0)
		return mmp_err_set(err, MMP_ERR_FORMAT, "%s or %s holds no certificate", cert->name,
				   ca->name);
	/* issued by one of them: what is above it is the CA file's own business */
	leaf = sk_X509_value(cert->certs, 0);
	for (i = 0; i < sk_X509_num(ca->certs); i++)
		if (pki_issued_by(leaf, sk_X509_value(ca->certs, i)))
			return MMP_OK;
	pki_name_oneline(X509_get_issuer_name(leaf), issuer, sizeof(issuer));
	return mmp_err_set(err, MMP_ERR_VERIFY,
			   "%s is not signed by the CA in %s (its issuer is %s): sign it with that CA, e.g. pki sign (guide section 3.1.4)",
			   cert->name, ca->name, issuer);
}

int pki_rule_cn_is(const struct pki_file *f, size_t idx, const char *cn, char *got, size_t size)
{
	X509 *x;
	int pos;
	const ASN1_STRING *s;

	if (idx >= pki_file_cert_count(f))
		return -1;
	x = sk_X509_value(f->certs, (int)idx);
	pos = X509_NAME_get_index_by_NID(X509_get_subject_name(x), NID_commonName, -1);
	if (got != NULL && size > 0)
		got[0] = '\0';
	if (pos < 0)
		return 0;
	s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(X509_get_subject_name(x), pos));
	if (got != NULL)
		snprintf(got, size, "%.*s", ASN1_STRING_length(s), (const char *)ASN1_STRING_get0_data(s));
	return (size_t)ASN1_STRING_length(s) == strlen(cn) &&
	       memcmp(ASN1_STRING_get0_data(s), cn, strlen(cn)) == 0;
}

int pki_leaf_index(STACK_OF(X509) *certs)
{
	int n = sk_X509_num(certs), i, j, fallback = -1;

	for (i = 0; i < n; i++) {
		X509 *x = sk_X509_value(certs, i);
		for (j = 0; j < n; j++)
			if (j != i && pki_issued_by(sk_X509_value(certs, j), x))
				break; /* x issued another certificate: not the leaf */
		if (j < n)
			continue;
		if (X509_check_issued(x, x) != X509_V_OK)
			return i;
		if (fallback < 0)
			fallback = i;
	}
	pki_err_clear();
	return fallback >= 0 ? fallback : 0;
}

void pki_order_chain(STACK_OF(X509) *certs)
{
	int n = sk_X509_num(certs), placed, i;
	X509 *tmp;

	if (n < 2)
		return;
	i = pki_leaf_index(certs);
	tmp = sk_X509_value(certs, 0);
	sk_X509_set(certs, 0, sk_X509_value(certs, i));
	sk_X509_set(certs, i, tmp);
	/* then each certificate's issuer; what no chain reaches stays after */
	for (placed = 1; placed < n; placed++) {
		X509 *cur = sk_X509_value(certs, placed - 1);
		for (i = placed; i < n; i++)
			if (pki_issued_by(cur, sk_X509_value(certs, i)))
				break;
		if (i == n)
			break;
		tmp = sk_X509_value(certs, placed);
		sk_X509_set(certs, placed, sk_X509_value(certs, i));
		sk_X509_set(certs, i, tmp);
	}
	pki_err_clear();
}

int pki_cert_issued_by(const struct pki_file *f, size_t idx, const struct pki_file *ca)
{
	int i;

	if (idx >= pki_file_cert_count(f))
		return 0;
	for (i = 0; i < sk_X509_num(ca->certs); i++)
		if (pki_issued_by(sk_X509_value(f->certs, (int)idx), sk_X509_value(ca->certs, i)))
			return 1;
	return 0;
}

int pki_file_same_cert(const struct pki_file *a, size_t ia, const struct pki_file *b, size_t ib)
{
	if (ia >= pki_file_cert_count(a) || ib >= pki_file_cert_count(b))
		return 0;
	return X509_cmp(sk_X509_value(a->certs, (int)ia), sk_X509_value(b->certs, (int)ib)) == 0;
}

int pki_match_key_cert(const struct pki_file *key, const struct pki_file *cert)
{
	int ok;

	if (key->key == NULL || pki_file_cert_count(cert) == 0)
		return 0;
	ok = EVP_PKEY_eq(X509_get0_pubkey(sk_X509_value(cert->certs, 0)), key->key) == 1;
	pki_err_clear();
	return ok;
}

int pki_key_cert_index(const struct pki_file *key, const struct pki_file *cert)
{
	int i, found = -1;

	for (i = 0; key->key != NULL && found < 0 && i < sk_X509_num(cert->certs); i++)
		if (EVP_PKEY_eq(X509_get0_pubkey(sk_X509_value(cert->certs, i)), key->key) == 1)
			found = i;
	pki_err_clear();
	return found;
}

int pki_file_cn(const struct pki_file *f, char *buf, size_t size)
{
	const X509_NAME *n = f->csr != NULL		      ? X509_REQ_get_subject_name(f->csr)
			     : pki_file_cert_count(f) > 0 ? X509_get_subject_name(sk_X509_value(f->certs, 0))
							  : NULL;
	int pos = n != NULL ? X509_NAME_get_index_by_NID(n, NID_commonName, -1) : -1;
	const ASN1_STRING *s;

	buf[0] = '\0';
	if (pos < 0)
		return 0;
	s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, pos));
	snprintf(buf, size, "%.*s", ASN1_STRING_length(s), (const char *)ASN1_STRING_get0_data(s));
	return 1;
}

int pki_issuer_index(const struct pki_file *f, size_t idx, const struct pki_file *ca)
{
	int i;

	if (idx >= pki_file_cert_count(f))
		return -1;
	for (i = 0; i < sk_X509_num(ca->certs); i++)
		if (pki_issued_by(sk_X509_value(f->certs, (int)idx), sk_X509_value(ca->certs, i)))
			return i;
	return -1;
}

int pki_cert_is_root(const struct pki_file *f, size_t idx)
{
	int ok;

	if (idx >= pki_file_cert_count(f))
		return 0;
	ok = pki_self_signed(sk_X509_value(f->certs, (int)idx));
	pki_err_clear();
	return ok;
}

void pki_cert_issuer(const struct pki_file *f, size_t idx, char *buf, size_t size)
{
	buf[0] = '\0';
	if (idx < pki_file_cert_count(f))
		pki_name_oneline(X509_get_issuer_name(sk_X509_value(f->certs, (int)idx)), buf, size);
}
