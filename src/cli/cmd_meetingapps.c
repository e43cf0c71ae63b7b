/*
 * cmd_meetingapps.c: the meetingapps family (guide §4.7; SPEC §7): the
 * HTTPS interface and port, the full-chain certificate that may change
 * only while MeetingApps is disabled, and enable with one line per check.
 */
#include <string.h>

#include "svcutil.h"

/* guide §4.7 step 3: TLS server, "<crt-fullchain-file>" */
static const struct svc_certs_rule ma_rule = {
	"meetingapps", PKI_ROLE_SERVER, 0, 1, NULL,
};
/* key, full chain, no separate bundle: for cli_install_certs() and cli_clear_certs() */
static const char *const ma_keys[3] = { "meetingapps.https.key", "meetingapps.https.crt", NULL };

#define MA_CERTS_USAGE "meetingapps https certs <key-file> <crt-fullchain-file>"

static int cmd_meetingapps_show(struct mmp_session *ss, int argc, char **argv)
{
	static const struct show_row rows[] = {
		{ "Enabled", "meetingapps.enabled", NULL },
		{ "HTTPS listen", "meetingapps.https.listen", NULL },
		{ "HTTPS key file", "meetingapps.https.key", NULL },
		{ "HTTPS full chain file", "meetingapps.https.crt", NULL },
		{ NULL, NULL, NULL },
	};

	json_t *d = res_data(ss), *https = json_object();

	(void)argc;
	(void)argv;
	json_object_set_new(d, "https", https);
	if (cli_data_setting(ss, d, "enabled", "meetingapps.enabled", CLI_DATA_ENABLED) != 0 ||
	    cli_data_setting(ss, https, "listen", "meetingapps.https.listen", CLI_DATA_STR) != 0 ||
	    cli_data_setting(ss, https, "key", "meetingapps.https.key", CLI_DATA_STR) != 0 ||
	    cli_data_setting(ss, https, "cert", "meetingapps.https.crt", CLI_DATA_STR) != 0)
		return 1;
	return cli_show(ss, rows);
}

/* guide §4.7: "configure the interface and the port ... before assigning
 * the certificates"; kept as "if:port" like the webbridge3 lists. */
static int cmd_meetingapps_https_listen(struct mmp_session *ss, int argc, char **argv)
{
	char iface[8];
	struct cli_ports p;
	long port;

	(void)argc;
	if (cli_parse_ifaces(ss, 1, argv, 0, iface, sizeof(iface)) != 0 ||
	    cli_parse_port(ss, "the meetingapps port", argv[1], &port) != 0)
		return 1;
	if (cli_load_ports(ss, &p) != 0)
		return 1;
	snprintf(p.meetingapps, sizeof(p.meetingapps), "%s:%ld", iface, port);
	if (cli_check_ports(ss, &p, 1u << CLI_PORT_MEETINGAPPS, "section 4.7") != 0)
		return 1;
	if (cli_set(ss, "meetingapps.https.listen", p.meetingapps) != 0)
		return 1;
	json_object_set_new(res_data(ss), "listen", json_string(p.meetingapps));
	cli_confirm(ss, "meetingapps https listen", "%s", p.meetingapps);
	return 0;
}

/* guide §4.7 step 2: "Disable MeetingApps before assigning the
 * certificate". 0 when disabled, 1 after a FAILURE. */
static int require_disabled(struct mmp_session *ss)
{
	char on[8], fix[CLI_REMEDY_MAX];
	int set = cli_get(ss, "meetingapps.enabled", on, sizeof(on));

	if (set < 0)
		return 1;
	if (set == 1 && strcmp(on, "1") == 0) {
		char remedy[CLI_REMEDY_MAX + 32];

		snprintf(remedy, sizeof(remedy), "%s (guide section 4.7)",
			 cli_remedy_cmd(ss, "meetingapps disable", fix, sizeof(fix)));
		res_check(ss, REPORT_FAILURE, "service.enabled_first", NULL, 0, remedy,
			  "meetingapps is enabled");
		return 1;
	}
	return 0;
}

static int cmd_meetingapps_https_certs(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	if (require_disabled(ss) != 0)
		return 1;
	return cli_install_certs(ss, &ma_rule, ma_keys, "meetingapps https certs", argv[0], argv[1], NULL);
}

static int cmd_meetingapps_https_certs_none(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (require_disabled(ss) != 0)
		return 1;
	return cli_clear_certs(ss, ma_keys, "meetingapps https certs");
}

/* guide §4.7 step 4 and SPEC §7: the interface and port, then the
 * certificates re-checked, one line each. */
static int cmd_meetingapps_enable(struct mmp_session *ss, int argc, char **argv)
{
	char listen[CFG_VALUE_MAX + 1];
	struct report r;
	int rc;

	(void)argc;
	(void)argv;
	report_init(&r);
	if (cli_get(ss, "meetingapps.https.listen", listen, sizeof(listen)) == 1)
		report_check(&r, REPORT_SUCCESS, "service.listen_set", NULL, 0,
			     "https listen configured: %s", listen);
	else {
		report_check(&r, REPORT_FAILURE, "service.no_listen", NULL, 0,
			     "https listen not configured");
		report_remedy(&r, "use meetingapps https listen <interface> <port> (guide section 4.7)");
	}
	cli_recheck_certs(ss, &ma_rule, ma_keys, MA_CERTS_USAGE " (guide section 4.7 step 3)", &r);
	rc = cli_enable(ss, "meetingapps", &r);
	report_free(&r);
	return rc;
}

static int cmd_meetingapps_disable(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_disable(ss, "meetingapps");
}

static const struct res_field ma_https_fields[] = {
	{ "listen", RES_STR, RES_NULLABLE, NULL, "the interface:port MeetingApps listens on, null when unset" },
	{ "key", RES_STR, RES_NULLABLE, NULL, "the HTTPS key file, null when unset" },
	{ "cert", RES_STR, RES_NULLABLE, NULL, "the HTTPS full-chain file, null when unset" },
	{ NULL, 0, 0, NULL, NULL },
};
/* meetingapps: every row of the display, as typed fields */
static const struct res_field ma_show_result[] = {
	{ "enabled", RES_BOOL, 0, NULL, "whether MeetingApps is enabled" },
	{ "https", RES_OBJ, 0, ma_https_fields, "the HTTPS listener" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field ma_listen_result[] = {
	{ "listen", RES_STR, 0, NULL, "the interface:port now set" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct mmp_cmd cmd_meetingapps_table[] = {
	/* the commands of guide §4.7 */
	{ "meetingapps", "meetingapps", "Show the MeetingApps configuration",
	  0, 0, ROLES_ALL, 0, { 0 }, cmd_meetingapps_show, ma_show_result },
	{ "meetingapps enable", "meetingapps enable", "Check the configuration and enable MeetingApps (guide 4.7)",
	  0, 0, ROLES_CFG, W_SET, { 0 }, cmd_meetingapps_enable, cli_enabled_result },
	{ "meetingapps disable", "meetingapps disable", "Disable MeetingApps (before changing its certificates)",
	  0, 0, ROLES_CFG, W_SET, { 0 }, cmd_meetingapps_disable, cli_enabled_result },
	{ "meetingapps https listen", "meetingapps https listen <interface> <port>",
	  "Set the interface (a-d) and port MeetingApps listens on",
	  2, 2, ROLES_CFG, W_SET, { COMPLETE_IFACE }, cmd_meetingapps_https_listen, ma_listen_result },
	{ "meetingapps https certs", MA_CERTS_USAGE,
	  "Check and install the MeetingApps key and full-chain certificate file, while disabled (guide 4.7)",
	  2, 2, ROLES_PKI, W_SET, { COMPLETE_KEY, COMPLETE_CERT }, cmd_meetingapps_https_certs, cli_certs_result },
	{ "meetingapps https certs none", "meetingapps https certs none",
	  "Remove the MeetingApps certificates, while disabled",
	  0, 0, ROLES_PKI, W_SET, { 0 }, cmd_meetingapps_https_certs_none, cli_certs_result },
	{ NULL, NULL, NULL, 0, 0, 0, 0, { 0 }, NULL, NULL },
};
