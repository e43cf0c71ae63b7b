/*
 * fuzz_common.c: the throw-away root and the prompt of the harnesses.
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "mmp/pki.h"

static char made[64];

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

static void cleanup(void)
{
	nftw(made, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void fuzz_root(const char *tag, char *root, size_t size)
{
	struct mmp_err err;

	snprintf(made, sizeof(made), "%s/mmp-fuzz-%s.XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", tag);
	if (mkdtemp(made) == NULL || atexit(cleanup) != 0 || pki_init(&err) != MMP_OK)
		abort();
	snprintf(root, size, "%s", made);
}

enum mmp_rc fuzz_answer_yes(struct mmp_session *s, const char *prompt, int secret, char *buf,
			    size_t size)
{
	(void)s;
	(void)prompt;
	(void)secret;
	snprintf(buf, size, "Y");
	return MMP_OK;
}
