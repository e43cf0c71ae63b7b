/*
 * unlock.c: pki unlock and pki pkcs12-to-ssh (guide Appendix C). STUB.
 */
#include "internal.h"

enum mmp_rc pki_unlock(const struct store *s, const char *key_name, const char *password,
		       struct mmp_err *err)
{
	(void)s; (void)key_name; (void)password;
	return mmp_err_set(err, MMP_ERR_INTERNAL, "not yet");
}

enum mmp_rc pki_pkcs12_to_ssh(const struct store *s, const char *user, const char *password,
			      struct mmp_err *err)
{
	(void)s; (void)user; (void)password;
	return mmp_err_set(err, MMP_ERR_INTERNAL, "not yet");
}
