/*
 * test_text.c: text_escape (issue 10 item 6): what reaches a terminal or a
 * log line from outside. Each input with the exact output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mmp/text.h"

static void test_escape(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "plain text", "plain text" },
		{ "caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x94\x91", "caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x94\x91" },
		{ "a\x1b[31mred", "a\\x1B[31mred" },              /* ESC: C0 */
		{ "tab\there\n", "tab\\x09here\\x0A" },
		{ "del\x7f", "del\\x7F" },
		{ "csi \xc2\x9b" "2J", "csi \\xC2\\x9B2J" },      /* U+009B, a CSI on xterm */
		{ "raw \x9b", "raw \\x9B" },                     /* a stray continuation byte */
		{ "over \xc0\xaf", "over \\xC0\\xAF" },           /* overlong "/" */
		{ "sur \xed\xa0\x80", "sur \\xED\\xA0\\x80" },    /* a surrogate */
		{ "big \xf4\x90\x80\x80", "big \\xF4\\x90\\x80\\x80" }, /* past U+10FFFF */
		{ "cut \xe2\x82", "cut \\xE2\\x82" },
		{ "rlo \xe2\x80\xae" "gpj.exe", "rlo \\xE2\\x80\\xAEgpj.exe" }, /* U+202E */
		{ "lri \xe2\x81\xa6", "lri \\xE2\\x81\\xA6" },    /* U+2066 */
	};
	char buf[256];
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_string_equal(text_escape(cases[i].in, buf, sizeof(buf), 0), cases[i].out);
		assert_int_equal(text_is_clean(cases[i].in, 0), strcmp(cases[i].in, cases[i].out) == 0);
	}
	assert_string_equal(text_escape("a\tb", buf, sizeof(buf), 1), "a\tb");
	/* a sequence is never cut: what does not fit is dropped whole */
	assert_string_equal(text_escape("ab\x1b", buf, 5, 0), "ab");
	assert_string_equal(text_escape("a\xc3\xa9", buf, 3, 0), "a");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
