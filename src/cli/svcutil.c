/*
 * svcutil.c: the pieces the service command families share (svcutil.h).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svcutil.h"

int cli_get(struct mmp_session *ss, const char *key, char *buf, size_t size)
{
	struct mmp_err err;
	int set;

	if (cfg_get(ss->cfg, key, buf, size, &set, &err) != MMP_OK) {
		cmd_print_err(ss, &err);
		return -1;
	}
	return set;
}

int cli_set(struct mmp_session *ss, const char *key, const char *value)
{
	struct mmp_err err;

	if (cfg_set(ss->cfg, key, value, &err) != MMP_OK) {
		cmd_print_err(ss, &err);
		return -1;
	}
	return 0;
}

int cli_show(struct mmp_session *ss, const struct show_row *rows)
{
	const struct show_row *r;
	size_t width = 0;
	char buf[CFG_VALUE_MAX + 1];
	int set;

	for (r = rows; r->label != NULL; r++)
		if (strlen(r->label) > width)
			width = strlen(r->label);
	for (r = rows; r->label != NULL; r++) {
		const char *v = r->value;
		if (r->key != NULL) {
			if ((set = cli_get(ss, r->key, buf, sizeof(buf))) < 0)
				return 1;
			v = set && buf[0] != '\0' ? buf : "none";
			if (set && strstr(r->key, "password") != NULL)
				v = "(set, not shown)";
			else if (set && strcmp(buf, "1") == 0 && strstr(r->key, "enabled"))
				v = "enabled";
			else if (strstr(r->key, "enabled") && (!set || strcmp(buf, "0") == 0))
				v = "disabled";
		}
		res_printf(ss, "%-*s : ", (int)width, r->label);
		cli_res_fputs(ss, v ? v : "none"); /* settings hold outside text */
		res_printf(ss, "\n");
	}
	return 0;
}

int cli_is_ip(const char *s)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

int cli_parse_port(struct mmp_session *ss, const char *what, const char *word, long *port)
{
	char shown[CLI_SHOWN_MAX];
	char *end;
	long p;

	p = strtol(word, &end, 10);
	if (!isdigit((unsigned char)word[0]) || *end != '\0' || p < 1 || p > 65535) {
		if (what != NULL) /* NULL: the caller says it, with more context */
			res_check(ss, REPORT_FAILURE, "port.invalid", NULL, 0,
				  "use a number from 1 to 65535", "%s \"%s\" is not a port", what,
				  SHOWN(word));
		return -1;
	}
	*port = p;
	return 0;
}

int cli_parse_ifaces(struct mmp_session *ss, int argc, char **argv, int with_port, char *out,
		     size_t size)
{
	char shown[CLI_SHOWN_MAX];
	size_t o = 0;
	int i, j;
	long port;

	out[0] = '\0';
	for (i = 0; i < argc; i++) {
		const char *w = argv[i];
		if (w[0] < 'a' || w[0] > 'd' || (with_port ? w[1] != ':' : w[1] != '\0')) {
			res_check(ss, REPORT_FAILURE, "interface.invalid", NULL, 0,
				  with_port ? "interfaces are a, b, c and d, written like a:443"
					    : "interfaces are a, b, c and d",
				  "\"%s\" is not %s", SHOWN(w),
				  with_port ? "an interface:port" : "an interface");
			return -1;
		}
		if (with_port && cli_parse_port(ss, NULL, w + 2, &port) != 0) {
			char fix[64];

			snprintf(fix, sizeof(fix), "the port must be a number from 1 to 65535, e.g. %c:443",
				 w[0]);
			res_check(ss, REPORT_FAILURE, "port.invalid", NULL, 0, fix, "\"%s\"", SHOWN(w));
			return -1;
		}
		for (j = 0; j < i; j++)
			if (strcmp(argv[j], w) == 0 || (!with_port && argv[j][0] == w[0])) {
				res_check(ss, REPORT_FAILURE, "interface.repeated", NULL, 0, "give each once",
					  "\"%s\" is given twice", SHOWN(w));
				return -1;
			}
		o += (size_t)snprintf(out + o, o < size ? size - o : 0, "%s%s", i ? " " : "", w);
	}
	return 0;
}

/* The certificate settings keys[0..2] as JSON: {"key", "cert", "bundle"}
 * (no bundle when keys[2] is NULL); values NULL: all null. */
static json_t *certs_json(const char *const keys[3], const char *key, const char *crt,
			  const char *bundle)
{
	json_t *o = json_object();

	json_object_set_new(o, "key", report_str(key));
	json_object_set_new(o, "cert", report_str(crt));
	if (keys[2] != NULL)
		json_object_set_new(o, "bundle", report_str(bundle));
	return o;
}

int cli_install_certs(struct mmp_session *ss, const struct svc_certs_rule *rule,
		      const char *const keys[3], const char *setting, const char *key,
		      const char *crt, const char *bundle)
{
	return cli_install_certs_more(ss, rule, keys, setting, key, crt, bundle, NULL);
}

int cli_install_certs_more(struct mmp_session *ss, const struct svc_certs_rule *rule,
			   const char *const keys[3], const char *setting, const char *key,
			   const char *crt, const char *bundle, cli_certs_more_fn more)
{
	const char *files[] = { crt, bundle, NULL };
	struct report r;
	int rc = 0;

	report_init(&r);
	svc_check_certs(ss->store, rule, key, crt, bundle, &r);
	svc_check_not_db_ca(ss->store, ss->cfg, rule->service, files, &r);
	if (keys[2] != NULL && bundle == NULL && r.failures == 0)
		svc_warn_no_bundle(ss->store,
				   strcmp(rule->service, "callbridge") == 0 ? "SIP and Lync peers"
									    : "its TLS clients",
				   key, crt, setting, &r);
	if (more != NULL && r.failures == 0) /* one cause, one line */
		more(ss, crt, &r);
	cmd_print_report(ss, &r);
	if (r.failures > 0) {
		res_check(ss, REPORT_FAILURE, "certs.not_changed", NULL, 0, NULL,
			  "%s certificates not changed", rule->service);
		rc = 1;
	} else if (cli_set(ss, keys[0], key) != 0 || cli_set(ss, keys[1], crt) != 0 ||
		   (keys[2] != NULL && cli_set(ss, keys[2], bundle) != 0)) {
		rc = 1;
	} else {
		json_object_set_new(res_data(ss), "certs", certs_json(keys, key, crt, bundle));
		cli_confirm(ss, setting, "%s %s%s%s", key, crt, bundle != NULL ? " " : "",
			    bundle != NULL ? bundle : "");
	}
	report_free(&r);
	return rc;
}

int cli_clear(struct mmp_session *ss, const char *const *keys, const char *what)
{
	for (; *keys != NULL; keys++)
		if (cli_set(ss, *keys, NULL) != 0)
			return 1;
	cli_confirm(ss, what, "none");
	return 0;
}

int cli_clear_certs(struct mmp_session *ss, const char *const keys[3], const char *what)
{
	const char *list[4] = { keys[0], keys[1], keys[2], NULL };

	if (cli_clear(ss, list, what) != 0)
		return 1;
	json_object_set_new(res_data(ss), "certs", certs_json(keys, NULL, NULL, NULL));
	return 0;
}

/* The command of a trust setting: "callbridge.trust.c2w" is "callbridge
 * trust c2w", "tls.sip.trust" is "tls sip trust". */
static const char *trust_cmd(const char *key, char *buf, size_t size)
{
	char *p;

	snprintf(buf, size, "%s", key);
	for (p = buf; *p != '\0'; p++)
		if (*p == '.')
			*p = ' ';
	return buf;
}

/* What a trust bundle now holds: {"trust": bundle, "certificates": n},
 * counted again from the file the checks passed. The line: "SUCCESS:
 * callbridge trust c2w now holds cb-trust.crt (3 certificates)" (legacy:
 * the tls family), else the setter's confirmation "callbridge trust c2w
 * set to cb-trust.crt (3 certificates)". */
static void trust_success(struct mmp_session *ss, const char *key, const char *bundle, int legacy)
{
	struct pki_file *f = NULL;
	struct mmp_err err;
	char cmd[64];
	size_t n = 0;

	mmp_err_clear(&err);
	if (pki_file_load(ss->store, bundle, &f, &err) == MMP_OK)
		n = pki_file_cert_count(f);
	pki_file_free(f);
	json_object_set_new(res_data(ss), "trust", report_str(bundle));
	json_object_set_new(res_data(ss), "certificates", json_integer((json_int_t)n));
	if (legacy) {
		res_check(ss, REPORT_SUCCESS, "trust.installed", bundle, 0, NULL,
			  "%s now holds %s (%zu certificate%s)", trust_cmd(key, cmd, sizeof(cmd)),
			  bundle, n, n == 1 ? "" : "s");
		return;
	}
	cli_confirm(ss, trust_cmd(key, cmd, sizeof(cmd)), "%s (%zu certificate%s)", bundle, n,
		    n == 1 ? "" : "s");
}

static int clear_trust(struct mmp_session *ss, const char *key, int legacy)
{
	char cmd[64];

	if (cli_set(ss, key, NULL) != 0)
		return 1;
	json_object_set_new(res_data(ss), "trust", json_null());
	if (legacy)
		res_printf(ss, "%s bundle removed\n", trust_cmd(key, cmd, sizeof(cmd)));
	else
		cli_confirm(ss, trust_cmd(key, cmd, sizeof(cmd)), "none");
	return 0;
}

static int install_trust(struct mmp_session *ss, const char *service, const char *key,
			 const char *bundle, int legacy, cli_trust_more_fn more)
{
	const char *files[] = { bundle, NULL };
	struct report r;
	char cmd[64];
	int rc = 0;

	if (strcmp(bundle, "none") == 0)
		return clear_trust(ss, key, legacy);
	report_init(&r);
	svc_check_trust(ss->store, service, bundle, &r);
	svc_check_not_db_ca(ss->store, ss->cfg, service, files, &r);
	if (more != NULL && r.failures == 0) /* one cause, one line */
		more(ss, bundle, &r);
	cmd_print_report(ss, &r);
	if (r.failures > 0) {
		res_check(ss, REPORT_FAILURE, "trust.not_changed", NULL, 0, NULL, "%s not changed",
			  trust_cmd(key, cmd, sizeof(cmd)));
		rc = 1;
	} else if ((rc = cli_set(ss, key, bundle) != 0) == 0) {
		trust_success(ss, key, bundle, legacy);
	}
	report_free(&r);
	return rc;
}

int cli_clear_trust(struct mmp_session *ss, const char *key)
{
	return clear_trust(ss, key, 1);
}

int cli_install_trust(struct mmp_session *ss, const char *service, const char *key,
		      const char *bundle)
{
	return install_trust(ss, service, key, bundle, 1, NULL);
}

int cli_set_trust(struct mmp_session *ss, const char *service, const char *key,
		  const char *bundle)
{
	return install_trust(ss, service, key, bundle, 0, NULL);
}

int cli_set_trust_more(struct mmp_session *ss, const char *service, const char *key,
		       const char *bundle, cli_trust_more_fn more)
{
	return install_trust(ss, service, key, bundle, 0, more);
}

int cli_set_trust_none(struct mmp_session *ss, const char *key)
{
	return clear_trust(ss, key, 0);
}

void cli_recheck_certs(struct mmp_session *ss, const struct svc_certs_rule *rule,
		       const char *const keys[3], const char *set_cmd, struct report *r)
{
	char key[CFG_VALUE_MAX + 1], crt[CFG_VALUE_MAX + 1], bundle[CFG_VALUE_MAX + 1];
	int have_bundle = keys[2] != NULL && cli_get(ss, keys[2], bundle, sizeof(bundle)) == 1;

	if (cli_get(ss, keys[0], key, sizeof(key)) != 1 || cli_get(ss, keys[1], crt, sizeof(crt)) != 1) {
		report_check(r, REPORT_FAILURE, "certs.not_set", NULL, 0,
			     "%s certificates are not set", rule->service);
		report_remedy(r, "use %s", set_cmd);
		return;
	}
	svc_check_certs(ss->store, rule, key, crt, have_bundle ? bundle : NULL, r);
}

int cli_disable(struct mmp_session *ss, const char *service)
{
	char key[64];

	snprintf(key, sizeof(key), "%s.enabled", service);
	if (cli_set(ss, key, "0") != 0)
		return 1;
	json_object_set_new(res_data(ss), "enabled", json_false());
	cli_confirm(ss, service, "disabled");
	return 0;
}

int cli_finish_enable(struct mmp_session *ss, const char *service, struct report *r)
{
	cmd_print_report(ss, r);
	if (r->failures > 0) {
		res_check(ss, REPORT_FAILURE, "service.config_incomplete", NULL, 0, NULL,
			  "%s configuration not complete", service);
		return 1;
	}
	res_check(ss, REPORT_SUCCESS, "service.config_complete", NULL, 0, NULL, "%s enabled",
		  service);
	return 0;
}

int cli_enable(struct mmp_session *ss, const char *service, struct report *r)
{
	char key[64];

	cmd_print_report(ss, r);
	if (r->failures > 0) {
		res_check(ss, REPORT_FAILURE, "service.config_incomplete", NULL, 0, NULL,
			  "%s configuration not complete", service);
		return 1;
	}
	snprintf(key, sizeof(key), "%s.enabled", service);
	if (cli_set(ss, key, "1") != 0)
		return 1;
	json_object_set_new(res_data(ss), "enabled", json_true());
	cli_confirm(ss, service, "enabled");
	return 0;
}

void cli_confirm(struct mmp_session *ss, const char *setting, const char *fmt, ...)
{
	char *value = NULL;
	va_list ap;
	int n;

	if (res_is_json(ss))
		return;
	va_start(ap, fmt);
	n = vasprintf(&value, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	res_printf(ss, "%s %s ", setting, ss->dry_run ? "would be set to" : "set to");
	cli_res_fputs(ss, value); /* names and values from outside */
	res_printf(ss, "\n");
	free(value);
}

void cli_res_fputs(struct mmp_session *ss, const char *s)
{
	if (!res_is_json(ss))
		text_fputs(s, ss->out);
}

json_t *cli_words_json(const char *list)
{
	json_t *a = json_array();
	size_t wl;

	for (; *list != '\0'; list += wl + (list[wl] == ' ')) {
		wl = strcspn(list, " ");
		if (wl > 0) {
			char *w = strndup(list, wl);
			json_array_append_new(a, report_str(w));
			free(w);
		}
	}
	return a;
}

int cli_data_setting(struct mmp_session *ss, json_t *obj, const char *name, const char *key,
		     enum cli_data_kind kind)
{
	char buf[CFG_VALUE_MAX + 1];
	json_t *v;
	int set = cli_get(ss, key, buf, sizeof(buf));

	if (set < 0)
		return -1;
	if (kind == CLI_DATA_ENABLED)
		v = json_boolean(set == 1 && strcmp(buf, "1") == 0);
	else if (set != 1 || buf[0] == '\0')
		v = json_null();
	else if (kind == CLI_DATA_LIST)
		v = cli_words_json(buf);
	else if (kind == CLI_DATA_INT)
		v = json_integer(strtoll(buf, NULL, 10));
	else
		v = report_str(buf);
	json_object_set_new(obj, name, v);
	return 0;
}

/* The fields of a service's answers (svcutil.h). */
const struct res_field cli_certs_fields[] = {
	{ "key", RES_STR, RES_NULLABLE, NULL, "the private key file, null when unset" },
	{ "cert", RES_STR, RES_NULLABLE, NULL, "the certificate (or full-chain) file, null when unset" },
	{ "bundle", RES_STR, RES_NULLABLE | RES_OPTIONAL, NULL,
	  "the CA bundle file, null when unset (only services that take one)" },
	{ NULL, 0, 0, NULL, NULL },
};
const struct res_field cli_certs_result[] = {
	{ "certs", RES_OBJ, 0, cli_certs_fields, "the certificate files the service now uses" },
	{ NULL, 0, 0, NULL, NULL },
};
const struct res_field cli_trust_result[] = {
	{ "trust", RES_STR, RES_NULLABLE, NULL, "the trust bundle now set, null when removed" },
	{ "certificates", RES_INT, RES_OPTIONAL, NULL, "how many certificates the bundle holds" },
	{ NULL, 0, 0, NULL, NULL },
};
const struct res_field cli_names_result[] = {
	{ "names", RES_LIST, RES_NULLABLE, NULL,
	  "the names now set (DNS names in A-label form, IP addresses), null when removed" },
	{ "cert", RES_STR, RES_NULLABLE, NULL,
	  "the certificate file every name was checked on, null when none is set (nothing checked)" },
	{ NULL, 0, 0, NULL, NULL },
};
const struct res_field cli_enabled_result[] = {
	{ "enabled", RES_BOOL, 0, NULL, "whether the service is now enabled" },
	{ NULL, 0, 0, NULL, NULL },
};
