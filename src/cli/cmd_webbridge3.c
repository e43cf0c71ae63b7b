/*
 * cmd_webbridge3.c: the webbridge3 family (guide §1.2.4, §4.5, Appendix
 * D.1; SPEC §7): HTTPS and C2W listeners, their full-chain certificates,
 * the C2W trust bundle, the HTTP redirect, options, and enable/restart
 * with one line per check.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "mmp/health.h"
#include "svcutil.h"

/* guide §2.1 Table 2, Appendix D.1 steps 5 and 7: TLS server, full chain */
static const struct svc_certs_rule https_rule = {
	"webbridge3 https", PKI_ROLE_SERVER, 0, 1, NULL,
};
static const struct svc_certs_rule c2w_rule = {
	"webbridge3 c2w", PKI_ROLE_SERVER, 0, 1, NULL,
};
/* key, full chain, no separate bundle: for cli_install_certs() and cli_clear_certs() */
static const char *const https_keys[3] = { "webbridge3.https.key", "webbridge3.https.crt", NULL };
static const char *const c2w_keys[3] = { "webbridge3.c2w.key", "webbridge3.c2w.crt", NULL };

/* The names Web Bridge 3 is reached by (issue 15): browsers check the
 * HTTPS certificate against the join name (guide section 3.1.2: the DNS A
 * record, and the Expressway's A record, in the SAN); the Call Bridge
 * checks the C2W certificate against the host of its c2w:// URL (guide
 * section 4.5, Appendix D.2). */
static const struct svc_names_use https_names = {
	.setting = "webbridge3 https names",
	.certs_cmd = "webbridge3 https certs",
	.refuses = "browsers that reach Web Bridge 3 by that name (webbridge3 https names) refuse its HTTPS connection (guide section 3.1.2)",
	.miss = REPORT_FAILURE,
	.code = "name.mismatch",
	.keep_names = 0,
};
static const struct svc_names_use c2w_names = {
	.setting = "webbridge3 c2w names",
	.certs_cmd = "webbridge3 c2w certs",
	.refuses = "a Call Bridge given a c2w:// URL with that host (webbridge3 c2w names) fails the TLS negotiation and does not connect (guide section 4.5)",
	.miss = REPORT_FAILURE,
	.code = "name.mismatch",
	.keep_names = 0,
};

#define HTTPS_CERTS_USAGE "webbridge3 https certs <key-file> <crt-fullchain-file>"
#define C2W_CERTS_USAGE "webbridge3 c2w certs <key-file> <crt-fullchain-file>"
#define WB3_DEFAULT_REDIRECT "80" /* Appendix D.1 step 3 */

/* {"enabled", "port"} of the HTTP redirect; port NULL: disabled. */
static json_t *redirect_json(const char *port)
{
	return json_pack("{s:b, s:o}", "enabled", port != NULL,
			 "port", port != NULL ? json_integer(strtol(port, NULL, 10)) : json_null());
}

static int cmd_webbridge3_show(struct mmp_session *ss, int argc, char **argv)
{
	char port[8], redirect[32];
	int set;
	struct show_row rows[] = {
		{ "Enabled", "webbridge3.enabled", NULL },
		{ "HTTPS listen", "webbridge3.https.listen", NULL },
		{ "HTTPS key file", "webbridge3.https.key", NULL },
		{ "HTTPS full chain file", "webbridge3.https.crt", NULL },
		{ "HTTPS names", "webbridge3.https.names", NULL },
		{ "HTTP redirect", NULL, redirect },
		{ "C2W listen", "webbridge3.c2w.listen", NULL },
		{ "C2W key file", "webbridge3.c2w.key", NULL },
		{ "C2W full chain file", "webbridge3.c2w.crt", NULL },
		{ "C2W names", "webbridge3.c2w.names", NULL },
		{ "C2W trust bundle", "webbridge3.c2w.trust", NULL },
		{ "Options", "webbridge3.options", NULL },
		{ NULL, NULL, NULL },
	};

	json_t *d = res_data(ss), *https, *c2w;

	(void)argc;
	(void)argv;
	if ((set = cli_get(ss, "webbridge3.http_redirect", port, sizeof(port))) < 0)
		return 1;
	/* made once nothing can fail before d holds them (a damaged setting
	 * above leaked them: the config fuzzer under LeakSanitizer) */
	https = json_object();
	c2w = json_object();
	snprintf(redirect, sizeof(redirect), set ? "enabled, port %s" : "disabled", port);
	json_object_set_new(d, "https", https);
	json_object_set_new(d, "c2w", c2w);
	json_object_set_new(d, "http_redirect", redirect_json(set ? port : NULL));
	if (cli_data_setting(ss, d, "enabled", "webbridge3.enabled", CLI_DATA_ENABLED) != 0 ||
	    cli_data_setting(ss, https, "listen", "webbridge3.https.listen", CLI_DATA_LIST) != 0 ||
	    cli_data_setting(ss, https, "key", "webbridge3.https.key", CLI_DATA_STR) != 0 ||
	    cli_data_setting(ss, https, "cert", "webbridge3.https.crt", CLI_DATA_STR) != 0 ||
	    cli_data_setting(ss, https, "names", "webbridge3.https.names", CLI_DATA_LIST) != 0 ||
	    cli_data_setting(ss, c2w, "listen", "webbridge3.c2w.listen", CLI_DATA_LIST) != 0 ||
	    cli_data_setting(ss, c2w, "key", "webbridge3.c2w.key", CLI_DATA_STR) != 0 ||
	    cli_data_setting(ss, c2w, "cert", "webbridge3.c2w.crt", CLI_DATA_STR) != 0 ||
	    cli_data_setting(ss, c2w, "names", "webbridge3.c2w.names", CLI_DATA_LIST) != 0 ||
	    cli_data_setting(ss, c2w, "trust", "webbridge3.c2w.trust", CLI_DATA_STR) != 0 ||
	    cli_data_setting(ss, d, "options", "webbridge3.options", CLI_DATA_LIST) != 0)
		return 1;
	return cli_show(ss, rows);
}

/* "a:0443" is port 443: w without the leading zeros of its port, so that
 * words naming one port compare equal. w itself is left as typed. */
static const char *strip_zeros(const char *w, char *buf, size_t size)
{
	char *d;

	if (w[0] == '\0' || w[1] != ':' || strlen(w) >= size)
		return w;
	snprintf(buf, size, "%s", w);
	for (d = buf + 2; d[0] == '0' && d[1] >= '0' && d[1] <= '9';)
		memmove(d, d + 1, strlen(d));
	return buf;
}

static int set_listen(struct mmp_session *ss, int argc, char **argv, int c2w)
{
	struct cli_ports p;
	char *list = c2w ? p.c2w : p.https, bufs[CMD_ARGS_MAX][16];
	char *words[CMD_ARGS_MAX];
	int i;

	if (cli_load_ports(ss, &p) != 0)
		return 1;
	for (i = 0; i < argc && i < CMD_ARGS_MAX; i++)
		words[i] = (char *)strip_zeros(argv[i], bufs[i], sizeof(bufs[i]));
	if (cli_parse_ifaces(ss, i, words, 1, list, c2w ? sizeof(p.c2w) : sizeof(p.https)) != 0 ||
	    cli_check_ports(ss, &p, 1u << (c2w ? CLI_PORT_C2W : CLI_PORT_HTTPS), "Appendix D.1") != 0)
		return 1;
	if (cli_set(ss, c2w ? "webbridge3.c2w.listen" : "webbridge3.https.listen", list) != 0)
		return 1;
	json_object_set_new(res_data(ss), "listen", cli_words_json(list));
	cli_confirm(ss, c2w ? "webbridge3 c2w listen" : "webbridge3 https listen", "%s", list);
	return 0;
}

static int cmd_webbridge3_https_listen(struct mmp_session *ss, int argc, char **argv)
{
	return set_listen(ss, argc, argv, 0);
}

static int cmd_webbridge3_c2w_listen(struct mmp_session *ss, int argc, char **argv)
{
	return set_listen(ss, argc, argv, 1);
}

/* The names set, on a certificate about to be installed (issue 15). */
static void https_names_of(struct mmp_session *ss, const char *crt, struct report *r)
{
	cli_check_names_of(ss, &https_names, "webbridge3.https.names", crt, r);
}

static void c2w_names_of(struct mmp_session *ss, const char *crt, struct report *r)
{
	cli_check_names_of(ss, &c2w_names, "webbridge3.c2w.names", crt, r);
}

static int cmd_webbridge3_https_certs(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	return cli_install_certs_more(ss, &https_rule, https_keys, "webbridge3 https certs", argv[0],
				      argv[1], NULL, https_names_of);
}

static int cmd_webbridge3_https_names(struct mmp_session *ss, int argc, char **argv)
{
	return cli_set_names(ss, &https_names, "webbridge3.https.names", "webbridge3.https.crt", argc,
			     argv);
}

static int cmd_webbridge3_https_names_none(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_set_names_none(ss, &https_names, "webbridge3.https.names");
}

static int cmd_webbridge3_c2w_names(struct mmp_session *ss, int argc, char **argv)
{
	return cli_set_names(ss, &c2w_names, "webbridge3.c2w.names", "webbridge3.c2w.crt", argc, argv);
}

static int cmd_webbridge3_c2w_names_none(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_set_names_none(ss, &c2w_names, "webbridge3.c2w.names");
}

static int cmd_webbridge3_https_certs_none(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_clear_certs(ss, https_keys, "webbridge3 https certs");
}

static int cmd_webbridge3_c2w_certs(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	return cli_install_certs_more(ss, &c2w_rule, c2w_keys, "webbridge3 c2w certs", argv[0], argv[1],
				      NULL, c2w_names_of);
}

static int cmd_webbridge3_c2w_certs_none(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_clear_certs(ss, c2w_keys, "webbridge3 c2w certs");
}

/* Appendix D.1 step 8: the bundle that the Call Bridges' client
 * certificates are verified against. */
static int cmd_webbridge3_c2w_trust(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	return cli_set_trust(ss, "webbridge3 c2w", "webbridge3.c2w.trust", argv[0]);
}

static int cmd_webbridge3_c2w_trust_none(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_set_trust_none(ss, "webbridge3.c2w.trust");
}

/* Appendix D.1 step 3: "enable [port]" (80 by default) or "disable". */
static int cmd_webbridge3_http_redirect(struct mmp_session *ss, int argc, char **argv)
{
	struct cli_ports p;
	long port;

	if (strcmp(argv[0], "disable") == 0 && argc == 1) {
		if (cli_set(ss, "webbridge3.http_redirect", NULL) != 0)
			return 1;
		json_object_set_new(res_data(ss), "http_redirect", redirect_json(NULL));
		cli_confirm(ss, "webbridge3 http-redirect", "disabled");
		return 0;
	}
	if (strcmp(argv[0], "enable") != 0) {
		res_check(ss, REPORT_FAILURE, "shell.usage", NULL, 0,
			  "usage: webbridge3 http-redirect (enable [port]|disable)",
			  "webbridge3 http-redirect takes \"enable [port]\" or \"disable\"");
		return 1;
	}
	if (cli_load_ports(ss, &p) != 0)
		return 1;
	if (cli_parse_port(ss, "the http-redirect port", argc == 2 ? argv[1] : WB3_DEFAULT_REDIRECT,
			   &port) != 0)
		return 1;
	snprintf(p.redirect, sizeof(p.redirect), "%ld", port);
	if (cli_check_ports(ss, &p, 1u << CLI_PORT_REDIRECT, "Appendix D.1") != 0 ||
	    cli_set(ss, "webbridge3.http_redirect", p.redirect) != 0)
		return 1;
	json_object_set_new(res_data(ss), "http_redirect", redirect_json(p.redirect));
	cli_confirm(ss, "webbridge3 http-redirect", "enabled, port %s", p.redirect);
	return 0;
}

/* The length of an option's name ("name" or "name=value"), or 0 when the
 * word is not an option: the guide (Appendix D.1) gives no list of options,
 * so their shape is what is checked: a name of letters, digits, "-", "_"
 * and ".", starting with a letter or digit, then "=" and a value of visible
 * ASCII without quotes, "\\", ";", "`" or "$" (what would break the file
 * the service reads). */
static size_t option_name_len(const char *w)
{
	size_t n = 0;

	while (isalnum((unsigned char)w[n]) || (n > 0 && strchr("-_.", w[n]) != NULL && w[n] != '\0'))
		n++;
	if (n == 0 || n > 64 || (w[n] != '\0' && w[n] != '='))
		return 0;
	if (w[n] == '=') {
		const char *v = w + n + 1;

		if (*v == '\0' || strlen(v) > 256)
			return 0;
		for (; *v != '\0'; v++)
			if (*v <= ' ' || *v > '~' || strchr("\"'\\;`$", *v) != NULL)
				return 0;
	}
	return n;
}

/* The options are kept as given, one space between words: each must have
 * an option's shape, and no name may be given twice. */
static int cmd_webbridge3_options(struct mmp_session *ss, int argc, char **argv)
{
	char opts[CFG_VALUE_MAX + 1];
	size_t o = 0, n, m;
	int i, j;

	for (i = 0; i < argc; i++) {
		if ((n = option_name_len(argv[i])) == 0) {
			char shown[CLI_SHOWN_MAX];

			res_check(ss, REPORT_FAILURE, "option.invalid", NULL, 0,
				  "an option is a name of letters, digits, \"-\", \"_\" and \".\", alone or with =value (visible characters, no quotes, \";\", \"`\" or \"$\"), e.g. webbridge3 options name=value; nothing was changed",
				  "webbridge3 options: \"%s\" is not an option", SHOWN(argv[i]));
			return 1;
		}
		for (j = 0; j < i; j++)
			if ((m = option_name_len(argv[j])) == n && strncmp(argv[i], argv[j], n) == 0) {
				res_check(ss, REPORT_FAILURE, "option.repeated", NULL, 0,
					  "give each option once; nothing was changed",
					  "webbridge3 options: the option %.*s is given twice", (int)n,
					  argv[i]);
				return 1;
			}
	}
	for (i = 0; i < argc; i++)
		o += (size_t)snprintf(opts + o, o < sizeof(opts) ? sizeof(opts) - o : 0, "%s%s",
				      i ? " " : "", argv[i]);
	if (o >= sizeof(opts)) {
		res_check(ss, REPORT_FAILURE, "option.too_long", NULL, 0, "give fewer options",
			  "webbridge3 options: %zu bytes, at most %d", o, CFG_VALUE_MAX);
		return 1;
	}
	if (cli_set(ss, "webbridge3.options", opts) != 0)
		return 1;
	json_object_set_new(res_data(ss), "options", cli_words_json(opts));
	cli_confirm(ss, "webbridge3 options", "%s", opts);
	return 0;
}

static int cmd_webbridge3_options_none(struct mmp_session *ss, int argc, char **argv)
{
	static const char *const keys[] = { "webbridge3.options", NULL };

	(void)argc;
	(void)argv;
	if (cli_clear(ss, keys, "webbridge3 options") != 0)
		return 1;
	json_object_set_new(res_data(ss), "options", json_null());
	return 0;
}

/* One line for a listen setting: SUCCESS with its value, or FAILURE
 * naming the command that sets it. */
static void check_set(struct mmp_session *ss, const char *key, const char *what,
		      const char *set_cmd, const char *code_set, const char *code_unset,
		      struct report *r)
{
	char buf[CFG_VALUE_MAX + 1];

	if (cli_get(ss, key, buf, sizeof(buf)) == 1 && buf[0] != '\0') {
		report_check(r, REPORT_SUCCESS, code_set, NULL, 0, "%s configured: %s", what, buf);
	} else {
		report_check(r, REPORT_FAILURE, code_unset, NULL, 0, "%s not configured", what);
		report_remedy(r, "use %s", set_cmd);
	}
}

/* SPEC §7: the whole configuration of Appendix D.1 steps 4-8, one line
 * per check, and the names set on certificates that passed their checks
 * (issue 15). 0 when complete, 1 after "configuration not complete". */
static int check_config(struct mmp_session *ss, int enable)
{
	char trust[CFG_VALUE_MAX + 1];
	struct report r;
	size_t before;
	int rc;

	report_init(&r);
	check_set(ss, "webbridge3.https.listen", "https listen",
		  "webbridge3 https listen <interface:port allowed list> (guide Appendix D.1 step 4)",
		  "service.listen_set", "service.no_listen", &r);
	before = r.failures;
	cli_recheck_certs(ss, &https_rule, https_keys, HTTPS_CERTS_USAGE " (guide Appendix D.1 step 5)", &r);
	if (r.failures == before) /* one cause, one line */
		cli_check_names(ss, &https_names, "webbridge3.https.names", "webbridge3.https.crt", &r);
	check_set(ss, "webbridge3.c2w.listen", "c2w listen",
		  "webbridge3 c2w listen <interface:port allowed list> (guide Appendix D.1 step 6)",
		  "service.listen_set", "service.no_listen", &r);
	before = r.failures;
	cli_recheck_certs(ss, &c2w_rule, c2w_keys, C2W_CERTS_USAGE " (guide Appendix D.1 step 7)", &r);
	if (r.failures == before)
		cli_check_names(ss, &c2w_names, "webbridge3.c2w.names", "webbridge3.c2w.crt", &r);
	check_set(ss, "webbridge3.c2w.trust", "c2w trust bundle",
		  "webbridge3 c2w trust <crt-bundle> (guide Appendix D.1 step 8)",
		  "service.trust_set", "service.no_trust", &r);
	if (cli_get(ss, "webbridge3.c2w.trust", trust, sizeof(trust)) == 1)
		svc_check_trust(ss->store, "webbridge3 c2w", trust, &r);
	/* issue 14: restart warns when this node's own Call Bridge and C2W
	 * would not complete a handshake (the Call Bridge may be another node's) */
	if (!enable)
		(void)svc_health_pair(ss->store, ss->cfg, SVC_HEALTH_C2W, NULL, 1, 1, &r, NULL);
	rc = enable ? cli_enable(ss, "webbridge3", &r) : cli_finish_enable(ss, "webbridge3", &r);
	report_free(&r);
	return rc;
}

static int cmd_webbridge3_enable(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return check_config(ss, 1);
}

static int cmd_webbridge3_restart(struct mmp_session *ss, int argc, char **argv)
{
	char on[8];

	(void)argc;
	(void)argv;
	if (cli_get(ss, "webbridge3.enabled", on, sizeof(on)) != 1 || strcmp(on, "1") != 0) {
		res_check(ss, REPORT_FAILURE, "service.disabled", NULL, 0,
			  "use webbridge3 enable to check the configuration and start it",
			  "webbridge3 is disabled");
		return 1;
	}
	return check_config(ss, 0);
}

static int cmd_webbridge3_disable(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_disable(ss, "webbridge3");
}

static const struct res_field wb3_redirect_fields[] = {
	{ "enabled", RES_BOOL, 0, NULL, "whether HTTP is redirected to HTTPS" },
	{ "port", RES_INT, RES_NULLABLE, NULL, "the HTTP port redirected, null when disabled" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field wb3_https_fields[] = {
	{ "listen", RES_LIST, RES_NULLABLE, NULL, "the interface:port list HTTPS listens on, null when unset" },
	{ "key", RES_STR, RES_NULLABLE, NULL, "the HTTPS key file, null when unset" },
	{ "cert", RES_STR, RES_NULLABLE, NULL, "the HTTPS full-chain file, null when unset" },
	{ "names", RES_LIST, RES_NULLABLE, NULL,
	  "the names browsers reach Web Bridge 3 by (the join name), null when unset" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field wb3_c2w_fields[] = {
	{ "listen", RES_LIST, RES_NULLABLE, NULL, "the interface:port list C2W listens on, null when unset" },
	{ "key", RES_STR, RES_NULLABLE, NULL, "the C2W key file, null when unset" },
	{ "cert", RES_STR, RES_NULLABLE, NULL, "the C2W full-chain file, null when unset" },
	{ "names", RES_LIST, RES_NULLABLE, NULL,
	  "the hosts of the c2w:// URLs the Call Bridges are given, null when unset" },
	{ "trust", RES_STR, RES_NULLABLE, NULL, "the C2W trust bundle, null when unset" },
	{ NULL, 0, 0, NULL, NULL },
};
/* webbridge3 (and status): every row of the display, as typed fields */
static const struct res_field wb3_show_result[] = {
	{ "enabled", RES_BOOL, 0, NULL, "whether Web Bridge 3 is enabled" },
	{ "https", RES_OBJ, 0, wb3_https_fields, "the HTTPS listener" },
	{ "http_redirect", RES_OBJ, 0, wb3_redirect_fields, "the HTTP redirect" },
	{ "c2w", RES_OBJ, 0, wb3_c2w_fields, "the C2W listener" },
	{ "options", RES_LIST, RES_NULLABLE, NULL, "the options, null when unset" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field wb3_listen_result[] = {
	{ "listen", RES_LIST, 0, NULL, "the interface:port list now set" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field wb3_redirect_result[] = {
	{ "http_redirect", RES_OBJ, 0, wb3_redirect_fields, "the HTTP redirect now set" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field wb3_options_result[] = {
	{ "options", RES_LIST, RES_NULLABLE, NULL, "the options now set, null when removed" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct mmp_cmd cmd_webbridge3_table[] = {
	/* usage lines in the order of the guide's "help webbridge3" (Appendix D.1) */
	{ "webbridge3", "webbridge3", "Show the Web Bridge 3 configuration",
	  0, 0, ROLES_ALL, 0, { 0 }, cmd_webbridge3_show, wb3_show_result },
	{ "webbridge3 restart", "webbridge3 restart", "Check the configuration and restart Web Bridge 3",
	  0, 0, ROLES_CFG, 0, { 0 }, cmd_webbridge3_restart, NULL },
	{ "webbridge3 enable", "webbridge3 enable", "Check the configuration and enable Web Bridge 3 (Appendix D.1 step 9)",
	  0, 0, ROLES_CFG, W_SET, { 0 }, cmd_webbridge3_enable, cli_enabled_result },
	{ "webbridge3 disable", "webbridge3 disable", "Disable Web Bridge 3",
	  0, 0, ROLES_CFG, W_SET, { 0 }, cmd_webbridge3_disable, cli_enabled_result },
	{ "webbridge3 https listen", "webbridge3 https listen <interface:port allowed list>",
	  "Set the interface:port list HTTPS listens on (Appendix D.1 step 4)",
	  1, -1, ROLES_CFG, W_SET, { 0 }, cmd_webbridge3_https_listen, wb3_listen_result },
	{ "webbridge3 https certs", HTTPS_CERTS_USAGE,
	  "Check and install the HTTPS key and full-chain certificate file (Appendix D.1 step 5)",
	  2, 2, ROLES_PKI, W_SET, { COMPLETE_KEY, COMPLETE_CERT }, cmd_webbridge3_https_certs, cli_certs_result },
	{ "webbridge3 https certs none", "webbridge3 https certs none", "Remove the HTTPS certificates",
	  0, 0, ROLES_PKI, W_SET, { 0 }, cmd_webbridge3_https_certs_none, cli_certs_result },
	{ "webbridge3 https names none", "webbridge3 https names none", "Remove the HTTPS names",
	  0, 0, ROLES_CFG, W_SET, { 0 }, cmd_webbridge3_https_names_none, cli_names_result },
	{ "webbridge3 https names", "webbridge3 https names <fqdn-or-ip> [<fqdn-or-ip>...]",
	  "Set the names browsers reach Web Bridge 3 by (the join name), each checked on the HTTPS certificate (guide 3.1.2)",
	  1, -1, ROLES_CFG, W_SET, { 0 }, cmd_webbridge3_https_names, cli_names_result },
	{ "webbridge3 http-redirect", "webbridge3 http-redirect (enable [port]|disable)",
	  "Redirect HTTP on a port (80 by default) to HTTPS, or stop (Appendix D.1 step 3)",
	  1, 2, ROLES_CFG, W_SET, { COMPLETE_WORDS, COMPLETE_NONE, COMPLETE_NONE },
	  cmd_webbridge3_http_redirect, wb3_redirect_result },
	{ "webbridge3 c2w listen", "webbridge3 c2w listen <interface:port allowed list>",
	  "Set the interface:port list the C2W connection listens on (Appendix D.1 step 6)",
	  1, -1, ROLES_CFG, W_SET, { 0 }, cmd_webbridge3_c2w_listen, wb3_listen_result },
	{ "webbridge3 c2w certs", C2W_CERTS_USAGE,
	  "Check and install the C2W key and full-chain certificate file (Appendix D.1 step 7)",
	  2, 2, ROLES_PKI, W_SET, { COMPLETE_KEY, COMPLETE_CERT }, cmd_webbridge3_c2w_certs, cli_certs_result },
	{ "webbridge3 c2w certs none", "webbridge3 c2w certs none", "Remove the C2W certificates",
	  0, 0, ROLES_PKI, W_SET, { 0 }, cmd_webbridge3_c2w_certs_none, cli_certs_result },
	{ "webbridge3 c2w names none", "webbridge3 c2w names none", "Remove the C2W names",
	  0, 0, ROLES_CFG, W_SET, { 0 }, cmd_webbridge3_c2w_names_none, cli_names_result },
	{ "webbridge3 c2w names", "webbridge3 c2w names <fqdn-or-ip> [<fqdn-or-ip>...]",
	  "Set the hosts of the c2w:// URLs the Call Bridges are given, each checked on the C2W certificate (guide 4.5)",
	  1, -1, ROLES_CFG, W_SET, { 0 }, cmd_webbridge3_c2w_names, cli_names_result },
	{ "webbridge3 c2w trust", "webbridge3 c2w trust <crt-bundle>",
	  "Trust bundle for the Call Bridges' C2W client certificates (Appendix D.1 step 8)",
	  1, 1, ROLES_PKI, W_SET, { COMPLETE_CERT }, cmd_webbridge3_c2w_trust, cli_trust_result },
	{ "webbridge3 c2w trust none", "webbridge3 c2w trust none", "Remove the C2W trust bundle",
	  0, 0, ROLES_PKI, W_SET, { 0 }, cmd_webbridge3_c2w_trust_none, cli_trust_result },
	{ "webbridge3 options", "webbridge3 options <space-separated options>", "Set the Web Bridge 3 options",
	  1, -1, ROLES_CFG, W_SET, { 0 }, cmd_webbridge3_options, wb3_options_result },
	{ "webbridge3 options none", "webbridge3 options none", "Remove the Web Bridge 3 options",
	  0, 0, ROLES_CFG, W_SET, { 0 }, cmd_webbridge3_options_none, wb3_options_result },
	{ "webbridge3 status", "webbridge3 status", "Show the Web Bridge 3 configuration and state",
	  0, 0, ROLES_ALL, 0, { 0 }, cmd_webbridge3_show, wb3_show_result },
	{ NULL, NULL, NULL, 0, 0, 0, 0, { 0 }, NULL, NULL },
};
