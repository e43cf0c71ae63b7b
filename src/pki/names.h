/*
 * names.h: the name rules of names.c for the other files of src/pki/
 * (verify_core.c, webpki.c). The public entry is pki_name_check().
 */
#ifndef MMP_PKI_NAMES_H
#define MMP_PKI_NAMES_H

#include "internal.h"

/* A peer name: a DNS name (lower case A-labels, no trailing dot) or an IP
 * address (4 or 16 bytes, ip_len 0 for a DNS name). */
struct pki_peer_name {
	char dns[256];
	unsigned char ip[16];
	size_t ip_len;
};

/* Parse what a user or test gives: an IPv4 (dotted decimal, no leading
 * zeros) or IPv6 address, else a DNS name (UTF-8 converted to A-labels,
 * RFC 5890; a final dot dropped; the last label not all digits, RFC 3696
 * section 2); no wildcard. 1 when valid, 0 otherwise. */
int pki_name_parse(const char *in, struct pki_peer_name *out);

/* The bytes of a subjectAltName entry when it is a dNSName (RFC 5280
 * section 4.2.1.6): 1 with d and len set, else 0. */
static inline int pki_gen_dns(const GENERAL_NAME *g, const unsigned char **d, size_t *len)
{
	if (g->type != GEN_DNS)
		return 0;
	*d = ASN1_STRING_get0_data(g->d.dNSName);
	*len = (size_t)ASN1_STRING_length(g->d.dNSName);
	return 1;
}

enum pki_name_result {
	PKI_NAME_NONE = 0, /* the certificate does not hold the name */
	PKI_NAME_SAN,      /* a subjectAltName entry holds it */
	PKI_NAME_CN,       /* no subjectAltName extension; the CN holds it */
};

/* Match x against pn (rules at the top of names.c). have (may be NULL)
 * gets the names the certificate has, escaped: "DNS:a, IP:b", or "no
 * subjectAltName, CN x". */
enum pki_name_result pki_name_match_x509(X509 *x, const struct pki_peer_name *pn,
					 char *have, size_t have_size);

/* The verdict of pki_name_check on x, named "<file>: certificate <pos>":
 * strict (the browser profile): a name held by the CN only fails too.
 * r may be NULL. */
enum mmp_rc pki_name_verdict(X509 *x, const char *file, int pos, const char *name,
			     int strict, struct report *r, struct mmp_err *err);

#endif
