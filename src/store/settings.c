/*
 * settings.c: the list of settings the config store keeps (SPEC §7): each
 * key's type, and for file-valued keys the service that uses the file and
 * the command that frees it (SPEC §4 "files in use").
 */
#include <string.h>

#include "settings.h"

#define FILE_SETTING(k, svc, freed) { k, CFG_FILE, svc, freed }
#define PLAIN(k, t) { k, t, NULL, NULL }

static const struct cfg_setting settings[] = {
	PLAIN("hostname", CFG_STR),
	PLAIN("user.max_failed_logins", CFG_STR), /* issue 4: user rule max_failed_logins */
	PLAIN("user.audit_max_rows", CFG_STR), /* issue 10: user rule audit_max_rows */
	PLAIN("pki.alarm_days", CFG_STR), /* issue 14: pki alarms <days>... */
	/* callbridge (guide §4.4, §4.9, Appendix D.2) */
	PLAIN("callbridge.listen", CFG_STR),
	PLAIN("callbridge.prefer", CFG_STR),
	FILE_SETTING("callbridge.key", "callbridge", "callbridge certs none"),
	FILE_SETTING("callbridge.crt", "callbridge", "callbridge certs none"),
	FILE_SETTING("callbridge.bundle", "callbridge", "callbridge certs none"),
	FILE_SETTING("callbridge.trust.c2w", "callbridge", "callbridge trust c2w none"),
	FILE_SETTING("callbridge.trust.cluster", "callbridge", "callbridge trust cluster none"),
	FILE_SETTING("callbridge.trust.edge", "callbridge", "callbridge del edge"),
	PLAIN("callbridge.edge", CFG_STR),
	PLAIN("callbridge.cluster.peers", CFG_STR), /* issue 15: FQDNs, guide §4.9 */
	/* webbridge3 (Appendix D.1) */
	PLAIN("webbridge3.enabled", CFG_BOOL),
	PLAIN("webbridge3.https.listen", CFG_STR),
	FILE_SETTING("webbridge3.https.key", "webbridge3", "webbridge3 https certs none"),
	FILE_SETTING("webbridge3.https.crt", "webbridge3", "webbridge3 https certs none"),
	PLAIN("webbridge3.https.names", CFG_STR), /* issue 15: the join names, guide §3.1.2 */
	PLAIN("webbridge3.http_redirect", CFG_STR),
	PLAIN("webbridge3.c2w.listen", CFG_STR),
	FILE_SETTING("webbridge3.c2w.key", "webbridge3", "webbridge3 c2w certs none"),
	FILE_SETTING("webbridge3.c2w.crt", "webbridge3", "webbridge3 c2w certs none"),
	PLAIN("webbridge3.c2w.names", CFG_STR), /* issue 15: c2w:// hosts, guide §4.5 */
	FILE_SETTING("webbridge3.c2w.trust", "webbridge3", "webbridge3 c2w trust none"),
	PLAIN("webbridge3.options", CFG_STR),
	/* turn (§4.6) */
	PLAIN("turn.enabled", CFG_BOOL),
	FILE_SETTING("turn.key", "turn", "turn certs none"),
	FILE_SETTING("turn.crt", "turn", "turn certs none"),
	FILE_SETTING("turn.bundle", "turn", "turn certs none"),
	PLAIN("turn.listen", CFG_STR),
	PLAIN("turn.tls", CFG_STR),
	PLAIN("turn.user", CFG_STR),
	/* RFC 8489 9.2.2: MD5(user:realm:password) in hex, never the password */
	PLAIN("turn.key_md5", CFG_SECRET),
	/* the password in clear, as mmp before issue 10 kept it: only read to
	 * warn (turn) and removed (turn credentials) */
	PLAIN("turn.password", CFG_SECRET),
	PLAIN("turn.realm", CFG_STR),
	PLAIN("turn.public_ip", CFG_STR),
	PLAIN("turn.names", CFG_STR), /* issue 15: the names browsers use, guide §4.6 */
	/* tls (§4.8) */
	FILE_SETTING("tls.sip.trust", "tls sip", "tls sip trust none"),
	PLAIN("tls.sip.verify", CFG_STR),
	PLAIN("tls.sip.min_tls_version", CFG_STR),
	FILE_SETTING("tls.ldap.trust", "tls ldap", "tls ldap trust none"),
	PLAIN("tls.ldap.verify", CFG_STR),
	PLAIN("tls.ldap.min_tls_version", CFG_STR),
	/* meetingapps (§4.7) */
	PLAIN("meetingapps.enabled", CFG_BOOL),
	PLAIN("meetingapps.https.listen", CFG_STR),
	FILE_SETTING("meetingapps.https.key", "meetingapps", "meetingapps https certs none"),
	FILE_SETTING("meetingapps.https.crt", "meetingapps", "meetingapps https certs none"),
	/* database cluster (§3.1.4, §5.3) */
	FILE_SETTING("database.server_key", "database cluster", "database cluster remove"),
	FILE_SETTING("database.server_crt", "database cluster", "database cluster remove"),
	FILE_SETTING("database.client_key", "database cluster", "database cluster remove"),
	FILE_SETTING("database.client_crt", "database cluster", "database cluster remove"),
	FILE_SETTING("database.ca_crt", "database cluster", "database cluster remove"),
	PLAIN("database.localnode", CFG_STR),
	PLAIN("database.state", CFG_STR),
	PLAIN("database.peer", CFG_STR),
	{ NULL, 0, NULL, NULL },
};

const struct cfg_setting *cfg_setting_find(const char *key)
{
	const struct cfg_setting *s;

	for (s = settings; s->key != NULL; s++)
		if (strcmp(s->key, key) == 0)
			return s;
	return NULL;
}

const struct cfg_setting *cfg_settings(void)
{
	return settings;
}
