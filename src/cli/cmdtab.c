/*
 * cmdtab.c: the command table: the list of families (each family's entries
 * live in its cmd_<family>.c) and what is generated from it: help, the
 * usage of a family and docs/commands.md.
 */
#include <string.h>

#include "cli.h"


/* help: the families, or a family's title and its commands, or the
 * commands whose path starts with the words. */
static const struct res_field help_command[] = {
	{ "path", RES_STR, 0, NULL, "the command's words" },
	{ "usage", RES_STR, 0, NULL, "its usage line" },
	{ "summary", RES_STR, 0, NULL, "what it does" },
	{ "roles", RES_STR, 0, NULL, "the roles that may run it, e.g. \"admin, crypto\"" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field help_family[] = {
	{ "name", RES_STR, 0, NULL, "the family's first word" },
	{ "title", RES_STR, 0, NULL, "what the family is for" },
	{ NULL, 0, 0, NULL, NULL },
};
const struct res_field cmd_help_result[] = {
	{ "families", RES_LIST, RES_OPTIONAL, help_family, "help alone: every family" },
	{ "title", RES_STR, RES_OPTIONAL, NULL, "help <family>: the family's title" },
	{ "commands", RES_LIST, RES_OPTIONAL, help_command, "the commands asked for" },
	{ NULL, 0, 0, NULL, NULL },
};

/* The version of mmp on this node (IOS "show version", Junos "show
 * version"): what automation reads of a node it manages (the Ansible
 * cliconf plugin's device info). */
static int cmd_version(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	json_object_set_new(res_data(ss), "version", json_string(MMP_VERSION));
	res_printf(ss, "mmp %s\n", MMP_VERSION);
	return 0;
}

static const struct res_field version_result[] = {
	{ "version", RES_STR, 0, NULL, "mmp's version on this node, e.g. 0.1.0" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct mmp_cmd misc_cmds[] = {
	{ "help", "help [<family> [<words>...]]",
	  "List the command families, or the usage of a family or of commands (help pki csr)",
	  0, -1, ROLES_ALL, 0, { COMPLETE_FAMILY }, cmd_help, cmd_help_result },
	{ "?", "?", "Same as help", 0, -1, ROLES_ALL, 0, { COMPLETE_FAMILY }, cmd_help, cmd_help_result },
	{ "check", "check <command line>",
	  "Run a settings command's checks and apply nothing (the answer says what would happen)",
	  1, -1, ROLES_ALL, 0, { 0 }, cmd_check, NULL },
	{ "version", "version", "Show the version of mmp on this node", 0, 0, ROLES_ALL, 0, { 0 }, cmd_version,
	  version_result },
	{ "exit", "exit", "Leave the shell", 0, 0, ROLES_ALL, 0, { 0 }, cmd_exit, NULL },
	{ "quit", "quit", "Leave the shell", 0, 0, ROLES_ALL, 0, { 0 }, cmd_exit, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, 0, { 0 }, NULL, NULL },
};

/* The families, in the order help lists them. Each family's commands are
 * in its own file (cmd_<family>.c), in the order of the guide's usage. */
const struct cmd_family cmd_families[] = {
	{ "pki", "Keys, certificates, CSRs and bundles in the file store (guide Appendix C)", cmd_pki_table },
	{ "callbridge", "Configure CMS callbridge", cmd_callbridge_table },
	{ "webbridge3", "Configure Web Bridge 3", cmd_webbridge3_table },
	{ "meetingapps", "Configure MeetingApps", cmd_meetingapps_table },
	{ "user", "Users, roles, passwords and the audit log", cmd_user_table },
	{ "turn", "Configure the TURN server", cmd_turn_table },
	{ "tls", "TLS certificate verification for SIP and LDAP", cmd_tls_table },
	{ "database", "Database clustering", cmd_database_table },
	{ "hostname", "Set the node's name, shown in the prompt", cmd_hostname_table },
	{ "health", "Prove with TLS handshakes that this node's services can talk", cmd_health_table },
	{ "help", "The shell itself: help, ?, check and exit", misc_cmds },
	{ NULL, NULL, NULL },
};

const struct mmp_cmd *cmd_all(void)
{
	static struct mmp_cmd all[CMD_MAX + 1];
	static int built;
	const struct cmd_family *f;
	const struct mmp_cmd *c;
	size_t n = 0;

	if (built)
		return all;
	for (f = cmd_families; f->name != NULL; f++)
		for (c = f->cmds; c->path != NULL && n < CMD_MAX; c++)
			all[n++] = *c;
	all[n].path = NULL;
	built = 1;
	return all;
}

static const char *roles_text(unsigned roles, char *buf, size_t size)
{
	static const struct {
		unsigned role;
		const char *name;
	} names[] = { { ROLE_ADMIN, "admin" }, { ROLE_CRYPTO, "crypto" }, { ROLE_AUDIT, "audit" },
		      { ROLE_APPADMIN, "appadmin" }, { ROLE_API, "api" } };
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (roles & names[i].role)
			o += (size_t)snprintf(buf + o, o < size ? size - o : 0, "%s%s", o ? ", " : "",
					      names[i].name);
	return buf;
}

/* One command in help: its usage indented under the title, and under it
 * what it does and who may run it; in data, an item of "commands". */
static void print_cmd(struct mmp_session *ss, const struct mmp_cmd *c)
{
	char roles[64];
	json_t *cmds = json_object_get(res_data(ss), "commands");

	if (cmds == NULL)
		json_object_set_new(res_data(ss), "commands", cmds = json_array());
	json_array_append_new(cmds, json_pack("{s:s, s:s, s:s, s:s}", "path", c->path, "usage",
					      c->usage, "summary", c->summary, "roles",
					      roles_text(c->roles, roles, sizeof(roles))));
	res_printf(ss, "  %s\n      %s. Roles: %s.\n", c->usage, c->summary, roles);
}

/* Does path start with the n words? */
static int path_starts(const char *path, int n, const char **word, const size_t *len)
{
	int i;

	for (i = 0; i < n; i++) {
		size_t wl = strcspn(path, " ");
		if (wl != len[i] || strncmp(path, word[i], wl) != 0)
			return 0;
		path += wl;
		if (*path == ' ')
			path++;
		else if (i + 1 < n)
			return 0;
	}
	return 1;
}

void cmd_print_help(struct mmp_session *ss, const char *family)
{
	char *argv[1] = { (char *)family };

	cmd_print_help_words(ss, family != NULL, argv);
}

int cmd_print_help_words(struct mmp_session *ss, int argc, char **argv)
{
	const char *word[CMD_ARGS_MAX];
	size_t len[CMD_ARGS_MAX];
	const struct mmp_cmd *c;
	int i, n, ambig;

	if (argc == 0) {
		json_t *fams = json_array();
		res_printf(ss, "Command families (help <family> shows the usage):\n");
		for (i = 0; cmd_families[i].name != NULL; i++) {
			res_printf(ss, "  %-12s %s\n", cmd_families[i].name, cmd_families[i].title);
			json_array_append_new(fams, json_pack("{s:s, s:s}", "name", cmd_families[i].name,
							      "title", cmd_families[i].title));
		}
		json_object_set_new(res_data(ss), "families", fams);
		return 0;
	}
	n = cmd_resolve(argc, argv, word, len, &ambig);
	if (n < argc)
		return -1;
	for (i = 0; argc == 1 && cmd_families[i].name != NULL; i++)
		if (strlen(cmd_families[i].name) == len[0] &&
		    strncmp(cmd_families[i].name, word[0], len[0]) == 0) {
			/* the family's own table: "user" also holds passwd, audit */
			res_printf(ss, "%s\nUsage:\n", cmd_families[i].title);
			json_object_set_new(res_data(ss), "title", json_string(cmd_families[i].title));
			json_object_set_new(res_data(ss), "commands", json_array());
			for (c = cmd_families[i].cmds; c->path != NULL; c++)
				print_cmd(ss, c);
			return 0;
		}
	res_printf(ss, "Usage:\n");
	json_object_set_new(res_data(ss), "commands", json_array());
	/* every command whose path starts with the words, in table order */
	for (c = cmd_all(); c->path != NULL; c++)
		if (c->path[0] != '?' && path_starts(c->path, n, word, len))
			print_cmd(ss, c);
	return 0;
}

/* The usage's token of argument i: blank-separated outside <>, [] and (). */
static int usage_token(const char *usage, int pathw, int i, const char **tok, size_t *len)
{
	const char *p = usage;
	int t = -pathw, depth = 0;

	while (*p != '\0') {
		const char *b;
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		b = p;
		for (; *p != '\0' && (depth > 0 || *p != ' '); p++) {
			if (*p == '<' || *p == '[' || *p == '(')
				depth++;
			else if ((*p == '>' || *p == ']' || *p == ')') && depth > 0)
				depth--;
		}
		if (t++ == i) {
			*tok = b;
			*len = (size_t)(p - b);
			return 1;
		}
	}
	return 0;
}

int cmd_arg_words(const struct mmp_cmd *c, int i, char words[][CMD_WORD_MAX], int max)
{
	const char *tok, *p, *end;
	size_t len;
	int n = 0, pathw = 1, depth = 0;

	for (p = c->path; *p != '\0'; p++)
		pathw += *p == ' ';
	if (!usage_token(c->usage, pathw, i, &tok, &len) || memchr(tok, '|', len) == NULL)
		return 0;
	end = tok + len;
	if (len >= 2 && ((tok[0] == '<' && end[-1] == '>') || (tok[0] == '(' && end[-1] == ')'))) {
		tok++;
		end--;
	}
	/* the alternatives at depth 0; of each its first word ("enable [port]") */
	for (p = tok; p <= end && n < max; p++) {
		if (p < end && *p != '|') {
			depth += (*p == '[' || *p == '<' || *p == '(') - (*p == ']' || *p == '>' || *p == ')');
			continue;
		}
		if (depth == 0) {
			size_t wl = strcspn(tok, " [|");
			if (tok + wl > p)
				wl = (size_t)(p - tok);
			if (wl > 0 && wl < CMD_WORD_MAX && memchr(tok, '<', wl) == NULL) {
				memcpy(words[n], tok, wl);
				words[n++][wl] = '\0';
			}
			tok = p + 1;
		}
	}
	return n;
}

/* A Markdown table cell: '|' escaped; '<' as &lt; outside code spans. */
static void md_cell(FILE *fp, const char *text, int code)
{
	fputs(code ? "| `" : "| ", fp);
	for (; *text != '\0'; text++) {
		if (*text == '|')
			fputs("\\|", fp);
		else if (*text == '<' && !code)
			fputs("&lt;", fp);
		else
			fputc(*text, fp);
	}
	fputs(code ? "` " : " ", fp);
}

void cmd_write_reference(FILE *fp)
{
	char roles[64];
	const struct mmp_cmd *c;
	int i;

	fprintf(fp, "# mmp command reference\n\n"
		    "Generated from the command table (`src/cli/cmdtab.c`) by `mmp --reference`;\n"
		    "do not edit by hand.\n\n");
	for (i = 0; cmd_families[i].name != NULL; i++) {
		fprintf(fp, "## %s\n\n%s.\n\n", cmd_families[i].name, cmd_families[i].title);
		fprintf(fp, "| usage | what it does | roles | writes |\n|---|---|---|---|\n");
		for (c = cmd_families[i].cmds; c->path != NULL; c++) {
			md_cell(fp, c->usage, 1);
			md_cell(fp, c->summary, 0);
			fprintf(fp, "| %s | %s |\n", roles_text(c->roles, roles, sizeof(roles)),
				(c->flags & CMD_W_ANY) ? "yes" : "no");
		}
		fprintf(fp, "\n");
	}
}

int cmd_help(struct mmp_session *ss, int argc, char **argv)
{
	char shown[CLI_SHOWN_MAX];
	int i;

	if (cmd_print_help_words(ss, argc, argv) == 0)
		return 0;
	if (argc == 1) {
		res_check(ss, REPORT_FAILURE, "shell.no_family", NULL, 0, "type help for the list",
			  "help: no command family \"%s\"", SHOWN(argv[0]));
		return 1;
	}
	{
		char words[4096];
		size_t o = 0;
		for (i = 0; i < argc; i++)
			o += (size_t)snprintf(words + o, o < sizeof(words) ? sizeof(words) - o : 0, "%s%s",
					      i ? " " : "", SHOWN(argv[i]));
		res_check(ss, REPORT_FAILURE, "shell.no_command", NULL, 0, NULL,
			  "help: no command \"%s\": type help%s%s for the usage", words,
			  cmd_is_family(argv[0]) ? " " : "", cmd_is_family(argv[0]) ? SHOWN(argv[0]) : "");
	}
	return 1;
}

int cmd_exit(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	ss->quit = 1;
	return 0;
}
