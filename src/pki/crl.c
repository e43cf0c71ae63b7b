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

/* What one verification reads of revocation lists, in all (docs/SECURITY.md):
 * a CRL's entries take about ten times their DER in memory (230 bytes for
 * a 23-byte entry), so 10 MiB of DER, the largest file SFTP uploads, is
 * about 115 MiB; a chain has a few CAs, each with one current CRL. */
#define CRL_MAX 64
#define CRL_MAX_BYTES (10u * 1024u * 1024u)

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

/* A CRL that is not the complete list of its issuer's revoked
 * certificates: OpenSSL (without X509_V_FLAG_USE_DELTAS and
 * X509_V_FLAG_EXTENDED_CRL_SUPPORT) takes a delta CRL as complete, so a
 * certificate revoked in the base CRL passes, and skips an indirect or
 * reason-partitioned CRL without a word, while mmp would say it was used.
 * NULL when c is a complete CRL, else why not. */
static const char *crl_scope_fault(X509_CRL *c)
{
	ISSUING_DIST_POINT *idp;
	const char *why = NULL;
	int crit;

	if (X509_CRL_get_ext_by_NID(c, NID_delta_crl, -1) >= 0)
		return "it is a delta CRL (deltaCRLIndicator, RFC 5280 section 5.2.4), which lists only what changed since its base CRL, so a certificate it does not list may still be revoked";
	if (X509_CRL_get_ext_by_NID(c, NID_issuing_distribution_point, -1) < 0)
		return NULL;
	idp = X509_CRL_get_ext_d2i(c, NID_issuing_distribution_point, &crit, NULL);
	if (idp == NULL)
		why = "its issuingDistributionPoint extension cannot be decoded (RFC 5280 section 5.2.5)";
	/* the BOOLEANs are > 0 when TRUE (0xff as OpenSSL decodes them) */
	else if (idp->indirectCRL > 0)
		why = "it is an indirect CRL (issuingDistributionPoint indirectCRL, RFC 5280 section 5.2.5), which mmp does not use";
	else if (idp->onlysomereasons != NULL)
		why = "it lists only some revocation reasons (issuingDistributionPoint onlySomeReasons, RFC 5280 section 5.2.5), so a certificate it does not list may still be revoked";
	else if (idp->onlyattr > 0)
		why = "it lists attribute certificates only (issuingDistributionPoint onlyContainsAttributeCerts, RFC 5280 section 5.2.5)";
	else if ((idp->onlyuser > 0) + (idp->onlyCA > 0) > 1)
		why = "its issuingDistributionPoint says both onlyContainsUserCerts and onlyContainsCACerts, which RFC 5280 section 5.2.5 forbids";
	ISSUING_DIST_POINT_free(idp);
	return why;
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
	if ((fault = crl_scope_fault(c)) != NULL) {
		X509_CRL_free(c);
		pki_err_clear();
		return pki_err_is(mmp_err_set(err, MMP_ERR_VERIFY,
				   "%s: CRL %zu: %s: give only the complete CRL of the CA (the one its certificates' CRL distribution point names)",
				   src, nth, fault),
				  err, "crl.incomplete", src, 0, "give only");
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

/* Room for the nth CRL of src, len bytes of DER, within CRL_MAX and
 * CRL_MAX_BYTES; counted when there is. */
static enum mmp_rc crl_room(struct vin *in, size_t len, const char *src, size_t nth,
			    struct mmp_err *err)
{
	if (in->n_crl >= CRL_MAX)
		return pki_err_is(mmp_err_set(err, MMP_ERR_VERIFY,
				   "%s: CRL %zu is more than the %d revocation lists one pki verify reads: give only the current CRL of each CA of the chain",
				   src, nth, CRL_MAX),
				  err, "crl.too_many", src, 0, "give only");
	if (len > CRL_MAX_BYTES - in->crl_bytes)
		return pki_err_is(mmp_err_set(err, MMP_ERR_VERIFY,
				   "%s: CRL %zu (%.1f MiB) takes the revocation lists of this pki verify over the %u MiB it reads: give only the current CRL of each CA of the chain",
				   src, nth, (double)len / (1024 * 1024), CRL_MAX_BYTES >> 20),
				  err, "crl.too_large", src, 0, "give only");
	in->crl_bytes += len;
	return MMP_OK;
}

/* The nth CRL of src, len bytes of DER: *c NULL when they are no CRL. */
static enum mmp_rc crl_der(struct vin *in, const unsigned char *der, long len, const char *src,
			   size_t nth, X509_CRL **c, struct mmp_err *err)
{
	const unsigned char *p = der;
	enum mmp_rc rc = crl_room(in, (size_t)len, src, nth, err);

	*c = NULL;
	if (rc != MMP_OK)
		return rc;
	if ((*c = d2i_X509_CRL(NULL, &p, len)) == NULL && pki_err_clear())
		return mmp_err_set(err, MMP_ERR_NOMEM, "pki verify: out of memory");
	return MMP_OK;
}

/* An X509 CRL block: one that does not decode is an error, not a list
 * silently left out. */
static enum mmp_rc crl_pem(struct vin *in, const unsigned char *der, long len, const char *src,
			   size_t nth, struct mmp_err *err)
{
	X509_CRL *c;
	enum mmp_rc rc = crl_der(in, der, len, src, nth, &c, err);

	if (rc != MMP_OK)
		return rc;
	if (c == NULL)
		return pki_err_is(mmp_err_set(err, MMP_ERR_FORMAT,
				   "%s: CRL %zu cannot be decoded: revocation cannot be checked with it: get the CRL from the CA again",
				   src, nth),
				  err, "crl.malformed", src, 0, "get the");
	return crl_push(in, c, src, nth, err);
}

enum mmp_rc vin_add_crls(struct vin *in, const void *blob, size_t len, const char *src,
			 int must, struct mmp_err *err)
{
	static const char pem[] = "-----BEGIN ";
	enum mmp_rc rc = MMP_OK;
	size_t n = 0;

	if (len >= sizeof(pem) - 1 && memmem(blob, len, pem, sizeof(pem) - 1) != NULL) {
		BIO *b = BIO_new_mem_buf(blob, (int)len);
		char *name = NULL, *header = NULL;
		unsigned char *data = NULL;
		long dlen = 0;

		if (b == NULL)
			return mmp_err_set(err, MMP_ERR_NOMEM, "pki verify: out of memory");
		/* every X509 CRL block, other blocks skipped (certificates of a
		 * bundle); a CRL block that does not decode is an error, not a
		 * list silently left out */
		while (rc == MMP_OK && PEM_read_bio(b, &name, &header, &data, &dlen) == 1) {
			if (strcmp(name, PEM_STRING_X509_CRL) == 0)
				rc = crl_pem(in, data, dlen, src, ++n, err);
			OPENSSL_free(name);
			OPENSSL_free(header);
			OPENSSL_free(data);
		}
		BIO_free(b);
	} else if (len > 0) {
		X509_CRL *c; /* DER: one CRL, or none */

		if ((rc = crl_der(in, blob, (long)len, src, 1, &c, err)) == MMP_OK && c != NULL)
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

/* "the CRL in <src> revokes it since <date> (reason code 1,
 * keyCompromise; RFC 5280 section 5.3.1)" for entry rev. */
static void revoked_entry_text(const X509_REVOKED *rev, const char *src, char *buf, size_t size)
{
	ASN1_ENUMERATED *reason;
	char when[64], why[96];

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
	snprintf(buf, size, "the CRL in %s revokes it since %s (%s; RFC 5280 section 5.3.1)", src,
		 when, why);
}

int vin_revoked_text(const struct vin *in, X509 *x, char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < in->n_crl; i++) {
		X509_REVOKED *rev = NULL;

		if (X509_NAME_cmp(X509_CRL_get_issuer(in->crl[i].c), X509_get_issuer_name(x)) != 0 ||
		    X509_CRL_get0_by_cert(in->crl[i].c, &rev, x) != 1 || rev == NULL)
			continue;
		revoked_entry_text(rev, in->crl[i].src, buf, size);
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

const char *vin_crl_unusable(const struct vin *in, const X509_CRL *crl, int code, char *buf,
			     size_t size, const char **src)
{
	const char *cause = X509_verify_cert_error_string(code), *remedy = "get the current CRL of that CA";
	char when[64];
	size_t i;

	switch (code) {
	case X509_V_ERR_KEYUSAGE_NO_CRL_SIGN:
		cause = "the keyUsage of that CA's certificate lacks cRLSign, so no CRL signed with its key may be used (RFC 5280 section 4.2.1.3)";
		remedy = "ask the CA for a CA certificate with cRLSign, or leave the CRL out (revocation is then not checked)";
		break;
	case X509_V_ERR_CRL_SIGNATURE_FAILURE:
	case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
		cause = "its signature does not verify with the key of that CA: the CRL was altered, or another CA of that name signed it";
		remedy = "get the current CRL of that CA again";
		break;
	case X509_V_ERR_CRL_NOT_YET_VALID:
		crl_time(crl != NULL ? X509_CRL_get0_lastUpdate(crl) : NULL, when, sizeof(when));
		snprintf(buf, size, "its thisUpdate, %s, is later than now (RFC 5280 section 5.1.2.4)", when);
		cause = buf;
		remedy = "check the system date and time, or get the current CRL of that CA";
		break;
	case X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD:
	case X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD:
		cause = "its thisUpdate or nextUpdate date is malformed (RFC 5280 section 5.1.2.4)";
		break;
	case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
		cause = "the certificate of the CA that signed it is not among the files";
		remedy = "add the certificate of the CA that signs the CRL to the bundle";
		break;
	case X509_V_ERR_DIFFERENT_CRL_SCOPE:
		cause = "it does not cover this certificate: its issuingDistributionPoint names other certificates or another distribution point (RFC 5280 section 5.2.5)";
		remedy = "give the CRL that the certificate's CRL distribution point names";
		break;
	case X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION:
		cause = "it, or one of its entries, has a critical extension that mmp cannot process, so it must not be used (RFC 5280 sections 5.2 and 5.3)";
		remedy = "ask the CA for its complete CRL without such extensions, or leave the CRL out (revocation is then not checked)";
		break;
	case X509_V_ERR_CRL_PATH_VALIDATION_ERROR:
		cause = "the certificate that signed it does not verify up to the trusted root";
		remedy = "get the current CRL of that CA again";
		break;
	}
	if (cause != buf)
		snprintf(buf, size, "%s", cause);
	*src = NULL;
	for (i = 0; crl != NULL && i < in->n_crl; i++)
		if (in->crl[i].c == crl)
			*src = in->crl[i].src;
	return remedy;
}

long vin_crl_superseded(const struct vin *in, size_t i)
{
	const ASN1_TIME *mine = X509_CRL_get0_lastUpdate(in->crl[i].c);
	size_t j;
	int cmp;

	/* a list with an issuingDistributionPoint covers a part only: OpenSSL
	 * prefers the one whose scope fits, whatever its date */
	if (X509_CRL_get_ext_by_NID(in->crl[i].c, NID_issuing_distribution_point, -1) >= 0)
		return -1;
	for (j = 0; j < in->n_crl; j++) {
		if (j == i || X509_NAME_cmp(X509_CRL_get_issuer(in->crl[j].c),
					    X509_CRL_get_issuer(in->crl[i].c)) != 0 ||
		    X509_CRL_get_ext_by_NID(in->crl[j].c, NID_issuing_distribution_point, -1) >= 0)
			continue;
		cmp = ASN1_TIME_compare(X509_CRL_get0_lastUpdate(in->crl[j].c), mine);
		if (cmp > 0 || (cmp == 0 && j < i))
			return (long)j;
	}
	return -1;
}

/* The issuer of x among the certificates of a and b whose name is the
 * CRL's issuer, and whose key verifies crl; NULL when none. */
static X509 *crl_signer(X509_CRL *crl, X509 *x, const struct pki_file *a, const struct pki_file *b)
{
	const struct pki_file *f[2] = { a, b };
	size_t k;
	int j;

	for (k = 0; k < 2; k++)
		for (j = 0; f[k] != NULL && j < sk_X509_num(f[k]->certs); j++) {
			X509 *c = sk_X509_value(f[k]->certs, j);

			if (X509_NAME_cmp(X509_get_subject_name(c), X509_CRL_get_issuer(crl)) == 0 &&
			    X509_check_issued(c, x) == X509_V_OK &&
			    X509_CRL_verify(crl, X509_get0_pubkey(c)) == 1)
				return c;
		}
	return NULL;
}

size_t pki_crl_revocations(const struct pki_file *holder, const struct pki_file *cf,
			   const struct pki_file *bf, struct report *r)
{
	const struct pki_file *f[2] = { cf, bf };
	STACK_OF(X509_CRL) *crls = sk_X509_CRL_new_null();
	BIO *b = holder->crls > 0 ? BIO_new_mem_buf(holder->raw, (int)holder->raw_len) : NULL;
	X509_CRL *crl;
	size_t k, found = 0;
	int i, j;

	while (b != NULL && crls != NULL && (crl = PEM_read_bio_X509_CRL(b, NULL, NULL, NULL)) != NULL)
		if (!sk_X509_CRL_push(crls, crl))
			X509_CRL_free(crl);
	BIO_free(b);
	for (k = 0; k < 2; k++)
		for (j = 0; f[k] != NULL && j < sk_X509_num(f[k]->certs); j++) {
			X509 *x = sk_X509_value(f[k]->certs, j);

			for (i = 0; i < sk_X509_CRL_num(crls); i++) {
				X509_REVOKED *rev = NULL;
				char subj[512], why[STORE_NAME_MAX + 160];
				int ca;

				crl = sk_X509_CRL_value(crls, i);
				if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_issuer_name(x)) != 0 ||
				    X509_CRL_get0_by_cert(crl, &rev, x) != 1 || rev == NULL ||
				    crl_signer(crl, x, cf, bf) == NULL)
					continue;
				ca = (X509_get_extension_flags(x) & EXFLAG_CA) != 0;
				pki_name_oneline(X509_get_subject_name(x), subj, sizeof(subj));
				revoked_entry_text(rev, holder->name, why, sizeof(why));
				report_check(r, REPORT_FAILURE, "cert.revoked", f[k]->name, j + 1,
					     "%s: certificate %d (%s) is revoked by its CA: %s", f[k]->name,
					     j + 1, subj, why);
				report_remedy(r, "%s", ca ? "replace it with the CA's current certificate"
							 : "get a new certificate (a new CSR, signed again) and upload it");
				found++;
				break;
			}
		}
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
	pki_err_clear();
	return found;
}
