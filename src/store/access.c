/*
 * access.c: the access table (issue 10 item 1): role x operation x kind of
 * file, and the sentence a refusal says. The store is its only caller for
 * file operations; docs/SECURITY.md prints it.
 */
#include <string.h>

#include "mmp/access.h"
#include "mmp/cmd.h"

#define P ACCESS_PLAIN
#define S ACCESS_SECRET
#define L ACCESS_LOGIN

static const struct {
	unsigned role;
	const char *name;
	unsigned allowed[ACCESS_OPS]; /* read use create replace from to remove */
} table[] = {
	{ ROLE_ADMIN, "admin", { P | S | L, P | S | L, P | S | L, P | S | L, P | S | L, P | S | L, P | S | L } },
	/* certificates and keys, never login keys: a crypto user must not
	 * become another user (issue 10 finding 1) */
	{ ROLE_CRYPTO, "crypto", { P | S | L, P | S | L, P | S, P | S, P | S, P | S, P | S } },
	/* displays and downloads of what is not secret (finding 2) */
	{ ROLE_AUDIT, "audit", { P | L, P | S | L, 0, 0, 0, 0, 0 } },
	{ ROLE_APPADMIN, "appadmin", { 0, 0, 0, 0, 0, 0, 0 } },
	{ ROLE_API, "api", { 0, 0, 0, 0, 0, 0, 0 } },
	{ ACCESS_SYSTEM, "mmp itself", { P | S | L, P | S | L, P | S | L, P | S | L, P | S | L, P | S | L, P | S | L } },
};

#define NROLES (sizeof(table) / sizeof(table[0]))

static const char *const op_names[ACCESS_OPS] = {
	"read", "use", "create", "replace", "rename from", "rename to", "remove",
};

const char *access_op_name(enum access_op op)
{
	return (unsigned)op < ACCESS_OPS ? op_names[op] : "?";
}

const char *access_kind_name(unsigned kind_bit)
{
	switch (kind_bit) {
	case ACCESS_PLAIN: return "plain";
	case ACCESS_SECRET: return "secret";
	case ACCESS_LOGIN: return "login";
	}
	return "?";
}

unsigned access_allowed(unsigned role, enum access_op op)
{
	size_t i;

	if ((unsigned)op >= ACCESS_OPS)
		return 0;
	for (i = 0; i < NROLES; i++)
		if (table[i].role == role)
			return table[i].allowed[op];
	return 0;
}

unsigned access_name_kinds(const char *name)
{
	size_t n = name != NULL ? strlen(name) : 0;

	return n > 4 && strcmp(name + n - 4, ".pub") == 0 ? ACCESS_LOGIN : 0;
}

static const char *role_word(unsigned role)
{
	size_t i;

	for (i = 0; i < NROLES; i++)
		if (table[i].role == role)
			return table[i].name;
	return "unknown";
}

int access_decide(unsigned role, enum access_op op, unsigned kinds, const char *name,
		  char *why, size_t size)
{
	unsigned ok = access_allowed(role, op), missing = kinds & ~ok;
	int any_write = access_allowed(role, ACCESS_CREATE) != 0;

	if (why != NULL && size > 0)
		why[0] = '\0';
	if (missing == 0 && ok != 0)
		return 1;
	if (why == NULL || size == 0)
		return 0;
	if (access_allowed(role, ACCESS_READ) == 0 && access_allowed(role, ACCESS_USE) == 0)
		snprintf(why, size, "the %s role has no access to the file store: log in as an admin, crypto or audit user",
			 role_word(role));
	else if (op != ACCESS_READ && op != ACCESS_USE && !any_write)
		snprintf(why, size, "the %s role may list and download files only", role_word(role));
	else if (missing & ACCESS_LOGIN)
		snprintf(why, size,
			 "%s is a login key (mmp-sshd logs <user> in with <user>.pub): only an admin may create, replace, rename or remove login keys",
			 name);
	else if (missing & ACCESS_SECRET)
		snprintf(why, size,
			 "%s holds a private key, a PKCS#12 or contents mmp cannot tell apart from one: the %s role may not %s it; ask an admin or crypto user",
			 name, role_word(role), access_op_name(op));
	else
		snprintf(why, size, "the %s role may not %s %s", role_word(role), access_op_name(op), name);
	return 0;
}

void access_write_table(FILE *fp)
{
	size_t i;
	int op;
	unsigned k;

	fprintf(fp, "| role |");
	for (op = 0; op < ACCESS_OPS; op++)
		fprintf(fp, " %s |", op_names[op]);
	fprintf(fp, "\n|---|");
	for (op = 0; op < ACCESS_OPS; op++)
		fprintf(fp, "---|");
	fprintf(fp, "\n");
	for (i = 0; i < NROLES; i++) {
		fprintf(fp, "| %s |", table[i].name);
		for (op = 0; op < ACCESS_OPS; op++) {
			const char *sep = " ";
			if (table[i].allowed[op] == 0)
				fprintf(fp, " —");
			for (k = 1; k <= ACCESS_LOGIN; k <<= 1)
				if (table[i].allowed[op] & k) {
					fprintf(fp, "%s%s", sep, access_kind_name(k));
					sep = ", ";
				}
			fprintf(fp, " |");
		}
		fprintf(fp, "\n");
	}
}
