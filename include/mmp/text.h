/*
 * text.h: text from outside (file names, certificate fields, command
 * arguments, SSH user names) made safe for a terminal and a log line
 * (issue 10 item 6). Printable ASCII and valid UTF-8 of printable code
 * points pass; every other byte is written as \xNN.
 */
#ifndef MMP_TEXT_H
#define MMP_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* Escape in into out (at most size - 1 bytes and a NUL; size >= 1):
 * C0 controls (0x00-0x1F) but tab when keep_tab, DEL (0x7F), the C1 controls
 * U+0080-U+009F (encoded C2 80..C2 9F), the bidirectional controls (U+061C,
 * U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), and bytes that are not valid UTF-8
 * (stray continuation bytes, overlong forms, surrogates, past U+10FFFF,
 * cut-off sequences) become "\xNN", one per byte. A sequence is never cut
 * in half: what does not fit is dropped whole. Returns out.
 * A size of 4 * strlen(in) + 1 holds any input whole. */
const char *text_escape(const char *in, char *out, size_t size, int keep_tab);

/* A word the user typed, as a message echoes it: text_escape() of it
 * whole up to TEXT_CUT_OVER characters (UTF-8 code points, or bytes that
 * are not UTF-8); a longer one is its first TEXT_CUT_CHARS characters and
 * "…(N characters)" (issue 11: a 3,000-character hostname was echoed
 * whole). A size of 4 * TEXT_CUT_OVER + 1 holds any result. Returns out. */
#define TEXT_CUT_CHARS 64
#define TEXT_CUT_OVER 80
const char *text_cut(const char *in, char *out, size_t size);

/* 1 when text_escape() would change nothing (keep_tab as there), else 0. */
int text_is_clean(const char *in, int keep_tab);

/* fputs of text_escape(s) (tab kept), without a size limit. */
void text_fputs(const char *s, FILE *fp);

#endif
