/*
 * subject.c: the subject and subjectAltName of a new CSR or certificate
 * (guide §3.1 Table 4): checks before any key is made, and building the
 * X509_NAME and the SAN extension.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <idn2.h>
#include <openssl/x509v3.h>

#include "make.h"
#include "mmp/text.h"

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

static const char CHAR_WHY[] = "it has a character that a DNS name cannot have";
static const char LONG_WHY[] = "it is longer than the 253 characters of a DNS name (RFC 1035 section 2.3.4)";
static const char LABEL_WHY[] = "a label is longer than 63 characters (RFC 1035 section 2.3.4)";

/* Letters, digits, '-', '.' and '*' only, at most 253 characters (a final
 * dot not counted), labels of at most 63 (RFC 1035 section 2.3.4). NULL
 * when so, else why not (CHAR_WHY, LONG_WHY, LABEL_WHY). */
static const char *dns_why(const char *v, size_t len)
{
	size_t i, label = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];
		if (!(isascii(c) && (isalnum(c) || c == '-' || c == '.' || c == '*')))
			return CHAR_WHY;
	}
	if (len == 0)
		return CHAR_WHY;
	if (len - (v[len - 1] == '.') > 253)
		return LONG_WHY;
	for (i = 0; i < len; i++)
		if (v[i] == '.')
			label = 0;
		else if (++label > 63)
			return LABEL_WHY;
	return NULL;
}

/* Does v hold a byte outside ASCII? */
static int has_utf8(const char *v)
{
	for (; *v != '\0'; v++)
		if ((unsigned char)*v >= 0x80)
			return 1;
	return 0;
}

/* A DNS name as written into a certificate (RFC 5280 4.2.1.6: IA5String,
 * internationalised names in A-label form, RFC 5890/5891): an ASCII name
 * is copied, a UTF-8 one converted with libidn2 (IDNA2008 with the UTS #46
 * mapping), keeping a leading "*." wildcard label. 1 when out holds a
 * valid DNS name, 0 otherwise (why, may be NULL, gets libidn2's reason). */
int pki_dns_alabel(const char *in, char *out, size_t size, const char **why)
{
	const char *rest = strncmp(in, "*.", 2) == 0 ? in + 2 : in;
	char *ascii = NULL;
	int rc;

	const char *bad;

	if (why != NULL)
		*why = CHAR_WHY;
	if (!has_utf8(in)) {
		snprintf(out, size, "%s", in);
		bad = dns_why(in, strlen(in));
		if (bad != NULL && why != NULL)
			*why = bad;
		return bad == NULL;
	}
	rc = idn2_to_ascii_8z(rest, &ascii, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
	if (rc != IDN2_OK) {
		if (why != NULL)
			*why = idn2_strerror(rc);
		idn2_free(ascii);
		return 0;
	}
	snprintf(out, size, "%s%s", rest != in ? "*." : "", ascii);
	idn2_free(ascii);
	bad = dns_why(out, strlen(out));
	if (bad != NULL && why != NULL)
		*why = bad;
	return bad == NULL;
}

#define WILDCARD_WHY                                                                       \
	"has a wildcard that is not the whole leftmost label followed by at least two labels: " \
	"CAs issue and clients match a wildcard only so (RFC 6125 section 6.4.3, CA/Browser "   \
	"Forum BR section 7.1.4.2.1): write it as *.example.com, or give each name in full"
#define ALABEL_WHY                                                                           \
	"is not a valid A-label (its Unicode form is not allowed in IDNA2008, RFC 5891 section " \
	"5.4): check its spelling"

/* RFC 6125 section 6.4.3, CA/B Forum BR section 7.1.4.2.1: a wildcard is
 * only the whole leftmost label, with at least two labels after it (no
 * "*.com"). 1 when name (as typed) keeps to that or has no "*". */
static int wildcard_ok(const char *name)
{
	const char *rest = name + 2, *dot;

	if (strchr(name, '*') == NULL)
		return 1;
	if (strncmp(name, "*.", 2) != 0 || strchr(rest, '*') != NULL)
		return 0;
	dot = strchr(rest, '.');
	return dot != NULL && dot > rest && dot[1] != '\0' && dot[1] != '.';
}

/* RFC 5891 section 5.4: every "xn--" label of form (A-labels, as written
 * into the certificate) decodes to Unicode that IDNA2008 allows and that
 * encodes back to the same label. 1 when so (or when there is none). */
static int alabels_ok(const char *form)
{
	const char *p = strncmp(form, "*.", 2) == 0 ? form + 2 : form;
	char label[64], *u8 = NULL, *back = NULL;
	int ok = 1;

	while (ok && *p != '\0') {
		size_t len = strcspn(p, ".");

		if (len >= 4 && strncasecmp(p, "xn--", 4) == 0) {
			if (len >= sizeof(label))
				return 0;
			snprintf(label, sizeof(label), "%.*s", (int)len, p);
			ok = idn2_to_unicode_8z8z(label, &u8, 0) == IDN2_OK &&
			     idn2_lookup_u8((const uint8_t *)u8, (uint8_t **)&back,
					    IDN2_NONTRANSITIONAL) == IDN2_OK &&
			     strcasecmp(back, label) == 0;
			idn2_free(u8);
			idn2_free(back);
			u8 = back = NULL;
		}
		p += len + (p[len] == '.');
	}
	return ok;
}

/* One SAN entry in the form a certificate holds (A-label for a DNS name),
 * for comparing entries: 1 ok, 0 not a name (why set). */
static int san_form(const char *one, char *out, size_t size, const char **why)
{
	if (is_ip(one) || strchr(one, '@') != NULL) {
		snprintf(out, size, "%s", one);
		*why = "email addresses in subjectAltName are ASCII (RFC 5280 section 4.2.1.6)";
		return !has_utf8(one);
	}
	return pki_dns_alabel(one, out, size, why);
}

static enum mmp_rc check_san(const char *san, struct mmp_err *err)
{
	const char *p = san, *q, *why;
	char one[256], form[256], other[256], oform[256];

	if (strpbrk(san, " \t") != NULL)
		return pki_err_is(mmp_err_set(err, MMP_ERR_USAGE,
				   "subjectAltName \"%s\" has a blank: separate the names with commas only, no blanks (guide section 3.1)",
				   san),
			  err, "name.invalid", NULL, 0, NULL);
	for (;;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == 0)
			return pki_err_is(mmp_err_set(err, MMP_ERR_USAGE,
					   "subjectAltName \"%s\" has an empty entry (two commas, or a comma at an end): remove it",
					   san),
			  err, "name.invalid", NULL, 0, NULL);
		snprintf(one, sizeof(one), "%.*s", (int)(len < 255 ? len : 255), p);
		if (!is_ip(one) && strchr(one, '@') == NULL && !wildcard_ok(one))
			return pki_err_is(mmp_err_set(err, MMP_ERR_USAGE,
					   "subjectAltName entry \"%s\" " WILDCARD_WHY, one),
			  err, "name.invalid", NULL, 0, NULL);
		if (!san_form(one, form, sizeof(form), &why) && (why == LONG_WHY || why == LABEL_WHY))
			return pki_err_is(mmp_err_set(err, MMP_ERR_USAGE,
					   "subjectAltName entry \"%s\" is not a DNS name: %s: give the name clients connect to, at most 253 characters in labels of at most 63",
					   one, why),
			  err, "name.invalid", NULL, 0, NULL);
		if (!is_ip(one) && strchr(one, '@') == NULL && len > 1 && one[strlen(one) - 1] == '.' &&
		    san_form(one, form, sizeof(form), &why))
			return pki_err_is(mmp_err_set(err, MMP_ERR_USAGE,
					   "subjectAltName entry \"%s\" ends with a dot, which a DNS name in a certificate does not have (RFC 5280 section 4.2.1.6), and browsers do not match it: write it without the final dot",
					   one),
			  err, "name.invalid", NULL, 0, NULL);
		if (!san_form(one, form, sizeof(form), &why))
			return pki_err_is(mmp_err_set(err, MMP_ERR_USAGE,
					   has_utf8(one) && strchr(one, '@') == NULL
						   ? "subjectAltName entry \"%s\" is not a valid internationalised domain name (%s): check its spelling"
						   : "subjectAltName entry \"%s\" is not a DNS name, an IP address or an email address: DNS names use letters, digits, \"-\", \".\" and \"*\"%s",
					   one, has_utf8(one) && strchr(one, '@') == NULL ? why : ""),
			  err, "name.invalid", NULL, 0, NULL);
		if (!is_ip(one) && strchr(one, '@') == NULL && !alabels_ok(form))
			return pki_err_is(mmp_err_set(err, MMP_ERR_USAGE,
					   "subjectAltName entry \"%s\" " ALABEL_WHY, one),
			  err, "name.invalid", NULL, 0, NULL);
		/* the same name twice, as typed or once converted (issue 11 class 7) */
		for (q = san; q < p;) {
			const char *qe = strchr(q, ',');
			snprintf(other, sizeof(other), "%.*s", (int)(qe - q < 255 ? qe - q : 255), q);
			if (san_form(other, oform, sizeof(oform), &why) && strcasecmp(oform, form) == 0)
				return pki_err_is(mmp_err_set(err, MMP_ERR_USAGE,
						   strcmp(other, one) == 0
							   ? "subjectAltName entry \"%s\" is given twice: give each name once"
							   : "subjectAltName entry \"%s\" is the same name as \"%s\": give each name once",
						   one, other),
			  err, "name.invalid", NULL, 0, NULL);
			q = qe + 1;
		}
		if (e == NULL)
			return MMP_OK;
		p = e + 1;
	}
}

/* guide §3.1 Table 4: the CN of a CSR is "the fully qualified domain name
 * (FQDN)" of the system (the database client's is "postgres", §3.1.4): a
 * DNS name (internationalised ones too) or an IP address, checked as the
 * SAN entries are, since pki csr appends it to the SAN list. */
static enum mmp_rc check_cn_host(const char *cn, struct mmp_err *err)
{
	char form[256];
	const char *why;

	if (is_ip(cn))
		return MMP_OK;
	if (!wildcard_ok(cn))
		return pki_err_is(mmp_err_set(err, MMP_ERR_USAGE, "CN \"%s\" " WILDCARD_WHY, cn),
			  err, "name.invalid", NULL, 0, NULL);
	if (pki_dns_alabel(cn, form, sizeof(form), &why)) {
		if (strlen(cn) > 1 && cn[strlen(cn) - 1] == '.')
			return pki_err_is(mmp_err_set(err, MMP_ERR_USAGE,
					   "CN \"%s\" ends with a dot, which a DNS name in a certificate does not have (RFC 5280 section 4.2.1.6), and pki csr appends the CN to subjectAltName: write it without the final dot",
					   cn),
				  err, "name.invalid", NULL, 0, NULL);
		if (!alabels_ok(form))
			return pki_err_is(mmp_err_set(err, MMP_ERR_USAGE, "CN \"%s\" " ALABEL_WHY, cn),
			  err, "name.invalid", NULL, 0, NULL);
		return MMP_OK;
	}
	if (why == LABEL_WHY)
		return pki_err_is(mmp_err_set(err, MMP_ERR_USAGE,
				   "CN \"%s\" is not a DNS name: %s: give the fully qualified domain name of the system, labels of at most 63 characters (guide section 3.1, Table 4)",
				   cn, why),
			  err, "name.invalid", NULL, 0, NULL);
	return pki_err_is(mmp_err_set(err, MMP_ERR_USAGE,
			   "CN \"%s\" is not a DNS name: the CN is the fully qualified domain name of the system (guide section 3.1, Table 4), letters, digits, \"-\", \".\" and \"*\" only, e.g. CN:callbridge.example.com; give the other attributes each on its own, e.g. O:\"Example Inc.\"",
			   cn),
			  err, "name.invalid", NULL, 0, NULL);
}

/* Characters (UTF-8 code points) of v: RFC 5280's upper bounds count
 * characters, not bytes. */
static size_t chars(const char *v)
{
	size_t n = 0;

	for (; *v != '\0'; v++)
		n += ((unsigned char)*v & 0xc0) != 0x80;
	return n;
}

enum mmp_rc pki_subject_check(const struct pki_subject *subj, int need_cn, struct mmp_err *err)
{
	size_t i, j;

	if (need_cn && subj->cn == NULL)
		return pki_err_is(mmp_err_set(err, MMP_ERR_USAGE,
				   "CN is missing: give the DNS name of the system, e.g. CN:callbridge.example.com (guide section 3.1, Table 4), or renew a certificate with from:<certificate>"),
			  err, "name.invalid", NULL, 0, NULL);
	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		const char *v = field(subj, attrs[i].off);
		size_t len;

		if (v == NULL)
			continue;
		len = strlen(v);
		for (j = 0; j < len; j++)
			if ((unsigned char)v[j] < 0x20 || v[j] == 0x7f)
				return pki_err_is(mmp_err_set(err, MMP_ERR_USAGE,
						   "%s has a control character: remove it", attrs[i].label),
			  err, "name.invalid", NULL, 0, NULL);
		/* UTF-8 values are taken (issue 11 class 5), but not bytes that
		 * are not UTF-8 nor controls that reorder text */
		if (!text_is_clean(v, 0))
			return pki_err_is(mmp_err_set(err, MMP_ERR_USAGE,
					   "%s has bytes that are not UTF-8 text, or a control character: type it again as UTF-8",
					   attrs[i].label),
			  err, "name.invalid", NULL, 0, NULL);
		if (attrs[i].off == offsetof(struct pki_subject, c)) {
			if (len != 2 || !isalpha((unsigned char)v[0]) || !isalpha((unsigned char)v[1]) ||
			    !isascii((unsigned char)v[0]) || !isascii((unsigned char)v[1]))
				return pki_err_is(mmp_err_set(err, MMP_ERR_USAGE,
						   "C:%s is not a country code: C is the two-letter ISO 3166 code, e.g. C:US, C:GB, C:FR (guide section 3.1, Table 4)",
						   v),
			  err, "name.invalid", NULL, 0, NULL);
			continue;
		}
		if (chars(v) > attrs[i].max)
			return pki_err_is(mmp_err_set(err, MMP_ERR_USAGE,
					   "%s is %zu characters, more than the %zu that RFC 5280 allows: shorten it",
					   attrs[i].label, chars(v), attrs[i].max),
			  err, "name.invalid", NULL, 0, NULL);
	}
	if (need_cn && check_cn_host(subj->cn, err) != MMP_OK)
		return MMP_ERR_USAGE;
	if (subj->email != NULL && (strchr(subj->email, '@') == NULL || has_utf8(subj->email)))
		return pki_err_is(mmp_err_set(err, MMP_ERR_USAGE,
				   "emailAddress:%s is not an email address: write it as name@example.com",
				   subj->email),
			  err, "name.invalid", NULL, 0, NULL);
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
	const char *p = subj->san, *why;
	char form[256], cn_form[256] = "";
	int have_cn = 0;

	if ((subj->san == NULL && cn == NULL) || (gens = GENERAL_NAMES_new()) == NULL)
		return NULL;
	if (cn != NULL && !is_ip(cn) && !pki_dns_alabel(cn, cn_form, sizeof(cn_form), &why))
		cn_form[0] = '\0'; /* not a host name: not appended */
	else if (cn != NULL && is_ip(cn))
		snprintf(cn_form, sizeof(cn_form), "%s", cn);
	while (p != NULL) {
		const char *e = strchr(p, ',');
		char one[256];
		GENERAL_NAME *g;

		snprintf(one, sizeof(one), "%.*s", (int)(e ? (size_t)(e - p) : strlen(p)), p);
		/* DNS names in A-label form (RFC 5280 4.2.1.6, RFC 5890) */
		if (is_ip(one) || strchr(one, '@') != NULL || !pki_dns_alabel(one, form, sizeof(form), &why))
			snprintf(form, sizeof(form), "%s", one);
		if (cn_form[0] != '\0' && strcasecmp(form, cn_form) == 0)
			have_cn = 1;
		if ((g = one_name(form)) == NULL || !sk_GENERAL_NAME_push(gens, g)) {
			GENERAL_NAME_free(g);
			goto fail;
		}
		p = e != NULL ? e + 1 : NULL;
	}
	/* guide §3.1: "the CN is automatically appended to the SAN list" */
	if (cn_form[0] != '\0' && !have_cn) {
		GENERAL_NAME *g = one_name(cn_form);
		if (g == NULL || !sk_GENERAL_NAME_push(gens, g)) {
			GENERAL_NAME_free(g);
			goto fail;
		}
	}
	if (sk_GENERAL_NAME_num(gens) == 0)
		goto fail;
	return gens;
fail:
	GENERAL_NAMES_free(gens);
	return NULL;
}
