/*
 * cmd_tls.c: the tls family (guide §4.8; SPEC §7): for SIP and LDAP, the
 * trust bundle the remote certificate is checked against, whether it is
 * checked (and with OCSP), and the minimum TLS version. Each service has
 * its own table entries so help and Tab list real words; the handlers are
 * shared.
 */
#include <string.h>

#include "svcutil.h"

/* Setting names of one service: "tls.<svc>.<what>". */
static void tls_key(char *buf, size_t size, const char *svc, const char *what)
{
	snprintf(buf, size, "tls.%s.%s", svc, what);
}

/* A setting's value as data: its text, or null when unset. 0, or 1 after a
 * FAILURE. */
static int show_data(struct mmp_session *ss, const char *key, const char *field)
{
	char v[CFG_VALUE_MAX + 1];
	int set = cli_get(ss, key, v, sizeof(v));

	if (set < 0)
		return 1;
	json_object_set_new(res_data(ss), field, set && v[0] != '\0' ? report_str(v) : json_null());
	return 0;
}

static int tls_show(struct mmp_session *ss, const char *svc)
{
	char trust[32], verify_key[32], min[32], verify[16];
	struct show_row rows[4];
	int set;

	tls_key(trust, sizeof(trust), svc, "trust");
	tls_key(verify_key, sizeof(verify_key), svc, "verify");
	tls_key(min, sizeof(min), svc, "min_tls_version");
	if ((set = cli_get(ss, verify_key, verify, sizeof(verify))) < 0 ||
	    show_data(ss, trust, "trust") != 0 || show_data(ss, min, "min_tls_version") != 0)
		return 1;
	json_object_set_new(res_data(ss), "verify", report_str(set ? verify : "disabled"));
	rows[0] = (struct show_row){ "Trust bundle", trust, NULL };
	rows[1] = (struct show_row){ "Verify", NULL, set ? verify : "disabled" };
	rows[2] = (struct show_row){ "Minimum TLS version", min, NULL };
	rows[3] = (struct show_row){ NULL, NULL, NULL };
	return cli_show(ss, rows);
}

/* Is verification on (enabled or ocsp)? 1/0, -1 after a FAILURE. */
static int verify_on(struct mmp_session *ss, const char *svc)
{
	char key[32], buf[16];
	int set;

	tls_key(key, sizeof(key), svc, "verify");
	if ((set = cli_get(ss, key, buf, sizeof(buf))) < 0)
		return -1;
	return set && strcmp(buf, "disabled") != 0;
}

static int tls_trust(struct mmp_session *ss, const char *svc, const char *bundle)
{
	char key[32], service[16];

	tls_key(key, sizeof(key), svc, "trust");
	snprintf(service, sizeof(service), "tls %s", svc);
	if (cli_install_trust(ss, service, key, bundle) != 0)
		return 1;
	json_object_set_new(res_data(ss), "trust", report_str(bundle));
	return 0;
}

/* Verification needs the trust bundle: it is not removed while on. */
static int tls_trust_none(struct mmp_session *ss, const char *svc)
{
	char key[32], cmd[32], fix[CLI_REMEDY_MAX], remedy[CLI_REMEDY_MAX + 32];
	int on = verify_on(ss, svc);

	if (on != 0) {
		snprintf(cmd, sizeof(cmd), "tls %s verify disable", svc);
		if (on == 1) {
			snprintf(remedy, sizeof(remedy), "%s (guide section 4.8)",
				 cli_remedy_cmd(ss, cmd, fix, sizeof(fix)));
			res_check(ss, REPORT_FAILURE, "tls.trust_needed", NULL, 0, remedy,
				  "tls %s verification is on and needs the trust bundle", svc);
		}
		return 1;
	}
	tls_key(key, sizeof(key), svc, "trust");
	if (cli_set(ss, key, NULL) != 0)
		return 1;
	json_object_set_new(res_data(ss), "trust", json_null());
	{
		char what[32];
		snprintf(what, sizeof(what), "tls %s trust", svc);
		cli_confirm(ss, what, "none");
	}
	return 0;
}

/* guide §4.8: tls <sip|ldap> verify enable|disable|ocsp */
static int tls_verify(struct mmp_session *ss, const char *svc, const char *word)
{
	char shown[CLI_SHOWN_MAX];
	static const char *const words[][2] = {
		{ "enable", "enabled" }, { "disable", "disabled" }, { "ocsp", "ocsp" },
	};
	char key[32], trust[CFG_VALUE_MAX + 1];
	size_t i;
	int set;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(word, words[i][0]) == 0)
			break;
	if (i == sizeof(words) / sizeof(words[0])) {
		res_check(ss, REPORT_FAILURE, "tls.verify_invalid", NULL, 0, NULL,
			  "tls %s verify: \"%s\" is not enable, disable or ocsp", svc, SHOWN(word));
		return 1;
	}
	tls_key(key, sizeof(key), svc, "trust");
	if ((set = cli_get(ss, key, trust, sizeof(trust))) < 0)
		return 1;
	if (i != 1 && !set) {
		char remedy[96];
		snprintf(remedy, sizeof(remedy),
			 "set one with tls %s trust <crt bundle> first (guide section 4.8)", svc);
		res_check(ss, REPORT_FAILURE, "tls.verify_needs_trust", NULL, 0, remedy,
			  "tls %s has no trust bundle to verify the remote certificate against", svc);
		return 1;
	}
	tls_key(key, sizeof(key), svc, "verify");
	if (cli_set(ss, key, words[i][1]) != 0)
		return 1;
	json_object_set_new(res_data(ss), "verify", report_str(words[i][1]));
	{
		char what[32];
		snprintf(what, sizeof(what), "tls %s verify", svc);
		cli_confirm(ss, what, "%s", words[i][1]);
	}
	return 0;
}

static int tls_min_version(struct mmp_session *ss, const char *svc, const char *word)
{
	char shown[CLI_SHOWN_MAX];
	char key[40];

	if (strcmp(word, "1.2") != 0 && strcmp(word, "1.3") != 0) {
		res_check(ss, REPORT_FAILURE, "tls.version_invalid", NULL, 0, "use 1.2 or 1.3",
			  "tls %s min-tls-version: \"%s\" is not allowed", svc, SHOWN(word));
		return 1;
	}
	tls_key(key, sizeof(key), svc, "min_tls_version");
	if (cli_set(ss, key, word) != 0)
		return 1;
	json_object_set_new(res_data(ss), "min_tls_version", report_str(word));
	{
		char what[40];
		snprintf(what, sizeof(what), "tls %s min-tls-version", svc);
		cli_confirm(ss, what, "%s", word);
	}
	return 0;
}

static int cmd_tls(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cmd_print_help(ss, "tls");
	return 0;
}

/* One handler per table entry and service, over the shared ones above. */
#define TLS_HANDLERS(svc)                                                                        \
	static int cmd_tls_##svc(struct mmp_session *ss, int argc, char **argv)                  \
	{                                                                                        \
		(void)argc;                                                                      \
		(void)argv;                                                                      \
		return tls_show(ss, #svc);                                                       \
	}                                                                                        \
	static int cmd_tls_##svc##_trust(struct mmp_session *ss, int argc, char **argv)          \
	{                                                                                        \
		(void)argc;                                                                      \
		return tls_trust(ss, #svc, argv[0]);                                             \
	}                                                                                        \
	static int cmd_tls_##svc##_trust_none(struct mmp_session *ss, int argc, char **argv)     \
	{                                                                                        \
		(void)argc;                                                                      \
		(void)argv;                                                                      \
		return tls_trust_none(ss, #svc);                                                 \
	}                                                                                        \
	static int cmd_tls_##svc##_verify(struct mmp_session *ss, int argc, char **argv)         \
	{                                                                                        \
		(void)argc;                                                                      \
		return tls_verify(ss, #svc, argv[0]);                                            \
	}                                                                                        \
	static int cmd_tls_##svc##_min(struct mmp_session *ss, int argc, char **argv)            \
	{                                                                                        \
		(void)argc;                                                                      \
		return tls_min_version(ss, #svc, argv[0]);                                       \
	}

TLS_HANDLERS(sip)
TLS_HANDLERS(ldap)

/* The settings of a service, as shown (null: none) and as each setter
 * answers with what it set. */
static const struct res_field tls_show_result[] = {
	{ "trust", RES_STR, RES_NULLABLE, NULL, "the trust bundle's file name, null when none" },
	{ "verify", RES_STR, 0, NULL, "enabled, disabled or ocsp" },
	{ "min_tls_version", RES_STR, RES_NULLABLE, NULL, "1.2 or 1.3, null when not set" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field tls_trust_result[] = {
	{ "trust", RES_STR, 0, NULL, "the trust bundle now set" },
	{ "certificates", RES_INT, RES_OPTIONAL, NULL, "how many certificates the bundle holds" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field tls_trust_none_result[] = {
	{ "trust", RES_STR, RES_NULLABLE, NULL, "null: no trust bundle any more" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field tls_verify_result[] = {
	{ "verify", RES_STR, 0, NULL, "enabled, disabled or ocsp, as now set" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field tls_min_result[] = {
	{ "min_tls_version", RES_STR, 0, NULL, "1.2 or 1.3, as now set" },
	{ NULL, 0, 0, NULL, NULL },
};

#define TLS_ENTRIES(svc, what)                                                                   \
	{ "tls " #svc, "tls " #svc, "Show the TLS verification settings for " what,             \
	  0, 0, ROLES_ALL, 0, { 0 }, cmd_tls_##svc, tls_show_result },                                            \
	{ "tls " #svc " trust", "tls " #svc " trust <crt bundle>",                               \
	  "Check and set the certificates trusted for " what " (guide 4.8)",                    \
	  1, 1, ROLES_PKI, W_SET, { COMPLETE_CERT }, cmd_tls_##svc##_trust, tls_trust_result },                    \
	{ "tls " #svc " trust none", "tls " #svc " trust none",                                  \
	  "Remove the " what " trust bundle (verification off first)",                           \
	  0, 0, ROLES_PKI, W_SET, { 0 }, cmd_tls_##svc##_trust_none, tls_trust_none_result },                           \
	{ "tls " #svc " verify", "tls " #svc " verify enable|disable|ocsp",                      \
	  "Verify the remote " what " certificate, also with OCSP, or not",                      \
	  1, 1, ROLES_CFG, W_SET, { COMPLETE_WORDS }, cmd_tls_##svc##_verify, tls_verify_result },                               \
	{ "tls " #svc " min-tls-version", "tls " #svc " min-tls-version <1.2|1.3>",              \
	  "Set the minimum TLS version for " what,                                               \
	  1, 1, ROLES_CFG, W_SET, { COMPLETE_WORDS }, cmd_tls_##svc##_min, tls_min_result }

const struct mmp_cmd cmd_tls_table[] = {
	{ "tls", "tls", "Show the usage of the tls family", 0, 0, ROLES_ALL, 0, { 0 }, cmd_tls, cmd_help_result },
	TLS_ENTRIES(sip, "SIP"),
	TLS_ENTRIES(ldap, "LDAP"),
	{ NULL, NULL, NULL, 0, 0, 0, 0, { 0 }, NULL, NULL },
};
