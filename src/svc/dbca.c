/*
 * dbca.c: the database cluster's CA is dedicated (guide §3.1.4 CAUTION:
 * "the root certificate or intermediate certificates must not be used for
 * any other purpose"), said at pki sign time, before a service's
 * certificate is made with it, not only when a service is given it.
 */
#include <stdio.h>
#include <string.h>

#include "mmp/svc.h"

/* Is ca_file the cluster CA or a CA below it? */
static int is_db_ca(const struct pki_file *ca_file, const struct pki_file *db_ca)
{
	size_t i, j;

	for (i = 0; i < pki_file_cert_count(ca_file); i++) {
		for (j = 0; j < pki_file_cert_count(db_ca); j++)
			if (pki_file_same_cert(ca_file, i, db_ca, j))
				return 1;
		if (pki_cert_issued_by(ca_file, i, db_ca))
			return 1;
	}
	return 0;
}

/* "dbserver" for "dbserver.crt": the basename of a setting's file. */
static int setting_base_is(struct cfg *c, const char *key, const char *base)
{
	char v[CFG_VALUE_MAX + 1];
	struct mmp_err err;
	const char *dot;
	int set;

	if (cfg_get(c, key, v, sizeof(v), &set, &err) != MMP_OK || !set)
		return 0;
	dot = strrchr(v, '.');
	return dot != NULL && (size_t)(dot - v) == strlen(base) && strncmp(v, base, strlen(base)) == 0;
}

/* The CN of the file of a setting, "" when unset or unreadable. */
static void setting_cn(const struct store *s, struct cfg *c, const char *key, char *cn, size_t size)
{
	char v[CFG_VALUE_MAX + 1];
	struct pki_file *f;
	struct mmp_err err;
	int set;

	cn[0] = '\0';
	if (cfg_get(c, key, v, sizeof(v), &set, &err) != MMP_OK || !set ||
	    pki_file_load(s, v, &f, &err) != MMP_OK)
		return;
	pki_file_cn(f, cn, size);
	pki_file_free(f);
}

/* A CSR of the cluster itself: the client's CN postgres (§3.1.4 step 3),
 * the CN of the server certificate set, or the basename of a file set. */
static int is_db_csr(const struct store *s, struct cfg *c, const char *csr_base,
		     const struct pki_file *csr)
{
	char cn[256], server_cn[256];

	if (setting_base_is(c, "database.server_key", csr_base) ||
	    setting_base_is(c, "database.server_crt", csr_base) ||
	    setting_base_is(c, "database.client_key", csr_base) ||
	    setting_base_is(c, "database.client_crt", csr_base))
		return 1;
	if (!pki_file_cn(csr, cn, sizeof(cn)))
		return 0;
	setting_cn(s, c, "database.server_crt", server_cn, sizeof(server_cn));
	return strcmp(cn, "postgres") == 0 || (server_cn[0] != '\0' && strcmp(cn, server_cn) == 0);
}

enum mmp_rc svc_check_sign_ca(const struct store *s, struct cfg *c, const char *csr_base,
			      const char *ca_base, struct mmp_err *err)
{
	char db_name[CFG_VALUE_MAX + 1], name[STORE_NAME_MAX + 1];
	struct pki_file *db = NULL, *ca = NULL, *csr = NULL;
	struct mmp_err e;
	enum mmp_rc rc = MMP_OK;
	int set;

	if (c == NULL || cfg_get(c, "database.ca_crt", db_name, sizeof(db_name), &set, &e) != MMP_OK ||
	    !set || pki_file_load(s, db_name, &db, &e) != MMP_OK)
		return MMP_OK; /* no cluster CA: nothing reserved */
	snprintf(name, sizeof(name), "%s.crt", ca_base);
	if (pki_file_load(s, name, &ca, &e) != MMP_OK || !is_db_ca(ca, db))
		goto out; /* pki sign says what is wrong with a missing CA */
	snprintf(name, sizeof(name), "%s.csr", csr_base);
	if (pki_file_load(s, name, &csr, &e) != MMP_OK || is_db_csr(s, c, csr_base, csr))
		goto out;
	snprintf(name, sizeof(name), "%s.crt", ca_base);
	rc = mmp_err_set(err, MMP_ERR_RULE,
			 "%s.crt %s%s, which must be dedicated to the database cluster (guide section 3.1.4)",
			 ca_base,
			 strcmp(name, db_name) == 0 ? "is the database cluster CA (database cluster certs)"
			 : pki_file_same_cert(ca, 0, db, 0) ? "holds the database cluster CA of "
							    : "is signed by the database cluster CA in ",
			 strcmp(name, db_name) == 0 ? "" : db_name);
	mmp_err_about(err, "database.ca_dedicated", name, 0);
	mmp_err_remedy(err,
		       "sign %s.csr with another CA, e.g. pki selfsigned <name> CN:\"<name>\" then pki sign %s <name>, or send it to your organisation's CA",
		       csr_base, csr_base);
out:
	pki_file_free(db);
	pki_file_free(ca);
	pki_file_free(csr);
	return rc;
}
