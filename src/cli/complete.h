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

#endif
