/*
 * cmd_callbridge.c: the callbridge family (guide §4.4, §4.4.1, §4.9,
 * Appendix D.2; SPEC §7): listen interfaces, certificates, trust stores,
 * the edge, the cluster peers (guide §4.9, issue 15), and restart with its
 * checks.
 */
#include <string.h>
#include <strings.h>

#include "mmp/health.h"
#include "svcutil.h"

/* guide §2.1 Tables 2-3 and note: client and server, digitalSignature */
static const struct svc_certs_rule cb_rule = {
	"callbridge", PKI_ROLE_SERVER | PKI_ROLE_CLIENT, 1, 0, NULL,
};
static const char *const cb_keys[3] = { "callbridge.key", "callbridge.crt", "callbridge.bundle" };

int cmd_callbridge(struct mmp_session *ss, int argc, char **argv)
{
	static const struct show_row rows[] = {
		{ "Listening interfaces", "callbridge.listen", NULL },
		{ "Preferred interface", "callbridge.prefer", NULL },
		{ "Key file", "callbridge.key", NULL },
		{ "Certificate file", "callbridge.crt", NULL },
		{ "CA Bundle file", "callbridge.bundle", NULL },
		{ "C2W trusted certs", "callbridge.trust.c2w", NULL },
		{ "Cluster trusted certs", "callbridge.trust.cluster", NULL },
		{ "Cluster peers", "callbridge.cluster.peers", NULL },
		{ "Edge trusted certs", "callbridge.trust.edge", NULL },
		{ "Edge address", "callbridge.edge", NULL },
		{ NULL, NULL, NULL },
	};

	json_t *d = res_data(ss), *certs = json_object(), *trust = json_object();

	(void)argc;
	(void)argv;
	json_object_set_new(d, "certs", certs);
	json_object_set_new(d, "trust", trust);
	if (cli_data_setting(ss, d, "listen", "callbridge.listen", CLI_DATA_LIST) != 0 ||
	    cli_data_setting(ss, d, "prefer", "callbridge.prefer", CLI_DATA_STR) != 0 ||
	    cli_data_setting(ss, certs, "key", "callbridge.key", CLI_DATA_STR) != 0 ||
	    cli_data_setting(ss, certs, "cert", "callbridge.crt", CLI_DATA_STR) != 0 ||
	    cli_data_setting(ss, certs, "bundle", "callbridge.bundle", CLI_DATA_STR) != 0 ||
	    cli_data_setting(ss, trust, "c2w", "callbridge.trust.c2w", CLI_DATA_STR) != 0 ||
	    cli_data_setting(ss, trust, "cluster", "callbridge.trust.cluster", CLI_DATA_STR) != 0 ||
	    cli_data_setting(ss, trust, "edge", "callbridge.trust.edge", CLI_DATA_STR) != 0 ||
	    cli_data_setting(ss, d, "edge", "callbridge.edge", CLI_DATA_STR) != 0 ||
	    cli_data_setting(ss, d, "cluster_peers", "callbridge.cluster.peers", CLI_DATA_LIST) != 0)
		return 1;
	return cli_show(ss, rows);
}

/* Is the interface letter of iface among the words of list ("a c")? */
static int iface_in(const char *list, const char *iface)
{
	size_t wl;

	for (; *list != '\0'; list += wl + (list[wl] == ' ')) {
		wl = strcspn(list, " ");
		if (wl == 1 && list[0] == iface[0])
			return 1;
	}
	return 0;
}

/* The preferred interface is one the Call Bridge listens on (guide
 * Appendix D.2: "listen <interface allowed list>", "prefer <interface>"):
 * a new list keeps it. */
int cmd_callbridge_listen(struct mmp_session *ss, int argc, char **argv)
{
	char list[64], prefer[8], fix[CLI_REMEDY_MAX], cmd[96], remedy[CLI_REMEDY_MAX + 128];
	int set;

	if (cli_parse_ifaces(ss, argc, argv, 0, list, sizeof(list)) != 0 ||
	    (set = cli_get(ss, "callbridge.prefer", prefer, sizeof(prefer))) < 0)
		return 1;
	if (set == 1 && prefer[0] != '\0' && !iface_in(list, prefer)) {
		/* the way out: listen on both, move the preference, then drop it */
		snprintf(cmd, sizeof(cmd), "callbridge listen %s %.1s", list, prefer);
		snprintf(remedy, sizeof(remedy), "%s, then callbridge prefer %c, then callbridge listen %s; nothing was changed",
			 cli_remedy(ss, "run", cmd, "", fix, sizeof(fix)), list[0], list);
		res_check(ss, REPORT_FAILURE, "callbridge.prefer_not_listening", NULL, 0, remedy,
			  "callbridge listen %s: the preferred interface %.1s would not be among the listening interfaces",
			  list, prefer);
		return 1;
	}
	if (cli_set(ss, "callbridge.listen", list) != 0)
		return 1;
	json_object_set_new(res_data(ss), "listen", cli_words_json(list));
	cli_confirm(ss, "callbridge listen", "%s", list);
	return 0;
}

int cmd_callbridge_prefer(struct mmp_session *ss, int argc, char **argv)
{
	char one[8], list[CFG_VALUE_MAX + 1], fix[CLI_REMEDY_MAX], cmd[96], remedy[CLI_REMEDY_MAX + 64];
	int set;

	if (cli_parse_ifaces(ss, argc, argv, 0, one, sizeof(one)) != 0 ||
	    (set = cli_get(ss, "callbridge.listen", list, sizeof(list))) < 0)
		return 1;
	if (set != 1 || list[0] == '\0') {
		snprintf(remedy, sizeof(remedy), "%s; nothing was changed",
			 cli_remedy_cmd(ss, "callbridge listen <interface allowed list>", fix, sizeof(fix)));
		res_check(ss, REPORT_FAILURE, "service.no_listen", NULL, 0, remedy,
			  "callbridge prefer %s: the Call Bridge listens on no interface yet", one);
		return 1;
	}
	if (!iface_in(list, one)) {
		snprintf(cmd, sizeof(cmd), "callbridge listen %.16s %s", list, one);
		snprintf(remedy, sizeof(remedy), "prefer one of them, or %s; nothing was changed",
			 cli_remedy_cmd(ss, cmd, fix, sizeof(fix)));
		res_check(ss, REPORT_FAILURE, "callbridge.prefer_not_listening", NULL, 0, remedy,
			  "callbridge prefer %s: the Call Bridge listens on %s only", one, list);
		return 1;
	}
	if (cli_set(ss, "callbridge.prefer", one) != 0)
		return 1;
	json_object_set_new(res_data(ss), "prefer", json_string(one));
	cli_confirm(ss, "callbridge prefer", "%s", one);
	return 0;
}

/* An FQDN hostname on the new certificate: a WARNING (issue 15). */
static void hostname_of(struct mmp_session *ss, const char *crt, struct report *r)
{
	cli_check_hostname(ss, 0, crt, r);
}

int cmd_callbridge_certs(struct mmp_session *ss, int argc, char **argv)
{
	return cli_install_certs_more(ss, &cb_rule, cb_keys, "callbridge certs", argv[0], argv[1],
				      argc > 2 ? argv[2] : NULL, hostname_of);
}

int cmd_callbridge_certs_none(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_clear_certs(ss, cb_keys, "callbridge certs");
}

int cmd_callbridge_trust_c2w(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	return cli_set_trust(ss, "callbridge", "callbridge.trust.c2w", argv[0]);
}

/* guide §4.9: with a cluster trust bundle, each peer must be the exact
 * FQDN on a Web Admin certificate of it (svc_check_cluster_peers); no
 * peers set: nothing to check. */
static void peers_check(struct mmp_session *ss, const char *bundle, const char *peers,
			struct report *r)
{
	char use[CLI_REMEDY_MAX], fix[CLI_REMEDY_MAX + 32];

	snprintf(fix, sizeof(fix), "correct the peer's FQDN (%s)",
		 cli_remedy_use(ss, "callbridge cluster peers", use, sizeof(use)));
	(void)svc_check_cluster_peers(ss->store, bundle, peers, fix, r);
}

static void cluster_peers_check(struct mmp_session *ss, const char *bundle, struct report *r)
{
	char peers[CFG_VALUE_MAX + 1];

	if (cli_get(ss, "callbridge.cluster.peers", peers, sizeof(peers)) == 1 && peers[0] != '\0')
		peers_check(ss, bundle, peers, r);
}

/* callbridge trust cluster: a leaf named only by its CN warns, then the
 * peers are checked */
static void cluster_trust_check(struct mmp_session *ss, const char *bundle, struct report *r)
{
	svc_check_cluster_cn_only(ss->store, bundle, r);
	cluster_peers_check(ss, bundle, r);
}

int cmd_callbridge_trust_cluster(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	return cli_set_trust_more(ss, "callbridge", "callbridge.trust.cluster", argv[0],
				  cluster_trust_check);
}

int cmd_callbridge_trust_edge(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	return cli_set_trust(ss, "callbridge", "callbridge.trust.edge", argv[0]);
}

int cmd_callbridge_add_edge(struct mmp_session *ss, int argc, char **argv)
{
	char shown[CLI_SHOWN_MAX];
	char ip[64];
	const char *colon = strrchr(argv[0], ':');
	long port;

	(void)argc;
	if (colon == NULL || (size_t)(colon - argv[0]) >= sizeof(ip)) {
		res_check(ss, REPORT_FAILURE, "address.invalid", NULL, 0, NULL,
			  "\"%s\" is not <ip address>:<port>, e.g. 192.0.2.10:5061", SHOWN(argv[0]));
		return 1;
	}
	snprintf(ip, sizeof(ip), "%.*s", (int)(colon - argv[0]), argv[0]);
	if (!cli_is_ip(ip)) {
		res_check(ss, REPORT_FAILURE, "address.invalid", NULL, 0,
			  "write it like 192.0.2.10:5061", "\"%s\" is not an IP address", SHOWN(ip));
		return 1;
	}
	if (cli_parse_port(ss, "the edge port", colon + 1, &port) != 0)
		return 1;
	if (cli_set(ss, "callbridge.edge", argv[0]) != 0)
		return 1;
	json_object_set_new(res_data(ss), "edge", report_str(argv[0]));
	cli_confirm(ss, "callbridge edge", "%s", argv[0]);
	return 0;
}

int cmd_callbridge_del_edge(struct mmp_session *ss, int argc, char **argv)
{
	static const char *const keys[] = { "callbridge.edge", "callbridge.trust.edge", NULL };

	(void)argc;
	(void)argv;
	if (cli_clear(ss, keys, "callbridge edge") != 0)
		return 1;
	json_object_set_new(res_data(ss), "edge", json_null());
	return 0;
}

/* guide §4.4 step 3: "SUCCESS: listen interface configured", then the
 * certificate checks. */
int cmd_callbridge_restart(struct mmp_session *ss, int argc, char **argv)
{
	struct report r;
	char buf[64], bundle[CFG_VALUE_MAX + 1], crt[CFG_VALUE_MAX + 1];
	size_t before;
	int rc;

	(void)argc;
	(void)argv;
	report_init(&r);
	if (cli_get(ss, "callbridge.listen", buf, sizeof(buf)) == 1)
		report_check(&r, REPORT_SUCCESS, "service.listen_set", NULL, 0,
			     "listen interface configured");
	else {
		report_check(&r, REPORT_FAILURE, "service.no_listen", NULL, 0, "no listen interface");
		report_remedy(&r, "use callbridge listen <interface>");
	}
	before = r.failures;
	cli_recheck_certs(ss, &cb_rule, cb_keys, "callbridge certs <key-file> <crt-file> [<cert-bundle>]",
			  &r);
	if (r.failures == before && cli_get(ss, "callbridge.crt", crt, sizeof(crt)) == 1)
		cli_check_hostname(ss, 0, crt, &r);
	if (cli_get(ss, "callbridge.trust.cluster", bundle, sizeof(bundle)) == 1)
		cluster_peers_check(ss, bundle, &r);
	/* issue 14: this node's own Web Bridge 3 C2W would refuse or be refused
	 * (a WARNING: the Web Bridge 3 it talks to may be another node's) */
	(void)svc_health_pair(ss->store, ss->cfg, SVC_HEALTH_C2W, NULL, 1, 1, &r, NULL);
	rc = cli_finish_enable(ss, "callbridge", &r);
	report_free(&r);
	return rc;
}

int cmd_callbridge_trust_c2w_none(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_set_trust_none(ss, "callbridge.trust.c2w");
}

int cmd_callbridge_trust_cluster_none(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_set_trust_none(ss, "callbridge.trust.cluster");
}

/* Peers a Call Bridge may list: mmp's own bound, well above the size of a
 * cluster (every node, itself too), so that a pasted inventory is caught;
 * their names together also fit the setting (CFG_VALUE_MAX bytes). */
#define CB_PEERS_MAX 32

/* The words of argv as peer FQDNs (pki_fqdn_check) joined by blanks into
 * list; a FAILURE for each word that is not one, or named twice. 0 or 1. */
static int parse_peers(struct mmp_session *ss, int argc, char **argv, char *list, size_t size)
{
	char shown[CLI_SHOWN_MAX], fqdn[PKI_FQDN_MAX + 2], prev[PKI_FQDN_MAX + 2];
	const char *why, *p;
	size_t at = 0, len;
	int i, bad = 0;

	list[0] = '\0';
	if (argc > CB_PEERS_MAX) {
		res_check(ss, REPORT_FAILURE, "callbridge.peers_too_many", NULL, 0,
			  "give the FQDNs of the Call Bridges of one cluster; nothing was changed",
			  "callbridge cluster peers: %d peers given, and mmp keeps at most %d", argc,
			  CB_PEERS_MAX);
		return 1;
	}
	for (i = 0; i < argc; i++) {
		if (!pki_fqdn_check(argv[i], fqdn, sizeof(fqdn), &why)) {
			res_check(ss, REPORT_FAILURE, "callbridge.peer_invalid", NULL, 0,
				  "write the FQDN on that peer's Web Admin certificate, e.g. cb1.example.com; nothing was changed",
				  "\"%s\" is not a Call Bridge peer's FQDN: %s", SHOWN(argv[i]), why);
			bad = 1;
			continue;
		}
		/* named twice, in any case (RFC 4343: DNS names ignore it) */
		for (p = list; *p != '\0'; p += len + (p[len] == ' ')) {
			len = strcspn(p, " ");
			snprintf(prev, sizeof(prev), "%.*s", (int)len, p);
			if (strcasecmp(prev, fqdn) == 0)
				break;
		}
		if (*p != '\0') {
			res_check(ss, REPORT_FAILURE, "callbridge.peer_twice", NULL, 0,
				  "name each peer once; nothing was changed",
				  "callbridge cluster peers: %s is given twice (as %s)", fqdn, prev);
			bad = 1;
			continue;
		}
		if (at + strlen(fqdn) + 2 > size) {
			res_check(ss, REPORT_FAILURE, "callbridge.peers_too_long", NULL, 0,
				  "give fewer peers; nothing was changed",
				  "callbridge cluster peers: the names are longer than the %zu characters the setting holds",
				  size - 1);
			return 1;
		}
		at += (size_t)snprintf(list + at, size - at, "%s%s", at > 0 ? " " : "", fqdn);
	}
	return bad;
}

/* guide §4.9: `callbridge cluster peers <fqdn>...` records the peers of the
 * cluster; with a cluster trust bundle set, each must be the exact FQDN of
 * one of its certificates, or nothing is changed. */
static int cmd_callbridge_cluster_peers(struct mmp_session *ss, int argc, char **argv)
{
	char list[CFG_VALUE_MAX + 1], bundle[CFG_VALUE_MAX + 1];
	struct report r;
	int set, rc = 0;

	if (parse_peers(ss, argc, argv, list, sizeof(list)) != 0 ||
	    (set = cli_get(ss, "callbridge.trust.cluster", bundle, sizeof(bundle))) < 0)
		return 1;
	if (set == 1) {
		report_init(&r);
		peers_check(ss, bundle, list, &r);
		cmd_print_report(ss, &r);
		rc = r.failures > 0;
		report_free(&r);
		if (rc != 0) {
			res_check(ss, REPORT_FAILURE, "callbridge.peers_not_changed", NULL, 0, NULL,
				  "callbridge cluster peers not changed");
			return 1;
		}
	}
	if (cli_set(ss, "callbridge.cluster.peers", list) != 0)
		return 1;
	json_object_set_new(res_data(ss), "cluster_peers", cli_words_json(list));
	json_object_set_new(res_data(ss), "cluster_bundle", set == 1 ? report_str(bundle) : json_null());
	cli_confirm(ss, "callbridge cluster peers", "%s", list);
	return 0;
}

static int cmd_callbridge_cluster_peers_none(struct mmp_session *ss, int argc, char **argv)
{
	static const char *const keys[] = { "callbridge.cluster.peers", NULL };

	(void)argc;
	(void)argv;
	if (cli_clear(ss, keys, "callbridge cluster peers") != 0)
		return 1;
	json_object_set_new(res_data(ss), "cluster_peers", json_null());
	json_object_set_new(res_data(ss), "cluster_bundle", json_null());
	return 0;
}

static const struct res_field cb_trust_fields[] = {
	{ "c2w", RES_STR, RES_NULLABLE, NULL, "the C2W trust bundle, null when unset" },
	{ "cluster", RES_STR, RES_NULLABLE, NULL, "the cluster trust bundle, null when unset" },
	{ "edge", RES_STR, RES_NULLABLE, NULL, "the edge trust bundle, null when unset" },
	{ NULL, 0, 0, NULL, NULL },
};
/* callbridge: every row of the display, as typed fields */
static const struct res_field cb_show_result[] = {
	{ "listen", RES_LIST, RES_NULLABLE, NULL, "the listening interfaces (a-d), null when unset" },
	{ "prefer", RES_STR, RES_NULLABLE, NULL, "the preferred interface, null when unset" },
	{ "certs", RES_OBJ, 0, cli_certs_fields, "the key, certificate and CA bundle files" },
	{ "trust", RES_OBJ, 0, cb_trust_fields, "the trust bundles" },
	{ "edge", RES_STR, RES_NULLABLE, NULL, "the edge address <ip>:<port>, null when unset" },
	{ "cluster_peers", RES_LIST, RES_NULLABLE, NULL,
	  "the FQDNs of the Call Bridge cluster's peers (guide 4.9), null when unset" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field cb_peers_result[] = {
	{ "cluster_peers", RES_LIST, RES_NULLABLE, NULL,
	  "the peers' FQDNs now set (A-label form), null when removed" },
	{ "cluster_bundle", RES_STR, RES_NULLABLE, NULL,
	  "the cluster trust bundle every peer was found in, null when none is set (nothing checked)" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field cb_listen_result[] = {
	{ "listen", RES_LIST, 0, NULL, "the interfaces the Call Bridge now listens on" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field cb_prefer_result[] = {
	{ "prefer", RES_STR, 0, NULL, "the preferred interface now set" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field cb_edge_result[] = {
	{ "edge", RES_STR, RES_NULLABLE, NULL, "the edge address now set, null when removed" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct mmp_cmd cmd_callbridge_table[] = {
	/* usage lines in the order of guide Appendix D.2 */
	{ "callbridge", "callbridge", "Show the Call Bridge configuration",
	  0, 0, ROLES_ALL, 0, { 0 }, cmd_callbridge, cb_show_result },
	{ "callbridge listen", "callbridge listen <interface allowed list>",
	  "Set the interfaces (a-d) the Call Bridge listens on",
	  1, 4, ROLES_CFG, W_SET, { COMPLETE_IFACE, COMPLETE_IFACE, COMPLETE_IFACE }, cmd_callbridge_listen, cb_listen_result },
	{ "callbridge prefer", "callbridge prefer <interface>", "Set the preferred interface",
	  1, 1, ROLES_CFG, W_SET, { COMPLETE_IFACE }, cmd_callbridge_prefer, cb_prefer_result },
	{ "callbridge certs", "callbridge certs <key-file> <crt-file> [<cert-bundle>]",
	  "Check and install the Call Bridge key, certificate and CA bundle (guide 4.4)",
	  2, 3, ROLES_PKI, W_SET, { COMPLETE_KEY, COMPLETE_CERT, COMPLETE_CERT }, cmd_callbridge_certs, cli_certs_result },
	{ "callbridge certs none", "callbridge certs none", "Remove the Call Bridge certificates",
	  0, 0, ROLES_PKI, W_SET, { 0 }, cmd_callbridge_certs_none, cli_certs_result },
	{ "callbridge trust c2w", "callbridge trust c2w <bundle>",
	  "Trust store for the Web Bridge 3 C2W certificates (Appendix D.2)",
	  1, 1, ROLES_PKI, W_SET, { COMPLETE_CERT }, cmd_callbridge_trust_c2w, cli_trust_result },
	{ "callbridge trust c2w none", "callbridge trust c2w none", "Remove the C2W trust store",
	  0, 0, ROLES_PKI, W_SET, { 0 }, cmd_callbridge_trust_c2w_none, cli_trust_result },
	{ "callbridge add edge", "callbridge add edge <ip address>:<port>", "Set the edge address",
	  1, 1, ROLES_CFG, W_SET, { 0 }, cmd_callbridge_add_edge, cb_edge_result },
	{ "callbridge del edge", "callbridge del edge", "Remove the edge address and its trust",
	  0, 0, ROLES_CFG, W_SET, { 0 }, cmd_callbridge_del_edge, cb_edge_result },
	{ "callbridge trust edge", "callbridge trust edge <trusted edge certificate bundle>",
	  "Trust store for the edge certificates",
	  1, 1, ROLES_PKI, W_SET, { COMPLETE_CERT }, cmd_callbridge_trust_edge, cli_trust_result },
	{ "callbridge trust cluster none", "callbridge trust cluster none",
	  "Remove the cluster trust store", 0, 0, ROLES_PKI, W_SET, { 0 }, cmd_callbridge_trust_cluster_none, cli_trust_result },
	{ "callbridge trust cluster", "callbridge trust cluster <trusted cluster certificate bundle>",
	  "Trust store of the Web Admin certificates of the clustered Call Bridges (guide 4.9)",
	  1, 1, ROLES_PKI, W_SET, { COMPLETE_CERT }, cmd_callbridge_trust_cluster, cli_trust_result },
	{ "callbridge cluster peers none", "callbridge cluster peers none",
	  "Remove the Call Bridge cluster peers", 0, 0, ROLES_CFG, W_SET, { 0 },
	  cmd_callbridge_cluster_peers_none, cb_peers_result },
	{ "callbridge cluster peers", "callbridge cluster peers <fqdn> [<fqdn>...]",
	  "Set the FQDNs of the cluster's Call Bridges, each the exact name on its Web Admin certificate (guide 4.9)",
	  1, -1, ROLES_CFG, W_SET, { 0 }, cmd_callbridge_cluster_peers, cb_peers_result },
	{ "callbridge restart", "callbridge restart", "Check the configuration and restart the Call Bridge",
	  0, 0, ROLES_CFG, 0, { 0 }, cmd_callbridge_restart, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, 0, { 0 }, NULL, NULL },
};
