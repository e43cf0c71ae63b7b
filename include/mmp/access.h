/*
 * access.h: the one access decision for every file operation of every
 * interface (issue 10 item 1; OpenSSH sftp-server.c request_permitted()):
 * a table of role x operation x kind of file. The store consults it for
 * every read, create, replace, rename and remove, whether the shell's
 * commands or an SFTP request asked. The kind comes from the file's
 * contents (a private key is a secret under any name), plus its name where
 * the name itself gives the file its power (<user>.pub is a login key).
 */
#ifndef MMP_ACCESS_H
#define MMP_ACCESS_H

#include <stddef.h>
#include <stdio.h>

/* What is done to a file. */
enum access_op {
	ACCESS_READ = 0,    /* its bytes leave mmp (an SFTP download) */
	ACCESS_USE,         /* a command reads it (pki inspect, certs, verify ...) */
	ACCESS_CREATE,      /* a new file of that name (upload, pki csr ...) */
	ACCESS_REPLACE,     /* an existing file is replaced (upload, pki unlock) */
	ACCESS_RENAME_FROM, /* the file is renamed away from its name */
	ACCESS_RENAME_TO,   /* a file is renamed to the name */
	ACCESS_REMOVE,      /* the file is removed */
	ACCESS_OPS
};

/* Kinds of file, as bits: every file is PLAIN or SECRET by its contents,
 * and LOGIN as well when its name is <user>.pub. */
#define ACCESS_PLAIN 1u  /* certificates, bundles, CSRs, public keys, empty */
#define ACCESS_SECRET 2u /* a private key (locked or not), a PKCS#12, an
			  * OpenSSH private key, or contents mmp cannot tell */
#define ACCESS_LOGIN 4u  /* <user>.pub: mmp-sshd logs <user> in with its key */
#define ACCESS_KINDS 3
/* With ACCESS_SECRET from a classifier: the contents could not be told
 * (unknown, damaged), so they count as a secret for the table, but are
 * not known to be a key (an upload may replace them). */
#define ACCESS_UNTOLD 8u

/* The role of mmp itself (mmp-sshd reading <user>.pub to check a login):
 * may do everything. Never a user's role. */
#define ACCESS_SYSTEM 0x100u

/* The kinds role may do op to, as ACCESS_* bits (0 for an unknown role). */
unsigned access_allowed(unsigned role, enum access_op op);

/* May role do op to a file of these kinds? 1 yes; 0 no, and why gets a
 * sentence that names the file and what the user can do instead. */
int access_decide(unsigned role, enum access_op op, unsigned kinds, const char *name,
		  char *why, size_t size);

/* The kinds a name alone gives: ACCESS_LOGIN for <user>.pub, else 0. */
unsigned access_name_kinds(const char *name);

/* "read", "create", ... and "plain", "secret", "login". */
const char *access_op_name(enum access_op op);
const char *access_kind_name(unsigned kind_bit);

/* The table as Markdown (docs/SECURITY.md), from the same data. */
void access_write_table(FILE *fp);

#endif
