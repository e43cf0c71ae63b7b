/*
 * cmdtab.c: the command table (one entry per command path) and what is
 * generated from it: help, the usage of a family and docs/commands.md.
 */
#include <string.h>

#include "cli.h"

const struct mmp_cmd cmd_table[] = {
	{ "help", "help [<family>]", "List the command families, or the usage of one family",
	  0, 1, ROLES_ALL, 0, { COMPLETE_FAMILY }, cmd_help },
	{ "?", "?", "Same as help", 0, 1, ROLES_ALL, 0, { COMPLETE_FAMILY }, cmd_help },
	{ "exit", "exit", "Leave the shell", 0, 0, ROLES_ALL, 0, { 0 }, cmd_exit },
	{ "quit", "quit", "Leave the shell", 0, 0, ROLES_ALL, 0, { 0 }, cmd_exit },
	{ "pki", "pki", "Show the pki usage and a count of the files by type",
	  0, 0, ROLES_ALL, 0, { 0 }, cmd_pki },
	{ "pki list", "pki list", "List the keys, certificates, CSRs and bundles in the file store",
	  0, 0, ROLES_ALL, 0, { 0 }, cmd_pki_list },
	{ "pki inspect", "pki inspect <filename>",
	  "Say what a file is; show each certificate's fields, validity and allowed uses",
	  1, 1, ROLES_ALL, 0, { COMPLETE_FILE }, cmd_pki_inspect },
	{ "pki match", "pki match <key> <certificate>",
	  "Check that a private key and a certificate belong together",
	  2, 2, ROLES_PKI, 0, { COMPLETE_KEY, COMPLETE_CERT }, cmd_pki_match },
	{ "pki verify", "pki verify <cert> <cert bundle/CA cert> [<CA cert>]",
	  "Check that a certificate chains to a CA through the bundle",
	  2, 3, ROLES_PKI, 0, { COMPLETE_CERT, COMPLETE_CERT, COMPLETE_CERT }, cmd_pki_verify },
	{ "pki unlock", "pki unlock <key>",
	  "Replace a password-protected key with the unlocked key of the same name",
	  1, 1, ROLES_PKI, 1, { COMPLETE_KEY }, cmd_pki_unlock },
	{ "pki csr",
	  "pki csr <key/cert basename> CN:<value> [OU:<value>] [O:<value>] [L:<value>] [ST:<value>] [C:<value>] [emailAddress:<value>] [subjectAltName:<value>,<value>...]",
	  "Make an RSA 2048 key <basename>.key and a SHA-256 CSR <basename>.csr",
	  1, 9, ROLES_PKI, 1, { COMPLETE_NONE, COMPLETE_ATTR, COMPLETE_ATTR }, cmd_pki_csr },
	{ "pki selfsigned",
	  "pki selfsigned <key/cert basename> [CN:<value>] [OU:<value>] [O:<value>] [L:<value>] [ST:<value>] [C:<value>] [emailAddress:<value>] [subjectAltName:<value>,...]",
	  "Make a key <basename>.key and a self-signed CA certificate <basename>.crt",
	  1, 9, ROLES_PKI, 1, { COMPLETE_NONE, COMPLETE_ATTR, COMPLETE_ATTR }, cmd_pki_selfsigned },
	{ "pki sign", "pki sign <csr basename> <ca basename>",
	  "Sign <csr basename>.csr with <ca basename>.key/.crt into <csr basename>.crt",
	  2, 2, ROLES_PKI, 1, { COMPLETE_BASE, COMPLETE_BASE }, cmd_pki_sign },
	{ "pki pkcs12-to-ssh", "pki pkcs12-to-ssh <username>",
	  "Replace the PKCS#12 file <username>.pub with its OpenSSH public key",
	  1, 1, ROLES_PKI, 1, { COMPLETE_NONE }, cmd_pki_pkcs12_to_ssh },
	{ NULL, NULL, NULL, 0, 0, 0, 0, { 0 }, NULL },
};

/* Family descriptions, printed by help. */
static const struct {
	const char *family, *title;
} families[] = {
	{ "pki", "Keys, certificates, CSRs and bundles in the file store (guide Appendix C)" },
	{ "help", "Show the commands and their usage" },
	{ "exit", "Leave the shell" },
	{ "quit", "Leave the shell" },
	{ NULL, NULL },
};

static int in_family(const struct mmp_cmd *c, const char *family)
{
	size_t n = strlen(family);

	return strncmp(c->path, family, n) == 0 && (c->path[n] == '\0' || c->path[n] == ' ');
}

void cmd_print_help(struct mmp_session *ss, const char *family)
{
	const struct mmp_cmd *c;
	int i;

	if (family == NULL) {
		fprintf(ss->out, "Command families (help <family> shows the usage):\n");
		for (i = 0; families[i].family != NULL; i++)
			fprintf(ss->out, "  %-12s %s\n", families[i].family, families[i].title);
		return;
	}
	for (i = 0; families[i].family != NULL; i++)
		if (strcmp(families[i].family, family) == 0)
			fprintf(ss->out, "%s\n", families[i].title);
	fprintf(ss->out, "Usage:\n");
	for (c = cmd_table; c->path != NULL; c++)
		if (in_family(c, family))
			fprintf(ss->out, "%s\n", c->usage);
}

static const char *roles_text(unsigned roles)
{
	if ((roles & ROLES_ALL) == ROLES_ALL)
		return "admin, crypto, audit";
	if ((roles & ROLES_PKI) == ROLES_PKI)
		return "admin, crypto";
	return "admin";
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
	const struct mmp_cmd *c;
	int i;

	fprintf(fp, "# mmp command reference\n\n"
		    "Generated from the command table (`src/cli/cmdtab.c`) by `mmp --reference`;\n"
		    "do not edit by hand.\n\n");
	for (i = 0; families[i].family != NULL; i++) {
		fprintf(fp, "## %s\n\n%s.\n\n", families[i].family, families[i].title);
		fprintf(fp, "| usage | what it does | roles | writes |\n|---|---|---|---|\n");
		for (c = cmd_table; c->path != NULL; c++) {
			if (!in_family(c, families[i].family))
				continue;
			md_cell(fp, c->usage, 1);
			md_cell(fp, c->summary, 0);
			fprintf(fp, "| %s | %s |\n", roles_text(c->roles), c->writes ? "yes" : "no");
		}
		fprintf(fp, "\n");
	}
}

int cmd_help(struct mmp_session *ss, int argc, char **argv)
{
	if (argc == 1 && !cmd_is_family(argv[0])) {
		fprintf(ss->out, "FAILURE: help: no command family \"%s\": type help for the list\n",
			argv[0]);
		return 1;
	}
	cmd_print_help(ss, argc == 1 ? argv[0] : NULL);
	return 0;
}

int cmd_exit(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	ss->quit = 1;
	return 0;
}
