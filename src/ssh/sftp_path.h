/*
 * sftp_path.h: how a path an SFTP client sends maps onto the flat file store
 * (issue 4): "/", "." and "" are the store itself, "name", "/name" and
 * "./name" are a file of it, everything else is refused with the reason.
 * No libssh type here, so the rule is unit-tested on its own.
 */
#ifndef MMP_SSH_SFTP_PATH_H
#define MMP_SSH_SFTP_PATH_H

#include <stddef.h>

enum sftp_path_kind {
	SFTP_PATH_BAD = 0, /* refused; *why says why */
	SFTP_PATH_ROOT,    /* the store's folder */
	SFTP_PATH_FILE,    /* one file of the store: name filled */
};

/* Map path (len bytes as sent: a NUL byte inside is refused) to the store.
 * name gets the file name for SFTP_PATH_FILE (size >= 65); the name itself
 * is not checked against SPEC §4 here (store_check_name does that). *why is
 * a static string for SFTP_PATH_BAD. */
enum sftp_path_kind sftp_path_map(const char *path, size_t len, char *name, size_t size,
				  const char **why);

#endif
