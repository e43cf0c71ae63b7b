/*
 * test_text.c: text_escape (issue 10 item 6): what reaches a terminal or a
 * log line from outside. Each input with the exact output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* issue 11: an echoed word is whole up to 80 characters, else its first
 * 64 and its length; characters are code points, a cut never splits one */
/* text_fputs writes what text_escape gives (tab kept), for any length */
static void fputs_is_escape(const char *in)
{
	char *got = NULL, want[8192];
	size_t n = 0;
	FILE *fp = open_memstream(&got, &n);

	assert_non_null(fp);
	text_fputs(in, fp);
	fclose(fp);
	text_escape(in, want, sizeof(want), 1);
	assert_string_equal(got, want);
	free(got);
}

static void test_fputs(void **state)
{
	char long_text[1200];
	size_t i;

	(void)state;
	fputs_is_escape("");
	fputs_is_escape("CN = plain, O = ASCII");
	fputs_is_escape("tab\tkept, bell\a, DEL\x7f, ESC\x1b[31m red");
	fputs_is_escape("Z\xc3\xbcrich \xe2\x80\xae bidi \xc0\xaf overlong \xed\xa0\x80 surrogate \xc2\x85 C1");
	fputs_is_escape("cut at the end \xe2\x82");
	for (i = 0; i + 1 < sizeof(long_text); i++) /* past text_escape's old 200-byte pieces */
		long_text[i] = i % 7 == 3 ? '\x01' : i % 5 == 0 ? '\xc3' : i % 5 == 1 ? '\xa9' : 'a';
	long_text[sizeof(long_text) - 1] = '\0';
	fputs_is_escape(long_text);
}

static void test_cut(void **state)
{
	char in[3100], buf[1024], want[128];
	(void)state;

	memset(in, 'x', 80);
	in[80] = '\0';
	assert_string_equal(text_cut(in, buf, sizeof(buf)), in);
	memset(in, 'x', 3000);
	in[3000] = '\0';
	snprintf(want, sizeof(want), "%.64s\xe2\x80\xa6(3000 characters)", in);
	assert_string_equal(text_cut(in, buf, sizeof(buf)), want);
	for (size_t i = 0; i < 90; i++)
		memcpy(in + 2 * i, "\xc3\xa9", 2);
	in[180] = '\0';
	assert_int_equal(strlen(text_cut(in, buf, sizeof(buf))), 128 + strlen("\xe2\x80\xa6(90 characters)"));
	assert_string_equal(text_cut("a\x1b", buf, sizeof(buf)), "a\\x1B");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_fputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
