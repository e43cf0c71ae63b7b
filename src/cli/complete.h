/*
 * complete.h: Tab completion from the command table (SPEC §1): command
 * words, attribute names, and file names of the store filtered by what the
 * argument position takes.
 */
#ifndef MMP_COMPLETE_H
#define MMP_COMPLETE_H

#include "mmp/cmd.h"

/* Candidates for the word `text` that starts at byte `start` of `line`.
 * Returns a malloc'd NULL-terminated array in readline's form (element 0
 * is the longest common prefix, then the candidates, sorted), or NULL when
 * there is none. The caller frees every string and the array. */
char **cli_complete(struct mmp_session *ss, const char *line, int start, const char *text);

/* The ? key at the prompt (issue 12 item 5.2): what may come at byte
 * point of line, one line each with what it is, written to out: the
 * families at an empty line; the sub-commands of a family with their
 * summaries ("pki "); after a command, its attributes (pki csr), its
 * fixed words (user add <name>), its usage, and <Enter> when it may run
 * as typed. Words are taken as the dispatcher takes them (prefixes). */
void cli_help_next(struct mmp_session *ss, const char *line, int point, FILE *out);

#endif
