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

	(void)argc;
	(void)argv;
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
	fprintf(ss->out, "SUCCESS: meetingapps https listens on %s\n", p.meetingapps);
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
		fprintf(ss->out,
			"FAILURE: meetingapps is enabled: %s (guide section 4.7)\n",
			cli_remedy_cmd(ss, "meetingapps disable", fix, sizeof(fix)));
		return 1;
	}
	return 0;
}

static int cmd_meetingapps_https_certs(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	if (require_disabled(ss) != 0)
		return 1;
	return cli_install_certs(ss, &ma_rule, ma_keys, argv[0], argv[1], NULL);
}

static int cmd_meetingapps_https_certs_none(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (require_disabled(ss) != 0)
		return 1;
	return cli_clear_certs(ss, ma_keys, "meetingapps certificates");
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
		report_add(&r, REPORT_SUCCESS, "https listen configured: %s", listen);
	else
		report_add(&r, REPORT_FAILURE,
			   "https listen not configured: use meetingapps https listen <interface> <port> (guide section 4.7)");
	cli_recheck_certs(ss, &ma_rule, ma_keys, MA_CERTS_USAGE " (guide section 4.7 step 3)", &r);
	rc = cli_finish_enable(ss, "meetingapps", &r);
	report_free(&r);
	if (rc != 0)
		return 1;
	return cli_set(ss, "meetingapps.enabled", "1") != 0;
}

static int cmd_meetingapps_disable(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_disable(ss, "meetingapps");
}

const struct mmp_cmd cmd_meetingapps_table[] = {
	/* the commands of guide §4.7 */
	{ "meetingapps", "meetingapps", "Show the MeetingApps configuration",
	  0, 0, ROLES_ALL, 0, { 0 }, cmd_meetingapps_show, NULL },
	{ "meetingapps enable", "meetingapps enable", "Check the configuration and enable MeetingApps (guide 4.7)",
	  0, 0, ROLES_CFG, W_SET, { 0 }, cmd_meetingapps_enable, NULL },
	{ "meetingapps disable", "meetingapps disable", "Disable MeetingApps (before changing its certificates)",
	  0, 0, ROLES_CFG, W_SET, { 0 }, cmd_meetingapps_disable, NULL },
	{ "meetingapps https listen", "meetingapps https listen <interface> <port>",
	  "Set the interface (a-d) and port MeetingApps listens on",
	  2, 2, ROLES_CFG, W_SET, { COMPLETE_IFACE }, cmd_meetingapps_https_listen, NULL },
	{ "meetingapps https certs", MA_CERTS_USAGE,
	  "Check and install the MeetingApps key and full-chain certificate file, while disabled (guide 4.7)",
	  2, 2, ROLES_PKI, W_SET, { COMPLETE_KEY, COMPLETE_CERT }, cmd_meetingapps_https_certs, NULL },
	{ "meetingapps https certs none", "meetingapps https certs none",
	  "Remove the MeetingApps certificates, while disabled",
	  0, 0, ROLES_PKI, W_SET, { 0 }, cmd_meetingapps_https_certs_none, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, 0, { 0 }, NULL, NULL },
};
