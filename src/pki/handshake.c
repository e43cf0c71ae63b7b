/*
 * handshake.c: one real TLS handshake in memory (issue 14 item 4, health):
 * a client and a server made from files of the store, both in this process,
 * joined by a BIO pair and stepped until both are done or one refuses.
 * Which side refused, and why, come from each side's verify callback and
 * OpenSSL's error queue.
 */
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "internal.h"
#include "mmp/health.h"
#include "names.h"

#define STEPS_MAX 64 /* handshake rounds: a handful are needed */

/* What one side's verify callback saw: its first error. */
struct side_rec {
	int err;     /* X509_V_ERR_*, 0: none */
	int depth;
	X509 *cert;  /* the certificate of the error (owned) */
	X509 *leaf;  /* the peer's leaf (owned) */
	const struct pki_peer_name *host; /* the client's: the name the server
					   * must hold (names.c), or NULL */
};

static int verify_cb(int ok, X509_STORE_CTX *ctx)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(ctx, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct side_rec *rec = ssl != NULL ? SSL_get_app_data(ssl) : NULL;
	X509 *cert = X509_STORE_CTX_get_current_cert(ctx), *leaf = X509_STORE_CTX_get0_cert(ctx);

	/* the server's name, by the rules of pki verify name: (names.c, the
	 * browsers' rules), once the leaf's signature is checked: OpenSSL
	 * signals each depth's success, the leaf's last */
	if (ok && rec != NULL && rec->err == 0 && rec->host != NULL &&
	    X509_STORE_CTX_get_error_depth(ctx) == 0 && leaf != NULL &&
	    pki_name_match_x509(leaf, rec->host, NULL, 0) == PKI_NAME_NONE) {
		X509_STORE_CTX_set_error(ctx, rec->host->ip_len > 0 ? X509_V_ERR_IP_ADDRESS_MISMATCH
								    : X509_V_ERR_HOSTNAME_MISMATCH);
		ok = 0;
	}
	if (ok || rec == NULL || rec->err != 0)
		return ok;
	rec->err = X509_STORE_CTX_get_error(ctx);
	rec->depth = X509_STORE_CTX_get_error_depth(ctx);
	if (cert != NULL && X509_up_ref(cert))
		rec->cert = cert;
	if (leaf != NULL && X509_up_ref(leaf))
		rec->leaf = leaf;
	return 0;
}

static void name_of(const X509_NAME *n, char *buf, size_t size)
{
	buf[0] = '\0';
	if (n != NULL)
		pki_name_oneline(n, buf, size);
}

/* A side's own file cannot be used: res says which and why. */
static void unusable(struct pki_tls_result *res, int side, const char *file, const char *why)
{
	if (res->why != PKI_TLS_OK)
		return;
	res->why = PKI_TLS_UNUSABLE;
	res->refused_by = side;
	snprintf(res->file, sizeof(res->file), "%s", file != NULL ? file : "");
	snprintf(res->detail, sizeof(res->detail), "%s", why);
}

/* Load a file of the store, or say why not. */
static struct pki_file *load(const struct store *s, const char *name, int side,
			     struct pki_tls_result *res)
{
	struct pki_file *f = NULL;
	struct mmp_err e;

	mmp_err_clear(&e);
	if (pki_file_load(s, name, &f, &e) != MMP_OK) {
		if (e.rc == MMP_ERR_NOMEM)
			res->oom = 1; /* no verdict on the file */
		else
			unusable(res, side, name, e.msg);
		return NULL;
	}
	return f;
}

/* The side's key, certificate and chain into ctx; its leaf's name into leafname. */
static void use_own(const struct store *s, SSL_CTX *ctx, const struct pki_tls_side *sd, int side,
		    char *leafname, size_t size, struct pki_tls_result *res)
{
	struct pki_file *kf = NULL, *cf = NULL, *bf = NULL;
	int li, i;

	if (sd->key == NULL || sd->crt == NULL)
		return;
	if ((kf = load(s, sd->key, side, res)) == NULL || (cf = load(s, sd->crt, side, res)) == NULL ||
	    (sd->chain != NULL && (bf = load(s, sd->chain, side, res)) == NULL))
		goto out;
	if (kf->key == NULL) {
		unusable(res, side, sd->key, kf->locked ? "the key is locked (pki unlock)" : "it holds no private key");
		goto out;
	}
	if (sk_X509_num(cf->certs) == 0) {
		unusable(res, side, sd->crt, "it holds no certificate");
		goto out;
	}
	li = pki_leaf_index(cf->certs);
	name_of(X509_get_subject_name(sk_X509_value(cf->certs, li)), leafname, size);
	if (side == PKI_TLS_SERVER) {
		EVP_PKEY *pk = X509_get0_pubkey(sk_X509_value(cf->certs, li));
		static const char *const types[] = { "RSA-PSS", "RSA", "EC", "ED25519", "ED448", "DSA" };
		size_t t;

		for (t = 0; pk != NULL && t < sizeof(types) / sizeof(types[0]); t++)
			if (EVP_PKEY_is_a(pk, types[t])) {
				snprintf(res->server_key, sizeof(res->server_key), "%s", types[t]);
				break;
			}
		pki_err_clear();
	}
	if (li != 0) { /* a service sends the file as it is: its first certificate as its own */
		unusable(res, side, sd->crt,
			 "its first certificate is not the key's leaf: the service sends the file as it is; put the leaf first, then its issuers up to the root");
		goto out;
	}
	if (SSL_CTX_use_certificate(ctx, sk_X509_value(cf->certs, li)) != 1 ||
	    SSL_CTX_use_PrivateKey(ctx, kf->key) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
		if (pki_err_clear())
			res->oom = 1;
		else
			unusable(res, side, sd->key, "the key is not the certificate's key");
		goto out;
	}
	for (i = 0; i < sk_X509_num(cf->certs); i++)
		if (i != li)
			SSL_CTX_add1_chain_cert(ctx, sk_X509_value(cf->certs, i));
	for (i = 0; bf != NULL && i < sk_X509_num(bf->certs); i++)
		SSL_CTX_add1_chain_cert(ctx, sk_X509_value(bf->certs, i));
out:
	pki_file_free(kf);
	pki_file_free(cf);
	pki_file_free(bf);
}

/* What the side trusts into ctx's store. */
static void use_trust(const struct store *s, SSL_CTX *ctx, const struct pki_tls_side *sd, int side,
		      struct pki_tls_result *res)
{
	X509_STORE *st = SSL_CTX_get_cert_store(ctx);
	struct pki_file *f;
	int i, k;

	if (sd->trust != NULL && (f = load(s, sd->trust, side, res)) != NULL) {
		for (i = 0; i < sk_X509_num(f->certs); i++)
			X509_STORE_add_cert(st, sk_X509_value(f->certs, i));
		if (sk_X509_num(f->certs) == 0)
			unusable(res, side, sd->trust, "it holds no certificate");
		pki_file_free(f);
		/* a CA or a pinned certificate of the bundle is an anchor (§4.9) */
		X509_STORE_set_flags(st, X509_V_FLAG_PARTIAL_CHAIN);
	}
	if (sd->trust_path != NULL && X509_STORE_load_file(st, sd->trust_path) != 1)
		pki_err_clear(); /* no public roots: nothing is trusted by them */
	for (k = 0; k < 2; k++) {
		if (sd->trust_root_of[k] == NULL || (f = load(s, sd->trust_root_of[k], side, res)) == NULL)
			continue;
		for (i = 0; i < sk_X509_num(f->certs); i++) {
			X509 *x = sk_X509_value(f->certs, i);

			if (X509_check_issued(x, x) != X509_V_OK)
				continue;
			X509_STORE_add_cert(st, x);
			if (res->root[0] == '\0')
				name_of(X509_get_subject_name(x), res->root, sizeof(res->root));
		}
		pki_file_free(f);
	}
	if (pki_err_clear()) /* else a certificate added twice */
		res->oom = 1;
}

static SSL_CTX *side_ctx(const struct store *s, const struct pki_tls_side *sd, int side, int version,
			 char *leafname, size_t size, struct pki_tls_result *res)
{
	SSL_CTX *ctx = SSL_CTX_new(side == PKI_TLS_CLIENT ? TLS_client_method() : TLS_server_method());
	int v = version == 13 ? TLS1_3_VERSION : TLS1_2_VERSION;
	int mode = SSL_VERIFY_NONE;

	if (ctx == NULL)
		return NULL;
	SSL_CTX_set_min_proto_version(ctx, v);
	SSL_CTX_set_max_proto_version(ctx, v);
	X509_VERIFY_PARAM_set_time(SSL_CTX_get0_param(ctx), pki_now());
	if (side == PKI_TLS_CLIENT)
		mode = SSL_VERIFY_PEER;
	else if (sd->require_peer)
		mode = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
	SSL_CTX_set_verify(ctx, mode, verify_cb);
	use_own(s, ctx, sd, side, leafname, size, res);
	use_trust(s, ctx, sd, side, res);
	return ctx;
}

/* Step one side; 1 done, 0 wants more, -1 failed (reason into detail). */
static int step(SSL *ssl, char *detail, size_t size)
{
	unsigned long e;
	int r, why;

	pki_err_clear(); /* an allocation failure before is remembered */
	r = SSL_do_handshake(ssl);
	if (r == 1)
		return 1;
	why = SSL_get_error(ssl, r);
	if (why == SSL_ERROR_WANT_READ || why == SSL_ERROR_WANT_WRITE)
		return 0;
	e = ERR_peek_error();
	snprintf(detail, size, "%s", e != 0 && ERR_reason_error_string(e) != NULL ?
		 ERR_reason_error_string(e) : "the handshake failed");
	return -1;
}

/* The refusal of side seen by its verify callback, or of the protocol. */
static void refusal(struct pki_tls_result *res, int side, const struct side_rec *rec,
		    unsigned long lib_reason)
{
	res->refused_by = side;
	if (rec->err == 0) {
		res->why = lib_reason == SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE ? PKI_TLS_NO_PEER_CERT :
			   PKI_TLS_PROTOCOL;
		return;
	}
	switch (rec->err) {
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
		res->why = PKI_TLS_UNKNOWN_ISSUER;
		break;
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
		res->why = PKI_TLS_UNTRUSTED_ROOT;
		break;
	case X509_V_ERR_CERT_HAS_EXPIRED:
		res->why = PKI_TLS_EXPIRED;
		break;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		res->why = PKI_TLS_NOT_YET_VALID;
		break;
	case X509_V_ERR_HOSTNAME_MISMATCH:
	case X509_V_ERR_IP_ADDRESS_MISMATCH:
		res->why = PKI_TLS_NAME;
		break;
	case X509_V_ERR_INVALID_PURPOSE:
		res->why = PKI_TLS_PURPOSE;
		break;
	default:
		res->why = PKI_TLS_VERIFY_OTHER;
		break;
	}
	snprintf(res->detail, sizeof(res->detail), "%s", X509_verify_cert_error_string(rec->err));
	res->depth = rec->depth;
	if (rec->cert != NULL) {
		name_of(X509_get_subject_name(rec->cert), res->subject, sizeof(res->subject));
		name_of(X509_get_issuer_name(rec->cert), res->issuer, sizeof(res->issuer));
	}
}

/* The peer leaf's subjectAltName, for a name that does not match. */
static void leaf_names(X509 *leaf, char *buf, size_t size)
{
	GENERAL_NAMES *gens = leaf != NULL ? X509_get_ext_d2i(leaf, NID_subject_alt_name, NULL, NULL) : NULL;
	BIO *b = gens != NULL ? BIO_new(BIO_s_mem()) : NULL;
	char *p;
	long n;

	buf[0] = '\0';
	if (b != NULL) {
		pki_print_gens(b, gens);
		n = BIO_get_mem_data(b, &p);
		snprintf(buf, size, "%.*s", (int)(n < (long)size ? n : (long)size - 1), p);
	}
	BIO_free(b);
	GENERAL_NAMES_free(gens);
}

/* Step both sides until both are done or one fails. */
static void run(SSL *c, SSL *sv, struct side_rec *rc, struct side_rec *rs, struct pki_tls_result *res)
{
	char detail[PKI_TLS_TEXT] = "";
	int cd = 0, sd = 0, i, r;
	unsigned long reason = 0;

	for (i = 0; i < STEPS_MAX && !(cd && sd); i++) {
		if (!cd && (r = step(c, detail, sizeof(detail))) != 0) {
			if (r < 0) {
				refusal(res, PKI_TLS_CLIENT, rc, 0);
				break;
			}
			cd = 1;
		}
		if (!sd && (r = step(sv, detail, sizeof(detail))) != 0) {
			if (r < 0) {
				reason = ERR_GET_REASON(ERR_peek_error());
				refusal(res, PKI_TLS_SERVER, rs, reason);
				break;
			}
			sd = 1;
		}
	}
	if (res->refused_by != 0) {
		if (res->why == PKI_TLS_NO_PEER_CERT || res->why == PKI_TLS_PROTOCOL)
			snprintf(res->detail, sizeof(res->detail), "%s", detail);
		if (res->why == PKI_TLS_NAME)
			leaf_names(rc->leaf, res->names, sizeof(res->names));
	} else if (!(cd && sd)) {
		res->why = PKI_TLS_PROTOCOL;
		res->refused_by = PKI_TLS_CLIENT;
		snprintf(res->detail, sizeof(res->detail), "the handshake did not complete");
	}
	/* a failed handshake that ran out of memory says nothing of the files */
	if (pki_err_clear() && res->why != PKI_TLS_OK)
		res->oom = 1;
}

enum mmp_rc pki_tls_handshake(const struct store *s, const struct pki_tls_side *client,
			      const struct pki_tls_side *server, int version,
			      struct pki_tls_result *res, struct mmp_err *err)
{
	struct side_rec rc = { 0, 0, NULL, NULL, NULL }, rs = { 0, 0, NULL, NULL, NULL };
	struct pki_peer_name host;
	SSL_CTX *cctx = NULL, *sctx = NULL;
	SSL *c = NULL, *sv = NULL;
	BIO *bc = NULL, *bs = NULL;
	enum mmp_rc ret = MMP_OK;

	memset(res, 0, sizeof(*res));
	if ((cctx = side_ctx(s, client, PKI_TLS_CLIENT, version, res->client_leaf,
			     sizeof(res->client_leaf), res)) == NULL ||
	    (sctx = side_ctx(s, server, PKI_TLS_SERVER, version, res->server_leaf,
			     sizeof(res->server_leaf), res)) == NULL)
		goto nomem;
	if (res->oom)
		goto nomem;
	if (res->why != PKI_TLS_OK)
		goto out; /* a side's own file: no handshake to run */
	if ((c = SSL_new(cctx)) == NULL || (sv = SSL_new(sctx)) == NULL ||
	    BIO_new_bio_pair(&bc, 0, &bs, 0) != 1)
		goto nomem;
	SSL_set_bio(c, bc, bc);
	SSL_set_bio(sv, bs, bs);
	SSL_set_app_data(c, &rc);
	SSL_set_app_data(sv, &rs);
	if (client->host != NULL) {
		/* the name is checked by verify_cb with names.c's rules; one
		 * that is neither a DNS name nor an IP address matches nothing */
		if (!pki_name_parse(client->host, &host))
			memset(&host, 0, sizeof(host));
		rc.host = &host;
		if (SSL_set_tlsext_host_name(c, client->host) != 1)
			goto nomem;
	}
	SSL_set_connect_state(c);
	SSL_set_accept_state(sv);
	run(c, sv, &rc, &rs, res);
	if (res->oom)
		goto nomem;
	goto out;
nomem:
	pki_err_clear();
	ret = mmp_err_set(err, MMP_ERR_NOMEM, "out of memory for a TLS handshake");
out:
	SSL_free(c);
	SSL_free(sv);
	SSL_CTX_free(cctx);
	SSL_CTX_free(sctx);
	X509_free(rc.cert);
	X509_free(rc.leaf);
	X509_free(rs.cert);
	X509_free(rs.leaf);
	return ret;
}
