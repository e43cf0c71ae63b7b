/*
 * report.h: the lines a command's engine produces for the shell to print.
 * A check makes one line each: SUCCESS, WARNING or FAILURE (SPEC §3);
 * INFO lines are plain output (inspect fields, listings).
 */
#ifndef MMP_REPORT_H
#define MMP_REPORT_H

#include <stddef.h>

#include <jansson.h>

enum report_kind { REPORT_INFO, REPORT_SUCCESS, REPORT_WARNING, REPORT_FAILURE };

/* One line. A check (SUCCESS, WARNING, FAILURE) also carries what JSON
 * shows of it (issue 12): a stable code ("chain.order"), the file and the
 * certificate position (1-based, 0: none) it is about, and where in text
 * its remedy starts. The text renderer prints text; the JSON renderer
 * prints message (text up to the remedy) and remedy apart. */
struct report_line {
	enum report_kind kind;
	char *text;       /* owned, without the "SUCCESS: " prefix or a newline */
	const char *code; /* static; NULL: not classified (a defect the JSON tests find) */
	char *file;       /* owned, or NULL */
	int cert;         /* 1-based position in file, 0 when not about one */
	size_t remedy_at; /* 0: no remedy; else the remedy is text + remedy_at */
};

/* What a command's engine produces: lines for the text renderer, checks
 * for both, and data (a JSON object of typed fields, NULL until the first
 * report_data()) for the JSON renderer. */
struct report {
	struct report_line *lines;
	size_t n, cap;
	size_t failures; /* count of REPORT_FAILURE lines */
	size_t warnings;
	json_t *data;    /* owned; the command's result fields */
	int last_added;  /* the last report_add/report_check kept its line */
	int text_only;   /* set by the caller when only text renders: an engine
			  * may then leave out data that only JSON shows */
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
/* A check with its code and what it is about (file may be NULL, cert 0):
 * as report_add, plus the fields JSON shows. code is a static string
 * "<area>.<what>" (docs/json.md lists them). */
void report_check(struct report *r, enum report_kind kind, const char *code, const char *file,
		  int cert, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Give the line added last a remedy: the text gets ": <remedy>" and JSON
 * shows it as the check's remedy. Nothing when that line was dropped as a
 * repeat. */
void report_remedy(struct report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Set the code (static string) of the line added last. */
void report_code(struct report *r, const char *code);
/* The report's data object, made on first use (NULL only when memory ran
 * out: json_object_set_new on NULL is then a no-op in jansson). */
json_t *report_data(struct report *r);

/* Typed values for data (issue 12: time as RFC 3339 UTC). A string from
 * outside that is not valid UTF-8 is escaped as text_escape() does. */
json_t *report_str(const char *s);
json_t *report_time(long long t);

/* The prefix printed before a line of this kind: "SUCCESS: " etc., or "". */
const char *report_prefix(enum report_kind kind);

#endif
