/*
 * test_cmdtab.c: walks the command table (STYLE.md): no duplicate paths,
 * every entry has usage and summary, usage starts with the path, argument
 * counts are sane, no writing command is open to the read-only audit role;
 * and lookup, unknown-command suggestions and help come from it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include <cmocka.h>

#include "cli/cli.h"
#include "cli/complete.h"
#include "mmp/cmd.h"
#include "mmp/pki.h"

static void test_walk(void **state)
{
	const struct mmp_cmd *c, *d;
	(void)state;
	for (c = cmd_all(); c->path != NULL; c++) {
		assert_non_null(c->usage);
		assert_non_null(c->summary);
		assert_non_null(c->exec);
		assert_true(strlen(c->summary) > 0);
		if (strncmp(c->usage, c->path, strlen(c->path)) != 0)
			fail_msg("usage of \"%s\" does not start with its path", c->path);
		assert_true(c->min_args >= 0);
		assert_true(c->max_args == -1 || c->max_args >= c->min_args);
		assert_true(c->roles != 0);
		if ((c->flags & CMD_W_ANY) && (c->roles & ROLE_AUDIT) && !(c->flags & CMD_OWN_ACCOUNT))
			fail_msg("\"%s\" writes but is open to the audit role", c->path);
		/* one path may have several entries only if no argument count
		 * fits two of them (hostname / hostname <name>) */
		for (d = c + 1; d->path != NULL; d++)
			if (strcmp(c->path, d->path) == 0 &&
			    !(c->max_args >= 0 && c->max_args < d->min_args) &&
			    !(d->max_args >= 0 && d->max_args < c->min_args))
				fail_msg("duplicate path \"%s\" with overlapping argument counts", c->path);
	}
}

static void test_lookup(void **state)
{
	char *a[] = { "pki", "csr", "x", "CN:y" };
	char *b[] = { "pki" };
	char *c[] = { "pki", "nonsense" };
	int used;
	const struct mmp_cmd *cmd;
	(void)state;
	cmd = cmd_lookup(4, a, &used);
	assert_non_null(cmd);
	assert_string_equal(cmd->path, "pki csr");
	assert_int_equal(used, 2);
	cmd = cmd_lookup(1, b, &used);
	assert_string_equal(cmd->path, "pki");
	cmd = cmd_lookup(2, c, &used);
	assert_string_equal(cmd->path, "pki");
	assert_int_equal(used, 1);
	assert_true(cmd_is_family("pki"));
	assert_false(cmd_is_family("pkx"));
}

/* Run one line with output captured into a string. */
static char *run(const char *line, int *status)
{
	struct mmp_session ss;
	char *buf = NULL;
	size_t len = 0;

	memset(&ss, 0, sizeof(ss));
	ss.out = open_memstream(&buf, &len);
	ss.role = ROLE_AUDIT;
	*status = cmd_run_line(&ss, line);
	fclose(ss.out);
	return buf;
}

static void test_dispatch_messages(void **state)
{
	int st;
	char *out;
	(void)state;
	out = run("pki lsit", &st);
	assert_int_equal(st, 1);
	assert_string_equal(out, "FAILURE: unknown command \"pki lsit\": did you mean \"list\"? type help pki for the usage\n");
	free(out);
	out = run("pkj list", &st);
	assert_string_equal(out, "FAILURE: unknown command \"pkj\": did you mean \"pki\"? type help for the usage\n");
	free(out);
	out = run("pki match a.key", &st);
	assert_int_equal(st, 1);
	assert_string_equal(out, "FAILURE: pki match: not allowed for the audit role\n");
	free(out);
	out = run("help pki", &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "Usage:\n  pki\n      Show the pki usage and a count of the files by type. Roles: admin, crypto, audit.\n  pki list\n"));
	free(out);
	/* the start of commands, not one: say what may follow */
	out = run("user", &st);
	assert_int_equal(st, 1);
	assert_string_equal(out, "FAILURE: \"user\" needs more words: \"add\", \"del\", \"list\", \"info\", \"rule\" may follow; type help user for the usage\n");
	free(out);
	/* help lists the family's whole table: user also holds passwd, audit */
	out = run("help user", &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "\n  user add <name> <admin|crypto|audit|appadmin|api>\n"));
	assert_non_null(strstr(out, "\n  passwd [<name>]\n"));
	assert_non_null(strstr(out, "\n  audit [<count>]\n"));
	free(out);
	/* help of one command, of a sub-family, with prefixes */
	out = run("help pki csr", &st);
	assert_int_equal(st, 0);
	assert_string_equal(out, "Usage:\n  pki csr <key/cert basename> CN:<value> [OU:<value>] [O:<value>] [L:<value>] [ST:<value>] [C:<value>] [emailAddress:<value>] [subjectAltName:<value>,<value>...] | from:<certificate>\n      Make an RSA 2048 key <basename>.key and a SHA-256 CSR <basename>.csr; from: renews a certificate, keeping its subject, subjectAltName and ExtendedKeyUsage. Roles: admin, crypto.\n");
	free(out);
	out = run("help web https", &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "Usage:\n  webbridge3 https listen <interface:port allowed list>\n"));
	assert_non_null(strstr(out, "\n  webbridge3 https certs none\n      Remove the HTTPS certificates. Roles: admin, crypto.\n"));
	assert_null(strstr(out, "c2w"));
	free(out);
	out = run("help pki nonsense", &st);
	assert_int_equal(st, 1);
	assert_string_equal(out, "FAILURE: help: no command \"pki nonsense\": type help pki for the usage\n");
	free(out);
	out = run("pki list extra", &st);
	assert_string_equal(out, "FAILURE: pki list: too many arguments: usage: pki list\n");
	free(out);
	out = run("# a comment", &st);
	assert_int_equal(st, 0);
	assert_string_equal(out, "");
	free(out);
}

/* issue 12 item 5.3: a unique prefix names a command word, an exact word
 * wins over a longer one, an ambiguous prefix lists its candidates, and
 * a word after a command that takes arguments is never expanded */
static void test_prefixes(void **state)
{
	char *a[] = { "pki", "ins", "x.crt" };
	char *b[] = { "data", "clu", "status" };
	char *c[] = { "webbridge3", "options", "n" };
	char *d[] = { "tu", "cred", "u", "pw", "example.com" };
	const char *word[CMD_ARGS_MAX];
	size_t len[CMD_ARGS_MAX];
	const struct mmp_cmd *cmd;
	int used, st, ambig;
	char *out;
	(void)state;
	cmd = cmd_lookup(3, a, &used);
	assert_string_equal(cmd->path, "pki inspect");
	assert_int_equal(used, 2);
	cmd = cmd_lookup(3, b, &used);
	assert_string_equal(cmd->path, "database cluster status");
	cmd = cmd_lookup(3, c, &used);
	assert_string_equal(cmd->path, "webbridge3 options");
	assert_int_equal(used, 2);
	cmd = cmd_lookup(5, d, &used);
	assert_string_equal(cmd->usage, "turn credentials <username> <password> <realm>");
	assert_int_equal(cmd_resolve(3, a, word, len, &ambig), 2);
	assert_int_equal(ambig, -1);
	assert_int_equal((int)len[1], 7);
	assert_memory_equal(word[1], "inspect", 7);
	/* the prefix of a password line is masked as the whole words are */
	assert_true(cmd_line_has_secret("tu cred u pw example.com"));
	assert_true(cmd_line_has_secret("turn credentials u pw example.com"));
	assert_false(cmd_line_has_secret("tu cred u example.com"));
	out = run("pki s x", &st);
	assert_int_equal(st, 1);
	assert_string_equal(out, "FAILURE: ambiguous command \"pki s\": it may be \"pki selfsigned\" or \"pki sign\": type more of the word\n");
	free(out);
	out = run("pk mat a.key b.crt", &st); /* the message names the full path */
	assert_string_equal(out, "FAILURE: pki match: not allowed for the audit role\n");
	free(out);
	out = run("pki frob", &st);
	assert_string_equal(out, "FAILURE: unknown command \"pki frob\": the words that fit here are \"list\", \"inspect\", \"checksum\", \"expiry\", \"metrics\", \"alarms\", \"match\", \"verify\", \"unlock\", \"csr\", \"selfsigned\", \"sign\", \"pkcs12-to-ssh\", \"pkcs12-extract\"; type help pki for the usage\n");
	free(out);
}

static char **complete(const char *line)
{
	struct mmp_session ss;
	const char *text = strrchr(line, ' ') ? strrchr(line, ' ') + 1 : line;

	memset(&ss, 0, sizeof(ss));
	return cli_complete(&ss, line, (int)(text - line), text);
}

static void free_matches(char **m)
{
	for (int i = 0; m != NULL && m[i] != NULL; i++)
		free(m[i]);
	free(m);
}

/* issue 12 item 5.4: fixed words come from the usage (COMPLETE_WORDS);
 * every a|b of a usage is completed, and nothing else is marked so */
static void test_complete_fixed_words(void **state)
{
	char w[16][CMD_WORD_MAX];
	const struct mmp_cmd *c;
	char **m;
	int i;
	(void)state;
	for (c = cmd_all(); c->path != NULL; c++)
		for (i = 0; i < 3; i++) {
			int n = cmd_arg_words(c, i, w, 16);
			if ((cmd_arg_kind(c, i) == COMPLETE_WORDS) != (n > 0) &&
			    !(i == 2 && cmd_arg_kind(c, i) == COMPLETE_WORDS))
				fail_msg("\"%s\" argument %d: COMPLETE_WORDS and a|b in the usage disagree",
					 c->path, i + 1);
		}
	m = complete("user add bob ");
	assert_non_null(m);
	assert_string_equal(m[1], "admin");
	assert_string_equal(m[2], "api");
	assert_string_equal(m[3], "appadmin");
	assert_string_equal(m[4], "audit");
	assert_string_equal(m[5], "crypto");
	assert_null(m[6]);
	free_matches(m);
	assert_null(complete("user add "));  /* the name: nothing to offer */
	m = complete("tls sip verify ");
	assert_string_equal(m[1], "disable");
	assert_string_equal(m[2], "enable");
	assert_string_equal(m[3], "ocsp");
	free_matches(m);
	m = complete("tls ldap min-tls-version ");
	assert_string_equal(m[1], "1.2");
	assert_string_equal(m[2], "1.3");
	free_matches(m);
	m = complete("web http-redirect ");  /* a prefix, and (enable [port]|disable) */
	assert_string_equal(m[1], "disable");
	assert_string_equal(m[2], "enable");
	assert_null(m[3]);
	free_matches(m);
	assert_null(complete("web http-redirect enable "));
	m = complete("tls ");
	assert_string_equal(m[1], "ldap");
	assert_string_equal(m[2], "sip");
	free_matches(m);
	m = complete("help pki c"); /* help takes command words */
	assert_string_equal(m[0], "c"); /* the part they share, then each */
	assert_string_equal(m[1], "checksum");
	assert_string_equal(m[2], "csr");
	assert_null(m[3]);
	free_matches(m);
	m = complete("help pki cs");
	assert_string_equal(m[0], "csr");
	free_matches(m);
}

/* issue 12 item 5.2: what ? shows */
static void test_help_next(void **state)
{
	struct mmp_session ss;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;
	(void)state;
	memset(&ss, 0, sizeof(ss));
	fp = open_memstream(&buf, &len);
	cli_help_next(&ss, "pki csr x CN:a ", 15, fp);
	fclose(fp);
	assert_string_equal(buf,
		"  OU:             Organizational unit\n"
		"  O:              Organization\n"
		"  L:              Locality (city)\n"
		"  ST:             State or province\n"
		"  C:              Country: two letters (GB, US, ...)\n"
		"  emailAddress:   Contact e-mail address\n"
		"  subjectAltName: Names it is valid for, comma-separated, no blanks (the CN is added)\n"
		"  <Enter>         runs it\n");
	free(buf);
	fp = open_memstream(&buf, &len);
	cli_help_next(&ss, "pki s", 5, fp);
	fclose(fp);
	assert_string_equal(buf,
		"  selfsigned      Make a key <basename>.key and a self-signed CA certificate <basename>.crt\n"
		"  sign            Sign <csr basename>.csr with <ca basename>.key/.crt into <csr basename>.crt\n");
	free(buf);
	fp = open_memstream(&buf, &len);
	cli_help_next(&ss, "", 0, fp);
	fclose(fp);
	assert_non_null(strstr(buf, "  pki             Keys, certificates, CSRs and bundles in the file store (guide Appendix C)\n"));
	assert_null(strstr(buf, "  ?")); /* ? is the key itself */
	free(buf);
	fp = open_memstream(&buf, &len);
	cli_help_next(&ss, "callbridge tr", 13, fp);
	fclose(fp);
	assert_string_equal(buf, "  trust           then c2w, edge, cluster\n");
	free(buf);
}

/* issue 12 item 5.5: the hanging indent of a wrapped line */
static void test_wrap(void **state)
{
	static const char *line = "FAILURE: nonexist.crt: no such file in the file store: upload it with SFTP, or see pki list";
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;
	(void)state;
	assert_int_equal(cli_wrap_indent(line, strlen(line)), 9);
	assert_int_equal(cli_wrap_indent("line 12: WARNING: x y", 21), 18);
	assert_int_equal(cli_wrap_indent("HTTPS listen          : none", 28), 24);
	assert_int_equal(cli_wrap_indent("  pki     Keys", 14), 10);
	assert_int_equal(cli_wrap_indent("plain text here", 15), 2);
	fp = open_memstream(&buf, &len);
	cli_wrap_line(fp, line, strlen(line), 40);
	fclose(fp);
	assert_string_equal(buf, "FAILURE: nonexist.crt: no such file in\n"
				 "         the file store: upload it with\n"
				 "         SFTP, or see pki list");
	free(buf);
	fp = open_memstream(&buf, &len);
	cli_wrap_line(fp, "SUCCESS: abcdefghijklmnopqrstuvwxyz0123456789", 45, 20);
	fclose(fp);
	assert_string_equal(buf, "SUCCESS: abcdefghijk\n         lmnopqrstuv\n         wxyz0123456\n         789");
	free(buf);
}

static void test_arg_counts(void **state)
{
	struct mmp_session ss;
	char *buf = NULL;
	size_t len = 0;
	(void)state;
	memset(&ss, 0, sizeof(ss));
	ss.out = open_memstream(&buf, &len);
	ss.role = ROLE_ADMIN;
	assert_int_equal(cmd_run_line(&ss, "pki inspect"), 1);
	fclose(ss.out);
	assert_string_equal(buf, "FAILURE: pki inspect: too few arguments: usage: pki inspect <filename>\n");
	free(buf);
}

/* issue 10 item 8: the two entries of "turn credentials" are told apart
 * by their argument counts; a count that fits neither names both usages;
 * which lines hold a secret comes from the table (the REPL's history). */
static void test_turn_credentials_forms(void **state)
{
	char *two[] = { "turn", "credentials", "u", "example.com" };
	char *three[] = { "turn", "credentials", "u", "pw", "example.com" };
	const struct mmp_cmd *c;
	int used, st;
	char *out;
	(void)state;
	c = cmd_lookup(4, two, &used);
	assert_non_null(c);
	assert_int_equal(used, 2);
	assert_string_equal(c->usage, "turn credentials <username> <realm>");
	assert_false(cmd_has_secret(c));
	assert_int_equal(CMD_ASKS_OF(c->flags), 2);
	c = cmd_lookup(5, three, &used);
	assert_non_null(c);
	assert_string_equal(c->usage, "turn credentials <username> <password> <realm>");
	assert_true(cmd_has_secret(c));
	assert_int_equal(cmd_arg_kind(c, 1), COMPLETE_SECRET);
	assert_int_equal(CMD_ASKS_OF(c->flags), 0);
	out = run("turn credentials u", &st);
	assert_int_equal(st, 1);
	assert_string_equal(out, "FAILURE: turn credentials: not allowed for the audit role\n");
	free(out);
	assert_true(cmd_line_has_secret("turn credentials u pw example.com"));
	assert_true(cmd_line_has_secret("  turn  credentials u \"p w\" example.com"));
	assert_true(cmd_line_has_secret("turn credentials u pw example.com extra")); /* fits neither */
	assert_true(cmd_line_has_secret("turn credentials \"unbalanced")); /* cannot be looked up */
	assert_false(cmd_line_has_secret("turn credentials u example.com"));
	assert_false(cmd_line_has_secret("turn"));
	assert_false(cmd_line_has_secret("pki list"));
	assert_false(cmd_line_has_secret("# turn credentials u pw example.com"));
	assert_false(cmd_line_has_secret(""));
}

static void test_turn_credentials_usage(void **state)
{
	struct mmp_session ss;
	char *buf = NULL;
	size_t len = 0;
	(void)state;
	memset(&ss, 0, sizeof(ss));
	ss.out = open_memstream(&buf, &len);
	ss.role = ROLE_ADMIN;
	assert_int_equal(cmd_run_line(&ss, "turn credentials u"), 1);
	fclose(ss.out);
	assert_string_equal(buf, "FAILURE: turn credentials: too few arguments: usage: turn credentials <username> <realm> or turn credentials <username> <password> <realm>\n");
	free(buf);
}

/* issue 11 class 1: a remedy names only what the role may run, decided
 * from the command table's roles */
static void test_remedy(void **state)
{
	struct mmp_session ss;
	char buf[CLI_REMEDY_MAX];
	(void)state;

	memset(&ss, 0, sizeof(ss));
	ss.role = ROLE_ADMIN;
	assert_string_equal(cli_remedy_cmd(&ss, "turn disable", buf, sizeof(buf)),
			    "run turn disable first");
	ss.role = ROLE_CRYPTO;
	assert_string_equal(cli_remedy_cmd(&ss, "turn disable", buf, sizeof(buf)),
			    "ask an admin to run turn disable first");
	assert_string_equal(cli_remedy_cmd(&ss, "turn certs none", buf, sizeof(buf)),
			    "run turn certs none first");
	assert_string_equal(cli_remedy_use(&ss, "callbridge listen <interface>", buf, sizeof(buf)),
			    "ask an admin to run callbridge listen <interface>");
	ss.role = ROLE_AUDIT;
	assert_string_equal(cli_remedy_use(&ss, "pki list", buf, sizeof(buf)), "use pki list");
}

static void test_complete_words(void **state)
{
	struct mmp_session ss;
	char **m;
	(void)state;
	memset(&ss, 0, sizeof(ss));
	m = cli_complete(&ss, "pki s", 4, "s");
	assert_non_null(m);
	assert_string_equal(m[0], "s");
	assert_string_equal(m[1], "selfsigned");
	assert_string_equal(m[2], "sign");
	assert_null(m[3]);
	for (int i = 0; m[i] != NULL; i++)
		free(m[i]);
	free(m);
	m = cli_complete(&ss, "pki csr x subj", 10, "subj");
	assert_non_null(m);
	assert_string_equal(m[0], "subjectAltName:");
	assert_string_equal(m[1], "subjectAltName:");
	free(m[0]);
	free(m[1]);
	free(m);
}

/* pki sign completes CSR basenames first, then CAs (a .crt with its .key) */
static void test_complete_sign(void **state)
{
	struct mmp_session ss;
	struct mmp_err e;
	char root[] = "/tmp/mmp-test-complete.XXXXXX";
	char **m;
	int i;
	(void)state;
	memset(&ss, 0, sizeof(ss));
	assert_non_null(mkdtemp(root));
	ss.store = store_open(root, &e);
	store_set_actor(ss.store, ROLE_ADMIN, pki_access_classify);
	assert_non_null(ss.store);
	store_write(ss.store, "req.csr", "x", 1, 0, &e);
	store_write(ss.store, "ca.crt", "x", 1, 0, &e);
	store_write(ss.store, "ca.key", "x", 1, STORE_W_PRIVATE, &e);
	store_write(ss.store, "cert.crt", "x", 1, 0, &e);
	m = cli_complete(&ss, "pki sign ", 9, "");
	assert_non_null(m);
	assert_string_equal(m[1], "req");
	assert_null(m[2]);
	for (i = 0; m[i] != NULL; i++)
		free(m[i]);
	free(m);
	m = cli_complete(&ss, "pki sign req ", 13, "");
	assert_non_null(m);
	assert_string_equal(m[1], "ca");
	assert_null(m[2]); /* cert.crt has no key: not a CA to sign with */
	for (i = 0; m[i] != NULL; i++)
		free(m[i]);
	free(m);
	store_remove(ss.store, "req.csr", &e);
	store_remove(ss.store, "ca.crt", &e);
	store_remove(ss.store, "ca.key", &e);
	store_remove(ss.store, "cert.crt", &e);
	store_free(ss.store);
}

/* pki verify after its two files: a CA file, name: or crl:<file> (a
 * new-user trial found neither offered) */
static char *joined(char **m)
{
	static char buf[512];
	size_t o = 0;
	int i;

	buf[0] = '\0';
	for (i = 1; m != NULL && m[i] != NULL; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s", i > 1 ? " " : "", m[i]);
	if (m != NULL && m[0] != NULL && m[1] == NULL) /* one match: m[0] is it */
		snprintf(buf, sizeof(buf), "%s", m[0]);
	free_matches(m);
	return buf;
}

static void test_complete_verify(void **state)
{
	struct mmp_session ss;
	struct mmp_err e;
	char root[] = "/tmp/mmp-test-complete.XXXXXX";
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;
	(void)state;
	memset(&ss, 0, sizeof(ss));
	assert_non_null(mkdtemp(root));
	ss.store = store_open(root, &e);
	assert_non_null(ss.store);
	store_set_actor(ss.store, ROLE_ADMIN, pki_access_classify);
	store_write(ss.store, "a.crt", "x", 1, 0, &e);
	store_write(ss.store, "b.pem", "x", 1, 0, &e);
	store_write(ss.store, "r.crl", "x", 1, 0, &e);
	store_write(ss.store, "k.key", "x", 1, STORE_W_PRIVATE, &e);
	assert_string_equal(joined(cli_complete(&ss, "pki verify a.crt b.pem ", 23, "")),
			    "a.crt b.pem crl: name:");
	assert_string_equal(joined(cli_complete(&ss, "pki verify a.crt b.pem n", 23, "n")), "name:");
	assert_string_equal(joined(cli_complete(&ss, "pki verify a.crt b.pem crl:", 23, "crl:")),
			    "crl:b.pem crl:r.crl");
	assert_string_equal(joined(cli_complete(&ss, "pki verify a.crt b.pem name:x crl:r", 30, "crl:r")),
			    "crl:r.crl");
	fp = open_memstream(&buf, &len);
	cli_help_next(&ss, "pki verify a.crt b.pem ", 23, fp);
	fclose(fp);
	assert_non_null(strstr(buf, "  name:           name:<dns name or IP address>: the name clients connect to"));
	assert_non_null(strstr(buf, "  crl:            crl:<file>: a certificate revocation list (PEM or DER), up to 8"));
	assert_non_null(strstr(buf, "  <Enter>         runs it\n"));
	free(buf);
	store_remove(ss.store, "a.crt", &e);
	store_remove(ss.store, "b.pem", &e);
	store_remove(ss.store, "r.crl", &e);
	store_remove(ss.store, "k.key", &e);
	store_free(ss.store);
	rmdir(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_dispatch_messages),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_arg_counts),
		cmocka_unit_test(test_turn_credentials_forms),
		cmocka_unit_test(test_turn_credentials_usage),
		cmocka_unit_test(test_remedy),
		cmocka_unit_test(test_complete_words),
		cmocka_unit_test(test_complete_sign),
		cmocka_unit_test(test_complete_verify),
		cmocka_unit_test(test_complete_fixed_words),
		cmocka_unit_test(test_help_next),
		cmocka_unit_test(test_wrap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
