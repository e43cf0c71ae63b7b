/*
 * order.c: the order of the certificates of a full chain and of a bundle
 * (guide §1.2.4, Appendix D.1 step 5). It finds the leaf and walks its
 * issuers through the file, so that one line says the true cause: an
 * issuer missing (and where it goes), or the file in the wrong order (and
 * the order needed), never "certificate 2 is not the issuer of 1" for both.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "internal.h"

#define ORDER_TEXT_MAX 256

/* The issuers of one certificate found in a list, in chain order. */
struct walk {
	int ord[PKI_FILE_MAX_BLOCKS + 1]; /* indexes into the list */
	int m;                            /* how many */
	int root;                         /* it ended at a self-signed certificate */
};

static int self_issued(X509 *x)
{
	int ok = X509_check_issued(x, x) == X509_V_OK;

	pki_err_clear();
	return ok;
}

static int walked(const struct walk *w, int i)
{
	int k;

	for (k = 0; k < w->m; k++)
		if (w->ord[k] == i)
			return 1;
	return 0;
}

/* The issuers of cur in certs not yet walked (nor in skip). When several
 * certificates could be the issuer (a CA cross-signed by another beside
 * its self-signed version: same subject, same key), the self-signed one,
 * else the first one whose own walk reaches a root, else the first. *budget
 * bounds the trial walks. */
static void walk_on(STACK_OF(X509) *certs, X509 *cur, const struct walk *skip, struct walk *w,
		    int *budget)
{
	int n = sk_X509_num(certs), i, first, pick, count;
	struct walk *trial;

	for (;;) {
		if (self_issued(cur)) {
			w->root = 1;
			return;
		}
		if (w->m > PKI_FILE_MAX_BLOCKS)
			return;
		first = pick = -1;
		count = 0;
		for (i = 0; i < n; i++) {
			if (walked(w, i) || (skip != NULL && walked(skip, i)) ||
			    !pki_issued_by(cur, sk_X509_value(certs, i)))
				continue;
			count++;
			if (first < 0)
				first = i;
			if (pick < 0 && self_issued(sk_X509_value(certs, i)))
				pick = i;
		}
		if (first < 0)
			return;
		if (pick < 0 && count > 1 && *budget > 0 && (trial = malloc(sizeof(*trial))) != NULL) {
			for (i = 0; i < n && pick < 0; i++) {
				if (walked(w, i) || (skip != NULL && walked(skip, i)) ||
				    !pki_issued_by(cur, sk_X509_value(certs, i)))
					continue;
				*trial = *w;
				trial->ord[trial->m++] = i;
				(*budget)--;
				walk_on(certs, sk_X509_value(certs, i), skip, trial, budget);
				if (trial->root)
					pick = i;
			}
			free(trial);
		}
		if (pick < 0)
			pick = first;
		w->ord[w->m++] = pick;
		cur = sk_X509_value(certs, pick);
	}
}

/* From cur (at index start of certs, or -1 when it is not in certs) up
 * through its issuers in certs, each used once, none of skip (may be NULL). */
static void walk_issuers(STACK_OF(X509) *certs, X509 *cur, int start, const struct walk *skip,
			 struct walk *w)
{
	int budget = 64;

	w->m = 0;
	w->root = 0;
	if (start >= 0)
		w->ord[w->m++] = start;
	walk_on(certs, cur, skip, w, &budget);
}

/* The earlier certificate of certs that i is a byte-for-byte copy of; -1. */
static int copy_of(STACK_OF(X509) *certs, int i)
{
	int j;

	for (j = 0; j < i; j++)
		if (X509_cmp(sk_X509_value(certs, j), sk_X509_value(certs, i)) == 0)
			return j;
	return -1;
}

/* The CN of a name, else the whole name. */
static const char *cn_text(const X509_NAME *name, char *buf, size_t size)
{
	int pos = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
	const ASN1_STRING *s;

	if (pos < 0)
		return pki_name_oneline(name, buf, size), buf;
	s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, pos));
	snprintf(buf, size, "%.*s", ASN1_STRING_length(s), (const char *)ASN1_STRING_get0_data(s));
	return buf;
}

/* Copies in f: "certificate 2 (CN = x) is a copy of certificate 1: remove
 * it (<why>)", each copy, into err; MMP_OK when there is none. */
static enum mmp_rc copies(const struct pki_file *f, const char *why, struct mmp_err *err)
{
	char text[4 * ORDER_TEXT_MAX], subj[ORDER_TEXT_MAX];
	int n = sk_X509_num(f->certs), i, j;
	size_t len = 0;

	text[0] = '\0';
	for (i = 1; i < n && len < sizeof(text); i++) {
		if ((j = copy_of(f->certs, i)) < 0)
			continue;
		pki_name_oneline(X509_get_subject_name(sk_X509_value(f->certs, i)), subj, sizeof(subj));
		len += (size_t)snprintf(text + len, sizeof(text) - len,
					"%scertificate %d (%s) is a copy of certificate %d: remove it",
					len ? "; " : "", i + 1, subj, j + 1);
	}
	if (len == 0)
		return MMP_OK;
	return pki_err_is(mmp_err_set(err, MMP_ERR_RULE, "%s: %s (%s)", f->name, text, why),
			  err, "chain.duplicate", f->name, 0, NULL);
}

/* Off the walk w: another version of a CA on it (the same subject and key,
 * issued by another CA, as a cross-signed root is). The index on w; -1. */
static int other_version(STACK_OF(X509) *certs, const struct walk *w, int i)
{
	X509 *x = sk_X509_value(certs, i), *y;
	int k;

	if (walked(w, i))
		return -1;
	for (k = 0; k < w->m; k++) {
		y = sk_X509_value(certs, w->ord[k]);
		if (X509_NAME_cmp(X509_get_subject_name(x), X509_get_subject_name(y)) == 0 &&
		    EVP_PKEY_eq(X509_get0_pubkey(x), X509_get0_pubkey(y)) == 1)
			return w->ord[k];
	}
	return -1;
}

/* After a walk w that stopped short of a root: the rest of the chain
 * among the certificates w did not reach, from the one that issued none
 * of them (the one just above the missing issuer). */
static void walk_rest(STACK_OF(X509) *certs, const struct walk *w, struct walk *rest)
{
	int n = sk_X509_num(certs), i, j;

	rest->m = 0;
	rest->root = 0;
	for (i = 0; i < n; i++) {
		if (walked(w, i))
			continue;
		for (j = 0; j < n; j++)
			if (j != i && !walked(w, j) &&
			    pki_issued_by(sk_X509_value(certs, j), sk_X509_value(certs, i)))
				break;
		if (j == n) {
			walk_issuers(certs, sk_X509_value(certs, i), i, w, rest);
			return;
		}
	}
}

/* "3, 2, 1": the walk, counted from 1. */
static const char *order_text(const struct walk *w, char *buf, size_t size)
{
	size_t len = 0;
	int k;

	buf[0] = '\0';
	for (k = 0; k < w->m && len < size; k++)
		len += (size_t)snprintf(buf + len, size - len, "%s%d", k ? ", " : "", w->ord[k] + 1);
	return buf;
}

/* The certificates not on the walk: "certificate 4 (CN = x)" or
 * "certificates 4, 5"; "" when none. */
static const char *extras_text(STACK_OF(X509) *certs, const struct walk *w, char *buf,
			       size_t size)
{
	int n = sk_X509_num(certs), i, count = n - w->m, first = 1;
	size_t len;
	char subj[ORDER_TEXT_MAX];

	buf[0] = '\0';
	if (count <= 0)
		return buf;
	len = (size_t)snprintf(buf, size, "%s", count == 1 ? "certificate " : "certificates ");
	for (i = 0; i < n && len < size; i++) {
		if (walked(w, i))
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%d", first ? "" : ", ", i + 1);
		if (count == 1) {
			pki_name_oneline(X509_get_subject_name(sk_X509_value(certs, i)), subj, sizeof(subj));
			snprintf(buf + len, size - len, " (%s)", subj);
		}
		first = 0;
	}
	return buf;
}

/* the place of i in the file without the certificates of except */
static int rank(const struct walk *except, int i)
{
	int k, r = i;

	for (k = 0; except != NULL && k < except->m; k++)
		r -= except->ord[k] < i;
	return r;
}

static int in_file_order(const struct walk *w, int increasing_only, const struct walk *except)
{
	int k;

	for (k = 1; k < w->m; k++)
		if (increasing_only ? w->ord[k] < w->ord[k - 1] : rank(except, w->ord[k]) != k)
			return 0;
	return w->m == 0 || increasing_only || rank(except, w->ord[0]) == 0;
}

static int reversed(const struct walk *w, int n)
{
	int k;

	for (k = 0; k < w->m; k++)
		if (w->ord[k] != n - 1 - k)
			return 0;
	return w->m == n && n > 1;
}

size_t pki_file_leaf(const struct pki_file *f)
{
	return pki_file_cert_count(f) > 0 ? (size_t)pki_leaf_index(f->certs) : 0;
}

/* a then b as one walk */
static void join(const struct walk *a, const struct walk *b, struct walk *all)
{
	memcpy(all->ord, a->ord, (size_t)a->m * sizeof(int));
	memcpy(all->ord + a->m, b->ord, (size_t)b->m * sizeof(int));
	all->m = a->m + b->m;
	all->root = b->root;
}

/* The full chain is out of order: one line, the order needed. rest: the
 * chain above a missing issuer (empty when none is missing). */
static enum mmp_rc misordered(const struct pki_file *f, int li, const struct walk *w,
			      const struct walk *rest, int need_root, struct mmp_err *err)
{
	char leaf[ORDER_TEXT_MAX], order[ORDER_TEXT_MAX], more[3 * ORDER_TEXT_MAX],
		extras[ORDER_TEXT_MAX], iss[ORDER_TEXT_MAX];
	int n = sk_X509_num(f->certs);
	struct walk all;
	size_t len;

	pki_name_oneline(X509_get_subject_name(sk_X509_value(f->certs, li)), leaf, sizeof(leaf));
	more[0] = '\0';
	if (need_root && !w->root) {
		pki_name_oneline(X509_get_issuer_name(sk_X509_value(f->certs, w->ord[w->m - 1])), iss,
				 sizeof(iss));
		snprintf(more, sizeof(more), ", then the issuer of certificate %d (%s), which is missing: add it%s%s",
			 w->ord[w->m - 1] + 1, iss, rest->m > 0 ? ", then " : "",
			 rest->m > 0 ? order_text(rest, order, sizeof(order)) : "");
	}
	join(w, rest, &all);
	if (all.m < n && (len = strlen(more)) < sizeof(more))
		snprintf(more + len, sizeof(more) - len, "; %s %s not part of this chain: remove %s",
			 extras_text(f->certs, &all, extras, sizeof(extras)),
			 n - all.m == 1 ? "is" : "are", n - all.m == 1 ? "it" : "them");
	return pki_err_is(mmp_err_set(err, MMP_ERR_RULE,
			   "%s is in %s order: the leaf (%s) is certificate %d; a full chain is the leaf first, then each issuer, the root last (guide section 1.2.4, Appendix D.1): put its certificates in the order %s%s",
			   f->name, reversed(w, n) ? "reverse" : "the wrong", leaf, li + 1,
			   order_text(w, order, sizeof(order)), more),
			  err, "chain.order", f->name, li + 1, "put its");
}

#define FULLCHAIN_WHY "a full chain is the leaf first, then each issuer, the root last; guide section 1.2.4"

enum mmp_rc pki_chain_order(const struct pki_file *f, int need_root, struct mmp_err *err)
{
	int n = sk_X509_num(f->certs), li, top, i, on;
	struct walk w, rest, all, ext;
	char iss[ORDER_TEXT_MAX], extras[ORDER_TEXT_MAX], subj[ORDER_TEXT_MAX],
		path[ORDER_TEXT_MAX], text[4 * ORDER_TEXT_MAX];
	size_t len = 0;

	if (n == 0)
		return mmp_err_set(err, MMP_ERR_FORMAT,
				   "%s holds no certificate: a full chain starts with the certificate, then its intermediates, then the root",
				   f->name);
	/* a copy is the one cause: the order of the rest is right or not
	 * whatever place the copy has */
	if (copies(f, FULLCHAIN_WHY, err) != MMP_OK)
		return MMP_ERR_RULE;
	li = pki_leaf_index(f->certs);
	walk_issuers(f->certs, sk_X509_value(f->certs, li), li, NULL, &w);
	rest.m = 0;
	rest.root = 0;
	if (need_root && !w.root)
		walk_rest(f->certs, &w, &rest);
	join(&w, &rest, &all);
	/* other versions of a CA on the path (cross-signed) are said below,
	 * and the order is that of the others */
	ext.m = 0;
	for (i = 0; i < n; i++)
		if (!walked(&all, i) && other_version(f->certs, &w, i) >= 0)
			ext.ord[ext.m++] = i;
	if (!in_file_order(&all, 0, &ext))
		return misordered(f, li, &w, &rest, need_root, err);
	top = w.ord[w.m - 1];
	if (need_root && !w.root) {
		pki_name_oneline(X509_get_issuer_name(sk_X509_value(f->certs, top)), iss, sizeof(iss));
		if (top + 1 < n)
			return pki_err_is(mmp_err_set(err, MMP_ERR_RULE,
					   "%s: the issuer of certificate %d (%s) is missing: add it between certificate %d and certificate %d (a full chain is the leaf first, then each issuer, the root last; guide section 1.2.4)",
					   f->name, top + 1, iss, top + 1, top + 2),
			  err, "chain.missing_issuer", f->name, top + 1, "add it");
		return pki_err_is(mmp_err_set(err, MMP_ERR_RULE,
				   "%s: the issuer of certificate %d (%s) is missing: add it at the end, then its own issuers up to the root (a full chain is the leaf first, then each issuer, the root last; guide section 1.2.4)",
				   f->name, top + 1, iss),
			  err, "chain.missing_issuer", f->name, top + 1, "add it");
	}
	for (i = 0; i < ext.m && len < sizeof(text); i++) {
		X509 *x = sk_X509_value(f->certs, ext.ord[i]);

		pki_name_oneline(X509_get_subject_name(x), subj, sizeof(subj));
		len += (size_t)snprintf(text + len, sizeof(text) - len,
					"%scertificate %d (%s, issued by %s) is not on the leaf's path %s: remove it",
					len ? "; " : "", ext.ord[i] + 1, subj,
					cn_text(X509_get_issuer_name(x), iss, sizeof(iss)),
					order_text(&w, path, sizeof(path)));
	}
	if (len > 0)
		return pki_err_is(mmp_err_set(err, MMP_ERR_RULE, "%s: %s (%s)", f->name, text, FULLCHAIN_WHY),
			  err, "chain.duplicate", f->name, 0, NULL);
	on = w.m;
	if (need_root && on < n)
		return pki_err_is(mmp_err_set(err, MMP_ERR_RULE,
				   "%s: %s %s not part of the chain of the leaf: remove %s (a full chain is the leaf first, then each issuer, the root last; guide section 1.2.4)",
				   f->name, extras_text(f->certs, &w, extras, sizeof(extras)),
				   n - on == 1 ? "is" : "are", n - on == 1 ? "it" : "them"),
			  err, "chain.extra", f->name, 0, "remove");
	return MMP_OK;
}

enum mmp_rc pki_rule_fullchain_order(const struct pki_file *f, struct mmp_err *err)
{
	return pki_chain_order(f, 1, err);
}

int pki_bundle_leaf_copy(const struct pki_file *cert, const struct pki_file *bundle)
{
	X509 *leaf;
	int i;

	if (pki_file_cert_count(cert) == 0)
		return -1;
	leaf = sk_X509_value(cert->certs, (int)pki_file_leaf(cert));
	for (i = 0; i < sk_X509_num(bundle->certs); i++)
		if (X509_cmp(leaf, sk_X509_value(bundle->certs, i)) == 0)
			return i;
	return -1;
}

enum mmp_rc pki_bundle_extras(const struct pki_file *cert, const struct pki_file *bundle,
			      struct mmp_err *err)
{
	char subj[ORDER_TEXT_MAX], why[ORDER_TEXT_MAX];
	int i = pki_bundle_leaf_copy(cert, bundle);

	if (i >= 0) {
		pki_name_oneline(X509_get_subject_name(sk_X509_value(bundle->certs, i)), subj,
				 sizeof(subj));
		return pki_err_is(mmp_err_set(err, MMP_ERR_RULE,
				   "%s: certificate %d is %s itself (%s): remove it: a bundle holds only the CA certificates above it (guide section 1.2.4)",
				   bundle->name, i + 1, cert->name, subj),
			  err, "bundle.holds_leaf", bundle->name, i + 1, "remove it");
	}
	snprintf(why, sizeof(why),
		 "a bundle is the issuer of %s first, then each issuer, the root last; guide section 1.2.4",
		 cert->name);
	return copies(bundle, why, err);
}

enum mmp_rc pki_rule_bundle_chains(const struct pki_file *cert, const struct pki_file *bundle,
				   struct mmp_err *err)
{
	X509 *leaf;
	struct walk w;
	char iss[ORDER_TEXT_MAX], order[ORDER_TEXT_MAX];
	int n = sk_X509_num(bundle->certs), i, top, any_root = 0;

	if (pki_file_cert_count(cert) == 0 || n == 0)
		return mmp_err_set(err, MMP_ERR_FORMAT, "%s or %s holds no certificate", cert->name,
				   bundle->name);
	if (pki_bundle_extras(cert, bundle, err) != MMP_OK)
		return MMP_ERR_RULE;
	leaf = sk_X509_value(cert->certs, (int)pki_file_leaf(cert));
	walk_issuers(bundle->certs, leaf, -1, NULL, &w);
	if (w.m == 0) {
		pki_name_oneline(X509_get_issuer_name(leaf), iss, sizeof(iss));
		return pki_err_is(mmp_err_set(err, MMP_ERR_VERIFY,
				   "%s does not chain %s: it lacks the certificate of the issuer %s; get the CA's bundle of intermediates (guide section 3.2)",
				   bundle->name, cert->name, iss),
			  err, "bundle.missing_issuer", bundle->name, 0, "get the");
	}
	if (!in_file_order(&w, 1, NULL))
		return pki_err_is(mmp_err_set(err, MMP_ERR_RULE,
				   "%s %s: a bundle is the issuer of %s first, then each issuer, the root last (guide section 1.2.4): put its certificates in the order %s",
				   bundle->name,
				   reversed(&w, n) ? (w.root ? "has the root first" : "is in reverse order")
						   : "is in the wrong order",
				   cert->name, order_text(&w, order, sizeof(order))),
			  err, "bundle.order", bundle->name, 0, "put its");
	for (i = 0; i < n; i++)
		any_root |= !walked(&w, i) && self_issued(sk_X509_value(bundle->certs, i));
	/* a bundle of intermediates without the root passes: the peers hold
	 * the root; an unreached root means an intermediate is missing */
	if (w.root || !any_root)
		return MMP_OK;
	top = w.ord[w.m - 1];
	pki_name_oneline(X509_get_issuer_name(sk_X509_value(bundle->certs, top)), iss, sizeof(iss));
	if (top + 1 < n)
		return pki_err_is(mmp_err_set(err, MMP_ERR_VERIFY,
				   "%s: the issuer of certificate %d (%s) is missing: add it between certificate %d and certificate %d (a bundle is the issuer of %s first, then each issuer, the root last; guide section 1.2.4)",
				   bundle->name, top + 1, iss, top + 1, top + 2, cert->name),
			  err, "bundle.missing_issuer", bundle->name, top + 1, "add it");
	return pki_err_is(mmp_err_set(err, MMP_ERR_VERIFY,
			   "%s: the issuer of certificate %d (%s) is missing: add it after certificate %d (a bundle is the issuer of %s first, then each issuer, the root last; guide section 1.2.4)",
			   bundle->name, top + 1, iss, top + 1, cert->name),
			  err, "bundle.missing_issuer", bundle->name, top + 1, "add it");
}

int pki_file_on_chain(const struct pki_file *f, size_t idx)
{
	struct walk w;
	int li;

	if (idx >= pki_file_cert_count(f))
		return 0;
	li = pki_leaf_index(f->certs);
	walk_issuers(f->certs, sk_X509_value(f->certs, li), li, NULL, &w);
	/* past a missing issuer, what is left may be the rest of the chain */
	return w.root ? walked(&w, (int)idx) : 1;
}
