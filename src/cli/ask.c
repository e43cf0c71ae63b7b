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
		res_check(ss, REPORT_FAILURE, "password.none", NULL, 0, "nothing was changed",
			  "no password was given (end of input or Ctrl-C)");
	else if (pw[0] == '\0' && min_len <= 1) /* said before it is typed again */
		res_check(ss, REPORT_FAILURE, "password.empty", NULL, 0,
			  "nothing was changed, type one", "the password is empty");
	else if (strlen(pw) < min_len || pw[0] == '\0')
		res_check(ss, REPORT_FAILURE, "password.too_short", NULL, 0,
			  "nothing was changed, choose a longer one",
			  "the password is shorter than %zu characters", min_len);
	else if (ss->prompt(ss, retype, 1, again, sizeof(again)) != MMP_OK)
		res_check(ss, REPORT_FAILURE, "password.none", NULL, 0, "nothing was changed",
			  "no password was given (end of input or Ctrl-C)");
	else if (strcmp(pw, again) != 0)
		res_check(ss, REPORT_FAILURE, "password.mismatch", NULL, 0,
			  "nothing was changed, try again", "the two passwords differ");
	else
		rc = 0;
	explicit_bzero(again, sizeof(again));
	if (rc != 0)
		explicit_bzero(pw, size);
	return rc;
}
