/*
 * test_pkicache.c: the cache of parsed files (src/pki/cache.c, issue 15
 * item 5): an unchanged file is not parsed again; a file changed on disk,
 * even in place with the same size and mtime, is; every store write,
 * upload, rename and removal forgets the names; an actor the access table
 * refuses is refused although another actor's load is cached; the cache
 * stays within its bounds, counted from what a parse really holds; a load
 * is the caller's to free.
 */
#include <fcntl.h>
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "mmp/cmd.h"
#include "mmp/pki.h"
#include "mmp/store.h"

static char root[256];
static struct store *s;

/* The bytes of tests/data/inputs/<name>. */
static unsigned char *data_file(const char *name, size_t *len)
{
	const char *dir = getenv("MMP_TESTDATA");
	char path[1024];
	unsigned char *buf = malloc(1 << 20);
	FILE *fp;

	snprintf(path, sizeof(path), "%s/inputs/%s", dir != NULL ? dir : "tests/data", name);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_non_null(buf);
	*len = fread(buf, 1, 1 << 20, fp);
	fclose(fp);
	return buf;
}

static void put(const char *data_name, const char *as)
{
	struct mmp_err e;
	size_t len;
	unsigned char *buf = data_file(data_name, &len);

	assert_int_equal(store_write(s, as, buf, len, 0, &e), MMP_OK);
	free(buf);
}

static struct pki_cache_stats stats(void)
{
	struct pki_cache_stats st;

	pki_cache_stats(&st);
	return st;
}

/* Load name, expecting MMP_OK; returns the file. */
static struct pki_file *load(const char *name)
{
	struct pki_file *f = NULL;
	struct mmp_err e;

	mmp_err_clear(&e);
	if (pki_file_load(s, name, &f, &e) != MMP_OK)
		fail_msg("%s: %s", name, e.msg);
	return f;
}

static size_t certs_of(const char *name)
{
	struct pki_file *f = load(name);
	size_t n = pki_file_cert_count(f);

	pki_file_free(f);
	return n;
}

static int setup(void **state)
{
	struct mmp_err e;

	(void)state;
	snprintf(root, sizeof(root), "/tmp/mmp-test-pkicache.XXXXXX");
	if (mkdtemp(root) == NULL || pki_init(&e) != MMP_OK || (s = store_open(root, &e)) == NULL)
		return 1;
	store_set_actor(s, ROLE_ADMIN, pki_access_classify);
	return 0;
}

static int teardown(void **state)
{
	struct mmp_err e;
	char **names, path[512];
	size_t n, i;

	(void)state;
	pki_cache_limits(PKI_CACHE_ENTRIES, PKI_CACHE_BYTES);
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

/* (a) the second load of an unchanged file parses nothing, and each load
 * is the caller's own: freeing one leaves the other whole */
static void test_second_load_not_parsed(void **state)
{
	struct pki_cache_stats a, b;
	struct pki_file *f1, *f2;
	char line[256];

	(void)state;
	pki_cache_clear();
	put("bundle.crt", "b1.crt");
	a = stats();
	f1 = load("b1.crt");
	b = stats();
	assert_int_equal(b.parses, a.parses + 1);
	assert_int_equal(b.entries, 1);
	f2 = load("b1.crt");
	a = stats();
	assert_int_equal(a.parses, b.parses); /* no parse */
	assert_int_equal(a.hits, b.hits + 1);
	assert_ptr_not_equal(f1, f2);
	assert_int_equal(pki_file_kind(f2), PKI_KIND_BUNDLE);
	pki_file_free(f1);
	assert_int_equal(pki_file_cert_count(f2), 3);
	pki_cert_issuer(f2, 2, line, sizeof(line)); /* still readable (ASan) */
	assert_true(line[0] != '\0');
	pki_file_free(f2);
	assert_int_equal(certs_of("b1.crt"), 3);
	assert_int_equal(stats().parses, a.parses);
}

/* (b) a file edited in place with the same size and mtime (only ctime
 * tells) is read again */
static void test_changed_in_place(void **state)
{
	struct pki_cache_stats a;
	char path[600];
	struct stat st;
	struct timespec ts[2];
	struct timespec pause = { 0, 30 * 1000 * 1000 }; /* past the clock tick of ctime */
	int fd;

	(void)state;
	pki_cache_clear();
	put("bundle.crt", "b2.crt");
	assert_int_equal(certs_of("b2.crt"), 3);
	snprintf(path, sizeof(path), "%s/files/b2.crt", root);
	assert_int_equal(stat(path, &st), 0);
	nanosleep(&pause, NULL);
	/* the first block's BEGIN line, one letter changed: same size */
	fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "X", 1, 21), 1); /* "-----BEGIN CERTIFICAT" + "E": "X" */
	close(fd);
	ts[0] = st.st_atim;
	ts[1] = st.st_mtim;
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
	{
		struct stat now;
		assert_int_equal(stat(path, &now), 0);
		assert_int_equal(now.st_size, st.st_size);
		assert_int_equal(now.st_ino, st.st_ino);
		assert_int_equal(now.st_mtim.tv_nsec, st.st_mtim.tv_nsec);
		assert_int_equal(now.st_mtim.tv_sec, st.st_mtim.tv_sec);
	}
	a = stats();
	/* BEGIN CERTIFICATX ... END CERTIFICATE: a damaged file, no certificate */
	assert_int_equal(certs_of("b2.crt"), 0);
	assert_int_equal(stats().parses, a.parses + 1);
	/* replaced by another file outside mmp (cp over it: a new inode) */
	snprintf(path, sizeof(path), "%s/files/b2.crt", root);
	{
		size_t len;
		unsigned char *buf = data_file("server.crt", &len);
		char tmp[640];
		FILE *fp;
		snprintf(tmp, sizeof(tmp), "%s/files/outside.tmp", root);
		fp = fopen(tmp, "wb");
		assert_non_null(fp);
		assert_int_equal(fwrite(buf, 1, len, fp), len);
		fclose(fp);
		assert_int_equal(rename(tmp, path), 0);
		free(buf);
	}
	assert_int_equal(certs_of("b2.crt"), 1);
}

/* (c) writes, uploads, renames and removals through the store forget */
static void test_store_changes_forget(void **state)
{
	struct mmp_err e;
	struct store_upload *up;
	size_t len;
	unsigned char *buf;

	(void)state;
	pki_cache_clear();
	put("bundle.crt", "c1.crt");
	assert_int_equal(certs_of("c1.crt"), 3);
	assert_int_equal(stats().entries, 1);
	put("server.crt", "c1.crt"); /* store_write */
	assert_int_equal(stats().entries, 0);
	assert_int_equal(certs_of("c1.crt"), 1);
	/* rename: both names */
	put("bundle.crt", "c2.crt");
	assert_int_equal(certs_of("c2.crt"), 3);
	assert_int_equal(stats().entries, 2);
	assert_int_equal(store_rename(s, "c2.crt", "c1.crt", 1, &e), MMP_OK);
	assert_int_equal(stats().entries, 0);
	assert_int_equal(certs_of("c1.crt"), 3);
	/* an upload (SFTP) */
	buf = data_file("server.crt", &len);
	assert_int_equal(store_upload_begin(s, "c1.crt", &up, &e), MMP_OK);
	assert_int_equal(store_upload_write(up, 0, buf, len, &e), MMP_OK);
	free(buf);
	assert_int_equal(stats().entries, 1);
	assert_int_equal(store_upload_commit(up, &e), MMP_OK);
	assert_int_equal(stats().entries, 0);
	assert_int_equal(certs_of("c1.crt"), 1);
	/* removal */
	assert_int_equal(stats().entries, 1);
	assert_int_equal(store_remove(s, "c1.crt", &e), MMP_OK);
	assert_int_equal(stats().entries, 0);
	{
		struct pki_file *f = NULL;
		assert_int_equal(pki_file_load(s, "c1.crt", &f, &e), MMP_ERR_NOENT);
		assert_null(f);
	}
}

/* (d) another actor's cached load gives a refused actor nothing: the same
 * refusal as a read */
static void test_refused_actor(void **state)
{
	struct mmp_err e, want;
	struct pki_cache_stats a;
	struct pki_file *f = NULL;
	struct store *other;
	unsigned char *buf = NULL;
	size_t len = 0;

	(void)state;
	pki_cache_clear();
	put("bundle.crt", "d1.crt");
	assert_int_equal(certs_of("d1.crt"), 3);
	assert_int_equal(stats().entries, 1);
	other = store_open(root, &e);
	assert_non_null(other);
	store_set_actor(other, ROLE_APPADMIN, pki_access_classify);
	assert_int_equal(store_read(other, "d1.crt", &buf, &len, &want), MMP_ERR_DENIED);
	assert_null(buf);
	a = stats();
	assert_int_equal(pki_file_load(other, "d1.crt", &f, &e), MMP_ERR_DENIED);
	assert_null(f);
	assert_string_equal(e.msg, want.msg);
	assert_int_equal(stats().hits, a.hits);
	/* and the admin still gets it from the cache */
	assert_int_equal(certs_of("d1.crt"), 3);
	assert_int_equal(stats().hits, a.hits + 1);
	store_free(other);
}

/* (e) bounds: entries and bytes; files with keys are never kept */
static void test_bounds(void **state)
{
	struct pki_cache_stats a;
	char name[32];
	int i;

	(void)state;
	pki_cache_limits(2, PKI_CACHE_BYTES);
	put("bundle.crt", "e1.crt");
	put("server.crt", "e2.crt");
	put("ca.crt", "e3.crt");
	certs_of("e1.crt");
	certs_of("e2.crt");
	certs_of("e3.crt"); /* e1, the least recently used, goes */
	assert_int_equal(stats().entries, 2);
	a = stats();
	certs_of("e3.crt");
	certs_of("e2.crt");
	assert_int_equal(stats().parses, a.parses);
	certs_of("e1.crt");
	assert_int_equal(stats().parses, a.parses + 1);
	assert_int_equal(stats().entries, 2);
	/* bytes: a limit two bundles' worth keeps at most two, whatever the
	 * count allowed; a file past the limit is not kept at all */
	pki_cache_limits(PKI_CACHE_ENTRIES, 0);
	certs_of("e1.crt");
	assert_int_equal(stats().entries, 0);
	pki_cache_limits(PKI_CACHE_ENTRIES, PKI_CACHE_BYTES);
	certs_of("e1.crt");
	a = stats();
	pki_cache_limits(PKI_CACHE_ENTRIES, a.bytes * 2 + a.bytes / 2);
	for (i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "m%d.crt", i);
		put("bundle.crt", name);
		certs_of(name);
		assert_true(stats().bytes <= a.bytes * 2 + a.bytes / 2);
		assert_true(stats().entries <= 2);
	}
	assert_int_equal(stats().entries, 2);
	/* 1,000 loads of 100 files under the default bounds */
	pki_cache_limits(PKI_CACHE_ENTRIES, PKI_CACHE_BYTES);
	for (i = 0; i < 1000; i++) {
		if (i < 100) {
			snprintf(name, sizeof(name), "n%d.crt", i);
			put("server.crt", name);
		}
		snprintf(name, sizeof(name), "n%d.crt", i % 100);
		certs_of(name);
		assert_true(stats().entries <= PKI_CACHE_ENTRIES);
		assert_true(stats().bytes <= PKI_CACHE_BYTES);
	}
	/* a private key is never kept */
	pki_cache_clear();
	put("ec.key", "k1.key");
	a = stats();
	pki_file_free(load("k1.key"));
	pki_file_free(load("k1.key"));
	assert_int_equal(stats().entries, 0);
	assert_int_equal(stats().parses, a.parses + 2);
}

/* A self-signed certificate (PEM, in *pem, *len) holding n entries of one
 * kind: 's' dNSNames of three letters, 'o' OU attributes of its subject,
 * 'c' permitted DNS subtrees of nameConstraints. */
static void crowded_cert(int kind, int n, char **pem, long *len)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *nm = X509_NAME_new();
	GENERAL_NAMES *gens = GENERAL_NAMES_new();
	NAME_CONSTRAINTS *nc = NAME_CONSTRAINTS_new();
	BIO *b = BIO_new(BIO_s_mem());
	char label[4], *p;
	int i;

	assert_non_null(k);
	assert_non_null(b);
	nc->permittedSubtrees = sk_GENERAL_SUBTREE_new_null();
	X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_ASC, (const unsigned char *)"crowded", -1, -1, 0);
	for (i = 0; i < n; i++) {
		GENERAL_NAME *g = GENERAL_NAME_new();
		ASN1_IA5STRING *ia5 = ASN1_IA5STRING_new();

		snprintf(label, sizeof(label), "%c%c%c", 'a' + i % 26, 'a' + i / 26 % 26, 'a' + i / 676 % 26);
		if (kind == 'o') {
			X509_NAME_add_entry_by_txt(nm, "OU", MBSTRING_ASC, (const unsigned char *)label, -1, -1, 0);
			GENERAL_NAME_free(g);
			ASN1_IA5STRING_free(ia5);
			continue;
		}
		ASN1_STRING_set(ia5, label, -1);
		GENERAL_NAME_set0_value(g, GEN_DNS, ia5);
		if (kind == 's') {
			sk_GENERAL_NAME_push(gens, g);
		} else {
			GENERAL_SUBTREE *t = GENERAL_SUBTREE_new();
			GENERAL_NAME_free(t->base);
			t->base = g;
			sk_GENERAL_SUBTREE_push(nc->permittedSubtrees, t);
		}
	}
	ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
	X509_set_version(x, X509_VERSION_3);
	X509_set_subject_name(x, nm);
	X509_set_issuer_name(x, nm);
	X509_gmtime_adj(X509_getm_notBefore(x), -86400);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400 * 30);
	X509_set_pubkey(x, k);
	if (kind == 's')
		X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0, 0);
	if (kind == 'c')
		X509_add1_ext_i2d(x, NID_name_constraints, nc, 1, 0);
	assert_true(X509_sign(x, k, EVP_sha256()) > 0);
	assert_true(PEM_write_bio_X509(b, x) == 1);
	*len = BIO_get_mem_data(b, &p);
	*pem = malloc((size_t)*len);
	assert_non_null(*pem);
	memcpy(*pem, p, (size_t)*len);
	BIO_free(b);
	NAME_CONSTRAINTS_free(nc);
	GENERAL_NAMES_free(gens);
	X509_NAME_free(nm);
	X509_free(x);
	EVP_PKEY_free(k);
}

/* (f) the bytes counted for a kept file are at least what it holds: a
 * certificate crowded with small entries takes about 30 times its PEM
 * (the count was three times the PEM: 12 certificates of 17,000 names,
 * 1.4 MB, held 23 MB counted as 4 MB; found by an attack on issue 15) */
static void test_cost_counts_entries(void **state)
{
	static const int kinds[] = { 's', 'o', 'c' };
	struct mmp_err e;
	struct mallinfo2 m0, m1;
	struct pki_file *f;
	size_t i, held;
	char *pem, name[32], why[512];
	long len;

	(void)state;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		crowded_cert(kinds[i], 5000, &pem, &len);
		snprintf(name, sizeof(name), "crowded-%c.crt", kinds[i]);
		assert_int_equal(store_write(s, name, pem, (size_t)len, 0, &e), MMP_OK);
		free(pem);
		pki_cache_clear();
		m0 = mallinfo2();
		f = load(name);
		/* what a check does to the shared certificate: OpenSSL decodes
		 * and keeps its extensions (X509_get_extension_flags) */
		pki_rule_wellformed(f, 0, why, sizeof(why));
		pki_file_free(f);
		m1 = mallinfo2();
		held = m1.uordblks > m0.uordblks ? m1.uordblks - m0.uordblks : 0;
		assert_int_equal(stats().entries, 1);
		if (stats().bytes < held)
			fail_msg("%s: %zu bytes held, %zu counted", name, held, (size_t)stats().bytes);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_second_load_not_parsed),
		cmocka_unit_test(test_changed_in_place),
		cmocka_unit_test(test_store_changes_forget),
		cmocka_unit_test(test_refused_actor),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_cost_counts_entries),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
