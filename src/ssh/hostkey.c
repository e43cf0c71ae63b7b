/*
 * hostkey.c: mmp-sshd's host keys (issue 4): Ed25519, and RSA 3072 for older
 * clients, made with libssh in <root>/ssh/ on first start (mode 0600, written
 * to a temporary file and renamed so a half-written key is never used), and
 * their SHA-256 fingerprints as OpenSSH shows them (issue 12).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "conn.h"

static const struct {
	const char *file;
	enum ssh_keytypes_e type;
	int bits;
	const char *shown; /* the key type as ssh-keygen -l names it */
} host_keys[] = {
	{ "ssh_host_ed25519_key", SSH_KEYTYPE_ED25519, 0, "ED25519" },
	{ "ssh_host_rsa_key", SSH_KEYTYPE_RSA, 3072, "RSA" },
};

static int make_key(const char *path, enum ssh_keytypes_e type, int bits)
{
	char tmp[4200];
	ssh_key key = NULL;
	int rc = -1;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid()) >= (int)sizeof(tmp)) {
		sshd_log(LOG_ERR, "the host key path %s is too long", path);
		return -1;
	}
	unlink(tmp);
	if (ssh_pki_generate(type, bits, &key) != SSH_OK) {
		sshd_log(LOG_ERR, "cannot make the host key %s", path);
		goto out;
	}
	if (ssh_pki_export_privkey_file(key, NULL, NULL, NULL, tmp) != SSH_OK ||
	    chmod(tmp, 0600) != 0 || rename(tmp, path) != 0) {
		sshd_log(LOG_ERR, "cannot write the host key %s: %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	sshd_log(LOG_NOTICE, "made the host key %s", path);
	rc = 0;
out:
	ssh_key_free(key);
	return rc;
}

/* "SHA256:<base64 without padding>" of the key at path, the form
 * ssh-keygen -l and the ssh client's first-connection question print
 * (libssh hashes the public key blob and encodes it). */
static int fingerprint(const char *path, char *out, size_t size)
{
	ssh_key key = NULL;
	unsigned char *hash = NULL;
	size_t len = 0;
	char *fp = NULL;
	int rc = -1;

	if (ssh_pki_import_privkey_file(path, NULL, NULL, NULL, &key) != SSH_OK ||
	    ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &len) != 0 ||
	    (fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, len)) == NULL) {
		sshd_log(LOG_ERR, "cannot read the host key %s for its fingerprint", path);
		goto out;
	}
	snprintf(out, size, "%s", fp);
	rc = 0;
out:
	ssh_string_free_char(fp);
	ssh_clean_pubkey_hash(&hash);
	ssh_key_free(key);
	return rc;
}

int sshd_hostkeys_load(ssh_bind bind, const char *root, char *fps, size_t size)
{
	char dir[4096], path[4200], fp[128];
	struct stat st;
	size_t i, used = 0;

	fps[0] = '\0';

	snprintf(dir, sizeof(dir), "%s/ssh", root);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		sshd_log(LOG_ERR, "cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < sizeof(host_keys) / sizeof(host_keys[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, host_keys[i].file);
		if (lstat(path, &st) != 0 &&
		    make_key(path, host_keys[i].type, host_keys[i].bits) != 0)
			return -1;
		if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & 077) != 0) {
			sshd_log(LOG_ERR, "%s must be a regular file of mode 0600", path);
			return -1;
		}
		if (ssh_bind_options_set(bind, SSH_BIND_OPTIONS_HOSTKEY, path) != SSH_OK) {
			sshd_log(LOG_ERR, "cannot load the host key %s: %s", path,
				 ssh_get_error(bind));
			return -1;
		}
		if (fingerprint(path, fp, sizeof(fp)) != 0)
			return -1;
		used += (size_t)snprintf(fps + used, used < size ? size - used : 0, "%s%s %s",
					 i > 0 ? ", " : "", host_keys[i].shown, fp);
	}
	return used < size ? 0 : -1;
}
