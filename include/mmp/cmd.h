/*
 * cmd.h: the shell's session and its one command table. Each struct mmp_cmd
 * drives lookup, argument-count checks, help, Tab completion, the role check
 * and docs/commands.md (tmux cmd_entry style). The dispatcher is the only
 * place that checks roles and counts.
 */
#ifndef MMP_CMD_H
#define MMP_CMD_H

#include <stddef.h>
#include <stdio.h>

#include "mmp/err.h"
#include "mmp/report.h"
#include "mmp/store.h"

#define CMD_LINE_MAX 4096 /* bytes in one command line, SPEC §2 */
#define CMD_ARGS_MAX 64   /* words in one command line */

/* Roles (SPEC §8), a bitmask in struct mmp_cmd.roles. */
enum mmp_role {
	ROLE_ADMIN = 1,
	ROLE_CRYPTO = 2,
	ROLE_AUDIT = 4,
	ROLE_APPADMIN = 8,
	ROLE_API = 16,
};
#define ROLES_ALL (ROLE_ADMIN | ROLE_CRYPTO | ROLE_AUDIT)
#define ROLES_PKI (ROLE_ADMIN | ROLE_CRYPTO)

/* What an argument position completes to on Tab. */
enum cmd_complete {
	COMPLETE_NONE = 0,
	COMPLETE_FILE,  /* any file of the store */
	COMPLETE_KEY,   /* files named .key/.pem/.der */
	COMPLETE_CERT,  /* files named .crt/.cer/.pem/.der/.p7b */
	COMPLETE_BASE,  /* basenames of CSRs (pki sign <csr basename>) */
	COMPLETE_CABASE, /* basenames with a .crt and a .key (pki sign <ca basename>) */
	COMPLETE_ATTR,  /* CN: OU: O: L: ST: C: emailAddress: subjectAltName: */
	COMPLETE_FAMILY, /* command family names (help) */
	COMPLETE_IFACE,  /* interface names a b c d */
	COMPLETE_SECRET, /* a secret: no completion, *** in the audit log */
	COMPLETE_WORDS,  /* the fixed words of its usage: <a|b>, a|b|c, (a [n]|b) */
	COMPLETE_VERIFY, /* pki verify after its two files: a CA certificate file,
			  * name:<dns name or IP address>, crl:<file> */
	COMPLETE_CRL     /* files named .crl/.pem/.der (after crl:) */
};

/* struct mmp_cmd.flags: what a command may change (CMD_W_*), and how many
 * questions it asks (CMD_ASKS). A CMD_W_SETTINGS command runs inside one
 * config-store transaction (BEGIN IMMEDIATE) that the dispatcher commits
 * when the command succeeds and rolls back when it fails. */
#define CMD_W_FILES 1
#define CMD_W_SETTINGS 2
#define CMD_W_ANY (CMD_W_FILES | CMD_W_SETTINGS)
/* It asks n questions (passwords, Y) in script mode, each reading the next
 * line. When it fails before asking, script mode still takes the lines it
 * did not read, unrun and unshown: they are its answers either way (SPEC
 * §1 script mode; issue 5: a password must never run or be echoed). */
#define CMD_ASKS(n) ((n) << 4)
#define CMD_ASKS_OF(flags) (((flags) >> 4) & 3)
/* It writes only the caller's own account (passwd): open to every role
 * with a shell, audit included; the handler refuses the rest. */
#define CMD_OWN_ACCOUNT 0x100
#define W_FILES CMD_W_FILES
#define W_SET CMD_W_SETTINGS
#define ROLES_CFG ROLE_ADMIN /* service settings other than certificates */

struct mmp_session;
struct cfg;

/* The JSON form of a command's result (issue 12): each field of the
 * "result" object with its type and a one-line description. The command
 * table points to a list of them per command, ending with a NULL name;
 * `mmp --schema` makes each command's JSON Schema from it and the JSON
 * renderer's tests validate every answer against it. */
enum res_type {
	RES_STR,  /* a string */
	RES_INT,  /* an integer */
	RES_BOOL, /* true or false */
	RES_TIME, /* a string, RFC 3339 UTC: 2026-12-02T13:00:00Z */
	RES_LIST, /* a list: of objects with the fields sub, or of strings when sub is NULL */
	RES_OBJ,  /* an object with the fields sub (NULL: any keys, string values) */
};
#define RES_OPTIONAL 1 /* may be absent even when the command succeeded */
#define RES_NULLABLE 2 /* may be null */
#define RES_INTS 4     /* a RES_LIST without sub: of integers, not strings */
struct res_field {
	const char *name;
	enum res_type type;
	unsigned flags;              /* RES_OPTIONAL, RES_NULLABLE, RES_INTS */
	const struct res_field *sub; /* RES_LIST / RES_OBJ */
	const char *desc;
};

/* One command. path is the whole words ("pki csr"); args are the words
 * after it. */
struct mmp_cmd {
	const char *path;    /* "pki csr" */
	const char *usage;   /* "pki csr <basename> CN:<value> [OU:<value>] ..." */
	const char *summary; /* one line for help and docs */
	int min_args;        /* words after path */
	int max_args;        /* -1 = no limit */
	unsigned roles;      /* enum mmp_role bits allowed to run it */
	int flags;           /* CMD_W_* bits: what it may change; CMD_ASKS(n) */
	enum cmd_complete complete[3]; /* args 1..3; the third repeats */
	int (*exec)(struct mmp_session *ss, int argc, char **argv);
	const struct res_field *result; /* its JSON result's fields; NULL: none */
};

#define CMD_MAX 256 /* commands in all */

/* A family: its name (the first word), the title help prints, and its
 * commands (ending with a NULL path), in the order help lists them. */
struct cmd_family {
	const char *name;
	const char *title;
	const struct mmp_cmd *cmds;
};

/* The families, ending with a NULL name. */
extern const struct cmd_family cmd_families[];

/* The one command table: every family's commands in order, ending with an
 * entry whose path is NULL. Built once; the pointer stays valid. */
const struct mmp_cmd *cmd_all(void);

/* Reads a secret (no echo on a terminal) or a line for a prompt. Returns
 * MMP_OK with a NUL-terminated value, or MMP_ERR_CANCEL at end of input. */
typedef enum mmp_rc (*cmd_prompt_fn)(struct mmp_session *ss, const char *prompt,
				     int secret, char *buf, size_t size);

struct mmp_session {
	struct store *store;
	struct cfg *cfg;      /* the config store (settings) */
	FILE *out;            /* where command output goes */
	int interactive;      /* stdin is a terminal: ask before overwriting */
	unsigned role;        /* enum mmp_role of the logged-in user */
	char hostname[256];   /* prompt name: a label or an FQDN (253) */
	cmd_prompt_fn prompt; /* NULL = no prompts possible (fail instead) */
	void *prompt_ctx;     /* for the prompt function */
	int quit;             /* set by exit/quit */
	char user[33];        /* logged-in user; "" on the local console */
	char source[64];      /* "console" or the SSH peer address */
	int guard_tx;         /* the in-use guard opened a settings transaction */
	const struct mmp_cmd *ran; /* the command the last line named, NULL if none */
	int answers;          /* lines the prompts of script mode read for it */
	int asks;             /* -1, or the questions the command said it asks
			       * here, when that is fewer than the table's
			       * CMD_ASKS (passwd <user> by an admin: 2 of 3) */
	cmd_prompt_fn tx_prompt; /* the session's own prompt while the dispatcher
				  * wraps it in a settings change (dispatch.c) */
	int hide_unknown;     /* script mode, after a line that named no command (a
			       * mistyped "pki unlock"?): the next line may be its
			       * password, so an unknown command is not echoed */
	/* The result of the running command (issue 12, src/cli/result.c):
	 * its checks and data. Text is rendered as it comes (a question
	 * must follow what came before it); JSON when the command ends. */
	int json_all;         /* mmp --json: every command answers in JSON Lines */
	int json;             /* the running line answers in JSON ("| json") */
	int dry_run;          /* check <command line>: roll back, apply nothing */
	unsigned long line_no; /* script mode: the line running, else 0 */
	struct report res;    /* the running command's checks and data */
	FILE *out_text;       /* where text goes while ss->out catches stray
			       * output in JSON mode; NULL otherwise */
	char *stray;          /* that catch's buffer */
	size_t nstray;
};

/* Look up the longest command path matching the first words of argv,
 * each word exact or a unique prefix (cmd_resolve). Returns the entry and
 * sets *used to the number of words it took, or NULL. */
const struct mmp_cmd *cmd_lookup(int argc, char **argv, int *used);

/* How many first words of argv name words of command paths: each the
 * exact word of a path that goes on from the words before it, or the
 * prefix of only one such word ("pki ins" = "pki inspect"), unless the
 * words before it are a command that takes arguments (then only an exact
 * word: "webbridge3 options n" is an option). word[i] (not NUL-terminated,
 * pointing into the table) and len[i] get the table's word, for up to
 * CMD_ARGS_MAX words. *ambig: the index of the word that stopped it as
 * the prefix of several words ("pki s"), else -1. */
int cmd_resolve(int argc, char **argv, const char **word, size_t *len, int *ambig);

/* What argument i (0-based, after the path) of c completes to and is
 * checked as: complete[i], the third repeating. */
enum cmd_complete cmd_arg_kind(const struct mmp_cmd *c, int i);

/* The fixed words argument i of c takes, from its usage ("user add <name>
 * <admin|crypto|...>": admin, crypto, ...; "(enable [port]|disable)":
 * enable, disable): up to max words of at most CMD_WORD_MAX - 1 bytes
 * into words. Returns how many; 0 when that position has no a|b. */
#define CMD_WORD_MAX 32
int cmd_arg_words(const struct mmp_cmd *c, int i, char words[][CMD_WORD_MAX], int max);

/* Does c take a secret argument (COMPLETE_SECRET at any position)? */
int cmd_has_secret(const struct mmp_cmd *c);

/* Does line name a command that takes a secret argument (the 3-word
 * "turn credentials")? Decided from the table: the line is split by the
 * lexer and looked up as the dispatcher does. A line the lexer refuses
 * counts as one (it cannot be told). The REPL keeps such lines out of its
 * history (issue 10 item 8). */
int cmd_line_has_secret(const char *line);

/* Is word the first word of any command path? (a family name) */
int cmd_is_family(const char *word);

/* Split, look up, check and run one line. Prints output and SUCCESS/
 * WARNING/FAILURE lines to ss->out. Returns 0 when the command succeeded or
 * the line was blank/comment, 1 when it failed. */
int cmd_run_line(struct mmp_session *ss, const char *line);

/* Hand a report to the renderer: text prints its lines with their
 * prefixes at once; JSON keeps its checks and data for the command's
 * object. */
void cmd_print_report(struct mmp_session *ss, const struct report *r);

/* Hand an error to the renderer: "FAILURE: msg[: cause]" in text, a check
 * with mmp_err_code() in JSON. */
void cmd_print_err(struct mmp_session *ss, const struct mmp_err *e);

/* Text for the text renderer only (a listing, a header): printf-style,
 * written as given, newlines included; JSON carries the same facts in
 * res_data(). */
void res_printf(struct mmp_session *ss, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A word the user typed, echoed in text (text_cut: escaped, cut). */
void res_word(struct mmp_session *ss, const char *word);
/* A check of the shell or a handler: one line "<KIND>: message[: remedy]"
 * in text, a check object in JSON. file may be NULL, cert 0, remedy NULL. */
void res_check(struct mmp_session *ss, enum report_kind kind, const char *code, const char *file,
	       int cert, const char *remedy, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* The running command's result object, to fill with typed fields
 * (report_str, report_time, json_integer, json_true...). */
json_t *res_data(struct mmp_session *ss);
/* Is the running command answering in JSON? Handlers never need to ask
 * (they fill both); for what only text shows (a question's preamble). */
int res_is_json(const struct mmp_session *ss);
/* A line of the session itself, not of a command (script mode: a line too
 * long, answer lines not run): text as a check line, JSON as an object
 * of its own with a null command. */
void res_session_check(struct mmp_session *ss, enum report_kind kind, const char *code,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Write every command's JSON Schema (issue 12; docs/schema.json). */
void cmd_write_schema(FILE *fp);

/* Print the usage lines of a family ("pki") or the list of families
 * (NULL). */
void cmd_print_help(struct mmp_session *ss, const char *family);

/* help <words>: the families (argc 0), a family's title and commands, or
 * the commands whose path starts with the words ("pki csr", "webbridge3
 * https"; prefixes as in cmd_resolve), each usage indented with its
 * summary and roles under it. -1 (nothing printed) when the words name
 * no command. */
int cmd_print_help_words(struct mmp_session *ss, int argc, char **argv);

/* Write the command reference (Markdown) generated from the table. */
void cmd_write_reference(FILE *fp);

#endif
