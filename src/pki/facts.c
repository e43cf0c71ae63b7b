/*
 * facts.c: the facts of a loaded file that expiry, metrics and pki list
 * keep (mmp/facts.h): its kind, and each certificate's dates, names and
 * serial number, read once with OpenSSL.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>

#include "internal.h"
#include "mmp/facts.h"

/* An ASN1_TIME as seconds since the epoch; 0 when unreadable. */
static long long asn1_seconds(const ASN1_TIME *t)
{
	struct tm tm;

	if (t == NULL || !ASN1_TIME_to_tm(t, &tm))
		return 0;
	return (long long)timegm(&tm);
}

/* The first value of attribute nid in n, escaped; "" when absent. */
static char *name_part(const X509_NAME *n, int nid)
{
	int i = n != NULL ? X509_NAME_get_index_by_NID(n, nid, -1) : -1;
	const ASN1_STRING *v;
	unsigned char *utf8 = NULL;
	char *out;
	int len;

	if (i < 0 || (v = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, i))) == NULL ||
	    (len = ASN1_STRING_to_UTF8(&utf8, v)) < 0)
		return strdup("");
	out = pki_escape_dup(utf8, (size_t)len);
	OPENSSL_free(utf8);
	return out;
}

static int name_facts(const X509_NAME *n, struct name_facts *nf)
{
	nf->c = name_part(n, NID_countryName);
	nf->st = name_part(n, NID_stateOrProvinceName);
	nf->l = name_part(n, NID_localityName);
	nf->o = name_part(n, NID_organizationName);
	nf->ou = name_part(n, NID_organizationalUnitName);
	nf->cn = name_part(n, NID_commonName);
	return nf->c && nf->st && nf->l && nf->o && nf->ou && nf->cn;
}

/* The serial number in decimal, as enix's exporter labels it (Go's
 * big.Int String()); "" when unreadable. */
static char *serial_decimal(X509 *x)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	char *dec = bn != NULL ? BN_bn2dec(bn) : NULL, *out;

	BN_free(bn);
	out = strdup(dec != NULL ? dec : "");
	OPENSSL_free(dec);
	return out;
}

static int cert_facts(X509 *x, int pos, struct cert_facts *c)
{
	char line[1024];

	memset(c, 0, sizeof(*c));
	c->position = pos;
	c->not_before = asn1_seconds(X509_get0_notBefore(x));
	c->not_after = asn1_seconds(X509_get0_notAfter(x));
	pki_name_oneline(X509_get_subject_name(x), line, sizeof(line));
	c->subject = strdup(line);
	pki_name_oneline(X509_get_issuer_name(x), line, sizeof(line));
	c->issuer = strdup(line);
	c->serial = serial_decimal(x);
	c->self_signed = X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) == 0;
	c->is_ca = X509_check_ca(x) != 0;
	pki_err_clear();
	return name_facts(X509_get_subject_name(x), &c->sub) &&
	       name_facts(X509_get_issuer_name(x), &c->iss) && c->subject && c->issuer && c->serial;
}

enum mmp_rc pki_file_facts(const struct pki_file *pf, struct file_facts *out)
{
	size_t i, n = pki_file_cert_count(pf);

	memset(out, 0, sizeof(*out));
	out->kind = (int)pf->kind;
	if ((out->name = strdup(pf->name)) == NULL)
		return MMP_ERR_NOMEM;
	if (n > 0 && (out->certs = calloc(n, sizeof(*out->certs))) == NULL)
		goto nomem;
	for (i = 0; i < n; i++) {
		out->ncerts = i + 1;
		if (!cert_facts(sk_X509_value(pf->certs, (int)i), (int)i + 1, &out->certs[i]))
			goto nomem;
	}
	return MMP_OK;
nomem:
	file_facts_clear(out);
	return MMP_ERR_NOMEM;
}
