/*
 * svcutil.c: the pieces the service command families share (svcutil.h).
 */
#include <arpa/inet.h>
#include <ctype.h>
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
		fprintf(ss->out, "%-*s : ", (int)width, r->label);
		text_fputs(v ? v : "none", ss->out); /* settings hold outside text */
		fputc('\n', ss->out);
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
			fprintf(ss->out, "FAILURE: %s \"%s\" is not a port: use a number from 1 to 65535\n",
				what, SHOWN(word));
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
			fprintf(ss->out, "FAILURE: \"%s\" is not %s: interfaces are a, b, c and d%s\n", SHOWN(w),
				with_port ? "an interface:port" : "an interface",
				with_port ? ", written like a:443" : "");
			return -1;
		}
		if (with_port && cli_parse_port(ss, NULL, w + 2, &port) != 0) {
			fprintf(ss->out, "FAILURE: \"%s\": the port must be a number from 1 to 65535, e.g. %c:443\n",
				SHOWN(w), w[0]);
			return -1;
		}
		for (j = 0; j < i; j++)
			if (strcmp(argv[j], w) == 0 || (!with_port && argv[j][0] == w[0])) {
				fprintf(ss->out, "FAILURE: \"%s\" is given twice: give each once\n", SHOWN(w));
				return -1;
			}
		o += (size_t)snprintf(out + o, o < size ? size - o : 0, "%s%s", i ? " " : "", w);
	}
	return 0;
}

int cli_install_certs(struct mmp_session *ss, const struct svc_certs_rule *rule,
		      const char *const keys[3], const char *key, const char *crt,
		      const char *bundle)
{
	const char *files[] = { crt, bundle, NULL };
	struct report r;
	int rc = 0;

	report_init(&r);
	svc_check_certs(ss->store, rule, key, crt, bundle, &r);
	svc_check_not_db_ca(ss->store, ss->cfg, rule->service, files, &r);
	if (keys[2] != NULL && bundle == NULL && r.failures == 0) {
		char cmd[64];
		snprintf(cmd, sizeof(cmd), "%s certs", rule->service);
		svc_warn_no_bundle(ss->store,
				   strcmp(rule->service, "callbridge") == 0 ? "SIP and Lync peers"
									    : "its TLS clients",
				   key, crt, cmd, &r);
	}
	cmd_print_report(ss, &r);
	if (r.failures > 0) {
		fprintf(ss->out, "FAILURE: %s certificates not changed\n", rule->service);
		rc = 1;
	} else if (cli_set(ss, keys[0], key) != 0 || cli_set(ss, keys[1], crt) != 0 ||
		   (keys[2] != NULL && cli_set(ss, keys[2], bundle) != 0)) {
		rc = 1;
	}
	report_free(&r);
	return rc;
}

int cli_clear(struct mmp_session *ss, const char *const *keys, const char *what)
{
	for (; *keys != NULL; keys++)
		if (cli_set(ss, *keys, NULL) != 0)
			return 1;
	fprintf(ss->out, "%s removed\n", what);
	return 0;
}

int cli_clear_certs(struct mmp_session *ss, const char *const keys[3], const char *what)
{
	const char *list[4] = { keys[0], keys[1], keys[2], NULL };

	return cli_clear(ss, list, what);
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

/* "SUCCESS: callbridge trust c2w now holds cb-trust.crt (3 certificates)":
 * what the checks read, counted again from the file they passed. */
static void trust_success(struct mmp_session *ss, const char *key, const char *bundle)
{
	struct pki_file *f = NULL;
	struct mmp_err err;
	char cmd[64];
	size_t n = 0;

	mmp_err_clear(&err);
	if (pki_file_load(ss->store, bundle, &f, &err) == MMP_OK)
		n = pki_file_cert_count(f);
	pki_file_free(f);
	fprintf(ss->out, "SUCCESS: %s now holds ", trust_cmd(key, cmd, sizeof(cmd)));
	text_fputs(bundle, ss->out);
	fprintf(ss->out, " (%zu certificate%s)\n", n, n == 1 ? "" : "s");
}

int cli_clear_trust(struct mmp_session *ss, const char *key)
{
	char cmd[64];

	if (cli_set(ss, key, NULL) != 0)
		return 1;
	fprintf(ss->out, "%s bundle removed\n", trust_cmd(key, cmd, sizeof(cmd)));
	return 0;
}

int cli_install_trust(struct mmp_session *ss, const char *service, const char *key,
		      const char *bundle)
{
	const char *files[] = { bundle, NULL };
	struct report r;
	int rc = 0;

	if (strcmp(bundle, "none") == 0)
		return cli_clear_trust(ss, key);
	report_init(&r);
	svc_check_trust(ss->store, service, bundle, &r);
	svc_check_not_db_ca(ss->store, ss->cfg, service, files, &r);
	cmd_print_report(ss, &r);
	if (r.failures > 0) {
		fprintf(ss->out, "FAILURE: %s trust not changed\n", service);
		rc = 1;
	} else if ((rc = cli_set(ss, key, bundle) != 0) == 0) {
		trust_success(ss, key, bundle);
	}
	report_free(&r);
	return rc;
}

void cli_recheck_certs(struct mmp_session *ss, const struct svc_certs_rule *rule,
		       const char *const keys[3], const char *set_cmd, struct report *r)
{
	char key[CFG_VALUE_MAX + 1], crt[CFG_VALUE_MAX + 1], bundle[CFG_VALUE_MAX + 1];
	int have_bundle = keys[2] != NULL && cli_get(ss, keys[2], bundle, sizeof(bundle)) == 1;

	if (cli_get(ss, keys[0], key, sizeof(key)) != 1 || cli_get(ss, keys[1], crt, sizeof(crt)) != 1) {
		report_add(r, REPORT_FAILURE, "%s certificates are not set: use %s", rule->service,
			   set_cmd);
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
	fprintf(ss->out, "SUCCESS: %s disabled\n", service);
	return 0;
}

int cli_finish_enable(struct mmp_session *ss, const char *service, struct report *r)
{
	cmd_print_report(ss, r);
	if (r->failures > 0) {
		fprintf(ss->out, "FAILURE: %s configuration not complete\n", service);
		return 1;
	}
	fprintf(ss->out, "SUCCESS: %s enabled\n", service);
	return 0;
}
