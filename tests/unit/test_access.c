/*
 * test_access.c: the access table (issue 10 item 1) through the store's own
 * calls, the ones every interface uses: every role x every operation x
 * every kind of file, each answer compared with the table written out
 * again here (not read from access.c), with the kind told by contents:
 * keys as .key, .pem and .der, a locked DER key, PKCS#12 under .p12, .pfx
 * and .pub, a certificate holding a key, an OpenSSH private key, damaged
 * contents, certificates, a CSR, a public key and a login key line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "mmp/access.h"
#include "mmp/cmd.h"
#include "mmp/pki.h"
#include "mmp/store.h"

#define P ACCESS_PLAIN
#define S ACCESS_SECRET
#define L ACCESS_LOGIN

static char root[256];

/* name in the store, the fixture it holds (NULL: text below), its kinds */
static const struct fixture {
	const char *name, *input, *text;
	unsigned kinds;
} fixtures[] = {
	{ "k.key", "server.key", NULL, S },
	{ "k.pem", "server.key", NULL, S },
	{ "k.der", "server-key.der", NULL, S },
	{ "l.der", "locked-pkcs8.der", NULL, S },
	{ "p.p12", "p12-ec.pfx", NULL, S },
	{ "p.pfx", "p12-ec.pfx", NULL, S },
	{ "q.pub", "p12-ec.pfx", NULL, S | L },
	{ "x.crt", "combined.pem", NULL, S },
	{ "o.key", NULL,
	  "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ==\n"
	  "-----END OPENSSH PRIVATE KEY-----\n",
	  S },
	{ "d.crt", "damaged.crt", NULL, S },
	{ "u.der", NULL, "\x30\x03\x02\x01\x05junk", S },
	{ "c.crt", "server.crt", NULL, P },
	{ "c.der", "server.der", NULL, P },
	{ "r.csr", "server-req.csr", NULL, P },
	{ "b.pem", "pubkey.pem", NULL, P },
	{ "e.crt", NULL, "", P },
	{ "zed.pub", "id-ed25519.pub", NULL, P | L },
	/* a revocation list is public, as a certificate is */
	{ "v.crl", NULL,
	  "-----BEGIN X509 CRL-----\n"
	  "MIIBZDBOAgEBMA0GCSqGSIb3DQEBCwUAMAwxCjAIBgNVBAMMAVQXDTI2MTIwMzEw\n"
	  "MjMzNFoXDTI3MDEwMjEwMjMzNFqgDjAMMAoGA1UdFAQDAgEBMA0GCSqGSIb3DQEB\n"
	  "CwUAA4IBAQBavCSM97BxODUbOcoU9mcIJTw75dDYmhQCwlyzQTjztumWj2PH8Zta\n"
	  "U/NWmzKRTbLIgeo1gLsDkj6Zv747cw7kOt4b2g6hjCiC/QQissVxfv8tSIw6KmUg\n"
	  "GwbtzTCJNlnNkL676aAlHd+SOUcP9A10/Qgbjo78IrrSKuVDPCqtWI1QMjn3HSc+\n"
	  "XeqqEeIiiCbFf4Wapv2k932aix1Hnqs1/7LCKmxXEPUBDpnwVL2iNIRSx47r+8+a\n"
	  "kRqHlfRtQQc556XvyNMGdL+IxYZ0OUbg6+R+1YFVx3KhYtAvTHUfokpJxkVe6NIe\n"
	  "jgU25SJUy0hTiEpB3OL1dYTj3VfattkF\n"
	  "-----END X509 CRL-----\n",
	  P },
};
#define NFIX (sizeof(fixtures) / sizeof(fixtures[0]))

/* The table of docs/SECURITY.md, written out again: read, use, create,
 * replace, rename from, rename to, remove. */
static const struct {
	unsigned role;
	unsigned allowed[ACCESS_OPS];
} expect[] = {
	{ ROLE_ADMIN, { P | S | L, P | S | L, P | S | L, P | S | L, P | S | L, P | S | L, P | S | L } },
	{ ROLE_CRYPTO, { P | S | L, P | S | L, P | S, P | S, P | S, P | S, P | S } },
	{ ROLE_AUDIT, { P | L, P | S | L, 0, 0, 0, 0, 0 } },
	{ ROLE_APPADMIN, { 0, 0, 0, 0, 0, 0, 0 } },
	{ ROLE_API, { 0, 0, 0, 0, 0, 0, 0 } },
};

static unsigned char *contents(const struct fixture *f, size_t *len)
{
	char path[512];
	const char *dir = getenv("MMP_TESTDATA");
	unsigned char *buf;
	FILE *fp;
	long n;

	if (f->text != NULL) {
		*len = strlen(f->text);
		buf = malloc(*len + 1);
		memcpy(buf, f->text, *len);
		return buf;
	}
	snprintf(path, sizeof(path), "%s/inputs/%s", dir ? dir : "tests/data", f->input);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* The store as mmp itself sees it: only f's file, and src.crt holding
 * f's contents (a source for "rename to"). */
static void reset(const struct fixture *f)
{
	struct mmp_err e;
	struct store *s = store_open(root, &e);
	char **names;
	size_t n, i, len;
	unsigned char *buf = contents(f, &len);

	assert_non_null(s);
	store_set_actor(s, ACCESS_SYSTEM, NULL);
	assert_int_equal(store_list(s, &names, &n, &e), MMP_OK);
	for (i = 0; i < n; i++)
		assert_int_equal(store_remove(s, names[i], &e), MMP_OK);
	store_list_free(names);
	assert_int_equal(store_write(s, f->name, buf, len, 0, &e), MMP_OK);
	assert_int_equal(store_write(s, "src.crt", buf, len, 0, &e), MMP_OK);
	free(buf);
	store_free(s);
}

/* A name of the same kind as f's for a new file: new.<ext>, or new.pub. */
static void new_name(const struct fixture *f, char *out, size_t size)
{
	snprintf(out, size, "new%s", strrchr(f->name, '.'));
}

static enum mmp_rc run_op(struct store *s, const struct fixture *f, enum access_op op)
{
	struct mmp_err e;
	unsigned char *buf;
	size_t len;
	char name[32];
	enum mmp_rc rc = MMP_ERR_INTERNAL;
	int fd;
	unsigned long long size;

	switch (op) {
	case ACCESS_READ:
		rc = store_open_read(s, f->name, &fd, &size, &e);
		if (rc == MMP_OK)
			close(fd);
		break;
	case ACCESS_USE:
		if ((rc = store_read(s, f->name, &buf, &len, &e)) == MMP_OK)
			store_buf_free(buf, len);
		break;
	case ACCESS_CREATE:
	case ACCESS_REPLACE:
		buf = contents(f, &len);
		new_name(f, name, sizeof(name));
		rc = store_write(s, op == ACCESS_CREATE ? name : f->name, buf, len, 0, &e);
		free(buf);
		break;
	case ACCESS_RENAME_FROM: /* to a plain name: its contents go along */
		rc = store_rename(s, f->name, "moved.der", 0, &e);
		break;
	case ACCESS_RENAME_TO: /* a file of the same contents takes the name */
		new_name(f, name, sizeof(name));
		rc = store_rename(s, "src.crt", name, 0, &e);
		break;
	case ACCESS_REMOVE:
		rc = store_remove(s, f->name, &e);
		break;
	case ACCESS_OPS: break;
	}
	if (rc != MMP_OK)
		assert_int_equal(rc, MMP_ERR_DENIED); /* refused by the table, for no other reason */
	if (rc == MMP_ERR_DENIED)
		assert_true(strlen(e.msg) > 20); /* and it says why */
	return rc;
}

static void test_every_role_op_kind(void **state)
{
	struct mmp_err e;
	size_t r, k;
	int op, checked = 0;
	(void)state;

	for (r = 0; r < sizeof(expect) / sizeof(expect[0]); r++) {
		for (k = 0; k < NFIX; k++) {
			const struct fixture *f = &fixtures[k];
			for (op = 0; op < ACCESS_OPS; op++) {
				unsigned want = expect[r].allowed[op];
				int ok = want != 0 && (f->kinds & ~want) == 0;
				struct store *s;
				enum mmp_rc rc;
				reset(f);
				s = store_open(root, &e);
				assert_non_null(s);
				store_set_actor(s, expect[r].role, pki_access_classify);
				rc = run_op(s, f, (enum access_op)op);
				if ((rc == MMP_OK) != ok)
					fail_msg("role %u, %s, %s: got %d, the table says %s", expect[r].role,
						 access_op_name((enum access_op)op), f->name, rc,
						 ok ? "allowed" : "refused");
				store_free(s);
				checked++;
			}
		}
	}
	assert_int_equal(checked, 5 * (int)NFIX * ACCESS_OPS);
}

/* The classifier alone: what each fixture is, and a .pub line with
 * options refused, saying why. */
static void test_classify(void **state)
{
	char why[512];
	size_t k, len;
	unsigned char *buf;
	const char *opt = "from=\"10.0.0.0/8\" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGdS x\n";
	(void)state;

	for (k = 0; k < NFIX; k++) {
		buf = contents(&fixtures[k], &len);
		assert_int_equal(pki_access_classify(buf, len, fixtures[k].name, why, sizeof(why)) &
					 (P | S),
				 fixtures[k].kinds & (P | S));
		assert_string_equal(why, "");
		free(buf);
	}
	pki_access_classify((const unsigned char *)opt, strlen(opt), "eve.pub", why, sizeof(why));
	assert_non_null(strstr(why, "eve.pub: line 1 has options before its key type"));
	pki_access_classify((const unsigned char *)"hello\n", 6, "eve.pub", why, sizeof(why));
	assert_non_null(strstr(why, "eve.pub: line 1 is not an OpenSSH public key line"));
	pki_access_classify((const unsigned char *)opt, strlen(opt), "eve.crt", why, sizeof(why));
	assert_string_equal(why, ""); /* only a login key file has the rule */
}

/* Concatenations of fixtures (a, then b with from replaced by to, or with
 * its lines holding "-----" dropped when to is NULL), as an outsider made
 * them to slip a key past the classifier (issue 10, second attack). */
static unsigned char *glue(const char *a, const char *b, const char *from, const char *to,
			   size_t *len)
{
	struct fixture fa = { "a", a, NULL, 0 }, fb = { "b", b, NULL, 0 };
	size_t la, lb, o = 0, i;
	unsigned char *pa = contents(&fa, &la), *pb = contents(&fb, &lb);
	unsigned char *out = malloc(la + lb * 2 + 1);

	memcpy(out, pa, la);
	o = la;
	for (i = 0; i < lb;) {
		if (from != NULL && i + strlen(from) <= lb && memcmp(pb + i, from, strlen(from)) == 0) {
			memcpy(out + o, to, strlen(to));
			o += strlen(to);
			i += strlen(from);
		} else if (from == NULL && i + 5 <= lb && memcmp(pb + i, "-----", 5) == 0) {
			while (i < lb && pb[i] != '\n')
				i++;
			i++;
		} else {
			out[o++] = pb[i++];
		}
	}
	free(pa);
	free(pb);
	*len = o;
	return out;
}

static void test_disguised_secrets(void **state)
{
	static const struct {
		const char *a, *b, *from, *to;
	} cases[] = {
		{ "id-ed25519.pub", "server-key.der", "", "" }, /* ssh line + DER key ("": as is) */
		{ "id-ed25519.pub", "p12-ec.pfx", "", "" },     /* ssh line + PKCS#12 */
		{ "server.crt", "server.key", "PRIVATE KEY", "FOO" },
		{ "server.crt", "server.key", NULL, NULL },      /* base64 without its PEM lines */
		{ "server.crt", "server.key", "PRIVATE KEY", "CERTIFICATE" },
		{ "server.crt", "server.key", "PRIVATE KEY", "X509 CRL" }, /* a key named a CRL */
		{ "server.crt", "server.key", "PRIVATE KEY", "PGP PRIVATE KEY BLOCK" },
		{ "server.crt", "id-ed25519.pub", "ssh-ed25519", "PuTTY-User-Key-File-3: ssh-ed25519\nx" },
	};
	size_t i, len;
	unsigned char *buf;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf = glue(cases[i].a, cases[i].b, cases[i].from && cases[i].from[0] ? cases[i].from : NULL,
			   cases[i].to, &len);
		if (pki_access_classify(buf, len, "d.pem", NULL, 0) != (S | ACCESS_UNTOLD))
			fail_msg("disguise %zu (%s + %s) was not taken for a secret", i, cases[i].a,
				 cases[i].b);
		free(buf);
	}
	/* what admins upload stays plain: text before the blocks, a bundle */
	{
		struct fixture t = { "t", "text-bundle.crt", NULL, 0 }, a = { "a", "all-at-once.crt", NULL, 0 };
		buf = contents(&t, &len);
		assert_int_equal(pki_access_classify(buf, len, "t.crt", NULL, 0), P);
		free(buf);
		buf = contents(&a, &len);
		assert_int_equal(pki_access_classify(buf, len, "a.crt", NULL, 0) & (P | S),
				 memmem(buf, len, "PRIVATE KEY", 11) ? S : P);
		free(buf);
	}
}

/* A store nobody set an actor on may do nothing. */
static void test_no_actor(void **state)
{
	struct mmp_err e;
	struct store *s;
	unsigned char *buf;
	size_t len;
	(void)state;

	reset(&fixtures[11]);
	s = store_open(root, &e);
	assert_int_equal(store_read(s, "c.crt", &buf, &len, &e), MMP_ERR_DENIED);
	assert_int_equal(store_write(s, "n.crt", "x", 1, 0, &e), MMP_ERR_DENIED);
	assert_int_equal(store_remove(s, "c.crt", &e), MMP_ERR_DENIED);
	store_free(s);
}

static int setup(void **state)
{
	struct mmp_err e;
	(void)state;
	snprintf(root, sizeof(root), "/tmp/mmp-test-access.XXXXXX");
	return mkdtemp(root) == NULL || pki_init(&e) != MMP_OK;
}

static int teardown(void **state)
{
	struct mmp_err e;
	struct store *s = store_open(root, &e);
	char **names, path[512];
	size_t n, i;
	(void)state;
	store_set_actor(s, ACCESS_SYSTEM, NULL);
	if (store_list(s, &names, &n, &e) == MMP_OK) {
		for (i = 0; i < n; i++)
			store_remove(s, names[i], &e);
		store_list_free(names);
	}
	store_free(s);
	snprintf(path, sizeof(path), "%s/files", root);
	rmdir(path);
	rmdir(root);
	pki_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_role_op_kind),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_disguised_secrets),
		cmocka_unit_test(test_no_actor),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
