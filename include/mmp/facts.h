/*
 * facts.h: what expiry, metrics and pki list need of each file of the
 * store, without parsing it again: its kind and, for each certificate, its
 * dates and names (issue 14). OpenSSL 3.0 takes about 130 us to parse one
 * certificate (bench/notes.md), 1.3 s for a store of 10,000, so the facts
 * are kept in a cache, <root>/facts.db (SQLite), keyed by each file's name,
 * inode, size and modification and change times: a file written by any
 * means (mmp, SFTP, cp) changes its change time, and is parsed again.
 * The cache is never a cause of failure: a missing, damaged or busy cache
 * only costs time (everything is parsed).
 */
#ifndef MMP_FACTS_H
#define MMP_FACTS_H

#include <stddef.h>

#include "mmp/err.h"
#include "mmp/store.h"

/* The attributes of a name that the exporters label (enix's
 * x509-certificate-exporter: subject_C, _ST, _L, _O, _OU, _CN), each the
 * first value of its kind, escaped for the terminal as pki inspect shows
 * it; "" when absent. */
struct name_facts {
	char *c, *st, *l, *o, *ou, *cn;
};

struct cert_facts {
	int position;            /* 1-based in its file */
	long long not_before;    /* seconds since the epoch (UTC) */
	long long not_after;
	char *subject;           /* one line, "CN = x, O = y", escaped */
	char *issuer;
	struct name_facts sub, iss;
	char *serial;            /* decimal, '-' first when negative ("" unread) */
	int self_signed;         /* its subject is its issuer (a root) */
	int is_ca;               /* basicConstraints CA:TRUE */
};

/* enum pki_kind values (mmp/pki.h), kept as ints here so the store layer
 * (the cache) does not include the engine. */
struct file_facts {
	char *name;
	int kind;
	size_t ncerts;
	struct cert_facts *certs;
};

struct store_facts {
	size_t nfiles;
	struct file_facts *files; /* in name order (store_list's) */
	size_t parsed;            /* files parsed this time (not from the cache) */
	/* private: the cache the other files' facts point into, and which
	 * files' facts are the loader's own */
	struct facts_cache *cache;
	unsigned char *owned;
};

/* The facts of every file of the store, from the cache where a file is
 * unchanged, else parsed (pki_file_load, as the store's actor may read it:
 * a file it may not read keeps the kind the cache knows, or is unknown)
 * and written back to the cache. MMP_OK with *out (free with
 * store_facts_free), MMP_ERR_NOMEM, or an error listing the store. */
enum mmp_rc store_facts_load(const struct store *s, struct store_facts **out,
			     struct mmp_err *err);
void store_facts_free(struct store_facts *f);

/* The facts of a loaded file (src/pki/facts.c): its kind and each
 * certificate's. MMP_OK or MMP_ERR_NOMEM (out then cleared). */
struct pki_file;
enum mmp_rc pki_file_facts(const struct pki_file *pf, struct file_facts *out);

/* The facts of file name, or NULL when the store has no such file. */
const struct file_facts *store_facts_find(const struct store_facts *f, const char *name);

/* ---- The cache itself (src/store/facts_cache.c) ------------------------ */

/* struct store_ident: mmp/store.h. */
/* The identity of name, a regular file of the store: MMP_OK, or
 * MMP_ERR_NOENT. */
enum mmp_rc store_file_ident(const struct store *s, const char *name, struct store_ident *id);

struct facts_cache;

/* Open <root>/facts.db (created when missing, rebuilt when damaged or of
 * another layout) and read all it holds. NULL when it cannot be used:
 * then nothing is cached. */
struct facts_cache *facts_cache_open(const struct store *s);
/* The cached facts of name when its identity is id's: a pointer into the
 * cache (valid until facts_cache_close), or NULL. */
const struct file_facts *facts_cache_get(struct facts_cache *c, const char *name,
					 const struct store_ident *id);
/* Remember the facts of a file at identity id, to be written by
 * facts_cache_flush; f must stay valid until then (it is not copied). */
void facts_cache_put(struct facts_cache *c, const struct file_facts *f, const struct store_ident *id);
/* Write what was put and drop the files that facts_cache_get was never
 * asked for (gone from the store: the caller asks for every file), in one
 * transaction; a busy or failing write is dropped. */
void facts_cache_flush(struct facts_cache *c);
/* Free the cache and the facts facts_cache_get returned. NULL is a no-op. */
void facts_cache_close(struct facts_cache *c);

/* Free the strings and certificates of one file_facts (not f itself). */
void file_facts_clear(struct file_facts *f);

#endif
