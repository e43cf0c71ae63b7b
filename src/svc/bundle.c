/*
 * bundle.c: a certificate installed without its bundle (guide §4.4: "If
 * your CA provides a certificate bundle then also include the bundle";
 * §1.2.4: peers need the intermediates). Said as a WARNING when the
 * certificate's issuer is not a root, found among the files or not.
 */
#include <stdio.h>
#include <string.h>

#include "mmp/svc.h"

/* Look for the issuer of certificate li of cf among the store's files:
 * 1 and *root set when found (where names the file), 0 when not. Every
 * file is read: a store holds tens of files, and this runs only when a
 * certificate is installed without its bundle. */
static int find_issuer(const struct store *s, const struct pki_file *cf, size_t li, int *root,
		       char *where, size_t size)
{
	struct pki_file *g;
	struct mmp_err err;
	char **names = NULL;
	size_t n = 0, i;
	int j, found = 0;

	if (store_list(s, &names, &n, &err) != MMP_OK)
		return 0;
	/* the file of that certificate alone if there is one, else the first */
	for (i = 0; i < n && found < 2; i++) {
		if (pki_file_load(s, names[i], &g, &err) != MMP_OK)
			continue;
		if ((j = pki_issuer_index(cf, li, g)) >= 0 &&
		    (found == 0 || pki_file_cert_count(g) == 1)) {
			found = pki_file_cert_count(g) == 1 ? 2 : 1;
			*root = pki_cert_is_root(g, (size_t)j);
			snprintf(where, size, "%s", names[i]);
		}
		pki_file_free(g);
	}
	store_list_free(names);
	return found > 0;
}

void svc_warn_no_bundle(const struct store *s, const char *peers, const char *key,
			const char *crt, const char *cmd, struct report *r)
{
	struct pki_file *cf = NULL;
	struct mmp_err err;
	char issuer[256], where[STORE_NAME_MAX + 1];
	size_t li;
	int root = 0;

	if (pki_file_load(s, crt, &cf, &err) != MMP_OK || pki_file_cert_count(cf) == 0)
		goto out;
	li = pki_file_leaf(cf);
	/* a self-signed certificate, or its issuer already in the file */
	if (pki_cert_is_root(cf, li) || pki_issuer_index(cf, li, cf) >= 0)
		goto out;
	pki_cert_issuer(cf, li, issuer, sizeof(issuer));
	if (find_issuer(s, cf, li, &root, where, sizeof(where))) {
		if (!root) {
			report_check(r, REPORT_WARNING, "bundle.missing", crt, (int)li + 1,
				     "%s is issued by the intermediate CA %s (in %s) and no bundle was given: %s need the intermediates up to the root to trust it (guide sections 4.4 and 1.2.4)",
				     crt, issuer, where, peers);
			report_remedy(r, "give the CA's bundle too: %s %s %s <bundle>", cmd, key, crt);
		}
	} else {
		report_check(r, REPORT_WARNING, "bundle.missing_issuer", crt, (int)li + 1,
			     "%s is issued by %s, which is not among the files, and no bundle was given: if that CA is an intermediate, %s need it and the CA certificates above it to trust it (guide sections 4.4 and 1.2.4)",
			     crt, issuer, peers);
		report_remedy(r, "give the CA's bundle too: %s %s %s <bundle>", cmd, key, crt);
	}
out:
	pki_file_free(cf);
}
