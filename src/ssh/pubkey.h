/*
 * pubkey.h: OpenSSH public key lines made with libssh's key API (src/ssh/),
 * for pki pkcs12-to-ssh (guide Appendix C). No libssh type crosses this
 * header, so src/pki/ can call it without including <libssh/...>.
 */
#ifndef MMP_SSH_PUBKEY_H
#define MMP_SSH_PUBKEY_H

#include "mmp/err.h"

/* The OpenSSH public key line "<type> <base64> <comment>\n" (the format of
 * authorized_keys, sshd(8) "AUTHORIZED_KEYS FILE FORMAT") of the public half
 * of a private key given as NUL-terminated, unencrypted PEM text (PKCS#8 or
 * traditional). comment must be printable ASCII without blanks (a user name).
 * On success *line is a malloc'd string the caller frees with free().
 * Errors: MMP_ERR_FORMAT when libssh cannot use the key (unsupported type,
 * RSA shorter than libssh's minimum), MMP_ERR_NOMEM. *line is NULL then. */
enum mmp_rc sshd_pubkey_line_from_pem(const char *pem, const char *comment, char **line,
				      struct mmp_err *err);

#endif
