/*
 * ask.c: asking a new password twice without echo (user add, passwd, turn
 * credentials): one place for the questions, their FAILURE lines and the
 * wiping of what was typed.
 */
#include <string.h>

#include "cli.h"

int cli_ask_new_password(struct mmp_session *ss, const char *prompt, const char *retype,
			 size_t min_len, char *pw, size_t size)
{
	char again[256];
	int rc = 1;

	if (ss->prompt == NULL || ss->prompt(ss, prompt, 1, pw, size) != MMP_OK)
		fprintf(ss->out, "FAILURE: no password was given (end of input or Ctrl-C): nothing was changed\n");
	else if (pw[0] == '\0' && min_len <= 1) /* said before it is typed again */
		fprintf(ss->out, "FAILURE: the password is empty: nothing was changed, type one\n");
	else if (strlen(pw) < min_len || pw[0] == '\0')
		fprintf(ss->out, "FAILURE: the password is shorter than %zu characters: nothing was changed, choose a longer one\n",
			min_len);
	else if (ss->prompt(ss, retype, 1, again, sizeof(again)) != MMP_OK)
		fprintf(ss->out, "FAILURE: no password was given (end of input or Ctrl-C): nothing was changed\n");
	else if (strcmp(pw, again) != 0)
		fprintf(ss->out, "FAILURE: the two passwords differ: nothing was changed, try again\n");
	else
		rc = 0;
	explicit_bzero(again, sizeof(again));
	if (rc != 0)
		explicit_bzero(pw, size);
	return rc;
}
