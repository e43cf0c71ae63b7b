/*
 * report.h: the lines a command's engine produces for the shell to print.
 * A check makes one line each: SUCCESS, WARNING or FAILURE (SPEC §3);
 * INFO lines are plain output (inspect fields, listings).
 */
#ifndef MMP_REPORT_H
#define MMP_REPORT_H

#include <stddef.h>

enum report_kind { REPORT_INFO, REPORT_SUCCESS, REPORT_WARNING, REPORT_FAILURE };

struct report_line {
	enum report_kind kind;
	char *text; /* owned, without the "SUCCESS: " prefix or a newline */
};

struct report {
	struct report_line *lines;
	size_t n, cap;
	size_t failures; /* count of REPORT_FAILURE lines */
	size_t warnings;
};

void report_init(struct report *r);
/* Free every line; the report is empty and reusable afterwards. */
void report_free(struct report *r);
/* Append a line (printf-style). On allocation failure the line is lost
 * but a FAILURE still counts, so a failing check is never dropped. A
 * WARNING or FAILURE line already in r is not added again (one cause, one
 * line). */
void report_add(struct report *r, enum report_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The prefix printed before a line of this kind: "SUCCESS: " etc., or "". */
const char *report_prefix(enum report_kind kind);

#endif
