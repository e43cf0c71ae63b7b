/*
 * internal.h: what the files of src/pki/ share: the parsed form of a file
 * and a few helpers. Only src/pki/ includes OpenSSL headers.
 */
#ifndef MMP_PKI_INTERNAL_H
#define MMP_PKI_INTERNAL_H

#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "mmp/pki.h"

/* A chain or trust bundle holds a handful of certificates; the machine's
 * whole CA store holds about 150. Past this many PEM blocks (or PKCS#7
 * certificates) a file is refused rather than parsed for seconds. */
#define PKI_FILE_MAX_BLOCKS 1000
/* Key derivation rounds a PKCS#12's password may cost, MAC and parts
 * together (OpenSSL and Windows export with 2048 each, 600,000 is OWASP's
 * PBKDF2 advice; about 5 s of CPU here): pki_p12_rounds_ok. */
#define PKI_P12_MAX_ROUNDS 10000000

struct pki_file {
	char name[STORE_NAME_MAX + 1];
	enum pki_kind kind;
	enum pki_encoding enc;
	int pkcs7;               /* certificates came from a PKCS#7 */
	STACK_OF(X509) *certs;   /* in file order; never NULL after load */
	EVP_PKEY *key;           /* an unlocked private key, or NULL */
	EVP_PKEY *pubkey;        /* a bare public key, or NULL */
	X509_REQ *csr;
	PKCS12 *p12;
	int locked;              /* holds an encrypted private key */
	int keys;                /* private keys in the file, locked or not */
	int unknown_blocks;      /* PEM blocks or parts not understood */
	int crls;                /* certificate revocation lists decoded (PEM X509
				  * CRL blocks, or a DER file); not unknown */
	int bad_blocks;          /* PEM blocks that failed to decode */
	int too_many;            /* more than PKI_FILE_MAX_BLOCKS: not read */
	int untold_blocks;       /* public PEM blocks with bytes after their
				  * object or with header lines: room for a
				  * hidden secret (the access table) */
	int oom;                 /* an allocation failed while parsing */
	char ssh_type[32];       /* "ssh-rsa" etc. for an SSH public key */
	enum { PKI_FOREIGN_NONE, PKI_FOREIGN_OPENSSH, PKI_FOREIGN_PUTTY } foreign;
	char foreign_type[32];   /* its key type ("ssh-rsa" etc.), "" when unread */
				 /* a private key services do not read */
	int utf16;               /* 1: read from UTF-16 text; -1: UTF-16 that
				  * does not convert */
	int blank_line, blanks;  /* first blank line inside a PEM block (1-based,
				  * 0 = none) and how many were skipped */
	int damage, damage_line; /* enum pki_damage of a bad block, and where */
	unsigned char *raw;      /* the bytes as read (BOM stripped; UTF-16
				  * converted to UTF-8) */
	size_t raw_len;
};

/* Count one parse of a file's bytes (pki_file_parse; pki_cache_stats). */
void pki_cache_count_parse(void);
/* SHA-256 for fingerprints, fetched from the default provider once per
 * process (OpenSSL 3.0 looks EVP_sha256() up under a lock on each use);
 * EVP_sha256() when that fetch fails. Freed by pki_cleanup. */
const EVP_MD *pki_sha256(void);
/* Free every parsed file the cache keeps (pki_cleanup). */
void pki_cache_free(void);

/* Free the public roots read by roots.c (pki_cleanup). */
void pki_roots_free(void);

/* What to do with a PKI_KIND_FOREIGN_KEY file (OpenSSH, PuTTY): one
 * static sentence saying what services read and how to get it. */
const char *pki_foreign_key_remedy(const struct pki_file *f);

/* Why a PEM block did not decode (pki_pem_diagnose), or a DER ends short. */
enum pki_damage {
	PKI_DAMAGE_NONE = 0,
	PKI_DAMAGE_NO_END,   /* a BEGIN line without its END: the file was cut */
	PKI_DAMAGE_BASE64,   /* a line of the block is not base64: edited */
	PKI_DAMAGE_SHORT,    /* base64 or DER that ends short: cut */
	PKI_DAMAGE_CONTENTS, /* it decodes, but to no valid object */
};

/* UTF-16 text with its BOM (Notepad "Unicode") as UTF-8 (iconv), in a new
 * buffer with a NUL after *outlen bytes (free()); NULL when it does not
 * convert. */
/* UTF-16 text (from: "UTF-16" with its BOM, "UTF-16LE" or "UTF-16BE")
 * converted to UTF-8; NULL when it does not convert. */
unsigned char *pki_utf16_to_utf8(const unsigned char *buf, size_t len, const char *from,
				 size_t *outlen);
/* "UTF-16LE" or "UTF-16BE" when buf, without a BOM, is UTF-16 text (every
 * other byte 0, as ASCII text is in UTF-16), else NULL. */
const char *pki_utf16_guess(const unsigned char *buf, size_t len);

/* PEM text cleaned for PEM_read_bio: CRLF -> LF, blanks at line ends
 * dropped, blank lines inside a block dropped (but the one that ends the
 * RFC 1421 headers); *blank_line = the first dropped (1-based, 0 = none),
 * *blanks = how many. NUL-terminated, *outlen bytes; free(). */
char *pki_pem_clean(const unsigned char *buf, size_t len, size_t *outlen, int *blank_line,
		    int *blanks);

/* Set f->damage and f->damage_line from f->raw (PEM): the first block with
 * no END line, a line that is not base64, or base64/DER that ends short;
 * else PKI_DAMAGE_CONTENTS (a block decodes to no valid object). */
void pki_pem_diagnose(struct pki_file *f);

/* 1 when buf is the start of a DER SEQUENCE whose length runs past len
 * bytes (a download or upload that was cut). */
int pki_der_short(const unsigned char *buf, size_t len);

/* The cause and remedy of f->damage, one clause without the file name. */
const char *pki_damage_text(const struct pki_file *f, char *buf, size_t size);

/* For an empty or unknown (damaged, UTF-16, cut) file: 1 and buf = one
 * sentence naming the file, what it is not or what is wrong, and what to
 * upload; 0 for any other file. */
int pki_file_unreadable(const struct pki_file *f, char *buf, size_t size);

/* Drain OpenSSL's error queue into err's cause (the last reason; "out of
 * memory" when an allocation failed, whatever OpenSSL reported after it). */
void pki_cause_from_openssl(struct mmp_err *err);

/* Say what the error just set in e is about (issue 12): its code, the
 * file (NULL: none) and the certificate position (0: none); remedy, when
 * not NULL, is how the remedy starts in e->msg (after a ": "), for JSON
 * to show it apart. Returns rc, to wrap mmp_err_set():
 * return pki_err_is(mmp_err_set(e, ...), e, "chain.order", f->name, 0, "put"); */
enum mmp_rc pki_err_is(enum mmp_rc rc, struct mmp_err *e, const char *code, const char *file,
		       int cert, const char *remedy);

/* Empty OpenSSL's error queue (ERR_clear_error()); 1 when one of the
 * errors was an allocation failure, so a failed check says nothing about
 * the input (also remembered for pki_take_oom()). */
int pki_err_clear(void);

/* Load from memory (what pki_file_load does after reading the file). */
enum mmp_rc pki_p12_rounds_ok(const struct pki_file *f, const char *password, struct mmp_err *err);
enum mmp_rc pki_file_parse(const char *name, const unsigned char *buf,
			   size_t len, struct pki_file **out,
			   struct mmp_err *err);

/* The end-entity certificate of a set: one that issued none of the others,
 * preferring one that is not self-signed. Index into certs (0 if empty). */
int pki_leaf_index(STACK_OF(X509) *certs);

/* Does issuer issue cert: names, key identifiers and the signature? 1/0,
 * OpenSSL's error queue left empty. The answer is kept (chain.c). */
int pki_issued_by(X509 *cert, X509 *issuer);

/* X509_self_signed(x, 1) == 1: its own key verifies its signature (and it
 * names itself as issuer); 1/0, the queue left empty. The answer is kept
 * in x (ex_data): pki inspect's rules ask about one root three times. */
int pki_self_signed(X509 *x);

/* Put certs in chain order: the leaf first, then each one's issuer; what
 * no chain reaches keeps its place after. For PKCS#7 files, whose order is
 * not defined (Windows CAs hand them out root first). */
void pki_order_chain(STACK_OF(X509) *certs);

/* pki inspect of a file already loaded (what pki_inspect does after
 * loading; the fuzz harness calls it on parsed bytes). */
void pki_inspect_file(const struct pki_file *f, struct report *r);

/* Write a certificate's subject or issuer as one line of UTF-8 text,
 * RFC 2253-like ("CN = x, L = Zürich"; PKI_NAME_FLAGS), controls and bytes
 * that are not UTF-8 escaped, "..." at the end when cut (show.c). */
void pki_name_oneline(const X509_NAME *n, char *buf, size_t size);
/* A name as JSON (issue 12): attribute long name -> value (UTF-8,
 * escaped); an attribute given twice has its values joined with ", ". */
json_t *pki_name_json(const X509_NAME *n);
/* pki inspect of a file of revocation lists (inspect_crl.c): each CRL's
 * issuer, dates, number and count of revoked certificates, into r. */
void pki_inspect_crls(const struct pki_file *f, struct report *r);
/* RFC 5280 5.2.3 (crl.c): NULL when CRL c has a non-critical CRLNumber,
 * else why not. */
const char *pki_crl_number_fault(const X509_CRL *c);

/* RFC 2253-like, in the order of the certificate, "CN = x, O = y" (the
 * openssl CLI's "oneline", so its output compares with -nameopt
 * oneline,-esc_msb): every string type is converted to UTF-8
 * (ASN1_STRFLGS_UTF8_CONVERT) and kept as UTF-8 text, "Zürich", not
 * "Z\C3\BCrich" (issue 11 class 5); OpenSSL escapes C0 controls as \XX,
 * and text_escape() the rest that must not reach a terminal. */
#define PKI_NAME_FLAGS (XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB)

/* A malloc'd copy of len bytes through text_escape() (UTF-8 text kept,
 * controls and bytes that are not UTF-8 as \xNN, a NUL too); NULL when out
 * of memory. Free with free(). */
char *pki_escape_dup(const unsigned char *in, size_t len);

/* Raw bytes of a string from a file into b: printable ASCII as is, '\' as
 * "\\", any other byte as \xNN. */
void pki_bio_put_escaped(BIO *b, const unsigned char *p, int n);

/* subjectAltName names as "DNS:a, IP Address:1.2.3.4, ..." into b, text
 * from the file escaped; a DNS name with A-labels ("xn--") is followed by
 * its U-label form, "DNS:xn--zrich-kva.example (zürich.example)". Returns
 * how many names were shown in both forms. */
int pki_print_gens(BIO *b, const GENERAL_NAMES *gens);

/* Write a DER/PEM object to the store atomically. PEM encoding via the
 * given BIO writer. */
enum mmp_rc pki_store_bio(const struct store *s, const char *name, BIO *bio,
			  int flags, struct mmp_err *err);

#endif
