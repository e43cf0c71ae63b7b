/*
 * roots.h: the machine's public roots, the CA list that browsers and the
 * public CAs chain to (Debian's ca-certificates:
 * /etc/ssl/certs/ca-certificates.crt). `health` shows a browser holding
 * them to Web Bridge 3 and TURN (guide §2.1); the 2026 client
 * authentication rules ask whether a certificate chains to one of them.
 * The operator may give mmp and mmp-sshd another file at start with
 * --public-roots FILE (a node with its own list, or a test); nobody in the
 * restricted shell can change it.
 */
#ifndef MMP_ROOTS_H
#define MMP_ROOTS_H

#include <stddef.h>

#define PKI_PUBLIC_ROOTS_DEFAULT "/etc/ssl/certs/ca-certificates.crt"

/* Set the file of public roots for the process (NULL: the default). The
 * string is not copied: it must live as long as the process (argv). */
void pki_set_public_roots(const char *path);

/* The file of public roots: what pki_set_public_roots() set, else
 * PKI_PUBLIC_ROOTS_DEFAULT. Never NULL. */
const char *pki_public_roots(void);

/* How many certificates the public roots file holds (read now, and kept
 * for the process); 0 with why ("<file>: cannot be read ...", "<file>
 * holds no certificate") when none: mmp and mmp-sshd refuse to start with
 * such a --public-roots, which would make every certificate private. */
int pki_public_roots_check(char *why, size_t size);

struct pki_file;

/* Does certificate i (0-based) of f chain to a root of the public roots
 * file, through the other certificates of f and of more (another file, a
 * CA bundle; NULL: none)? Only the chain counts: times, purposes and
 * extensions are other rules' business (X509_V_FLAG_NO_CHECK_TIME; an
 * expired certificate from a public CA is still public). 1 and the
 * root's subject ("CN = ISRG Root X1, ...") in root (size bytes, may be
 * NULL); 0 when it does not, when an intermediate it needs is in neither
 * file (then nobody can tell), or when the public roots cannot be read.
 * The roots file is read once per process. */
int pki_chains_to_public(const struct pki_file *f, size_t i, const struct pki_file *more,
			 char *root, size_t size);

#endif
