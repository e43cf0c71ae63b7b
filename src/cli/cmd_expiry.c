/*
 * cmd_expiry.c: `pki expiry`, `pki metrics` and `pki alarms` (issue 14):
 * when the certificates that the services use end, before they do.
 */
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "cli.h"
#include "mmp/expiry.h"
#include "mmp/pki.h"
#include "mmp/users.h"
#include "svcutil.h"

#define SHOWN_NAME (STORE_NAME_MAX * 4 + 8)

static int fail(struct mmp_session *ss, const struct mmp_err *e)
{
	cmd_print_err(ss, e);
	return 1;
}

/* The facts of the store and the uses of the node, or a FAILURE. */
static int load(struct mmp_session *ss, struct store_facts **sf, struct expiry_use **uses, size_t *n)
{
	struct mmp_err err;

	mmp_err_clear(&err);
	*uses = NULL;
	*n = 0;
	if (store_facts_load(ss->store, sf, &err) != MMP_OK)
		return fail(ss, &err);
	if (ss->cfg != NULL && expiry_uses(ss->cfg, *sf, uses, n, &err) != MMP_OK) {
		store_facts_free(*sf);
		*sf = NULL;
		return fail(ss, &err);
	}
	return 0;
}

/* The JSON of a certificate: where it is and when it ends. */
static json_t *cert_json(const struct file_facts *f, const struct cert_facts *c, long long now)
{
	char sh[SHOWN_NAME];

	return json_pack("{s:o, s:i, s:o, s:o, s:o, s:o, s:o, s:I, s:b}", "file",
			 report_str(store_name_shown(f->name, sh, sizeof(sh))), "position", c->position,
			 "subject", report_str(c->subject), "issuer", report_str(c->issuer), "serial_number",
			 report_str(c->serial), "not_before", report_time(c->not_before), "not_after",
			 report_time(c->not_after), "days_left", (json_int_t)expiry_days_left(c->not_after, now),
			 "expired", c->not_after <= now);
}

/* What to do about the certificate that ends a use first. */
static void remedy(const struct expiry_use *u, char *buf, size_t size)
{
	char sh[SHOWN_NAME], base[SHOWN_NAME];
	const char *dot;

	store_name_shown(u->end_file->name, sh, sizeof(sh));
	if (u->trust)
		snprintf(buf, size,
			 "put the current certificate of that CA (or peer) in its place in %s and give %s the file again (guide section 5.3)",
			 sh, u->freed_by);
	else if (u->end_is_leaf) {
		snprintf(base, sizeof(base), "%s", sh);
		if ((dot = strrchr(base, '.')) != NULL)
			base[dot - base] = '\0';
		snprintf(buf, size,
			 "renew it: pki csr %s-new from:%s makes a new key and a CSR with its subject and names; have the CSR signed, then give %s the new files (guide section 5.3)",
			 base, sh, u->freed_by);
	} else
		snprintf(buf, size,
			 "it is a CA certificate, which its CA renews: put the CA's current certificate in %s in its place and give %s the files again (guide section 5.3)",
			 sh, u->freed_by);
}

/* One use: a listing line, its data, and a check when it ends within
 * days. 1 when it does (or ended). */
/* A FAILURE when name, a file the use needs, is not in the store or holds
 * no certificate. 1 when so. */
static int unusable(struct mmp_session *ss, const struct expiry_use *u, const char *name,
		    const struct store_facts *sf)
{
	const struct file_facts *f = store_facts_find(sf, name);
	char sh[SHOWN_NAME];

	if (f != NULL && f->ncerts > 0)
		return 0;
	char fix[256];

	store_name_shown(name, sh, sizeof(sh));
	snprintf(fix, sizeof(fix), "%s; or give %s the files it is to use",
		 f == NULL ? "upload it again by SFTP" : "pki inspect shows what it holds; upload the right file",
		 u->freed_by);
	res_check(ss, REPORT_FAILURE, f == NULL ? "expiry.file_missing" : "expiry.no_certificate", name, 0, fix,
		  "%s %s: %s %s, so %s cannot start", u->service, u->what, sh,
		  f == NULL ? "is not in the file store" : "holds no certificate that can be read", u->service);
	return 1;
}

static int one_use(struct mmp_session *ss, const struct expiry_use *u, int days, long long now, json_t *list,
		   const struct store_facts *sf)
{
	int bad;
	char files[2 * SHOWN_NAME + 4], sh[SHOWN_NAME], words[64], date[32], fix[2048];
	json_t *o = json_pack("{s:s, s:s, s:o, s:o}", "service", u->service, "use", u->what, "file",
			      report_str(store_name_shown(u->file, sh, sizeof(sh))), "bundle",
			      u->bundle[0] ? report_str(store_name_shown(u->bundle, files, sizeof(files))) : json_null());
	long long left;

	snprintf(files, sizeof(files), "%s", sh);
	if (u->bundle[0] != '\0') {
		size_t o2 = strlen(files);
		snprintf(files + o2, sizeof(files) - o2, ", ");
		store_name_shown(u->bundle, files + o2 + 2, sizeof(files) - o2 - 2);
	}
	json_array_append_new(list, o);
	if (u->end_cert == NULL) {
		json_object_set_new(o, "first_to_end", json_null());
		res_printf(ss, "  %s %s (%s): no certificate found\n", u->service, u->what, files);
	}
	/* a file the service needs that is gone or holds no certificate: the
	 * service cannot start, which is worse than an end date */
	bad = unusable(ss, u, u->file, sf);
	if (u->bundle[0] != '\0')
		bad |= unusable(ss, u, u->bundle, sf);
	if (u->end_cert == NULL)
		return 1;
	json_object_set_new(o, "first_to_end", cert_json(u->end_file, u->end_cert, now));
	store_name_shown(u->end_file->name, sh, sizeof(sh));
	expiry_words(u->end_cert->not_after, now, words, sizeof(words));
	expiry_date(u->end_cert->not_after, date, sizeof(date));
	res_printf(ss, "  %s %s (%s): %s certificate %d (%s) %s, on %s\n", u->service, u->what, files, sh,
		   u->end_cert->position, u->end_cert->subject, words, date);
	left = expiry_days_left(u->end_cert->not_after, now);
	if (u->end_cert->not_after > now && left > days)
		return bad;
	remedy(u, fix, sizeof(fix));
	res_check(ss, u->end_cert->not_after <= now ? REPORT_FAILURE : REPORT_WARNING,
		  u->end_cert->not_after <= now ? "expiry.expired" : "expiry.soon", u->end_file->name,
		  u->end_cert->position, fix, "%s %s: %s: certificate %d (%s) %s, on %s%s", u->service, u->what, sh,
		  u->end_cert->position, u->end_cert->subject, words, date,
		  u->trust ? ", and the service trusts it" : u->end_is_leaf ? "" : ", and it is on the chain the service sends");
	return 1;
}

static int by_end(const void *a, const void *b)
{
	const struct cert_facts *x = ((const struct cert_facts *const *)a)[1];
	const struct cert_facts *y = ((const struct cert_facts *const *)b)[1];

	return x->not_after < y->not_after ? -1 : x->not_after > y->not_after;
}

/* Every certificate of the store, the first to end first. */
static int all_certs(struct mmp_session *ss, const struct store_facts *sf, long long now, json_t *list)
{
	size_t i, k, n = 0;
	const void **v;

	for (i = 0; i < sf->nfiles; i++)
		n += sf->files[i].ncerts;
	if ((v = malloc((n ? n : 1) * 2 * sizeof(*v))) == NULL)
		return -1;
	for (n = 0, i = 0; i < sf->nfiles; i++)
		for (k = 0; k < sf->files[i].ncerts; k++, n++) {
			v[2 * n] = &sf->files[i];
			v[2 * n + 1] = &sf->files[i].certs[k];
		}
	qsort(v, n, 2 * sizeof(*v), by_end);
	res_printf(ss, "All certificates of the file store, the first to end first:\n");
	if (n == 0)
		res_printf(ss, "  none\n");
	for (i = 0; i < n; i++) {
		const struct file_facts *f = v[2 * i];
		const struct cert_facts *c = v[2 * i + 1];
		char sh[SHOWN_NAME], words[64], date[32];
		res_printf(ss, "  %s  %-22s %s certificate %d (%s)\n", expiry_date(c->not_after, date, sizeof(date)),
			   expiry_words(c->not_after, now, words, sizeof(words)),
			   store_name_shown(f->name, sh, sizeof(sh)), c->position, c->subject);
		/* only what is rendered: the objects of 10,000 certificates cost
		 * more than the rest of the command (bench/notes.md) */
		if (res_is_json(ss))
			json_array_append_new(list, cert_json(f, c, now));
	}
	free(v);
	return 0;
}

int cmd_pki_expiry(struct mmp_session *ss, int argc, char **argv)
{
	struct store_facts *sf;
	struct expiry_use *uses;
	char shown[CLI_SHOWN_MAX], *end;
	long days = 30;
	long long now = (long long)pki_now();
	size_t n, i;
	int soon = 0;
	json_t *svc = json_array(), *certs = json_array();

	if (argc > 0 && ((days = strtol(argv[0], &end, 10)) < 0 || days > 3650 || *end != '\0' || argv[0][0] == '\0')) {
		json_decref(svc);
		json_decref(certs);
		res_check(ss, REPORT_FAILURE, "expiry.days_invalid", NULL, 0, "give a number of days from 0 to 3650 (default 30)",
			  "pki expiry: \"%s\" is not a number of days", SHOWN(argv[0]));
		return 1;
	}
	if (load(ss, &sf, &uses, &n) != 0) {
		json_decref(svc);
		json_decref(certs);
		return 1;
	}
	json_object_set_new(res_data(ss), "days", json_integer(days));
	json_object_set_new(res_data(ss), "services", svc);
	json_object_set_new(res_data(ss), "certificates", certs);
	res_printf(ss, "Certificates that services use, the first to end on each chain:\n");
	if (n == 0)
		res_printf(ss, "  none: no service has certificates set\n");
	for (i = 0; i < n; i++)
		soon |= one_use(ss, &uses[i], (int)days, now, svc, sf);
	if (all_certs(ss, sf, now, certs) != 0) {
		struct mmp_err err;
		mmp_err_set(&err, MMP_ERR_NOMEM, "out of memory");
		free(uses);
		store_facts_free(sf);
		return fail(ss, &err);
	}
	if (!soon)
		res_check(ss, REPORT_SUCCESS, "expiry.ok", NULL, 0, NULL,
			  "no certificate that a service uses ends within %ld day%s", days, days == 1 ? "" : "s");
	free(uses);
	store_facts_free(sf);
	return soon;
}

int cmd_pki_metrics(struct mmp_session *ss, int argc, char **argv)
{
	struct store_facts *sf;
	struct expiry_use *uses;
	size_t n, len = 0;
	char *text = NULL;
	FILE *mem;
	int rc;

	(void)argc;
	(void)argv;
	if (load(ss, &sf, &uses, &n) != 0)
		return 1;
	if ((mem = open_memstream(&text, &len)) == NULL) {
		free(uses);
		store_facts_free(sf);
		return 1;
	}
	rc = expiry_write_metrics(mem, sf, uses, n, store_files_dir(ss->store), (long long)pki_now());
	rc |= fclose(mem) != 0;
	if (rc == 0) {
		res_printf(ss, "%s", text);
		json_object_set_new(res_data(ss), "exposition", json_string(text));
	}
	free(text);
	free(uses);
	store_facts_free(sf);
	return rc != 0;
}

/* pki alarms [<days>...]: show or set the thresholds of the login alarms. */
int cmd_pki_alarms(struct mmp_session *ss, int argc, char **argv)
{
	struct mmp_err err;
	char shown[CLI_SHOWN_MAX], value[EXPIRY_MAX_THRESHOLDS * 8] = "", *end;
	int days[EXPIRY_MAX_THRESHOLDS];
	size_t n, i, k, o = 0;
	json_t *list = json_array();

	mmp_err_clear(&err);
	json_object_set_new(res_data(ss), "days", list);
	if (argc > EXPIRY_MAX_THRESHOLDS) {
		res_check(ss, REPORT_FAILURE, "expiry.alarms_invalid", NULL, 0, "give at most 8 numbers of days",
			  "pki alarms: %d thresholds is too many", argc);
		return 1;
	}
	if (argc > 0) {
		if (argc == 1 && strcmp(argv[0], "default") == 0) {
			if (cfg_set(ss->cfg, "pki.alarm_days", NULL, &err) != MMP_OK)
				return fail(ss, &err);
		} else {
			for (i = 0; i < (size_t)argc; i++) {
				long d = strtol(argv[i], &end, 10);
				if (*end != '\0' || argv[i][0] == '\0' || d < 0 || d > 3650) {
					res_check(ss, REPORT_FAILURE, "expiry.alarms_invalid", NULL, 0,
						  "give numbers of days from 0 to 3650, e.g. pki alarms 30 7 1, or pki alarms default",
						  "pki alarms: \"%s\" is not a number of days", SHOWN(argv[i]));
					return 1;
				}
				for (k = 0; k < i; k++)
					if (strtol(argv[k], NULL, 10) == d) {
						res_check(ss, REPORT_FAILURE, "expiry.alarms_invalid", NULL, 0,
							  "give each number of days once, e.g. pki alarms 30 7 1",
							  "pki alarms: %ld days is given twice", d);
						return 1;
					}
				o += (size_t)snprintf(value + o, sizeof(value) - o, "%s%ld", o ? " " : "", d);
			}
			if (cfg_set(ss->cfg, "pki.alarm_days", value, &err) != MMP_OK)
				return fail(ss, &err);
		}
	}
	if (expiry_thresholds(ss->cfg, days, &n, &err) != MMP_OK)
		return fail(ss, &err);
	for (o = 0, i = 0; i < n; i++) {
		o += (size_t)snprintf(value + o, sizeof(value) - o, "%s%d", o ? " " : "", days[i]);
		json_array_append_new(list, json_integer(days[i]));
	}
	if (argc > 0)
		cli_confirm(ss, "pki alarms", "%s", value);
	else
		res_printf(ss, "Login alarms when a certificate that a service uses ends within: %s days\n", value);
	return 0;
}

/* At login (issue 14): one line per service whose certificates end within
 * the largest threshold, or have ended; each threshold crossed (the
 * smallest one the days left are within, or "expired") goes once to the
 * audit log and to syslog. Text only, before the first prompt. */
void cli_login_alarms(struct mmp_session *ss)
{
	struct store_facts *sf = NULL;
	struct expiry_use *uses = NULL;
	struct mmp_err err;
	int days[EXPIRY_MAX_THRESHOLDS], max = -1;
	size_t n = 0, nt = 0, i, k;
	long long now = (long long)pki_now();

	mmp_err_clear(&err);
	if (ss->cfg == NULL || expiry_thresholds(ss->cfg, days, &nt, &err) != MMP_OK || nt == 0 ||
	    store_facts_load(ss->store, &sf, &err) != MMP_OK)
		return;
	for (i = 0; i < nt; i++)
		max = days[i] > max ? days[i] : max;
	if (expiry_uses(ss->cfg, sf, &uses, &n, &err) != MMP_OK)
		n = 0;
	for (i = 0; i < n; i++) {
		const struct expiry_use *u = &uses[i], *first = u;
		char sh[SHOWN_NAME], words[64], date[32], key[600], line[900];
		long long left;
		int crossed = -1, is_first = 0;

		if (u->end_cert == NULL)
			continue;
		/* one line per service: its use that ends first */
		for (k = 0; k < n; k++)
			if (uses[k].end_cert != NULL && strcmp(uses[k].service, u->service) == 0 &&
			    (uses[k].end_cert->not_after < first->end_cert->not_after ||
			     (uses[k].end_cert->not_after == first->end_cert->not_after && k < i)))
				first = &uses[k];
		if (first != u)
			continue;
		left = expiry_days_left(u->end_cert->not_after, now);
		if (u->end_cert->not_after > now && left > max)
			continue;
		for (k = 0; k < nt; k++)
			if (u->end_cert->not_after > now && left <= days[k] && (crossed < 0 || days[k] < crossed))
				crossed = days[k];
		store_name_shown(u->end_file->name, sh, sizeof(sh));
		expiry_words(u->end_cert->not_after, now, words, sizeof(words));
		expiry_date(u->end_cert->not_after, date, sizeof(date));
		snprintf(line, sizeof(line), "%s %s: %s certificate %d (%s) %s, on %s", u->service, u->what, sh,
			 u->end_cert->position, u->end_cert->subject, words, date);
		fprintf(ss->out, "%s: %s: run pki expiry\n", u->end_cert->not_after <= now ? "FAILURE" : "WARNING",
			line);
		/* written once per certificate and threshold */
		if (crossed >= 0)
			snprintf(key, sizeof(key), "%s|%s|%d|%s|%lld|within %d days", u->service, u->end_file->name,
				 u->end_cert->position, u->end_cert->serial, u->end_cert->not_after, crossed);
		else
			snprintf(key, sizeof(key), "%s|%s|%d|%s|%lld|expired", u->service, u->end_file->name,
				 u->end_cert->position, u->end_cert->serial, u->end_cert->not_after);
		if (audit_alarm_once(ss->cfg, key, now, &is_first, &err) == MMP_OK && is_first) {
			char what[64];
			if (crossed >= 0)
				snprintf(what, sizeof(what), "within %d days", crossed);
			else
				snprintf(what, sizeof(what), "expired");
			snprintf(line, sizeof(line), "certificate alarm (%s): %s %s: %s certificate %d (%s) ends on %s",
				 what, u->service, u->what, sh, u->end_cert->position, u->end_cert->subject, date);
			audit_add(ss->cfg, ss->user, ss->source, "alarm", line, "warning", &err);
			syslog(LOG_WARNING, "%s", line);
		}
	}
	fflush(ss->out);
	free(uses);
	store_facts_free(sf);
}
