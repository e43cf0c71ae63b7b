/*
 * fuzz_cmdline.c: libFuzzer harness for the command line (issue 5): the
 * lexer, the dispatcher and every command's argument checks, on a
 * throw-away root. Each input is a script of lines; lines that would make
 * RSA keys (pki csr, pki selfsigned) are skipped to keep runs fast, the
 * commands' argument checks are still reached through the others.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "fuzz_common.h"
#include "mmp/cmd.h"

static struct mmp_session ss;
static FILE *sink;

static void setup(void)
{
	char root[64];
	struct mmp_err err;

	fuzz_root("cmd", root, sizeof(root));
	if (cli_session_open(&ss, root, &err) != MMP_OK)
		abort();
	sink = fopen("/dev/null", "w");
	ss.out = sink;
	ss.prompt = fuzz_answer_yes;
}

static int makes_keys(const char *line)
{
	return strstr(line, "csr") != NULL || strstr(line, "selfsigned") != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *line, *save = NULL;

	if (ss.store == NULL)
		setup();
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save))
		if (!makes_keys(line))
			cmd_run_line(&ss, line);
	ss.quit = 0;
	free(text);
	return 0;
}
