/*
 * fuzz_config.c: libFuzzer harness for the config store's reading of its
 * own rows (issue 5): a damaged mmp.db must give an error, never a crash.
 *
 * Each input builds one mmp.db and then runs every command that reads it.
 * Byte 0: bit 0 picks the schema (mmp's own, or the same tables with no
 * types or constraints, as another tool might write them: NULLs, blobs,
 * numbers anywhere); bits 1-2 the role of the session; bit 3 also runs
 * the login check and `user add` (yescrypt: 40 ms each, so not every
 * input pays for them). Then records, each
 * an op byte and its fields:
 *   op 0: a settings row (key, value)
 *   op 1: a users row (name, role, hash, failed, locked_until)
 *   op 2: an audit row (time, user, source, kind, line, result)
 *   op 3: PRAGMA user_version = a 4-byte number
 *   op 4: after the rows are written, set the byte at a 2-byte offset of
 *         the file (a damaged page)
 * A field is a tag byte, its low 3 bits the type: NULL, a 4-byte integer, a
 * text or blob of a length byte, a real, or a word of a dictionary of the
 * values mmp writes (setting keys, roles, file names, yescrypt hashes).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "cli/cli.h"
#include "fuzz_common.h"
#include "mmp/cmd.h"
#include "mmp/config.h"
#include "mmp/pki.h"
#include "mmp/users.h"
#include "store/settings.h"

static char root[64];
static unsigned char *tmpl[2]; /* mmp's own schema, the loose one */
static size_t tmpl_len[2];
static FILE *sink;

static const char *const words[] = {
	"", "a", "b", "a,b,c,d", "a:443", "true", "false", "1", "0", "-1",
	"admin", "crypto", "audit", "appadmin", "api", "root", "fuzz",
	"a.crt", "k.key", "missing.crt", "../etc/passwd", "a/b", ".hidden",
	"x.pem", "bundle.crt", "k.key,a.crt", "\xff\xfe", "a\nb", "%s%n",
	"$y$j9T$abcdefghijklmnopqrstu.$0123456789abcdefghijklmnopqrstuvwxyzABCD",
	"$y$", "$6$salt$hash", "*", "!",
	"1.2.3.4", "1.2.3.4:5061", "::1", "host-name", "enabled", "disabled",
	"1.2", "1.3", "ocsp", "enable", "disable",
};

/* The commands that read the store, run after each build. */
static const char *const script[] = {
	"pki", "pki list", "callbridge", "webbridge3", "webbridge3 status", "turn", "tls sip",
	"tls ldap", "meetingapps", "database cluster", "database cluster status", "hostname",
	"user list", "user info fuzz", "user info admin", "audit 1000", "callbridge restart",
	"webbridge3 enable", "turn enable", "meetingapps enable", "callbridge listen a",
	"callbridge certs none", "tls sip verify disable", "tls sip trust none", "hostname fuzz",
	"user rule max_failed_logins 3", "database cluster remove",
};

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *b;
	long n;

	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) <= 0)
		abort();
	rewind(fp);
	if ((b = malloc((size_t)n)) == NULL || fread(b, 1, (size_t)n, fp) != (size_t)n)
		abort();
	fclose(fp);
	*len = (size_t)n;
	return b;
}

static void db_path(char *path, size_t size, const char *sfx)
{
	snprintf(path, size, "%s/mmp.db%s", root, sfx);
}

static void setup(void)
{
	static const char loose[] =
		"PRAGMA journal_mode = WAL;"
		"CREATE TABLE settings (key, value);"
		"CREATE TABLE users (name, role, hash, failed, locked_until);"
		"CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, time, user, source, kind,"
		" line, result);"
		"PRAGMA user_version = 2;";
	struct mmp_err err;
	struct cfg *c;
	sqlite3 *db;
	char path[128];

	fuzz_root("cfg", root, sizeof(root));
	if ((c = cfg_open(root, &err)) == NULL)
		abort();
	cfg_close(c);
	db_path(path, sizeof(path), "");
	/* mmp leaves its WAL; a plain last close moves it into the file */
	if (sqlite3_open(path, &db) != SQLITE_OK)
		abort();
	sqlite3_close(db);
	tmpl[0] = slurp(path, &tmpl_len[0]);
	unlink(path);
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, loose, NULL, NULL, NULL) != SQLITE_OK)
		abort();
	sqlite3_close(db);
	tmpl[1] = slurp(path, &tmpl_len[1]);
	snprintf(path, sizeof(path), "%s/files", root);
	if (mkdir(path, 0700) != 0)
		abort();
	snprintf(path, sizeof(path), "%s/files/a.crt", root);
	fclose(fopen(path, "w"));
	snprintf(path, sizeof(path), "%s/files/k.key", root);
	fclose(fopen(path, "w"));
	sink = fopen("/dev/null", "w");
}

struct rd {
	const uint8_t *p;
	size_t n;
};

static int take(struct rd *r, void *out, size_t n)
{
	if (r->n < n)
		return 0;
	memcpy(out, r->p, n);
	r->p += n;
	r->n -= n;
	return 1;
}

/* Bind the next field of the input to parameter i. */
static void bind_field(struct rd *r, sqlite3_stmt *st, int i)
{
	uint8_t tag = 0, len = 0;
	int32_t v = 0;
	unsigned nkeys = 0;
	const struct cfg_setting *keys = cfg_settings();

	take(r, &tag, 1);
	switch (tag & 7) {
	case 0:
		sqlite3_bind_null(st, i);
		break;
	case 1:
		take(r, &v, 4);
		sqlite3_bind_int64(st, i, v);
		break;
	case 2:
	case 3:
		take(r, &len, 1);
		if (len > r->n)
			len = (uint8_t)r->n;
		if ((tag & 7) == 2)
			sqlite3_bind_text(st, i, (const char *)r->p, len, SQLITE_TRANSIENT);
		else
			sqlite3_bind_blob(st, i, r->p, len, SQLITE_TRANSIENT);
		r->p += len;
		r->n -= len;
		break;
	case 4:
		take(r, &v, 4);
		sqlite3_bind_double(st, i, v / 7.0);
		break;
	case 5: /* a setting key */
		while (keys[nkeys].key != NULL)
			nkeys++;
		take(r, &len, 1);
		sqlite3_bind_text(st, i, keys[len % nkeys].key, -1, SQLITE_STATIC);
		break;
	default:
		take(r, &len, 1);
		sqlite3_bind_text(st, i, words[len % (sizeof(words) / sizeof(words[0]))], -1,
				  SQLITE_STATIC);
		break;
	}
}

static void add_row(sqlite3 *db, const char *sql, int fields, struct rd *r)
{
	sqlite3_stmt *st;
	int i;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return;
	for (i = 1; i <= fields; i++)
		bind_field(r, st, i);
	sqlite3_step(st); /* a row the schema refuses is simply not there */
	sqlite3_finalize(st);
}

/* Build mmp.db from the input; returns the pokes to apply to the file. */
static size_t build(struct rd *r, int loose, uint8_t pokes[][3], size_t max)
{
	sqlite3 *db;
	char path[128], sql[64];
	size_t np = 0;
	uint8_t op;
	int32_t v;
	int fd;

	db_path(path, sizeof(path), "-wal");
	unlink(path);
	db_path(path, sizeof(path), "-shm");
	unlink(path);
	db_path(path, sizeof(path), "");
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0 ||
	    write(fd, tmpl[loose], tmpl_len[loose]) != (ssize_t)tmpl_len[loose])
		abort();
	close(fd);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		abort();
	sqlite3_exec(db, "PRAGMA synchronous = OFF; BEGIN", NULL, NULL, NULL);
	while (take(r, &op, 1)) {
		switch (op % 5) {
		case 0:
			add_row(db, "INSERT OR REPLACE INTO settings VALUES (?1, ?2)", 2, r);
			break;
		case 1:
			add_row(db, "INSERT OR REPLACE INTO users VALUES (?1, ?2, ?3, ?4, ?5)", 5, r);
			break;
		case 2:
			add_row(db, "INSERT INTO audit (time, user, source, kind, line, result)"
				    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", 6, r);
			break;
		case 3:
			v = 0;
			take(r, &v, 4);
			snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", (int)v);
			sqlite3_exec(db, sql, NULL, NULL, NULL);
			break;
		default:
			if (np < max && take(r, pokes[np], 3))
				np++;
			break;
		}
	}
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db); /* the last connection: the WAL goes into the file */
	return np;
}

static void poke(uint8_t pokes[][3], size_t np)
{
	char path[128];
	size_t i;
	int fd;

	db_path(path, sizeof(path), "");
	if ((fd = open(path, O_WRONLY)) < 0)
		abort();
	for (i = 0; i < np; i++) {
		off_t at = (off_t)(pokes[i][0] | pokes[i][1] << 8);
		if (pwrite(fd, &pokes[i][2], 1, at) != 1)
			abort();
	}
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned roles[4] = { ROLE_ADMIN, ROLE_CRYPTO, ROLE_AUDIT, ROLE_ADMIN };
	struct rd r = { data, size };
	struct mmp_session ss;
	struct mmp_err err;
	uint8_t head = 0, pokes[16][3];
	size_t np, i;
	int ok;

	if (sink == NULL)
		setup();
	take(&r, &head, 1);
	np = build(&r, head & 1, pokes, 16);
	poke(pokes, np);

	if (cli_session_open(&ss, root, &err) != MMP_OK)
		return 0; /* a clear error: what the harness wants */
	ss.out = sink;
	ss.prompt = fuzz_answer_yes;
	ss.role = roles[(head >> 1) & 3];
	snprintf(ss.user, sizeof(ss.user), "fuzz");
	for (i = 0; i < sizeof(script) / sizeof(script[0]); i++) {
		cmd_run_line(&ss, script[i]);
		ss.quit = 0;
	}
	if (head & 8) { /* the login path and user add read the same rows */
		users_check_password(ss.cfg, "fuzz", "console", "password", time(NULL), &ok, &err);
		cmd_run_line(&ss, "user add fuzz2 audit");
	}
	cli_session_close(&ss);
	return 0;
}
