/*
 * test_pki.c: engine functions of src/pki/ that need no files: the TURN
 * long-term key of RFC 8489 §9.2.2, checked against the openssl CLI; the
 * Call Bridge peer FQDNs of guide §4.9 at the bounds of RFC 1035/1123.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mmp/pki.h"

static void key_is(const char *user, const char *realm, const char *password, const char *want)
{
	char hex[PKI_TURN_KEY_HEX];
	struct mmp_err e;

	mmp_err_clear(&e);
	assert_int_equal(pki_turn_long_term_key(user, realm, password, hex, &e), MMP_OK);
	assert_string_equal(hex, want);
}

/* Each expected value was computed with the openssl CLI as the oracle:
 *   printf %s '<user>:<realm>:<password>' | openssl md5
 * and copied here: 32 lower-case hex digits, the form mmp.db keeps. */
static void test_turn_long_term_key(void **state)
{
	(void)state;
	/* printf %s 'alice:example.com:S3cretPw' | openssl md5 */
	key_is("alice", "example.com", "S3cretPw", "a886d372fe830b4973329557c64bffcc");
	/* printf %s 'turnuser:example.com:Not-Sh0wn-Secret' | openssl md5
	 * (tests/transcripts/turn-4-6) */
	key_is("turnuser", "example.com", "Not-Sh0wn-Secret", "8fb581b69583f91cf6bdf430665918fb");
	/* a blank and colons in the password are bytes like any other:
	 * printf %s 'bob:example.org:pass word:with:colons' | openssl md5 */
	key_is("bob", "example.org", "pass word:with:colons", "56a814ee867336626a6b2901531bc85a");
}

static int fqdn_ok(const char *in, char *out, size_t size)
{
	const char *why = NULL;
	int ok = pki_fqdn_check(in, out, size, &why);

	assert_true(ok ? out[0] != '\0' : why != NULL && out[0] == '\0');
	return ok;
}

/* guide §4.9: each peer is an exact FQDN; RFC 1035 2.3.4: labels of at
 * most 63 octets, names of at most 253 characters as written. */
static void test_fqdn_check(void **state)
{
	char out[PKI_FQDN_MAX + 1], in[400];

	(void)state;
	assert_true(fqdn_ok("cb1.example.com", out, sizeof(out)));
	assert_string_equal(out, "cb1.example.com");
	assert_true(fqdn_ok("CB1.Example.COM", out, sizeof(out))); /* kept as typed */
	assert_string_equal(out, "CB1.Example.COM");
	assert_true(fqdn_ok("b\xc3\xbc" "cher.example.com", out, sizeof(out))); /* bücher */
	assert_string_equal(out, "xn--bcher-kva.example.com");
	assert_false(fqdn_ok("cb1", out, sizeof(out)));
	assert_false(fqdn_ok("cb1.example.com.", out, sizeof(out)));
	assert_false(fqdn_ok(".example.com", out, sizeof(out)));
	assert_false(fqdn_ok("cb1..example.com", out, sizeof(out)));
	assert_false(fqdn_ok("*.example.com", out, sizeof(out)));
	assert_false(fqdn_ok("cb*.example.com", out, sizeof(out)));
	assert_false(fqdn_ok("-cb.example.com", out, sizeof(out)));
	assert_false(fqdn_ok("cb-.example.com", out, sizeof(out)));
	assert_false(fqdn_ok("cb_1.example.com", out, sizeof(out)));
	assert_false(fqdn_ok("192.0.2.11", out, sizeof(out)));
	assert_false(fqdn_ok("2001:db8::1", out, sizeof(out)));
	assert_false(fqdn_ok("", out, sizeof(out)));
	/* a label of 63 letters passes, 64 does not */
	snprintf(in, sizeof(in), "%0*d.example.com", 63, 0);
	assert_true(fqdn_ok(in, out, sizeof(out)));
	snprintf(in, sizeof(in), "%0*d.example.com", 64, 0);
	assert_false(fqdn_ok(in, out, sizeof(out)));
	/* 253 characters pass (labels of 63, 63, 63, 59 and 1), 255 do not */
	snprintf(in, sizeof(in), "%0*d.%0*d.%0*d.%0*d.a", 63, 0, 63, 0, 63, 0, 59, 0);
	assert_int_equal(strlen(in), 253);
	assert_true(fqdn_ok(in, out, sizeof(out)));
	snprintf(in, sizeof(in), "%0*d.%0*d.%0*d.%0*d.abc", 63, 0, 63, 0, 63, 0, 59, 0);
	assert_false(fqdn_ok(in, out, sizeof(out)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_turn_long_term_key),
		cmocka_unit_test(test_fqdn_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
