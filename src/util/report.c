/*
 * report.c: the lines an engine produces for the shell (include/mmp/report.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmp/report.h"

void report_init(struct report *r)
{
	r->lines = NULL;
	r->n = r->cap = 0;
	r->failures = r->warnings = 0;
}

void report_free(struct report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		free(r->lines[i].text);
	free(r->lines);
	report_init(r);
}

void report_add(struct report *r, enum report_kind kind, const char *fmt, ...)
{
	va_list ap;
	char *text = NULL;
	int len;

	size_t i;

	va_start(ap, fmt);
	len = vasprintf(&text, fmt, ap);
	va_end(ap);
	/* one cause is one line: a check that meets the same file twice (a
	 * file given as both key and certificate) says the same thing once */
	for (i = 0; len >= 0 && (kind == REPORT_WARNING || kind == REPORT_FAILURE) && i < r->n; i++)
		if (r->lines[i].kind == kind && strcmp(r->lines[i].text, text) == 0) {
			free(text);
			return;
		}
	if (kind == REPORT_FAILURE)
		r->failures++;
	else if (kind == REPORT_WARNING)
		r->warnings++;
	if (len < 0)
		return;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		struct report_line *nl = realloc(r->lines, cap * sizeof(*nl));
		if (nl == NULL) {
			free(text);
			return;
		}
		r->lines = nl;
		r->cap = cap;
	}
	r->lines[r->n].kind = kind;
	r->lines[r->n].text = text;
	r->n++;
}

const char *report_prefix(enum report_kind kind)
{
	switch (kind) {
	case REPORT_SUCCESS: return "SUCCESS: ";
	case REPORT_WARNING: return "WARNING: ";
	case REPORT_FAILURE: return "FAILURE: ";
	case REPORT_INFO: break;
	}
	return "";
}
