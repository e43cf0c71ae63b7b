/*
 * make.h: shared by the files of src/pki/ that make keys, CSRs and
 * certificates (subject.c, make.c).
 */
#ifndef MMP_PKI_MAKE_H
#define MMP_PKI_MAKE_H

#include <openssl/x509v3.h>

#include "internal.h"

/* The subject as an X509_NAME in RFC 5280 order; default_cn when no CN. */
X509_NAME *pki_subject_name(const struct pki_subject *subj, const char *default_cn);

/* The SAN list with the CN (cn may be NULL) appended when missing and a
 * DNS name or IP address (guide §3.1); DNS names in A-label form. NULL
 * when there is no name at all (or on allocation failure). */
GENERAL_NAMES *pki_subject_san(const struct pki_subject *subj, const char *cn);

/* A DNS name as a certificate holds it: ASCII as typed, an
 * internationalised name (UTF-8) converted to A-labels with libidn2
 * (IDNA2008, RFC 5890/5891), a leading "*." kept. 1 when out is a valid
 * DNS name (letters, digits, '-', '.', '*'; at most 253 characters, a final
 * dot not counted, labels of at most 63: RFC 1035 section 2.3.4); 0
 * otherwise, why (may be NULL) saying why: a character, the length of the
 * name or of a label, or libidn2's reason. */
int pki_dns_alabel(const char *in, char *out, size_t size, const char **why);

/* pki_csr_line (include/mmp/pki.h) for one certificate x; a dNSName
 * with a final dot is written without it (RFC 5280 section 4.2.1.6), and
 * one that spells an IP address as that address, which pki csr puts in an
 * iPAddress entry. */
int pki_csr_line_x509(X509 *x, const char *base, char *buf, size_t size);

#endif
