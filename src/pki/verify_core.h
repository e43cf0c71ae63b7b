/*
 * verify_core.h: what verify.c (the inputs of pki verify and
 * pki_verify_mem) shares with verify_core.c (the chain checks).
 * Private to src/pki/.
 */
#ifndef MMP_PKI_VERIFY_CORE_H
#define MMP_PKI_VERIFY_CORE_H

#include "internal.h"

/* One certificate given to the core: where it came from, trusted or not. */
struct vcert {
	X509 *x;                       /* a reference owned by the list */
	char src[STORE_NAME_MAX + 16]; /* "bundle.crt", or "trusted 2" */
	int anchor;                    /* a trust anchor */
	int pos;                       /* 1-based position in src */
};

/* One CRL given to the core and where it came from. */
struct vcrl {
	X509_CRL *c;                   /* owned by the list */
	char src[STORE_NAME_MAX + 16]; /* "revoked.crl", "crl 1" */
};

/* The certificates of one verification; c[0] is the leaf. */
struct vin {
	struct vcert *c;
	size_t n, cap;
	size_t n_anchors;
	int mem;                              /* blobs, not files of the store */
	char leaf_name[STORE_NAME_MAX + 16];  /* "dbserver.crt", "the certificate" */
	char where[3 * (STORE_NAME_MAX + 8)]; /* where issuers were looked for */
	struct vcrl *crl;                     /* revocation lists (crl.c) */
	size_t n_crl;
	size_t crl_bytes;                     /* their DER, together (crl.c) */
};

/* Append x, certificate pos (1-based) of src (the list takes its own
 * reference); 0 when out of memory. */
int vin_add(struct vin *in, X509 *x, const char *src, int pos, int anchor);
/* Drop every reference; the list is empty afterwards. */
void vin_free(struct vin *in);

/* Add the CRLs of a blob (PEM: every X509 CRL block, other blocks skipped;
 * else one DER CRL) labelled src. must: a blob without a CRL is an error
 * (a crl: file), else it adds nothing. A CRL without a CRLNumber, or with
 * a critical one, is refused (RFC 5280 section 5.2.3: conforming CRL
 * issuers MUST include it, non-critical), and so is a CRL block that does
 * not decode (crl.malformed), a delta, indirect or reason-partitioned CRL
 * (crl.incomplete: RFC 5280 sections 5.2.4 and 5.2.5; not a complete
 * list), more than 64 CRLs or 10 MiB of their DER in one verification
 * (crl.too_many, crl.too_large). MMP_OK, MMP_ERR_FORMAT, MMP_ERR_VERIFY
 * or MMP_ERR_NOMEM. */
enum mmp_rc vin_add_crls(struct vin *in, const void *blob, size_t len, const char *src,
			 int must, struct mmp_err *err);

/* Why x is revoked: "the CRL in <src> revokes it since <date> (reason
 * code 1, keyCompromise; RFC 5280 section 5.3.1)"; 1 when a CRL of in lists it, else 0 and a
 * vaguer sentence. */
int vin_revoked_text(const struct vin *in, X509 *x, char *buf, size_t size);

/* Why OpenSSL could not use crl (the CRL that failed; may be NULL) for
 * X509_V_ERR_* code, as a clause with its RFC 5280 section, into buf, and
 * the file it came from into *src (NULL when unknown); returns the
 * remedy. */
const char *vin_crl_unusable(const struct vin *in, const X509_CRL *crl, int code, char *buf,
			     size_t size, const char **src);

/* The CRL of the same issuer that OpenSSL takes instead of CRL i (the
 * latest thisUpdate, the first given of equal ones: get_crl_sk), as its
 * index; -1 when CRL i is the one, or either has an
 * issuingDistributionPoint (the scope decides first then). */
long vin_crl_superseded(const struct vin *in, size_t i);

/* CRL i past its nextUpdate at time at: when = that date, else "". */
void vin_crl_expired(const struct vin *in, size_t i, time_t at, char *when, size_t size);

/* The browser-facing profile (webpki.c): the first rule of the CA/Browser
 * Forum Baseline Requirements (or RFC 5280) the chain breaks. 1 and *pos
 * (0 = the leaf) and why (a clause with its section) set; 0 when it breaks
 * none. chain: leaf first, as OpenSSL built it. */
int webpki_chain(STACK_OF(X509) *chain, int *pos, char *why, size_t size);

/* Build the chain from in->c[0] to a trust anchor with OpenSSL (RFC 5280,
 * X509_STRICT), then the RFC 5280 rules OpenSSL skips and the CA rules of
 * guide §2.2. The chain goes to r (may be NULL), one INFO line per
 * certificate, and a SUCCESS line when it verifies. MMP_OK or
 * MMP_ERR_VERIFY (or NOMEM/INTERNAL) with err naming the certificate. */
enum mmp_rc verify_core(const struct vin *in, const struct pki_verify_opts *o,
			struct report *r, struct mmp_err *err);

/* RFC 5280 4.2.1.6 in every profile: each rfc822Name of the leaf is one
 * addr-spec, with exactly one '@' outside quotes (name constraints on
 * email cannot be applied to anything else). 1 and why when one is not. */
int rfc5280_email_names(X509 *leaf, char *why, size_t size);

#endif
