/*
 * test_lex.c: the command-line lexer (SPEC §2).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mmp/cmd.h"
#include "mmp/lex.h"

static void split_ok(const char *line, int argc, const char *const *want)
{
	struct lex_words w;
	struct mmp_err e;
	int i;

	assert_int_equal(lex_split(line, &w, &e), MMP_OK);
	assert_int_equal(w.argc, argc);
	for (i = 0; i < argc; i++)
		assert_string_equal(w.argv[i], want[i]);
	assert_null(w.argv[argc]);
	lex_free(&w);
}

static void split_fails(const char *line, const char *msg_part)
{
	struct lex_words w;
	struct mmp_err e;

	assert_int_equal(lex_split(line, &w, &e), MMP_ERR_USAGE);
	if (strstr(e.msg, msg_part) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", e.msg, msg_part);
}

static void test_words(void **state)
{
	static const char *const a[] = { "pki", "csr", "x", "CN:example.com" };
	static const char *const b[] = { "pki", "list" };
	(void)state;
	split_ok("pki csr x CN:example.com", 4, a);
	split_ok("  pki\t list  \r\n", 2, b);
	split_ok("", 0, NULL);
}

static void test_quotes(void **state)
{
	static const char *const a[] = { "pki", "csr", "x", "O:Example Inc.", "L:San Jose" };
	static const char *const b[] = { "a\"b\\c" };
	(void)state;
	split_ok("pki csr x O:\"Example Inc.\" L:\"San Jose\"", 5, a);
	split_ok("\"a\\\"b\\\\c\"", 1, b);
}

/* the guide writes: pki selfsigned dbca CN: "My company CA" (§3.1.4) */
static void test_attr_then_quoted_word(void **state)
{
	static const char *const a[] = { "pki", "selfsigned", "dbca", "CN:My company CA" };
	static const char *const b[] = { "x", "CN:", "plain" };
	(void)state;
	split_ok("pki selfsigned dbca CN: \"My company CA\"", 4, a);
	split_ok("x CN: plain", 3, b); /* only a quoted word is joined */
}

static void test_errors(void **state)
{
	char big[CMD_LINE_MAX + 10];
	(void)state;
	split_fails("pki csr x O:\"Example", "column 13");
	split_fails("pki\x1b[31m list", "control character 0x1b at column 4");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	split_fails(big, "more than 4096");
}

static void test_blank(void **state)
{
	(void)state;
	assert_true(lex_is_blank(""));
	assert_true(lex_is_blank("  \t\r"));
	assert_true(lex_is_blank("# comment"));
	assert_true(lex_is_blank("   # comment"));
	assert_false(lex_is_blank("pki # not a comment"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_attr_then_quoted_word),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_blank),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
