/*
 * svc.h: what each service requires of the keys, certificates and bundles
 * it is given (SPEC §6, guide §2.1, §2.2, §3.1.4, §4, Appendix D). The
 * service commands call these before they change a setting.
 */
#ifndef MMP_SVC_H
#define MMP_SVC_H

#include "mmp/config.h"
#include "mmp/pki.h"
#include "mmp/report.h"
#include "mmp/store.h"

struct svc_certs_rule {
	const char *service;   /* "callbridge", shown in messages */
	unsigned roles;        /* PKI_ROLE_SERVER and/or PKI_ROLE_CLIENT */
	int digital_signature; /* KeyUsage digitalSignature (guide §2.1 note) */
	int fullchain;         /* the certificate file is leaf..root (Appendix D.1) */
	const char *cn;        /* the exact CN required, or NULL (§3.1.4: "postgres") */
};

#define SVC_EXPIRY_WARN_DAYS 30

/* Check a key and certificate (and bundle, may be NULL) for installation:
 * file types (certificates only: a private key or CSR beside them is a
 * FAILURE, a CRL a WARNING), key unlocked, key and certificate match, role
 * and KeyUsage, full-chain order, the bundle chains the certificate and is
 * in order, validity (FAILURE when expired or not yet valid, WARNING
 * within 30 days), the CN. One line per check into r, FAILURE for each
 * that fails; `SUCCESS: Key and certificate pair match` when they match
 * (guide §4.4). One cause, one line: a certificate OpenSSL cannot use
 * (pki_rule_wellformed) is said once and its other checks are skipped; a
 * full chain is checked from the leaf found in it, whatever its order.
 * Returns MMP_OK or MMP_ERR_RULE when r has a FAILURE. */
enum mmp_rc svc_check_certs(const struct store *s, const struct svc_certs_rule *rule,
			    const char *key, const char *crt, const char *bundle, struct report *r);

/* svc_check_certs(), the match line naming the pair: pair "server" gives
 * "SUCCESS: Key and certificate pair match (server: a.key, a.crt)" (the
 * database cluster has two pairs, guide §3.1.4). pair NULL: no name. */
enum mmp_rc svc_check_certs_pair(const struct store *s, const struct svc_certs_rule *rule,
				 const char *key, const char *crt, const char *bundle,
				 const char *pair, struct report *r);

/* Check a trust bundle (SPEC §6): certificates only, PEM or DER (no
 * private key or CSR; a CRL warns); CA certificates or pinned leaf
 * certificates (§4.9); each usable by OpenSSL; none expired. */
enum mmp_rc svc_check_trust(const struct store *s, const char *service, const char *bundle,
			    struct report *r);

/* guide §4.9 (from CMS 3.4): with `callbridge trust cluster` set, "the
 * peers configured on the clustering must match the exact FQDN on its
 * corresponding Web Admin certificate" or the cluster fails. peers is the
 * setting callbridge.cluster.peers ("cb1.example.com cb2.example.com",
 * pki_fqdn_check's form). Into r: a FAILURE per peer no certificate of
 * bundle holds exactly (pki_cert_fqdn_match), naming the peer, the DNS
 * names each certificate holds (the first 8) and the remedy
 * ("add <peer>'s Web Admin certificate to the cluster bundle, or
 * <fix_peers>"; fix_peers is the caller's words for the other way out, as
 * the session's role may take it: "correct the peer's FQDN with callbridge
 * cluster peers") (callbridge.peer_not_in_bundle; when a certificate holds
 * the peer only with a final dot or only in its CN, pki_file_fqdn_near,
 * the line names that certificate and its cause, and the remedy the pki
 * csr line that asks for it again; callbridge.
 * peer_wildcard_only when only a wildcard covers it); a FAILURE when
 * bundle cannot be read or holds no certificate (callbridge.
 * cluster_bundle_unreadable); else one SUCCESS line (callbridge.
 * peers_match). MMP_OK or MMP_ERR_RULE. */
enum mmp_rc svc_check_cluster_peers(const struct store *s, const char *bundle, const char *peers,
				    const char *fix_peers, struct report *r);

/* guide §4.9: a WARNING callbridge.cluster_cn_only for each leaf of the
 * cluster trust bundle that names its host only in the CN
 * (pki_cert_cn_only): a peer of that name does not match it (RFC 6125
 * section 6.4.4). Nothing when bundle cannot be read (svc_check_trust says
 * why). */
void svc_check_cluster_cn_only(const struct store *s, const char *bundle, struct report *r);

/* The names a service is reached by (issue 15), and what is said when its
 * certificate lacks one. */
struct svc_names_use {
	const char *setting;   /* the command that sets the names: "webbridge3 https names" */
	const char *certs_cmd; /* the command that installs the certificate */
	const char *refuses;   /* what fails without the name, with the guide's section:
				* "browsers that reach Web Bridge 3 by that name refuse ..." */
	enum report_kind miss; /* REPORT_FAILURE, or REPORT_WARNING (the hostname: a
				* shared certificate may name only the domain) */
	const char *code;      /* the code of a name the certificate lacks */
	int keep_names;        /* the remedy's CSR keeps the certificate's own names
				* and adds the missing one (the hostname); else it
				* asks for exactly the names of the setting */
};

/* Does the leaf (first certificate) of crt hold each of names (a setting's
 * words, pki_name_canonical's forms, blank-separated)? pki_name_check on
 * each (RFC 6125 section 6: subjectAltName only; the CN only without one,
 * then its WARNING name.cn_only; a wildcard as the whole left-most label;
 * an IP address only against an IP entry): its SUCCESS (name.match) or
 * WARNING line into r as it gives them; for a name the leaf does not hold,
 * a line of kind use->miss with use->code naming the file, the name and
 * the entries the certificate has (pki_name_check's words), then what
 * fails (use->refuses), and the remedy "pki csr <crt base>-new CN:<first>
 * subjectAltName:<others> makes a key and CSR for a certificate that holds
 * every name (...), or <fix_names>" (fix_names: the caller's words, as the
 * session's role may take them). A crt that cannot be read: one WARNING
 * names.not_checked (its own checks say why). MMP_OK, or MMP_ERR_RULE when
 * a FAILURE was added. */
enum mmp_rc svc_check_names(const struct store *s, const char *crt, const char *names,
			    const struct svc_names_use *use, const char *fix_names,
			    struct report *r);

/* guide §3.1.4 CAUTION: the database cluster's CA is dedicated. A FAILURE
 * line for each of the files (NULL-terminated list) that holds the cluster
 * CA's certificate or a certificate it signed, when a database CA is set. */
enum mmp_rc svc_check_not_db_ca(const struct store *s, struct cfg *c, const char *service,
				const char *const *files, struct report *r);

/* pki sign <csr_base> <ca_base> with the database cluster's CA (guide
 * §3.1.4 CAUTION: dedicated): MMP_ERR_RULE, err naming another CA to use,
 * when <ca_base>.crt is the CA set as database.ca_crt or one it signed and
 * the CSR is not the cluster's own (the client's CN postgres, the CN of
 * the server certificate set, or the basename of a cluster file set:
 * renewing them stays allowed). MMP_OK when no cluster CA is set. */
enum mmp_rc svc_check_sign_ca(const struct store *s, struct cfg *c, const char *csr_base,
			      const char *ca_base, struct mmp_err *err);

/* A certificate installed without a bundle (guide §4.4, §1.2.4): a
 * WARNING into r when its issuer is an intermediate CA found among the
 * store's files, or is not found there (it may be one); nothing when the
 * certificate is self-signed, its issuer is a root, or the file holds its
 * issuer. peers: who needs the chain ("SIP and Lync peers"); cmd: the
 * command to give the bundle with ("callbridge certs"). */
void svc_warn_no_bundle(const struct store *s, const char *peers, const char *key,
			const char *crt, const char *cmd, struct report *r);

#endif
