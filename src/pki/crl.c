/*
 * crl.c: certificate revocation lists for pki verify (RFC 5280 section 5):
 * read from crl: files and from the CRL blocks of a trust bundle, PEM or
 * DER, with the RFC 5280 rules OpenSSL does not check when it uses them.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "verify_core.h"

/* RFC 5280 5.2.3: "CRL issuers conforming to this profile MUST include
 * this extension in all CRLs and MUST mark this extension as
 * non-critical". NULL when c keeps the rule, else why it does not. */
const char *pki_crl_number_fault(const X509_CRL *c)
{
	int at = X509_CRL_get_ext_by_NID(c, NID_crl_number, -1);

	if (at < 0)
		return "it has no CRLNumber extension, which RFC 5280 section 5.2.3 requires";
	if (X509_EXTENSION_get_critical(X509_CRL_get_ext(c, at)))
		return "its CRLNumber extension is marked critical, which RFC 5280 section 5.2.3 forbids";
	return NULL;
}

static enum mmp_rc crl_push(struct vin *in, X509_CRL *c, const char *src, size_t nth,
			    struct mmp_err *err)
{
	struct vcrl *grown;
	const char *fault = pki_crl_number_fault(c);

	if (fault != NULL) {
		X509_CRL_free(c);
		return pki_err_is(mmp_err_set(err, MMP_ERR_VERIFY,
				   "%s: CRL %zu: %s: revocation cannot be checked with it: get a conforming CRL from the CA",
				   src, nth, fault),
				  err, "crl.malformed", src, 0, "get a");
	}
	if ((grown = realloc(in->crl, (in->n_crl + 1) * sizeof(*grown))) == NULL) {
		X509_CRL_free(c);
		return mmp_err_set(err, MMP_ERR_NOMEM, "pki verify: out of memory");
	}
	in->crl = grown;
	in->crl[in->n_crl].c = c;
	snprintf(in->crl[in->n_crl].src, sizeof(in->crl[in->n_crl].src), "%s", src);
	in->n_crl++;
	return MMP_OK;
}

enum mmp_rc vin_add_crls(struct vin *in, const void *blob, size_t len, const char *src,
			 int must, struct mmp_err *err)
{
	static const char pem[] = "-----BEGIN ";
	enum mmp_rc rc = MMP_OK;
	X509_CRL *c;
	size_t n = 0;

	if (len >= sizeof(pem) - 1 && memmem(blob, len, pem, sizeof(pem) - 1) != NULL) {
		BIO *b = BIO_new_mem_buf(blob, (int)len);

		if (b == NULL)
			return mmp_err_set(err, MMP_ERR_NOMEM, "pki verify: out of memory");
		while (rc == MMP_OK && (c = PEM_read_bio_X509_CRL(b, NULL, NULL, NULL)) != NULL)
			rc = crl_push(in, c, src, ++n, err);
		BIO_free(b);
	} else {
		const unsigned char *p = blob;

		if ((c = d2i_X509_CRL(NULL, &p, (long)len)) != NULL)
			rc = crl_push(in, c, src, ++n, err);
	}
	pki_err_clear();
	if (rc == MMP_OK && n == 0 && must)
		return pki_err_is(mmp_err_set(err, MMP_ERR_FORMAT,
				   "%s holds no certificate revocation list: give a CRL, PEM (X509 CRL) or DER",
				   src),
				  err, "crl.none", src, 0, "give a");
	return rc;
}

static void crl_time(const ASN1_TIME *t, char *buf, size_t size)
{
	struct tm tm;

	if (t == NULL || !ASN1_TIME_to_tm(t, &tm) ||
	    strftime(buf, size, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(buf, size, "an unreadable date");
}

/* RFC 5280 5.3.1 CRLReason names, by code. */
static const char *reason_name(long code)
{
	static const char *const names[] = {
		"unspecified", "keyCompromise", "cACompromise", "affiliationChanged",
		"superseded", "cessationOfOperation", "certificateHold", NULL,
		"removeFromCRL", "privilegeWithdrawn", "aACompromise",
	};

	if (code >= 0 && code < (long)(sizeof(names) / sizeof(names[0])) && names[code] != NULL)
		return names[code];
	return "an unknown reason";
}

int vin_revoked_text(const struct vin *in, X509 *x, char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < in->n_crl; i++) {
		X509_REVOKED *rev = NULL;
		ASN1_ENUMERATED *reason;
		char when[64], why[96];

		if (X509_NAME_cmp(X509_CRL_get_issuer(in->crl[i].c), X509_get_issuer_name(x)) != 0 ||
		    X509_CRL_get0_by_cert(in->crl[i].c, &rev, x) != 1 || rev == NULL)
			continue;
		crl_time(X509_REVOKED_get0_revocationDate(rev), when, sizeof(when));
		reason = X509_REVOKED_get_ext_d2i(rev, NID_crl_reason, NULL, NULL);
		if (reason != NULL) {
			long code = ASN1_ENUMERATED_get(reason);
			snprintf(why, sizeof(why), "reason code %ld, %s", code, reason_name(code));
		} else {
			snprintf(why, sizeof(why), "no reason code given");
		}
		ASN1_ENUMERATED_free(reason);
		pki_err_clear();
		snprintf(buf, size, "the CRL in %s revokes it since %s (%s; RFC 5280 section 5.3.1)",
			 in->crl[i].src, when, why);
		return 1;
	}
	pki_err_clear();
	snprintf(buf, size, "a CRL given revokes it (RFC 5280 section 5.3.1)");
	return 0;
}

void vin_crl_expired(const struct vin *in, size_t i, time_t at, char *when, size_t size)
{
	const ASN1_TIME *next = X509_CRL_get0_nextUpdate(in->crl[i].c);

	when[0] = '\0';
	if (next != NULL && ASN1_TIME_cmp_time_t(next, at) < 0)
		crl_time(next, when, size);
	pki_err_clear();
}
