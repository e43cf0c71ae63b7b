/*
 * cluster.c: the Call Bridge cluster's names (guide §4.9): every peer
 * configured must be the exact FQDN on a Web Admin certificate of the
 * cluster trust bundle, or the cluster fails from CMS 3.4 on.
 */
#include <stdio.h>
#include <string.h>

#include "mmp/svc.h"

#define LIST_CERTS 8 /* certificates a message lists before "and N more" */
#define PEERS_AT_ONCE 32 /* peers matched in one pass over the bundle (mmp keeps 32) */

/* "certificate 1: a.example.com; certificate 2: ..." of bf into buf. */
static void bundle_names(const struct pki_file *bf, char *buf, size_t size)
{
	size_t i, n = pki_file_cert_count(bf), at = 0;
	char names[512];
	int w;

	buf[0] = '\0';
	for (i = 0; i < n && i < LIST_CERTS && at < size; i++) {
		pki_cert_dns_names(bf, i, names, sizeof(names));
		w = snprintf(buf + at, size - at, "%scertificate %zu: %s", i > 0 ? "; " : "", i + 1,
			     names);
		at = w < 0 ? size : at + (size_t)w;
	}
	if (n > LIST_CERTS && at < size)
		snprintf(buf + at, size - at, "; and %zu more", n - LIST_CERTS);
}

/* One peer no certificate of bf holds: its FAILURE line. */
/* near and nw: pki_file_fqdn_nears' answer for peer */
static void peer_failure(const struct pki_file *bf, const char *bundle, const char *peer, long w,
			 int near, long nw, const char *fix_peers, struct report *r)
{
	char held[2048], names[512], base[80], line[1200];

	if (w >= 0) {
		pki_cert_dns_names(bf, (size_t)w, names, sizeof(names));
		report_check(r, REPORT_FAILURE, "callbridge.peer_wildcard_only", bundle, (int)w + 1,
			     "%s: cluster peer %s is covered only by a wildcard of certificate %ld (%s), and from CMS 3.4 each peer must match the exact FQDN on its Web Admin certificate (guide section 4.9)",
			     bundle, peer, w + 1, names);
		report_remedy(r, "add %s's Web Admin certificate, with %s in its subjectAltName, to the cluster bundle, or %s",
			      peer, peer, fix_peers);
		return;
	}
	if (near != PKI_FQDN_FAR) {
		w = nw;
		/* the pki csr line that asks for the certificate again: pki
		 * csr appends the CN to subjectAltName, and drops a final dot */
		snprintf(base, sizeof(base), "%.*s-new", (int)strcspn(peer, "."), peer);
		if (!pki_csr_line(bf, (size_t)w, base, line, sizeof(line)))
			snprintf(line, sizeof(line), "pki csr %s CN:%s", base, peer);
		if (near == PKI_FQDN_FINAL_DOT)
			report_check(r, REPORT_FAILURE, "callbridge.peer_not_in_bundle", bundle, (int)w + 1,
				     "%s: cluster peer %s is the exact FQDN of none of its certificates: certificate %ld has it only as DNS:%s. with a final dot, which a DNS name in a certificate does not have (RFC 5280 section 4.2.1.6) and the peers do not match, and from CMS 3.4 the cluster fails without it (guide section 4.9)",
				     bundle, peer, w + 1, peer);
		else
			report_check(r, REPORT_FAILURE, "callbridge.peer_not_in_bundle", bundle, (int)w + 1,
				     "%s: cluster peer %s is the exact FQDN of none of its certificates: certificate %ld holds %s only in its CN, which does not count (guide section 4.9 asks for the exact FQDN on the Web Admin certificate, and TLS clients match subjectAltName only, RFC 6125 section 6.4.4), and from CMS 3.4 the cluster fails without it",
				     bundle, peer, w + 1, peer);
		report_remedy(r, "have %s's Web Admin certificate issued again with DNS:%s%s in its subjectAltName (%s makes its key and CSR), then put it in the cluster bundle in place of certificate %ld, or %s",
			      peer, peer, near == PKI_FQDN_FINAL_DOT ? ", without the final dot," : "",
			      line, w + 1, fix_peers);
		return;
	}
	bundle_names(bf, held, sizeof(held));
	report_check(r, REPORT_FAILURE, "callbridge.peer_not_in_bundle", bundle, 0,
		     "%s: cluster peer %s is the exact FQDN of none of its certificates (%s), and from CMS 3.4 the cluster fails without it (guide section 4.9)",
		     bundle, peer, held);
	report_remedy(r, "add %s's Web Admin certificate to the cluster bundle, or %s", peer,
		      fix_peers);
}

enum mmp_rc svc_check_cluster_peers(const struct store *s, const char *bundle, const char *peers,
				    const char *fix_peers, struct report *r)
{
	char list[PEERS_AT_ONCE][PKI_FQDN_MAX + 1];
	const char *peer[PEERS_AT_ONCE];
	long exact[PEERS_AT_ONCE], wild[PEERS_AT_ONCE], nw[PEERS_AT_ONCE];
	int near[PEERS_AT_ONCE];
	struct pki_file *bf = NULL;
	struct mmp_err err;
	size_t before = r->failures, n = 0, len, k, batch = 0;
	const char *p;

	mmp_err_clear(&err);
	if (pki_file_load(s, bundle, &bf, &err) != MMP_OK || pki_file_cert_count(bf) == 0) {
		/* one cause (the loader's, without its file name and remedy),
		 * one remedy */
		const char *cause = err.msg;
		size_t blen = strlen(bundle), clen;

		if (strncmp(cause, bundle, blen) == 0 && strncmp(cause + blen, ": ", 2) == 0)
			cause += blen + 2;
		clen = err.remedy_at >= 2 && err.msg + err.remedy_at - 2 > cause
			       ? (size_t)(err.msg + err.remedy_at - 2 - cause)
			       : strlen(cause);
		if (err.msg[0] == '\0')
			report_check(r, REPORT_FAILURE, "callbridge.cluster_bundle_unreadable", bundle, 0,
				     "%s: the cluster trust bundle (callbridge trust cluster) holds no certificate to check the peers against",
				     bundle);
		else
			report_check(r, REPORT_FAILURE, "callbridge.cluster_bundle_unreadable", bundle, 0,
				     "%s: the cluster trust bundle (callbridge trust cluster) cannot be read to check the peers: %.*s",
				     bundle, (int)clen, cause);
		report_remedy(r, "upload %s again with SFTP, or set another bundle with callbridge trust cluster <bundle>",
			      bundle);
		pki_file_free(bf);
		return MMP_ERR_RULE;
	}
	/* each certificate's names read once for a batch of peers (the
	 * setting may hold more than mmp writes when mmp.db was edited) */
	for (p = peers;; p += len + (p[len] == ' ')) {
		len = strcspn(p, " ");
		if (len > 0 && len < sizeof(list[batch])) {
			snprintf(list[batch], sizeof(list[batch]), "%.*s", (int)len, p);
			peer[batch] = list[batch];
			batch++;
			n++;
		}
		if (batch == PEERS_AT_ONCE || (p[len] == '\0' && batch > 0)) {
			pki_file_fqdn_matches(bf, peer, batch, exact, wild);
			for (k = 0; k < batch && exact[k] >= 0; k++)
				;
			/* the near misses, only when some peer is missing */
			if (k < batch)
				pki_file_fqdn_nears(bf, peer, batch, near, nw);
			for (k = 0; k < batch; k++)
				if (exact[k] < 0)
					peer_failure(bf, bundle, peer[k], wild[k], near[k], nw[k], fix_peers, r);
			batch = 0;
		}
		if (p[len] == '\0')
			break;
	}
	if (r->failures == before)
		report_check(r, REPORT_SUCCESS, "callbridge.peers_match", bundle, 0,
			     "every cluster peer is the exact FQDN of a certificate of %s (%zu peer%s, guide section 4.9)",
			     bundle, n, n == 1 ? "" : "s");
	pki_file_free(bf);
	return r->failures > before ? MMP_ERR_RULE : MMP_OK;
}

void svc_check_cluster_cn_only(const struct store *s, const char *bundle, struct report *r)
{
	struct pki_file *bf = NULL;
	struct mmp_err err;
	char cn[300];
	size_t i;

	mmp_err_clear(&err);
	if (pki_file_load(s, bundle, &bf, &err) != MMP_OK)
		return; /* the trust checks say why */
	for (i = 0; i < pki_file_cert_count(bf); i++) {
		if (!pki_cert_cn_only(bf, i, cn, sizeof(cn)))
			continue;
		report_check(r, REPORT_WARNING, "callbridge.cluster_cn_only", bundle, (int)i + 1,
			     "%s: certificate %zu holds %s only in its CN, without a DNS name in subjectAltName, and a cluster peer of that name does not match it (guide section 4.9: the exact FQDN on the Web Admin certificate; RFC 6125 section 6.4.4: TLS clients match subjectAltName only)",
			     bundle, i + 1, cn);
		report_remedy(r, "have that Call Bridge's Web Admin certificate issued again with DNS:%s in its subjectAltName (pki csr appends the CN to it), then put it in the cluster bundle",
			      cn);
	}
	pki_file_free(bf);
}
