/*
 * pki.h: the PKI engine over OpenSSL 3 (src/pki/). It reads files from the
 * file store, classifies them, inspects, matches, verifies, creates keys,
 * CSRs and certificates, and owns the usage rules of guide §2.2 (SPEC §6).
 * No OpenSSL type crosses this header; callers never include <openssl/...>.
 */
#ifndef MMP_PKI_H
#define MMP_PKI_H

#include <stddef.h>
#include <time.h>

#include "mmp/err.h"
#include "mmp/report.h"
#include "mmp/store.h"

/* Set up OpenSSL (without the system's openssl.cnf) and load its default
 * provider. Call once at start-up, before anything may fail on purpose
 * (the fault build); safe to call again. */
enum mmp_rc pki_init(struct mmp_err *err);

/* pki_init(), then the legacy provider (PKCS#12 with RC2/3DES, keys with
 * DES), loaded only by the commands that decrypt (pki_unlock,
 * pki_pkcs12_to_ssh): loading it costs every other command's start-up.
 * A missing legacy provider is not an error here. */
enum mmp_rc pki_init_legacy(struct mmp_err *err);

/* Unload what pki_init() loaded (at exit, so leak checkers stay quiet). */
void pki_cleanup(void);

/* 1 when one of OpenSSL's allocations failed since the last call and no
 * message said so: a check that failed meanwhile (a key that "does not
 * match", a bundle that "does not chain") may have failed for that, not
 * for its input. Clears the mark. The dispatcher asks around each command. */
int pki_take_oom(void);

/* The time the engine takes as "now" (seconds since the epoch). */
time_t pki_now(void);

/* ---- Loading and classifying a file ------------------------------------ */

enum pki_kind {
	PKI_KIND_UNKNOWN = 0,
	PKI_KIND_EMPTY,       /* zero bytes, or only blanks */
	PKI_KIND_KEY,         /* one private key, unlocked */
	PKI_KIND_LOCKED_KEY,  /* encrypted private key (legacy PEM or PKCS#8) */
	PKI_KIND_PUBLIC_KEY,  /* a bare public key (PEM/DER SubjectPublicKeyInfo) */
	PKI_KIND_CERT,        /* exactly one certificate */
	PKI_KIND_BUNDLE,      /* two or more certificates */
	PKI_KIND_CSR,         /* a certificate signing request */
	PKI_KIND_PKCS12,      /* PKCS#12 (password protected or not) */
	PKI_KIND_SSH_PUBKEY,  /* an OpenSSH public key line */
	PKI_KIND_FOREIGN_KEY, /* a private key in a format services do not read
			       * (OpenSSH "openssh-key-v1", PuTTY .ppk): a secret */
	PKI_KIND_CRL,         /* certificate revocation lists only (RFC 5280
			       * section 5: PEM X509 CRL blocks, or one DER);
			       * the last: arrays by kind have PKI_KIND_CRL + 1 */
};

enum pki_encoding { PKI_ENC_NONE = 0, PKI_ENC_PEM, PKI_ENC_DER };

struct pki_file; /* a loaded, parsed file; opaque */

/* Read and classify a file of the store. Accepts what admins upload: PEM
 * with CRLF, a UTF-8 BOM, blank lines or text between blocks, trailing
 * blanks, no final newline; DER; PKCS#7 (PEM or DER, as .p7b) whose
 * certificates become the file's certificates; PKCS#12. Encrypted keys are
 * classified PKI_KIND_LOCKED_KEY at once, never asking for a password.
 * An unreadable or unknown file is still returned (kind UNKNOWN/EMPTY);
 * only I/O and name errors fail. Free with pki_file_free(). */
enum mmp_rc pki_file_load(const struct store *s, const char *name,
			  struct pki_file **out, struct mmp_err *err);
void pki_file_free(struct pki_file *f);

/* ---- The cache of parsed files (src/pki/cache.c, issue 15 item 5) ------ */

/* pki_file_load keeps the parse of a file without secrets (no private key
 * of any kind) for the rest of the process -- a script, an SSH session --
 * and gives it again, without reading or parsing, while the file is the
 * same version (inode, size, mtime, ctime) and nothing was written,
 * renamed or removed under its name through the store. The access table
 * still decides every load for the store's actor. Least recently used
 * first out past PKI_CACHE_ENTRIES files or PKI_CACHE_BYTES bytes
 * (estimated: three times the file's size, 1 KiB a certificate). */
#define PKI_CACHE_ENTRIES 64
#define PKI_CACHE_BYTES (16u * 1024u * 1024u)

/* Set the bounds (0 entries: keep nothing); empties the cache. */
void pki_cache_limits(size_t entries, size_t bytes);
/* Forget every parse kept. */
void pki_cache_clear(void);

struct pki_cache_stats {
	unsigned long long parses; /* pki_file_parse calls of this process
				    * (loads and access classifications) */
	unsigned long long hits;   /* loads answered from the cache */
	size_t entries, bytes;     /* kept now; bytes estimated as above */
};
void pki_cache_stats(struct pki_cache_stats *st);

enum pki_kind pki_file_kind(const struct pki_file *f);
enum pki_encoding pki_file_encoding(const struct pki_file *f);
const char *pki_file_name(const struct pki_file *f);
int pki_file_is_pkcs7(const struct pki_file *f);
/* Number of certificates (0 for keys, CSRs, ...). */
size_t pki_file_cert_count(const struct pki_file *f);
/* One-line name of the kind: "private key", "certificate", "bundle of 3
 * certificates", ... written into buf. */
const char *pki_kind_describe(const struct pki_file *f, char *buf, size_t size);

/* WARNING lines into r for what was undone to read f (issue 11 class 6):
 * UTF-16 text (Notepad "Unicode") converted, blank lines inside a PEM
 * block (Notepad, mail clients) skipped; each names the file and line. */
void pki_file_warnings(const struct pki_file *f, struct report *r);

/* Require a kind, failing with a message that names the file, what it is,
 * and what to do (e.g. a locked key -> "locked: use pki unlock <name>").
 * want is a bitmask of (1 << PKI_KIND_x). */
enum mmp_rc pki_file_expect(const struct pki_file *f, unsigned want,
			    struct mmp_err *err);
#define PKI_WANT(k) (1u << (k))
#define PKI_WANT_CERTS (PKI_WANT(PKI_KIND_CERT) | PKI_WANT(PKI_KIND_BUNDLE))

/* What len bytes are for the access table (mmp/access.h; issue 10):
 * ACCESS_SECRET for a private key (locked or not, any encoding), a PKCS#12,
 * any PEM "PRIVATE KEY" block (an OpenSSH private key too) and contents
 * that cannot be told (these with ACCESS_UNTOLD); else ACCESS_PLAIN. When name is a login key file
 * (<user>.pub) that holds neither OpenSSH public key lines nor a PKCS#12,
 * or a line with authorized_keys options, why gets the reason (why may be
 * NULL). A store_classify_fn: store_set_actor(s, role, pki_access_classify). */
unsigned pki_access_classify(const unsigned char *buf, size_t len, const char *name, char *why,
			     size_t why_size);

/* The rule of a .pub file's lines alone: 1 and why filled when a line is
 * not "<type> <base64> [comment]" (options before the type, anything else);
 * 0 when every line is a key line, a comment or blank. */
int pki_login_key_problem(const unsigned char *buf, size_t len, char *why, size_t size);

/* ---- Usage rules (guide §2.2, SPEC §6) --------------------------------- */

enum pki_role {
	PKI_ROLE_SERVER = 1, /* TLS server */
	PKI_ROLE_CLIENT = 2, /* TLS client */
	PKI_ROLE_CA = 4,     /* a certificate above the leaf in a chain */
};

/* Does certificate idx of f satisfy the role's rules of guide §2.2?
 * Returns 1 yes, 0 no (why gets the reason, e.g. "ExtendedKeyUsage lacks
 * TLS Web Server Authentication"), -1 if idx is out of range. */
int pki_rule_role(const struct pki_file *f, size_t idx, enum pki_role role,
		  char *why, size_t whysize);

/* Is KeyUsage digitalSignature present (or KeyUsage absent)? guide §2.1
 * note: the Call Bridge needs it for DTLS with the web app. 1/0/-1. */
int pki_rule_digital_signature(const struct pki_file *f, size_t idx,
			       char *why, size_t whysize);

/* Is certificate idx signed with SHA-2 (or EdDSA)? guide chapter 3 note:
 * "The Meeting Server supports certificates signed using SHA2
 * algorithms". above_leaf: it is an intermediate or root (of a bundle or
 * a full chain), and a self-signed one passes (nobody checks a root's own
 * signature). 1/0 (why says which algorithm), -1 out of range. */
int pki_rule_sha2(const struct pki_file *f, size_t idx, int above_leaf, char *why,
		  size_t whysize);

/* Validity of certificate idx at time now: adds a FAILURE line when expired
 * or not yet valid, a WARNING when it ends within warn_days days, nothing
 * otherwise. Returns MMP_OK or MMP_ERR_RULE. (guide §5.3) */
enum mmp_rc pki_rule_validity(const struct pki_file *f, size_t idx, time_t now,
			      int warn_days, struct report *r);

/* Full-chain order (guide §1.2.4, Appendix D.1 step 5): the leaf first,
 * then each issuer, the root last. pki_chain_order(f, 1, err). */
enum mmp_rc pki_rule_fullchain_order(const struct pki_file *f,
				     struct mmp_err *err);

/* The order of f's certificates from its leaf (pki_file_leaf) up through
 * the issuers found in f. MMP_ERR_RULE with one line in err naming the
 * true cause: the file in reverse or another wrong order (where the leaf
 * is and the order needed, "3, 2, 1"); with need_root also an issuer that
 * is missing ("add it between certificate 1 and certificate 2", or at the
 * end) and certificates that are not on the chain. need_root 0 (pki
 * verify, where the root may come in another file) checks the order only.
 * MMP_ERR_FORMAT when f holds no certificate. */
enum mmp_rc pki_chain_order(const struct pki_file *f, int need_root, struct mmp_err *err);

/* Is certificate idx of f on the chain of its leaf: reached by walking
 * up from the leaf through f to a root, or (when an issuer is missing and
 * the walk stops short of a root) anything at all? 1/0. */
int pki_file_on_chain(const struct pki_file *f, size_t idx);

/* The end-entity certificate of f, whatever the order: one that issued
 * none of the others, preferring one that is not self-signed. 0-based. */
size_t pki_file_leaf(const struct pki_file *f);

/* The bundle chains the certificate (SPEC §6, every certs command) and is
 * in order (guide §1.2.4: the issuer of the certificate first, each issuer
 * in turn, the root last). err names the missing issuer of the leaf (of
 * cert's leaf, pki_file_leaf), the order needed ("has the root first"),
 * or an intermediate missing between two of the bundle's certificates
 * (when the bundle's root is not reached). A bundle of intermediates
 * without the root passes. */
/* What a bundle must not hold: the leaf of cert itself, or a copy of one of
 * its own certificates (guide §1.2.4). MMP_OK when neither. The index of the
 * bundle's certificate that is the leaf of cert: pki_bundle_leaf_copy; -1. */
enum mmp_rc pki_bundle_extras(const struct pki_file *cert, const struct pki_file *bundle,
			      struct mmp_err *err);
int pki_bundle_leaf_copy(const struct pki_file *cert, const struct pki_file *bundle);

enum mmp_rc pki_rule_bundle_chains(const struct pki_file *cert, const struct pki_file *bundle,
				   struct mmp_err *err);

/* Can OpenSSL use certificate idx at all? 0 when it marks it invalid
 * (EXFLAG_INVALID: an extension twice, RFC 5280 section 4.2 and openssl
 * issues #10686, #25799; or one it cannot decode): every role, chain and
 * signature check of it then fails as a consequence, so callers say why
 * (the whole line after the file name: "certificate 1 (CN = x) has 2
 * subjectAltName extensions, ...: have it reissued with one ...") once
 * and skip those checks. 1 when usable, -1 out of range. */
int pki_rule_wellformed(const struct pki_file *f, size_t idx, char *why, size_t size);

/* What a file holds besides its main kind: private keys (locked or not),
 * a CSR (0/1), X509 CRL blocks. */
void pki_file_blocks(const struct pki_file *f, int *keys, int *csrs, int *crls);

/* The certificate chains, through the certificates of ca_file, to one of
 * them (guide §3.1.4: database certificates signed by the cluster CA). */
enum mmp_rc pki_rule_chains_to(const struct pki_file *cert, const struct pki_file *ca_file,
			       struct mmp_err *err);

/* Is the subject CN of certificate idx exactly cn (guide §3.1.4: the
 * database client's CN is "postgres")? 1/0, -1 out of range; got gets the
 * CN found (or ""). */
int pki_rule_cn_is(const struct pki_file *f, size_t idx, const char *cn, char *got, size_t size);

/* The subject CN of f's CSR, or else of its first certificate, into buf
 * ("" and 0 when it has none). */
int pki_file_cn(const struct pki_file *f, char *buf, size_t size);

/* Was certificate idx of f issued (name, key identifier and signature) by
 * one of the certificates of ca? 1/0. */
int pki_cert_issued_by(const struct pki_file *f, size_t idx, const struct pki_file *ca);

/* Which certificate of ca (0-based) issued certificate idx of f (name,
 * key identifier and signature); -1 when none. */
int pki_issuer_index(const struct pki_file *f, size_t idx, const struct pki_file *ca);

/* Is certificate idx of f a root: self-signed, its own key verifying its
 * signature (guide §1.2.3: "Issued To" and "Issued By" itself)? 1/0. */
int pki_cert_is_root(const struct pki_file *f, size_t idx);

/* The issuer name of certificate idx of f as one line ("CN = x, O = y"),
 * "" when out of range. */
void pki_cert_issuer(const struct pki_file *f, size_t idx, char *buf, size_t size);

/* Are certificate ia of a and ib of b the same certificate? 1/0. */
int pki_file_same_cert(const struct pki_file *a, size_t ia, const struct pki_file *b, size_t ib);

/* The cause and the remedy for a file f that holds a private key with its
 * certificate(s) (a "combined PEM"), where a key file or a certificate
 * file is wanted: "it holds a private key and its certificate, and a key
 * file holds the key alone: on your computer, openssl pkey ... openssl
 * x509 ...; upload both and use <name>.key and <name>.crt" (issue 11). */
const char *pki_key_with_certs_remedy(const struct pki_file *f, char *buf, size_t size);

/* Is key's private key the key of cert's first certificate? 1/0. */
int pki_match_key_cert(const struct pki_file *key, const struct pki_file *cert);

/* ---- What clients refuse (issue 11 class 4; compat.c) ----------------- */

/* Does certificate i of f hold an extension more than once (RFC 5280
 * section 4.2: "A certificate MUST NOT include more than one instance of a
 * particular extension")? 1 with name set to the extension's short name
 * ("subjectAltName") or OID, 0 no, -1 out of range. OpenSSL then reads the
 * extension as absent and marks the certificate invalid, so every check
 * after it fails as a consequence: callers report this one cause. */
int pki_cert_duplicate_extension(const struct pki_file *f, size_t i, char *name, size_t n);

/* The one cause when a certificate of f (NULL: none) holds an extension
 * twice (pki_cert_duplicate_extension): MMP_ERR_RULE with err saying
 * "<file>: certificate <n> (CN = x) has the <ext> extension more than
 * once, which RFC 5280 section 4.2 forbids: ...; ask its CA for a
 * corrected certificate"; MMP_OK when none does. */
enum mmp_rc pki_dup_extension_error(const struct pki_file *f, struct mmp_err *err);

/* Flags of pki_compat_cert(). */
#define PKI_COMPAT_LEAF 1u            /* the end entity (else above the leaf, or a trust anchor) */
#define PKI_COMPAT_OWN 2u             /* a service's own certificate: a small RSA key is a FAILURE */
#define PKI_COMPAT_TLS_SERVER 4u      /* it will serve TLS: subjectAltName and lifetime rules */
#define PKI_COMPAT_NO_SHA2_RULE 8u    /* no SHA-2 rule (pki_rule_sha2) speaks here: trust bundles */
#define PKI_COMPAT_DUP_ELSEWHERE 16u  /* the caller reports duplicate extensions itself */

/* What TLS clients refuse in certificate i of f, one line each into r,
 * "<file>: certificate <n> (CN = x) ...: <remedy>": an RSA key under 2048
 * bits (NIST SP 800-131A, CA/B Forum BR 6.1.5; a FAILURE with LEAF|OWN,
 * else a WARNING) or over 4096 (Cisco Unified CM Security Guide); an
 * RSA-PSS key (CA/B BR 7.1.3.1); a SHA-1 or MD5 signature (RFC 9155, CA/B
 * BR 7.1.3.2) where pki_rule_sha2() lets it pass (a self-signed root) or
 * with NO_SHA2_RULE; a zero or negative serial (RFC 5280 4.1.2.2); a
 * duplicate extension (RFC 5280 4.2) unless DUP_ELSEWHERE. For a TLS_SERVER
 * LEAF that is no CA: no subjectAltName, or a CN not among its names (RFC
 * 6125 6.4.4, CA/B BR 7.1.4.2), longer than 825 days (Apple HT210176) or,
 * issued since 2020-09-01 by another, than 398 days (CA/B BR 6.3.2, Apple
 * HT211025); when it chains to a public root (pki_chains_to_public, through
 * f and more, NULL: f alone) and was issued since 2026-03-15, than CA/B
 * ballot SC-081 allows for its date of issue (200, 100, 47 days;
 * cert.lifetime_sc081, instead of the 398-day line). */
void pki_compat_cert(const struct pki_file *f, size_t i, const struct pki_file *more, unsigned flags,
		     struct report *r);

/* The X509 CRL blocks of holder (a certificate or bundle file handed to a
 * service, PEM) that revoke a certificate of cf or bf (either may be
 * NULL): a FAILURE cert.revoked for each such certificate, naming its
 * file and position, the CRL's file, the revocation date and reason
 * (RFC 5280 section 5.3.1). A CRL counts only when it is signed by the
 * certificate's issuer, found in cf or bf (a CRL of that name but
 * another key revokes nothing). Returns how many were revoked. */
size_t pki_crl_revocations(const struct pki_file *holder, const struct pki_file *cf,
			   const struct pki_file *bf, struct report *r);

/* pki_compat_cert() for every certificate of f (NULL: nothing); the one at
 * index leaf (-1: none) gets PKI_COMPAT_LEAF, the others not. */
void pki_compat_file(const struct pki_file *f, long leaf, const struct pki_file *more,
		     unsigned flags, struct report *r);
/* Which certificate of cert (0-based) key's private key belongs to; -1
 * when none (or key holds no unlocked key). */
int pki_key_cert_index(const struct pki_file *key, const struct pki_file *cert);

/* ---- Commands (guide Appendix C, SPEC §5) ------------------------------ */

/* `pki`: a one-line count of the store's files by type into r. */
enum mmp_rc pki_summary(const struct store *s, struct report *r,
			struct mmp_err *err);

/* `pki inspect <file>`: what the file is and, for each certificate, its
 * fields, validity and what §2.2 allows it to be used for. Lines go to r.
 * Control characters in certificate fields are printed escaped. */
enum mmp_rc pki_inspect(const struct store *s, const char *name,
			struct report *r, struct mmp_err *err);

/* `pki match <key> <cert>` (guide §4.3): MMP_OK when the private key's
 * public half is the key of the file's first certificate; MMP_ERR_MISMATCH
 * otherwise, err saying which other certificate of the file (number and
 * subject) the key belongs to, if any, and to put it first. */
enum mmp_rc pki_match(const struct store *s, const char *key_name,
		      const char *cert_name, struct mmp_err *err);

/* What `pki verify` checks besides the chain (mmp issue 15). */
struct pki_verify_extra {
	const char *name;             /* name:<dns name or IP>; NULL = none */
	const char *const *crl_files; /* crl:<file> names of the store */
	size_t n_crl_files;
};

/* `pki verify <cert> <bundle> [<ca>] [name:<n>] [crl:<file>...]` (guide
 * §4.3): builds the chain from the files (self-signed certificates are
 * the trust anchors, the others intermediates), checks it under RFC 5280
 * and the CA rules of §2.2 for every certificate above the leaf. The chain
 * built goes to r, one line per certificate. extra (may be NULL): the
 * name the leaf must hold (pki_name_check; the Baseline Requirements of
 * the browser profile are then WARNINGs, cert.webpki), and CRL files (PEM
 * or DER, RFC 5280 section 5) used with the X509 CRL blocks of the bundle
 * and CA files: a revoked certificate fails (cert.revoked), a CRL past its
 * nextUpdate is a WARNING (crl.expired). On failure err names the
 * certificate and the reason. */
enum mmp_rc pki_verify(const struct store *s, const char *cert_name,
		       const char *bundle_name, const char *ca_name,
		       const struct pki_verify_extra *extra,
		       struct report *r, struct mmp_err *err);

/* Flags of pki_verify_opts. */
#define PKI_VERIFY_WEB 0x1 /* the browser-facing TLS server profile: the
			    * CA/Browser Forum Baseline Requirements rules
			    * (webpki.c) fail the chain instead of warning,
			    * and a name held only by the CN fails */

/* Options for the verify core, also used by the x509-limbo conformance test. */
struct pki_verify_opts {
	time_t at;         /* validation time; 0 = pki_now() */
	int max_depth;     /* maximum intermediates; -1 = no limit */
	enum pki_role role; /* 0 = any; else the EKU the peer must allow */
	const char *name;  /* the DNS name or IP address the peer must hold
			    * (pki_name_check rules); NULL = not checked */
	const void *const *crls; /* CRLs, PEM (several per blob) or DER */
	const size_t *crl_lens;
	size_t n_crls;
	unsigned flags;    /* PKI_VERIFY_* */
};

/* Does certificate idx of f hold the name a client connects to (RFC 6125
 * section 6, CA/Browser Forum BR 7.1.2.7.12: what browsers accept)? name:
 * a DNS name (UTF-8 converted to A-labels) or an IPv4/IPv6 address.
 * Rules: only the subjectAltName counts; the CN counts only when there is
 * no subjectAltName extension, and then r gets a WARNING
 * (name.cn_only: browsers refuse it); a wildcard matches when it is the
 * whole left-most label of a pattern of three labels or more ("*.com",
 * "f*.example.com", "foo.*.com" never match) and covers exactly one
 * non-empty label; an IP address matches only an iPAddress entry of the
 * same bytes (never a dNSName or the CN); case does not matter.
 * MMP_OK (r gets SUCCESS name.match or the WARNING), MMP_ERR_VERIFY
 * (err: name.mismatch, naming the SAN entries the certificate has) or
 * MMP_ERR_USAGE (name.invalid: name is neither a DNS name nor an IP). */
enum mmp_rc pki_name_check(const struct pki_file *f, size_t idx, const char *name,
			   struct report *r, struct mmp_err *err);

/* Can name be checked at all (pki_name_check's forms: a DNS name, UTF-8
 * converted to A-labels, or an IPv4/IPv6 address)? MMP_OK, or
 * MMP_ERR_USAGE with err saying so (name.invalid), before any file is
 * read. */
enum mmp_rc pki_name_usable(const char *name, struct mmp_err *err);

/* A name clients connect to, as the service settings keep it (`webbridge3
 * https names`, `webbridge3 c2w names`, `turn names`; issue 15): an IPv4
 * or IPv6 address, written back in its canonical text form (RFC 5952), or
 * a DNS name: labels of 1..63 letters, digits and '-', no '-' at either
 * end (RFC 1123 section 2.1), at most 253 characters (RFC 1035 section
 * 2.3.4), the last label not all digits (RFC 3696 section 2), lower case;
 * an internationalised name converted to A-labels (RFC 5891, libidn2), a
 * final dot dropped. No wildcard: a client connects to one host. One
 * label is allowed (pki_name_check matches it). 1 with out (size >= 254
 * for any name) holding the form to keep; 0 with why (static text) and
 * out "" otherwise. Two names are the same host when their forms are
 * equal. */
int pki_name_canonical(const char *in, char *out, size_t size, const char **why);

/* The verify core on in-memory PEM/DER blobs (each may hold several
 * certificates): leaf = the first certificate of leaf_pem; anchors are
 * trusted as given; intermediates untrusted. opts (may be NULL) adds the
 * name to check, the CRLs (labelled "crl 1"...: a blob without a CRL, or
 * a CRL without a non-critical CRLNumber, is an error) and the profile.
 * Returns MMP_OK or MMP_ERR_VERIFY (MMP_ERR_FORMAT for a blob that is
 * not a certificate or CRL) with err saying why; r (may be NULL) gets the
 * chain. */
enum mmp_rc pki_verify_mem(const void *leaf, size_t leaf_len,
			   const void *const *anchors, const size_t *anchor_lens,
			   size_t n_anchors, const void *const *inters,
			   const size_t *inter_lens, size_t n_inters,
			   const struct pki_verify_opts *opts,
			   struct report *r, struct mmp_err *err);

/* Subject of a new key's CSR or certificate (guide Table 4). NULL = unset. */
struct pki_subject {
	const char *cn, *ou, *o, *l, *st, *c, *email;
	const char *san; /* comma-separated, no blanks (guide §3.1) */
};

/* Check a subject before any key is made: CN present and, for a CSR
 * (need_cn), a DNS name or IP address (guide §3.1 Table 4: the FQDN); C two
 * letters; values UTF-8 text without controls, at most RFC 5280's length in
 * characters; SAN entries non-empty, without blanks, each a DNS name
 * (internationalised ones too: IDNA2008), IP or email address, none given
 * twice. (guide §3.1) */
enum mmp_rc pki_subject_check(const struct pki_subject *subj, int need_cn,
			      struct mmp_err *err);

/* `pki csr <base> ...` (guide §3.1): RSA 2048 key <base>.key (0600) and a
 * SHA-256 CSR <base>.csr. The CN is appended to the SAN list, or is the
 * SAN when none is given (clients ignore the CN: RFC 6125 section 6.4.4);
 * internationalised DNS names go in A-label form (RFC 5890), and r (may be
 * NULL) then gets an INFO line "Subject alt names: DNS:xn--... (ü...)".
 * overwrite: 1 = the user confirmed replacing an existing <base>.key. */
enum mmp_rc pki_csr(const struct store *s, const char *base,
		    const struct pki_subject *subj, int overwrite,
		    struct report *r, struct mmp_err *err);

/* `pki selfsigned <base> ...` (guide §6): RSA 2048 key and a self-signed
 * SHA-256 CA certificate <base>.crt, usable with pki sign. */
enum mmp_rc pki_selfsigned(const struct store *s, const char *base,
			   const struct pki_subject *subj, int overwrite,
			   struct mmp_err *err);

/* `pki csr <base> from:<certificate>`: a renewal. A new RSA 2048 key
 * <base>.key and a SHA-256 CSR <base>.csr with the subject of from's leaf
 * (pki_file_leaf) and its subjectAltName and ExtendedKeyUsage extensions
 * as they are (Cisco's Expressway renewal note: the new certificate's SANs
 * and EKU must match the old). r (may be NULL) gets INFO lines "Subject
 * from <from>: ...", "Subject alt names: ...", "ExtendedKeyUsage: ...".
 * Errors: from not found or unreadable (file.*); not a certificate
 * (code csr.from_not_certificate, pki_file_expect's message). */
enum mmp_rc pki_csr_from(const struct store *s, const char *base, const char *from,
			 int overwrite, struct report *r, struct mmp_err *err);

/* The pki csr line that asks for certificate i of f again without its
 * ExtendedKeyUsage: "pki csr <base> CN:<cn> subjectAltName:<dns and ip
 * names>" into buf; pki sign gives such a CSR both TLS roles. 0 when f has
 * no CN or a value pki csr cannot take as it is (blanks, quotes, commas,
 * non-ASCII), or buf is too small: then say it in words. */
int pki_csr_line(const struct pki_file *f, size_t i, const char *base, char *buf, size_t size);

/* `pki sign <csr base> <ca base>` (guide §3.1.4, Appendix C): a leaf with
 * KeyUsage digitalSignature, keyEncipherment, the CSR's subjectAltName and
 * the CSR's ExtendedKeyUsage when it asks for one (r, may be NULL, gets an
 * INFO line "ExtendedKeyUsage as the CSR asks: ..."), else TLS Web Server
 * and Client Authentication (guide section 2.2). */
enum mmp_rc pki_sign(const struct store *s, const char *csr_base,
		     const char *ca_base, struct report *r, struct mmp_err *err);

/* `pki unlock <key>`: replace an encrypted key with the unlocked key, same
 * name, same encoding (PEM in: PKCS#8 PEM out; DER in: PKCS#8 DER out,
 * issue 11), mode 0600. A wrong password gives MMP_ERR_PASSWORD, nothing changed. */
enum mmp_rc pki_unlock(const struct store *s, const char *key_name,
		       const char *password, struct mmp_err *err);

/* `pki pkcs12-to-ssh <user>` (Appendix C): read the PKCS#12 <user>.pub,
 * replace it with the OpenSSH public key line of its key. */
enum mmp_rc pki_pkcs12_to_ssh(const struct store *s, const char *user,
			      const char *password, struct mmp_err *err);

/* `pki pkcs12-extract <file> <basename>` before the password is asked:
 * the basename is valid, file is a PKCS#12 (err says what it is else) and
 * none of <basename>.key, <basename>.crt, <basename>-bundle.crt exists
 * (MMP_ERR_EXIST naming it: a file is never replaced silently, SPEC §4). */
enum mmp_rc pki_pkcs12_extract_check(const struct store *s, const char *file, const char *base,
				     struct mmp_err *err);

/* `pki pkcs12-extract <file> <basename>` (issue 11 class 3): open the
 * PKCS#12 file with password ("" tries the empty and the absent password;
 * RC2/3DES with the legacy provider) and write, never replacing, atomically:
 * <basename>.key (unencrypted PKCS#8 PEM, 0600), <basename>.crt (the
 * certificate whose public key is the key's, wherever it is in the file)
 * and <basename>-bundle.crt (the CA certificates on the path from it,
 * issuer first, root last: guide §1.2.4; built from issuer links and
 * signatures; not written when there are none). SUCCESS lines (and
 * WARNINGs for a missing issuer or certificates off the path) go to r.
 * Errors: MMP_ERR_PASSWORD (wrong password: nothing written),
 * MMP_ERR_FORMAT (no key, undecryptable), MMP_ERR_MISMATCH (no certificate
 * of the key), MMP_ERR_EXIST; on any error nothing stays written. */
enum mmp_rc pki_pkcs12_extract(const struct store *s, const char *file, const char *base,
			       const char *password, struct report *r, struct mmp_err *err);

/* The TURN long-term credential key (RFC 8489 section 9.2.2):
 * MD5(user ":" realm ":" password) as 32 lower-case hex digits and a NUL in
 * hex, which is all mmp keeps of a TURN password. The caller wipes password;
 * nothing else holds it. MMP_ERR_INTERNAL (hex "") when OpenSSL has no MD5.
 * The bytes are used as given: OpaqueString (RFC 8265) leaves the ASCII
 * passwords and realms admins type unchanged, and is not applied. */
#define PKI_TURN_KEY_HEX 33
enum mmp_rc pki_turn_long_term_key(const char *user, const char *realm, const char *password,
				   char hex[PKI_TURN_KEY_HEX], struct mmp_err *err);

/* ---- Call Bridge cluster names (guide §4.9; cluster.c) ---------------- */

#define PKI_FQDN_MAX 253 /* characters of a DNS name (RFC 1035 section 2.3.4) */

/* A Call Bridge peer's FQDN, as `callbridge cluster peers` takes it (guide
 * §4.9: "the peers configured on the clustering must match the exact FQDN
 * on its corresponding Web Admin certificate"): two labels or more, each
 * 1..63 letters, digits and '-', no '-' at either end (RFC 1123 section
 * 2.1), at most PKI_FQDN_MAX characters; no wildcard, no final dot, not an
 * IP address. An internationalised name is converted to the A-label form
 * certificates hold (RFC 5891, libidn2). 1 with out (size >= 254) holding
 * the name to keep; 0 with why (static text, "it is an IP address, ...")
 * and out "" otherwise. */
int pki_fqdn_check(const char *in, char *out, size_t size, const char **why);

/* How a certificate holds an FQDN (pki_cert_fqdn_match). */
enum pki_fqdn_match {
	PKI_FQDN_NONE = 0,     /* not among its subjectAltName DNS names */
	PKI_FQDN_EXACT = 1,    /* one of them is the FQDN */
	PKI_FQDN_WILDCARD = 2, /* only a wildcard of them covers it (*.example.com) */
};

/* Does certificate i of f hold fqdn (pki_fqdn_check's form) exactly as a
 * DNS name of its subjectAltName: the same labels, ASCII letters compared
 * without case (RFC 4343)? OpenSSL's X509_check_host decides. A wildcard
 * does not count: guide §4.9 asks for "the exact FQDN", so a wildcard that
 * would cover the name under RFC 6125 section 6.4.3 gives
 * PKI_FQDN_WILDCARD (not a match; the caller says why). The subject CN is
 * not read (RFC 6125 section 6.4.4, CA/B Forum BR 7.1.4.2: TLS clients
 * match subjectAltName). An enum pki_fqdn_match; -1 when i is out of
 * range. */
int pki_cert_fqdn_match(const struct pki_file *f, size_t i, const char *fqdn);

/* pki_cert_fqdn_match for n peers against every certificate of f, each
 * certificate's subjectAltName decoded once (a bundle of 675 certificates
 * of 350 names took 9 s for 32 peers one certificate and peer at a time):
 * exact[k] is the first certificate that holds peers[k] exactly, wildcard[k]
 * the first whose wildcard covers it (kept only while no certificate holds
 * it exactly; X509_check_host confirms it), -1 for none. */
void pki_file_fqdn_matches(const struct pki_file *f, const char *const *peers, size_t n,
			   long *exact, long *wildcard);

/* Why no certificate of f holds fqdn (pki_fqdn_check's form) exactly, when
 * one comes close, with *cert its position (0-based; -1 for none):
 * PKI_FQDN_FINAL_DOT: a dNSName is fqdn with a final dot ("cb1.example.com."),
 * which a DNS name in a certificate does not have (RFC 5280 section
 * 4.2.1.6) and TLS clients do not match; PKI_FQDN_CN_ONLY: the last CN is
 * fqdn (ASCII letters without case), which does not count (guide section
 * 4.9: the FQDN on the certificate; RFC 6125 section 6.4.4: clients match
 * subjectAltName). The first such certificate; PKI_FQDN_FAR otherwise. */
enum pki_fqdn_near {
	PKI_FQDN_FAR = 0,
	PKI_FQDN_FINAL_DOT = 1,
	PKI_FQDN_CN_ONLY = 2,
};
int pki_file_fqdn_near(const struct pki_file *f, const char *fqdn, long *cert);
/* pki_file_fqdn_near for n names at once, each certificate's names
 * decoded once: kind[k] (enum pki_fqdn_near) and cert[k] (-1 when far). */
void pki_file_fqdn_nears(const struct pki_file *f, const char *const *fqdns, size_t n, int *kind,
			 long *cert);

/* Is certificate i of f a leaf (not a CA: X509_check_ca) whose
 * subjectAltName has no DNS name (or that has none at all), naming a
 * host only in its CN, which TLS clients do not read when matching (RFC
 * 6125 section 6.4.4, CA/B Forum BR 7.1.4.2)? 1 with cn (escaped) set; 0
 * with cn "" otherwise, or when it has no CN. */
int pki_cert_cn_only(const struct pki_file *f, size_t i, char *cn, size_t size);

/* What certificate i of f holds for that match, for messages: its
 * subjectAltName DNS names "a.example.com, *.example.com" (escaped, "..."
 * when cut to size), or "no DNS name in subjectAltName (subject CN = x)".
 * "" when i is out of range. */
void pki_cert_dns_names(const struct pki_file *f, size_t i, char *buf, size_t size);

#endif
