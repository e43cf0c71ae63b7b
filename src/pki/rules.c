/*
 * rules.c: the usage rules of guide §2.2 (SPEC §6) for one certificate:
 * client role, server role, CA; validity and the expiry warning (§5.3).
 * The order of a full-chain file is in order.c.
 */
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "internal.h"

/* Netscape cert type bits (first octet of the BIT STRING). */
#define NS_BIT_CLIENT 0
#define NS_BIT_SERVER 1
#define NS_BIT_SSL_CA 5

/* -1 when the certificate has no Netscape cert type, else the bit. */
static int ns_bit(X509 *x, int bit)
{
	ASN1_BIT_STRING *bs = X509_get_ext_d2i(x, NID_netscape_cert_type, NULL, NULL);
	int v;

	if (bs == NULL) {
		pki_err_clear();
		return -1;
	}
	v = ASN1_BIT_STRING_get_bit(bs, bit);
	ASN1_BIT_STRING_free(bs);
	return v;
}

static int say(char *why, size_t size, const char *text)
{
	if (why != NULL && size > 0)
		snprintf(why, size, "%s", text);
	return 0;
}

/* guide §2.2 "For server connections" / "For client connections". */
static int check_leaf_role(X509 *x, int server, char *why, size_t size)
{
	uint32_t flags = X509_get_extension_flags(x);
	uint32_t ku = X509_get_key_usage(x), xku = X509_get_extended_key_usage(x);
	int ns;

	if ((flags & EXFLAG_XKUSAGE) && !(xku & (server ? XKU_SSL_SERVER : XKU_SSL_CLIENT)))
		return say(why, size, server ? "ExtendedKeyUsage lacks TLS Web Server Authentication"
					     : "ExtendedKeyUsage lacks TLS Web Client Authentication");
	if ((flags & EXFLAG_KUSAGE) &&
	    !(ku & (server ? (KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT | KU_KEY_AGREEMENT)
			   : (KU_DIGITAL_SIGNATURE | KU_KEY_AGREEMENT))))
		return say(why, size, server ? "KeyUsage has none of digitalSignature, keyEncipherment, keyAgreement"
					     : "KeyUsage has neither digitalSignature nor keyAgreement");
	ns = ns_bit(x, server ? NS_BIT_SERVER : NS_BIT_CLIENT);
	if (ns == 0)
		return say(why, size, server ? "Netscape cert type lacks SSL Server"
					     : "Netscape cert type lacks SSL Client");
	return 1;
}

/* guide §2.2 "all certificates except the leaf must be marked as CA". */
static int check_ca(X509 *x, char *why, size_t size)
{
	uint32_t flags = X509_get_extension_flags(x);
	int ns = ns_bit(x, NS_BIT_SSL_CA), marked = 0;

	if (flags & EXFLAG_KUSAGE) {
		if (!(X509_get_key_usage(x) & KU_KEY_CERT_SIGN))
			return say(why, size, "KeyUsage lacks keyCertSign");
		marked = 1;
	}
	if (flags & EXFLAG_BCONS) {
		if (!(flags & EXFLAG_CA))
			return say(why, size, "basicConstraints is CA:FALSE");
		marked = 1;
	}
	if (ns == 0)
		return say(why, size, "Netscape cert type lacks SSL CA");
	if (!marked && ns != 1)
		return say(why, size, "not marked as a CA: no basicConstraints, KeyUsage or Netscape cert type");
	return 1;
}

int pki_rule_role(const struct pki_file *f, size_t idx, enum pki_role role, char *why,
		  size_t whysize)
{
	X509 *x;

	if (idx >= pki_file_cert_count(f))
		return -1;
	x = sk_X509_value(f->certs, (int)idx);
	if (why != NULL && whysize > 0)
		why[0] = '\0';
	switch (role) {
	case PKI_ROLE_SERVER: return check_leaf_role(x, 1, why, whysize);
	case PKI_ROLE_CLIENT: return check_leaf_role(x, 0, why, whysize);
	case PKI_ROLE_CA: return check_ca(x, why, whysize);
	}
	return -1;
}

int pki_rule_digital_signature(const struct pki_file *f, size_t idx, char *why, size_t whysize)
{
	X509 *x;

	if (idx >= pki_file_cert_count(f))
		return -1;
	x = sk_X509_value(f->certs, (int)idx);
	if ((X509_get_extension_flags(x) & EXFLAG_KUSAGE) &&
	    !(X509_get_key_usage(x) & KU_DIGITAL_SIGNATURE))
		return say(why, whysize,
			   "KeyUsage lacks digitalSignature, which DTLS with the web app needs (guide section 2.1)");
	return 1;
}

/* guide chapter 3 note: "The Meeting Server supports certificates signed
 * using SHA2 algorithms". EdDSA signs without a separate digest: accepted.
 * X509_get_signature_info() also reads the digest of RSA-PSS. */
int pki_rule_sha2(const struct pki_file *f, size_t idx, int above_leaf, char *why, size_t whysize)
{
	int mdnid = NID_undef, pknid = NID_undef;
	X509 *x;

	if (idx >= pki_file_cert_count(f))
		return -1;
	x = sk_X509_value(f->certs, (int)idx);
	if (!X509_get_signature_info(x, &mdnid, &pknid, NULL, NULL))
		pki_err_clear();
	switch (mdnid) {
	case NID_sha224:
	case NID_sha256:
	case NID_sha384:
	case NID_sha512:
	case NID_sha512_224:
	case NID_sha512_256:
		return 1;
	case NID_undef:
		if (pknid == NID_ED25519 || pknid == NID_ED448)
			return 1;
		break;
	}
	/* a root's own signature is checked by nobody (RFC 5280 section 6.1:
	 * the trust anchor's key is taken as given); self-signed means its own
	 * key verifies it, not only the same name (a self-issued rollover is
	 * an intermediate). Asked last: a signature check costs up to 0.4 ms,
	 * 144 of them were 60 ms of inspecting the CA bundle. */
	if (above_leaf && pki_self_signed(x))
		return 1;
	pki_err_clear();
	if (why != NULL && whysize > 0) {
		const char *alg = OBJ_nid2ln(X509_get_signature_nid(x));
		const char *md = mdnid != NID_undef ? OBJ_nid2sn(mdnid) : NULL;
		char subject[256];

		pki_name_oneline(X509_get_subject_name(x), subject, sizeof(subject));
		/* RSA-PSS names its digest only in its parameters */
		snprintf(why, whysize,
			 "%s is signed with %s%s%s, and the Meeting Server supports SHA-2 signatures only",
			 subject, alg != NULL ? alg : "an unknown algorithm",
			 md != NULL && X509_get_signature_nid(x) == NID_rsassaPss ? " using " : "",
			 md != NULL && X509_get_signature_nid(x) == NID_rsassaPss ? md : "");
	}
	return 0;
}

/* Whole days from a to b (b later: positive), rounded toward zero. */
static int days_between(const ASN1_TIME *a, const ASN1_TIME *b)
{
	int days = 0, secs = 0;

	if (!ASN1_TIME_diff(&days, &secs, a, b))
		return 0;
	return days;
}

/* Seconds from a to b. */
static long long left_seconds(const ASN1_TIME *a, const ASN1_TIME *b)
{
	int days = 0, secs = 0;

	if (!ASN1_TIME_diff(&days, &secs, a, b))
		return 0;
	return (long long)days * 86400 + secs;
}

/* "1 day", "3 days" */
static const char *days_text(int d, char *buf, size_t size)
{
	snprintf(buf, size, "%d day%s", d, d == 1 ? "" : "s");
	return buf;
}

/* A CA certificate (basicConstraints CA:TRUE) or a root (self-signed, no
 * basicConstraints: X.509 v1) is not renewed by the admin with a CSR: the
 * CA hands out its current certificate (issue 11 class 1). */
static int is_ca_or_root(X509 *x)
{
	uint32_t flags = X509_get_extension_flags(x);
	int ca = (flags & EXFLAG_CA) || (!(flags & EXFLAG_BCONS) && X509_self_signed(x, 0) == 1);

	pki_err_clear();
	return ca;
}

enum mmp_rc pki_rule_validity(const struct pki_file *f, size_t idx, time_t now, int warn_days,
			      struct report *r)
{
	X509 *x;
	ASN1_TIME *t;
	char subj[256], n[32];
	int d, ca;
	enum mmp_rc rc = MMP_OK;

	if (idx >= pki_file_cert_count(f))
		return MMP_ERR_INTERNAL;
	x = sk_X509_value(f->certs, (int)idx);
	if ((t = ASN1_TIME_set(NULL, now)) == NULL)
		return MMP_ERR_NOMEM;
	pki_name_oneline(X509_get_subject_name(x), subj, sizeof(subj));
	ca = is_ca_or_root(x);
	if (X509_cmp_time(X509_get0_notBefore(x), &now) > 0) {
		d = days_between(t, X509_get0_notBefore(x));
		report_check(r, REPORT_FAILURE, "cert.not_yet_valid", f->name, (int)(idx + 1),
			     "%s: certificate %zu (%s) is not yet valid, it starts in %s",
			     f->name, idx + 1, subj, d > 0 ? days_text(d, n, sizeof(n)) : "less than a day");
		report_remedy(r, "check the system clock or wait (guide section 5.3)");
		rc = MMP_ERR_RULE;
	} else if (X509_cmp_time(X509_get0_notAfter(x), &now) <= 0) {
		d = days_between(X509_get0_notAfter(x), t);
		report_check(r, REPORT_FAILURE, "cert.expired", f->name, (int)(idx + 1),
			     "%s: certificate %zu (%s) expired %s ago",
			     f->name, idx + 1, subj, d > 0 ? days_text(d, n, sizeof(n)) : "less than a day");
		report_remedy(r, "%s (guide section 5.3)", ca ? "it is a CA certificate, which its CA renews: replace it with the CA's current certificate (or a re-issued cross-signed one) and remove the expired one"
			      : "renew it with a new CSR and have it signed again");
		rc = MMP_ERR_RULE;
	} else if (left_seconds(t, X509_get0_notAfter(x)) < (long long)warn_days * 86400) {
		/* a started day counts as a day, as pki inspect shows it */
		d = (int)((left_seconds(t, X509_get0_notAfter(x)) + 86399) / 86400);
		report_check(r, REPORT_WARNING, "cert.expires_soon", f->name, (int)(idx + 1),
			     "%s: certificate %zu (%s) expires in %s",
			     f->name, idx + 1, subj, days_text(d, n, sizeof(n)));
		report_remedy(r, "%s (guide section 5.3)", ca ? "get the CA's current certificate before then" : "renew it soon");
	}
	ASN1_TIME_free(t);
	return rc;
}
