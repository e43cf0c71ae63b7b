/*
 * remedy.c: the words of a message that come from the user or name a
 * command: a remedy names only what this session's role may run (issue 11
 * class 1, decided from the command table's roles), and a word the user
 * typed is echoed cut to a sane length (text_cut).
 */
#include <string.h>

#include "cli.h"
#include "mmp/lex.h"

/* May the session's role run the command cmd names? 1 when it may, or
 * when cmd names no command (nothing to refuse); 0 when its roles lack
 * the session's role. */
static int role_may_run(struct mmp_session *ss, const char *cmd)
{
	struct lex_words w;
	struct mmp_err err;
	const struct mmp_cmd *c;
	int used, may = 1;

	if (lex_split(cmd, &w, &err) != MMP_OK)
		return 1;
	c = w.argc > 0 ? cmd_lookup(w.argc, w.argv, &used) : NULL;
	if (c != NULL)
		may = (c->roles & ss->role) != 0;
	lex_free(&w);
	return may;
}

/* Who may: the table's roles name an admin for every command a user may
 * be refused (ROLES_CFG, ROLES_PKI both hold ROLE_ADMIN). */
const char *cli_remedy(struct mmp_session *ss, const char *verb, const char *cmd,
		       const char *tail, char *buf, size_t size)
{
	if (role_may_run(ss, cmd))
		snprintf(buf, size, "%s %s%s", verb, cmd, tail);
	else
		snprintf(buf, size, "ask an admin to run %s%s", cmd, tail);
	return buf;
}

const char *cli_remedy_cmd(struct mmp_session *ss, const char *cmd, char *buf, size_t size)
{
	return cli_remedy(ss, "run", cmd, " first", buf, size);
}

const char *cli_remedy_use(struct mmp_session *ss, const char *cmd, char *buf, size_t size)
{
	return cli_remedy(ss, "use", cmd, "", buf, size);
}

void cli_fputs_word(const char *word, FILE *fp)
{
	char shown[CLI_SHOWN_MAX];

	fputs(text_cut(word, shown, sizeof(shown)), fp);
}

