/*
 * wellformed.c: is a certificate one OpenSSL (and so every TLS peer) can
 * use at all? A certificate OpenSSL marks invalid (EXFLAG_INVALID: an
 * extension twice, or one it cannot decode) fails every later check, so
 * its cause is said once and those checks are not run on it.
 */
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "internal.h"

/* The extension that appears most often, and how often (0 when none). */
static int duplicate_ext(X509 *x, char *name, size_t size)
{
	int n = X509_get_ext_count(x), i, j, count, best = 0;

	for (i = 0; i < n; i++) {
		const ASN1_OBJECT *o = X509_EXTENSION_get_object(X509_get_ext(x, i));
		for (count = 1, j = i + 1; j < n; j++)
			count += OBJ_cmp(o, X509_EXTENSION_get_object(X509_get_ext(x, j))) == 0;
		if (count <= best || count < 2)
			continue;
		best = count;
		if (OBJ_obj2nid(o) != NID_undef)
			snprintf(name, size, "%s", OBJ_nid2sn(OBJ_obj2nid(o)));
		else if (OBJ_obj2txt(name, (int)size, o, 1) <= 0)
			snprintf(name, size, "unknown");
	}
	return best;
}

int pki_rule_wellformed(const struct pki_file *f, size_t idx, char *why, size_t size)
{
	char subj[256], ext[80];
	uint32_t flags;
	X509 *x;
	int dup;

	if (idx >= pki_file_cert_count(f))
		return -1;
	x = sk_X509_value(f->certs, (int)idx);
	flags = X509_get_extension_flags(x);
	pki_err_clear();
	if (!(flags & EXFLAG_INVALID))
		return 1;
	pki_name_oneline(X509_get_subject_name(x), subj, sizeof(subj));
	/* openssl issues #10686, #25799: two subjectAltName extensions */
	if ((dup = duplicate_ext(x, ext, sizeof(ext))) > 1)
		snprintf(why, size,
			 "certificate %zu (%s) has %d %s extensions, and a certificate holds each extension once (RFC 5280 section 4.2): OpenSSL and TLS peers refuse it; have it reissued with one %s extension",
			 idx + 1, subj, dup, ext, ext);
	else
		snprintf(why, size,
			 "certificate %zu (%s) has an extension that cannot be decoded (RFC 5280 section 4.2): OpenSSL and TLS peers refuse it; have it reissued (pki inspect %s shows its extensions)",
			 idx + 1, subj, f->name);
	return 0;
}

void pki_file_blocks(const struct pki_file *f, int *keys, int *csrs, int *crls)
{
	*keys = f->keys;
	*csrs = f->csr != NULL;
	*crls = f->crls;
}
