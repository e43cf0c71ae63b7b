/*
 * verify.c: pki verify (guide §4.3, SPEC §5) and pki_verify_mem, the same
 * core on in-memory certificates (the x509-limbo conformance test uses it).
 * This file owns the inputs: files of the store or blobs become a list of
 * certificates, each trusted or not and labelled with where it came from.
 * The checks themselves are in verify_core.c.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "verify_core.h"

void vin_free(struct vin *in)
{
	size_t i;

	for (i = 0; i < in->n; i++)
		X509_free(in->c[i].x);
	free(in->c);
	for (i = 0; i < in->n_crl; i++)
		X509_CRL_free(in->crl[i].c);
	free(in->crl);
	memset(in, 0, sizeof(*in));
}

int vin_add(struct vin *in, X509 *x, const char *src, int pos, int anchor)
{
	if (in->n == in->cap) {
		size_t cap = in->cap ? in->cap * 2 : 8;
		struct vcert *c = realloc(in->c, cap * sizeof(*c));
		if (c == NULL)
			return 0;
		in->c = c;
		in->cap = cap;
	}
	if (!X509_up_ref(x))
		return 0;
	in->c[in->n].x = x;
	in->c[in->n].anchor = anchor;
	in->c[in->n].pos = pos;
	snprintf(in->c[in->n].src, sizeof(in->c[in->n].src), "%s", src);
	in->n++;
	in->n_anchors += anchor != 0;
	return 1;
}

/* guide §1.2.3: a root is "Issued To" and "Issued By" itself; in pki
 * verify the self-signed certificates of the files are the trust anchors. */
static int is_root(X509 *x)
{
	int ss = X509_self_signed(x, 0);

	pki_err_clear();
	return ss == 1;
}

/* Every certificate of f but skip (the leaf, added by the caller); roots
 * are anchors only when trusted_file says so. */
static int add_file(struct vin *in, const struct pki_file *f, int skip, int trusted_file)
{
	int i;

	for (i = 0; i < sk_X509_num(f->certs); i++) {
		X509 *x = sk_X509_value(f->certs, i);
		if (i != skip && !vin_add(in, x, f->name, i + 1, trusted_file && is_root(x)))
			return 0;
	}
	return 1;
}

/* "bundle.crt", "bundle.crt or root.crt": where issuers were looked for. */
static void set_where(struct vin *in, struct pki_file *const *f, size_t n)
{
	size_t i, len = 0;

	in->where[0] = '\0';
	for (i = 0; i < n; i++) {
		if (f[i] == NULL || (i == 0 && pki_file_cert_count(f[0]) < 2))
			continue;
		len = strlen(in->where);
		snprintf(in->where + len, sizeof(in->where) - len, "%s%s",
			 len > 0 ? (i + 1 < n && f[i + 1] != NULL ? ", " : " or ") : "",
			 f[i]->name);
	}
}

static enum mmp_rc load_cert_file(const struct store *s, const char *name,
				  struct pki_file **f, struct mmp_err *err)
{
	enum mmp_rc rc;

	if ((rc = pki_file_load(s, name, f, err)) != MMP_OK)
		return rc;
	return pki_file_expect(*f, PKI_WANT_CERTS, err);
}

/* A chain that verifies may still be refused by the services: a leaf or
 * intermediate signed with SHA-1 (guide chapter 3 note; pki_rule_sha2). */
static void sha2_warnings(struct pki_file *const *f, int li, struct report *r)
{
	char why[384];
	size_t i, j;

	for (i = 0; i < 3; i++)
		for (j = 0; f[i] != NULL && j < pki_file_cert_count(f[i]); j++)
			if (pki_rule_sha2(f[i], j, !(i == 0 && j == (size_t)li), why, sizeof(why)) == 0)
				report_check(r, REPORT_WARNING, "cert.weak_signature", f[i]->name, (int)(j + 1),
					     "%s: certificate %zu: %s: the services refuse it (guide chapter 3)",
					     f[i]->name, j + 1, why);
}

/* What clients refuse (compat.c), once per file named: the leaf as a TLS
 * server when guide §2.2 allows that use. Duplicate extensions were the
 * one cause already. */
static void compat_warnings(struct pki_file *const *f, const char *const *names, int li,
			    struct report *r)
{
	unsigned flags;
	size_t i, j;

	for (i = 0; i < 3; i++) {
		for (j = 0; j < i && f[i] != NULL; j++)
			if (names[j] != NULL && strcmp(names[j], names[i]) == 0)
				break;
		if (f[i] == NULL || j < i)
			continue;
		flags = PKI_COMPAT_DUP_ELSEWHERE;
		if (i == 0 && pki_rule_role(f[0], (size_t)li, PKI_ROLE_SERVER, NULL, 0) == 1)
			flags |= PKI_COMPAT_TLS_SERVER;
		pki_compat_file(f[i], i == 0 ? li : -1, i == 0 ? f[1] : NULL, flags, r);
	}
}

/* A certificate OpenSSL cannot use (two subjectAltName extensions, ...)
 * makes every chain through it fail with a false reason (its issuer "has
 * the name but not the key"): its own cause, once, instead. */
static enum mmp_rc usable_files(struct pki_file *const *f, struct mmp_err *err)
{
	char why[512];
	size_t i, j;

	for (i = 0; i < 3; i++)
		for (j = 0; f[i] != NULL && j < pki_file_cert_count(f[i]); j++)
			if (pki_rule_wellformed(f[i], j, why, sizeof(why)) == 0)
				return mmp_err_set(err, MMP_ERR_VERIFY, "%s: %s", f[i]->name, why);
	return MMP_OK;
}

/* An error found on the way, as a WARNING: the verdict stands. Its code,
 * file, certificate and remedy as the error has them; code when it has
 * none. */
static void report_err(struct report *r, const struct mmp_err *e, const char *code)
{
	report_check(r, REPORT_WARNING, e->code != NULL ? e->code : code,
		     e->file[0] != '\0' ? e->file : NULL, e->cert, "%.*s",
		     (int)(e->remedy_at >= 2 ? e->remedy_at - 2 : strlen(e->msg)), e->msg);
	if (e->remedy_at >= 2)
		report_remedy(r, "%s", e->msg + e->remedy_at);
}

/* The verdict stands whatever the order of the certificate file, but the
 * services present a full chain as it is: a WARNING when the leaf is not
 * first or an issuer does not follow what it issued (guide section 1.2.4,
 * Appendix D.1). */
static void order_warning(const struct pki_file *f, struct report *r)
{
	struct mmp_err e;

	mmp_err_clear(&e);
	if (pki_file_cert_count(f) > 1 && pki_chain_order(f, 0, &e) != MMP_OK)
		report_err(r, &e, "chain.order");
}

/* A bundle that holds the certificate itself or a copy: the services
 * refuse it (guide section 1.2.4); the verdict stands. A PKCS#7 is a CA's
 * answer, the certificate with its chain: holding it is its nature. */
static void bundle_warning(const struct pki_file *cert, const struct pki_file *bundle,
			   const char *const *names, enum mmp_rc verdict, struct report *r)
{
	struct mmp_err e;

	mmp_err_clear(&e);
	if (bundle == NULL || strcmp(names[0], names[1]) == 0 ||
	    (bundle->pkcs7 && pki_bundle_leaf_copy(cert, bundle) >= 0))
		return;
	if (pki_bundle_extras(cert, bundle, &e) != MMP_OK) {
		report_err(r, &e, "bundle.extra");
		return;
	}
	/* OpenSSL takes a bundle in any order; the services' certs commands
	 * do not (guide section 1.2.4): the verdict stands, with the order
	 * they will ask for (a trial: pki verify passed a bundle, root first,
	 * that callbridge certs then refused) */
	mmp_err_clear(&e);
	if (verdict == MMP_OK && pki_rule_bundle_chains(cert, bundle, &e) != MMP_OK && e.code != NULL &&
	    strcmp(e.code, "bundle.order") == 0)
		report_err(r, &e, "bundle.order");
}

/* Was crl: file i named before, as a crl: file or as the bundle or CA
 * file whose CRLs are read (a list read twice would count twice against
 * crl.c's bounds)? */
static int crl_named_before(struct pki_file *const *f, const struct pki_verify_extra *extra,
			    size_t i)
{
	const char *name = extra->crl_files[i];
	size_t j;

	for (j = 1; j < 3; j++)
		if (f[j] != NULL && f[j]->crls > 0 && strcmp(f[j]->name, name) == 0)
			return 1;
	for (j = 0; j < i; j++)
		if (strcmp(extra->crl_files[j], name) == 0)
			return 1;
	return 0;
}

/* A crl: file with a damaged PEM block (bad base64, no END line, cut
 * short): OpenSSL's PEM reader stops there, so the lists in and after it
 * would be missed and the file said to hold none (crl.malformed). A block
 * that decodes to a bad CRL is crl.c's to say ("CRL 2 cannot be decoded"). */
static enum mmp_rc damaged_crl_file(const struct pki_file *crl, struct mmp_err *err)
{
	char why[400];
	const char *remedy, *at;

	pki_damage_text(crl, why, sizeof(why));
	for (remedy = why; (at = strstr(remedy, ": ")) != NULL; remedy = at + 2)
		;
	return pki_err_is(mmp_err_set(err, MMP_ERR_FORMAT,
			   "%s: a PEM block is damaged, so the revocation list in it cannot be read: %s",
			   crl->name, why),
			  err, "crl.malformed", crl->name, 0, remedy != why ? remedy : NULL);
}

/* The CRLs of the verification: the X509 CRL blocks of the bundle and CA
 * files (a trust bundle may carry its CAs' lists), then each crl: file. */
static enum mmp_rc add_crls(struct vin *in, const struct store *s, struct pki_file *const *f,
			    const struct pki_verify_extra *extra, struct mmp_err *err)
{
	enum mmp_rc rc = MMP_OK;
	struct pki_file *crl;
	size_t i;

	for (i = 1; i < 3 && rc == MMP_OK; i++)
		if (f[i] != NULL && f[i]->crls > 0 && (i == 1 || strcmp(f[1]->name, f[2]->name) != 0))
			rc = vin_add_crls(in, f[i]->raw, f[i]->raw_len, f[i]->name, 0, err);
	for (i = 0; extra != NULL && i < extra->n_crl_files && rc == MMP_OK; i++) {
		if (crl_named_before(f, extra, i))
			continue; /* its lists are in already */
		/* read as every file is (load.c): a damaged PEM block (bad
		 * base64, no END line) is said as such, not "no CRL" */
		if ((rc = pki_file_load(s, extra->crl_files[i], &crl, err)) != MMP_OK)
			break;
		if (crl->bad_blocks > 0 && crl->damage != PKI_DAMAGE_CONTENTS)
			rc = damaged_crl_file(crl, err);
		else
			rc = vin_add_crls(in, crl->raw, crl->raw_len, extra->crl_files[i], 1, err);
		pki_file_free(crl);
	}
	return rc;
}

enum mmp_rc pki_verify(const struct store *s, const char *cert_name,
		       const char *bundle_name, const char *ca_name,
		       const struct pki_verify_extra *extra,
		       struct report *r, struct mmp_err *err)
{
	const char *names[3] = { cert_name, bundle_name, ca_name };
	struct pki_file *f[3] = { NULL, NULL, NULL };
	struct pki_verify_opts opts = { .max_depth = -1 };
	struct vin in;
	X509 *leaf;
	enum mmp_rc rc = MMP_OK;
	size_t i, last;
	int li;

	memset(&in, 0, sizeof(in));
	mmp_err_clear(err);
	for (i = 0; i < 3 && rc == MMP_OK; i++)
		if (names[i] != NULL)
			rc = load_cert_file(s, names[i], &f[i], err);
	if (rc != MMP_OK || (rc = usable_files(f, err)) != MMP_OK)
		goto out;
	/* a duplicate extension makes OpenSSL refuse the certificate, and
	 * every check after it fails for that reason: the one cause */
	for (i = 0; i < 3 && rc == MMP_OK; i++)
		rc = pki_dup_extension_error(f[i], err);
	if (rc != MMP_OK)
		goto out;
	for (i = 0; i < 3; i++)
		if (f[i] != NULL && (i == 0 || strcmp(names[i], names[i - 1]) != 0))
			pki_file_warnings(f[i], r); /* read, but not as saved */
	/* the leaf: the end entity of the cert file, whatever its order; the
	 * trust anchors: the roots of the last file named (the CA file, or
	 * the bundle), never a root that came with the certificate itself */
	last = ca_name != NULL ? 2 : 1;
	li = pki_leaf_index(f[0]->certs);
	leaf = sk_X509_value(f[0]->certs, li);
	rc = mmp_err_set(err, MMP_ERR_NOMEM, "pki verify: out of memory");
	if (!vin_add(&in, leaf, f[0]->name, li + 1,
		     is_root(leaf) && strcmp(names[0], names[last]) == 0) ||
	    !add_file(&in, f[0], li, strcmp(names[0], names[last]) == 0))
		goto out;
	for (i = 1; i < 3; i++)
		if (f[i] != NULL && !add_file(&in, f[i], -1, i == last))
			goto out;
	mmp_err_clear(err);
	if ((rc = add_crls(&in, s, f, extra, err)) != MMP_OK)
		goto out;
	if (extra != NULL)
		opts.name = extra->name;
	set_where(&in, f, 3);
	snprintf(in.leaf_name, sizeof(in.leaf_name), "%s", f[0]->name);
	rc = verify_core(&in, &opts, r, err);
	order_warning(f[0], r);
	bundle_warning(f[0], f[1], names, rc, r);
	sha2_warnings(f, li, r);
	compat_warnings(f, names, li, r);
out:
	vin_free(&in);
	for (i = 0; i < 3; i++)
		pki_file_free(f[i]);
	return rc;
}

/* Parse n blobs labelled "<what> <i>" and add their certificates. */
static enum mmp_rc add_blobs(struct vin *in, const void *const *blobs,
			     const size_t *lens, size_t n, const char *what,
			     int anchor, struct mmp_err *err)
{
	struct pki_file *f = NULL;
	char label[STORE_NAME_MAX + 1];
	enum mmp_rc rc = MMP_OK;
	size_t i;
	int j;

	for (i = 0; i < n && rc == MMP_OK; i++) {
		snprintf(label, sizeof(label), "%s %zu", what, i + 1);
		if ((rc = pki_file_parse(label, blobs[i], lens[i], &f, err)) != MMP_OK)
			break;
		if (pki_file_cert_count(f) == 0)
			rc = mmp_err_set(err, MMP_ERR_FORMAT,
					 "%s holds no certificate: give PEM or DER certificates",
					 label);
		for (j = 0; rc == MMP_OK && j < sk_X509_num(f->certs); j++)
			if (!vin_add(in, sk_X509_value(f->certs, j), label, j + 1, anchor))
				rc = mmp_err_set(err, MMP_ERR_NOMEM, "out of memory");
		pki_file_free(f);
		f = NULL;
	}
	return rc;
}

enum mmp_rc pki_verify_mem(const void *leaf, size_t leaf_len,
			   const void *const *anchors, const size_t *anchor_lens,
			   size_t n_anchors, const void *const *inters,
			   const size_t *inter_lens, size_t n_inters,
			   const struct pki_verify_opts *opts,
			   struct report *r, struct mmp_err *err)
{
	static const struct pki_verify_opts dflt = { .max_depth = -1 };
	char label[32];
	struct vin in;
	enum mmp_rc rc;
	size_t i;

	memset(&in, 0, sizeof(in));
	mmp_err_clear(err);
	in.mem = 1;
	snprintf(in.leaf_name, sizeof(in.leaf_name), "the certificate");
	snprintf(in.where, sizeof(in.where), "the intermediates given");
	/* the leaf blob first: its first certificate is the leaf, the others
	 * count as intermediates (as extra certificates of a cert file do) */
	if ((rc = add_blobs(&in, &leaf, &leaf_len, 1, "peer", 0, err)) != MMP_OK ||
	    (rc = add_blobs(&in, anchors, anchor_lens, n_anchors, "trusted", 1, err)) != MMP_OK ||
	    (rc = add_blobs(&in, inters, inter_lens, n_inters, "untrusted", 0, err)) != MMP_OK)
		goto out;
	for (i = 0; opts != NULL && i < opts->n_crls && rc == MMP_OK; i++) {
		snprintf(label, sizeof(label), "crl %zu", i + 1);
		rc = vin_add_crls(&in, opts->crls[i], opts->crl_lens[i], label, 1, err);
	}
	if (rc != MMP_OK)
		goto out;
	rc = verify_core(&in, opts != NULL ? opts : &dflt, r, err);
out:
	vin_free(&in);
	return rc;
}
