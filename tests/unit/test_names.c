/*
 * test_names.c: the peer-name rules of src/pki/names.c (pki verify name:,
 * health's handshake) on certificates built in memory with OpenSSL: only
 * the fields the rules read (subject CN, subjectAltName) are set; nothing
 * is signed, the rules do not look at signatures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "pki/internal.h"
#include "pki/names.h"

/* A certificate with CN cn (NULL: none) and subjectAltName san in
 * openssl's config syntax (NULL: no extension). */
static X509 *cert(const char *cn, const char *san)
{
	X509 *x = X509_new();
	X509_NAME *n = X509_get_subject_name(x);

	assert_non_null(x);
	if (cn != NULL)
		assert_int_equal(X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8,
							    (const unsigned char *)cn, -1, -1, 0), 1);
	if (san != NULL) {
		X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, NULL, NID_subject_alt_name, san);
		assert_non_null(e);
		assert_int_equal(X509_add_ext(x, e, -1), 1);
		X509_EXTENSION_free(e);
	}
	return x;
}

static enum pki_name_result match(const char *cn, const char *san, const char *name)
{
	struct pki_peer_name pn;
	char have[512];
	enum pki_name_result r;
	X509 *x = cert(cn, san);

	assert_int_equal(pki_name_parse(name, &pn), 1);
	r = pki_name_match_x509(x, &pn, have, sizeof(have));
	X509_free(x);
	return r;
}

static void test_exact(void **state)
{
	(void)state;
	assert_int_equal(match(NULL, "DNS:join.example.com", "join.example.com"), PKI_NAME_SAN);
	assert_int_equal(match(NULL, "DNS:join.example.com", "JOIN.example.COM"), PKI_NAME_SAN);
	assert_int_equal(match(NULL, "DNS:Join.Example.com", "join.example.com"), PKI_NAME_SAN);
	assert_int_equal(match(NULL, "DNS:join.example.com", "join.example.com."), PKI_NAME_SAN);
	assert_int_equal(match(NULL, "DNS:join.example.com", "example.com"), PKI_NAME_NONE);
	assert_int_equal(match(NULL, "DNS:join.example.com", "x.join.example.com"), PKI_NAME_NONE);
	/* an internationalised name is compared in A-label form */
	assert_int_equal(match(NULL, "DNS:xn--zrich-kva.example.com", "zürich.example.com"),
			 PKI_NAME_SAN);
}

static void test_wildcard(void **state)
{
	(void)state;
	assert_int_equal(match(NULL, "DNS:*.example.com", "meet.example.com"), PKI_NAME_SAN);
	assert_int_equal(match(NULL, "DNS:*.example.com", "a.meet.example.com"), PKI_NAME_NONE);
	assert_int_equal(match(NULL, "DNS:*.example.com", "example.com"), PKI_NAME_NONE);
	/* not the whole left-most label, not left-most, too wide */
	assert_int_equal(match(NULL, "DNS:f*.example.com", "foo.example.com"), PKI_NAME_NONE);
	assert_int_equal(match(NULL, "DNS:*oo.example.com", "foo.example.com"), PKI_NAME_NONE);
	assert_int_equal(match(NULL, "DNS:foo.*.com", "foo.example.com"), PKI_NAME_NONE);
	assert_int_equal(match(NULL, "DNS:*.com", "example.com"), PKI_NAME_NONE);
	assert_int_equal(match(NULL, "DNS:*", "example"), PKI_NAME_NONE);
	assert_int_equal(match(NULL, "DNS:*.*.example.com", "a.b.example.com"), PKI_NAME_NONE);
}

static void test_ip(void **state)
{
	(void)state;
	assert_int_equal(match(NULL, "IP:192.0.2.10", "192.0.2.10"), PKI_NAME_SAN);
	assert_int_equal(match(NULL, "IP:192.0.2.10", "192.0.2.11"), PKI_NAME_NONE);
	assert_int_equal(match(NULL, "IP:2001:db8::1", "2001:DB8:0:0:0:0:0:1"), PKI_NAME_SAN);
	/* an address held as a DNS name, or in the CN, never matches */
	assert_int_equal(match(NULL, "DNS:192.0.2.10", "192.0.2.10"), PKI_NAME_NONE);
	assert_int_equal(match("192.0.2.10", NULL, "192.0.2.10"), PKI_NAME_NONE);
	/* a DNS name never matches an IP entry */
	assert_int_equal(match(NULL, "IP:192.0.2.10", "a.example.com"), PKI_NAME_NONE);
}

static void test_cn(void **state)
{
	(void)state;
	/* the CN only without any subjectAltName */
	assert_int_equal(match("join.example.com", NULL, "join.example.com"), PKI_NAME_CN);
	assert_int_equal(match("join.example.com", NULL, "other.example.com"), PKI_NAME_NONE);
	assert_int_equal(match("join.example.com", "DNS:cms.example.com", "join.example.com"),
			 PKI_NAME_NONE);
	assert_int_equal(match("join.example.com", "IP:192.0.2.10", "join.example.com"),
			 PKI_NAME_NONE);
}

static void test_parse(void **state)
{
	struct pki_peer_name pn;

	(void)state;
	assert_int_equal(pki_name_parse("bad_name.example.com", &pn), 0);
	assert_int_equal(pki_name_parse("*.example.com", &pn), 0);
	assert_int_equal(pki_name_parse("-a.example.com", &pn), 0);
	assert_int_equal(pki_name_parse("a..example.com", &pn), 0);
	assert_int_equal(pki_name_parse("", &pn), 0);
	assert_int_equal(pki_name_parse("2001:db8::zz", &pn), 0);
	assert_int_equal(pki_name_parse("Join.Example.com.", &pn), 1);
	assert_string_equal(pn.dns, "join.example.com");
	assert_int_equal(pki_name_parse("192.0.2.10", &pn), 1);
	assert_int_equal(pn.ip_len, 4);
	/* leading zeros are no dotted-decimal address, and a name whose
	 * last label is all digits is no DNS name (RFC 3696 section 2) */
	assert_int_equal(pki_name_parse("192.168.001.001", &pn), 0);
	assert_int_equal(pki_name_parse("1.2.3", &pn), 0);
	assert_int_equal(pki_name_parse("host1.example.123a", &pn), 1);
}

/* pki_name_check, the public entry, on a signed certificate read as a
 * file: its verdicts, codes and the names it lists. */
static struct pki_file *signed_file(const char *cn, const char *san)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x = cert(cn, san);
	BIO *b = BIO_new(BIO_s_mem());
	struct pki_file *f = NULL;
	struct mmp_err e;
	char *pem;
	long len;

	assert_non_null(k);
	assert_int_equal(X509_set_version(x, X509_VERSION_3), 1);
	assert_int_equal(X509_set_issuer_name(x, X509_get_subject_name(x)), 1);
	assert_non_null(X509_gmtime_adj(X509_getm_notBefore(x), 0));
	assert_non_null(X509_gmtime_adj(X509_getm_notAfter(x), 86400));
	assert_int_equal(X509_set_pubkey(x, k), 1);
	assert_true(X509_sign(x, k, EVP_sha256()) > 0);
	assert_int_equal(PEM_write_bio_X509(b, x), 1);
	len = BIO_get_mem_data(b, &pem);
	mmp_err_clear(&e);
	assert_int_equal(pki_file_parse("leaf.crt", (const unsigned char *)pem, (size_t)len, &f, &e),
			 MMP_OK);
	BIO_free(b);
	X509_free(x);
	EVP_PKEY_free(k);
	return f;
}

static void test_check(void **state)
{
	struct pki_file *f = signed_file("join.example.com", "DNS:join.example.com, IP:192.0.2.10");
	struct pki_file *cn = signed_file("join.example.com", NULL);
	struct report r;
	struct mmp_err e;

	(void)state;
	report_init(&r);
	mmp_err_clear(&e);
	assert_int_equal(pki_name_check(f, 0, "join.example.com", &r, &e), MMP_OK);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.lines[0].code, "name.match");
	assert_int_equal(pki_name_check(f, 0, "other.example.com", &r, &e), MMP_ERR_VERIFY);
	assert_string_equal(e.code, "name.mismatch");
	assert_non_null(strstr(e.msg, "subjectAltName DNS:join.example.com, IP:192.0.2.10"));
	mmp_err_clear(&e);
	assert_int_equal(pki_name_check(f, 0, "bad_name", &r, &e), MMP_ERR_USAGE);
	assert_string_equal(e.code, "name.invalid");
	report_free(&r);
	/* the CN of a certificate without SAN: accepted with a WARNING */
	report_init(&r);
	mmp_err_clear(&e);
	assert_int_equal(pki_name_check(cn, 0, "join.example.com", &r, &e), MMP_OK);
	assert_int_equal(r.warnings, 1);
	assert_string_equal(r.lines[0].code, "name.cn_only");
	report_free(&r);
	pki_file_free(f);
	pki_file_free(cn);
}

/* issue 15: the form the service settings keep, or why not */
static void test_canonical(void **state)
{
	static const char *const same[][2] = {
		{ "JOIN.Example.COM.", "join.example.com" },
		{ "2001:DB8:0:0::1", "2001:db8::1" },
		{ "192.0.2.10", "192.0.2.10" },
		{ "b\xc3\xbc" "cher.example.com", "xn--bcher-kva.example.com" },
		{ "intranet", "intranet" },
	};
	static const char *const bad[] = {
		"*.example.com", "a..example.com", "-a.example.com", "a-.example.com", "a_b.example.com",
		"192.0.2.300", "1.2.3", "fe80::1::1", "a.example.com:443", "", ".", "a\x01" "b.example.com",
		"b\xc2\x9b" "cher.example.com",
	};
	char out[PKI_FQDN_MAX + 2], big[300];
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		assert_int_equal(pki_name_canonical(same[i][0], out, sizeof(out), &why), 1);
		assert_string_equal(out, same[i][1]);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(pki_name_canonical(bad[i], out, sizeof(out), &why), 0);
		assert_non_null(why);
		assert_string_equal(out, "");
	}
	/* 253 characters pass, 254 do not (RFC 1035 section 2.3.4) */
	for (i = 0; i < 25; i++)
		memcpy(big + 10 * i, "abcdefghi.", 10);
	memcpy(big + 250, "abc", 4);
	assert_int_equal(pki_name_canonical(big, out, sizeof(out), &why), 1);
	memcpy(big + 250, "abcd", 5);
	assert_int_equal(pki_name_canonical(big, out, sizeof(out), &why), 0);
	assert_non_null(strstr(why, "253"));
	memcpy(big + 250, "abc", 4);
	assert_int_equal(pki_name_canonical(big, out, 100, &why), 0); /* out too small */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_wildcard),
		cmocka_unit_test(test_ip),
		cmocka_unit_test(test_cn),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_canonical),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
