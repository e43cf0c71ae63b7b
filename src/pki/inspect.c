/*
 * inspect.c: pki inspect (guide §4.3, Appendix C; SPEC §5). STUB.
 */
#include "internal.h"

void pki_name_oneline(const X509_NAME *n, char *buf, size_t size)
{
	X509_NAME_oneline(n, buf, (int)size);
}

enum mmp_rc pki_inspect(const struct store *s, const char *name, struct report *r,
			struct mmp_err *err)
{
	(void)s; (void)name; (void)r;
	return mmp_err_set(err, MMP_ERR_INTERNAL, "not yet");
}
