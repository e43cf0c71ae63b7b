/*
 * cmd_hostname.c: the node's name (SPEC §7): shown with `hostname`, set
 * with `hostname <name>` (an RFC 1123 label), kept in the config store and
 * shown in the interactive prompt at once.
 */
#include <string.h>

#include "svcutil.h"

#define HOSTNAME_MAX 63 /* RFC 1035 2.3.4: a label is at most 63 octets */

static int ascii_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* RFC 1123 2.1 / RFC 952: letters, digits and '-', 1..63 characters, not
 * starting or ending with '-'. NULL when valid, else why not. */
static const char *label_problem(const char *name)
{
	size_t i, n = strlen(name);

	if (n == 0)
		return "it is empty";
	if (n > HOSTNAME_MAX)
		return "it is longer than 63 characters";
	for (i = 0; i < n; i++)
		if (!ascii_alnum(name[i]) && name[i] != '-')
			return "it may hold only letters, digits and '-'";
	if (name[0] == '-' || name[n - 1] == '-')
		return "it may not start or end with '-'";
	return NULL;
}

static int hostname_set(struct mmp_session *ss, const char *name)
{
	const char *why = label_problem(name);
	struct mmp_err err;

	char shown[CLI_SHOWN_MAX];

	if (why != NULL) {
		res_check(ss, REPORT_FAILURE, "hostname.invalid", NULL, 0, NULL,
			  "hostname \"%s\" is not valid: %s (RFC 1123), e.g. cms01", SHOWN(name), why);
		return 1;
	}
	if (cli_set(ss, "hostname", name) != 0)
		return 1;
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
	{ "hostname", "hostname <name>", "Set the node's name (letters, digits, '-')",
	  1, 1, ROLES_CFG, W_SET, { 0 }, cmd_hostname_set, hostname_result },
	{ NULL, NULL, NULL, 0, 0, 0, 0, { 0 }, NULL, NULL },
};
