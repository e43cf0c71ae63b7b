/*
 * subject.c: the subject and subjectAltName of a new CSR or certificate
 * (guide §3.1 Table 4): checks before any key is made, and building the
 * X509_NAME and the SAN extension.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <openssl/x509v3.h>

#include "make.h"

/* RFC 5280 Appendix A upper bounds (ub-*) for the attributes we take. */
static const struct {
	const char *label;
	size_t off, max;
} attrs[] = {
	{ "CN", offsetof(struct pki_subject, cn), 64 },
	{ "OU", offsetof(struct pki_subject, ou), 64 },
	{ "O", offsetof(struct pki_subject, o), 64 },
	{ "L", offsetof(struct pki_subject, l), 128 },
	{ "ST", offsetof(struct pki_subject, st), 128 },
	{ "C", offsetof(struct pki_subject, c), 2 },
	{ "emailAddress", offsetof(struct pki_subject, email), 128 },
};

static const char *field(const struct pki_subject *s, size_t off)
{
	return *(const char *const *)((const char *)s + off);
}

static int is_ip(const char *v)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, v, buf) == 1 || inet_pton(AF_INET6, v, buf) == 1;
}

static int dns_ok(const char *v, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];
		if (!(isascii(c) && (isalnum(c) || c == '-' || c == '.' || c == '*')))
			return 0;
	}
	return len > 0 && len <= 253;
}

static enum mmp_rc check_san(const char *san, struct mmp_err *err)
{
	const char *p = san;

	if (strpbrk(san, " \t") != NULL)
		return mmp_err_set(err, MMP_ERR_USAGE,
				   "subjectAltName \"%s\" has a blank: separate the names with commas only, no blanks (guide section 3.1)",
				   san);
	for (;;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char one[256];

		if (len == 0)
			return mmp_err_set(err, MMP_ERR_USAGE,
					   "subjectAltName \"%s\" has an empty entry (two commas, or a comma at an end): remove it",
					   san);
		snprintf(one, sizeof(one), "%.*s", (int)(len < 255 ? len : 255), p);
		if (!is_ip(one) && strchr(one, '@') == NULL && !dns_ok(one, len))
			return mmp_err_set(err, MMP_ERR_USAGE,
					   "subjectAltName entry \"%s\" is not a DNS name, an IP address or an email address: DNS names use letters, digits, \"-\", \".\" and \"*\"",
					   one);
		if (e == NULL)
			return MMP_OK;
		p = e + 1;
	}
}

enum mmp_rc pki_subject_check(const struct pki_subject *subj, int need_cn, struct mmp_err *err)
{
	size_t i, j;

	if (need_cn && subj->cn == NULL)
		return mmp_err_set(err, MMP_ERR_USAGE,
				   "CN is missing: give the DNS name of the system, e.g. CN:callbridge.example.com (guide section 3.1, Table 4)");
	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		const char *v = field(subj, attrs[i].off);
		size_t len;

		if (v == NULL)
			continue;
		len = strlen(v);
		for (j = 0; j < len; j++)
			if ((unsigned char)v[j] < 0x20 || v[j] == 0x7f)
				return mmp_err_set(err, MMP_ERR_USAGE,
						   "%s has a control character: remove it", attrs[i].label);
		if (attrs[i].off == offsetof(struct pki_subject, c)) {
			if (len != 2 || !isalpha((unsigned char)v[0]) || !isalpha((unsigned char)v[1]) ||
			    !isascii((unsigned char)v[0]) || !isascii((unsigned char)v[1]))
				return mmp_err_set(err, MMP_ERR_USAGE,
						   "C:%s is not a country code: C is the two-letter ISO 3166 code, e.g. C:US, C:GB, C:FR (guide section 3.1, Table 4)",
						   v);
			continue;
		}
		if (len > attrs[i].max)
			return mmp_err_set(err, MMP_ERR_USAGE,
					   "%s is %zu characters, more than the %zu that RFC 5280 allows: shorten it",
					   attrs[i].label, len, attrs[i].max);
	}
	if (subj->email != NULL && strchr(subj->email, '@') == NULL)
		return mmp_err_set(err, MMP_ERR_USAGE,
				   "emailAddress:%s is not an email address: write it as name@example.com",
				   subj->email);
	if (subj->san != NULL)
		return check_san(subj->san, err);
	return MMP_OK;
}

X509_NAME *pki_subject_name(const struct pki_subject *subj, const char *default_cn)
{
	static const char *const nids[] = { "CN", "OU", "O", "L", "ST", "C", "emailAddress" };
	/* RFC 5280 order, most general first: C, ST, L, O, OU, CN, emailAddress */
	static const int order[] = { 5, 4, 3, 2, 1, 0, 6 };
	X509_NAME *n = X509_NAME_new();
	size_t k;

	if (n == NULL)
		return NULL;
	for (k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		int i = order[k];
		const char *v = field(subj, attrs[i].off);
		char up[3];

		if (i == 0 && v == NULL)
			v = default_cn;
		if (v == NULL)
			continue;
		if (i == 5) { /* country codes are upper case */
			up[0] = (char)toupper((unsigned char)v[0]);
			up[1] = (char)toupper((unsigned char)v[1]);
			up[2] = '\0';
			v = up;
		}
		if (!X509_NAME_add_entry_by_txt(n, nids[i], MBSTRING_UTF8, (const unsigned char *)v,
						-1, -1, 0)) {
			X509_NAME_free(n);
			return NULL;
		}
	}
	return n;
}

static GENERAL_NAME *one_name(const char *v)
{
	GENERAL_NAME *g = GENERAL_NAME_new();
	ASN1_IA5STRING *s;

	if (g == NULL)
		return NULL;
	if (is_ip(v)) {
		ASN1_OCTET_STRING *ip = a2i_IPADDRESS(v);
		if (ip == NULL)
			goto fail;
		GENERAL_NAME_set0_value(g, GEN_IPADD, ip);
		return g;
	}
	if ((s = ASN1_IA5STRING_new()) == NULL || !ASN1_STRING_set(s, v, -1)) {
		ASN1_IA5STRING_free(s);
		goto fail;
	}
	GENERAL_NAME_set0_value(g, strchr(v, '@') ? GEN_EMAIL : GEN_DNS, s);
	return g;
fail:
	GENERAL_NAME_free(g);
	return NULL;
}

GENERAL_NAMES *pki_subject_san(const struct pki_subject *subj, const char *cn)
{
	GENERAL_NAMES *gens;
	const char *p = subj->san;
	int have_cn = 0;

	if (subj->san == NULL || (gens = GENERAL_NAMES_new()) == NULL)
		return NULL;
	for (;;) {
		const char *e = strchr(p, ',');
		char one[256];
		GENERAL_NAME *g;

		snprintf(one, sizeof(one), "%.*s", (int)(e ? (size_t)(e - p) : strlen(p)), p);
		if (cn != NULL && strcasecmp(one, cn) == 0)
			have_cn = 1;
		if ((g = one_name(one)) == NULL || !sk_GENERAL_NAME_push(gens, g)) {
			GENERAL_NAME_free(g);
			goto fail;
		}
		if (e == NULL)
			break;
		p = e + 1;
	}
	/* guide §3.1: "the CN is automatically appended to the SAN list" */
	if (cn != NULL && !have_cn && (is_ip(cn) || dns_ok(cn, strlen(cn)))) {
		GENERAL_NAME *g = one_name(cn);
		if (g == NULL || !sk_GENERAL_NAME_push(gens, g)) {
			GENERAL_NAME_free(g);
			goto fail;
		}
	}
	return gens;
fail:
	GENERAL_NAMES_free(gens);
	return NULL;
}
