/*
 * test_pki.c: engine functions of src/pki/ that need no files: the TURN
 * long-term key of RFC 8489 §9.2.2, checked against the openssl CLI.
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_turn_long_term_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
