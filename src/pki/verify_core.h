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
};

/* The certificates of one verification; c[0] is the leaf. */
struct vin {
	struct vcert *c;
	size_t n, cap;
	size_t n_anchors;
	int mem;                              /* blobs, not files of the store */
	char leaf_name[STORE_NAME_MAX + 16];  /* "dbserver.crt", "the certificate" */
	char where[3 * (STORE_NAME_MAX + 8)]; /* where issuers were looked for */
};

/* Append x (the list takes its own reference); 0 when out of memory. */
int vin_add(struct vin *in, X509 *x, const char *src, int anchor);
/* Drop every reference; the list is empty afterwards. */
void vin_free(struct vin *in);

/* Build the chain from in->c[0] to a trust anchor with OpenSSL (RFC 5280,
 * X509_STRICT), then the RFC 5280 rules OpenSSL skips and the CA rules of
 * guide §2.2. The chain goes to r (may be NULL), one INFO line per
 * certificate, and a SUCCESS line when it verifies. MMP_OK or
 * MMP_ERR_VERIFY (or NOMEM/INTERNAL) with err naming the certificate. */
enum mmp_rc verify_core(const struct vin *in, const struct pki_verify_opts *o,
			struct report *r, struct mmp_err *err);

#endif
