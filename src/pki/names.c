/*
 * names.c: does a certificate hold the name a client connects to? The
 * rules of browsers (RFC 6125 section 6, CA/Browser Forum BR 7.1.4.2 and
 * 7.1.2.7.12): the subjectAltName only; the CN only when the certificate
 * has no subjectAltName extension at all (then a WARNING: browsers refuse
 * it); a wildcard only as the whole left-most label of a name of at least
 * three labels, matching exactly one label; an IP address only against an
 * iPAddress entry, never a dNSName or the CN.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509v3.h>

#include "make.h"
#include "names.h"

/* A DNS name (RFC 1034 section 3.5, RFC 5890 A-labels): labels of
 * letters, digits and '-', 1 to 63 bytes, not starting or ending with '-',
 * at most 253 bytes; no trailing dot here. wild: the first label may be
 * exactly "*". 1 when so. */
static int ldh_name(const char *s, size_t len, int wild)
{
	size_t i = 0, start;

	if (len == 0 || len > 253)
		return 0;
	if (wild && len >= 2 && s[0] == '*' && s[1] == '.')
		i = 2;
	while (i < len) {
		start = i;
		while (i < len && s[i] != '.') {
			unsigned char c = (unsigned char)s[i];
			if (!(isascii(c) && (isalnum(c) || c == '-')))
				return 0;
			i++;
		}
		if (i == start || i - start > 63 || s[start] == '-' || s[i - 1] == '-')
			return 0;
		if (i < len && ++i == len)
			return 0; /* an empty last label */
	}
	return 1;
}

/* Labels in s[0..len). */
static int labels(const char *s, size_t len)
{
	int n = 1;
	size_t i;

	for (i = 0; i < len; i++)
		n += s[i] == '.';
	return n;
}

/* Is pat[0..len) a name a certificate may present (LDH labels, a wildcard
 * only as the whole left-most label of a name of three labels or more)? */
static int pattern_ok(const char *pat, size_t len)
{
	if (!ldh_name(pat, len, 1))
		return 0;
	/* a wildcard covers one label under a registered domain: "*.com" and
	 * "*" cover every name of a top-level domain (BR 7.1.2.7.12 and
	 * RFC 6125 section 7.2 forbid it); public suffixes of more than one
	 * label (co.uk) are not known here */
	return pat[0] != '*' || labels(pat, len) >= 3;
}

/* Does the DNS name (lower case A-labels) match the pattern? */
static int dns_match(const char *name, const char *pat, size_t plen)
{
	size_t nlen = strlen(name);
	const char *dot;

	if (!pattern_ok(pat, plen))
		return 0;
	if (pat[0] != '*')
		return nlen == plen && strncasecmp(name, pat, plen) == 0;
	/* "*.example.com": one whole non-empty label, then the rest */
	if ((dot = strchr(name, '.')) == NULL || dot == name)
		return 0;
	return strlen(dot) == plen - 1 && strncasecmp(dot, pat + 1, plen - 1) == 0;
}

/* RFC 3696 section 2: a top-level domain is never all digits, so
 * "192.168.001.001" or "1.2.3" is a malformed address, not a DNS name. */
static int numeric_tld(const char *s, size_t len)
{
	size_t i = len;

	while (i > 0 && s[i - 1] != '.')
		i--;
	for (; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

int pki_name_parse(const char *in, struct pki_peer_name *out)
{
	const char *why = NULL;
	size_t i, len;

	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, in, out->ip) == 1) {
		out->ip_len = 4;
		return 1;
	}
	if (strchr(in, ':') != NULL) {
		if (inet_pton(AF_INET6, in, out->ip) != 1)
			return 0;
		out->ip_len = 16;
		return 1;
	}
	if (strchr(in, '*') != NULL || !pki_dns_alabel(in, out->dns, sizeof(out->dns), &why))
		return 0;
	len = strlen(out->dns);
	if (len > 0 && out->dns[len - 1] == '.')
		out->dns[--len] = '\0'; /* an absolute name: the same name */
	for (i = 0; i < len; i++)
		out->dns[i] = (char)tolower((unsigned char)out->dns[i]);
	return ldh_name(out->dns, len, 0) && !numeric_tld(out->dns, len);
}

/* Why pki_name_parse refused in (its cause for the FAILURE line). */
static const char *name_fault(const char *in)
{
	char form[1024];
	const char *why;
	size_t len = strlen(in), label = 0, i;

	if (strchr(in, '*') != NULL)
		return "a wildcard, which only a certificate holds; a client connects to one name";
	for (i = 0; i < len; i++)
		if ((unsigned char)in[i] >= 0x80) { /* the A-label form is checked */
			form[0] = '\0';
			if (!pki_dns_alabel(in, form, sizeof(form), &why) && form[0] == '\0')
				return "an internationalised name that has no valid A-label form (IDNA2008, RFC 5891)";
			in = form;
			len = strlen(in);
			break;
		}
	if (len > 0 && in[len - 1] == '.')
		len--; /* an absolute name */
	if (len > 253)
		return "longer than the 253 characters of a DNS name (RFC 1035 section 2.3.4)";
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c == '.') {
			if (label == 0)
				return "a DNS name with an empty label (two dots, or a dot at the start)";
			label = 0;
		} else if (!isalnum(c) && c != '-') {
			return "a DNS name with a character other than letters, digits, '-' and '.'";
		} else if (++label > 63) {
			return "a DNS name with a label longer than 63 characters (RFC 1035 section 2.3.4)";
		}
	}
	return "neither a DNS name (letters, digits and '-' in labels not starting or ending with '-', the last not all digits) nor an IP address";
}

/* One SAN entry, as "DNS:x" or "IP:x", appended to have. */
static void have_add(char *have, size_t size, const GENERAL_NAME *g)
{
	char one[300], text[INET6_ADDRSTRLEN];
	size_t used = strlen(have);

	if (g->type == GEN_DNS) {
		char *esc = pki_escape_dup(ASN1_STRING_get0_data(g->d.dNSName),
					   (size_t)ASN1_STRING_length(g->d.dNSName));
		snprintf(one, sizeof(one), "DNS:%.250s", esc != NULL ? esc : "?");
		free(esc);
	} else if (g->type == GEN_IPADD && (ASN1_STRING_length(g->d.iPAddress) == 4 ||
					    ASN1_STRING_length(g->d.iPAddress) == 16)) {
		int af = ASN1_STRING_length(g->d.iPAddress) == 4 ? AF_INET : AF_INET6;
		if (inet_ntop(af, ASN1_STRING_get0_data(g->d.iPAddress), text, sizeof(text)) == NULL)
			snprintf(text, sizeof(text), "?");
		snprintf(one, sizeof(one), "IP:%s", text);
	} else {
		return;
	}
	if (used + strlen(one) + 3 < size)
		snprintf(have + used, size - used, "%s%s", used > 0 ? ", " : "", one);
}

enum pki_name_result pki_name_match_x509(X509 *x, const struct pki_peer_name *pn,
					 char *have, size_t have_size)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	enum pki_name_result res = PKI_NAME_NONE;
	int i;

	if (have_size > 0)
		have[0] = '\0';
	if (gens != NULL) {
		for (i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
			const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);

			if (have != NULL)
				have_add(have, have_size, g);
			if (res != PKI_NAME_NONE)
				continue;
			if (g->type == GEN_DNS && pn->ip_len == 0 &&
			    dns_match(pn->dns, (const char *)ASN1_STRING_get0_data(g->d.dNSName),
				      (size_t)ASN1_STRING_length(g->d.dNSName)))
				res = PKI_NAME_SAN;
			else if (g->type == GEN_IPADD && pn->ip_len > 0 &&
				 (size_t)ASN1_STRING_length(g->d.iPAddress) == pn->ip_len &&
				 memcmp(ASN1_STRING_get0_data(g->d.iPAddress), pn->ip, pn->ip_len) == 0)
				res = PKI_NAME_SAN;
		}
		GENERAL_NAMES_free(gens);
		pki_err_clear();
		return res;
	}
	pki_err_clear();
	if (X509_get_ext_by_NID(x, NID_subject_alt_name, -1) >= 0)
		return PKI_NAME_NONE; /* a SAN OpenSSL cannot read: no CN either */
	/* no subjectAltName: the last CN, a DNS name only (RFC 6125 6.4.4) */
	if (pn->ip_len == 0) {
		X509_NAME *subj = X509_get_subject_name(x);
		int at = -1, last = -1;
		unsigned char *cn = NULL;
		int len;

		while ((at = X509_NAME_get_index_by_NID(subj, NID_commonName, at)) >= 0)
			last = at;
		if (last >= 0 && (len = ASN1_STRING_to_UTF8(&cn, X509_NAME_ENTRY_get_data(
							X509_NAME_get_entry(subj, last)))) > 0) {
			char *esc = pki_escape_dup(cn, (size_t)len);

			if (have != NULL)
				snprintf(have, have_size, "no subjectAltName, CN %.200s",
					 esc != NULL ? esc : "?");
			free(esc);
			if (dns_match(pn->dns, (const char *)cn, (size_t)len))
				res = PKI_NAME_CN;
		}
		OPENSSL_free(cn);
		pki_err_clear();
	}
	if (have != NULL && have[0] == '\0')
		snprintf(have, have_size, "%s", pn->ip_len > 0
			 ? "no subjectAltName, and an IP address is only matched against its IP entries"
			 : "no subjectAltName and no CN");
	return res;
}

/* The entry of x's subjectAltName behind a failed match, when one comes
 * close, into entry ("DNS:x", escaped): a dNSName that is the name with a
 * final dot (RFC 5280 section 4.2.1.6 preferred name syntax has none, and
 * browsers do not match it), or, for an IP address, a dNSName spelling
 * that address (clients match an address only against an iPAddress entry,
 * RFC 6125 section 1.7.2, RFC 5280 section 4.2.1.6). */
enum near_miss { NEAR_NONE, NEAR_FINAL_DOT, NEAR_IP_AS_DNS };

static enum near_miss near_miss(X509 *x, const struct pki_peer_name *pn, char *entry,
				size_t size)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	enum near_miss res = NEAR_NONE;
	unsigned char ip[16];
	char text[256];
	int i;

	for (i = 0; gens != NULL && i < sk_GENERAL_NAME_num(gens) && res == NEAR_NONE; i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		const unsigned char *d;
		size_t len;

		if (!pki_gen_dns(g, &d, &len))
			continue;
		if (pn->ip_len == 0 && len > 1 && d[len - 1] == '.' &&
		    dns_match(pn->dns, (const char *)d, len - 1))
			res = NEAR_FINAL_DOT;
		else if (pn->ip_len > 0 && len < sizeof(text) && memchr(d, '\0', len) == NULL) {
			memcpy(text, d, len);
			text[len] = '\0';
			if (inet_pton(pn->ip_len == 4 ? AF_INET : AF_INET6, text, ip) == 1 &&
			    memcmp(ip, pn->ip, pn->ip_len) == 0)
				res = NEAR_IP_AS_DNS;
		}
		if (res != NEAR_NONE) {
			char *esc = pki_escape_dup(d, len);

			snprintf(entry, size, "DNS:%.250s", esc != NULL ? esc : "?");
			free(esc);
		}
	}
	GENERAL_NAMES_free(gens);
	pki_err_clear();
	return res;
}

/* The wildcard entry of x that matched the DNS name pn when no entry
 * holds it exactly, into pat (escaped); 0 when an entry is the name. */
static int wildcard_matched(X509 *x, const struct pki_peer_name *pn, char *pat, size_t size)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	int i, found = 0;

	for (i = 0; gens != NULL && pn->ip_len == 0 && i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		const unsigned char *d;
		size_t len;

		if (!pki_gen_dns(g, &d, &len))
			continue;
		if (!dns_match(pn->dns, (const char *)d, len))
			continue;
		if (d[0] != '*') {
			found = 0;
			break;
		}
		if (!found) {
			char *esc = pki_escape_dup(d, len);

			snprintf(pat, size, "%.250s", esc != NULL ? esc : "?");
			free(esc);
			found = 1;
		}
	}
	GENERAL_NAMES_free(gens);
	pki_err_clear();
	return found;
}

/* The pki csr line asking for x again (pki_csr_line_x509), its base the
 * file's name without extension and "-new"; "" when there is none. */
static void reissue_line(X509 *x, const char *file, char *buf, size_t size)
{
	char base[300];
	const char *dot = strrchr(file, '.');

	snprintf(base, sizeof(base), "%.*s-new", dot != NULL ? (int)(dot - file) : (int)strlen(file),
		 file);
	if (!pki_csr_line_x509(x, base, buf, size))
		buf[0] = '\0';
}

enum mmp_rc pki_name_usable(const char *name, struct mmp_err *err)
{
	struct pki_peer_name pn;
	char host[300], *esc;
	const char *port;

	if (pki_name_parse(name, &pn))
		return MMP_OK;
	esc = pki_escape_dup((const unsigned char *)name, strlen(name));
	port = strrchr(name, ':');
	if (port != NULL && port > name && port[1] != '\0' && strlen(port + 1) <= 5 &&
	    strspn(port + 1, "0123456789") == strlen(port + 1) &&
	    (size_t)(port - name) < sizeof(host)) {
		/* "[2001:db8::1]:443": an IPv6 address in brackets (RFC 3986 3.2.2) */
		if (name[0] == '[' && port[-1] == ']')
			snprintf(host, sizeof(host), "%.*s", (int)(port - name) - 2, name + 1);
		else
			snprintf(host, sizeof(host), "%.*s", (int)(port - name), name);
		if (pki_name_parse(host, &pn)) {
			char *hesc = pki_escape_dup((const unsigned char *)host, strlen(host));

			mmp_err_set(err, MMP_ERR_USAGE,
				    "%s: %s looks like a port, and a certificate holds names without one: give the name alone, as name:%s",
				    esc != NULL ? esc : "the name", port, hesc != NULL ? hesc : "<name>");
			free(hesc);
			free(esc);
			return pki_err_is(MMP_ERR_USAGE, err, "name.invalid", NULL, 0, "give the");
		}
	}
	mmp_err_set(err, MMP_ERR_USAGE,
		    "%s is %s: give the name clients connect to, as name:join.example.com or name:192.0.2.10",
		    esc != NULL ? esc : "the name", name_fault(name));
	free(esc);
	return pki_err_is(MMP_ERR_USAGE, err, "name.invalid", NULL, 0, "give the");
}

enum mmp_rc pki_name_verdict(X509 *x, const char *file, int pos, const char *name,
			     int strict, struct report *r, struct mmp_err *err)
{
	struct pki_peer_name pn;
	char have[1024], subj[512], entry[300], line[1200], *esc;
	const char *shown;
	enum pki_name_result res;
	enum near_miss near;

	if (pki_name_usable(name, err) != MMP_OK)
		return err->rc;
	(void)pki_name_parse(name, &pn);
	esc = pki_escape_dup((const unsigned char *)name, strlen(name));
	shown = esc != NULL ? esc : "the name";
	pki_name_oneline(X509_get_subject_name(x), subj, sizeof(subj));
	res = pki_name_match_x509(x, &pn, have, sizeof(have));
	if (res == PKI_NAME_SAN) {
		if (r != NULL && wildcard_matched(x, &pn, entry, sizeof(entry)))
			report_check(r, REPORT_SUCCESS, "name.match", file, pos,
				     "%s: certificate %d (%s) matches %s through its subjectAltName entry %s",
				     file, pos, subj, shown, entry);
		else if (r != NULL)
			report_check(r, REPORT_SUCCESS, "name.match", file, pos,
				     "%s: certificate %d (%s) holds the name %s in its subjectAltName",
				     file, pos, subj, shown);
		free(esc);
		return MMP_OK;
	}
	if (res == PKI_NAME_CN && !strict) {
		if (r != NULL) {
			report_check(r, REPORT_WARNING, "name.cn_only", file, pos,
				     "%s: certificate %d (%s) has no subjectAltName and holds the name %s in its CN only: browsers and current TLS clients refuse it (RFC 6125 section 6.4.4, CA/Browser Forum BR section 7.1.2.7.12)",
				     file, pos, subj, shown);
			report_remedy(r, "have the certificate issued again with %s in its subjectAltName",
				      shown);
		}
		free(esc);
		return MMP_OK;
	}
	if (res == PKI_NAME_CN)
		mmp_err_set(err, MMP_ERR_VERIFY,
			    "%s: certificate %d (%s) holds %s in its CN only, without a subjectAltName, which browsers refuse (CA/Browser Forum BR section 7.1.2.7.12): have it issued again with %s in its subjectAltName",
			    file, pos, subj, shown, shown);
	else if ((near = near_miss(x, &pn, entry, sizeof(entry))) != NEAR_NONE) {
		reissue_line(x, file, line, sizeof(line));
		if (near == NEAR_FINAL_DOT)
			mmp_err_set(err, MMP_ERR_VERIFY,
				    "%s: certificate %d (%s) is not for %s: its subjectAltName entry %s ends with a dot, which a DNS name in a certificate does not have (RFC 5280 section 4.2.1.6), and browsers do not match it: have it issued again with DNS:%s, without the final dot, in its subjectAltName%s%s%s",
				    file, pos, subj, shown, entry, pn.dns, line[0] != '\0' ? " (" : "",
				    line, line[0] != '\0' ? " makes its key and CSR)" : "");
		else
			mmp_err_set(err, MMP_ERR_VERIFY,
				    "%s: certificate %d (%s) is not for %s: its subjectAltName entry %s is a DNS entry that spells an IP address, and clients match an IP address only against an IP entry (RFC 6125 section 1.7.2, RFC 5280 section 4.2.1.6): have it issued again with IP:%s in its subjectAltName%s%s%s",
				    file, pos, subj, shown, entry, shown, line[0] != '\0' ? " (" : "",
				    line, line[0] != '\0' ? " makes its key and CSR, with the address as an IP entry)" : "");
	} else
		mmp_err_set(err, MMP_ERR_VERIFY,
			    "%s: certificate %d (%s) is not for %s: it has %s%s (a wildcard covers one whole left-most label, an IP address only matches an IP entry; RFC 6125 section 6.4): have it issued again with %s in its subjectAltName, or connect by a name it holds",
			    file, pos, subj, shown, strncmp(have, "no ", 3) == 0 ? "" : "subjectAltName ",
			    have, shown);
	free(esc);
	return pki_err_is(MMP_ERR_VERIFY, err, "name.mismatch", file, pos, "have it");
}

enum mmp_rc pki_name_check(const struct pki_file *f, size_t idx, const char *name,
			   struct report *r, struct mmp_err *err)
{
	if (f == NULL || idx >= (size_t)sk_X509_num(f->certs))
		return mmp_err_set(err, MMP_ERR_INTERNAL, "pki_name_check: no certificate");
	return pki_name_verdict(sk_X509_value(f->certs, (int)idx), f->name, (int)idx + 1, name, 0,
				r, err);
}

/* Why s (ASCII, lower case, no final dot) is not a host name a
 * certificate can hold; NULL when it is one. */
static const char *host_why(const char *s)
{
	size_t len = strlen(s), i, start = 0;

	if (len > PKI_FQDN_MAX)
		return "it is longer than 253 characters (RFC 1035 section 2.3.4)";
	for (i = 0; i <= len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c != '.' && c != '\0') {
			if (!(isascii(c) && (isalnum(c) || c == '-')))
				return "it has a character that a DNS name cannot have (letters, digits and '-' only, RFC 1123 section 2.1)";
			continue;
		}
		if (i == start)
			return "it has an empty label (two dots, or a dot at the start)";
		if (i - start > 63)
			return "a label is longer than 63 characters (RFC 1035 section 2.3.4)";
		if (s[start] == '-' || s[i - 1] == '-')
			return "a label starts or ends with '-' (RFC 1123 section 2.1)";
		start = i + 1;
	}
	if (numeric_tld(s, len))
		return "it is not an IP address, and a DNS name's last label is not all digits (RFC 3696 section 2)";
	return NULL;
}

int pki_name_canonical(const char *in, char *out, size_t size, const char **why)
{
	char form[4 * PKI_FQDN_MAX];
	unsigned char ip[16];
	const char *p;
	size_t len, i;
	int utf8 = 0;

	if (size > 0)
		out[0] = '\0';
	*why = NULL;
	if (inet_pton(AF_INET, in, ip) == 1 || (strchr(in, ':') != NULL && inet_pton(AF_INET6, in, ip) == 1)) {
		if (inet_ntop(strchr(in, ':') != NULL ? AF_INET6 : AF_INET, ip, form, sizeof(form)) == NULL)
			*why = "it is an IP address that cannot be written back";
	} else if (strchr(in, ':') != NULL) {
		*why = "it has a ':' and is not an IPv6 address (RFC 4291 section 2.2)";
	} else if (strchr(in, '*') != NULL) {
		*why = "it is a wildcard, and a client connects to one host by its own name (which a certificate's wildcard may cover)";
	} else {
		for (p = in; *p != '\0'; p++)
			utf8 |= (unsigned char)*p >= 0x80;
		if (strlen(in) > sizeof(form) - 1)
			*why = "it is longer than 253 characters (RFC 1035 section 2.3.4)";
		else if (!utf8)
			snprintf(form, sizeof(form), "%s", in);
		else if (pki_dns_alabel(in, form, sizeof(form), why))
			*why = NULL; /* else why: libidn2's reason */
		if (*why == NULL) {
			len = strlen(form);
			if (len > 1 && form[len - 1] == '.')
				form[--len] = '\0'; /* an absolute name: the same name */
			for (i = 0; i < len; i++)
				form[i] = (char)tolower((unsigned char)form[i]);
			*why = host_why(form);
		}
	}
	if (*why == NULL && strlen(form) >= size)
		*why = "it does not fit the caller's buffer";
	if (*why != NULL)
		return 0;
	memcpy(out, form, strlen(form) + 1);
	return 1;
}
