/*
 * result.c: the result of the running command (issue 12) and its two
 * renderers. Handlers and engines never print: they hand checks (with a
 * code, the file and certificate they are about, the message and the
 * remedy), text lines and typed data to the functions here. The text
 * renderer writes each item as it comes, so a question follows what came
 * before it and today's transcripts stay byte for byte; the JSON renderer
 * writes one object per command when it ends:
 *
 *   {"command": "<line, secrets as ***>", "ok": true|false,
 *    "result": {<the command's fields>},
 *    "checks": [{"code", "severity", "file", "certificate", "message", "remedy"}]}
 *
 * In JSON mode ss->out catches whatever a handler still wrote as text: that
 * is a defect (a command without its JSON form), reported as the check
 * "internal.text_only", and fatal when MMP_STRICT_JSON is set (the tests).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mmp/text.h"

static const char *severity(enum report_kind kind)
{
	switch (kind) {
	case REPORT_SUCCESS: return "success";
	case REPORT_WARNING: return "warning";
	case REPORT_FAILURE: return "failure";
	case REPORT_INFO: break;
	}
	return "info";
}

int res_is_json(const struct mmp_session *ss)
{
	return ss->json;
}

json_t *res_data(struct mmp_session *ss)
{
	return report_data(&ss->res);
}

void res_printf(struct mmp_session *ss, const char *fmt, ...)
{
	va_list ap;

	if (ss->json)
		return;
	va_start(ap, fmt);
	vfprintf(ss->out, fmt, ap);
	va_end(ap);
}

void res_word(struct mmp_session *ss, const char *word)
{
	if (!ss->json)
		cli_fputs_word(word, ss->out);
}

/* Keep line l of a report as a check of the running command. */
static void keep_check(struct mmp_session *ss, const struct report_line *l)
{
	struct report *res = &ss->res;

	report_check(res, l->kind, l->code, l->file, l->cert, "%s", l->text);
	if (res->last_added)
		res->lines[res->n - 1].remedy_at = l->remedy_at;
}

static void print_line(struct mmp_session *ss, const struct report_line *l)
{
	fputs(report_prefix(l->kind), ss->out);
	text_fputs(l->text, ss->out);
	fputc('\n', ss->out);
}

/* Messages and report lines carry outside text (names, certificate
 * fields, library causes): never raw on a terminal (issue 10 item 6). */
void cmd_print_report(struct mmp_session *ss, const struct report *r)
{
	size_t i;

	if (!ss->json) {
		for (i = 0; i < r->n; i++)
			print_line(ss, &r->lines[i]);
		return;
	}
	for (i = 0; i < r->n; i++)
		if (r->lines[i].kind != REPORT_INFO)
			keep_check(ss, &r->lines[i]);
	if (r->data != NULL)
		json_object_update(res_data(ss), r->data);
}

void cmd_print_err(struct mmp_session *ss, const struct mmp_err *e)
{
	struct report_line l;
	char *text = NULL;

	if (!ss->json) {
		fputs("FAILURE: ", ss->out);
		text_fputs(e->msg, ss->out);
		if (e->cause[0] != '\0') {
			fputs(": ", ss->out);
			text_fputs(e->cause, ss->out);
		}
		fputc('\n', ss->out);
		return;
	}
	/* the library's cause belongs to the message, before the remedy */
	if (e->cause[0] != '\0' && e->remedy_at >= 2) {
		if (asprintf(&text, "%.*s: %s: %s", (int)(e->remedy_at - 2), e->msg, e->cause,
			     e->msg + e->remedy_at) < 0)
			text = NULL;
	} else if (asprintf(&text, "%s%s%s", e->msg, e->cause[0] ? ": " : "", e->cause) < 0) {
		text = NULL;
	}
	l.kind = REPORT_FAILURE;
	l.text = text != NULL ? text : (char *)e->msg;
	l.code = mmp_err_code(e);
	l.file = e->file[0] != '\0' ? (char *)e->file : NULL;
	l.cert = e->cert;
	l.remedy_at = e->remedy_at == 0 ? 0
		      : e->remedy_at + (e->cause[0] != '\0' && text != NULL ? strlen(e->cause) + 2 : 0);
	keep_check(ss, &l);
	free(text);
}

static void vcheck(struct mmp_session *ss, enum report_kind kind, const char *code,
		   const char *file, int cert, const char *remedy, const char *fmt, va_list ap)
{
	struct report *res = &ss->res;

	res->last_added = 0;
	{
		char *msg = NULL;
		if (vasprintf(&msg, fmt, ap) < 0)
			return;
		report_check(res, kind, code, file, cert, "%s", msg);
		free(msg);
	}
	if (remedy != NULL)
		report_remedy(res, "%s", remedy);
	if (!ss->json && res->last_added)
		print_line(ss, &res->lines[res->n - 1]);
}

void res_check(struct mmp_session *ss, enum report_kind kind, const char *code, const char *file,
	       int cert, const char *remedy, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcheck(ss, kind, code, file, cert, remedy, fmt, ap);
	va_end(ap);
}

/* One check as JSON. */
static json_t *check_json(const struct report_line *l)
{
	size_t mlen = l->remedy_at >= 2 ? l->remedy_at - 2 : strlen(l->text);
	char *msg = strndup(l->text, mlen);
	json_t *o = json_object();

	json_object_set_new(o, "code", json_string(l->code != NULL ? l->code : "unclassified"));
	json_object_set_new(o, "severity", json_string(severity(l->kind)));
	json_object_set_new(o, "file", report_str(l->file));
	json_object_set_new(o, "certificate", l->cert > 0 ? json_integer(l->cert) : json_null());
	json_object_set_new(o, "message", report_str(msg != NULL ? msg : l->text));
	json_object_set_new(o, "remedy", l->remedy_at ? report_str(l->text + l->remedy_at) : json_null());
	free(msg);
	return o;
}

static void emit(struct mmp_session *ss, FILE *to, const char *command, int ok)
{
	json_t *o = json_object(), *checks = json_array();
	char *dump;
	size_t i;

	json_object_set_new(o, "command", command != NULL ? report_str(command) : json_null());
	json_object_set_new(o, "ok", json_boolean(ok));
	if (ss->line_no > 0)
		json_object_set_new(o, "line", json_integer((json_int_t)ss->line_no));
	if (ss->dry_run)
		json_object_set_new(o, "dry_run", json_true());
	json_object_set_new(o, "result", ss->res.data != NULL ? json_incref(ss->res.data) : json_object());
	for (i = 0; i < ss->res.n; i++)
		if (ss->res.lines[i].kind != REPORT_INFO)
			json_array_append_new(checks, check_json(&ss->res.lines[i]));
	json_object_set_new(o, "checks", checks);
	/* one buffer, one write: json_dumpf writes in small pieces */
	dump = json_dumps(o, JSON_COMPACT);
	if (dump != NULL) {
		fputs(dump, to);
		fputc('\n', to);
		free(dump);
	}
	fflush(to);
	json_decref(o);
}

void res_session_check(struct mmp_session *ss, enum report_kind kind, const char *code,
		       const char *fmt, ...)
{
	int json = ss->json;
	va_list ap;

	report_free(&ss->res);
	/* between commands ss->json is 0: under --json the line is JSON only */
	ss->json = ss->json_all;
	va_start(ap, fmt);
	vcheck(ss, kind, code, NULL, 0, NULL, fmt, ap);
	va_end(ap);
	ss->json = json;
	if (ss->json_all)
		emit(ss, ss->out, NULL, kind != REPORT_FAILURE);
	report_free(&ss->res);
}

void cli_res_begin(struct mmp_session *ss, int json)
{
	report_free(&ss->res);
	ss->json = json;
	if (!json)
		return;
	ss->out_text = ss->out;
	ss->stray = NULL;
	ss->nstray = 0;
	ss->out = open_memstream(&ss->stray, &ss->nstray);
	if (ss->out == NULL) /* stray text then goes nowhere */
		ss->out = fopen("/dev/null", "w");
	if (ss->out == NULL)
		ss->out = ss->out_text;
}

void cli_res_end(struct mmp_session *ss, const char *command, int ok)
{
	if (!ss->json) { /* text was written as it came: nothing is kept */
		report_free(&ss->res);
		return;
	}
	if (ss->out != ss->out_text)
		fclose(ss->out);
	ss->out = ss->out_text;
	ss->out_text = NULL;
	if (ss->nstray > 0) {
		if (getenv("MMP_STRICT_JSON") != NULL) {
			fprintf(stderr, "mmp: %s wrote text in JSON mode: %.*s\n", command,
				(int)ss->nstray, ss->stray);
			abort();
		}
		res_check(ss, REPORT_WARNING, "internal.text_only", NULL, 0, NULL,
			  "this command wrote text that has no JSON form yet: %.*s",
			  (int)strcspn(ss->stray, "\n"), ss->stray);
	}
	free(ss->stray);
	ss->stray = NULL;
	ss->nstray = 0;
	emit(ss, ss->out, command, ok);
	report_free(&ss->res);
	ss->json = 0;
}

FILE *cli_res_terminal(struct mmp_session *ss)
{
	return ss->out_text != NULL ? ss->out_text : ss->out;
}
