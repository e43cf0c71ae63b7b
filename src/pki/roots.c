/*
 * roots.c: where the machine's public roots are, and whether a
 * certificate chains to one of them (mmp/roots.h).
 */
#include <string.h>

#include <openssl/x509_vfy.h>

#include "internal.h"
#include "mmp/roots.h"

static const char *roots_path;
/* the public roots, read once per process from loaded_path */
static X509_STORE *roots_store;
static char loaded_path[4096];

void pki_set_public_roots(const char *path)
{
	roots_path = path;
}

const char *pki_public_roots(void)
{
	return roots_path != NULL ? roots_path : PKI_PUBLIC_ROOTS_DEFAULT;
}

/* The store of public roots, read on first use; NULL when the file cannot
 * be read (then nothing is public). */
static X509_STORE *public_store(void)
{
	const char *path = pki_public_roots();

	if (roots_store != NULL && strcmp(loaded_path, path) == 0)
		return roots_store;
	X509_STORE_free(roots_store);
	roots_store = NULL;
	if (strlen(path) >= sizeof(loaded_path) || (roots_store = X509_STORE_new()) == NULL)
		return NULL;
	if (X509_STORE_load_file(roots_store, path) != 1) {
		X509_STORE_free(roots_store);
		roots_store = NULL;
		pki_err_clear();
		return NULL;
	}
	snprintf(loaded_path, sizeof(loaded_path), "%s", path);
	return roots_store;
}

void pki_roots_free(void)
{
	X509_STORE_free(roots_store);
	roots_store = NULL;
	loaded_path[0] = '\0';
}

int pki_public_roots_check(char *why, size_t size)
{
	X509_STORE *st = public_store();
	STACK_OF(X509_OBJECT) *objs;
	int i, n = 0;

	if (st == NULL) {
		snprintf(why, size, "%s: cannot be read as PEM certificates", pki_public_roots());
		return 0;
	}
	objs = X509_STORE_get0_objects(st);
	for (i = 0; i < sk_X509_OBJECT_num(objs); i++)
		n += X509_OBJECT_get_type(sk_X509_OBJECT_value(objs, i)) == X509_LU_X509;
	if (n == 0)
		snprintf(why, size, "%s holds no certificate", pki_public_roots());
	return n;
}

/* Only the errors that say the chain does not reach a public root end the
 * walk; the others (time, purpose, extensions) are other rules' business. */
static int chain_only(int ok, X509_STORE_CTX *ctx)
{
	switch (X509_STORE_CTX_get_error(ctx)) {
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
	case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
	case X509_V_ERR_OUT_OF_MEM:
		return ok;
	default:
		return 1;
	}
}

static int push_all(STACK_OF(X509) *to, const struct pki_file *f)
{
	int i;

	for (i = 0; f != NULL && i < sk_X509_num(f->certs); i++)
		if (X509_self_signed(sk_X509_value(f->certs, i), 0) != 1 &&
		    !sk_X509_push(to, sk_X509_value(f->certs, i)))
			return 0;
	return 1;
}

int pki_chains_to_public(const struct pki_file *f, size_t i, const struct pki_file *more,
			 char *root, size_t size)
{
	X509_STORE *st;
	X509_STORE_CTX *ctx = NULL;
	STACK_OF(X509) *untrusted = NULL;
	STACK_OF(X509) *chain;
	int public = 0;

	if (root != NULL && size > 0)
		root[0] = '\0';
	if (f == NULL || i >= pki_file_cert_count(f) || (st = public_store()) == NULL)
		return 0;
	/* a self-signed certificate of the files is no way to a public root
	 * (the store's own copy is found first when it is one), and OpenSSL
	 * does not go back when a cross-signed root's self-signed twin ends
	 * the chain it built: the verdict would follow the files' order */
	if ((untrusted = sk_X509_new_null()) == NULL || !push_all(untrusted, f) ||
	    !push_all(untrusted, more) || (ctx = X509_STORE_CTX_new()) == NULL ||
	    !X509_STORE_CTX_init(ctx, st, sk_X509_value(f->certs, (int)i), untrusted))
		goto out;
	X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_NO_CHECK_TIME);
	X509_STORE_CTX_set_verify_cb(ctx, chain_only);
	/* the top of the chain came from the store: a public root */
	if (X509_verify_cert(ctx) == 1 && (chain = X509_STORE_CTX_get0_chain(ctx)) != NULL &&
	    X509_STORE_CTX_get_num_untrusted(ctx) < sk_X509_num(chain)) {
		public = 1;
		if (root != NULL && size > 0)
			pki_name_oneline(X509_get_subject_name(sk_X509_value(chain, sk_X509_num(chain) - 1)),
					 root, size);
	}
out:
	X509_STORE_CTX_free(ctx);
	sk_X509_free(untrusted);
	pki_err_clear();
	return public;
}
