/*
 * compat.c: what clients refuse although RFC 5280 path validation passes
 * (issue 11 class 4): key sizes, RSA-PSS keys, SHA-1/MD5 signatures,
 * serial numbers, subjectAltName and lifetime of TLS server certificates,
 * duplicate extensions. One WARNING (or FAILURE) line per rule broken.
 */
#include <string.h>
#include <strings.h>

#include <idn2.h>
#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/x509v3.h>

#include "internal.h"
#include "mmp/roots.h"

#define RSA_MIN_BITS 2048       /* NIST SP 800-131A Rev. 2; CA/B Forum BR 6.1.5 */
#define RSA_MAX_BITS 4096       /* Cisco Unified CM Security Guide, "Certificates" */
#define APPLE_MAX_DAYS 825      /* Apple HT210176 (iOS 13, macOS 10.15) */
#define PUBLIC_MAX_DAYS 398     /* CA/B Forum BR 6.3.2; Apple HT211025 */
#define PUBLIC_398_FROM 1598918400 /* 2020-09-01 00:00:00 UTC */

/* CA/B Forum ballot SC-081 (BR section 6.3.2): the longest validity period
 * of a public TLS server certificate by its date of issue, counted
 * notBefore through notAfter inclusive (BR section 1.6.1) */
static const struct {
	time_t from;
	const char *day;
	int days;
} sc081[] = {
	{ 1868227200, "2029-03-15", 47 },
	{ 1805068800, "2027-03-15", 100 },
	{ 1773532800, "2026-03-15", 200 },
};

int pki_cert_duplicate_extension(const struct pki_file *f, size_t i, char *name, size_t n)
{
	const STACK_OF(X509_EXTENSION) *exts;
	int a, b, count;

	if (name != NULL && n > 0)
		name[0] = '\0';
	if (i >= pki_file_cert_count(f))
		return -1;
	exts = X509_get0_extensions(sk_X509_value(f->certs, (int)i));
	count = sk_X509_EXTENSION_num(exts);
	for (a = 0; a < count; a++) {
		const ASN1_OBJECT *oa = X509_EXTENSION_get_object(sk_X509_EXTENSION_value(exts, a));
		for (b = a + 1; b < count; b++) {
			if (OBJ_cmp(oa, X509_EXTENSION_get_object(sk_X509_EXTENSION_value(exts, b))) != 0)
				continue;
			if (name != NULL && n > 0) {
				int nid = OBJ_obj2nid(oa);
				if (nid != NID_undef)
					snprintf(name, n, "%s", OBJ_nid2sn(nid));
				else
					OBJ_obj2txt(name, (int)n, oa, 1);
			}
			return 1;
		}
	}
	return 0;
}

/* "CN = x" when the subject has a CN, else the whole subject. */
static void label_of(X509 *x, char *buf, size_t size);

enum mmp_rc pki_dup_extension_error(const struct pki_file *f, struct mmp_err *err)
{
	size_t i;
	char ext[80], who[256];

	for (i = 0; f != NULL && i < pki_file_cert_count(f); i++) {
		if (pki_cert_duplicate_extension(f, i, ext, sizeof(ext)) != 1)
			continue;
		label_of(sk_X509_value(f->certs, (int)i), who, sizeof(who));
		return pki_err_is(mmp_err_set(err, MMP_ERR_RULE,
				   "%s: certificate %zu (%s) has the %s extension more than once, which RFC 5280 section 4.2 forbids: OpenSSL, the services and browsers refuse the certificate for that alone; ask its CA for a corrected certificate",
				   f->name, i + 1, who, ext),
			  err, "cert.duplicate_extension", f->name, (int)(i + 1), "ask its CA");
	}
	return MMP_OK;
}

static void label_of(X509 *x, char *buf, size_t size)
{
	const X509_NAME *n = X509_get_subject_name(x);
	int at = X509_NAME_get_index_by_NID(n, NID_commonName, -1);
	X509_NAME *one;

	if (at < 0 || (one = X509_NAME_new()) == NULL) {
		pki_name_oneline(n, buf, size);
		return;
	}
	if (X509_NAME_add_entry(one, X509_NAME_get_entry(n, at), -1, 0))
		pki_name_oneline(one, buf, size);
	else
		pki_name_oneline(n, buf, size);
	X509_NAME_free(one);
}

/* The label of a certificate, made the first time a line needs it: most
 * certificates of a bundle get no line, and the label costs a name print. */
struct who {
	X509 *x;
	char buf[256];
	int made;
};

static const char *who_of(struct who *w)
{
	if (!w->made) {
		label_of(w->x, w->buf, sizeof(w->buf));
		w->made = 1;
	}
	return w->buf;
}

/* Is a key's type name (EVP_PKEY_get0_type_name: the provider's first
 * name, "RSA", "RSA-PSS", "ED25519", "DSA") the one asked for? */
static int is_type(const char *type, const char *want)
{
	return OPENSSL_strcasecmp(type, want) == 0;
}

/* RSA key size and key type (RSA-PSS). */
static void check_key(const struct pki_file *f, size_t i, X509 *x, struct who *w,
		      unsigned flags, struct report *r)
{
	EVP_PKEY *k = X509_get0_pubkey(x);
	const char *type;
	int bits;
	const char *fix = flags & PKI_COMPAT_LEAF
				  ? "make a new key and CSR with pki csr (RSA 2048) and have it signed"
				  : "use a CA certificate with a larger key (ask the CA for its current one)";

	if (k == NULL)
		return;
	/* the type's name once: each EVP_PKEY_is_a looks the name up under
	 * the provider store's lock */
	type = EVP_PKEY_get0_type_name(k);
	if (type == NULL)
		type = "";
	bits = EVP_PKEY_get_bits(k);
	if (is_type(type, "RSA-PSS")) {
		report_check(r, REPORT_WARNING, "compat.rsa_pss", f->name, (int)(i + 1),
			     "%s: certificate %zu (%s) has an RSA-PSS key (rsassaPss), which most TLS clients and CAs do not take in a certificate (CA/Browser Forum BR section 7.1.3.1: rsaEncryption only)",
			     f->name, i + 1, who_of(w));
		report_remedy(r, "%s", flags & PKI_COMPAT_LEAF ? "make a new key and CSR with pki csr (RSA 2048) and have it signed"
						   : "ask the CA for a certificate with an RSA (rsaEncryption) key");
	}
	if (is_type(type, "ED25519") || is_type(type, "ED448")) {
		report_check(r, REPORT_WARNING, "compat.eddsa", f->name, (int)(i + 1),
			     "%s: certificate %zu (%s) has an %s key: browsers and SIP/Lync peers do not accept EdDSA certificates (CA/Browser Forum BR section 6.1.5 allows RSA and ECDSA P-256/P-384/P-521 only)",
			     f->name, i + 1, who_of(w), is_type(type, "ED25519") ? "Ed25519" : "Ed448");
		report_remedy(r, "%s", flags & PKI_COMPAT_LEAF ? "make an RSA 2048 key and CSR with pki csr and have it signed"
						   : "ask the CA for a certificate with an RSA or ECDSA key");
	} else if (is_type(type, "DSA")) {
		report_check(r, REPORT_WARNING, "compat.dsa", f->name, (int)(i + 1),
			     "%s: certificate %zu (%s) has a DSA key: DSA is not used by TLS 1.3 or browsers (RFC 8446 section 4.2.3, CA/Browser Forum BR section 6.1.5)",
			     f->name, i + 1, who_of(w));
		report_remedy(r, "%s", flags & PKI_COMPAT_LEAF ? "make an RSA 2048 key and CSR with pki csr and have it signed"
						   : "ask the CA for a certificate with an RSA or ECDSA key");
	}
	if (!is_type(type, "RSA") && !is_type(type, "RSA-PSS"))
		return;
	if (bits < RSA_MIN_BITS) {
		report_check(r, (flags & PKI_COMPAT_OWN) && (flags & PKI_COMPAT_LEAF) ? REPORT_FAILURE
											  : REPORT_WARNING, "compat.rsa_small", f->name, (int)(i + 1),
			     "%s: certificate %zu (%s) has an RSA key of %d bits, and clients refuse RSA keys under %d bits (NIST SP 800-131A, CA/Browser Forum BR section 6.1.5)",
			     f->name, i + 1, who_of(w), bits, RSA_MIN_BITS);
		report_remedy(r, "%s", fix);
	} else if (bits > RSA_MAX_BITS) {
		report_check(r, REPORT_WARNING, "compat.rsa_large", f->name, (int)(i + 1),
			     "%s: certificate %zu (%s) has an RSA key of %d bits, and CUCM and Expressway take keys of at most %d bits (Cisco Unified CM Security Guide, Certificates)",
			     f->name, i + 1, who_of(w), bits, RSA_MAX_BITS);
		report_remedy(r, "%s", flags & PKI_COMPAT_LEAF ? "make a new key and CSR with pki csr (RSA 2048) and have it signed"
						   : "ask the CA for a certificate with a key of 4096 bits or less");
	}
}

/* SHA-1/MD5 where the SHA-2 rule of guide chapter 3 (pki_rule_sha2) does
 * not already speak: a self-signed root, or anything in a trust bundle. */
static void check_digest(const struct pki_file *f, size_t i, X509 *x, struct who *w,
			 unsigned flags, struct report *r)
{
	int md = NID_undef;
	const char *alg;

	if (!X509_get_signature_info(x, &md, NULL, NULL, NULL))
		pki_err_clear();
	if (md != NID_sha1 && md != NID_md5 && md != NID_md5_sha1 && md != NID_md4 && md != NID_md2)
		return;
	if (!(flags & PKI_COMPAT_NO_SHA2_RULE) &&
	    pki_rule_sha2(f, i, !(flags & PKI_COMPAT_LEAF), NULL, 0) != 1)
		return; /* the SHA-2 rule reports it */
	alg = OBJ_nid2ln(X509_get_signature_nid(x));
	if (pki_self_signed(x)) {
		report_check(r, REPORT_WARNING, "compat.sha1_root", f->name, (int)(i + 1),
			     "%s: certificate %zu (%s) is a root signed with %s: current clients refuse SHA-1 and MD5 signatures (RFC 9155, CA/Browser Forum BR section 7.1.3.2); most do not check a root's own signature, but some do",
			     f->name, i + 1, who_of(w), alg != NULL ? alg : "SHA-1 or MD5");
		report_remedy(r, "replace it with the CA's SHA-256 root");
	} else {
		report_check(r, REPORT_WARNING, "compat.sha1", f->name, (int)(i + 1),
			     "%s: certificate %zu (%s) is signed with %s, and current clients refuse SHA-1 and MD5 signatures (RFC 9155, CA/Browser Forum BR section 7.1.3.2)",
			     f->name, i + 1, who_of(w), alg != NULL ? alg : "SHA-1 or MD5");
		report_remedy(r, "have it reissued with SHA-256");
	}
	pki_err_clear();
}

/* RFC 5280 4.1.2.2: the serial number MUST be a positive integer. */
static void check_serial(const struct pki_file *f, size_t i, X509 *x, struct who *w,
			 struct report *r)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);

	if (bn != NULL && (BN_is_zero(bn) || BN_is_negative(bn))) {
		report_check(r, REPORT_WARNING, "compat.serial", f->name, (int)(i + 1),
			     "%s: certificate %zu (%s) has a %s serial number, and RFC 5280 section 4.1.2.2 requires a positive one; strict clients refuse it",
			     f->name, i + 1, who_of(w), BN_is_zero(bn) ? "zero" : "negative");
		report_remedy(r, "have it reissued");
	}
	BN_free(bn);
}

/* name in A-label form (IDNA2008, RFC 5890) into out; 0 when it is not a
 * valid internationalised domain name. ASCII names are copied. */
static int a_label(const char *name, char *out, size_t size)
{
	char *ascii = NULL;
	int ok;

	ok = idn2_to_ascii_8z(name, &ascii, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL) == IDN2_OK;
	if (ok)
		snprintf(out, size, "%s", ascii);
	idn2_free(ascii);
	return ok;
}

/* Is the CN (UTF-8) one of the DNS or IP names of gens? 1 when so, 0 when
 * not, -1 when a dNSName is the CN with a final dot. */
static int cn_in_san(const char *cn, const GENERAL_NAMES *gens)
{
	char ace[256];
	int i;

	if (!a_label(cn, ace, sizeof(ace)))
		snprintf(ace, sizeof(ace), "%s", cn);
	for (i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
		GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		ASN1_OCTET_STRING *ip = NULL;
		int same = 0;

		if (g->type == GEN_DNS) {
			const unsigned char *p = ASN1_STRING_get0_data(g->d.dNSName);
			int len = ASN1_STRING_length(g->d.dNSName);
			same = (size_t)len == strlen(ace) && strncasecmp((const char *)p, ace, (size_t)len) == 0;
			/* "cms.example.com." is no dNSName (RFC 5280 4.2.1.6), and
			 * browsers do not match it: the CN is not there */
			if (!same && len > 1 && p[len - 1] == '.' && (size_t)len - 1 == strlen(ace) &&
			    strncasecmp((const char *)p, ace, (size_t)len - 1) == 0)
				return -1;
		} else if (g->type == GEN_IPADD && (ip = a2i_IPADDRESS(cn)) != NULL) {
			same = ASN1_OCTET_STRING_cmp(ip, g->d.iPAddress) == 0;
		}
		ASN1_OCTET_STRING_free(ip);
		pki_err_clear();
		if (same)
			return 1;
	}
	return 0;
}

/* RFC 6125 section 6.4.4, CA/B Forum BR 7.1.4.2: clients match the names
 * of subjectAltName and ignore the CN when there is a subjectAltName. */
static void check_names(const struct pki_file *f, size_t i, X509 *x, struct who *w,
			struct report *r)
{
	int crit = -1, at;
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, &crit, NULL);
	const X509_NAME *n = X509_get_subject_name(x);
	unsigned char *cn = NULL;
	int in = 1;

	pki_err_clear();
	at = X509_NAME_get_index_by_NID(n, NID_commonName, -1);
	if (at >= 0 &&
	    ASN1_STRING_to_UTF8(&cn, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, at))) < 0)
		cn = NULL;
	if (gens == NULL && crit == -1) {
		report_check(r, REPORT_WARNING, "compat.no_san", f->name, (int)(i + 1),
			     "%s: certificate %zu (%s) is a TLS server certificate without subjectAltName: browsers and current TLS clients ignore the CN and refuse it (RFC 6125 section 6.4.4, CA/Browser Forum BR section 7.1.4.2.1)",
			     f->name, i + 1, who_of(w));
		report_remedy(r, "have it reissued from a CSR with subjectAltName (pki csr adds the CN to it)");
	} else if (gens != NULL && cn != NULL && (in = cn_in_san((const char *)cn, gens)) < 0) {
		char *esc = pki_escape_dup(cn, strlen((const char *)cn));

		report_check(r, REPORT_WARNING, "compat.cn_not_in_san", f->name, (int)(i + 1),
			     "%s: certificate %zu (%s) has its CN only as the subjectAltName entry DNS:%s. with a final dot, which a DNS name in a certificate does not have (RFC 5280 section 4.2.1.6): browsers do not match it, and ignore the CN (RFC 6125 section 6.4.4)",
			     f->name, i + 1, who_of(w), esc != NULL ? esc : "?");
		report_remedy(r, "have it reissued with DNS:%s, without the final dot, in subjectAltName",
			      esc != NULL ? esc : "the CN");
		free(esc);
	} else if (gens != NULL && cn != NULL && in == 0) {
		report_check(r, REPORT_WARNING, "compat.cn_not_in_san", f->name, (int)(i + 1),
			     "%s: certificate %zu (%s) has a CN that is not among its subjectAltName names: browsers and current TLS clients ignore the CN (RFC 6125 section 6.4.4, CA/Browser Forum BR section 7.1.4.2.2)",
			     f->name, i + 1, who_of(w));
		report_remedy(r, "have it reissued with the CN in subjectAltName too");
	}
	OPENSSL_free(cn);
	GENERAL_NAMES_free(gens);
	pki_err_clear();
}

/* SC-081: a certificate that chains to a public root (f and more) and is
 * longer than the limit for its date of issue. 1 when it said so. */
static int check_sc081(const struct pki_file *f, size_t i, const struct pki_file *more, X509 *x,
		       struct who *w, int days, int secs, struct report *r)
{
	struct tm tm;
	char root[256], issued[16];
	size_t k;

	if (!ASN1_TIME_to_tm(X509_get0_notBefore(x), &tm)) {
		pki_err_clear();
		return 0;
	}
	strftime(issued, sizeof(issued), "%Y-%m-%d", &tm);
	for (k = 0; k < sizeof(sc081) / sizeof(sc081[0]); k++) {
		time_t before = sc081[k].from - 1; /* issued on the day counts */
		if (X509_cmp_time(X509_get0_notBefore(x), &before) > 0)
			break;
	}
	/* inclusive: exactly N days is N days and a second */
	if (k == sizeof(sc081) / sizeof(sc081[0]) || days < sc081[k].days ||
	    X509_self_signed(x, 0) == 1 || !pki_chains_to_public(f, i, more, root, sizeof(root)))
		return 0;
	report_check(r, REPORT_WARNING, "cert.lifetime_sc081", f->name, (int)(i + 1),
		     "%s: certificate %zu (%s) is from a public CA (root %s), issued on %s and valid for %s%d days: public TLS server certificates issued since %s may be valid for at most %d days, notBefore through notAfter inclusive (CA/Browser Forum ballot SC-081, BR section 6.3.2: 200 days from 2026-03-15, 100 from 2027-03-15, 47 from 2029-03-15), and browsers distrust a CA's certificates that break it",
		     f->name, i + 1, who_of(w), root, issued,
		     secs > 0 || days == sc081[k].days ? "more than " : "", days, /* inclusive */
		     sc081[k].day, sc081[k].days);
	report_remedy(r, "renew it with pki csr <name> from:%s and have the CA issue it for %d days or fewer; plan renewals at that pace",
		      f->name, sc081[k].days);
	return 1;
}

/* Apple HT210176 (825 days, every TLS server certificate), CA/B Forum BR
 * 6.3.2 and Apple HT211025 (398 days, public CAs, issued since
 * 2020-09-01), SC-081 (shorter, public CAs, issued since 2026-03-15). */
static void check_lifetime(const struct pki_file *f, size_t i, const struct pki_file *more, X509 *x,
			   struct who *w, struct report *r)
{
	int days = 0, secs = 0, sc = 0;
	time_t from = PUBLIC_398_FROM;
	char span[32];

	if (!ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(x), X509_get0_notAfter(x))) {
		pki_err_clear();
		return;
	}
	if (days > 47) /* the shortest limit: only then can SC-081 speak */
		sc = check_sc081(f, i, more, x, w, days, secs, r);
	/* whole days, "more than N" when it is N days and some seconds */
	snprintf(span, sizeof(span), "%s%d", secs > 0 && (days == APPLE_MAX_DAYS || days == PUBLIC_MAX_DAYS) ? "more than " : "", days);
	if (days > APPLE_MAX_DAYS || (days == APPLE_MAX_DAYS && secs > 0)) {
		report_check(r, REPORT_WARNING, "compat.lifetime_apple", f->name, (int)(i + 1),
			     "%s: certificate %zu (%s) is valid for %s days, and Apple clients refuse a TLS server certificate valid for more than %d days (Apple HT210176), browsers one from a public CA valid for more than %d (CA/Browser Forum BR section 6.3.2)",
			     f->name, i + 1, who_of(w), span, APPLE_MAX_DAYS, PUBLIC_MAX_DAYS);
		report_remedy(r, "have it reissued for %d days or fewer", PUBLIC_MAX_DAYS);
	} else if (!sc && (days > PUBLIC_MAX_DAYS || (days == PUBLIC_MAX_DAYS && secs > 0)) &&
		 X509_cmp_time(X509_get0_notBefore(x), &from) >= 0 && X509_self_signed(x, 0) != 1) {
		report_check(r, REPORT_WARNING, "compat.lifetime_public", f->name, (int)(i + 1),
			     "%s: certificate %zu (%s) is valid for %s days, and browsers and Apple clients refuse a certificate from a public CA issued since 2020-09-01 for more than %d days (CA/Browser Forum BR section 6.3.2, Apple HT211025), from a private CA for more than %d",
			     f->name, i + 1, who_of(w), span, PUBLIC_MAX_DAYS, APPLE_MAX_DAYS);
		report_remedy(r, "if its CA is a public one, have it reissued for %d days or fewer", PUBLIC_MAX_DAYS);
	}
	pki_err_clear();
}

void pki_compat_cert(const struct pki_file *f, size_t i, const struct pki_file *more, unsigned flags,
		     struct report *r)
{
	X509 *x;
	struct who w;
	char ext[80];
	int dup;

	if (i >= pki_file_cert_count(f))
		return;
	x = sk_X509_value(f->certs, (int)i);
	w.x = x;
	w.made = 0;
	dup = pki_cert_duplicate_extension(f, i, ext, sizeof(ext)) == 1;
	if (dup && !(flags & PKI_COMPAT_DUP_ELSEWHERE)) {
		report_check(r, REPORT_WARNING, "cert.duplicate_extension", f->name, (int)(i + 1),
			     "%s: certificate %zu (%s) has the %s extension more than once, which RFC 5280 section 4.2 forbids; OpenSSL-based clients refuse it",
			     f->name, i + 1, who_of(&w), ext);
		report_remedy(r, "ask its CA for a corrected certificate");
	}
	check_key(f, i, x, &w, flags, r);
	check_digest(f, i, x, &w, flags, r);
	check_serial(f, i, x, &w, r);
	/* a TLS server leaf; a CA (a self-signed test certificate of pki
	 * selfsigned too) is not held to the leaf rules of browsers */
	if (!(flags & PKI_COMPAT_TLS_SERVER) || !(flags & PKI_COMPAT_LEAF) ||
	    (X509_get_extension_flags(x) & EXFLAG_CA) ||
	    pki_rule_role(f, i, PKI_ROLE_SERVER, NULL, 0) != 1) /* said elsewhere */
		return;
	if (!dup) /* with a duplicate, every extension reads as absent */
		check_names(f, i, x, &w, r);
	check_lifetime(f, i, more, x, &w, r);
	pki_err_clear();
}

void pki_compat_file(const struct pki_file *f, long leaf, const struct pki_file *more,
		     unsigned flags, struct report *r)
{
	size_t i;

	for (i = 0; f != NULL && i < pki_file_cert_count(f); i++)
		pki_compat_cert(f, i, more,
				leaf >= 0 && (size_t)leaf == i ? flags | PKI_COMPAT_LEAF
							       : flags & ~(unsigned)PKI_COMPAT_LEAF,
				r);
}
