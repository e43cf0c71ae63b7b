/*
 * pkcs12.c: pki pkcs12-extract (issue 11 class 3): split a PKCS#12 file
 * (.pfx/.p12 from Windows, any name) into the three files a service takes:
 * <basename>.key, <basename>.crt (the certificate of that key) and
 * <basename>-bundle.crt (its CA certificates, leaf side first, root last).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "internal.h"

DEFINE_STACK_OF(EVP_PKEY)

#define EXT_KEY ".key"
#define EXT_CRT ".crt"
#define EXT_BUNDLE "-bundle.crt"

static void out_name(char *buf, size_t size, const char *base, const char *ext)
{
	snprintf(buf, size, "%s%s", base, ext);
}

/* "CN" of the name subj, escaped as pki_name_oneline escapes; "(no CN)"
 * without one. */
static void name_cn(const X509_NAME *subj, char *buf, size_t size)
{
	X509_NAME *n = X509_NAME_new();
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

static void cert_cn(X509 *x, char *buf, size_t size)
{
	name_cn(X509_get_subject_name(x), buf, size);
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

/* Key derivation rounds of one PBE algorithm: PKCS#12 PBE and PBES1 count
 * iterations, PBES2 the PBKDF2 iterations (scrypt N x r x p); 0 for no PBE
 * (then OpenSSL refuses it), -1 for a count that does not fit a long. */
static long pbe_rounds(const X509_ALGOR *alg)
{
	const ASN1_OBJECT *oid;
	const void *pv;
	int ptype;
	long n = 0;

	X509_ALGOR_get0(&oid, &ptype, &pv, alg);
	if (OBJ_obj2nid(oid) == NID_pbes2) {
		PBE2PARAM *p2 = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), alg->parameter);
		const X509_ALGOR *kf = p2 != NULL ? p2->keyfunc : NULL;
		if (kf != NULL && OBJ_obj2nid(kf->algorithm) == NID_id_pbkdf2) {
			PBKDF2PARAM *k = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM), kf->parameter);
			n = k != NULL ? ASN1_INTEGER_get(k->iter) : 0;
			PBKDF2PARAM_free(k);
		} else if (kf != NULL && OBJ_obj2nid(kf->algorithm) == NID_id_scrypt) {
			SCRYPT_PARAMS *sp = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(SCRYPT_PARAMS), kf->parameter);
			long N = sp ? ASN1_INTEGER_get(sp->costParameter) : 0, r = sp ? ASN1_INTEGER_get(sp->blockSize) : 0,
			     p = sp ? ASN1_INTEGER_get(sp->parallelizationParameter) : 0;
			n = N < 0 || r < 0 || p < 0 || (r > 0 && p > 0 && N > LONG_MAX / r / p) ? -1 : N * r * p;
			SCRYPT_PARAMS_free(sp);
		}
		PBE2PARAM_free(p2);
	} else if (ptype == V_ASN1_SEQUENCE) {
		PBEPARAM *pb = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBEPARAM), alg->parameter);
		n = pb != NULL && pb->iter != NULL ? ASN1_INTEGER_get(pb->iter) : 0;
		PBEPARAM_free(pb);
	}
	return n;
}

/* Add rounds to *total; 0 when the sum is past PKI_P12_MAX_ROUNDS. */
static int add_rounds(unsigned long long *total, long rounds)
{
	if (rounds < 0 || (unsigned long long)rounds > PKI_P12_MAX_ROUNDS)
		*total = PKI_P12_MAX_ROUNDS + 1ULL;
	else
		*total += (unsigned long long)rounds;
	return *total <= PKI_P12_MAX_ROUNDS;
}

static int bags_rounds(const STACK_OF(PKCS12_SAFEBAG) *bags, unsigned long long *total, int depth)
{
	int i, ok = depth < 8;

	for (i = 0; ok && i < sk_PKCS12_SAFEBAG_num(bags); i++) {
		const PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(bags, i);
		const X509_ALGOR *alg = NULL;

		if (PKCS12_SAFEBAG_get_nid(bag) == NID_pkcs8ShroudedKeyBag) {
			X509_SIG_get0(PKCS12_SAFEBAG_get0_pkcs8(bag), &alg, NULL);
			ok = alg == NULL || add_rounds(total, pbe_rounds(alg));
		} else if (PKCS12_SAFEBAG_get_nid(bag) == NID_safeContentsBag) {
			ok = bags_rounds(PKCS12_SAFEBAG_get0_safes(bag), total, depth + 1);
		}
	}
	return ok;
}

/* A PKCS#12 says how many rounds its password is derived with, for its MAC
 * and each encrypted part: an INTEGER up to 2^63, hours of CPU for one
 * guess. Before any password is tried, the sum of the rounds of the MAC
 * and of every part (those inside an encrypted part once decrypted, at the
 * cost already counted) must stay within PKI_P12_MAX_ROUNDS; else err. */
enum mmp_rc pki_p12_rounds_ok(const struct pki_file *f, const char *password, struct mmp_err *err)
{
	const ASN1_INTEGER *iter = NULL;
	unsigned long long total = 0;
	STACK_OF(PKCS7) *asafes;
	int i, ok = 1;

	if (PKCS12_mac_present(f->p12)) {
		PKCS12_get0_mac(NULL, NULL, NULL, &iter, f->p12);
		ok = add_rounds(&total, iter != NULL ? ASN1_INTEGER_get(iter) : 1);
	}
	asafes = ok ? PKCS12_unpack_authsafes(f->p12) : NULL;
	for (i = 0; ok && i < sk_PKCS7_num(asafes); i++) {
		PKCS7 *p7 = sk_PKCS7_value(asafes, i);
		STACK_OF(PKCS12_SAFEBAG) *bags = NULL;

		if (PKCS7_type_is_data(p7)) {
			bags = PKCS12_unpack_p7data(p7);
		} else if (PKCS7_type_is_encrypted(p7) && p7->d.encrypted != NULL &&
			   p7->d.encrypted->enc_data != NULL) {
			ok = add_rounds(&total, pbe_rounds(p7->d.encrypted->enc_data->algorithm));
			/* twice: here and in PKCS12_parse */
			ok = ok && add_rounds(&total, pbe_rounds(p7->d.encrypted->enc_data->algorithm));
			bags = ok ? PKCS12_unpack_p7encdata(p7, password, -1) : NULL;
			if (ok && bags == NULL && password[0] == '\0') /* as PKCS12_parse */
				bags = PKCS12_unpack_p7encdata(p7, NULL, 0);
		}
		ok = ok && bags_rounds(bags, &total, 0);
		sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
	}
	sk_PKCS7_pop_free(asafes, PKCS7_free);
	pki_err_clear();
	if (ok)
		return MMP_OK;
	return mmp_err_set(err, MMP_ERR_FORMAT,
			   "%s asks for more than %d key derivation rounds for its password (its MAC and encrypted parts together), more than any export tool uses: nothing was tried or written; export it again with the tool's default settings",
			   f->name, PKI_P12_MAX_ROUNDS);
}

/* Open p12 with the password: key, every certificate (cert first if any),
 * or err set. PKCS12_parse tries NULL and "" for an empty password (the
 * two are different PKCS#12 passwords; Windows and OpenSSL use both). */
static enum mmp_rc p12_open(const struct pki_file *f, const char *password, EVP_PKEY **key,
			    STACK_OF(X509) **certs, struct mmp_err *err)
{
	X509 *x = NULL;
	STACK_OF(X509) *ca = NULL;
	int mac_ok;

	if (pki_p12_rounds_ok(f, password, err) != MMP_OK)
		return err->rc;
	mac_ok = !PKCS12_mac_present(f->p12) ||
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

/* Append to keys every private key of bags (key bags, shrouded key bags,
 * nested safe contents): PKCS12_parse returns only the first one. 0 when a
 * key cannot be decoded. */
static int bags_keys(const STACK_OF(PKCS12_SAFEBAG) *bags, const char *pass,
		     STACK_OF(EVP_PKEY) *keys, int depth)
{
	int i, ok = 1;

	for (i = 0; ok && i < sk_PKCS12_SAFEBAG_num(bags); i++) {
		const PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(bags, i);
		PKCS8_PRIV_KEY_INFO *p8 = NULL;
		EVP_PKEY *pk = NULL;

		switch (PKCS12_SAFEBAG_get_nid(bag)) {
		case NID_keyBag:
			pk = EVP_PKCS82PKEY(PKCS12_SAFEBAG_get0_p8inf(bag));
			ok = pk != NULL;
			break;
		case NID_pkcs8ShroudedKeyBag:
			p8 = PKCS12_decrypt_skey(bag, pass, -1);
			pk = p8 != NULL ? EVP_PKCS82PKEY(p8) : NULL;
			PKCS8_PRIV_KEY_INFO_free(p8);
			ok = pk != NULL;
			break;
		case NID_safeContentsBag:
			ok = depth < 8 && bags_keys(PKCS12_SAFEBAG_get0_safes(bag), pass, keys, depth + 1);
			break;
		default:
			break;
		}
		if (pk != NULL && !sk_EVP_PKEY_push(keys, pk)) {
			EVP_PKEY_free(pk);
			ok = 0;
		}
	}
	return ok;
}

/* Every private key of p12 in file order, or NULL (then PKCS12_parse's
 * one key is all there is to go by). */
static STACK_OF(EVP_PKEY) *p12_keys(PKCS12 *p12, const char *pass)
{
	STACK_OF(PKCS7) *asafes = PKCS12_unpack_authsafes(p12);
	STACK_OF(EVP_PKEY) *keys = sk_EVP_PKEY_new_null();
	int i, ok = asafes != NULL && keys != NULL;

	for (i = 0; ok && i < sk_PKCS7_num(asafes); i++) {
		PKCS7 *p7 = sk_PKCS7_value(asafes, i);
		STACK_OF(PKCS12_SAFEBAG) *bags = NULL;

		if (PKCS7_type_is_data(p7))
			bags = PKCS12_unpack_p7data(p7);
		else if (PKCS7_type_is_encrypted(p7))
			bags = PKCS12_unpack_p7encdata(p7, pass, -1);
		else
			continue;
		ok = bags != NULL && bags_keys(bags, pass, keys, 0);
		sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
	}
	sk_PKCS7_pop_free(asafes, PKCS7_free);
	pki_err_clear();
	if (!ok) {
		sk_EVP_PKEY_pop_free(keys, EVP_PKEY_free);
		return NULL;
	}
	return keys;
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

/* Is x valid now (notBefore <= now < notAfter)? */
static int valid_now(X509 *x)
{
	return X509_cmp_current_time(X509_get0_notBefore(x)) < 0 &&
	       X509_cmp_current_time(X509_get0_notAfter(x)) > 0;
}

static int self_signed(X509 *x)
{
	int ss = X509_self_signed(x, 0) == 1;

	pki_err_clear();
	return ss;
}

/* Whole days since x expired (0 when it is not expired). */
static int expired_days(X509 *x)
{
	int days = 0, secs = 0;

	if (X509_cmp_current_time(X509_get0_notAfter(x)) > 0 ||
	    !ASN1_TIME_diff(&days, &secs, X509_get0_notAfter(x), NULL))
		days = 0;
	pki_err_clear();
	return days;
}

/* Move into chain, from pool, the issuer of leaf, then its issuer, ...:
 * the order of guide §1.2.4 (leaf side first, root last), built from the
 * issuer/subject links and signatures, never from the file order. When
 * several certificates issue cur (a root and the same root cross-signed),
 * one valid now wins over an expired one, and then a self-signed one over
 * a cross-signed one: the chain a client builds to its trusted root. What
 * stays in pool is on no chosen path from the leaf. */
static int build_chain(X509 *leaf, STACK_OF(X509) *pool, STACK_OF(X509) *chain)
{
	X509 *cur = leaf;
	int i, best, score, best_score;

	while (X509_check_issued(cur, cur) != X509_V_OK) { /* a root ends it */
		for (i = 0, best = -1, best_score = -1; i < sk_X509_num(pool); i++) {
			X509 *c = sk_X509_value(pool, i);
			if (!issued(cur, c))
				continue;
			score = 2 * valid_now(c) + self_signed(c);
			if (score > best_score) {
				best = i;
				best_score = score;
			}
		}
		if (best < 0)
			break;
		cur = sk_X509_delete(pool, best);
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

/* The chain in chain of cert, or cert itself, with the subject and key
 * of x (x is another certificate of the same CA: cross-signed, renewed). */
static X509 *same_ca(X509 *cert, STACK_OF(X509) *chain, X509 *x)
{
	int i;

	for (i = -1; i < sk_X509_num(chain); i++) {
		X509 *c = i < 0 ? cert : sk_X509_value(chain, i);
		if (X509_NAME_cmp(X509_get_subject_name(c), X509_get_subject_name(x)) == 0 &&
		    EVP_PKEY_eq(X509_get0_pubkey(c), X509_get0_pubkey(x)) == 1) {
			pki_err_clear();
			return c;
		}
	}
	pki_err_clear();
	return NULL;
}

/* " (expired N days ago)" or "" */
static void expiry_note(X509 *x, char *buf, size_t size)
{
	int d = expired_days(x);

	if (X509_cmp_current_time(X509_get0_notAfter(x)) > 0)
		snprintf(buf, size, "%s", "");
	else if (d == 0)
		snprintf(buf, size, " (expired today)");
	else
		snprintf(buf, size, " (expired %d day%s ago)", d, d == 1 ? "" : "s");
	pki_err_clear();
}

/* A WARNING per expired certificate of the chosen path: the file holds no
 * valid certificate of that CA (build_chain would have taken it). */
static void expired_in_path(const char *file, const char *base, X509 *cert, STACK_OF(X509) *chain,
			    struct report *r)
{
	char cn[256], note[64];
	int i;

	for (i = -1; i < sk_X509_num(chain); i++) {
		X509 *c = i < 0 ? cert : sk_X509_value(chain, i);
		if (X509_cmp_current_time(X509_get0_notAfter(c)) > 0)
			continue;
		cert_cn(c, cn, sizeof(cn));
		expiry_note(c, note, sizeof(note));
		if (i < 0)
			report_check(r, REPORT_WARNING, "pkcs12.cert_expired", file, 0,
				     "%s: the certificate of the key, CN %s%s, is written to %s%s: a service refuses it; ask the CA to renew it",
				     file, cn, note, base, EXT_CRT);
		else {
			report_check(r, REPORT_WARNING, "pkcs12.ca_expired", file, i + 1,
				     "%s: certificate %d of %s%s, CN %s%s, is the only certificate of that CA in %s",
				     file, i + 1, base, EXT_BUNDLE, cn, note, file);
			report_remedy(r, "get the CA's current certificate and put it in its place in %s%s (guide section 5.3)", base, EXT_BUNDLE);
		}
	}
	pki_err_clear();
}

/* Is x an issuer of y, directly or through certificates of left? */
static int above(X509 *x, X509 *y, STACK_OF(X509) *left, int depth)
{
	int i;

	if (issued(y, x))
		return 1;
	for (i = 0; depth < 8 && i < sk_X509_num(left); i++) {
		X509 *z = sk_X509_value(left, i);
		if (z != x && z != y && X509_check_issued(z, z) != X509_V_OK && issued(y, z) &&
		    above(x, z, left, depth + 1))
			return 1;
	}
	pki_err_clear();
	return 0;
}

/* Why x was left out of the bundle, as one WARNING line. */
static void tell_left_out(const char *file, const char *base, X509 *cert, STACK_OF(X509) *chain,
			  STACK_OF(X509) *left, STACK_OF(X509) *dropped, X509 *x, struct report *r)
{
	char cn[256], by[256], other[256], note[64];
	X509 *dup = same_ca(cert, chain, x);
	int i;

	cert_cn(x, cn, sizeof(cn));
	name_cn(X509_get_issuer_name(x), by, sizeof(by));
	expiry_note(x, note, sizeof(note));
	if (dup != NULL && dup != cert) {
		report_check(r, REPORT_WARNING, "pkcs12.other_path", file, 0,
			     "%s: certificate CN %s (%s by %s)%s is another path to %s already in %s%s: left out",
			     file, cn, self_signed(x) ? "self-signed" : "cross-signed", by, note, self_signed(dup) ? "a root" : "a CA certificate", base, EXT_BUNDLE);
		return;
	}
	if (dup == cert) {
		report_check(r, REPORT_WARNING, "pkcs12.other_cert", file, 0,
			     "%s: certificate CN %s (issued by %s)%s is another certificate of the key in %s%s: left out (%s%s holds the one whose issuers the file holds)",
			     file, cn, by, note, base, EXT_KEY, base, EXT_CRT);
		return;
	}
	/* the issuer of a certificate left out as another path, and of nothing in the chain */
	for (i = 0; i < sk_X509_num(left); i++) {
		X509 *y = sk_X509_value(left, i);
		if (y != x && issued(y, x) && same_ca(cert, chain, y) != NULL) {
			cert_cn(y, other, sizeof(other));
			report_check(r, REPORT_WARNING, "pkcs12.other_path_issuer", file, 0,
				     "%s: certificate CN %s%s is the issuer of that other path to CN %s: left out too",
				     file, cn, note, other);
			return;
		}
	}
	for (i = 0; i < sk_X509_num(dropped); i++)
		if (above(x, sk_X509_value(dropped, i), left, 0)) {
			cert_cn(sk_X509_value(dropped, i), other, sizeof(other));
			report_check(r, REPORT_WARNING, "pkcs12.dropped_key_chain", file, 0,
				     "%s: certificate CN %s is in the chain of CN %s, whose key was not written: left out of %s%s",
				     file, cn, other, base, EXT_BUNDLE);
			return;
		}
	report_check(r, REPORT_WARNING, "pkcs12.not_in_chain", file, 0,
		     "%s: certificate CN %s is not in the chain of %s%s: it was left out of %s%s",
		     file, cn, base, EXT_CRT, base, EXT_BUNDLE);
}

/* What the files hold, as SUCCESS and WARNING lines. */
static void tell(const char *file, const char *base, X509 *cert, STACK_OF(X509) *chain,
		 STACK_OF(X509) *left, STACK_OF(X509) *dropped, const char *others, int nkeys,
		 struct report *r)
{
	char cn[256], issuer[256];
	int i, n = sk_X509_num(chain);
	X509 *top = n > 0 ? sk_X509_value(chain, n - 1) : cert;

	cert_cn(cert, cn, sizeof(cn));
	{
		char name[STORE_NAME_MAX + 16];
		json_t *d = report_data(r);
		snprintf(name, sizeof(name), "%s%s", base, EXT_KEY);
		json_object_set_new(d, "key", report_str(name));
		snprintf(name, sizeof(name), "%s%s", base, EXT_CRT);
		json_object_set_new(d, "certificate", report_str(name));
		snprintf(name, sizeof(name), "%s%s", base, EXT_BUNDLE);
		json_object_set_new(d, "bundle", n > 0 ? report_str(name) : json_null());
		json_object_set_new(d, "ca_certificates", json_integer(n));
	}
	report_check(r, REPORT_SUCCESS, "pkcs12.key_written", file, 0,
		     "%s%s holds the private key of %s (unencrypted, mode 0600)",
		     base, EXT_KEY, file);
	report_check(r, REPORT_SUCCESS, "pkcs12.cert_written", file, 0,
		     "%s%s holds the certificate of that key (CN %s)",
		     base, EXT_CRT, cn);
	if (n > 0)
		report_check(r, REPORT_SUCCESS, "pkcs12.bundle_written", file, 0,
			     "%s%s holds its %d CA certificate%s, in chain order: the issuer of %s%s first, %s last",
			     base, EXT_BUNDLE, n, n == 1 ? "" : "s", base, EXT_CRT, X509_check_issued(top, top) == X509_V_OK ? "the root" : "the highest one the file holds");
	if (X509_check_issued(top, top) != X509_V_OK) {
		pki_name_oneline(X509_get_issuer_name(top), issuer, sizeof(issuer));
		if (n > 0) {
			report_check(r, REPORT_WARNING, "bundle.missing_issuer", file, 0,
				     "%s does not hold the certificate of %s, the issuer of its last CA certificate",
				     file, issuer);
			report_remedy(r, "get it from the CA and add it at the end of %s%s (guide section 1.2.4)", base, EXT_BUNDLE);
		} else {
			report_check(r, REPORT_WARNING, "bundle.missing", file, 0,
				     "%s holds no CA certificate",
				     file);
			report_remedy(r, "get the certificates of the issuer %s and above from the CA and upload them, leaf side first, root last, as %s%s (guide section 1.2.4)", issuer, base, EXT_BUNDLE);
		}
	} else if (n == 0) {
		report_check(r, REPORT_SUCCESS, "pkcs12.self_signed", file, 0,
			     "%s%s is self-signed: it needs no CA bundle, so no %s%s was written",
			     base, EXT_CRT, base, EXT_BUNDLE);
	}
	expired_in_path(file, base, cert, chain, r);
	cert_cn(cert, cn, sizeof(cn));
	if (others != NULL) {
		report_check(r, REPORT_WARNING, "pkcs12.several_keys", file, 0,
			     "%s holds %d private keys: %s%s is the key of CN %s; %s were not written",
			     file, nkeys, base, EXT_KEY, cn, others);
		report_remedy(r, "export %s on its own", nkeys == 2 ? "that one" : "each one");
	}
	for (i = 0; i < sk_X509_num(left); i++)
		tell_left_out(file, base, cert, chain, left, dropped, sk_X509_value(left, i), r);
	pki_err_clear();
}

/* A PKCS#12 may hold several keys (PKCS12_parse returns one): take the
 * first one, in file order, that has its certificate in the file; take
 * the certificates of the others out of certs, and say in others
 * ("the key of CN x and its certificate") what is not written. */
static enum mmp_rc other_keys(const char *file, const char *password,
			      const struct pki_file *f, EVP_PKEY **key, X509 **cert,
			      STACK_OF(X509) *certs, STACK_OF(X509) *dropped, char *others, size_t size,
			      int *nkeys, struct mmp_err *err)
{
	STACK_OF(EVP_PKEY) *keys = p12_keys(f->p12, password);
	int i, j, chosen = -1, n = 0, left;
	char cn[256];
	size_t len = 0;

	if (keys == NULL && password[0] == '\0')
		keys = p12_keys(f->p12, NULL);
	if (keys == NULL || sk_EVP_PKEY_num(keys) < 2) {
		sk_EVP_PKEY_pop_free(keys, EVP_PKEY_free);
		return MMP_OK;
	}
	/* certs and *cert together: every certificate of the file */
	if (!sk_X509_insert(certs, *cert, 0)) {
		sk_EVP_PKEY_pop_free(keys, EVP_PKEY_free);
		return mmp_err_set(err, MMP_ERR_NOMEM, "%s: out of memory", file);
	}
	*cert = NULL;
	for (i = 0; chosen < 0 && i < sk_EVP_PKEY_num(keys); i++)
		if (matching_cert(certs, sk_EVP_PKEY_value(keys, i)) >= 0)
			chosen = i;
	if (chosen < 0) /* cannot be: PKCS12_parse's key had one */
		chosen = 0;
	EVP_PKEY_free(*key);
	*key = sk_EVP_PKEY_delete(keys, chosen);
	*cert = sk_X509_delete(certs, matching_cert(certs, *key));
	left = sk_EVP_PKEY_num(keys);
	*nkeys = left + 1;
	others[0] = '\0';
	for (i = 0; i < left; i++) {
		j = matching_cert(certs, sk_EVP_PKEY_value(keys, i));
		if (j >= 0) {
			X509 *x = sk_X509_delete(certs, j);
			cert_cn(x, cn, sizeof(cn));
			if (!sk_X509_push(dropped, x))
				X509_free(x);
			n = snprintf(others + len, size - len, "%s%s CN %s", i == 0 ? "" : i + 1 == left ? " and" : ",",
				     left == 1 ? "the key of" : i == 0 ? "the keys of" : "", cn);
		} else {
			n = snprintf(others + len, size - len, "%s%s a key whose certificate the file does not hold",
				     i == 0 ? "" : i + 1 == left ? " and" : ",", i == 0 && left > 1 ? "the keys of" : "");
		}
		len = n < 0 || (size_t)n >= size - len ? size - 1 : len + (size_t)n;
	}
	snprintf(others + len, size - len, left == 1 ? " and its certificate" : " and their certificates");
	sk_EVP_PKEY_pop_free(keys, EVP_PKEY_free);
	return *cert != NULL ? MMP_OK : mmp_err_set(err, MMP_ERR_INTERNAL, "%s: internal error", file);
}

enum mmp_rc pki_pkcs12_extract(const struct store *s, const char *file, const char *base,
			       const char *password, struct report *r, struct mmp_err *err)
{
	struct pki_file *f = NULL;
	EVP_PKEY *key = NULL;
	STACK_OF(X509) *certs = NULL, *chain = sk_X509_new_null(), *dropped = sk_X509_new_null();
	X509 *cert = NULL;
	enum mmp_rc rc;
	int idx, nkeys = 1;
	char others[1024] = "";

	if (chain == NULL || dropped == NULL) {
		sk_X509_free(chain);
		sk_X509_free(dropped);
		return mmp_err_set(err, MMP_ERR_NOMEM, "%s: out of memory", file);
	}
	if ((rc = pki_init_legacy(err)) != MMP_OK || /* RC2/3DES from Windows */
	    (rc = pki_pkcs12_extract_check(s, file, base, err)) != MMP_OK ||
	    (rc = pki_file_load(s, file, &f, err)) != MMP_OK ||
	    (rc = p12_open(f, password, &key, &certs, err)) != MMP_OK)
		goto out;
	/* as a PEM file (PKI_FILE_MAX_BLOCKS): the bundle written must be one
	 * mmp reads again, and ordering 12,000 certificates took 90 s */
	if (sk_X509_num(certs) > PKI_FILE_MAX_BLOCKS) {
		rc = mmp_err_set(err, MMP_ERR_FORMAT,
				 "%s holds %d certificates, more than the %d any chain or trust bundle holds: nothing was written; export it again with the certificate of its key and that certificate's chain only",
				 file, sk_X509_num(certs), PKI_FILE_MAX_BLOCKS);
		goto out;
	}
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
	if ((rc = other_keys(file, password, f, &key, &cert, certs, dropped, others, sizeof(others),
			     &nkeys, err)) != MMP_OK)
		goto out;
	if (!build_chain(cert, certs, chain)) {
		rc = mmp_err_set(err, MMP_ERR_NOMEM, "%s: out of memory", file);
		goto out;
	}
	if ((rc = write_all(s, base, key, cert, chain, err)) == MMP_OK)
		tell(file, base, cert, chain, certs, dropped, nkeys > 1 ? others : NULL, nkeys, r);
out:
	X509_free(cert);
	sk_X509_pop_free(certs, X509_free);
	sk_X509_pop_free(chain, X509_free);
	sk_X509_pop_free(dropped, X509_free);
	EVP_PKEY_free(key);
	pki_file_free(f);
	return rc;
}
