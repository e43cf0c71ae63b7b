/*
 * cmd_health.c: the health family (issue 14 item 4): `health [name:<fqdn>]`
 * proves with real TLS handshakes in memory that each pair of services of
 * this node that talk TLS can, and changes nothing (src/svc/health.c).
 */
#include <string.h>

#include "mmp/health.h"
#include "svcutil.h"

/* The first of the names set in key (webbridge3 https names, turn names;
 * issue 15) into buf; NULL when none is set. */
static const char *first_name(struct mmp_session *ss, const char *key, char *buf, size_t size)
{
	if (cli_get(ss, key, buf, size) != 1 || buf[0] == '\0')
		return NULL;
	buf[strcspn(buf, " ")] = '\0';
	return buf;
}

static int cmd_health(struct mmp_session *ss, int argc, char **argv)
{
	char shown[CLI_SHOWN_MAX], https_name[CFG_VALUE_MAX + 1], turn_name[CFG_VALUE_MAX + 1];
	char given[PKI_FQDN_MAX + 2];
	const char *host = NULL, *turn_host, *why;
	json_t *list, *pair;
	struct report r;
	int i, failed = 0, rc;

	if (argc == 1) {
		/* pki verify name:'s forms (pki_name_canonical): a DNS name, an
		 * internationalised one as its A-labels, a final dot dropped,
		 * or an IP address */
		if (strncmp(argv[0], "name:", 5) != 0 || argv[0][5] == '\0') {
			res_check(ss, REPORT_FAILURE, "health.name_invalid", NULL, 0,
				  "write health name:join.example.com",
				  "\"%s\" is not name:<fqdn>", SHOWN(argv[0]));
			return 1;
		}
		if (!pki_name_canonical(argv[0] + 5, given, sizeof(given), &why)) {
			res_check(ss, REPORT_FAILURE, "health.name_invalid", NULL, 0,
				  "give the name browsers reach Web Bridge 3 by, as health name:join.example.com",
				  "\"%s\" is not name:<fqdn>: %s", SHOWN(argv[0]), why);
			return 1;
		}
		host = given;
	} else { /* the first name set, as browsers would use it (issue 15) */
		host = first_name(ss, "webbridge3.https.names", https_name, sizeof(https_name));
	}
	turn_host = first_name(ss, "turn.names", turn_name, sizeof(turn_name));
	json_object_set_new(res_data(ss), "name", host != NULL ? report_str(host) : json_null());
	list = json_array();
	json_object_set_new(res_data(ss), "pairs", list);
	report_init(&r);
	for (i = 0; i < SVC_HEALTH_PAIRS; i++) {
		pair = NULL;
		/* the name users type is Web Bridge 3's; browsers reach TURN by
		 * its own name (guide §3.1.5): the first of turn names, if set */
		rc = svc_health_pair(ss->store, ss->cfg, (enum svc_health_pair_id)i,
				     i == SVC_HEALTH_HTTPS ? host : i == SVC_HEALTH_TURN ? turn_host : NULL,
				     0, 0, &r, &pair);
		if (rc < 0) {
			failed = 1;
			break;
		}
		failed |= rc;
		json_array_append_new(list, pair);
	}
	cmd_print_report(ss, &r);
	report_free(&r);
	return failed;
}

static const struct res_field health_pair_fields[] = {
	{ "name", RES_STR, 0, NULL, "the pair: c2w, database, https or turn" },
	{ "client", RES_STR, 0, NULL, "the client side, e.g. Call Bridge, browser" },
	{ "server", RES_STR, 0, NULL, "the server side, e.g. Web Bridge 3 C2W" },
	{ "configured", RES_BOOL, 0, NULL, "whether this node has the settings of both sides" },
	{ "missing", RES_LIST, 0, NULL, "what is not set when not configured (the commands that set it)" },
	{ "tls_versions", RES_LIST, 0, NULL, "the versions whose handshake succeeded: TLS 1.2, TLS 1.3" },
	{ "ok", RES_BOOL, 0, NULL, "false when a configured pair's handshake failed" },
	{ "refused_by", RES_STR, RES_NULLABLE, NULL, "the side that refused (its client or server), null when none did" },
	{ "reason", RES_STR, RES_NULLABLE, NULL,
	  "why it refused, or the WARNING of a browser pair that only an internal CA vouches for; null otherwise" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field health_result[] = {
	{ "name", RES_STR, RES_NULLABLE, NULL,
	  "the name checked against the Web Bridge 3 HTTPS pair: name:, else the first of webbridge3 https names; null when none" },
	{ "pairs", RES_LIST, 0, health_pair_fields, "each pair of services, in order" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct mmp_cmd cmd_health_table[] = {
	{ "health", "health [name:<fqdn>]",
	  "Prove with TLS 1.2 and 1.3 handshakes in memory that this node's services can talk, browsers by the first name set (changes nothing)",
	  0, 1, ROLES_ALL, 0, { 0 }, cmd_health, health_result },
	{ NULL, NULL, NULL, 0, 0, 0, 0, { 0 }, NULL, NULL },
};
