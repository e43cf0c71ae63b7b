/*
 * store.h: the file store, the flat folder <root>/files/ that holds keys,
 * certificates, CSRs and bundles (SPEC §4). It owns the name rules, atomic
 * writes and file modes; nothing else in mmp opens files in the store.
 */
#ifndef MMP_STORE_H
#define MMP_STORE_H

#include <stddef.h>
#include <sys/types.h>

#include "mmp/err.h"

#define STORE_NAME_MAX 64                   /* bytes, SPEC §4 */
#define STORE_FILE_MAX (32u * 1024u * 1024u) /* largest file read, bytes */

struct store;

/* What a file name is meant to hold; decides the allowed extensions
 * (guide Appendix B, SPEC §4). STORE_ANY accepts every known extension. */
enum store_kind {
	STORE_ANY = 0,
	STORE_CERT, /* .pem .der .cer .crt (and .p7b for PKCS#7 chains) */
	STORE_KEY,  /* .key .pem .der */
	STORE_CSR,  /* .csr */
	STORE_PUB,  /* .pub: SSH public key or uploaded PKCS#12 */
};

/* What a file's contents are, for the access table (mmp/access.h): returns
 * ACCESS_PLAIN or ACCESS_SECRET for the len bytes at buf. When the bytes
 * may not be kept under name at all (a .pub whose line has options), it
 * also writes the reason into why (else leaves it ""). Supplied by the PKI
 * engine (pki_access_classify); the store never parses a file itself. */
typedef unsigned (*store_classify_fn)(const unsigned char *buf, size_t len, const char *name,
				      char *why, size_t why_size);

/* Who works on the store: an enum mmp_role bit (or ACCESS_SYSTEM) whose
 * rights the access table gives, and how to tell a file's contents. A new
 * store has no role and may do nothing; without a classifier every file
 * counts as a secret. Every read, write, rename and remove below is
 * decided by the table for this actor (MMP_ERR_DENIED, err says why). */
void store_set_actor(struct store *s, unsigned role, store_classify_fn classify);

/* Open (creating with mode 0700 when missing) the node root and its files/
 * folder. root must be an absolute or relative path; returns NULL and fills
 * err on failure. The caller frees with store_free(). */
struct store *store_open(const char *root, struct mmp_err *err);
void store_free(struct store *s);

/* The node root and the files/ folder, owned by the store. */
const char *store_root(const struct store *s);
const char *store_files_dir(const struct store *s);

/* Check a basename (what pki csr/selfsigned/sign create): letters, digits
 * and '-' only, 1..(STORE_NAME_MAX - 4) bytes (guide §3.1, §4.2, A.1),
 * not starting with '-' (issue 10: it would read as a program's option).
 * On failure fills err with a message that proposes a valid name. */
enum mmp_rc store_check_basename(const char *base, struct mmp_err *err);

/* Check a file name: a basename, one '.', and an extension allowed for kind
 * (Appendix B); no leading '-'. On failure err proposes a valid name. */
enum mmp_rc store_check_name(const char *name, enum store_kind kind,
			     struct mmp_err *err);

/* Write a valid name derived from a bad one into out (size >= 1):
 * '_', '.', blanks and other bad bytes become '-', the last '.' before a
 * known extension is kept. Used for the "use ... instead" hint. */
void store_propose_name(const char *bad, int keep_ext, char *out, size_t size);

/* The guard that says whether a file is in use by a service (SPEC §4: "a
 * file that a service's configuration uses is never replaced or deleted").
 * It returns 1 and fills why (e.g. "in use by callbridge: run callbridge
 * certs none first") when name is in use, 0 when not, -1 when it cannot
 * tell (the write is then refused too). store_write() over an existing
 * file and store_remove() call it; SFTP goes through the same calls. */
typedef int (*store_guard_fn)(void *ctx, const char *name, char *why, size_t why_size);
void store_set_guard(struct store *s, store_guard_fn guard, void *ctx);

/* Called when a guarded change (replace, remove, rename) is done, or was
 * refused: the guard may hold a lock from its check to the change, so that
 * no service starts using the file in between. store_write(),
 * store_remove() and the upload/rename calls end with it. */
typedef void (*store_guard_release_fn)(void *ctx);
void store_set_guard_release(struct store *s, store_guard_release_fn release);
void store_guard_release(const struct store *s);

/* A name as it may be printed: bytes that are not printable ASCII
 * (control characters, any UTF-8) written as \xNN; at most size - 1 bytes
 * (size 4 * length + 1 holds any name whole). Returns buf. */
const char *store_name_shown(const char *name, char *buf, size_t size);

/* Ask the guard about name: MMP_OK when it may be replaced or removed,
 * MMP_ERR_IN_USE (err says by whom and what frees it) when not. */
enum mmp_rc store_check_free(const struct store *s, const char *name, struct mmp_err *err);

/* Does name exist as a regular file in the store? Name must be checked. */
int store_exists(const struct store *s, const char *name);

/* Read a whole file (at most STORE_FILE_MAX bytes) into a new buffer that
 * the caller frees with store_buf_free() (which wipes it: it may be a key).
 * The buffer gets a terminating NUL not counted in *len. A command's read:
 * ACCESS_USE. A file with more than one hard link is refused (its bytes may
 * be a file outside the store). */
enum mmp_rc store_read(const struct store *s, const char *name,
		       unsigned char **buf, size_t *len, struct mmp_err *err);
void store_buf_free(unsigned char *buf, size_t len);

/* What identifies a version of a file without reading it: a file rewritten
 * in place with the same size and modification time still gets a new
 * ctime (stat(2)). */
struct store_ident {
	unsigned long long ino, size;
	long long mtime_ns, ctime_ns;
};

/* Content kinds not told: the actor's decision did not need them. */
#define STORE_KINDS_UNTOLD 0u

/* store_read(), also giving the identity of the version read (*id, from
 * the descriptor read) and the content kinds the access decision used
 * (*kinds: ACCESS_PLAIN, ACCESS_SECRET [| ACCESS_UNTOLD], or
 * STORE_KINDS_UNTOLD when the actor may use any contents). For a cache
 * of parsed files (src/pki/cache.c). */
enum mmp_rc store_read_ident(const struct store *s, const char *name, unsigned char **buf,
			     size_t *len, struct store_ident *id, unsigned *kinds,
			     struct mmp_err *err);

/* May the actor use name again, still the version id whose contents are
 * of kinds (as store_read_ident gave them), without reading it? Every
 * check and refusal of store_read() but the reading: 1 yes; 0 it changed:
 * read it again; 2 it is the same, but this actor's decision needs the
 * contents' kinds, not told then: read it again; -1 refused or not
 * readable, err says why as store_read() would (err->rc). */
int store_use_unchanged(const struct store *s, const char *name, const struct store_ident *id,
			unsigned kinds, struct mmp_err *err);

/* Told of every write, replacement, rename (both names) and removal made
 * through a store of this process: files_dir is the store's
 * store_files_dir(), name the file. One hook per process (NULL: none);
 * the PKI engine's cache of parsed files sets it. */
typedef void (*store_changed_fn)(const char *files_dir, const char *name);
void store_set_changed_hook(store_changed_fn fn);

/* Open name to send its bytes out of mmp (an SFTP download: ACCESS_READ):
 * *fd is a read-only descriptor of the regular file (the caller closes it),
 * *size its size in bytes. The same refusals as store_read(). */
enum mmp_rc store_open_read(const struct store *s, const char *name, int *fd,
			    unsigned long long *size, struct mmp_err *err);

/* Flags for store_write(). */
#define STORE_W_PRIVATE 0x1   /* mode 0600 (keys and other secrets: every writer
			       * of one passes it), else 0644: the rule uploads
			       * follow from their contents (issue 11) */
#define STORE_W_NOREPLACE 0x2 /* fail with MMP_ERR_EXIST if name exists */

/* Atomically write len bytes as name: temporary file in the store, write,
 * fsync, rename (or link, for NOREPLACE), fsync of the folder. Either the
 * old file or the complete new one is there afterwards, never a part.
 * The mode is set with fchmod, so the umask does not matter. */
enum mmp_rc store_write(const struct store *s, const char *name,
			const void *data, size_t len, int flags,
			struct mmp_err *err);

/* Remove name from the store (used to roll back a half-made pair). */
enum mmp_rc store_remove(const struct store *s, const char *name,
			 struct mmp_err *err);

/* List the regular files of the store (names starting with '.' are the
 * store's own temporary files and are skipped), sorted with strcmp.
 * *names is a NULL-terminated array owned by the caller; free it with
 * store_list_free(). */
enum mmp_rc store_list(const struct store *s, char ***names, size_t *count,
		       struct mmp_err *err);
void store_list_free(char **names);

/* ---- Streaming uploads, renames and file attributes (SFTP, issue 4) ---- */

#define STORE_UPLOAD_MAX (10u * 1024u * 1024u) /* bytes of one upload, issue 4 */

/* An upload in progress: a temporary file ".tmp-<pid>-u<n>-<name>" in the
 * store (mode 0600 until its commit gives it 0600 when the contents are a
 * secret for the access table, else 0644; issue 11: the rule of the files
 * mmp writes) that only store_upload_commit() gives its final name, so
 * an upload that breaks off never leaves a partial file under that name (a
 * killed writer's temporary file is removed by the next store_open()). */
struct store_upload;

/* Start an upload of name: the name is checked with store_check_name()
 * (STORE_ANY; err says why and proposes a valid name: MMP_ERR_NAME), and
 * a file of that name in use by a service is refused (MMP_ERR_IN_USE).
 * On success *up is a new upload that the caller ends with exactly one of
 * store_upload_commit() or store_upload_abort(). The store must outlive it. */
enum mmp_rc store_upload_begin(const struct store *s, const char *name,
			       struct store_upload **up, struct mmp_err *err);

/* Write len bytes at offset (uploads may arrive out of order). Past
 * STORE_UPLOAD_MAX bytes it fails with MMP_ERR_FORMAT and the upload is
 * marked failed: its commit fails too. */
enum mmp_rc store_upload_write(struct store_upload *up, unsigned long long offset,
			       const void *data, size_t len, struct mmp_err *err);

/* Give the upload its final name: fsync, the in-use guard again
 * (store_check_free), rename over any older file of that name, fsync of the
 * folder. Frees up whatever the result; on failure the temporary file is
 * removed and nothing under the final name changed. */
enum mmp_rc store_upload_commit(struct store_upload *up, struct mmp_err *err);

/* Drop an upload: remove its temporary file, free it. NULL is a no-op. */
void store_upload_abort(struct store_upload *up);

/* The final name an upload will get (owned by up). */
const char *store_upload_name(const struct store_upload *up);

/* Rename a file of the store (both names are checked with store_check_name).
 * A file in use by a service is neither moved nor replaced (MMP_ERR_IN_USE).
 * Without replace, an existing to fails with MMP_ERR_EXIST (SFTP v3
 * rename); with replace it is replaced atomically (posix-rename). */
enum mmp_rc store_rename(const struct store *s, const char *from, const char *to, int replace,
			 struct mmp_err *err);

/* What SFTP shows of a file: size in bytes, permission bits, times. */
struct store_stat {
	unsigned long long size;
	unsigned mode;   /* S_IFREG or S_IFDIR plus the permission bits */
	long long atime; /* seconds since the epoch */
	long long mtime;
	unsigned uid, gid;
};

/* Attributes of name (a regular file of the store; MMP_ERR_NOENT when there
 * is none), or of the store's folder itself when name is NULL. */
enum mmp_rc store_stat(const struct store *s, const char *name, struct store_stat *st,
		       struct mmp_err *err);

#endif
