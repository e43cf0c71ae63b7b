/*
 * root.c: the default node root (SPEC §1), for every program's main.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "root.h"

/* mkdir -p of the parents of a default root (mode 0700 for what we make). */
static int make_parents(const char *path)
{
	char buf[4096];
	size_t i;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -1;
	for (i = 1; buf[i] != '\0'; i++) {
		if (buf[i] != '/')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0700) != 0 && errno != EEXIST)
			return -1;
		buf[i] = '/';
	}
	return 0;
}

const char *cli_default_root(char *buf, size_t size)
{
	const char *e = getenv("MMP_ROOT"), *home;

	if (e != NULL && e[0] != '\0')
		return e;
	if ((e = getenv("XDG_DATA_HOME")) != NULL && e[0] == '/')
		snprintf(buf, size, "%s/mmp", e);
	else if ((home = getenv("HOME")) != NULL && home[0] == '/')
		snprintf(buf, size, "%s/.local/share/mmp", home);
	else
		return NULL;
	make_parents(buf);
	return buf;
}
