/*
 * svcnames.c: the names a service is reached by (issue 15): `webbridge3
 * https names`, `webbridge3 c2w names`, `turn names` (checked, kept,
 * removed), and the check of those names and of the node's hostname on
 * the certificates installed (svc_check_names).
 */
#include <string.h>

#include "svcutil.h"

/* "change the names (use webbridge3 https names)", as the role may. */
static const char *names_fix(struct mmp_session *ss, const struct svc_names_use *use, char *buf,
			     size_t size)
{
	char use_cmd[CLI_REMEDY_MAX];

	snprintf(buf, size, "change the names (%s)",
		 cli_remedy_use(ss, use->setting, use_cmd, sizeof(use_cmd)));
	return buf;
}

int cli_parse_names(struct mmp_session *ss, const char *setting, int argc, char **argv,
		    char *list, size_t size)
{
	char shown[CLI_SHOWN_MAX], form[PKI_FQDN_MAX + 2], prev[PKI_FQDN_MAX + 2];
	const char *why, *p;
	size_t at = 0, len;
	int i, bad = 0;

	list[0] = '\0';
	if (argc > CLI_NAMES_MAX) {
		res_check(ss, REPORT_FAILURE, "names.too_many", NULL, 0,
			  "give the names clients use to reach this service; nothing was changed",
			  "%s: %d names given, and mmp keeps at most %d", setting, argc, CLI_NAMES_MAX);
		return 1;
	}
	for (i = 0; i < argc; i++) {
		if (!pki_name_canonical(argv[i], form, sizeof(form), &why)) {
			res_check(ss, REPORT_FAILURE, "names.invalid", NULL, 0,
				  "write a DNS name such as join.example.com, or an IP address such as 192.0.2.10; nothing was changed",
				  "%s: \"%s\" is neither a DNS name nor an IP address: %s", setting,
				  SHOWN(argv[i]), why);
			bad = 1;
			continue;
		}
		for (p = list; *p != '\0'; p += len + (p[len] == ' ')) {
			len = strcspn(p, " ");
			snprintf(prev, sizeof(prev), "%.*s", (int)len, p);
			if (strcmp(prev, form) == 0)
				break;
		}
		if (*p != '\0') {
			res_check(ss, REPORT_FAILURE, "names.twice", NULL, 0,
				  "name each once; nothing was changed",
				  "%s: %s is given twice (as \"%s\")", setting, form, SHOWN(argv[i]));
			bad = 1;
			continue;
		}
		if (at + strlen(form) + 2 > size) {
			res_check(ss, REPORT_FAILURE, "names.too_long", NULL, 0,
				  "give fewer or shorter names; nothing was changed",
				  "%s: the names are longer than the %zu characters the setting holds",
				  setting, size - 1);
			return 1;
		}
		at += (size_t)snprintf(list + at, size - at, "%s%s", at > 0 ? " " : "", form);
	}
	return bad;
}

void cli_check_names_of(struct mmp_session *ss, const struct svc_names_use *use,
			const char *names_key, const char *crt, struct report *r)
{
	char names[CFG_VALUE_MAX + 1], fix[CLI_REMEDY_MAX + 32];

	if (cli_get(ss, names_key, names, sizeof(names)) == 1 && names[0] != '\0')
		(void)svc_check_names(ss->store, crt, names, use, names_fix(ss, use, fix, sizeof(fix)),
				      r);
}

void cli_check_names(struct mmp_session *ss, const struct svc_names_use *use,
		     const char *names_key, const char *crt_key, struct report *r)
{
	char crt[CFG_VALUE_MAX + 1];

	if (cli_get(ss, crt_key, crt, sizeof(crt)) == 1 && crt[0] != '\0')
		cli_check_names_of(ss, use, names_key, crt, r);
}

int cli_set_names(struct mmp_session *ss, const struct svc_names_use *use, const char *names_key,
		  const char *crt_key, int argc, char **argv)
{
	char list[CFG_VALUE_MAX + 1], crt[CFG_VALUE_MAX + 1], fix[CLI_REMEDY_MAX + 32];
	struct report r;
	int set, rc = 0;

	if (cli_parse_names(ss, use->setting, argc, argv, list, sizeof(list)) != 0 ||
	    (set = cli_get(ss, crt_key, crt, sizeof(crt))) < 0)
		return 1;
	if (set == 1) {
		report_init(&r);
		(void)svc_check_names(ss->store, crt, list, use, names_fix(ss, use, fix, sizeof(fix)),
				      &r);
		cmd_print_report(ss, &r);
		rc = r.failures > 0;
		report_free(&r);
		if (rc != 0) {
			res_check(ss, REPORT_FAILURE, "names.not_changed", NULL, 0, NULL, "%s not changed",
				  use->setting);
			return 1;
		}
	}
	if (cli_set(ss, names_key, list) != 0)
		return 1;
	json_object_set_new(res_data(ss), "names", cli_words_json(list));
	json_object_set_new(res_data(ss), "cert", set == 1 ? report_str(crt) : json_null());
	cli_confirm(ss, use->setting, "%s", list);
	return 0;
}

int cli_set_names_none(struct mmp_session *ss, const struct svc_names_use *use,
		       const char *names_key)
{
	const char *const keys[] = { names_key, NULL };

	if (cli_clear(ss, keys, use->setting) != 0)
		return 1;
	json_object_set_new(res_data(ss), "names", json_null());
	json_object_set_new(res_data(ss), "cert", json_null());
	return 0;
}

/* The hostname on the Call Bridge's and the database server's
 * certificates (issue 15): a WARNING, since a certificate shared by
 * several servers may name only the domain (guide sections 3.1.2, 3.1.4). */
static const struct svc_names_use hostname_cb = {
	.setting = "hostname",
	.certs_cmd = "callbridge certs",
	.refuses = "it is the node's hostname, an FQDN: clients that reach the Call Bridge by it refuse the connection (a certificate shared by several servers may name only the domain, guide section 3.1.2)",
	.miss = REPORT_WARNING,
	.code = "name.hostname_missing",
	.keep_names = 1,
};
static const struct svc_names_use hostname_db = {
	.setting = "hostname",
	.certs_cmd = "database cluster certs",
	.refuses = "it is the node's hostname, an FQDN, and the database server certificate names the FQDN of each server of the cluster, one in its CN and the others in its subjectAltName (guide section 3.1.4)",
	.miss = REPORT_WARNING,
	.code = "name.hostname_missing",
	.keep_names = 1,
};

void cli_check_hostname(struct mmp_session *ss, int db, const char *crt, struct report *r)
{
	char host[PKI_FQDN_MAX + 2], fix[CLI_REMEDY_MAX + 64], use_cmd[CLI_REMEDY_MAX];

	if (crt == NULL || cli_get(ss, "hostname", host, sizeof(host)) != 1 ||
	    strchr(host, '.') == NULL)
		return; /* a one-label hostname names no certificate's entry */
	snprintf(fix, sizeof(fix), "correct the hostname (%s)",
		 cli_remedy_use(ss, "hostname <fqdn>", use_cmd, sizeof(use_cmd)));
	(void)svc_check_names(ss->store, crt, host, db ? &hostname_db : &hostname_cb, fix, r);
}
