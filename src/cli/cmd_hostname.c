/*
 * cmd_hostname.c: the node's name (SPEC §7): shown with `hostname`, set
 * with `hostname <name>` (an RFC 1123 label, or a fully qualified name of
 * such labels), kept in the config store and shown in the interactive
 * prompt at once. An FQDN is checked on the Call Bridge's and the
 * database server's certificates (issue 15).
 */
#include <string.h>

#include "svcutil.h"

#define LABEL_MAX 63     /* RFC 1035 2.3.4: a label is at most 63 octets */
#define HOSTNAME_MAX 253 /* RFC 1035 2.3.4: a name, without its final dot */

static int ascii_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* RFC 1123 2.1 / RFC 952: letters, digits and '-', 1..63 characters, not
 * starting or ending with '-'; an FQDN: such labels joined by dots, at
 * most 253 characters, no dot at either end. NULL when valid, else why
 * not. */
static const char *hostname_problem(const char *name)
{
	size_t i, n = strlen(name), start = 0;

	if (n == 0)
		return "it is empty";
	if (n > HOSTNAME_MAX)
		return "it is longer than 253 characters";
	for (i = 0; i <= n; i++) {
		if (name[i] != '.' && name[i] != '\0') {
			if (!ascii_alnum(name[i]) && name[i] != '-')
				return "it may hold only letters, digits, '-' and the dots between labels";
			continue;
		}
		if (i == start)
			return "a label is empty (two dots, or a dot at either end)";
		if (i - start > LABEL_MAX)
			return "a label is longer than 63 characters";
		if (name[start] == '-' || name[i - 1] == '-')
			return "a label may not start or end with '-'";
		start = i + 1;
	}
	return NULL;
}

static int hostname_set(struct mmp_session *ss, const char *name)
{
	const char *why = hostname_problem(name);
	char crt[CFG_VALUE_MAX + 1], shown[CLI_SHOWN_MAX];
	struct mmp_err err;
	struct report r;

	if (why != NULL) {
		res_check(ss, REPORT_FAILURE, "hostname.invalid", NULL, 0, NULL,
			  "hostname \"%s\" is not valid: %s (RFC 1123), e.g. cms01 or cms01.example.com",
			  SHOWN(name), why);
		return 1;
	}
	if (cli_set(ss, "hostname", name) != 0)
		return 1;
	/* an FQDN on the certificates set: WARNINGs only (issue 15) */
	report_init(&r);
	if (cli_get(ss, "callbridge.crt", crt, sizeof(crt)) == 1)
		cli_check_hostname(ss, 0, crt, &r);
	if (cli_get(ss, "database.server_crt", crt, sizeof(crt)) == 1)
		cli_check_hostname(ss, 1, crt, &r);
	cmd_print_report(ss, &r);
	report_free(&r);
	(void)cli_load_hostname(ss, &err); /* the prompt shows the new name at once */
	json_object_set_new(res_data(ss), "hostname", report_str(name));
	cli_confirm(ss, "hostname", "%s", name);
	return 0;
}

static int cmd_hostname_set(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	return hostname_set(ss, argv[0]);
}

static int cmd_hostname(struct mmp_session *ss, int argc, char **argv)
{
	struct mmp_err err;

	(void)argc;
	(void)argv;
	mmp_err_clear(&err);
	/* another session may have renamed the node since this one started */
	if (cli_load_hostname(ss, &err) != MMP_OK) {
		cmd_print_err(ss, &err);
		return 1;
	}
	json_object_set_new(res_data(ss), "hostname", report_str(ss->hostname));
	res_printf(ss, "%s\n", ss->hostname);
	return 0;
}

/* The answer of both: the node's name (shown, or as set). */
static const struct res_field hostname_result[] = {
	{ "hostname", RES_STR, 0, NULL, "the node's name, shown in the prompt" },
	{ NULL, 0, 0, NULL, NULL },
};

/* Two entries on one path, told apart by the argument count: everyone
 * may see the name, only an admin may set it. */
const struct mmp_cmd cmd_hostname_table[] = {
	{ "hostname", "hostname", "Show the node's name", 0, 0, ROLES_ALL, 0, { 0 }, cmd_hostname, hostname_result },
	{ "hostname", "hostname <name>",
	  "Set the node's name: a label (letters, digits, '-') or an FQDN, checked on the Call Bridge and database server certificates",
	  1, 1, ROLES_CFG, W_SET, { 0 }, cmd_hostname_set, hostname_result },
	{ NULL, NULL, NULL, 0, 0, 0, 0, { 0 }, NULL, NULL },
};
