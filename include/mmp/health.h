/*
 * health.h: proof, by real TLS handshakes in memory, that the services of
 * this node that talk TLS to each other (or to browsers) can (issue 14
 * item 4). The engine (src/pki/handshake.c) runs one handshake between two
 * sides made from files of the store; the pairs (src/svc/health.c) say
 * which settings make each side and turn a refusal into words and a remedy.
 */
#ifndef MMP_HEALTH_H
#define MMP_HEALTH_H

#include "mmp/config.h"
#include "mmp/err.h"
#include "mmp/report.h"
#include "mmp/store.h"

/* ---- The engine: one handshake (src/pki/handshake.c) ------------------- */

/* One side of a handshake. Files are names in the store; any may be NULL. */
struct pki_tls_side {
	const char *key;     /* its private key (unlocked) */
	const char *crt;     /* its certificate: the leaf, or a full chain */
	const char *chain;   /* more certificates it sends (a CA bundle) */
	const char *trust;   /* the certificates it trusts (a trust bundle, a
			      * CA): a CA or a pinned certificate in it is an
			      * anchor (guide §4.9) */
	const char *trust_path;        /* a file outside the store it trusts
					* (the machine's public roots) */
	const char *trust_root_of[2];  /* files whose self-signed certificate
					* (a chain's root) it also trusts */
	int require_peer;    /* a server that asks for and requires the
			      * client's certificate (mutual TLS) */
	const char *host;    /* a client: the name the server's certificate
			      * must hold, as browsers check it (RFC 6125) */
};

/* Why a handshake failed. */
enum pki_tls_why {
	PKI_TLS_OK = 0,
	PKI_TLS_UNKNOWN_ISSUER, /* an issuer of the peer's chain is neither sent nor trusted */
	PKI_TLS_UNTRUSTED_ROOT, /* the peer's chain ends in a root not trusted */
	PKI_TLS_EXPIRED,        /* a certificate of the peer's chain has expired */
	PKI_TLS_NOT_YET_VALID,
	PKI_TLS_NAME,           /* the server's certificate is not for host */
	PKI_TLS_PURPOSE,        /* a certificate lacks the role (EKU, guide §2.2) */
	PKI_TLS_VERIFY_OTHER,   /* another verify error (detail) */
	PKI_TLS_NO_PEER_CERT,   /* the client sent no certificate */
	PKI_TLS_PROTOCOL,       /* the handshake failed otherwise (detail) */
	PKI_TLS_UNUSABLE,       /* a side's own file cannot be used (file, detail) */
};

#define PKI_TLS_CLIENT 1
#define PKI_TLS_SERVER 2
#define PKI_TLS_TEXT 256

/* What a handshake showed. Names are one line, escaped ("CN = x"). */
struct pki_tls_result {
	enum pki_tls_why why;
	int refused_by;                   /* PKI_TLS_CLIENT or _SERVER; 0 when ok */
	int oom;                          /* an allocation failed: no verdict (MMP_ERR_NOMEM) */
	char detail[1024];                /* OpenSSL's words, or a load error's (mmp_err.msg) */
	char subject[PKI_TLS_TEXT];       /* the certificate the error is about */
	char issuer[PKI_TLS_TEXT];        /* its issuer */
	int depth;                        /* its place in the peer's chain, 0: leaf */
	char names[PKI_TLS_TEXT];         /* the peer leaf's subjectAltName */
	char root[PKI_TLS_TEXT];          /* the root trust_root_of added, "" none */
	char client_leaf[PKI_TLS_TEXT];   /* each side's own leaf, "" none */
	char server_leaf[PKI_TLS_TEXT];
	char server_key[16];              /* the server leaf's key type: "RSA", "EC", "ED25519", ... */
	char file[STORE_NAME_MAX + 1];    /* PKI_TLS_UNUSABLE: the file */
};

/* Run one TLS handshake between client and server in this process over a
 * BIO pair, at version 12 (TLS 1.2) or 13 (TLS 1.3) only, at pki_now().
 * MMP_OK with res filled, whether the handshake succeeded or not (res->why);
 * an error only when memory ran out. */
enum mmp_rc pki_tls_handshake(const struct store *s, const struct pki_tls_side *client,
			      const struct pki_tls_side *server, int version,
			      struct pki_tls_result *res, struct mmp_err *err);

/* ---- The pairs of this node (src/svc/health.c) ------------------------- */

enum svc_health_pair_id {
	SVC_HEALTH_C2W,      /* Call Bridge -> Web Bridge 3 C2W, mutual */
	SVC_HEALTH_DATABASE, /* database cluster client -> server, mutual */
	SVC_HEALTH_HTTPS,    /* browser -> Web Bridge 3 HTTPS */
	SVC_HEALTH_TURN,     /* browser -> TURN TLS */
	SVC_HEALTH_PAIRS
};

/* Prove one pair at TLS 1.2 and 1.3: the check lines into r (one per pair,
 * or per version when they differ), and an object for the answer's data
 * into *pair (name, client, server, configured, tls_versions, ok,
 * refused_by, reason, missing). host: the name browsers use (NULL: not
 * checked). quiet_unset: no line when the pair is not configured (restart).
 * warn_only: a refusal is a WARNING, not a FAILURE (restart: the peer may
 * be another node). Returns 1 when the pair is configured and failed, 0
 * otherwise, -1 when reading the settings failed (a FAILURE in r). */
int svc_health_pair(const struct store *s, struct cfg *c, enum svc_health_pair_id id,
		    const char *host, int quiet_unset, int warn_only, struct report *r,
		    json_t **pair);

#endif
