/*
 * inspect.c: pki inspect (guide §4.3, Appendix C; SPEC §5): what a file is
 * and, for each certificate or CSR, its fields, validity and what guide §2.2
 * allows it to be used for. Every text taken from a file is escaped before
 * it can reach a terminal (show.c).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "internal.h"

#define LABEL_WIDTH 19 /* "Signature algorithm", "SHA-256 fingerprint" */

/* "  Label<blanks> : value", value already safe to print. */
static void add_field(struct report *r, const char *label, const char *value)
{
	report_add(r, REPORT_INFO, "  %-*s : %s", LABEL_WIDTH, label, value);
}

/* A field whose text was built in a memory BIO (from the file): escaped.
 * Frees the BIO. */
static void add_field_bio(struct report *r, const char *label, BIO *b)
{
	char *data = NULL, *e = NULL;
	long len = b != NULL ? BIO_get_mem_data(b, &data) : -1;

	if (len >= 0)
		e = pki_escape_dup((const unsigned char *)data, (size_t)len);
	add_field(r, label, e != NULL ? e : "(out of memory)");
	free(e);
	BIO_free(b);
}

/* A name as JSON (issue 12): attribute long name -> value (UTF-8, escaped
 * by report_str when needed); an attribute given twice has its values
 * joined with ", ". */
json_t *pki_name_json(const X509_NAME *n)
{
	json_t *o = json_object();
	int i;

	for (i = 0; i < X509_NAME_entry_count(n); i++) {
		const X509_NAME_ENTRY *e = X509_NAME_get_entry(n, i);
		int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
		unsigned char *u = NULL;
		int len = ASN1_STRING_to_UTF8(&u, X509_NAME_ENTRY_get_data(e));
		char oid[80], *v = NULL, *joined = NULL;
		const char *key = nid != NID_undef ? OBJ_nid2ln(nid) : NULL;
		json_t *old, *val;

		if (key == NULL) {
			OBJ_obj2txt(oid, sizeof(oid), X509_NAME_ENTRY_get_object(e), 1);
			key = oid;
		}
		if (len >= 0)
			v = pki_escape_dup(u, (size_t)len);
		OPENSSL_free(u);
		old = json_object_get(o, key);
		if (old != NULL && json_is_string(old) && v != NULL &&
		    asprintf(&joined, "%s, %s", json_string_value(old), v) >= 0)
			val = report_str(joined);
		else
			val = report_str(v != NULL ? v : "(cannot be read)");
		json_object_set_new(o, key, val);
		free(joined);
		free(v);
	}
	pki_err_clear();
	return o;
}

static void add_name(struct report *r, const char *label, const X509_NAME *n, json_t *c,
		     const char *key)
{
	BIO *b = BIO_new(BIO_s_mem());

	if (c != NULL)
		json_object_set_new(c, key, pki_name_json(n));

	if (b != NULL && X509_NAME_entry_count(n) == 0)
		BIO_puts(b, "(empty)");
	else if (b != NULL)
		X509_NAME_print_ex(b, n, 0, PKI_NAME_FLAGS);
	add_field_bio(r, label, b);
}

/* "AB:CD:..." of n bytes, "-" first when negative; malloc'd. */
static char *colon_hex(const unsigned char *p, size_t n, int neg)
{
	char *s = malloc(n * 3 + 4), *o = s;
	size_t i;

	if (s == NULL)
		return NULL;
	if (neg)
		*o++ = '-';
	if (n == 0)
		strcpy(o, "00");
	for (i = 0; i < n; i++) { /* no snprintf: 32 bytes of every fingerprint */
		if (i > 0)
			*o++ = ':';
		*o++ = "0123456789ABCDEF"[p[i] >> 4];
		*o++ = "0123456789ABCDEF"[p[i] & 15];
	}
	if (n > 0)
		*o = '\0';
	return s;
}

/* RFC 5280 4.1.2.2: a positive integer, but some CAs issued negative ones. */
static void add_serial(struct report *r, const ASN1_INTEGER *serial, json_t *c)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(serial, NULL);
	int n = bn != NULL ? BN_num_bytes(bn) : 0;
	unsigned char *bin = bn != NULL ? malloc((size_t)n + 1) : NULL;
	char *hex = NULL;

	if (bin != NULL && BN_bn2bin(bn, bin) == n)
		hex = colon_hex(bin, (size_t)n, BN_is_negative(bn));
	add_field(r, "Serial", hex != NULL ? hex : "(cannot be read)");
	if (c != NULL)
		json_object_set_new(c, "serial_number", hex != NULL ? json_string(hex) : json_null());
	free(hex);
	free(bin);
	BN_free(bn);
}

/* "YYYY-MM-DD HH:MM:SS UTC" */
static void time_text(const ASN1_TIME *t, char *buf, size_t size)
{
	struct tm tm;

	if (t == NULL || !ASN1_TIME_to_tm(t, &tm) ||
	    strftime(buf, size, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(buf, size, "(invalid time)");
}

/* SPEC §5: valid, expires in N days / expired N days ago / not yet valid.
 * "expires in" counts a started day as a day, so a certificate made for
 * 3650 days says 3650 all through its first day. */
static void validity_text(X509 *x, time_t now, char *buf, size_t size, json_t *c)
{
	ASN1_TIME *t = ASN1_TIME_set(NULL, now);
	int nb = X509_cmp_time(X509_get0_notBefore(x), &now);
	int na = X509_cmp_time(X509_get0_notAfter(x), &now);
	int days = 0, secs = 0;

	if (c != NULL) {
		json_object_set_new(c, "expired", json_boolean(na < 0));
		json_object_set_new(c, "not_yet_valid", json_boolean(nb > 0));
	}
	if (t == NULL || nb == 0 || na == 0) {
		snprintf(buf, size, "validity dates cannot be read");
		if (c != NULL)
			json_object_set_new(c, "days_left", json_null());
	} else if (nb > 0) {
		snprintf(buf, size, "not yet valid");
		if (c != NULL)
			json_object_set_new(c, "days_left", json_null());
	} else if (na < 0) {
		ASN1_TIME_diff(&days, &secs, X509_get0_notAfter(x), t);
		snprintf(buf, size, "expired %d day%s ago", days, days == 1 ? "" : "s");
		if (c != NULL)
			json_object_set_new(c, "days_left", json_integer(-days));
	} else {
		ASN1_TIME_diff(&days, &secs, t, X509_get0_notAfter(x));
		days += secs > 0;
		snprintf(buf, size, "valid, expires in %d day%s", days, days == 1 ? "" : "s");
		if (c != NULL)
			json_object_set_new(c, "days_left", json_integer(days));
	}
	ASN1_TIME_free(t);
}

/* An ASN1_TIME as RFC 3339 UTC, null when it cannot be read. */
static json_t *time_json(const ASN1_TIME *t)
{
	struct tm tm;

	if (t == NULL || !ASN1_TIME_to_tm(t, &tm))
		return json_null();
	return report_time((long long)timegm(&tm));
}

static void add_validity(struct report *r, X509 *x, json_t *c)
{
	char from[64], to[64], state[64], line[200];

	time_text(X509_get0_notBefore(x), from, sizeof(from));
	time_text(X509_get0_notAfter(x), to, sizeof(to));
	if (c != NULL) {
		json_object_set_new(c, "not_before", time_json(X509_get0_notBefore(x)));
		json_object_set_new(c, "not_after", time_json(X509_get0_notAfter(x)));
	}
	validity_text(x, pki_now(), state, sizeof(state), c);
	add_field(r, "Not before", from);
	snprintf(line, sizeof(line), "%s (%s)", to, state);
	add_field(r, "Not after", line);
}

/* "RSA 2048 bits", "EC 256 bits (prime256v1)" */
static void key_text(EVP_PKEY *k, char *buf, size_t size)
{
	const char *type = k != NULL ? EVP_PKEY_get0_type_name(k) : NULL;
	char group[64] = "";
	size_t glen = 0;

	if (k == NULL) {
		snprintf(buf, size, "unknown or unsupported key algorithm");
		return;
	}
	if (EVP_PKEY_get_group_name(k, group, sizeof(group), &glen) != 1)
		group[0] = '\0';
	snprintf(buf, size, "%s %d bits%s%s%s", type != NULL ? type : "unknown",
		 EVP_PKEY_get_bits(k), group[0] ? " (" : "", group, group[0] ? ")" : "");
	pki_err_clear();
}

/* The public key's facts as JSON, in object c. */
static void key_json(EVP_PKEY *k, json_t *c)
{
	const char *type = k != NULL ? EVP_PKEY_get0_type_name(k) : NULL;
	char group[64] = "";
	size_t glen = 0;

	json_object_set_new(c, "public_key_type", type != NULL ? json_string(type) : json_null());
	json_object_set_new(c, "public_key_size", k != NULL ? json_integer(EVP_PKEY_get_bits(k)) : json_null());
	if (k != NULL && EVP_PKEY_get_group_name(k, group, sizeof(group), &glen) == 1 && group[0])
		json_object_set_new(c, "public_key_curve", json_string(group));
	pki_err_clear();
}

static void add_key(struct report *r, EVP_PKEY *k, const X509_PUBKEY *xpk, json_t *c)
{
	char text[128], oid[80];
	ASN1_OBJECT *obj = NULL;

	key_text(k, text, sizeof(text));
	if (k == NULL && xpk != NULL && X509_PUBKEY_get0_param(&obj, NULL, NULL, NULL, xpk) &&
	    OBJ_obj2txt(oid, sizeof(oid), obj, 0) > 0) {
		size_t l = strlen(text);
		snprintf(text + l, sizeof(text) - l, " (%s)", oid);
	}
	add_field(r, "Key", text);
	if (c != NULL)
		key_json(k, c);
}

static void add_sigalg(struct report *r, const X509_ALGOR *alg, json_t *c)
{
	const ASN1_OBJECT *obj = NULL;
	char name[80] = "unknown";

	X509_ALGOR_get0(&obj, NULL, NULL, alg);
	if (obj != NULL)
		OBJ_obj2txt(name, sizeof(name), obj, 0);
	add_field(r, "Signature algorithm", name);
	if (c != NULL)
		json_object_set_new(c, "signature_algorithm", json_string(name));
}

/* An extension of certificate x: its decoded value, or NULL with a field
 * line saying why (absent -> "none"). RFC 5280 4.2: at most one of each. */
static void *get_ext(struct report *r, const char *label, X509 *x, int nid, BIO **b, json_t *c,
		     const char *key)
{
	int crit = -1;
	void *v = X509_get_ext_d2i(x, nid, &crit, NULL);
	char ckey[64];

	*b = NULL;
	if (c != NULL) {
		snprintf(ckey, sizeof(ckey), "%s_critical", key);
		json_object_set_new(c, ckey, json_boolean(crit == 1));
	}
	if (v == NULL) {
		if (c != NULL)
			json_object_set_new(c, key, json_null());
		pki_err_clear();
		add_field(r, label, crit == -1 ? "none"
				    : crit == -2 ? "present more than once (invalid, RFC 5280 section 4.2)"
						 : "present but cannot be decoded");
		return NULL;
	}
	if ((*b = BIO_new(BIO_s_mem())) != NULL && crit == 1)
		BIO_puts(*b, "critical, ");
	return v;
}

/* Each name of a subjectAltName as JSON: "DNS:x", "IP:x", "email:x",
 * "URI:x" (the text's forms; IP as Ansible writes it), others as OpenSSL
 * prints them. */
static json_t *gens_json(const GENERAL_NAMES *gens)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
		GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		BIO *b = BIO_new(BIO_s_mem());
		char *data = NULL, *e = NULL;
		long len;
		const char *tag = g->type == GEN_DNS     ? "DNS:"
				  : g->type == GEN_EMAIL ? "email:"
				  : g->type == GEN_URI   ? "URI:"
							 : NULL;

		if (b == NULL)
			continue;
		if (tag != NULL) {
			BIO_puts(b, tag);
			pki_bio_put_escaped(b, ASN1_STRING_get0_data(g->d.ia5),
					    ASN1_STRING_length(g->d.ia5));
		} else {
			/* as the openssl CLI shows it (x509 -ext subjectAltName),
			 * an IP address as Ansible writes it: "IP:192.0.2.1" */
			STACK_OF(CONF_VALUE) *cv = i2v_GENERAL_NAME(NULL, g, NULL);
			int k;
			for (k = 0; k < sk_CONF_VALUE_num(cv); k++) {
				CONF_VALUE *v = sk_CONF_VALUE_value(cv, k);
				BIO_printf(b, "%s:%s", g->type == GEN_IPADD ? "IP" : v->name,
					   v->value != NULL ? v->value : "");
			}
			sk_CONF_VALUE_pop_free(cv, X509V3_conf_free);
		}
		len = BIO_get_mem_data(b, &data);
		if (len >= 0)
			e = pki_escape_dup((const unsigned char *)data, (size_t)len);
		json_array_append_new(a, report_str(e != NULL ? e : "(out of memory)"));
		free(e);
		BIO_free(b);
	}
	pki_err_clear();
	return a;
}

static void add_san(struct report *r, X509 *x, json_t *c)
{
	BIO *b;
	GENERAL_NAMES *gens = get_ext(r, "Subject alt names", x, NID_subject_alt_name, &b, c,
				      "subject_alt_name");

	if (gens == NULL)
		return;
	if (c != NULL)
		json_object_set_new(c, "subject_alt_name", gens_json(gens));
	if (b != NULL)
		pki_print_gens(b, gens);
	add_field_bio(r, "Subject alt names", b);
	GENERAL_NAMES_free(gens);
}

/* Print the names of the set bits of a BIT STRING. */
static void print_bits(BIO *b, const ASN1_BIT_STRING *bs, const char *const *names, int n,
		       json_t *list)
{
	int i, any = 0;

	for (i = 0; i < n; i++) {
		if (!ASN1_BIT_STRING_get_bit(bs, i))
			continue;
		if (list != NULL)
			json_array_append_new(list, json_string(names[i]));
		BIO_printf(b, "%s%s", any ? ", " : "", names[i]);
		any = 1;
	}
	if (!any)
		BIO_puts(b, "(no bits set)");
}

/* RFC 5280 4.2.1.3 bit names, the words guide §2.2 uses. */
static void add_key_usage(struct report *r, X509 *x, json_t *c)
{
	static const char *const names[] = { "digitalSignature", "nonRepudiation",
					     "keyEncipherment", "dataEncipherment",
					     "keyAgreement", "keyCertSign", "cRLSign",
					     "encipherOnly", "decipherOnly" };
	BIO *b;
	ASN1_BIT_STRING *ku = get_ext(r, "KeyUsage", x, NID_key_usage, &b, c, "key_usage");
	json_t *list;

	if (ku == NULL)
		return;
	list = c != NULL ? json_array() : NULL;
	if (b != NULL)
		print_bits(b, ku, names, 9, list);
	json_object_set_new(c, "key_usage", list);
	add_field_bio(r, "KeyUsage", b);
	ASN1_BIT_STRING_free(ku);
}

/* RFC 5280 4.2.1.12, with OpenSSL's long names ("TLS Web Server
 * Authentication"), the words of guide §2.2. */
static void add_eku(struct report *r, X509 *x, json_t *c)
{
	BIO *b;
	EXTENDED_KEY_USAGE *eku = get_ext(r, "ExtendedKeyUsage", x, NID_ext_key_usage, &b, c,
					  "extended_key_usage");
	char name[80];
	json_t *list;
	int i;

	if (eku == NULL)
		return;
	list = c != NULL ? json_array() : NULL;
	for (i = 0; b != NULL && i < sk_ASN1_OBJECT_num(eku); i++) {
		OBJ_obj2txt(name, sizeof(name), sk_ASN1_OBJECT_value(eku, i), 0);
		BIO_printf(b, "%s%s", i ? ", " : "", name);
		if (list != NULL)
			json_array_append_new(list, json_string(name));
	}
	json_object_set_new(c, "extended_key_usage", list);
	add_field_bio(r, "ExtendedKeyUsage", b);
	EXTENDED_KEY_USAGE_free(eku);
}

/* RFC 5280 4.2.1.9 */
static void add_basic_constraints(struct report *r, X509 *x, json_t *c)
{
	BIO *b;
	BASIC_CONSTRAINTS *bc = get_ext(r, "basicConstraints", x, NID_basic_constraints, &b, c,
					"basic_constraints");
	json_t *list;
	char pl[48];

	if (bc == NULL)
		return;
	list = c != NULL ? json_array() : NULL;
	if (list != NULL)
		json_array_append_new(list, json_string(bc->ca ? "CA:TRUE" : "CA:FALSE"));
	if (list != NULL && bc->pathlen != NULL) {
		snprintf(pl, sizeof(pl), "pathlen:%ld", ASN1_INTEGER_get(bc->pathlen));
		json_array_append_new(list, json_string(pl));
	}
	json_object_set_new(c, "basic_constraints", list);
	if (b != NULL) {
		BIO_puts(b, bc->ca ? "CA:TRUE" : "CA:FALSE");
		if (bc->pathlen != NULL)
			BIO_printf(b, ", pathlen:%ld", ASN1_INTEGER_get(bc->pathlen));
	}
	add_field_bio(r, "basicConstraints", b);
	BASIC_CONSTRAINTS_free(bc);
}

/* Netscape cert type bits, the names guide §2.2 uses. */
static void add_ns_cert_type(struct report *r, X509 *x, json_t *c)
{
	static const char *const names[] = { "SSL Client", "SSL Server", "S/MIME",
					     "Object Signing", "Unused", "SSL CA",
					     "S/MIME CA", "Object Signing CA" };
	BIO *b;
	ASN1_BIT_STRING *ns = get_ext(r, "Netscape cert type", x, NID_netscape_cert_type, &b, c,
				      "netscape_cert_type");
	json_t *list;

	if (ns == NULL)
		return;
	list = c != NULL ? json_array() : NULL;
	if (b != NULL)
		print_bits(b, ns, names, 8, list);
	json_object_set_new(c, "netscape_cert_type", list);
	add_field_bio(r, "Netscape cert type", b);
	ASN1_BIT_STRING_free(ns);
}

static void add_fingerprint(struct report *r, X509 *x, json_t *c)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	char *hex = NULL;

	if (X509_digest(x, pki_sha256(), md, &n))
		hex = colon_hex(md, n, 0);
	add_field(r, "SHA-256 fingerprint", hex != NULL ? hex : "(cannot be computed)");
	if (c != NULL)
		json_object_set_new(c, "fingerprints",
				    hex != NULL ? json_pack("{s:s}", "sha256", hex) : json_object());
	free(hex);
}

/* guide §2.2 via pki_rule_role(): "TLS server, TLS client; not CA (why)". */
static void add_usable_for(struct report *r, const struct pki_file *f, size_t idx, json_t *c)
{
	json_t *ylist = c != NULL ? json_array() : NULL, *nlist = c != NULL ? json_array() : NULL;
	static const struct {
		enum pki_role role;
		const char *name;
	} roles[] = { { PKI_ROLE_SERVER, "TLS server" },
		      { PKI_ROLE_CLIENT, "TLS client" },
		      { PKI_ROLE_CA, "CA" } };
	char yes[64] = "", no[1024] = "", why[256];
	size_t i, l;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		if (pki_rule_role(f, idx, roles[i].role, why, sizeof(why)) == 1) {
			l = strlen(yes);
			snprintf(yes + l, sizeof(yes) - l, "%s%s", l ? ", " : "", roles[i].name);
			if (ylist != NULL)
				json_array_append_new(ylist, json_string(roles[i].name));
		} else {
			l = strlen(no);
			snprintf(no + l, sizeof(no) - l, "; not %s (%s)", roles[i].name, why);
			if (nlist != NULL)
				json_array_append_new(nlist, json_pack("{s:s, s:o}", "use", roles[i].name,
								       "why", report_str(why)));
		}
	}
	json_object_set_new(c, "usable_for", ylist);
	json_object_set_new(c, "not_usable_for", nlist);
	report_add(r, REPORT_INFO, "  %-*s : %s%s", LABEL_WIDTH, "Usable for",
		   yes[0] ? yes : "nothing", no);
}

static void cert_fields(const struct pki_file *f, size_t idx, struct report *r, json_t *c)
{
	X509 *x = sk_X509_value(f->certs, (int)idx);
	const X509_ALGOR *alg = NULL;

	if (c != NULL)
		json_object_set_new(c, "position", json_integer((json_int_t)idx + 1));
	add_name(r, "Subject", X509_get_subject_name(x), c, "subject");
	add_name(r, "Issuer", X509_get_issuer_name(x), c, "issuer");
	add_serial(r, X509_get0_serialNumber(x), c);
	add_validity(r, x, c);
	add_key(r, X509_get0_pubkey(x), X509_get_X509_PUBKEY(x), c);
	X509_get0_signature(NULL, &alg, x);
	add_sigalg(r, alg, c);
	add_san(r, x, c);
	add_key_usage(r, x, c);
	add_eku(r, x, c);
	add_basic_constraints(r, x, c);
	add_ns_cert_type(r, x, c);
	add_fingerprint(r, x, c);
	add_usable_for(r, f, idx, c);
	pki_err_clear();
}

/* The SAN a CSR asks for (its extension request, RFC 2986 / PKCS#9). */
static void add_csr_san(struct report *r, X509_REQ *req, json_t *c)
{
	STACK_OF(X509_EXTENSION) *exts = X509_REQ_get_extensions(req);
	GENERAL_NAMES *gens = NULL;
	BIO *b = NULL;
	int i;

	for (i = 0; gens == NULL && i < sk_X509_EXTENSION_num(exts); i++) {
		X509_EXTENSION *e = sk_X509_EXTENSION_value(exts, i);
		if (OBJ_obj2nid(X509_EXTENSION_get_object(e)) == NID_subject_alt_name)
			gens = X509V3_EXT_d2i(e);
	}
	if (gens != NULL && (b = BIO_new(BIO_s_mem())) != NULL)
		pki_print_gens(b, gens);
	json_object_set_new(c, "subject_alt_name", gens != NULL ? gens_json(gens) : json_null());
	if (gens != NULL)
		add_field_bio(r, "Subject alt names", b);
	else
		add_field(r, "Subject alt names", "none");
	GENERAL_NAMES_free(gens);
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
}

/* The ExtendedKeyUsage a CSR asks for (pki sign keeps it), a line only
 * when it asks for one. */
static void add_csr_eku(struct report *r, X509_REQ *req, json_t *c)
{
	STACK_OF(X509_EXTENSION) *exts = X509_REQ_get_extensions(req);
	EXTENDED_KEY_USAGE *eku = NULL;
	json_t *list = NULL;
	BIO *b;
	char name[80];
	int i;

	for (i = 0; eku == NULL && i < sk_X509_EXTENSION_num(exts); i++) {
		X509_EXTENSION *e = sk_X509_EXTENSION_value(exts, i);
		if (OBJ_obj2nid(X509_EXTENSION_get_object(e)) == NID_ext_key_usage)
			eku = X509V3_EXT_d2i(e);
	}
	if (eku != NULL && (b = BIO_new(BIO_s_mem())) != NULL) {
		list = json_array();
		for (i = 0; i < sk_ASN1_OBJECT_num(eku); i++) {
			OBJ_obj2txt(name, sizeof(name), sk_ASN1_OBJECT_value(eku, i), 0);
			BIO_printf(b, "%s%s", i ? ", " : "", name);
			json_array_append_new(list, json_string(name));
		}
		add_field_bio(r, "ExtendedKeyUsage", b);
	}
	json_object_set_new(c, "extended_key_usage", list != NULL ? list : json_null());
	EXTENDED_KEY_USAGE_free(eku);
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	pki_err_clear();
}

static void csr_fields(const struct pki_file *f, struct report *r)
{
	X509_REQ *req = f->csr;
	EVP_PKEY *pub = X509_REQ_get0_pubkey(req);
	const X509_ALGOR *alg = NULL;
	json_t *c = json_object();
	int ok;

	add_name(r, "Subject", X509_REQ_get_subject_name(req), c, "subject");
	add_csr_san(r, req, c);
	add_csr_eku(r, req, c);
	add_key(r, pub, X509_REQ_get_X509_PUBKEY(req), c);
	X509_REQ_get0_signature(req, NULL, &alg);
	add_sigalg(r, alg, c);
	ok = pub != NULL && X509_REQ_verify(req, pub) == 1;
	add_field(r, "Signature", ok ? "verifies (the CSR is intact)"
				     : "does not verify (damaged or edited): make the CSR again");
	json_object_set_new(c, "signature_valid", json_boolean(ok));
	json_object_set_new(report_data(r), "csr", c);
	pki_err_clear();
}

/* enum pki_kind as JSON shows it. */
static const char *kind_name(enum pki_kind k)
{
	switch (k) {
	case PKI_KIND_UNKNOWN: break;
	case PKI_KIND_EMPTY: return "empty";
	case PKI_KIND_KEY: return "private_key";
	case PKI_KIND_LOCKED_KEY: return "locked_private_key";
	case PKI_KIND_PUBLIC_KEY: return "public_key";
	case PKI_KIND_CERT: return "certificate";
	case PKI_KIND_BUNDLE: return "bundle";
	case PKI_KIND_CSR: return "csr";
	case PKI_KIND_PKCS12: return "pkcs12";
	case PKI_KIND_SSH_PUBKEY: return "ssh_public_key";
	case PKI_KIND_FOREIGN_KEY: return "foreign_private_key";
	case PKI_KIND_CRL: return "crl";
	}
	return "unknown";
}

/* The first line: "<name>: <what it is>", and what to do with a locked key. */
static void describe(const struct pki_file *f, struct report *r)
{
	char what[160], key[128];
	json_t *d = report_data(r);
	char bad[600];

	json_object_set_new(d, "file", report_str(f->name));
	json_object_set_new(d, "kind", json_string(kind_name(f->kind)));

	/* issue 11 class 6: a file no command can use is a FAILURE */
	if (pki_file_unreadable(f, bad, sizeof(bad))) {
		report_check(r, REPORT_FAILURE, "file.unreadable", f->name, 0,
			     "%s",
			     bad);
		return;
	}
	pki_kind_describe(f, what, sizeof(what));
	json_object_set_new(d, "description", report_str(what));
	if (f->kind == PKI_KIND_KEY || f->kind == PKI_KIND_PUBLIC_KEY) {
		json_t *k = json_object();
		key_json(f->kind == PKI_KIND_KEY ? f->key : f->pubkey, k);
		json_object_set_new(d, "key", k);
		key_text(f->kind == PKI_KIND_KEY ? f->key : f->pubkey, key, sizeof(key));
		report_add(r, REPORT_INFO, "%s: %s, %s", f->name, what, key);
	} else {
		report_add(r, REPORT_INFO, "%s: %s", f->name, what);
	}
	if (f->kind == PKI_KIND_LOCKED_KEY)
		report_add(r, REPORT_INFO, "It is locked: use pki unlock %s to unlock it with its password",
			   f->name);
	if (f->kind == PKI_KIND_FOREIGN_KEY)
		report_add(r, REPORT_INFO, "It is not read as a service's key: %s",
			   pki_foreign_key_remedy(f));
	if (f->kind == PKI_KIND_PKCS12)
		report_add(r, REPORT_INFO,
			   "For a service's key and certificate: pki pkcs12-extract %s <basename> asks for its password and writes <basename>.key, <basename>.crt and <basename>-bundle.crt",
			   f->name);
	if (f->kind == PKI_KIND_PKCS12)
		report_add(r, REPORT_INFO,
			   "For SSH login by key: upload it as <username>.pub, then pki pkcs12-to-ssh <username> asks for its password and turns it into that user's OpenSSH public key (guide Appendix C)");
}

/* What else the file holds, and damaged parts. */
static void notes(const struct pki_file *f, struct report *r)
{
	int certs = sk_X509_num(f->certs) > 0;
	char why[1024];

	if (certs && f->key != NULL)
		report_check(r, REPORT_WARNING, "file.key_with_certs", f->name, 0,
			     "%s: %s",
			     f->name, pki_key_with_certs_remedy(f, why, sizeof(why)));
	if (f->keys > 1)
		report_check(r, REPORT_WARNING, "file.several_keys", f->name, 0,
			     "%s holds %d private keys: no command takes it as a key; keep one key per file",
			     f->name, f->keys);
	json_t *also = json_array();

	if ((certs || f->key != NULL) && f->locked) {
		report_add(r, REPORT_INFO, "The file also holds a password-protected private key.");
		json_array_append_new(also, json_string("locked_private_key"));
	}
	if (f->kind != PKI_KIND_FOREIGN_KEY && f->foreign != PKI_FOREIGN_NONE) {
		report_add(r, REPORT_INFO, "The file also holds an OpenSSH private key.");
		json_array_append_new(also, json_string("openssh_private_key"));
	}
	if ((certs || f->key != NULL) && f->csr != NULL) {
		report_add(r, REPORT_INFO, "The file also holds a certificate signing request.");
		json_array_append_new(also, json_string("csr"));
	}
	if (f->kind != PKI_KIND_CRL && f->crls > 0) {
		report_add(r, REPORT_INFO,
			   "The file also holds %d certificate revocation list%s: pki verify uses %s when the file is its bundle or CA file.",
			   f->crls, f->crls == 1 ? "" : "s", f->crls == 1 ? "it" : "them");
		json_array_append_new(also, json_string("crls"));
	}
	if (f->kind != PKI_KIND_UNKNOWN && f->unknown_blocks > 0) {
		report_add(r, REPORT_INFO, "The file also holds %d PEM block%s of another type (skipped).",
			   f->unknown_blocks, f->unknown_blocks == 1 ? "" : "s");
		json_array_append_new(also, json_string("other_pem_blocks"));
	}
	json_object_set_new(report_data(r), "also_holds", also);
	if (f->kind != PKI_KIND_UNKNOWN && f->bad_blocks > 0) {
		char why[400];
		report_check(r, REPORT_WARNING, "file.damaged_blocks", f->name, 0,
			     "%s: %d PEM block%s skipped: %s",
			     f->name, f->bad_blocks, f->bad_blocks == 1 ? " was" : "s were", pki_damage_text(f, why, sizeof(why)));
	}
	pki_file_warnings(f, r);
}

/* A login key file (<user>.pub) holds OpenSSH public key lines without
 * options, or a PKCS#12 to convert (issue 10): anything else is said. */
static void login_key_rule(const struct pki_file *f, struct report *r)
{
	size_t n = strlen(f->name);
	char why[400];

	if (n > 4 && strcmp(f->name + n - 4, ".pub") == 0 && f->kind != PKI_KIND_PKCS12 &&
	    pki_login_key_problem(f->raw, f->raw_len, why, sizeof(why)))
		report_check(r, REPORT_FAILURE, "file.login_key", f->name, 0,
			     "%s: %s",
			     f->name, why);
}

enum mmp_rc pki_inspect(const struct store *s, const char *name, struct report *r,
			struct mmp_err *err)
{
	struct pki_file *f = NULL;
	enum mmp_rc rc;

	if ((rc = pki_file_load(s, name, &f, err)) != MMP_OK)
		return rc;
	pki_inspect_file(f, r);
	pki_file_free(f);
	return MMP_OK;
}

void pki_inspect_file(const struct pki_file *f, struct report *r)
{
	size_t i, n;
	json_t *certs;

	describe(f, r);
	notes(f, r);
	login_key_rule(f, r);
	n = pki_file_cert_count(f);
	/* the objects only when JSON renders them: for a bundle of 150
	 * certificates they cost a fifth of the command (bench/notes.md) */
	certs = r->text_only ? NULL : json_array();
	for (i = 0; i < n; i++) {
		json_t *c = certs != NULL ? json_object() : NULL;
		if (n == 1)
			report_add(r, REPORT_INFO, "Certificate:");
		else
			report_add(r, REPORT_INFO, "Certificate %zu of %zu:", i + 1, n);
		cert_fields(f, i, r, c);
		if (certs != NULL)
			json_array_append_new(certs, c);
	}
	if (certs != NULL)
		json_object_set_new(report_data(r), "certificates", certs);
	/* guide chapter 3 note, before an admin tries to install it: a
	 * certificate that is no CA is a leaf, whose signature always counts */
	for (i = 0; i < n; i++) {
		char why[384];
		int ca = pki_rule_role(f, i, PKI_ROLE_CA, NULL, 0) == 1;
		if (pki_rule_sha2(f, i, ca, why, sizeof(why)) == 0)
			report_check(r, REPORT_WARNING, "cert.weak_signature", f->name, (int)(i + 1),
				     "%s: certificate %zu: %s (guide chapter 3)",
				     f->name, i + 1, why);
		/* what clients refuse (compat.c): a certificate that is no CA
		 * is a leaf, a TLS server one when §2.2 allows that use */
		pki_compat_cert(f, i, NULL,
				ca ? 0
				   : PKI_COMPAT_LEAF | (pki_rule_role(f, i, PKI_ROLE_SERVER, NULL, 0) == 1
							    ? PKI_COMPAT_TLS_SERVER
							    : 0),
				r);
	}
	if (n == 0 && f->csr != NULL)
		csr_fields(f, r);
	if (f->kind == PKI_KIND_CRL)
		pki_inspect_crls(f, r);
	pki_err_clear();
}
