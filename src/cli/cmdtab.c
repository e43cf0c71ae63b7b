/*
 * cmdtab.c: the command table: the list of families (each family's entries
 * live in its cmd_<family>.c) and what is generated from it: help, the
 * usage of a family and docs/commands.md.
 */
#include <string.h>

#include "cli.h"


static const struct mmp_cmd misc_cmds[] = {
	{ "help", "help [<family> [<words>...]]",
	  "List the command families, or the usage of a family or of commands (help pki csr)",
	  0, -1, ROLES_ALL, 0, { COMPLETE_FAMILY }, cmd_help, NULL },
	{ "?", "?", "Same as help", 0, -1, ROLES_ALL, 0, { COMPLETE_FAMILY }, cmd_help, NULL },
	{ "check", "check <command line>",
	  "Run a settings command's checks and apply nothing (the answer says what would happen)",
	  1, -1, ROLES_ALL, 0, { 0 }, cmd_check, NULL },
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
	{ "help", "The shell itself: help, ? and exit", misc_cmds },
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
 * what it does and who may run it. */
static void print_cmd(struct mmp_session *ss, const struct mmp_cmd *c)
{
	char roles[64];

	fprintf(ss->out, "  %s\n      %s. Roles: %s.\n", c->usage, c->summary,
		roles_text(c->roles, roles, sizeof(roles)));
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
		fprintf(ss->out, "Command families (help <family> shows the usage):\n");
		for (i = 0; cmd_families[i].name != NULL; i++)
			fprintf(ss->out, "  %-12s %s\n", cmd_families[i].name, cmd_families[i].title);
		return 0;
	}
	n = cmd_resolve(argc, argv, word, len, &ambig);
	if (n < argc)
		return -1;
	for (i = 0; argc == 1 && cmd_families[i].name != NULL; i++)
		if (strlen(cmd_families[i].name) == len[0] &&
		    strncmp(cmd_families[i].name, word[0], len[0]) == 0) {
			/* the family's own table: "user" also holds passwd, audit */
			fprintf(ss->out, "%s\nUsage:\n", cmd_families[i].title);
			for (c = cmd_families[i].cmds; c->path != NULL; c++)
				print_cmd(ss, c);
			return 0;
		}
	fprintf(ss->out, "Usage:\n");
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
		fprintf(ss->out, "FAILURE: help: no command family \"%s\": type help for the list\n",
			SHOWN(argv[0]));
		return 1;
	}
	fprintf(ss->out, "FAILURE: help: no command \"");
	for (i = 0; i < argc; i++) {
		fputs(i ? " " : "", ss->out);
		cli_fputs_word(argv[i], ss->out);
	}
	fprintf(ss->out, "\": type help%s%s for the usage\n", cmd_is_family(argv[0]) ? " " : "",
		cmd_is_family(argv[0]) ? argv[0] : "");
	return 1;
}

int cmd_exit(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	ss->quit = 1;
	return 0;
}
