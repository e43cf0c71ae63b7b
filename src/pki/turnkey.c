/*
 * turnkey.c: the TURN long-term credential key of RFC 8489 §9.2.2, the only
 * form in which mmp keeps a TURN password: MD5 over "user:realm:password",
 * computed with OpenSSL's EVP (no buffer ever holds the joined string).
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>

#include "internal.h"

/* Feed the three parts and their ':' separators to ctx. 1 on success. */
static int digest_parts(EVP_MD_CTX *ctx, const char *user, const char *realm,
			const char *password)
{
	return EVP_DigestUpdate(ctx, user, strlen(user)) == 1 &&
	       EVP_DigestUpdate(ctx, ":", 1) == 1 &&
	       EVP_DigestUpdate(ctx, realm, strlen(realm)) == 1 &&
	       EVP_DigestUpdate(ctx, ":", 1) == 1 &&
	       EVP_DigestUpdate(ctx, password, strlen(password)) == 1;
}

enum mmp_rc pki_turn_long_term_key(const char *user, const char *realm, const char *password,
				   char hex[PKI_TURN_KEY_HEX], struct mmp_err *err)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;
	EVP_MD *md5 = NULL;
	EVP_MD_CTX *ctx = NULL;
	enum mmp_rc rc = MMP_ERR_INTERNAL;

	hex[0] = '\0';
	ERR_clear_error();
	/* NULL when the default provider is not loaded (a FIPS-only node) */
	md5 = EVP_MD_fetch(NULL, "MD5", NULL);
	ctx = EVP_MD_CTX_new();
	if (md5 == NULL || ctx == NULL || EVP_DigestInit_ex(ctx, md5, NULL) != 1 ||
	    !digest_parts(ctx, user, realm, password) || EVP_DigestFinal_ex(ctx, md, &len) != 1 ||
	    len != 16) {
		mmp_err_set(err, MMP_ERR_INTERNAL,
			    "the TURN key (MD5, RFC 8489 section 9.2.2) could not be computed: nothing was changed; MD5 must be available in OpenSSL's default provider");
		pki_cause_from_openssl(err);
		goto out;
	}
	for (i = 0; i < len; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[2 * len] = '\0';
	rc = MMP_OK;
out:
	OPENSSL_cleanse(md, sizeof(md));
	EVP_MD_CTX_free(ctx); /* cleanses the digest state */
	EVP_MD_free(md5);
	return rc;
}
