/*
 * cluster.c: the names of a Call Bridge cluster (guide §4.9): whether a
 * peer's FQDN is a name certificates can hold, and whether a certificate
 * of the cluster trust bundle holds it exactly.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/x509v3.h>

#include "make.h"
#include "names.h"

/* RFC 1123 section 2.1, RFC 1035 section 2.3.4: labels of 1..63 letters,
 * digits and '-', no '-' at either end. NULL when form keeps to it, else
 * why not. */
static const char *labels_why(const char *form)
{
	size_t len = 0, labels = 1;
	const char *p;

	for (p = form; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '.') {
			if (len == 0)
				return "it has an empty label (two dots, or a dot at the start)";
			if (p[-1] == '-')
				return "a label ends with '-' (RFC 1123 section 2.1)";
			len = 0;
			labels++;
			continue;
		}
		if (c == '*')
			return "it is a wildcard, and a peer is one Call Bridge, named by its exact FQDN (guide section 4.9)";
		if (!isascii(c) || !(isalnum(c) || c == '-'))
			return "it has a character that a DNS name cannot have";
		if (c == '-' && len == 0)
			return "a label starts with '-' (RFC 1123 section 2.1)";
		if (++len > 63)
			return "a label is longer than 63 characters (RFC 1035 section 2.3.4)";
	}
	if (len == 0)
		return "it ends with a dot, and certificates hold names without it";
	if (p[-1] == '-')
		return "a label ends with '-' (RFC 1123 section 2.1)";
	if (labels < 2)
		return "it is a single label, not a fully qualified name";
	return NULL;
}

int pki_fqdn_check(const char *in, char *out, size_t size, const char **why)
{
	char form[4 * PKI_FQDN_MAX];
	unsigned char ip[16];
	const char *bad;

	if (size > 0)
		out[0] = '\0';
	if (inet_pton(AF_INET, in, ip) == 1 || inet_pton(AF_INET6, in, ip) == 1) {
		*why = "it is an IP address, and guide section 4.9 asks for the exact FQDN on the peer's Web Admin certificate";
		return 0;
	}
	if (strchr(in, '*') != NULL) {
		*why = "it is a wildcard, and a peer is one Call Bridge, named by its exact FQDN (guide section 4.9)";
		return 0;
	}
	/* room past the bound, so that a long A-label form is not cut short
	 * into a name that passes; pki_dns_alabel refuses a name over 253
	 * characters as one with "a character that a DNS name cannot have":
	 * its length is the cause then */
	form[0] = '\0';
	if (!pki_dns_alabel(in, form, sizeof(form), why) &&
	    (strlen(form) <= PKI_FQDN_MAX || strspn(form, "abcdefghijklmnopqrstuvwxyz"
					      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") != strlen(form)))
		return 0;
	if (strlen(form) > PKI_FQDN_MAX) {
		*why = "it is longer than 253 characters (RFC 1035 section 2.3.4)";
		return 0;
	}
	if ((bad = labels_why(form)) != NULL) {
		*why = bad;
		return 0;
	}
	if (strlen(form) >= size) {
		*why = "it does not fit the caller's buffer";
		return 0;
	}
	memcpy(out, form, strlen(form) + 1);
	return 1;
}

int pki_cert_fqdn_match(const struct pki_file *f, size_t i, const char *fqdn)
{
	const unsigned never_cn = X509_CHECK_FLAG_NEVER_CHECK_SUBJECT;
	X509 *x;
	int rc;

	if (i >= pki_file_cert_count(f))
		return -1;
	x = sk_X509_value(f->certs, (int)i);
	if (X509_check_host(x, fqdn, strlen(fqdn), never_cn | X509_CHECK_FLAG_NO_WILDCARDS, NULL) == 1)
		rc = PKI_FQDN_EXACT;
	else if (X509_check_host(x, fqdn, strlen(fqdn), never_cn | X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS,
				 NULL) == 1)
		rc = PKI_FQDN_WILDCARD;
	else
		rc = PKI_FQDN_NONE;
	pki_err_clear();
	return rc;
}

/* Is the dNSName d (len bytes) the peer, ASCII letters without case, as
 * X509_check_host compares (no NUL inside)? */
static int dns_is(const unsigned char *d, size_t len, const char *peer)
{
	return len == strlen(peer) && memchr(d, '\0', len) == NULL &&
	       strncasecmp((const char *)d, peer, len) == 0;
}

/* Could the dNSName d be a wildcard ("*." and at least two labels, as
 * OpenSSL's valid_star wants) covering the peer: the same name after the
 * peer's first label? */
static int dns_may_cover(const unsigned char *d, size_t len, const char *peer)
{
	const char *dot = strchr(peer, '.');

	return len > 2 && d[0] == '*' && d[1] == '.' && dot != NULL && memchr(d + 2, '.', len - 2) != NULL &&
	       dns_is(d + 1, len - 1, dot);
}

void pki_file_fqdn_matches(const struct pki_file *f, const char *const *peers, size_t n,
			   long *exact, long *wildcard)
{
	const unsigned flags = X509_CHECK_FLAG_NEVER_CHECK_SUBJECT | X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS;
	size_t i, k, left = n;
	int j;

	for (k = 0; k < n; k++)
		exact[k] = wildcard[k] = -1;
	for (i = 0; i < pki_file_cert_count(f) && left > 0; i++) {
		X509 *x = sk_X509_value(f->certs, (int)i);
		GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);

		for (j = 0; j < sk_GENERAL_NAME_num(gens); j++) {
			const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, j);
			const unsigned char *d;
			size_t len;

			if (!pki_gen_dns(g, &d, &len))
				continue;
			for (k = 0; k < n; k++) {
				if (exact[k] < 0 && dns_is(d, len, peers[k])) {
					exact[k] = (long)i;
					left--;
				}
				/* a candidate: OpenSSL's rules decide, once */
				if (exact[k] < 0 && wildcard[k] < 0 && dns_may_cover(d, len, peers[k]) &&
				    X509_check_host(x, peers[k], strlen(peers[k]), flags, NULL) == 1)
					wildcard[k] = (long)i;
			}
		}
		GENERAL_NAMES_free(gens);
	}
	pki_err_clear();
}

/* Append s to buf (at *at), "..." when it does not fit. */
static void put(char *buf, size_t size, size_t *at, const char *s)
{
	size_t n = strlen(s);

	if (*at + n + 4 > size) {
		if (*at + 4 <= size)
			*at += (size_t)snprintf(buf + *at, size - *at, "...");
		*at = size; /* full */
		return;
	}
	memcpy(buf + *at, s, n + 1);
	*at += n;
}

void pki_cert_dns_names(const struct pki_file *f, size_t i, char *buf, size_t size)
{
	GENERAL_NAMES *gens;
	size_t at = 0, found = 0;
	char subject[256];
	int k;

	if (size == 0)
		return;
	buf[0] = '\0';
	if (i >= pki_file_cert_count(f))
		return;
	gens = X509_get_ext_d2i(sk_X509_value(f->certs, (int)i), NID_subject_alt_name, NULL, NULL);
	for (k = 0; k < sk_GENERAL_NAME_num(gens); k++) {
		GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, k);
		char *e;

		if (g->type != GEN_DNS)
			continue;
		e = pki_escape_dup(ASN1_STRING_get0_data(g->d.dNSName),
				   (size_t)ASN1_STRING_length(g->d.dNSName));
		if (found++ > 0)
			put(buf, size, &at, ", ");
		put(buf, size, &at, e != NULL ? e : "?");
		free(e);
	}
	GENERAL_NAMES_free(gens);
	pki_err_clear();
	if (found == 0) {
		pki_name_oneline(X509_get_subject_name(sk_X509_value(f->certs, (int)i)), subject,
				 sizeof(subject));
		snprintf(buf, size, "no DNS name in subjectAltName (subject %s)", subject);
	}
}

/* The last CN of x, escaped, into buf ("" when none). */
static void last_cn(X509 *x, char *buf, size_t size)
{
	X509_NAME *subj = X509_get_subject_name(x);
	unsigned char *cn = NULL;
	int at = -1, last = -1, len;

	buf[0] = '\0';
	while ((at = X509_NAME_get_index_by_NID(subj, NID_commonName, at)) >= 0)
		last = at;
	if (last >= 0 && (len = ASN1_STRING_to_UTF8(&cn, X509_NAME_ENTRY_get_data(
						  X509_NAME_get_entry(subj, last)))) > 0) {
		char *esc = pki_escape_dup(cn, (size_t)len);

		snprintf(buf, size, "%s", esc != NULL ? esc : "?");
		free(esc);
	}
	OPENSSL_free(cn);
	pki_err_clear();
}

/* Does x hold a dNSName in its subjectAltName? */
static int has_dns_name(X509 *x)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	int j, found = 0;

	for (j = 0; j < sk_GENERAL_NAME_num(gens) && !found; j++)
		found = sk_GENERAL_NAME_value(gens, j)->type == GEN_DNS;
	GENERAL_NAMES_free(gens);
	pki_err_clear();
	return found;
}

void pki_file_fqdn_nears(const struct pki_file *f, const char *const *fqdns, size_t n, int *kind,
			 long *cert)
{
	size_t i, k, left = n;
	char cn[300];
	int j;

	for (k = 0; k < n; k++) {
		kind[k] = PKI_FQDN_FAR;
		cert[k] = -1;
	}
	/* each certificate's names decoded once for every fqdn (32 peers
	 * against a bundle of 675 certificates: oracle/hostile) */
	for (i = 0; i < pki_file_cert_count(f) && left > 0; i++) {
		X509 *x = sk_X509_value(f->certs, (int)i);
		GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);

		for (j = 0; j < sk_GENERAL_NAME_num(gens); j++) {
			const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, j);
			const unsigned char *d;
			size_t len;

			if (!pki_gen_dns(g, &d, &len))
				continue;
			for (k = 0; k < n; k++) {
				size_t fl = strlen(fqdns[k]);
				if (kind[k] == PKI_FQDN_FAR && len == fl + 1 && d[fl] == '.' &&
				    dns_is(d, fl, fqdns[k])) {
					kind[k] = PKI_FQDN_FINAL_DOT;
					cert[k] = (long)i;
					left--;
				}
			}
		}
		GENERAL_NAMES_free(gens);
		pki_err_clear();
		last_cn(x, cn, sizeof(cn));
		for (k = 0; k < n; k++)
			if (kind[k] == PKI_FQDN_FAR && strcasecmp(cn, fqdns[k]) == 0) {
				kind[k] = PKI_FQDN_CN_ONLY;
				cert[k] = (long)i;
				left--;
			}
	}
}

int pki_file_fqdn_near(const struct pki_file *f, const char *fqdn, long *cert)
{
	int kind;

	pki_file_fqdn_nears(f, &fqdn, 1, &kind, cert);
	return kind;
}

int pki_cert_cn_only(const struct pki_file *f, size_t i, char *cn, size_t size)
{
	X509 *x;

	if (size > 0)
		cn[0] = '\0';
	if (i >= pki_file_cert_count(f) || size == 0)
		return 0;
	x = sk_X509_value(f->certs, (int)i);
	if (X509_check_ca(x) != 0 || has_dns_name(x))
		return 0;
	pki_err_clear();
	last_cn(x, cn, size);
	return cn[0] != '\0';
}
