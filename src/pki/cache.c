/*
 * cache.c: the parsed files of this process (issue 15 item 5). A script or
 * an SSH session loads the same chain and bundle again and again; each
 * load of an unchanged file takes its parse from here instead of reading
 * and parsing it again.
 *
 * - Key: the store's files/ folder and the name; an entry is used only
 *   while the file is still the version parsed (inode, size, mtime and
 *   ctime: store_use_unchanged), so a file edited or replaced outside mmp,
 *   even in place with the same size and mtime, is read again.
 * - Every write, replacement, rename and removal through a store of this
 *   process forgets the names it touches (store_set_changed_hook).
 * - The access table decides on every load: store_use_unchanged() makes
 *   store_read()'s checks and decision for the actor of the store asking,
 *   with the content kinds found when the file was read; only the parse
 *   is shared, never a decision.
 * - Callers own what they get: each load returns its own struct pki_file
 *   (its own certificate stack and bytes; the X509 and EVP_PKEY objects
 *   shared by reference count, which OpenSSL's verification only reads),
 *   freed with pki_file_free as before.
 * - Files that hold a private key (plain, locked, PKCS#12, OpenSSH or
 *   PuTTY) are never kept: a secret stays in memory no longer than the
 *   command that reads it.
 * - Bounded: at most PKI_CACHE_ENTRIES files and PKI_CACHE_BYTES of
 *   estimated memory; the least recently used go first.
 * mmp is one thread per process (mmp-sshd forks a process per session).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct entry {
	char *dir;                /* store_files_dir() */
	char name[STORE_NAME_MAX + 1];
	struct store_ident id;
	unsigned kinds;           /* as store_read_ident told them */
	struct pki_file *f;
	size_t cost;              /* estimated bytes */
	unsigned long long used;  /* LRU clock */
};

static struct entry *ents;
static size_t nents, cap_entries = PKI_CACHE_ENTRIES, cap_bytes = PKI_CACHE_BYTES, bytes;
static unsigned long long clock_now, parses, hits;
static int hooked;

void pki_cache_count_parse(void)
{
	parses++;
}

/* The DER bytes of x's extensions that OpenSSL keeps decoded, entry by
 * entry (subjectAltName, nameConstraints, CRL distribution points). */
static size_t decoded_ext_bytes(X509 *x)
{
	static const int nids[] = { NID_subject_alt_name, NID_name_constraints,
				    NID_crl_distribution_points };
	size_t i, sum = 0;
	int at;

	for (i = 0; i < sizeof(nids) / sizeof(nids[0]); i++)
		for (at = -1; (at = X509_get_ext_by_NID(x, nids[i], at)) >= 0;)
			sum += (size_t)ASN1_STRING_length(X509_EXTENSION_get_data(X509_get_ext(x, at)));
	return sum;
}

/* What f holds in memory, an upper bound: a parsed certificate takes 5 to
 * 13 times its DER (X509 structures, names kept twice, the key), and each
 * entry of a decoded extension about 100 bytes for 3 of DER (a one-letter
 * dNSName): measured with OpenSSL 3.0, a file of 12 certificates of 17,000
 * such names took 23 MB for 1.4 MB of PEM, where "three times the PEM"
 * said 4 MB (found by an attack on issue 15). */
static size_t cost_of(const struct pki_file *f)
{
	size_t cost = sizeof(*f) + f->raw_len;
	int i, der;

	for (i = 0; i < sk_X509_num(f->certs); i++) {
		X509 *x = sk_X509_value(f->certs, i);

		der = i2d_X509(x, NULL);
		cost += 1024 + (der > 0 ? (size_t)der * 16 : 0) + decoded_ext_bytes(x) * 40;
	}
	pki_err_clear();
	return cost;
}

static void drop(size_t i)
{
	bytes -= ents[i].cost;
	pki_file_free(ents[i].f);
	free(ents[i].dir);
	ents[i] = ents[--nents];
}

static void forget(const char *dir, const char *name)
{
	size_t i;

	for (i = 0; i < nents; i++)
		if (strcmp(ents[i].name, name) == 0 && strcmp(ents[i].dir, dir) == 0) {
			drop(i);
			return;
		}
}

static struct entry *find(const char *dir, const char *name)
{
	size_t i;

	for (i = 0; i < nents; i++)
		if (strcmp(ents[i].name, name) == 0 && strcmp(ents[i].dir, dir) == 0)
			return &ents[i];
	return NULL;
}

/* Drop the least recently used until need more bytes and one more entry fit. */
static void make_room(size_t need)
{
	while (nents > 0 && (nents >= cap_entries || bytes + need > cap_bytes)) {
		size_t i, old = 0;
		for (i = 1; i < nents; i++)
			if (ents[i].used < ents[old].used)
				old = i;
		drop(old);
	}
}

/* Its own struct pki_file sharing f's parsed objects; NULL when out of
 * memory. */
static struct pki_file *copy_of(const struct pki_file *f)
{
	struct pki_file *c = malloc(sizeof(*c));
	int i;

	if (c == NULL)
		return NULL;
	*c = *f;
	c->certs = NULL;
	c->key = c->pubkey = NULL;
	c->csr = NULL;
	c->p12 = NULL;
	c->raw = NULL;
	if ((c->certs = sk_X509_new_reserve(NULL, sk_X509_num(f->certs))) == NULL ||
	    (c->raw = malloc(f->raw_len + 1)) == NULL ||
	    (f->pubkey != NULL && !EVP_PKEY_up_ref(f->pubkey)))
		goto fail;
	c->pubkey = f->pubkey;
	memcpy(c->raw, f->raw, f->raw_len + 1);
	for (i = 0; i < sk_X509_num(f->certs); i++) {
		X509 *x = sk_X509_value(f->certs, i);
		if (!X509_up_ref(x))
			goto fail;
		sk_X509_push(c->certs, x); /* reserved: cannot fail */
	}
	return c;
fail:
	if (c->certs == NULL) /* pki_file_free frees the rest */
		c->certs = sk_X509_new_null();
	pki_file_free(c);
	pki_err_clear();
	return NULL;
}

/* Nothing secret, nothing OpenSSL cannot share. A CSR is not kept: it
 * has no reference count, so each load would copy it (X509_REQ_dup), and
 * OpenSSL 3.0 leaks part of the copy when an allocation fails inside it
 * (tests/faults); a CSR is read by one pki sign, not again and again. */
static int keepable(const struct pki_file *f)
{
	return f->key == NULL && f->keys == 0 && !f->locked && f->p12 == NULL && f->csr == NULL &&
	       f->foreign == PKI_FOREIGN_NONE && !f->oom;
}

static void changed(const char *dir, const char *name)
{
	forget(dir, name);
}

/* Keep f (the cache owns it now) as the parse of name at id. 0 when not
 * kept (the caller still owns f). */
static int keep(const char *dir, const char *name, const struct store_ident *id, unsigned kinds,
		struct pki_file *f)
{
	size_t cost = cost_of(f);
	struct entry *e;

	if (!keepable(f) || cost > cap_bytes || cap_entries == 0)
		return 0;
	forget(dir, name);
	make_room(cost);
	if (nents == 0 && ents == NULL && (ents = calloc(cap_entries, sizeof(*ents))) == NULL)
		return 0;
	e = &ents[nents];
	if ((e->dir = strdup(dir)) == NULL)
		return 0;
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->id = *id;
	e->kinds = kinds;
	e->f = f;
	e->cost = cost;
	e->used = ++clock_now;
	nents++;
	bytes += cost;
	return 1;
}

enum mmp_rc pki_file_load(const struct store *s, const char *name, struct pki_file **out,
			  struct mmp_err *err)
{
	const char *dir = store_files_dir(s);
	struct store_ident id;
	struct entry *e;
	unsigned char *buf;
	unsigned kinds;
	size_t len;
	enum mmp_rc rc;
	int r;

	*out = NULL;
	if ((rc = store_check_name(name, STORE_ANY, err)) != MMP_OK)
		return rc;
	if (!hooked) {
		store_set_changed_hook(changed);
		hooked = 1;
	}
	if ((e = find(dir, name)) != NULL) {
		/* the access decision for this store's actor, every time */
		if ((r = store_use_unchanged(s, name, &e->id, e->kinds, err)) < 0)
			return err->rc;
		if (r == 1 && (*out = copy_of(e->f)) != NULL) {
			e->used = ++clock_now;
			hits++;
			return MMP_OK;
		}
		if (r == 0)
			forget(dir, name); /* another version now */
		/* 2: the same version, read again for this actor's decision */
	}
	if ((rc = store_read_ident(s, name, &buf, &len, &id, &kinds, err)) != MMP_OK)
		return rc;
	rc = pki_file_parse(name, buf, len, out, err);
	store_buf_free(buf, len);
	if (rc == MMP_OK && keepable(*out)) {
		struct pki_file *c = copy_of(*out);
		if (c != NULL && !keep(dir, name, &id, kinds, c))
			pki_file_free(c);
	}
	return rc;
}

void pki_cache_limits(size_t entries, size_t max_bytes)
{
	pki_cache_clear();
	free(ents);
	ents = NULL;
	cap_entries = entries;
	cap_bytes = max_bytes;
}

void pki_cache_clear(void)
{
	while (nents > 0)
		drop(nents - 1);
}

void pki_cache_stats(struct pki_cache_stats *st)
{
	st->parses = parses;
	st->hits = hits;
	st->entries = nents;
	st->bytes = bytes;
}

void pki_cache_free(void)
{
	pki_cache_clear();
	free(ents);
	ents = NULL;
}
