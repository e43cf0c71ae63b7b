/*
 * err.c: the error record shared by every module (include/mmp/err.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mmp/err.h"

void mmp_err_clear(struct mmp_err *e)
{
	if (e == NULL)
		return;
	e->rc = MMP_OK;
	e->msg[0] = '\0';
	e->cause[0] = '\0';
	e->code = NULL;
	e->file[0] = '\0';
	e->cert = 0;
	e->remedy_at = 0;
}

enum mmp_rc mmp_err_set(struct mmp_err *e, enum mmp_rc rc, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return rc;
	e->rc = rc;
	e->cause[0] = '\0';
	e->code = NULL;
	e->file[0] = '\0';
	e->cert = 0;
	e->remedy_at = 0;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return rc;
}

void mmp_err_cause_errno(struct mmp_err *e, int errnum)
{
	if (e != NULL)
		snprintf(e->cause, sizeof(e->cause), "%s", strerror(errnum));
}

void mmp_err_cause_str(struct mmp_err *e, const char *cause)
{
	if (e != NULL)
		snprintf(e->cause, sizeof(e->cause), "%s", cause ? cause : "");
}

const char *mmp_rc_str(enum mmp_rc rc)
{
	switch (rc) {
	case MMP_OK: return "ok";
	case MMP_ERR_USAGE: return "usage";
	case MMP_ERR_NAME: return "name";
	case MMP_ERR_NOENT: return "no such file";
	case MMP_ERR_EXIST: return "exists";
	case MMP_ERR_FORMAT: return "format";
	case MMP_ERR_LOCKED: return "locked";
	case MMP_ERR_MISMATCH: return "mismatch";
	case MMP_ERR_VERIFY: return "verify";
	case MMP_ERR_RULE: return "rule";
	case MMP_ERR_IO: return "i/o";
	case MMP_ERR_NOMEM: return "out of memory";
	case MMP_ERR_PASSWORD: return "password";
	case MMP_ERR_CANCEL: return "cancelled";
	case MMP_ERR_INTERNAL: return "internal";
	case MMP_ERR_IN_USE: return "in use";
	case MMP_ERR_DENIED: return "denied";
	}
	return "unknown";
}

void mmp_err_about(struct mmp_err *e, const char *code, const char *file, int cert)
{
	if (e == NULL)
		return;
	e->code = code;
	snprintf(e->file, sizeof(e->file), "%s", file != NULL ? file : "");
	e->cert = cert;
}

void mmp_err_remedy(struct mmp_err *e, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	if (e == NULL)
		return;
	n = strlen(e->msg);
	if (n + 3 >= sizeof(e->msg))
		return;
	memcpy(e->msg + n, ": ", 3);
	e->remedy_at = n + 2;
	va_start(ap, fmt);
	vsnprintf(e->msg + n + 2, sizeof(e->msg) - n - 2, fmt, ap);
	va_end(ap);
}

const char *mmp_err_code(const struct mmp_err *e)
{
	if (e->code != NULL)
		return e->code;
	switch (e->rc) {
	case MMP_OK: return "ok";
	case MMP_ERR_USAGE: return "shell.usage";
	case MMP_ERR_NAME: return "file.name";
	case MMP_ERR_NOENT: return "file.not_found";
	case MMP_ERR_EXIST: return "file.exists";
	case MMP_ERR_FORMAT: return "file.format";
	case MMP_ERR_LOCKED: return "key.locked";
	case MMP_ERR_MISMATCH: return "key.mismatch";
	case MMP_ERR_VERIFY: return "chain.verify";
	case MMP_ERR_RULE: return "cert.rule";
	case MMP_ERR_IO: return "system.io";
	case MMP_ERR_NOMEM: return "system.memory";
	case MMP_ERR_PASSWORD: return "key.password";
	case MMP_ERR_CANCEL: return "shell.cancelled";
	case MMP_ERR_INTERNAL: return "system.internal";
	case MMP_ERR_IN_USE: return "file.in_use";
	case MMP_ERR_DENIED: return "access.denied";
	}
	return "system.internal";
}

enum mmp_rc mmp_err_setr(struct mmp_err *e, enum mmp_rc rc, const char *fmt, ...)
{
	va_list ap;
	char *mark;

	if (e == NULL)
		return rc;
	mmp_err_set(e, rc, "%s", "");
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	if ((mark = strchr(e->msg, MMP_REMEDY[0])) != NULL) {
		memmove(mark, mark + 1, strlen(mark + 1) + 1);
		e->remedy_at = (size_t)(mark - e->msg);
	}
	return rc;
}
