/*
 * pubkey.c: turns a private key (PEM) into the OpenSSH public key line that
 * login by key uses (pki pkcs12-to-ssh, guide Appendix C), with libssh's key
 * API: import, take the public half, export as base64, name the type.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libssh/libssh.h>

#include "pubkey.h"

enum mmp_rc sshd_pubkey_line_from_pem(const char *pem, const char *comment, char **line,
				      struct mmp_err *err)
{
	ssh_key priv = NULL, pub = NULL;
	char *b64 = NULL;
	const char *type;
	enum mmp_rc rc = MMP_ERR_FORMAT;

	*line = NULL;
	if (ssh_pki_import_privkey_base64(pem, NULL, NULL, NULL, &priv) != SSH_OK) {
		mmp_err_set(err, rc, "the key cannot be used for SSH login: its type or size is not supported (RSA of at least 2048 bits, ECDSA or Ed25519 are)");
		goto out;
	}
	if (ssh_pki_export_privkey_to_pubkey(priv, &pub) != SSH_OK ||
	    ssh_pki_export_pubkey_base64(pub, &b64) != SSH_OK ||
	    (type = ssh_key_type_to_char(ssh_key_type(pub))) == NULL) {
		mmp_err_set(err, rc, "the public half of the key cannot be written in OpenSSH form");
		goto out;
	}
	if (asprintf(line, "%s %s %s\n", type, b64, comment) < 0) {
		*line = NULL;
		rc = mmp_err_set(err, MMP_ERR_NOMEM, "out of memory");
		goto out;
	}
	rc = MMP_OK;
out:
	ssh_string_free_char(b64);
	ssh_key_free(pub);
	ssh_key_free(priv); /* libssh wipes the private key when freeing it */
	return rc;
}
