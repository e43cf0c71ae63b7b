/*
 * lex.h: the command-line lexer (SPEC §2): blanks separate words, double
 * quotes group, \" and \\ escape inside quotes, "NAME:" followed by a quoted
 * word takes that word as its value, lines are at most CMD_LINE_MAX bytes
 * and control characters other than tab are refused.
 */
#ifndef MMP_LEX_H
#define MMP_LEX_H

#include <stddef.h>

#include "mmp/err.h"

struct lex_words {
	int argc;
	char **argv; /* argc words, then NULL; owned */
};

/* Split line (without its newline; a final '\r' is dropped) into words.
 * Errors (MMP_ERR_USAGE) name the column (1-based) of the problem.
 * On success free with lex_free(). */
enum mmp_rc lex_split(const char *line, struct lex_words *out, struct mmp_err *err);
void lex_free(struct lex_words *w);

/* Is the line blank or a '#' comment (script mode skips these)? */
int lex_is_blank(const char *line);

#endif
