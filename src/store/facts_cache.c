/*
 * facts_cache.c: <root>/facts.db, the cache of the facts of the store's
 * files (mmp/facts.h). A cache only: whatever goes wrong here (missing,
 * damaged, busy, out of memory) costs time, never a result; a damaged or
 * foreign file is removed and made again.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "mmp/facts.h"
#include "store_internal.h"

#define CACHE_LAYOUT 2 /* PRAGMA user_version of this layout; 2: files of
			* revocation lists have their own kind (PKI_KIND_CRL) */
#define CHUNK (64 * 1024)

/* Strings and arrays of the facts read, freed together. */
struct chunk {
	struct chunk *next;
	size_t used, size;
	char data[];
};

struct put {
	const struct file_facts *f;
	struct store_ident id;
};

struct cached {
	struct file_facts f;
	struct store_ident id;
	int asked;
};

struct facts_cache {
	sqlite3 *db;
	struct chunk *chunks;
	struct cached *v;
	size_t n;
	struct put *puts;
	size_t nputs, cap;
};

static void *arena(struct facts_cache *c, size_t len)
{
	struct chunk *k = c->chunks;

	len = (len + 7) & ~(size_t)7;
	if (k == NULL || k->size - k->used < len) {
		size_t size = len > CHUNK ? len : CHUNK;
		if ((k = malloc(sizeof(*k) + size)) == NULL)
			return NULL;
		k->used = 0;
		k->size = size;
		k->next = c->chunks;
		c->chunks = k;
	}
	k->used += len;
	return k->data + k->used - len;
}

/* Column i as a string of the arena; NULL when not text or no memory. */
static char *col(struct facts_cache *c, sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	size_t len = (size_t)sqlite3_column_bytes(st, i);
	char *s;

	if (t == NULL || sqlite3_column_type(st, i) != SQLITE_TEXT || (s = arena(c, len + 1)) == NULL)
		return NULL;
	memcpy(s, t, len);
	s[len] = '\0';
	return s;
}

static int exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
}

static const char *const create_sql =
	"BEGIN IMMEDIATE;"
	"DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS certs;"
	"CREATE TABLE files (name TEXT PRIMARY KEY NOT NULL, ino INTEGER, size INTEGER,"
	" mtime INTEGER, ctime INTEGER, kind INTEGER, ncerts INTEGER) WITHOUT ROWID;"
	"CREATE TABLE certs (name TEXT NOT NULL, pos INTEGER NOT NULL, not_before INTEGER,"
	" not_after INTEGER, subject TEXT, issuer TEXT, serial TEXT, self_signed INTEGER,"
	" is_ca INTEGER, s_c TEXT, s_st TEXT, s_l TEXT, s_o TEXT, s_ou TEXT, s_cn TEXT,"
	" i_c TEXT, i_st TEXT, i_l TEXT, i_o TEXT, i_ou TEXT, i_cn TEXT,"
	" PRIMARY KEY (name, pos)) WITHOUT ROWID;"
	"PRAGMA user_version = 2;"
	"COMMIT;";

static sqlite3 *open_db(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int version = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
					      SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_busy_timeout(db, 1000);
	/* a cache: a commit lost to a power cut is parsed again; WAL keeps
	 * readers of other sessions from waiting for a writer */
	if (!exec(db, "PRAGMA journal_mode = WAL") || !exec(db, "PRAGMA synchronous = NORMAL"))
		goto fail;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version != CACHE_LAYOUT && !exec(db, create_sql)) {
		exec(db, "ROLLBACK");
		goto fail;
	}
	return db;
fail:
	sqlite3_close(db);
	return NULL;
}

static int read_files(struct facts_cache *c)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int r;

	if (sqlite3_prepare_v2(c->db, "SELECT name, ino, size, mtime, ctime, kind, ncerts FROM files ORDER BY name",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct cached *e;
		long long ncerts = sqlite3_column_int64(st, 6);
		if (c->n == cap) {
			struct cached *nv = realloc(c->v, (cap = cap ? cap * 2 : 256) * sizeof(*nv));
			if (nv == NULL)
				break;
			c->v = nv;
		}
		e = &c->v[c->n];
		memset(e, 0, sizeof(*e));
		if ((e->f.name = col(c, st, 0)) == NULL || ncerts < 0 || ncerts > 100000)
			break;
		e->id.ino = (unsigned long long)sqlite3_column_int64(st, 1);
		e->id.size = (unsigned long long)sqlite3_column_int64(st, 2);
		e->id.mtime_ns = sqlite3_column_int64(st, 3);
		e->id.ctime_ns = sqlite3_column_int64(st, 4);
		e->f.kind = sqlite3_column_int(st, 5);
		e->f.ncerts = (size_t)ncerts;
		if (ncerts > 0 && (e->f.certs = arena(c, (size_t)ncerts * sizeof(*e->f.certs))) == NULL)
			break;
		if (ncerts > 0)
			memset(e->f.certs, 0, (size_t)ncerts * sizeof(*e->f.certs));
		c->n++;
	}
	sqlite3_finalize(st);
	return r == SQLITE_DONE;
}

static struct cached *find(struct facts_cache *c, const char *name)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(c->v[mid].f.name, name);
		if (d == 0)
			return &c->v[mid];
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int read_name(struct facts_cache *c, sqlite3_stmt *st, int i, struct name_facts *n)
{
	return (n->c = col(c, st, i)) && (n->st = col(c, st, i + 1)) && (n->l = col(c, st, i + 2)) &&
	       (n->o = col(c, st, i + 3)) && (n->ou = col(c, st, i + 4)) && (n->cn = col(c, st, i + 5));
}

static int read_certs(struct facts_cache *c)
{
	sqlite3_stmt *st = NULL;
	struct cached *e = NULL;
	int r;

	if (sqlite3_prepare_v2(c->db,
			       "SELECT name, pos, not_before, not_after, subject, issuer, serial, self_signed,"
			       " is_ca, s_c, s_st, s_l, s_o, s_ou, s_cn, i_c, i_st, i_l, i_o, i_ou, i_cn"
			       " FROM certs ORDER BY name, pos",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		long long pos = sqlite3_column_int64(st, 1);
		struct cert_facts *k;
		if (name == NULL)
			break;
		if (e == NULL || strcmp(e->f.name, name) != 0)
			e = find(c, name);
		if (e == NULL || pos < 1 || (size_t)pos > e->f.ncerts)
			break;
		k = &e->f.certs[pos - 1];
		k->position = (int)pos;
		k->not_before = sqlite3_column_int64(st, 2);
		k->not_after = sqlite3_column_int64(st, 3);
		k->self_signed = sqlite3_column_int(st, 7);
		k->is_ca = sqlite3_column_int(st, 8);
		if (!(k->subject = col(c, st, 4)) || !(k->issuer = col(c, st, 5)) ||
		    !(k->serial = col(c, st, 6)) || !read_name(c, st, 9, &k->sub) ||
		    !read_name(c, st, 15, &k->iss))
			break;
	}
	sqlite3_finalize(st);
	return r == SQLITE_DONE;
}

/* Every certificate of every file read: a row missing is a damaged cache. */
static int complete(const struct facts_cache *c)
{
	size_t i, k;

	for (i = 0; i < c->n; i++)
		for (k = 0; k < c->v[i].f.ncerts; k++)
			if (c->v[i].f.certs[k].position == 0)
				return 0;
	return 1;
}

static void forget(struct facts_cache *c)
{
	struct chunk *k;

	while ((k = c->chunks) != NULL) {
		c->chunks = k->next;
		free(k);
	}
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

struct facts_cache *facts_cache_open(const struct store *s)
{
	struct facts_cache *c = calloc(1, sizeof(*c));
	char path[4096];
	int attempt;

	if (c == NULL || snprintf(path, sizeof(path), "%s/facts.db", store_root(s)) >= (int)sizeof(path)) {
		free(c);
		return NULL;
	}
	for (attempt = 0; attempt < 2; attempt++) {
		if ((c->db = open_db(path)) != NULL && read_files(c) && read_certs(c) && complete(c))
			return c;
		/* damaged, or written by something else: start again, empty */
		forget(c);
		sqlite3_close(c->db);
		c->db = NULL;
		if (attempt == 0) {
			char side[4200];
			unlink(path);
			snprintf(side, sizeof(side), "%s-wal", path);
			unlink(side);
			snprintf(side, sizeof(side), "%s-shm", path);
			unlink(side);
		}
	}
	free(c);
	return NULL;
}

const struct file_facts *facts_cache_get(struct facts_cache *c, const char *name,
					 const struct store_ident *id)
{
	struct cached *e = c != NULL ? find(c, name) : NULL;

	if (e == NULL)
		return NULL;
	e->asked = 1;
	if (e->id.ino != id->ino || e->id.size != id->size || e->id.mtime_ns != id->mtime_ns ||
	    e->id.ctime_ns != id->ctime_ns)
		return NULL;
	return &e->f;
}

void facts_cache_put(struct facts_cache *c, const struct file_facts *f, const struct store_ident *id)
{
	if (c == NULL)
		return;
	if (c->nputs == c->cap) {
		struct put *nv = realloc(c->puts, (c->cap ? c->cap * 2 : 64) * sizeof(*nv));
		if (nv == NULL)
			return; /* not cached: parsed again next time */
		c->puts = nv;
		c->cap = c->cap ? c->cap * 2 : 64;
	}
	c->puts[c->nputs].f = f;
	c->puts[c->nputs++].id = *id;
}

static int bind_text(sqlite3_stmt *st, int i, const char *s)
{
	return sqlite3_bind_text(st, i, s != NULL ? s : "", -1, SQLITE_STATIC) == SQLITE_OK;
}

static int bind_name(sqlite3_stmt *st, int i, const struct name_facts *n)
{
	return bind_text(st, i, n->c) && bind_text(st, i + 1, n->st) && bind_text(st, i + 2, n->l) &&
	       bind_text(st, i + 3, n->o) && bind_text(st, i + 4, n->ou) && bind_text(st, i + 5, n->cn);
}

static int write_one(sqlite3_stmt *del_f, sqlite3_stmt *del_c, sqlite3_stmt *ins_f, sqlite3_stmt *ins_c,
		     const char *name, const struct put *p)
{
	size_t k;

	sqlite3_reset(del_f);
	sqlite3_reset(del_c);
	if (!bind_text(del_f, 1, name) || sqlite3_step(del_f) != SQLITE_DONE || !bind_text(del_c, 1, name) ||
	    sqlite3_step(del_c) != SQLITE_DONE)
		return 0;
	if (p == NULL)
		return 1;
	sqlite3_reset(ins_f);
	if (!bind_text(ins_f, 1, name) || sqlite3_bind_int64(ins_f, 2, (long long)p->id.ino) != SQLITE_OK ||
	    sqlite3_bind_int64(ins_f, 3, (long long)p->id.size) != SQLITE_OK ||
	    sqlite3_bind_int64(ins_f, 4, p->id.mtime_ns) != SQLITE_OK ||
	    sqlite3_bind_int64(ins_f, 5, p->id.ctime_ns) != SQLITE_OK ||
	    sqlite3_bind_int(ins_f, 6, p->f->kind) != SQLITE_OK ||
	    sqlite3_bind_int64(ins_f, 7, (long long)p->f->ncerts) != SQLITE_OK || sqlite3_step(ins_f) != SQLITE_DONE)
		return 0;
	for (k = 0; k < p->f->ncerts; k++) {
		const struct cert_facts *x = &p->f->certs[k];
		sqlite3_reset(ins_c);
		if (!bind_text(ins_c, 1, name) || sqlite3_bind_int(ins_c, 2, x->position) != SQLITE_OK ||
		    sqlite3_bind_int64(ins_c, 3, x->not_before) != SQLITE_OK ||
		    sqlite3_bind_int64(ins_c, 4, x->not_after) != SQLITE_OK || !bind_text(ins_c, 5, x->subject) ||
		    !bind_text(ins_c, 6, x->issuer) || !bind_text(ins_c, 7, x->serial) ||
		    sqlite3_bind_int(ins_c, 8, x->self_signed) != SQLITE_OK ||
		    sqlite3_bind_int(ins_c, 9, x->is_ca) != SQLITE_OK || !bind_name(ins_c, 10, &x->sub) ||
		    !bind_name(ins_c, 16, &x->iss) || sqlite3_step(ins_c) != SQLITE_DONE)
			return 0;
	}
	return 1;
}

void facts_cache_flush(struct facts_cache *c)
{
	sqlite3_stmt *st[4] = { NULL, NULL, NULL, NULL };
	size_t i, gone = 0;
	int ok;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++)
		gone += !c->v[i].asked;
	if (c->nputs == 0 && gone == 0)
		return;
	ok = exec(c->db, "BEGIN IMMEDIATE") &&
	     sqlite3_prepare_v2(c->db, "DELETE FROM files WHERE name = ?", -1, &st[0], NULL) == SQLITE_OK &&
	     sqlite3_prepare_v2(c->db, "DELETE FROM certs WHERE name = ?", -1, &st[1], NULL) == SQLITE_OK &&
	     sqlite3_prepare_v2(c->db, "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?)", -1, &st[2], NULL) ==
		     SQLITE_OK &&
	     sqlite3_prepare_v2(c->db,
				"INSERT INTO certs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				-1, &st[3], NULL) == SQLITE_OK;
	for (i = 0; ok && i < c->n; i++)
		if (!c->v[i].asked)
			ok = write_one(st[0], st[1], st[2], st[3], c->v[i].f.name, NULL);
	for (i = 0; ok && i < c->nputs; i++)
		ok = write_one(st[0], st[1], st[2], st[3], c->puts[i].f->name, &c->puts[i]);
	for (i = 0; i < 4; i++)
		sqlite3_finalize(st[i]);
	if (!ok || !exec(c->db, "COMMIT"))
		exec(c->db, "ROLLBACK");
	c->nputs = 0;
}

void facts_cache_close(struct facts_cache *c)
{
	if (c == NULL)
		return;
	forget(c);
	free(c->puts);
	sqlite3_close(c->db);
	free(c);
}

enum mmp_rc store_file_ident(const struct store *s, const char *name, struct store_ident *id)
{
	struct stat st;

	if (fstatat(store_dirfd(s), name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
		return MMP_ERR_NOENT;
	id->ino = (unsigned long long)st.st_ino;
	id->size = (unsigned long long)st.st_size;
	id->mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
	id->ctime_ns = (long long)st.st_ctim.tv_sec * 1000000000LL + st.st_ctim.tv_nsec;
	return MMP_OK;
}
