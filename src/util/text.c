/*
 * text.c: escaping of text from outside for terminals and logs (issue 10
 * item 6): C0, DEL, C1 and invalid UTF-8 become \xNN; UTF-8 is decoded
 * after RFC 3629 section 3 (no overlong forms, no surrogates, at most
 * U+10FFFF).
 */
#include <string.h>

#include "mmp/text.h"

/* Length of the valid, printable UTF-8 sequence at p (1..4), or 0 when the
 * byte at p must be escaped. */
static size_t good_len(const unsigned char *p, int keep_tab)
{
	unsigned c = p[0], cp, need, i;

	if (c < 0x80)
		return (c >= 0x20 && c != 0x7f) || (keep_tab && c == '\t') ? 1 : 0;
	if (c >= 0xc2 && c <= 0xdf) {
		need = 1;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 2;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3;
		cp = c & 0x07;
	} else {
		return 0; /* a continuation byte, 0xC0/0xC1 (overlong), 0xF5.. */
	}
	for (i = 1; i <= need; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0; /* cut off (a NUL ends the string here too) */
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f))
		return 0; /* overlong, past U+10FFFF, a surrogate, a C1 control */
	if (cp == 0x61c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069))
		return 0; /* bidirectional controls: they reorder what the terminal shows
			   * (CVE-2021-42574, "Trojan Source") */
	return need + 1;
}

const char *text_escape(const char *in, char *out, size_t size, int keep_tab)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)in;
	size_t o = 0, n;

	if (size == 0)
		return out;
	while (*p != '\0') {
		if ((n = good_len(p, keep_tab)) > 0) {
			if (o + n >= size)
				break;
			memcpy(out + o, p, n);
			o += n;
			p += n;
			continue;
		}
		if (o + 4 >= size)
			break;
		out[o++] = '\\';
		out[o++] = 'x';
		out[o++] = hex[*p >> 4];
		out[o++] = hex[*p & 15];
		p++;
	}
	out[o] = '\0';
	return out;
}

int text_is_clean(const char *in, int keep_tab)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t n;

	while (*p != '\0') {
		if ((n = good_len(p, keep_tab)) == 0)
			return 0;
		p += n;
	}
	return 1;
}

const char *text_cut(const char *in, char *out, size_t size)
{
	char head[TEXT_CUT_CHARS * 4 + 1];
	const unsigned char *p;
	size_t chars = 0, cut = 0, o;

	/* every byte but a UTF-8 continuation byte starts a character */
	for (p = (const unsigned char *)in; *p != '\0'; p++)
		if ((*p & 0xc0) != 0x80 && ++chars == TEXT_CUT_CHARS + 1)
			cut = (size_t)(p - (const unsigned char *)in);
	if (chars <= TEXT_CUT_OVER || cut >= sizeof(head))
		return text_escape(in, out, size, 0);
	memcpy(head, in, cut);
	head[cut] = '\0';
	text_escape(head, out, size, 0);
	o = strlen(out);
	if (o < size)
		snprintf(out + o, size - o, "\xe2\x80\xa6(%zu characters)", chars);
	return out;
}

void text_fputs(const char *s, FILE *fp)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s, *run;
	char esc[4] = { '\\', 'x', 0, 0 };
	size_t n;

	/* what text_escape(s, keep_tab 1) gives, without copies: each run of
	 * bytes that stay as they are written at once (issue 15: printing
	 * pki inspect of a CA bundle) */
	while (*p != '\0') {
		for (run = p; (n = *p >= 0x20 && *p < 0x7f ? 1 : good_len(p, 1)) > 0; p += n)
			;
		if (p > run)
			fwrite(run, 1, (size_t)(p - run), fp);
		if (*p != '\0') {
			esc[2] = hex[*p >> 4];
			esc[3] = hex[*p & 15];
			fwrite(esc, 1, sizeof(esc), fp);
			p++;
		}
	}
}
