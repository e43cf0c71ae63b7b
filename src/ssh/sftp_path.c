/*
 * sftp_path.c: the path rule of the SFTP subsystem (issue 4): only the flat
 * file store is reachable; "..", folders, NUL bytes and absolute paths other
 * than "/" and "/<name>" are refused before any file is touched. A name
 * with two dots in it ("a..b.crt") is left to store_check_name(), which
 * refuses it and says why.
 */
#include <stdio.h>
#include <string.h>

#include "mmp/store.h"
#include "sftp_path.h"

enum sftp_path_kind sftp_path_map(const char *path, size_t len, char *name, size_t size,
				  const char **why)
{
	const char *p, *part = NULL;
	size_t part_len = 0, n;

	*why = NULL;
	if (size > 0)
		name[0] = '\0';
	if (path == NULL || memchr(path, '\0', len) != NULL || strlen(path) != len) {
		*why = "the path holds a NUL byte";
		return SFTP_PATH_BAD;
	}
	/* split on '/', skipping empty and "." parts: at most one part may stay */
	for (p = path; *p != '\0'; p += n) {
		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.'))
			continue;
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			*why = "\"..\" leaves the file store: only its files can be reached";
			return SFTP_PATH_BAD;
		}
		if (part != NULL) {
			*why = "the file store is flat: it has no folders, give a file name only";
			return SFTP_PATH_BAD;
		}
		part = p;
		part_len = n;
	}
	if (part == NULL)
		return SFTP_PATH_ROOT;
	if (part[part_len] == '/') {
		*why = "the file store is flat: it has no folders, give a file name only";
		return SFTP_PATH_BAD;
	}
	if (part_len > STORE_NAME_MAX || part_len + 1 > size) {
		*why = "the name is longer than the 64 bytes a file name may have";
		return SFTP_PATH_BAD;
	}
	memcpy(name, part, part_len);
	name[part_len] = '\0';
	return SFTP_PATH_FILE;
}
