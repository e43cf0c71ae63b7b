/*
 * test_result.c: the result layer of issue 12: checks with codes and
 * remedies (report.c, err.c), typed values (report_str, report_time), and
 * the JSON renderer as a session sees it: "| json", "|json", mmp --json's
 * envelope, secrets masked in "command", and check <command> leaving
 * mmp.db as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ftw.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli/cli.h"
#include "mmp/cmd.h"
#include "mmp/err.h"
#include "mmp/pki.h"
#include "mmp/report.h"

/* ---- report: checks, remedies, one line per cause ---- */

static void test_check_remedy(void **state)
{
	struct report r;
	(void)state;
	report_init(&r);
	report_check(&r, REPORT_FAILURE, "chain.order", "b.crt", 2, "certificate %d is out of order", 2);
	report_remedy(&r, "put the %s first", "leaf");
	assert_int_equal(r.n, 1);
	assert_int_equal(r.failures, 1);
	assert_string_equal(r.lines[0].text, "certificate 2 is out of order: put the leaf first");
	assert_int_equal(r.lines[0].remedy_at, strlen("certificate 2 is out of order: "));
	assert_string_equal(r.lines[0].text + r.lines[0].remedy_at, "put the leaf first");
	assert_string_equal(r.lines[0].code, "chain.order");
	assert_string_equal(r.lines[0].file, "b.crt");
	assert_int_equal(r.lines[0].cert, 2);
	assert_int_equal(r.last_added, 1);

	/* the same cause again, with its remedy: kept once, the remedy not
	 * appended to the line that is there */
	report_check(&r, REPORT_FAILURE, "chain.order", "b.crt", 2, "certificate 2 is out of order");
	assert_int_equal(r.last_added, 0);
	report_remedy(&r, "put the leaf first");
	assert_int_equal(r.n, 1);
	assert_int_equal(r.failures, 1);
	assert_string_equal(r.lines[0].text, "certificate 2 is out of order: put the leaf first");

	/* the same words as a WARNING are another line; a SUCCESS is never
	 * merged */
	report_check(&r, REPORT_WARNING, "chain.order", NULL, 0, "certificate 2 is out of order");
	report_add(&r, REPORT_SUCCESS, "ok");
	report_add(&r, REPORT_SUCCESS, "ok");
	assert_int_equal(r.n, 4);
	assert_int_equal(r.warnings, 1);
	assert_null(r.lines[2].file);
	assert_int_equal(r.lines[2].remedy_at, 0);
	assert_null(r.lines[3].code); /* report_add: not classified */
	report_code(&r, "x.y");
	assert_string_equal(r.lines[3].code, "x.y");
	report_free(&r);
	assert_int_equal(r.n, 0);
}

/* ---- typed values ---- */

static void test_report_str(void **state)
{
	json_t *v;
	char *dump;
	(void)state;
	/* invalid UTF-8, an escape sequence, a NUL-less C0 control, DEL:
	 * escaped as text_escape() does, and the JSON is valid UTF-8 */
	v = report_str("a\xff" "b\x1b[31mc\x01" "d\x7f" "e");
	assert_non_null(v);
	assert_string_equal(json_string_value(v), "a\\xFFb\\x1B[31mc\\x01d\\x7Fe");
	dump = json_dumps(v, JSON_ENCODE_ANY);
	assert_non_null(dump);
	assert_string_equal(dump, "\"a\\\\xFFb\\\\x1B[31mc\\\\x01d\\\\x7Fe\"");
	free(dump);
	json_decref(v);
	/* valid UTF-8 passes as it is */
	v = report_str("Z\xc3\xbcrich");
	assert_string_equal(json_string_value(v), "Z\xc3\xbcrich");
	json_decref(v);
	/* a cut-off sequence */
	v = report_str("x\xe2\x82");
	assert_string_equal(json_string_value(v), "x\\xE2\\x82");
	json_decref(v);
	/* NULL is null */
	v = report_str(NULL);
	assert_true(v == NULL || json_is_null(v));
	json_decref(v);
}

static void test_report_time(void **state)
{
	json_t *v;
	(void)state;
	v = report_time(0);
	assert_string_equal(json_string_value(v), "1970-01-01T00:00:00Z");
	json_decref(v);
	v = report_time(1796218455LL); /* 2026-12-02 13:34:15 UTC */
	assert_string_equal(json_string_value(v), "2026-12-02T13:34:15Z");
	json_decref(v);
	v = report_time(4102444800LL); /* past 2038 */
	assert_string_equal(json_string_value(v), "2100-01-01T00:00:00Z");
	json_decref(v);
	v = report_time(-86400LL);
	assert_string_equal(json_string_value(v), "1969-12-31T00:00:00Z");
	json_decref(v);
}

/* ---- mmp_err ---- */

static void test_err_code_remedy(void **state)
{
	struct mmp_err e;
	(void)state;
	mmp_err_clear(&e);
	mmp_err_set(&e, MMP_ERR_NOENT, "%s: no such file in the file store", "a.crt");
	assert_string_equal(mmp_err_code(&e), "file.not_found");
	assert_int_equal(e.remedy_at, 0);
	mmp_err_remedy(&e, "upload it with %s", "SFTP");
	assert_string_equal(e.msg, "a.crt: no such file in the file store: upload it with SFTP");
	assert_string_equal(e.msg + e.remedy_at, "upload it with SFTP");
	mmp_err_about(&e, "cert.expired", "a.crt", 3);
	assert_string_equal(mmp_err_code(&e), "cert.expired");
	assert_string_equal(e.file, "a.crt");
	assert_int_equal(e.cert, 3);
	/* mmp_err_set clears what the last error was about */
	mmp_err_set(&e, MMP_ERR_MISMATCH, "no");
	assert_string_equal(mmp_err_code(&e), "key.mismatch");
	assert_string_equal(e.file, "");
	assert_int_equal(e.cert, 0);
	assert_int_equal(e.remedy_at, 0);
	mmp_err_set(&e, MMP_ERR_USAGE, "u");
	assert_string_equal(mmp_err_code(&e), "shell.usage");
	mmp_err_set(&e, MMP_ERR_DENIED, "d");
	assert_string_equal(mmp_err_code(&e), "access.denied");
	/* a remedy that does not fit is left out, msg stays a string */
	memset(e.msg, 'm', sizeof(e.msg) - 2);
	e.msg[sizeof(e.msg) - 2] = '\0';
	e.remedy_at = 0;
	mmp_err_remedy(&e, "r");
	assert_int_equal(strlen(e.msg), sizeof(e.msg) - 2);
	assert_int_equal(e.remedy_at, 0);
	/* mmp_err_setr: the marker says where the remedy starts, and is gone */
	mmp_err_setr(&e, MMP_ERR_NOENT, "%s: no such file: " MMP_REMEDY "upload %s", "a.crt", "it");
	assert_string_equal(e.msg, "a.crt: no such file: upload it");
	assert_string_equal(e.msg + e.remedy_at, "upload it");
	assert_string_equal(mmp_err_code(&e), "file.not_found");
	mmp_err_setr(&e, MMP_ERR_NAME, "no marker: %s", "x");
	assert_string_equal(e.msg, "no marker: x");
	assert_int_equal(e.remedy_at, 0);
}

/* ---- the JSON renderer, through a session on a fresh root ---- */

static char root[] = "/tmp/mmp-test-result.XXXXXX";
static struct mmp_session ss;

static int setup(void **state)
{
	struct mmp_err err;
	char p[512];
	(void)state;
	if (mkdtemp(root) == NULL)
		return -1;
	snprintf(p, sizeof(p), "%s/files", root);
	if (mkdir(p, 0700) != 0)
		return -1;
	mmp_err_clear(&err);
	if (pki_init(&err) != MMP_OK)
		return -1;
	if (cli_session_open(&ss, root, &err) != MMP_OK)
		return -1;
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	(void)state;
	cli_session_close(&ss);
	return nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Run lines (one string, '\n' between them) with output captured: the
 * JSON objects each command wrote. json_all: as mmp --json; line_no > 0:
 * as script mode's line number. */
static char *run_lines(const char *line, int json_all, unsigned long line_no, int *status)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = ss.out;

	ss.out = open_memstream(&buf, &len);
	ss.json_all = json_all;
	ss.line_no = line_no;
	*status = cmd_run_line(&ss, line);
	fclose(ss.out);
	ss.out = out;
	ss.json_all = 0;
	ss.line_no = 0;
	return buf;
}

/* The one JSON object of out; fails the test when out is not one. */
static json_t *one_object(const char *out)
{
	json_error_t jerr;
	json_t *o = json_loads(out, 0, &jerr);
	if (o == NULL)
		fail_msg("not one JSON object (%s): %s", jerr.text, out);
	assert_true(json_is_object(o));
	/* one line: its only newline ends it */
	if (strchr(out, '\n') != out + strlen(out) - 1)
		fail_msg("not one line: %s", out);
	return o;
}

/* The keys of o, in order, joined by ','. */
static void assert_keys(json_t *o, const char *want)
{
	char got[256] = "";
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		(void)v;
		strcat(got, got[0] ? "," : "");
		strcat(got, k);
	}
	assert_string_equal(got, want);
}

static void test_json_suffix(void **state)
{
	const char *forms[] = { "hostname | json", "hostname |json", "hostname  |  json " };
	char *out;
	json_t *o;
	size_t i;
	int st;
	(void)state;
	out = run_lines("hostname cms07", 0, 0, &st);
	assert_int_equal(st, 0);
	assert_string_equal(out, "hostname set to cms07\n");
	free(out);
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		out = run_lines(forms[i], 0, 0, &st);
		assert_int_equal(st, 0);
		assert_string_equal(out, "{\"command\":\"hostname\",\"ok\":true,\"result\":{\"hostname\":\"cms07\"},\"checks\":[]}\n");
		free(out);
	}
	/* a failure: ok false, the check with its code, exit status as text */
	out = run_lines("hostname bad_name | json", 0, 0, &st);
	assert_int_equal(st, 1);
	o = one_object(out);
	assert_keys(o, "command,ok,result,checks");
	assert_true(json_is_false(json_object_get(o, "ok")));
	assert_int_equal(json_object_size(json_object_get(o, "result")), 0);
	assert_int_equal(json_array_size(json_object_get(o, "checks")), 1);
	{
		json_t *c = json_array_get(json_object_get(o, "checks"), 0);
		assert_keys(c, "code,severity,file,certificate,message,remedy");
		assert_string_equal(json_string_value(json_object_get(c, "code")), "hostname.invalid");
		assert_string_equal(json_string_value(json_object_get(c, "severity")), "failure");
		assert_true(json_is_null(json_object_get(c, "file")));
		assert_true(json_is_null(json_object_get(c, "certificate")));
		assert_true(json_is_null(json_object_get(c, "remedy")));
	}
	json_decref(o);
	free(out);
	/* the name was not changed */
	out = run_lines("hostname", 0, 0, &st);
	assert_string_equal(out, "cms07\n");
	free(out);
}

static void test_json_all(void **state)
{
	char *out;
	json_t *o;
	int st;
	(void)state;
	/* mmp --json in script mode: exactly these keys, line included */
	out = run_lines("hostname", 1, 3, &st);
	assert_int_equal(st, 0);
	o = one_object(out);
	assert_keys(o, "command,ok,line,result,checks");
	assert_int_equal(json_integer_value(json_object_get(o, "line")), 3);
	json_decref(o);
	free(out);
	/* without a line number (-c): no "line" */
	out = run_lines("hostname", 1, 0, &st);
	o = one_object(out);
	assert_keys(o, "command,ok,result,checks");
	json_decref(o);
	free(out);
	/* "| json" under --json: one object, not two */
	out = run_lines("hostname | json", 1, 0, &st);
	o = one_object(out);
	assert_string_equal(json_string_value(json_object_get(o, "command")), "hostname");
	json_decref(o);
	free(out);
	/* an unknown command: ok false, a coded check, the words not shown */
	out = run_lines("frobnicate s3cret-word", 1, 0, &st);
	assert_int_equal(st, 1);
	assert_null(strstr(out, "s3cret-word"));
	o = one_object(out);
	assert_false(json_is_true(json_object_get(o, "ok")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(o, "checks"), 0), "code")),
			    "shell.unknown_command");
	json_decref(o);
	free(out);
	/* a blank line or a comment answers nothing, even under --json */
	out = run_lines("   ", 1, 0, &st);
	assert_int_equal(st, 0);
	assert_true(out == NULL || out[0] == '\0');
	free(out);
}

static void test_json_alone(void **state)
{
	const char *lines[] = { "| json", "|json" };
	char *out;
	json_t *o, *c;
	size_t i;
	int st;
	(void)state;
	for (i = 0; i < 2; i++) {
		out = run_lines(lines[i], 0, 0, &st);
		assert_int_equal(st, 1);
		o = one_object(out);
		assert_keys(o, "command,ok,result,checks");
		assert_false(json_is_true(json_object_get(o, "ok")));
		c = json_array_get(json_object_get(o, "checks"), 0);
		assert_string_equal(json_string_value(json_object_get(c, "code")), "shell.unknown_command");
		assert_string_equal(json_string_value(json_object_get(c, "message")),
				    "\"| json\" follows a command: type e.g. pki list | json");
		json_decref(o);
		free(out);
	}
}

/* Every command that takes a secret on its line (COMPLETE_SECRET in the
 * table), and the same under check: the secret is *** in "command" and
 * nowhere in the output. */
static void test_json_secrets(void **state)
{
	const struct mmp_cmd *c;
	int found = 0, st, i, k;
	(void)state;
	for (c = cmd_all(); c->path != NULL; c++) {
		if (!cmd_has_secret(c))
			continue;
		found++;
		for (k = 0; k < 2; k++) {
			char line[512], want[512];
			size_t o = 0, w = 0;
			char *out;
			json_t *obj;
			int n = c->max_args >= 0 ? c->max_args : c->min_args;
			o += (size_t)snprintf(line + o, sizeof(line) - o, "%s%s", k ? "check " : "", c->path);
			w += (size_t)snprintf(want + w, sizeof(want) - w, "%s%s", k ? "check " : "", c->path);
			for (i = 0; i < n; i++) {
				int secret = cmd_arg_kind(c, i) == COMPLETE_SECRET;
				o += (size_t)snprintf(line + o, sizeof(line) - o, " %s%d",
						      secret ? "Zq-s3cret-" : "word", i);
				w += (size_t)snprintf(want + w, sizeof(want) - w, secret ? " ***" : " word%d", i);
			}
			snprintf(line + o, sizeof(line) - o, " | json");
			out = run_lines(line, 0, 0, &st);
			if (strstr(out, "Zq-s3cret-") != NULL)
				fail_msg("%s: the secret is in the output: %s", line, out);
			obj = one_object(out);
			assert_string_equal(json_string_value(json_object_get(obj, "command")), want);
			json_decref(obj);
			free(out);
		}
	}
	assert_true(found >= 1); /* turn credentials <user> <password> <realm> */
}

/* The settings of mmp.db as text, but the audit log (check is audited). */
static char *dump_db(void)
{
	char p[512], *buf = NULL;
	size_t len = 0;
	sqlite3 *db;
	sqlite3_stmt *t, *r;
	FILE *fp = open_memstream(&buf, &len);
	int i;

	snprintf(p, sizeof(p), "%s/mmp.db", root);
	assert_int_equal(sqlite3_open_v2(p, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name, sql FROM sqlite_master ORDER BY name", -1, &t, NULL),
			 SQLITE_OK);
	while (sqlite3_step(t) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(t, 0);
		char q[300];
		fprintf(fp, "== %s: %s\n", name, (const char *)sqlite3_column_text(t, 1));
		if (strstr(name, "audit") != NULL || strncmp(name, "sqlite_", 7) == 0 ||
		    sqlite3_column_text(t, 1) == NULL || strncmp((const char *)sqlite3_column_text(t, 1), "CREATE TABLE", 12) != 0)
			continue;
		snprintf(q, sizeof(q), "SELECT * FROM \"%s\" ORDER BY 1", name);
		assert_int_equal(sqlite3_prepare_v2(db, q, -1, &r, NULL), SQLITE_OK);
		while (sqlite3_step(r) == SQLITE_ROW) {
			for (i = 0; i < sqlite3_column_count(r); i++)
				fprintf(fp, "%s|", sqlite3_column_text(r, i) ? (const char *)sqlite3_column_text(r, i) : "NULL");
			fputc('\n', fp);
		}
		sqlite3_finalize(r);
	}
	sqlite3_finalize(t);
	sqlite3_close(db);
	fclose(fp);
	return buf;
}

static void test_check_applies_nothing(void **state)
{
	const char *lines[] = {
		"check hostname cms99", "check hostname cms99 | json", "check hostname bad_name | json",
		"check turn credentials alice Zq-pw-1234 example.com",
		"check turn credentials alice Zq-pw-1234 example.com | json",
	};
	char *before, *after, *out;
	json_t *o;
	size_t i;
	int st;
	(void)state;
	out = run_lines("hostname cms08", 0, 0, &st);
	free(out);
	before = dump_db();
	assert_non_null(strstr(before, "cms08"));
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		out = run_lines(lines[i], 0, 0, &st);
		assert_int_equal(st, i == 2 ? 1 : 0);
		if (strstr(lines[i], "| json") != NULL) {
			o = one_object(out);
			/* the answer says nothing was applied */
			if (!json_is_true(json_object_get(o, "dry_run")))
				fail_msg("%s: no \"dry_run\": true: %s", lines[i], out);
			json_decref(o);
		}
		free(out);
		after = dump_db();
		if (strcmp(before, after) != 0)
			fail_msg("%s changed mmp.db:\n%s\n---\n%s", lines[i], before, after);
		free(after);
	}
	free(before);
	/* the session's name is the stored one */
	assert_string_equal(ss.hostname, "cms08");
	/* a command that writes files is refused, and nothing made */
	out = run_lines("check pki selfsigned zz | json", 0, 0, &st);
	assert_int_equal(st, 1);
	o = one_object(out);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(o, "checks"), 0), "code")),
			    "shell.check_refused");
	json_decref(o);
	free(out);
	{
		char p[512];
		snprintf(p, sizeof(p), "%s/files/zz.key", root);
		assert_int_not_equal(access(p, F_OK), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_remedy),
		cmocka_unit_test(test_report_str),
		cmocka_unit_test(test_report_time),
		cmocka_unit_test(test_err_code_remedy),
		cmocka_unit_test(test_json_suffix),
		cmocka_unit_test(test_json_all),
		cmocka_unit_test(test_json_alone),
		cmocka_unit_test(test_json_secrets),
		cmocka_unit_test(test_check_applies_nothing),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
