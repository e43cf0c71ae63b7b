/*
 * cmd_turn.c: the turn family (guide §3.1.5, §4.6; SPEC §7): listen
 * interfaces, the TLS port and its certificates (only while TURN is
 * disabled), credentials (the password is never printed), the public IP,
 * and enable/disable with the checks of SPEC §7.
 */
#include <string.h>

#include "svcutil.h"

/* guide §2.1 Table 2: TURN - TLS Web Server Auth */
static const struct svc_certs_rule turn_rule = {
	"turn", PKI_ROLE_SERVER, 0, 0, NULL,
};
/* key, certificate, bundle: for cli_install_certs() and cli_clear_certs() */
static const char *const turn_keys[3] = { "turn.key", "turn.crt", "turn.bundle" };

static int cmd_turn(struct mmp_session *ss, int argc, char **argv)
{
	static const struct show_row rows[] = {
		{ "Enabled", "turn.enabled", NULL },
		{ "Listening interfaces", "turn.listen", NULL },
		{ "TLS port", "turn.tls", NULL },
		{ "Key file", "turn.key", NULL },
		{ "Certificate file", "turn.crt", NULL },
		{ "CA Bundle file", "turn.bundle", NULL },
		{ "Username", "turn.user", NULL },
		{ "Password", "turn.password", NULL },
		{ "Realm", "turn.realm", NULL },
		{ "Public IP", "turn.public_ip", NULL },
		{ NULL, NULL, NULL },
	};

	(void)argc;
	(void)argv;
	return cli_show(ss, rows);
}

/* 1 when TURN is enabled, 0 when not, -1 (after a FAILURE) on error. */
static int turn_enabled(struct mmp_session *ss)
{
	char buf[8];
	int set = cli_get(ss, "turn.enabled", buf, sizeof(buf));

	if (set < 0)
		return -1;
	return set == 1 && strcmp(buf, "1") == 0;
}

/* guide §4.6 step 2: the certificates change only while TURN is disabled. */
static int require_disabled(struct mmp_session *ss)
{
	int on = turn_enabled(ss);

	if (on == 1)
		fprintf(ss->out, "FAILURE: turn is enabled: run turn disable first (guide section 4.6)\n");
	return on != 0;
}

static int cmd_turn_certs(struct mmp_session *ss, int argc, char **argv)
{
	if (require_disabled(ss))
		return 1;
	return cli_install_certs(ss, &turn_rule, turn_keys, argv[0], argv[1],
				 argc > 2 ? argv[2] : NULL);
}

static int cmd_turn_certs_none(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (require_disabled(ss))
		return 1;
	return cli_clear_certs(ss, turn_keys, "turn certificates");
}

static int cmd_turn_listen(struct mmp_session *ss, int argc, char **argv)
{
	char list[64];

	if (cli_parse_ifaces(ss, argc, argv, 0, list, sizeof(list)) != 0)
		return 1;
	return cli_set(ss, "turn.listen", list) != 0;
}

static int cmd_turn_tls(struct mmp_session *ss, int argc, char **argv)
{
	char buf[16];
	long port;

	(void)argc;
	if (cli_parse_port(ss, "the TURN TLS port", argv[0], &port) != 0)
		return 1;
	snprintf(buf, sizeof(buf), "%ld", port);
	return cli_set(ss, "turn.tls", buf) != 0;
}

/* The password is a secret (SPEC §3, §8): stored, never printed, *** in the
 * audit log (COMPLETE_SECRET in the table). */
static int cmd_turn_credentials(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	if (argv[0][0] == '\0' || argv[1][0] == '\0' || argv[2][0] == '\0') {
		fprintf(ss->out, "FAILURE: turn credentials: the username, password and realm must not be empty\n");
		return 1;
	}
	if (cli_set(ss, "turn.user", argv[0]) != 0 || cli_set(ss, "turn.password", argv[1]) != 0 ||
	    cli_set(ss, "turn.realm", argv[2]) != 0)
		return 1;
	fprintf(ss->out, "turn credentials set for user %s, realm %s\n", argv[0], argv[2]);
	return 0;
}

static int cmd_turn_public_ip(struct mmp_session *ss, int argc, char **argv)
{
	char shown[CLI_SHOWN_MAX];
	(void)argc;
	if (!cli_is_ip(argv[0])) {
		fprintf(ss->out, "FAILURE: \"%s\" is not an IP address: write it like 192.0.2.10 or 2001:db8::10\n",
			SHOWN(argv[0]));
		return 1;
	}
	return cli_set(ss, "turn.public_ip", argv[0]) != 0;
}

/* SPEC §7: a listen interface; with a TLS port, certificates that pass the
 * checks of turn certs. */
static int cmd_turn_enable(struct mmp_session *ss, int argc, char **argv)
{
	struct report r;
	char buf[64];
	int rc;

	(void)argc;
	(void)argv;
	report_init(&r);
	if (cli_get(ss, "turn.listen", buf, sizeof(buf)) == 1)
		report_add(&r, REPORT_SUCCESS, "listen interface configured");
	else
		report_add(&r, REPORT_FAILURE, "no listen interface: use turn listen <interface allowed list>");
	if (cli_get(ss, "turn.tls", buf, sizeof(buf)) == 1)
		cli_recheck_certs(ss, &turn_rule, turn_keys,
				  "turn certs <key-file> <crt-file> [<cert-bundle>]", &r);
	rc = cli_finish_enable(ss, "turn", &r);
	report_free(&r);
	if (rc == 0 && cli_set(ss, "turn.enabled", "1") != 0)
		rc = 1;
	return rc;
}

static int cmd_turn_disable(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_disable(ss, "turn");
}

const struct mmp_cmd cmd_turn_table[] = {
	{ "turn", "turn", "Show the TURN server configuration",
	  0, 0, ROLES_ALL, 0, { 0 }, cmd_turn },
	{ "turn enable", "turn enable", "Check the configuration and enable the TURN server",
	  0, 0, ROLES_CFG, W_SET, { 0 }, cmd_turn_enable },
	{ "turn disable", "turn disable", "Disable the TURN server (before changing its certificates)",
	  0, 0, ROLES_CFG, W_SET, { 0 }, cmd_turn_disable },
	{ "turn certs", "turn certs <key-file> <crt-file> [<cert-bundle>]",
	  "Check and install the TURN key, certificate and CA bundle, while disabled (guide 4.6)",
	  2, 3, ROLES_PKI, W_SET, { COMPLETE_KEY, COMPLETE_CERT, COMPLETE_CERT }, cmd_turn_certs },
	{ "turn certs none", "turn certs none", "Remove the TURN certificates, while disabled",
	  0, 0, ROLES_PKI, W_SET, { 0 }, cmd_turn_certs_none },
	{ "turn listen", "turn listen <interface allowed list>",
	  "Set the interfaces (a-d) the TURN server listens on",
	  1, 4, ROLES_CFG, W_SET, { COMPLETE_IFACE, COMPLETE_IFACE, COMPLETE_IFACE }, cmd_turn_listen },
	{ "turn tls", "turn tls <port>", "Set the port of TURN over TLS",
	  1, 1, ROLES_CFG, W_SET, { 0 }, cmd_turn_tls },
	{ "turn credentials", "turn credentials <username> <password> <realm>",
	  "Set the TURN username, password (never shown) and realm",
	  3, 3, ROLES_CFG, W_SET, { COMPLETE_NONE, COMPLETE_SECRET, COMPLETE_NONE },
	  cmd_turn_credentials },
	{ "turn public-ip", "turn public-ip <ip address>", "Set the public IP address of the TURN server",
	  1, 1, ROLES_CFG, W_SET, { 0 }, cmd_turn_public_ip },
	{ NULL, NULL, NULL, 0, 0, 0, 0, { 0 }, NULL },
};
