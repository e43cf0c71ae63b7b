/*
 * facts.c: the facts of every file of the store (mmp/facts.h), from the
 * cache where a file is unchanged, parsed where it is not.
 */
#include <stdlib.h>
#include <string.h>

#include "mmp/facts.h"
#include "mmp/pki.h"

static void name_clear(struct name_facts *n)
{
	free(n->c);
	free(n->st);
	free(n->l);
	free(n->o);
	free(n->ou);
	free(n->cn);
}

void file_facts_clear(struct file_facts *f)
{
	size_t i;

	for (i = 0; i < f->ncerts; i++) {
		free(f->certs[i].subject);
		free(f->certs[i].issuer);
		free(f->certs[i].serial);
		name_clear(&f->certs[i].sub);
		name_clear(&f->certs[i].iss);
	}
	free(f->certs);
	free(f->name);
	memset(f, 0, sizeof(*f));
}

/* The facts of a file the cache does not know as it is now: parsed. A
 * file that cannot be read (gone meanwhile, refused to this actor) is
 * "unknown", with no certificate, and *read 0: not for the cache, where
 * another actor would find it. */
static enum mmp_rc parse_one(const struct store *s, const char *name, struct file_facts *out,
			     int *read)
{
	struct pki_file *pf = NULL;
	struct mmp_err err;
	enum mmp_rc rc;

	mmp_err_clear(&err);
	*read = 0;
	if (pki_file_load(s, name, &pf, &err) != MMP_OK) {
		memset(out, 0, sizeof(*out));
		out->kind = PKI_KIND_UNKNOWN;
		return (out->name = strdup(name)) != NULL ? MMP_OK : MMP_ERR_NOMEM;
	}
	rc = pki_file_facts(pf, out);
	pki_file_free(pf);
	*read = rc == MMP_OK;
	return rc;
}

enum mmp_rc store_facts_load(const struct store *s, struct store_facts **out, struct mmp_err *err)
{
	struct store_facts *sf = calloc(1, sizeof(*sf));
	char **names = NULL;
	size_t n = 0, i;
	enum mmp_rc rc;

	*out = NULL;
	if (sf == NULL)
		return mmp_err_set(err, MMP_ERR_NOMEM, "out of memory reading the file store");
	if ((rc = store_list(s, &names, &n, err)) != MMP_OK) {
		free(sf);
		return rc;
	}
	if ((n > 0 && ((sf->files = calloc(n, sizeof(*sf->files))) == NULL ||
		       (sf->owned = calloc(n, 1)) == NULL))) {
		store_list_free(names);
		store_facts_free(sf);
		return mmp_err_set(err, MMP_ERR_NOMEM, "out of memory reading the file store");
	}
	sf->cache = facts_cache_open(s);
	for (i = 0; i < n; i++) {
		struct store_ident id;
		const struct file_facts *cached;
		int have_id = store_file_ident(s, names[i], &id) == MMP_OK, read;

		if (have_id && (cached = facts_cache_get(sf->cache, names[i], &id)) != NULL) {
			sf->files[sf->nfiles++] = *cached;
			continue;
		}
		if (parse_one(s, names[i], &sf->files[sf->nfiles], &read) != MMP_OK) {
			store_list_free(names);
			store_facts_free(sf);
			return mmp_err_set(err, MMP_ERR_NOMEM, "out of memory reading the file store");
		}
		sf->owned[sf->nfiles] = 1;
		sf->parsed++;
		if (have_id && read)
			facts_cache_put(sf->cache, &sf->files[sf->nfiles], &id);
		sf->nfiles++;
	}
	store_list_free(names);
	facts_cache_flush(sf->cache);
	*out = sf;
	return MMP_OK;
}

void store_facts_free(struct store_facts *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->nfiles; i++)
		if (f->owned[i])
			file_facts_clear(&f->files[i]);
	free(f->files);
	free(f->owned);
	facts_cache_close(f->cache);
	free(f);
}

const struct file_facts *store_facts_find(const struct store_facts *f, const char *name)
{
	size_t lo = 0, hi = f->nfiles;

	while (lo < hi) { /* store_list's order: strcmp */
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(f->files[mid].name, name);
		if (d == 0)
			return &f->files[mid];
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
