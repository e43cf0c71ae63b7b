/*
 * main.c: the mmp program, a thin main over libmmpcore: options, the node
 * root, then interactive mode, script mode or one command (SPEC §1).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmp/access.h"
#include "cli/cli.h"
#include "cli/root.h"
#include "mmp/cmd.h"
#include "mmp/fault.h"
#include "mmp/pki.h"
#include "mmp/roots.h"
#include "mmp/users.h"

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: mmp [--root DIR] [--role ROLE] [--json] [-e] [-c COMMAND]\n"
		"  --root DIR           node root (default $MMP_ROOT, else $XDG_DATA_HOME/mmp,\n"
		"                       else ~/.local/share/mmp)\n"
		"  -c, --command CMD    run one command and exit with its status\n"
		"  -e, --stop-on-error  in script mode, stop at the first failing command\n"
		"  --json               answer every command in JSON, one object per line\n"
		"                       (or end one command line with \"| json\")\n"
		"  --schema             print the JSON Schema of every command's answer\n"
		"  --public-roots FILE  the machine's public roots (PEM), what browsers and\n"
		"                       public CAs chain to (default " PKI_PUBLIC_ROOTS_DEFAULT ")\n"
		"  --role ROLE          act with the rights of a user of ROLE (crypto, audit):\n"
		"                       the console is admin, so this only takes rights away\n"
		"  --help               show this and exit\n"
		"  --version            show the version and exit\n"
		"Interactive when stdin is a terminal; otherwise one command per line.\n"
		"Exit status: 0 all commands succeeded, 1 a command failed, 2 usage error.\n");
}

static void no_core_dumps(void)
{
	struct rlimit rl = { 0, 0 };

	setrlimit(RLIMIT_CORE, &rl);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "command", required_argument, NULL, 'c' },
		{ "stop-on-error", no_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "reference", no_argument, NULL, 'R' },
		{ "role", required_argument, NULL, 'o' },
		{ "access-table", no_argument, NULL, 'A' },
		{ "json", no_argument, NULL, 'j' },
		{ "schema", no_argument, NULL, 'S' },
		{ "public-roots", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	struct mmp_session ss;
	struct mmp_err err;
	const char *root = NULL, *command = NULL, *role_name = NULL;
	unsigned role = ROLE_ADMIN;
	char rootbuf[4096];
	int o, stop = 0, status, json = 0, roots_given = 0;

	while ((o = getopt_long(argc, argv, "c:e", opts, NULL)) != -1) {
		switch (o) {
		case 'r': root = optarg; break;
		case 'c': command = optarg; break;
		case 'e': stop = 1; break;
		case 'o': role_name = optarg; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("mmp %s\n", MMP_VERSION); return 0;
		case 'R': cmd_write_reference(stdout); return 0;
		case 'A': access_write_table(stdout); return 0;
		case 'j': json = 1; break;
		case 'S': cmd_write_schema(stdout); return 0;
		case 'P': pki_set_public_roots(optarg); roots_given = 1; break;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "mmp: unexpected argument \"%s\" (quote a command and give it with -c)\n",
			argv[optind]);
		return 2;
	}
	/* SPEC §8 roles: the console acts as admin; --role only lowers it (a
	 * test, or an admin trying what a crypto user will see) */
	if (role_name != NULL && (role = users_role_from_name(role_name)) == 0) {
		fprintf(stderr, "mmp: unknown role \"%s\": use admin, crypto or audit\n", role_name);
		return 2;
	}
	no_core_dumps();
	if (root == NULL && (root = cli_default_root(rootbuf, sizeof(rootbuf))) == NULL) {
		fprintf(stderr, "mmp: no node root: give --root DIR or set MMP_ROOT\n");
		return 2;
	}
	mmp_err_clear(&err);
	if (pki_init(&err) != MMP_OK) { /* the legacy provider waits for pki unlock */
		fprintf(stderr, "mmp: %s\n", err.msg);
		return 2;
	}
	if (roots_given) {
		char why[4200];
		if (pki_public_roots_check(why, sizeof(why)) == 0) {
			fprintf(stderr, "mmp: --public-roots %s: give a PEM file of CA certificates, as /etc/ssl/certs/ca-certificates.crt is\n", why);
			pki_cleanup();
			return 2;
		}
	}
	umask(077);
	/* the local console acts as admin (SPEC §8) */
	/* the node's files cannot be opened: not a usage error (exit 2) but
	 * a FAILURE that says what to do, exit 1 like a failed command */
	if (cli_session_open(&ss, root, &err) != MMP_OK) {
		if (json) { /* --json: JSON Lines, this one too */
			memset(&ss, 0, sizeof(ss));
			ss.out = stdout;
			ss.json_all = 1;
			res_session_check(&ss, REPORT_FAILURE, mmp_err_code(&err), "%s%s%s", err.msg,
					  err.cause[0] ? ": " : "", err.cause);
		} else {
			printf("FAILURE: %s%s%s\n", err.msg, err.cause[0] ? ": " : "", err.cause);
		}
		pki_cleanup();
		return 1;
	}
	cli_session_set_role(&ss, role);
	ss.json_all = json;
	fault_arm(1); /* the fault build fails operations of the commands only */
	if (command != NULL) {
		FILE *wrapped = cli_wrap_open(ss.out); /* on a terminal only */
		ss.interactive = isatty(STDIN_FILENO);
		if (wrapped != NULL)
			ss.out = wrapped;
		status = cli_script_line(&ss, command);
		if (wrapped != NULL) {
			fclose(wrapped);
			ss.out = stdout;
		}
	} else if (isatty(STDIN_FILENO)) {
		ss.interactive = 1;
		status = cli_repl(&ss);
	} else {
		status = cli_script(&ss, stdin, stop);
	}
	fflush(stdout);
	cli_session_close(&ss);
	fault_arm(0); /* not OpenSSL's own teardown */
	pki_cleanup();
	return status;
}
