/*
 * inspect_crl.c: pki inspect of a certificate revocation list file (RFC
 * 5280 section 5): for each CRL its issuer, lastUpdate and nextUpdate, its
 * CRLNumber and how many certificates it revokes, and what pki verify
 * will say of it (crl.expired, crl.malformed) before it is used.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/pem.h>

#include "internal.h"

#define LABEL_WIDTH 19 /* as inspect.c: "Signature algorithm" */

/* Every CRL of the file, in order: PEM X509 CRL blocks, or one DER CRL
 * (load.c decided the kind from the same bytes). */
static STACK_OF(X509_CRL) *read_crls(const struct pki_file *f)
{
	STACK_OF(X509_CRL) *all = sk_X509_CRL_new_null();
	X509_CRL *c;

	if (all == NULL)
		return NULL;
	if (f->enc == PKI_ENC_PEM) {
		BIO *b = BIO_new_mem_buf(f->raw, (int)f->raw_len);
		while (b != NULL && (c = PEM_read_bio_X509_CRL(b, NULL, NULL, NULL)) != NULL)
			if (!sk_X509_CRL_push(all, c))
				X509_CRL_free(c);
		BIO_free(b);
	} else {
		const unsigned char *p = f->raw;
		if ((c = d2i_X509_CRL(NULL, &p, (long)f->raw_len)) != NULL && !sk_X509_CRL_push(all, c))
			X509_CRL_free(c);
	}
	pki_err_clear();
	return all;
}

/* "YYYY-MM-DD HH:MM:SS UTC" and the same instant for JSON. */
static void when(const ASN1_TIME *t, char *buf, size_t size, json_t **j)
{
	struct tm tm;

	if (t == NULL || !ASN1_TIME_to_tm(t, &tm) ||
	    strftime(buf, size, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0) {
		snprintf(buf, size, "%s", t == NULL ? "none" : "(invalid time)");
		*j = json_null();
		return;
	}
	*j = report_time((long long)timegm(&tm));
}

static void field(struct report *r, const char *label, const char *value)
{
	report_add(r, REPORT_INFO, "  %-*s : %s", LABEL_WIDTH, label, value);
}

/* CRL i (1-based) of file f. */
static void one_crl(const struct pki_file *f, X509_CRL *c, int i, int n, struct report *r,
		    json_t *list)
{
	char issuer[512], last[64], next[64], line[256], *num = NULL;
	const ASN1_TIME *nu = X509_CRL_get0_nextUpdate(c);
	ASN1_INTEGER *number = X509_CRL_get_ext_d2i(c, NID_crl_number, NULL, NULL);
	const char *fault = pki_crl_number_fault(c);
	int revoked = sk_X509_REVOKED_num(X509_CRL_get_REVOKED(c)), days = 0, secs = 0;
	time_t now = pki_now();
	json_t *o = json_object(), *jl = NULL, *jn = NULL;
	BIGNUM *bn;

	pki_name_oneline(X509_CRL_get_issuer(c), issuer, sizeof(issuer));
	when(X509_CRL_get0_lastUpdate(c), last, sizeof(last), &jl);
	when(nu, next, sizeof(next), &jn);
	if (number != NULL && (bn = ASN1_INTEGER_to_BN(number, NULL)) != NULL) {
		num = BN_bn2dec(bn);
		BN_free(bn);
	}
	revoked = revoked < 0 ? 0 : revoked;
	if (n == 1)
		report_add(r, REPORT_INFO, "Revocation list:");
	else
		report_add(r, REPORT_INFO, "Revocation list %d of %d:", i, n);
	field(r, "Issuer", issuer);
	field(r, "Last update", last);
	if (nu != NULL && X509_cmp_time(nu, &now) < 0) {
		ASN1_TIME *t = ASN1_TIME_set(NULL, now);
		if (t != NULL)
			ASN1_TIME_diff(&days, &secs, nu, t);
		ASN1_TIME_free(t);
		snprintf(line, sizeof(line), "%s (passed %d day%s ago)", next, days, days == 1 ? "" : "s");
	} else {
		snprintf(line, sizeof(line), "%s", next);
	}
	field(r, "Next update", line);
	field(r, "CRL number", num != NULL ? num : "none");
	snprintf(line, sizeof(line), "%d certificate%s", revoked, revoked == 1 ? "" : "s");
	field(r, "Revoked", line);
	json_object_set_new(o, "position", json_integer(i));
	json_object_set_new(o, "issuer", pki_name_json(X509_CRL_get_issuer(c)));
	json_object_set_new(o, "last_update", jl);
	json_object_set_new(o, "next_update", jn);
	json_object_set_new(o, "crl_number", num != NULL ? json_string(num) : json_null());
	json_object_set_new(o, "revoked", json_integer(revoked));
	json_array_append_new(list, o);
	/* what pki verify will say when it is given (crl.c) */
	if (fault != NULL) {
		report_check(r, REPORT_WARNING, "crl.malformed", f->name, 0,
			     "%s: revocation list %d (of %s): %s, so pki verify refuses it",
			     f->name, i, issuer, fault);
		report_remedy(r, "get a conforming CRL from the CA");
	} else if (nu != NULL && X509_cmp_time(nu, &now) < 0) {
		report_check(r, REPORT_WARNING, "crl.expired", f->name, 0,
			     "%s: revocation list %d (of %s) is past its nextUpdate by %d day%s: pki verify uses it with a WARNING, but a newer one may revoke more",
			     f->name, i, issuer, days, days == 1 ? "" : "s");
		report_remedy(r, "get the current CRL from the CA (RFC 5280 section 5.1.2.5)");
	}
	OPENSSL_free(num);
	ASN1_INTEGER_free(number);
	pki_err_clear();
}

void pki_inspect_crls(const struct pki_file *f, struct report *r)
{
	STACK_OF(X509_CRL) *all = read_crls(f);
	json_t *list = json_array();
	int i, n = all != NULL ? sk_X509_CRL_num(all) : 0;

	for (i = 0; i < n; i++)
		one_crl(f, sk_X509_CRL_value(all, i), i + 1, n, r, list);
	json_object_set_new(report_data(r), "crls", list);
	report_add(r, REPORT_INFO,
		   "Use %s with: pki verify <certificate> <bundle> crl:%s",
		   n == 1 ? "it" : "them", f->name);
	sk_X509_CRL_pop_free(all, X509_CRL_free);
}
