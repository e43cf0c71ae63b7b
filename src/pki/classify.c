/*
 * classify.c: what a file's contents are for the access table (issue 10
 * item 1): a secret (a private key, locked or not, a PKCS#12, an OpenSSH
 * or PuTTY private key, or contents mmp cannot tell) or plain; and what a login
 * key file (<user>.pub) may hold. The store calls it through
 * store_set_actor(); it never decides by the file's name alone.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "mmp/access.h"

static const char *const ssh_types[] = {
	"ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
	"ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
	"ssh-dss", NULL,
};

/* Index of the key type the word at p (length n) is, or -1. */
static int ssh_type_of(const char *p, size_t n)
{
	int i;

	for (i = 0; ssh_types[i] != NULL; i++)
		if (strlen(ssh_types[i]) == n && memcmp(p, ssh_types[i], n) == 0)
			return i;
	return -1;
}

/* A .pub file's lines (authorized_keys format without options): each line
 * that is not blank or a # comment is "<type> <base64> [comment]". 0 when
 * fine; else why says which line and what to do. */
static int pub_lines_problem(const char *text, size_t len, char *why, size_t size)
{
	const char *p = text, *end = text + len, *eol, *w;
	int line = 0;

	for (; p < end; p = eol + 1) {
		size_t n;
		line++;
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		for (w = p; w < eol && (*w == ' ' || *w == '\t' || *w == '\r'); w++)
			;
		if (w == eol || *w == '#')
			continue;
		n = strcspn(w, " \t\r\n");
		if (w + n > eol)
			n = (size_t)(eol - w);
		if (ssh_type_of(w, n) >= 0)
			continue;
		/* options come before the type: find a type later on the line */
		for (const char *q = w; q < eol; q++) {
			size_t m = strcspn(q, " \t\r\n");
			if (q + m > eol)
				m = (size_t)(eol - q);
			if (q > w && (q[-1] == ' ' || q[-1] == '\t') && ssh_type_of(q, m) >= 0) {
				snprintf(why, size,
					 "line %d has options before its key type (such as from=, command= or no-pty): mmp-sshd does not apply authorized_keys options, so the key would log in without their limits; keep only \"<type> <key> [comment]\" on the line",
					 line);
				return 1;
			}
		}
		snprintf(why, size,
			 "line %d is not an OpenSSH public key line (\"ssh-ed25519 AAAA... comment\"): put the user's public key line there (ssh-keygen makes it as id_ed25519.pub), or a PKCS#12 to convert with pki pkcs12-to-ssh",
			 line);
		return 1;
	}
	return 0;
}

/* Does the text hold a PEM block of a private key of any kind ("PRIVATE
 * KEY-----": PKCS#8, RSA, EC, ENCRYPTED, OPENSSH)? */
static int has_private_block(const unsigned char *buf, size_t len)
{
	return memmem(buf, len, "PRIVATE KEY-----", 16) != NULL;
}

/* A line outside PEM blocks that may carry a secret: the word PRIVATE (a
 * PGP or ssh.com key, a relabelled block), a PuTTY key file, or a run of
 * base64 (a key without its PEM lines). Text as openssl x509 -text writes
 * it (words, hex with colons) is none of these. */
static int suspect_line(const char *p, size_t n)
{
	size_t i, b64 = 0;

	for (i = 0; i + 7 <= n; i++)
		if (strncasecmp(p + i, "PRIVATE", 7) == 0 ||
		    (i + 10 <= n && strncasecmp(p + i, "PuTTY-User", 10) == 0))
			return 1;
	for (i = 0; i < n; i++) {
		if (isalnum((unsigned char)p[i]) || p[i] == '+' || p[i] == '/' || p[i] == '=')
			b64++;
		else if (p[i] != '\r' && p[i] != ' ' && p[i] != '\t')
			return 0;
	}
	return b64 >= 40;
}

/* Is every byte of a PEM text told: outside the blocks, no suspect line? */
static int pem_text_told(const char *t, size_t len)
{
	const char *p = t, *end = t + len, *eol;
	int inside = 0;

	for (; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if ((size_t)(eol - p) >= 11 && strncmp(p, "-----BEGIN ", 11) == 0)
			inside = 1;
		else if ((size_t)(eol - p) >= 9 && strncmp(p, "-----END ", 9) == 0)
			inside = 0;
		else if (!inside && suspect_line(p, (size_t)(eol - p)))
			return 0;
	}
	return 1;
}

/* Is the whole file understood as something that holds no secret? Every
 * PEM block of a known public type and decoded, nothing suspect between
 * them, every line of an SSH public key file a key line. */
static int all_told(const struct pki_file *f)
{
	if (f->unknown_blocks > 0 || f->bad_blocks > 0 || f->untold_blocks > 0 || f->too_many ||
	    f->kind == PKI_KIND_UNKNOWN)
		return 0;
	if (memchr(f->raw, '\0', f->raw_len) != NULL && f->enc != PKI_ENC_DER)
		return 0;
	if (f->kind == PKI_KIND_SSH_PUBKEY) {
		char why[8];
		return pub_lines_problem((const char *)f->raw, f->raw_len, why, sizeof(why)) == 0;
	}
	if (f->enc == PKI_ENC_PEM)
		return pem_text_told((const char *)f->raw, f->raw_len);
	return 1;
}

unsigned pki_access_classify(const unsigned char *buf, size_t len, const char *name, char *why,
			     size_t why_size)
{
	struct pki_file *f = NULL;
	struct mmp_err err;
	unsigned kinds = ACCESS_SECRET;
	size_t n = name != NULL ? strlen(name) : 0;

	if (why != NULL && why_size > 0)
		why[0] = '\0';
	if (pki_file_parse("file", buf, len, &f, &err) != MMP_OK)
		return ACCESS_SECRET | ACCESS_UNTOLD; /* cannot tell: the safe answer */
	if (f->keys == 0 && !f->locked && f->p12 == NULL && f->foreign == PKI_FOREIGN_NONE &&
	    !has_private_block(buf, len))
		kinds = all_told(f) ? ACCESS_PLAIN : ACCESS_SECRET | ACCESS_UNTOLD;
	if (why != NULL && why_size > 0 && n > 4 && strcmp(name + n - 4, ".pub") == 0 &&
	    f->kind != PKI_KIND_PKCS12) {
		char reason[400];
		if (pub_lines_problem((const char *)f->raw, f->raw_len, reason, sizeof(reason)))
			snprintf(why, why_size, "%s: %s", name, reason);
	}
	pki_file_free(f);
	return kinds;
}

int pki_login_key_problem(const unsigned char *buf, size_t len, char *why, size_t size)
{
	why[0] = '\0';
	return pub_lines_problem((const char *)buf, len, why, size);
}
