/*
 * err.h: return codes and the per-call error record shared by every module.
 * Engines never print: they return an enum mmp_rc and fill a struct mmp_err;
 * only the shell turns it into a "FAILURE: ..." line.
 */
#ifndef MMP_ERR_H
#define MMP_ERR_H

#include <stddef.h>

enum mmp_rc {
	MMP_OK = 0,
	MMP_ERR_USAGE = -1,    /* wrong words or arguments */
	MMP_ERR_NAME = -2,     /* a name breaks the file store's rules (SPEC §4) */
	MMP_ERR_NOENT = -3,    /* a named file does not exist */
	MMP_ERR_EXIST = -4,    /* would overwrite something that must not be */
	MMP_ERR_FORMAT = -5,   /* the contents are not what the command needs */
	MMP_ERR_LOCKED = -6,   /* private key or PKCS#12 needs a password */
	MMP_ERR_MISMATCH = -7, /* key and certificate do not belong together */
	MMP_ERR_VERIFY = -8,   /* a chain or a signature does not verify */
	MMP_ERR_RULE = -9,     /* a usage rule of the guide is broken */
	MMP_ERR_IO = -10,      /* the operating system refused */
	MMP_ERR_NOMEM = -11,
	MMP_ERR_PASSWORD = -12, /* wrong password */
	MMP_ERR_CANCEL = -13,   /* the user said no, or input ended at a prompt */
	MMP_ERR_INTERNAL = -14,
	MMP_ERR_IN_USE = -15,   /* a service's configuration uses the file */
	MMP_ERR_DENIED = -16,   /* the access table refuses this role (mmp/access.h) */
};

/* One error: msg says what is wrong and what to do; cause, if set, is the
 * library's or the system's reason, printed after a colon. */
struct mmp_err {
	enum mmp_rc rc;
	char msg[1024];
	char cause[512];
	const char *code; /* static "<area>.<what>" for JSON (issue 12); NULL:
			   * mmp_err_code() gives one from rc */
	char file[256];   /* the file it is about, "" when none */
	int cert;         /* 1-based certificate position in file, 0: none */
	size_t remedy_at; /* 0: none; else msg + remedy_at is the remedy */
};

/* Clear an error record (rc = MMP_OK, empty strings). */
void mmp_err_clear(struct mmp_err *e);

/* Set rc and a printf-style message; returns rc so callers can
 * `return mmp_err_set(e, MMP_ERR_NAME, "...")`. The cause is cleared. */
enum mmp_rc mmp_err_set(struct mmp_err *e, enum mmp_rc rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Say what the error is about, for JSON: a stable code (static string),
 * the file and the certificate position (0: none). Call after
 * mmp_err_set(), which clears them. */
void mmp_err_about(struct mmp_err *e, const char *code, const char *file, int cert);

/* In the format of mmp_err_setr(): where the remedy starts, after the
 * ": " that ends the message (an ASCII unit separator, which text from
 * outside never holds raw: it is escaped before it is formatted). */
#define MMP_REMEDY "\x1f"

/* mmp_err_set() of a message whose format marks its remedy with
 * MMP_REMEDY: "%s: no such file: " MMP_REMEDY "upload it". The marker is
 * taken out; the text is the same, and JSON shows the remedy apart. */
enum mmp_rc mmp_err_setr(struct mmp_err *e, enum mmp_rc rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Append ": <remedy>" to msg and mark it as the remedy. */
void mmp_err_remedy(struct mmp_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The error's code: e->code, else one made from rc ("file.not_found"). */
const char *mmp_err_code(const struct mmp_err *e);

/* Set the cause from strerror(errnum). */
void mmp_err_cause_errno(struct mmp_err *e, int errnum);

/* Set the cause from a plain string (copied, truncated to fit). */
void mmp_err_cause_str(struct mmp_err *e, const char *cause);

/* Short name of a code, e.g. "name" for MMP_ERR_NAME. Never NULL. */
const char *mmp_rc_str(enum mmp_rc rc);

#endif
