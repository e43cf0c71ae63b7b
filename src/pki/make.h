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

/* The SAN list with the CN appended when missing (guide §3.1), or NULL
 * when the subject has no SAN list (or on allocation failure). */
GENERAL_NAMES *pki_subject_san(const struct pki_subject *subj, const char *cn);

#endif
