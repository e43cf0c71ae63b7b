/*
 * svcutil.h: what the service command families share: the display form
 * (aligned "Label : value" lines), interface and port lists, installing
 * certificates and trust bundles after the rules of SPEC §6, and the
 * enable/restart check lines.
 */
#ifndef MMP_CLI_SVCUTIL_H
#define MMP_CLI_SVCUTIL_H

#include "cli.h"
#include "mmp/config.h"
#include "mmp/svc.h"
#include "mmp/text.h"

/* One display line: label, and the setting whose value it shows (or a
 * fixed text in value when key is NULL). Secrets are never shown: a
 * CFG_SECRET setting shows "set" or "none". */
struct show_row {
	const char *label;
	const char *key;
	const char *value;
};

/* Print rows as "Label<pad> : value", "none" for unset; rows end with a
 * NULL label. Returns 0, or 1 (after a FAILURE line) if reading failed. */
int cli_show(struct mmp_session *ss, const struct show_row *rows);

/* Interfaces a..d (SPEC §7). Check a list of words such as "a b" (ports
 * 0: none allowed; 1: "if:port" required) into one space-separated value.
 * Prints a FAILURE that shows the bad word and returns -1 on error. */
int cli_parse_ifaces(struct mmp_session *ss, int argc, char **argv, int with_port, char *out,
		     size_t size);

/* Every TCP port opened on an interface (ports.c), as the settings hold
 * them: "if:port" lists, the redirect and TURN TLS ports alone. */
struct cli_ports {
	char https[CFG_VALUE_MAX + 1];
	char c2w[CFG_VALUE_MAX + 1];
	char redirect[8]; /* the http-redirect port, "" when disabled */
	char meetingapps[CFG_VALUE_MAX + 1];
	char turn_listen[CFG_VALUE_MAX + 1]; /* interfaces "a b" */
	char turn_tls[8];                    /* "" when unset */
};
enum cli_port_listener {
	CLI_PORT_C2W,
	CLI_PORT_HTTPS,
	CLI_PORT_REDIRECT,
	CLI_PORT_MEETINGAPPS,
	CLI_PORT_TURN_TLS,
};
/* Read every listener's setting into p. 0, or -1 after a FAILURE. */
int cli_load_ports(struct mmp_session *ss, struct cli_ports *p);
/* SPEC §7: a port on an interface serves one listener. p holds the new
 * values; changed has bit (1 << enum cli_port_listener) of each listener
 * the command changes. A FAILURE naming the changed listener first, both
 * words and the guide section (guide: "Appendix D.1", "section 4.6") when
 * two share a port; 0 or 1. */
int cli_check_ports(struct mmp_session *ss, const struct cli_ports *p, unsigned changed,
		    const char *guide);

/* Is s an IPv4 or IPv6 address? */
int cli_is_ip(const char *s);

/* A port 1..65535 from word; FAILURE naming what and the word (no line
 * when what is NULL: the caller prints its own). */
int cli_parse_port(struct mmp_session *ss, const char *what, const char *word, long *port);

/* Set (value) or unset (NULL) a setting; FAILURE on error. 0 or -1. */
int cli_set(struct mmp_session *ss, const char *key, const char *value);
/* Read a setting into buf ("" when unset); returns 1 set, 0 unset, -1 error. */
int cli_get(struct mmp_session *ss, const char *key, char *buf, size_t size);

/* Check key+certificate(+bundle) with svc_check_certs() and the dedicated
 * database CA rule, print every check line, and on success store the names
 * in keys[0..2] (bundle key may be NULL); cli_clear_certs() undoes it.
 * 0 or 1 (failed, nothing set). */
/* setting: the command's name of it ("callbridge certs"), for the
 * confirmation "callbridge certs set to cb.key cb.crt" and the bundle
 * warning's remedy; the answer's data is {"certs": {...}}
 * (cli_certs_result). */
int cli_install_certs(struct mmp_session *ss, const struct svc_certs_rule *rule,
		      const char *const keys[3], const char *setting, const char *key,
		      const char *crt, const char *bundle);

/* cli_install_certs() with a service's own check of the new certificate:
 * more runs after the certificate checks passed (one cause, one line),
 * adding its lines to r; a FAILURE among them refuses the files like the
 * others ("<service> certificates not changed"): the names the service is
 * reached by (issue 15). */
typedef void (*cli_certs_more_fn)(struct mmp_session *ss, const char *crt, struct report *r);
int cli_install_certs_more(struct mmp_session *ss, const struct svc_certs_rule *rule,
			   const char *const keys[3], const char *setting, const char *key,
			   const char *crt, const char *bundle, cli_certs_more_fn more);

/* ---- The names a service is reached by (svcnames.c, issue 15) ---- */

#define CLI_NAMES_MAX 8 /* names one setting keeps: a service's join name,
			 * the Expressway's, an IP address or two; more is a
			 * pasted list */

/* The words of argv as names (pki_name_canonical) joined by blanks into
 * list: at most CLI_NAMES_MAX (names.too_many), each a DNS name or an IP
 * address (names.invalid, the word shown escaped), none twice in its kept
 * form (names.twice), all fitting size (names.too_long). One FAILURE per
 * bad word, each saying "nothing was changed". 0 or 1. */
int cli_parse_names(struct mmp_session *ss, const char *setting, int argc, char **argv,
		    char *list, size_t size);

/* `<service> names <fqdn|ip>...`: parse, then, with a certificate set
 * (the setting crt_key), svc_check_names on it; a FAILURE refuses the
 * names ("<setting> not changed", names.not_changed, nothing written),
 * as callbridge cluster peers and the certs setters refuse. Else keep
 * them in names_key; data {"names", "cert"}; "<setting> set to ...". */
int cli_set_names(struct mmp_session *ss, const struct svc_names_use *use, const char *names_key,
		  const char *crt_key, int argc, char **argv);
/* `<service> names none`: unset names_key; data {"names": null, "cert": null}. */
int cli_set_names_none(struct mmp_session *ss, const struct svc_names_use *use,
		       const char *names_key);

/* svc_check_names of the names set in names_key on the certificate crt
 * (cli_check_names_of) or on the one set in crt_key (cli_check_names);
 * nothing when either is unset. For the certs setters and enable/restart. */
void cli_check_names_of(struct mmp_session *ss, const struct svc_names_use *use,
			const char *names_key, const char *crt, struct report *r);
void cli_check_names(struct mmp_session *ss, const struct svc_names_use *use,
		     const char *names_key, const char *crt_key, struct report *r);

/* When the hostname is an FQDN (has a dot): does crt (NULL: nothing) hold
 * it? svc_check_names with a WARNING name.hostname_missing (a shared
 * certificate may name only the domain); db: crt is the database server's
 * certificate (guide section 3.1.4), else the Call Bridge's. A one-label
 * hostname checks nothing. */
void cli_check_hostname(struct mmp_session *ss, int db, const char *crt, struct report *r);

extern const struct res_field cli_names_result[];

/* Unset the settings of keys (NULL-terminated) and confirm "<what> set to
 * none" (the caller puts the data). */
int cli_clear(struct mmp_session *ss, const char *const *keys, const char *what);

/* Unset the three certificate settings of keys[0..2] (keys[2] may be NULL)
 * and confirm "<what> set to none": the companion of cli_install_certs(),
 * same array, same data (all null). */
int cli_clear_certs(struct mmp_session *ss, const char *const keys[3], const char *what);

/* Check a trust bundle and store its name in key, ending with "SUCCESS:
 * <command> now holds <bundle> (<n> certificates)"; or "none" to unset
 * (cli_clear_trust). 0 or 1. */
int cli_install_trust(struct mmp_session *ss, const char *service, const char *key,
		      const char *bundle);
/* Unset the trust setting key and say "<command> bundle removed". 0 or 1. */
int cli_clear_trust(struct mmp_session *ss, const char *key);
/* The same two as setters that confirm in one line (issue 12 item 5):
 * "<command> set to <bundle> (<n> certificates)" and "<command> set to
 * none". The four answer {"trust", "certificates"} (cli_trust_result). */
int cli_set_trust(struct mmp_session *ss, const char *service, const char *key,
		  const char *bundle);
int cli_set_trust_none(struct mmp_session *ss, const char *key);
/* cli_set_trust() with a service's own check of the bundle: more runs
 * after the trust checks passed, adding its lines to r; a FAILURE among
 * them refuses the bundle like the others ("<service> trust not changed").
 * callbridge trust cluster checks the cluster peers' names (guide §4.9). */
typedef void (*cli_trust_more_fn)(struct mmp_session *ss, const char *bundle, struct report *r);
int cli_set_trust_more(struct mmp_session *ss, const char *service, const char *key,
		       const char *bundle, cli_trust_more_fn more);

/* The enable/restart check of SPEC §7: one line per check in r already;
 * print them and end with "SUCCESS: <service> enabled" or "FAILURE:
 * <service> configuration not complete". 0 or 1. */
int cli_finish_enable(struct mmp_session *ss, const char *service, struct report *r);

/* `<service> enable`: the same checks, then on success set
 * "<service>.enabled" and confirm "<service> set to enabled". 0 or 1. */
int cli_enable(struct mmp_session *ss, const char *service, struct report *r);

/* `<service> disable`: clear "<service>.enabled" and confirm "<service>
 * set to disabled". 0 or 1. */
int cli_disable(struct mmp_session *ss, const char *service);

/* Re-check installed certificates for enable/restart into r: "not set"
 * is a FAILURE naming the command that sets them. */
void cli_recheck_certs(struct mmp_session *ss, const struct svc_certs_rule *rule,
		       const char *const keys[3], const char *set_cmd, struct report *r);

/* A setter's one confirmation (issue 12 item 5), text only (the data
 * says it in JSON): "<setting> set to <value>", value printf-style and
 * escaped; under check <command line>: "<setting> would be set to
 * <value>". */
void cli_confirm(struct mmp_session *ss, const char *setting, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Text of a setting or file name (outside text: escaped) for the text
 * renderer only. */
void cli_res_fputs(struct mmp_session *ss, const char *s);

/* The words of a space-separated list as a JSON array of strings. */
json_t *cli_words_json(const char *list);

/* A setting as a typed field of obj: a string, a list of its words, an
 * integer (null when unset), or enabled (true when "1"). 0, or -1 after
 * a FAILURE. */
enum cli_data_kind { CLI_DATA_STR, CLI_DATA_LIST, CLI_DATA_INT, CLI_DATA_ENABLED };
int cli_data_setting(struct mmp_session *ss, json_t *obj, const char *name, const char *key,
		     enum cli_data_kind kind);

/* Result fields the service families share: {"certs": {key, cert,
 * bundle}}, {"trust", "certificates"}, {"enabled"}. */
extern const struct res_field cli_certs_fields[];
extern const struct res_field cli_certs_result[];
extern const struct res_field cli_trust_result[];
extern const struct res_field cli_enabled_result[];

#endif
