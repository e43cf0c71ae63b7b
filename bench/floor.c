/*
 * floor.c: the limit no shell can beat (issue 6). The same OpenSSL work as
 * mmp's pki commands, in a loop, with nothing else: read the named files,
 * parse, compute, print the same facts, write results the same durable way.
 *
 *   floor gen DIR N        root, intermediate, bundle and N leaf certificates
 *   floor expiry DIR N     read and parse leaf1..N, print each one's end and subject
 *   floor inspect DIR N    parse and print the fields of leaf1..N
 *   floor verify DIR N     verify leaf1..N against bundle.crt (intermediate + root)
 *   floor verify1 DIR N    verify leaf1 against bundle.crt N times, both read and
 *                          parsed each time
 *   floor parse FILE N     read and parse every certificate of FILE (a PEM
 *                          bundle), N times; nothing printed
 *   floor sign DIR N       sign req.csr with ca.key/ca.crt N times (durable writes)
 *   floor csr DIR N        N RSA 2048 keys and CSRs (durable writes)
 *   floor list DIR         list the files of DIR, sorted
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

static void die(const char *what)
{
	fprintf(stderr, "floor: %s\n", what);
	ERR_print_errors_fp(stderr);
	exit(1);
}

static X509 *read_cert(const char *path)
{
	FILE *fp = fopen(path, "r");
	X509 *x = fp ? PEM_read_X509(fp, NULL, NULL, NULL) : NULL;

	if (fp)
		fclose(fp);
	if (x == NULL)
		die(path);
	return x;
}

/* temporary file, write, fsync, rename, fsync of the folder */
static void durable_write(const char *dir, const char *name, BIO *mem)
{
	char tmp[4096], path[4096];
	char *data;
	long len = BIO_get_mem_data(mem, &data);
	int fd, dfd;

	snprintf(tmp, sizeof(tmp), "%s/.tmp-%s", dir, name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, data, (size_t)len) != len || fsync(fd) != 0 || close(fd) != 0 ||
	    rename(tmp, path) != 0)
		die("write");
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd < 0 || fsync(dfd) != 0)
		die("fsync dir");
	close(dfd);
}

static EVP_PKEY *ec_key(void)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");

	if (k == NULL)
		die("keygen");
	return k;
}

static X509 *make_cert(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *ikey, int ca, long serial)
{
	X509 *x = X509_new();
	X509V3_CTX ctx;
	X509_EXTENSION *e;
	X509_NAME *n = X509_get_subject_name(x);

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : n);
	X509_gmtime_adj(X509_getm_notBefore(x), -60);
	X509_gmtime_adj(X509_getm_notAfter(x), 3650L * 86400);
	X509_set_pubkey(x, key);
	X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
	X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	e = X509V3_EXT_conf_nid(NULL, &ctx, NID_key_usage,
				ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,keyEncipherment");
	X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	e = X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_key_identifier, "hash");
	X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	e = X509V3_EXT_conf_nid(NULL, &ctx, NID_authority_key_identifier, "keyid:always");
	X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	if (!ca) {
		char san[300];
		snprintf(san, sizeof(san), "DNS:%s", cn);
		e = X509V3_EXT_conf_nid(NULL, &ctx, NID_ext_key_usage, "serverAuth,clientAuth");
		X509_add_ext(x, e, -1);
		X509_EXTENSION_free(e);
		e = X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_alt_name, san);
		X509_add_ext(x, e, -1);
		X509_EXTENSION_free(e);
	}
	if (!X509_sign(x, ikey ? ikey : key, EVP_sha256()))
		die("sign");
	return x;
}

static void write_pem(const char *path, X509 *x, EVP_PKEY *k, X509_REQ *r)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL)
		die(path);
	if (x)
		PEM_write_X509(fp, x);
	if (k)
		PEM_write_PrivateKey(fp, k, NULL, NULL, 0, NULL, NULL);
	if (r)
		PEM_write_X509_REQ(fp, r);
	fclose(fp);
}

static void gen(const char *dir, int n)
{
	EVP_PKEY *rk = ec_key(), *ik = ec_key(), *lk;
	X509 *root = make_cert("Bench Root CA", rk, NULL, NULL, 1, 1);
	X509 *inter = make_cert("Bench Intermediate CA", ik, root, rk, 1, 2);
	char path[4096], cn[64];
	FILE *fp;
	int i;

	snprintf(path, sizeof(path), "%s/bundle.crt", dir);
	fp = fopen(path, "w");
	PEM_write_X509(fp, inter);
	PEM_write_X509(fp, root);
	fclose(fp);
	snprintf(path, sizeof(path), "%s/ca.crt", dir);
	write_pem(path, root, NULL, NULL);
	snprintf(path, sizeof(path), "%s/ca.key", dir);
	write_pem(path, NULL, rk, NULL);
	for (i = 1; i <= n; i++) {
		X509 *leaf;
		lk = ec_key();
		snprintf(cn, sizeof(cn), "leaf%d.example.com", i);
		leaf = make_cert(cn, lk, inter, ik, 0, 1000 + i);
		snprintf(path, sizeof(path), "%s/leaf%d.crt", dir, i);
		write_pem(path, leaf, NULL, NULL);
		X509_free(leaf);
		EVP_PKEY_free(lk);
	}
	X509_free(root);
	X509_free(inter);
	EVP_PKEY_free(rk);
	EVP_PKEY_free(ik);
}

/* The facts pki inspect prints. */
static void inspect_one(const char *path, BIO *out)
{
	X509 *x = read_cert(path);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen, i;
	int nids[] = { NID_subject_alt_name, NID_key_usage, NID_ext_key_usage, NID_basic_constraints,
		       NID_netscape_cert_type };
	size_t k;

	BIO_printf(out, "%s: a certificate (PEM)\n  Subject : ", path);
	X509_NAME_print_ex(out, X509_get_subject_name(x), 0, XN_FLAG_ONELINE);
	BIO_printf(out, "\n  Issuer : ");
	X509_NAME_print_ex(out, X509_get_issuer_name(x), 0, XN_FLAG_ONELINE);
	BIO_printf(out, "\n  Serial : ");
	i2a_ASN1_INTEGER(out, X509_get0_serialNumber(x));
	BIO_printf(out, "\n  Not before : ");
	ASN1_TIME_print(out, X509_get0_notBefore(x));
	BIO_printf(out, "\n  Not after : ");
	ASN1_TIME_print(out, X509_get0_notAfter(x));
	BIO_printf(out, "\n  Key : %s %d bits\n", EVP_PKEY_get0_type_name(X509_get0_pubkey(x)),
		   EVP_PKEY_get_bits(X509_get0_pubkey(x)));
	BIO_printf(out, "  Signature algorithm : %s\n", OBJ_nid2ln(X509_get_signature_nid(x)));
	for (k = 0; k < sizeof(nids) / sizeof(nids[0]); k++) {
		int pos = X509_get_ext_by_NID(x, nids[k], -1);
		BIO_printf(out, "  %s : ", OBJ_nid2ln(nids[k]));
		if (pos >= 0)
			X509V3_EXT_print(out, X509_get_ext(x, pos), 0, 0);
		BIO_printf(out, "\n");
	}
	X509_digest(x, EVP_sha256(), md, &mdlen);
	BIO_printf(out, "  SHA-256 fingerprint : ");
	for (i = 0; i < mdlen; i++)
		BIO_printf(out, "%02X%s", md[i], i + 1 < mdlen ? ":" : "\n");
	BIO_printf(out, "  Usable for : %s\n", X509_check_purpose(x, X509_PURPOSE_SSL_SERVER, 0) == 1 ? "TLS server" : "-");
	X509_free(x);
}

static void verify_one(const char *leaf_path, const char *bundle_path)
{
	X509 *leaf = read_cert(leaf_path);
	STACK_OF(X509) *inters = sk_X509_new_null();
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	FILE *fp = fopen(bundle_path, "r");
	X509 *x;

	while (fp && (x = PEM_read_X509(fp, NULL, NULL, NULL)) != NULL) {
		if (X509_check_issued(x, x) == X509_V_OK)
			X509_STORE_add_cert(store, x);
		else
			sk_X509_push(inters, X509_dup(x));
		X509_free(x);
	}
	ERR_clear_error();
	if (fp)
		fclose(fp);
	X509_STORE_set_flags(store, X509_V_FLAG_X509_STRICT);
	if (!X509_STORE_CTX_init(ctx, store, leaf, inters) || X509_verify_cert(ctx) != 1)
		die("verify");
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	sk_X509_pop_free(inters, X509_free);
	X509_free(leaf);
}

static void sign_one(const char *dir, X509 *ca, EVP_PKEY *cakey)
{
	char path[4096];
	FILE *fp;
	X509_REQ *req;
	X509 *x = X509_new();
	X509V3_CTX ctx;
	X509_EXTENSION *e;
	BIGNUM *bn = BN_new();
	BIO *mem = BIO_new(BIO_s_mem());

	snprintf(path, sizeof(path), "%s/req.csr", dir);
	fp = fopen(path, "r");
	req = fp ? PEM_read_X509_REQ(fp, NULL, NULL, NULL) : NULL;
	if (fp)
		fclose(fp);
	if (req == NULL || X509_REQ_verify(req, X509_REQ_get0_pubkey(req)) != 1)
		die("csr");
	X509_set_version(x, 2);
	BN_rand(bn, 127, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY);
	BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x));
	X509_set_subject_name(x, X509_REQ_get_subject_name(req));
	X509_set_issuer_name(x, X509_get_subject_name(ca));
	X509_gmtime_adj(X509_getm_notBefore(x), -60);
	X509_gmtime_adj(X509_getm_notAfter(x), 825L * 86400);
	X509_set_pubkey(x, X509_REQ_get0_pubkey(req));
	X509V3_set_ctx(&ctx, ca, x, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints, "critical,CA:FALSE");
	X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	e = X509V3_EXT_conf_nid(NULL, &ctx, NID_ext_key_usage, "serverAuth,clientAuth");
	X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	if (!X509_sign(x, cakey, EVP_sha256()))
		die("sign");
	PEM_write_bio_X509(mem, x);
	durable_write(dir, "req.crt", mem);
	BIO_free(mem);
	BN_free(bn);
	X509_free(x);
	X509_REQ_free(req);
}

static void csr_one(const char *dir, int i)
{
	EVP_PKEY *k = EVP_RSA_gen(2048);
	X509_REQ *r = X509_REQ_new();
	X509_NAME *n = X509_NAME_new();
	BIO *mem = BIO_new(BIO_s_mem());
	char name[64];

	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)"x.example.com", -1, -1, 0);
	X509_REQ_set_subject_name(r, n);
	X509_REQ_set_pubkey(r, k);
	if (!X509_REQ_sign(r, k, EVP_sha256()))
		die("csr");
	PEM_write_bio_PrivateKey(mem, k, NULL, NULL, 0, NULL, NULL);
	snprintf(name, sizeof(name), "floor%d.key", i);
	durable_write(dir, name, mem);
	BIO_reset(mem);
	PEM_write_bio_X509_REQ(mem, r);
	snprintf(name, sizeof(name), "floor%d.csr", i);
	durable_write(dir, name, mem);
	BIO_free(mem);
	X509_NAME_free(n);
	X509_REQ_free(r);
	EVP_PKEY_free(k);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	size_t n = 0, cap = 0, i;

	while (d && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap)
			v = realloc(v, (cap = cap ? cap * 2 : 1024) * sizeof(*v));
		v[n++] = strdup(de->d_name);
	}
	if (d)
		closedir(d);
	qsort(v, n, sizeof(*v), cmp);
	printf("User supplied certificates and keys:\n");
	for (i = 0; i < n; i++) {
		printf("%s\n", v[i]);
		free(v[i]);
	}
	free(v);
}

int main(int argc, char **argv)
{
	char path[4096];
	int n = argc > 3 ? atoi(argv[3]) : 0, i;
	BIO *out = BIO_new_fp(stdout, BIO_NOCLOSE);

	if (argc < 3)
		die("usage: floor gen|inspect|expiry|verify|verify1|parse|sign|csr|list DIR [N]");
	if (strcmp(argv[1], "gen") == 0) {
		gen(argv[2], n);
	} else if (strcmp(argv[1], "inspect") == 0) {
		for (i = 1; i <= n; i++) {
			snprintf(path, sizeof(path), "%s/leaf%d.crt", argv[2], i);
			inspect_one(path, out);
		}
	} else if (strcmp(argv[1], "expiry") == 0) {
		/* what pki expiry needs of each file: its end and its name */
		for (i = 1; i <= n; i++) {
			X509 *x;
			snprintf(path, sizeof(path), "%s/leaf%d.crt", argv[2], i);
			x = read_cert(path);
			ASN1_TIME_print(out, X509_get0_notAfter(x));
			BIO_printf(out, "  leaf%d.crt ", i);
			X509_NAME_print_ex(out, X509_get_subject_name(x), 0, XN_FLAG_ONELINE);
			BIO_printf(out, "\n");
			X509_free(x);
		}
	} else if (strcmp(argv[1], "verify") == 0) {
		char bundle[4096];
		snprintf(bundle, sizeof(bundle), "%s/bundle.crt", argv[2]);
		for (i = 1; i <= n; i++) {
			snprintf(path, sizeof(path), "%s/leaf%d.crt", argv[2], i);
			verify_one(path, bundle);
			printf("%s: OK\n", path);
		}
	} else if (strcmp(argv[1], "verify1") == 0) {
		char bundle[4096];
		snprintf(bundle, sizeof(bundle), "%s/bundle.crt", argv[2]);
		snprintf(path, sizeof(path), "%s/leaf1.crt", argv[2]);
		for (i = 1; i <= n; i++) {
			verify_one(path, bundle);
			printf("%s: OK\n", path);
		}
	} else if (strcmp(argv[1], "parse") == 0) {
		for (i = 1; i <= n; i++) {
			FILE *fp = fopen(argv[2], "r");
			X509 *x;
			int got = 0;
			while (fp && (x = PEM_read_X509(fp, NULL, NULL, NULL)) != NULL) {
				got++;
				X509_free(x);
			}
			ERR_clear_error();
			if (fp)
				fclose(fp);
			if (got == 0)
				die(argv[2]);
		}
	} else if (strcmp(argv[1], "sign") == 0) {
		for (i = 1; i <= n; i++) { /* the CA files are read per command, as mmp does */
			FILE *fp;
			EVP_PKEY *k;
			X509 *ca;
			snprintf(path, sizeof(path), "%s/ca.crt", argv[2]);
			ca = read_cert(path);
			snprintf(path, sizeof(path), "%s/ca.key", argv[2]);
			fp = fopen(path, "r");
			k = fp ? PEM_read_PrivateKey(fp, NULL, NULL, NULL) : NULL;
			if (fp)
				fclose(fp);
			if (k == NULL)
				die("ca key");
			sign_one(argv[2], ca, k);
			X509_free(ca);
			EVP_PKEY_free(k);
		}
	} else if (strcmp(argv[1], "csr") == 0) {
		for (i = 1; i <= n; i++)
			csr_one(argv[2], i);
	} else if (strcmp(argv[1], "list") == 0) {
		list(argv[2]);
	} else {
		die("unknown mode");
	}
	BIO_free(out);
	return 0;
}
