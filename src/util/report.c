/*
 * report.c: the lines an engine produces for the shell (include/mmp/report.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mmp/report.h"
#include "mmp/text.h"

void report_init(struct report *r)
{
	r->lines = NULL;
	r->n = r->cap = 0;
	r->failures = r->warnings = 0;
	r->data = NULL;
	r->last_added = 0;
	r->text_only = 0;
}

void report_free(struct report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->lines[i].text);
		free(r->lines[i].file);
	}
	free(r->lines);
	json_decref(r->data);
	report_init(r);
}

/* The length of line l's message: its text without ": <remedy>". */
static size_t message_len(const struct report_line *l)
{
	return l->remedy_at >= 2 ? l->remedy_at - 2 : strlen(l->text);
}

static void add_line(struct report *r, enum report_kind kind, const char *code, const char *file,
		     int cert, const char *fmt, va_list ap)
{
	char *text = NULL;
	int len;
	size_t i;

	r->last_added = 0;
	len = vasprintf(&text, fmt, ap);
	/* one cause is one line: a check that meets the same file twice (a
	 * file given as both key and certificate) says the same thing once */
	for (i = 0; len >= 0 && (kind == REPORT_WARNING || kind == REPORT_FAILURE) && i < r->n; i++)
		if (r->lines[i].kind == kind && message_len(&r->lines[i]) == (size_t)len &&
		    strncmp(r->lines[i].text, text, (size_t)len) == 0) {
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
	r->lines[r->n].code = code;
	r->lines[r->n].file = file != NULL ? strdup(file) : NULL;
	r->lines[r->n].cert = cert;
	r->lines[r->n].remedy_at = 0;
	r->n++;
	r->last_added = 1;
}

void report_add(struct report *r, enum report_kind kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_line(r, kind, NULL, NULL, 0, fmt, ap);
	va_end(ap);
}

void report_check(struct report *r, enum report_kind kind, const char *code, const char *file,
		  int cert, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_line(r, kind, code, file, cert, fmt, ap);
	va_end(ap);
}

void report_remedy(struct report *r, const char *fmt, ...)
{
	struct report_line *l;
	char *remedy = NULL, *text = NULL;
	va_list ap;
	int len;

	if (!r->last_added || r->n == 0)
		return;
	l = &r->lines[r->n - 1];
	va_start(ap, fmt);
	len = vasprintf(&remedy, fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	if (asprintf(&text, "%s: %s", l->text, remedy) >= 0) {
		l->remedy_at = strlen(l->text) + 2;
		free(l->text);
		l->text = text;
	}
	free(remedy);
}

void report_code(struct report *r, const char *code)
{
	if (r->last_added && r->n > 0)
		r->lines[r->n - 1].code = code;
}

json_t *report_data(struct report *r)
{
	if (r->data == NULL)
		r->data = json_object();
	return r->data;
}

json_t *report_str(const char *s)
{
	json_t *j;
	char *esc;
	size_t n;

	if (s == NULL)
		return json_null();
	if (text_is_clean(s, 1) && (j = json_string(s)) != NULL)
		return j;
	/* control characters, bidirectional controls, bytes that are not
	 * UTF-8: shown as the text renderer shows them, so both forms say
	 * the same and neither reaches a terminal raw */
	n = strlen(s) * 4 + 1;
	if ((esc = malloc(n)) == NULL)
		return json_null();
	j = json_string(text_escape(s, esc, n, 1));
	free(esc);
	return j != NULL ? j : json_null();
}

json_t *report_time(long long t)
{
	char buf[32];
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return json_null();
	return json_string(buf);
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
