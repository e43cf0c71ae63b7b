/*
 * cmd_turn.c: the turn family (guide §3.1.5, §4.6; SPEC §7): listen
 * interfaces, the TLS port and its certificates (only while TURN is
 * disabled), credentials (only the RFC 8489 long-term key of the password
 * is kept, and nothing of it is printed), the public IP, and
 * enable/disable with the checks of SPEC §7.
 */
#include <string.h>

#include "svcutil.h"

/* guide §2.1 Table 2: TURN - TLS Web Server Auth */
static const struct svc_certs_rule turn_rule = {
	"turn", PKI_ROLE_SERVER, 0, 0, NULL,
};
/* key, certificate, bundle: for cli_install_certs() and cli_clear_certs() */
static const char *const turn_keys[3] = { "turn.key", "turn.crt", "turn.bundle" };
/* guide §3.1.5, §4.6: browsers check the TURN certificate against the
 * name they reach the TURN server by (issue 15) */
static const struct svc_names_use turn_names = {
	.setting = "turn names",
	.certs_cmd = "turn certs",
	.refuses = "browsers that reach the TURN server by that name (turn names) refuse its TLS connection (guide sections 3.1.5, 4.6)",
	.miss = REPORT_FAILURE,
	.code = "name.mismatch",
	.keep_names = 0,
};

/* Is a secret setting set? Its value is read into a buffer that is wiped
 * at once. 1, 0, or -1 after a FAILURE. */
static int secret_is_set(struct mmp_session *ss, const char *key)
{
	char buf[CFG_VALUE_MAX + 1];
	int set = cli_get(ss, key, buf, sizeof(buf));

	explicit_bzero(buf, sizeof(buf));
	return set;
}

/* The password is never shown, nor its key: only whether one is set. An
 * mmp.db from before issue 10 may still hold turn.password in clear. */
static int cmd_turn(struct mmp_session *ss, int argc, char **argv)
{
	int key = secret_is_set(ss, "turn.key_md5"), clear = secret_is_set(ss, "turn.password");
	char fix[CLI_REMEDY_MAX];
	const struct show_row rows[] = {
		{ "Enabled", "turn.enabled", NULL },
		{ "Listening interfaces", "turn.listen", NULL },
		{ "TLS port", "turn.tls", NULL },
		{ "Key file", "turn.key", NULL },
		{ "Certificate file", "turn.crt", NULL },
		{ "CA Bundle file", "turn.bundle", NULL },
		{ "Names", "turn.names", NULL },
		{ "Username", "turn.user", NULL },
		{ "Password", NULL, key == 1 || clear == 1 ? "(set)" : "(not set)" },
		{ "Realm", "turn.realm", NULL },
		{ "Public IP", "turn.public_ip", NULL },
		{ NULL, NULL, NULL },
	};

	json_t *d = res_data(ss), *certs;
	char remedy[CLI_REMEDY_MAX + 96];

	(void)argc;
	(void)argv;
	if (key < 0 || clear < 0)
		return 1;
	/* made once d holds it: a damaged setting above leaked it (the config
	 * fuzzer under LeakSanitizer) */
	json_object_set_new(d, "certs", certs = json_object());
	json_object_set_new(d, "password", json_string(key == 1 || clear == 1 ? "(set)" : "(not set)"));
	if (cli_data_setting(ss, d, "enabled", "turn.enabled", CLI_DATA_ENABLED) != 0 ||
	    cli_data_setting(ss, d, "listen", "turn.listen", CLI_DATA_LIST) != 0 ||
	    cli_data_setting(ss, d, "tls", "turn.tls", CLI_DATA_INT) != 0 ||
	    cli_data_setting(ss, certs, "key", "turn.key", CLI_DATA_STR) != 0 ||
	    cli_data_setting(ss, certs, "cert", "turn.crt", CLI_DATA_STR) != 0 ||
	    cli_data_setting(ss, certs, "bundle", "turn.bundle", CLI_DATA_STR) != 0 ||
	    cli_data_setting(ss, d, "names", "turn.names", CLI_DATA_LIST) != 0 ||
	    cli_data_setting(ss, d, "username", "turn.user", CLI_DATA_STR) != 0 ||
	    cli_data_setting(ss, d, "realm", "turn.realm", CLI_DATA_STR) != 0 ||
	    cli_data_setting(ss, d, "public_ip", "turn.public_ip", CLI_DATA_STR) != 0 ||
	    cli_show(ss, rows) != 0)
		return 1;
	if (clear == 1) {
		snprintf(remedy, sizeof(remedy), "%s (RFC 8489 section 9.2.2); that removes the clear password",
			 cli_remedy(ss, "run", "turn credentials <username> <realm>",
				    " again to keep only its key", fix, sizeof(fix)));
		res_check(ss, REPORT_WARNING, "turn.password_in_clear", NULL, 0, remedy,
			  "the TURN password is stored in clear in mmp.db by an older mmp");
	}
	return 0;
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
	char fix[CLI_REMEDY_MAX];
	int on = turn_enabled(ss);

	if (on == 1) {
		char remedy[CLI_REMEDY_MAX + 32];

		snprintf(remedy, sizeof(remedy), "%s (guide section 4.6)",
			 cli_remedy_cmd(ss, "turn disable", fix, sizeof(fix)));
		res_check(ss, REPORT_FAILURE, "service.enabled_first", NULL, 0, remedy,
			  "turn is enabled");
	}
	return on != 0;
}

/* The names set, on a certificate about to be installed (issue 15). */
static void turn_names_of(struct mmp_session *ss, const char *crt, struct report *r)
{
	cli_check_names_of(ss, &turn_names, "turn.names", crt, r);
}

static int cmd_turn_certs(struct mmp_session *ss, int argc, char **argv)
{
	if (require_disabled(ss))
		return 1;
	return cli_install_certs_more(ss, &turn_rule, turn_keys, "turn certs", argv[0], argv[1],
				      argc > 2 ? argv[2] : NULL, turn_names_of);
}

/* The names change while TURN runs: they are what browsers type, not
 * what the server serves; each is checked on the certificate set. */
static int cmd_turn_names(struct mmp_session *ss, int argc, char **argv)
{
	return cli_set_names(ss, &turn_names, "turn.names", "turn.crt", argc, argv);
}

static int cmd_turn_names_none(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_set_names_none(ss, &turn_names, "turn.names");
}

static int cmd_turn_certs_none(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (require_disabled(ss))
		return 1;
	return cli_clear_certs(ss, turn_keys, "turn certs");
}

/* SPEC §7 checks of enable, into r: a listen interface; with a TLS port,
 * certificates that pass the checks of turn certs and hold the names set
 * (issue 15). */
static void turn_checks(struct mmp_session *ss, struct report *r)
{
	char buf[CFG_VALUE_MAX + 1];
	size_t before;

	if (cli_get(ss, "turn.listen", buf, sizeof(buf)) == 1)
		report_check(r, REPORT_SUCCESS, "service.listen_set", NULL, 0,
			     "listen interface configured");
	else {
		report_check(r, REPORT_FAILURE, "service.no_listen", NULL, 0, "no listen interface");
		report_remedy(r, "use turn listen <interface allowed list>");
	}
	if (cli_get(ss, "turn.tls", buf, sizeof(buf)) == 1) {
		before = r->failures;
		cli_recheck_certs(ss, &turn_rule, turn_keys,
				  "turn certs <key-file> <crt-file> [<cert-bundle>]", r);
		if (r->failures == before) /* one cause, one line */
			cli_check_names(ss, &turn_names, "turn.names", "turn.crt", r);
	}
}

/* A setting changed while TURN is enabled (already written in this
 * command's settings change) is checked as enable checks it: TURN runs
 * with it. 0 when TURN is disabled or the checks pass (their lines
 * printed), 1 after a FAILURE that says nothing was changed (the
 * dispatcher rolls the change back). */
static int recheck_if_enabled(struct mmp_session *ss, const char *what)
{
	struct report r;
	char fix[CLI_REMEDY_MAX];
	int on = turn_enabled(ss), rc = 0;

	if (on <= 0)
		return on < 0;
	report_init(&r);
	turn_checks(ss, &r);
	cmd_print_report(ss, &r);
	if (r.failures > 0) {
		char remedy[CLI_REMEDY_MAX + 96];

		snprintf(remedy, sizeof(remedy),
			 "%s, then set it and enable turn again (guide section 4.6); nothing was changed",
			 cli_remedy_cmd(ss, "turn disable", fix, sizeof(fix)));
		res_check(ss, REPORT_FAILURE, "turn.would_not_run", NULL, 0, remedy,
			  "turn is enabled and would not run with this %s", what);
		rc = 1;
	}
	report_free(&r);
	return rc;
}

static int cmd_turn_listen(struct mmp_session *ss, int argc, char **argv)
{
	struct cli_ports p;

	if (cli_load_ports(ss, &p) != 0 ||
	    cli_parse_ifaces(ss, argc, argv, 0, p.turn_listen, sizeof(p.turn_listen)) != 0 ||
	    cli_check_ports(ss, &p, 1u << CLI_PORT_TURN_TLS, "section 4.6") != 0 ||
	    cli_set(ss, "turn.listen", p.turn_listen) != 0 ||
	    recheck_if_enabled(ss, "listen list") != 0)
		return 1;
	json_object_set_new(res_data(ss), "listen", cli_words_json(p.turn_listen));
	cli_confirm(ss, "turn listen", "%s", p.turn_listen);
	return 0;
}

/* The TLS port opens on every TURN listen interface: it may not be a port
 * another listener already opens there (guide §4.6, Appendix D.1). */
static int cmd_turn_tls(struct mmp_session *ss, int argc, char **argv)
{
	struct cli_ports p;
	long port;

	(void)argc;
	if (cli_parse_port(ss, "the TURN TLS port", argv[0], &port) != 0 ||
	    cli_load_ports(ss, &p) != 0)
		return 1;
	snprintf(p.turn_tls, sizeof(p.turn_tls), "%ld", port);
	if (cli_check_ports(ss, &p, 1u << CLI_PORT_TURN_TLS, "section 4.6") != 0 ||
	    cli_set(ss, "turn.tls", p.turn_tls) != 0 || recheck_if_enabled(ss, "TLS port") != 0)
		return 1;
	json_object_set_new(res_data(ss), "tls", json_integer(port));
	cli_confirm(ss, "turn tls", "%s", p.turn_tls);
	return 0;
}

/* The clear password of an older mmp is gone from mmp.db: its row was
 * overwritten (cfg_unset_secret); now the change is committed and the WAL
 * emptied into mmp.db, so no older copy of the page stays in either file.
 * The dispatcher's change begins again after it. 0, or 1 after a FAILURE. */
static int scrub_clear_password(struct mmp_session *ss)
{
	struct mmp_err err;
	int in_tx = cfg_in_transaction(ss->cfg);

	mmp_err_clear(&err);
	if (in_tx && cfg_commit(ss->cfg, &err) != MMP_OK) {
		cmd_print_err(ss, &err);
		return 1;
	}
	res_check(ss, REPORT_SUCCESS, "turn.password_in_clear_removed", NULL, 0, NULL,
		  "the TURN password an older mmp stored in clear is removed from mmp.db");
	if (cfg_scrub(ss->cfg, &err) != MMP_OK)
		res_check(ss, REPORT_WARNING, "store.scrub_incomplete", NULL, 0,
			  "a copy of the old page may stay in mmp.db until a later change", "%s",
			  err.msg);
	mmp_err_clear(&err);
	if (in_tx && cfg_begin(ss->cfg, &err) != MMP_OK) {
		cmd_print_err(ss, &err);
		return 1;
	}
	return 0;
}

/* Keep the user, the realm and the RFC 8489 9.2.2 key, never the password
 * (issue 10 item 8), and remove a clear password an older mmp kept. The
 * caller wipes password. 0, or 1 after a FAILURE. */
static int store_credentials(struct mmp_session *ss, const char *user, const char *realm,
			     const char *password)
{
	struct mmp_err err;
	char key[PKI_TURN_KEY_HEX];
	int clear = secret_is_set(ss, "turn.password"), rc = 1;

	mmp_err_clear(&err);
	if (clear < 0)
		return 1;
	if (pki_turn_long_term_key(user, realm, password, key, &err) != MMP_OK) {
		cmd_print_err(ss, &err);
		return 1;
	}
	if (cli_set(ss, "turn.user", user) == 0 && cli_set(ss, "turn.key_md5", key) == 0 &&
	    cli_set(ss, "turn.realm", realm) == 0)
		rc = 0;
	explicit_bzero(key, sizeof(key));
	if (rc == 0 && clear == 1 && cfg_unset_secret(ss->cfg, "turn.password", &err) != MMP_OK) {
		cmd_print_err(ss, &err);
		rc = 1;
	}
	if (rc != 0)
		return 1;
	json_object_set_new(res_data(ss), "username", report_str(user));
	json_object_set_new(res_data(ss), "realm", report_str(realm));
	cli_confirm(ss, "turn credentials", "user %s, realm %s", user, realm);
	return clear == 1 ? scrub_clear_password(ss) : 0;
}

static int empty_names(struct mmp_session *ss, const char *user, const char *realm)
{
	if (user[0] != '\0' && realm[0] != '\0')
		return 0;
	res_check(ss, REPORT_FAILURE, "turn.credentials_empty", NULL, 0, "nothing was changed",
		  "turn credentials: the username and the realm must not be empty");
	return 1;
}

/* turn credentials <username> <realm>: the password is asked twice without
 * echo (in script mode: the next two lines, CMD_ASKS(2)), so it is never on
 * a command line, in the history or in the audit log. */
static int cmd_turn_credentials_ask(struct mmp_session *ss, int argc, char **argv)
{
	char pw[256], prompt[96], shown[CLI_SHOWN_MAX];
	int rc;

	(void)argc;
	if (empty_names(ss, argv[0], argv[1]))
		return 1;
	snprintf(prompt, sizeof(prompt), "TURN password for %.64s: ", SHOWN(argv[0]));
	if (cli_ask_new_password(ss, prompt, "Retype the TURN password: ", 1, pw, sizeof(pw)) != 0)
		return 1;
	rc = store_credentials(ss, argv[0], argv[1], pw);
	explicit_bzero(pw, sizeof(pw));
	return rc;
}

/* turn credentials <username> <password> <realm>, for scripts: the password
 * is COMPLETE_SECRET in the table (*** in the audit log, kept out of the
 * REPL's history). */
static int cmd_turn_credentials(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	if (empty_names(ss, argv[0], argv[2]))
		return 1;
	if (argv[1][0] == '\0') {
		res_check(ss, REPORT_FAILURE, "password.empty", NULL, 0, "nothing was changed",
			  "turn credentials: the password must not be empty");
		return 1;
	}
	return store_credentials(ss, argv[0], argv[2], argv[1]);
}

static int cmd_turn_public_ip(struct mmp_session *ss, int argc, char **argv)
{
	char shown[CLI_SHOWN_MAX];
	(void)argc;
	if (!cli_is_ip(argv[0])) {
		res_check(ss, REPORT_FAILURE, "address.invalid", NULL, 0,
			  "write it like 192.0.2.10 or 2001:db8::10", "\"%s\" is not an IP address",
			  SHOWN(argv[0]));
		return 1;
	}
	if (cli_set(ss, "turn.public_ip", argv[0]) != 0)
		return 1;
	json_object_set_new(res_data(ss), "public_ip", report_str(argv[0]));
	cli_confirm(ss, "turn public-ip", "%s", argv[0]);
	return 0;
}

/* SPEC §7: a listen interface; with a TLS port, certificates that pass the
 * checks of turn certs. */
static int cmd_turn_enable(struct mmp_session *ss, int argc, char **argv)
{
	struct report r;
	int rc;

	(void)argc;
	(void)argv;
	report_init(&r);
	turn_checks(ss, &r);
	rc = cli_enable(ss, "turn", &r);
	report_free(&r);
	return rc;
}

static int cmd_turn_disable(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_disable(ss, "turn");
}

/* turn: every row of the display, as typed fields; the password only as
 * the display says it */
static const struct res_field turn_show_result[] = {
	{ "enabled", RES_BOOL, 0, NULL, "whether the TURN server is enabled" },
	{ "listen", RES_LIST, RES_NULLABLE, NULL, "the listening interfaces (a-d), null when unset" },
	{ "tls", RES_INT, RES_NULLABLE, NULL, "the TURN over TLS port, null when unset" },
	{ "certs", RES_OBJ, 0, cli_certs_fields, "the key, certificate and CA bundle files" },
	{ "names", RES_LIST, RES_NULLABLE, NULL, "the names browsers reach the TURN server by, null when unset" },
	{ "username", RES_STR, RES_NULLABLE, NULL, "the TURN username, null when unset" },
	{ "password", RES_STR, 0, NULL, "\"(set)\" or \"(not set)\": the password is never shown" },
	{ "realm", RES_STR, RES_NULLABLE, NULL, "the TURN realm, null when unset" },
	{ "public_ip", RES_STR, RES_NULLABLE, NULL, "the public IP address, null when unset" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field turn_listen_result[] = {
	{ "listen", RES_LIST, 0, NULL, "the interfaces the TURN server now listens on" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field turn_tls_result[] = {
	{ "tls", RES_INT, 0, NULL, "the TURN over TLS port now set" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field turn_credentials_result[] = {
	{ "username", RES_STR, 0, NULL, "the TURN username now set" },
	{ "realm", RES_STR, 0, NULL, "the TURN realm now set" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field turn_public_ip_result[] = {
	{ "public_ip", RES_STR, 0, NULL, "the public IP address now set" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct mmp_cmd cmd_turn_table[] = {
	{ "turn", "turn", "Show the TURN server configuration",
	  0, 0, ROLES_ALL, 0, { 0 }, cmd_turn, turn_show_result },
	{ "turn enable", "turn enable", "Check the configuration and enable the TURN server",
	  0, 0, ROLES_CFG, W_SET, { 0 }, cmd_turn_enable, cli_enabled_result },
	{ "turn disable", "turn disable", "Disable the TURN server (before changing its certificates)",
	  0, 0, ROLES_CFG, W_SET, { 0 }, cmd_turn_disable, cli_enabled_result },
	{ "turn certs", "turn certs <key-file> <crt-file> [<cert-bundle>]",
	  "Check and install the TURN key, certificate and CA bundle, while disabled (guide 4.6)",
	  2, 3, ROLES_PKI, W_SET, { COMPLETE_KEY, COMPLETE_CERT, COMPLETE_CERT }, cmd_turn_certs, cli_certs_result },
	{ "turn certs none", "turn certs none", "Remove the TURN certificates, while disabled",
	  0, 0, ROLES_PKI, W_SET, { 0 }, cmd_turn_certs_none, cli_certs_result },
	{ "turn listen", "turn listen <interface allowed list>",
	  "Set the interfaces (a-d) the TURN server listens on",
	  1, 4, ROLES_CFG, W_SET, { COMPLETE_IFACE, COMPLETE_IFACE, COMPLETE_IFACE }, cmd_turn_listen, turn_listen_result },
	{ "turn tls", "turn tls <port>", "Set the port of TURN over TLS",
	  1, 1, ROLES_CFG, W_SET, { 0 }, cmd_turn_tls, turn_tls_result },
	/* two entries of one path, told apart by their argument counts
	 * (cmd_lookup); a line that fits neither gets the last, so a password
	 * given with a word too many is still *** in the audit log */
	{ "turn credentials", "turn credentials <username> <realm>",
	  "Set the TURN username and realm; the password is asked twice and only its key is kept",
	  2, 2, ROLES_CFG, W_SET | CMD_ASKS(2), { COMPLETE_NONE, COMPLETE_NONE, COMPLETE_NONE },
	  cmd_turn_credentials_ask, turn_credentials_result },
	{ "turn credentials", "turn credentials <username> <password> <realm>",
	  "The same with the password on the line, for scripts (masked in the audit log, kept out of the history)",
	  3, 3, ROLES_CFG, W_SET, { COMPLETE_NONE, COMPLETE_SECRET, COMPLETE_NONE },
	  cmd_turn_credentials, turn_credentials_result },
	{ "turn names none", "turn names none", "Remove the TURN names",
	  0, 0, ROLES_CFG, W_SET, { 0 }, cmd_turn_names_none, cli_names_result },
	{ "turn names", "turn names <fqdn-or-ip> [<fqdn-or-ip>...]",
	  "Set the names browsers reach the TURN server by, each checked on the TURN certificate (guide 4.6)",
	  1, -1, ROLES_CFG, W_SET, { 0 }, cmd_turn_names, cli_names_result },
	{ "turn public-ip", "turn public-ip <ip address>", "Set the public IP address of the TURN server",
	  1, 1, ROLES_CFG, W_SET, { 0 }, cmd_turn_public_ip, turn_public_ip_result },
	{ NULL, NULL, NULL, 0, 0, 0, 0, { 0 }, NULL, NULL },
};
