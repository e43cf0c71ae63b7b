/*
 * authkeys.c: login by key (issue 4, SPEC §8): the OpenSSH public key lines
 * in <user>.pub of the file store (what pki pkcs12-to-ssh writes). Ed25519,
 * ECDSA and RSA of at least 2048 bits are accepted; the RSA size is read
 * from the key blob itself (RFC 4253 6.6: string "ssh-rsa", mpint e, mpint n).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "conn.h"
#include "mmp/access.h"
#include "mmp/store.h"

#define RSA_MIN_BITS 2048

static int b64_value(int ch)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = ch ? strchr(a, ch) : NULL;

	return p ? (int)(p - a) : -1;
}

/* Decode base64 (no blanks inside) into out; returns the length or -1. */
static long b64_decode(const char *in, size_t len, unsigned char *out, size_t size)
{
	size_t o = 0, i;
	unsigned acc = 0;
	int bits = 0, v;

	for (i = 0; i < len && in[i] != '='; i++) {
		if ((v = b64_value((unsigned char)in[i])) < 0)
			return -1;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= size)
				return -1;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	return (long)o;
}

static int get_string(const unsigned char **p, const unsigned char *end, const unsigned char **s,
		      uint32_t *n)
{
	if (end - *p < 4)
		return -1;
	*n = (uint32_t)(*p)[0] << 24 | (uint32_t)(*p)[1] << 16 | (uint32_t)(*p)[2] << 8 | (*p)[3];
	if ((size_t)(end - *p - 4) < *n)
		return -1;
	*s = *p + 4;
	*p += 4 + *n;
	return 0;
}

/* Bits of the modulus of an "ssh-rsa" key blob given as base64, or -1. */
static int rsa_bits(const char *b64, size_t len)
{
	unsigned char blob[4096];
	const unsigned char *p = blob, *end, *s;
	uint32_t n;
	long got = b64_decode(b64, len, blob, sizeof(blob));
	int bits;

	if (got < 0)
		return -1;
	end = blob + got;
	if (get_string(&p, end, &s, &n) != 0 || n != 7 || memcmp(s, "ssh-rsa", 7) != 0 ||
	    get_string(&p, end, &s, &n) != 0 || get_string(&p, end, &s, &n) != 0)
		return -1;
	while (n > 0 && *s == 0) {
		s++;
		n--;
	}
	if (n == 0)
		return 0;
	bits = (int)(n - 1) * 8;
	for (unsigned char top = *s; top != 0; top >>= 1)
		bits++;
	return bits;
}

/* One "<type> <base64> [comment]" line against the offered key. */
static int line_matches(const char *user, char *line, ssh_key offered)
{
	char *save = NULL;
	char *type = strtok_r(line, " \t", &save), *b64 = strtok_r(NULL, " \t", &save);
	enum ssh_keytypes_e kt;
	ssh_key stored = NULL;
	int ok = 0, bits;

	if (type == NULL || b64 == NULL || type[0] == '#')
		return 0;
	kt = ssh_key_type_from_name(type);
	if (kt == SSH_KEYTYPE_UNKNOWN) { /* options, or no key line: never silently */
		sshd_log(LOG_WARNING,
			 "%s.pub: a line that is not \"<type> <key> [comment]\" (options such as from= are not applied) is skipped: see pki inspect %s.pub",
			 user, user);
		return 0;
	}
	if (kt != SSH_KEYTYPE_ED25519 && kt != SSH_KEYTYPE_RSA && kt != SSH_KEYTYPE_ECDSA_P256 &&
	    kt != SSH_KEYTYPE_ECDSA_P384 && kt != SSH_KEYTYPE_ECDSA_P521)
		return 0;
	if (kt == SSH_KEYTYPE_RSA && (bits = rsa_bits(b64, strlen(b64))) < RSA_MIN_BITS) {
		sshd_log(LOG_WARNING, "%s.pub: an RSA key of %d bits is refused (at least %d)", user,
			 bits, RSA_MIN_BITS);
		return 0;
	}
	if (ssh_pki_import_pubkey_base64(b64, kt, &stored) == SSH_OK)
		ok = ssh_key_cmp(stored, offered, SSH_KEY_CMP_PUBLIC) == 0;
	ssh_key_free(stored);
	return ok;
}

int sshd_key_allowed(const char *root, const char *user, ssh_key key)
{
	char name[STORE_NAME_MAX + 8];
	unsigned char *buf = NULL;
	struct mmp_err err;
	struct store *s;
	size_t len = 0;
	char *line, *save = NULL;
	int ok = 0;

	mmp_err_clear(&err);
	if (snprintf(name, sizeof(name), "%s.pub", user) >= (int)sizeof(name) ||
	    store_check_name(name, STORE_PUB, &err) != MMP_OK)
		return 0;
	if ((s = store_open(root, &err)) == NULL)
		return 0;
	store_set_actor(s, ACCESS_SYSTEM, NULL); /* mmp-sshd itself reads the login key */
	if (store_read(s, name, &buf, &len, &err) == MMP_OK && memchr(buf, '\0', len) == NULL)
		for (line = strtok_r((char *)buf, "\r\n", &save); line != NULL && !ok;
		     line = strtok_r(NULL, "\r\n", &save))
			ok = line_matches(user, line, key);
	store_buf_free(buf, len);
	store_free(s);
	return ok;
}
