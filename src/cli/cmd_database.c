/*
 * cmd_database.c: the database cluster family (guide §3.1.4, §5.3,
 * Appendix A.3; SPEC §6, §7): the cluster's server and client certificates
 * and its dedicated CA, the node's interface, and the node's place in a
 * cluster, which is only kept in the config store (database.state/peer).
 */
#include <string.h>

#include "store/settings.h"
#include "svcutil.h"

#define DB_SERVICE "database cluster"
#define DB_CERTS_USAGE "database cluster certs <server_key> <server_crt> <client_key> <client_crt> <ca_crt>"

/* guide §2.1 Table 3 and §3.1.4: the server is a TLS server; the client a
 * TLS client whose CN is exactly "postgres". */
static const struct svc_certs_rule db_server_rule = {
	DB_SERVICE, PKI_ROLE_SERVER, 0, 0, NULL,
};
static const struct svc_certs_rule db_client_rule = {
	DB_SERVICE, PKI_ROLE_CLIENT, 0, 0, "postgres",
};

/* The five file settings, in the order of the 5-argument certs form. */
static const char *const db_file_keys[] = {
	"database.server_key", "database.server_crt", "database.client_key",
	"database.client_crt", "database.ca_crt", NULL,
};

/* The files of the cluster; server_key/server_crt are NULL in the
 * three-file form (a Call Bridge without a database, Appendix A.3 3b). */
struct db_files {
	const char *server_key, *server_crt, *client_key, *client_crt, *ca;
};

/* The state ("" when not in a cluster) and the peer; 0, or -1 after a
 * FAILURE. */
static int db_state(struct mmp_session *ss, char *state, size_t ssize, char *peer, size_t psize)
{
	if (cli_get(ss, "database.state", state, ssize) < 0 ||
	    (peer != NULL && cli_get(ss, "database.peer", peer, psize) < 0))
		return -1;
	return 0;
}

/* A line of another report (svc_check_certs) kept in r with its code, file
 * and remedy. */
static void copy_line(struct report *r, const struct report_line *l)
{
	report_check(r, l->kind, l->code, l->file, l->cert, "%s", l->text);
	if (r->last_added)
		r->lines[r->n - 1].remedy_at = l->remedy_at;
}

/* An engine's error as a FAILURE line of r (its message, as printed),
 * about file when the error names none. */
static void add_err(struct report *r, const struct mmp_err *e, const char *file)
{
	report_check(r, REPORT_FAILURE, mmp_err_code(e), e->file[0] != '\0' ? e->file : file, e->cert,
		     "%s", e->msg);
	if (r->last_added)
		r->lines[r->n - 1].remedy_at = e->remedy_at;
}

/* A FAILURE whose remedy follows "; " in the text (the text as before the
 * result model): JSON shows the two apart all the same. */
static void check_semicolon(struct report *r, const char *code, const char *file, int cert,
			    const char *msg, const char *remedy)
{
	report_check(r, REPORT_FAILURE, code, file, cert, "%s; %s", msg, remedy);
	if (r->last_added)
		r->lines[r->n - 1].remedy_at = strlen(msg) + 2;
}

/* guide §5.3: nothing of the node changes while it is in a cluster. */
static int require_not_clustered(struct mmp_session *ss, const char *what)
{
	char state[32], fix[CLI_REMEDY_MAX], remedy[CLI_REMEDY_MAX + 128];

	if (db_state(ss, state, sizeof(state), NULL, 0) != 0)
		return 1;
	if (state[0] == '\0')
		return 0;
	snprintf(remedy, sizeof(remedy), "%s, then set the %s and create the cluster again (guide section 5.3)",
		 cli_remedy_cmd(ss, "database cluster remove", fix, sizeof(fix)), what);
	res_check(ss, REPORT_FAILURE, "database.cluster_enabled", NULL, 0, remedy,
		  "the node is in a database cluster");
	return 1;
}

/* Does the file of another service's setting hold one of the CA's
 * certificates (1) or a certificate the CA signed (2)? 0 when neither. */
static int uses_ca(const struct pki_file *f, const struct pki_file *ca)
{
	struct mmp_err err;
	size_t i, j;

	for (i = 0; i < pki_file_cert_count(f); i++)
		for (j = 0; j < pki_file_cert_count(ca); j++)
			if (pki_file_same_cert(f, i, ca, j))
				return 1;
	if (pki_file_cert_count(f) > 0 && pki_rule_chains_to(f, ca, &err) == MMP_OK)
		return 2;
	return 0;
}

/* Append text to buf (size), cut short when full. */
static void add_text(char *buf, size_t size, const char *text)
{
	size_t len = strlen(buf), add = strlen(text);

	if (len + 1 >= size)
		return;
	if (add > size - len - 1)
		add = size - len - 1;
	memcpy(buf + len, text, add);
	buf[len + add] = '\0';
}

/* guide §3.1.4 CAUTION: the cluster's CA is dedicated. One FAILURE line
 * for all the settings of other services that use it or its chain: one
 * cause, its places (grouped by service) and the commands that free them. */
static void check_ca_dedicated(struct mmp_session *ss, const struct pki_file *ca,
			       struct report *r)
{
	const struct cfg_setting *s, *t;
	char name[CFG_VALUE_MAX + 1], users[1024] = "", freed[512] = "", item[CFG_VALUE_MAX + 128];
	char setting[64], tmp[256];
	struct pki_file *f;
	struct mmp_err err;
	int how, services = 0, first, admin = 0;
	size_t k;
	size_t mark = 0;

	for (s = cfg_settings(); s->key != NULL; s++) {
		if (s->type != CFG_FILE || s->service == NULL || strcmp(s->service, DB_SERVICE) == 0)
			continue;
		/* a service's places once, when its first setting comes */
		for (t = cfg_settings(); t != s && !(t->type == CFG_FILE && t->service != NULL &&
						     strcmp(t->service, s->service) == 0);
		     t++)
			;
		if (t != s)
			continue;
		for (first = 1, t = s; t->key != NULL; t++) {
			if (t->type != CFG_FILE || t->service == NULL ||
			    strcmp(t->service, s->service) != 0 ||
			    cli_get(ss, t->key, name, sizeof(name)) != 1 ||
			    pki_file_load(ss->store, name, &f, &err) != MMP_OK)
				continue;
			how = uses_ca(f, ca);
			pki_file_free(f);
			/* the setting as its command names it: callbridge.trust.edge
			 * of callbridge is "trust edge" */
			snprintf(setting, sizeof(setting), "%s", t->key + strlen(t->service) + 1);
			for (k = 0; setting[k] != '\0'; k++)
				if (setting[k] == '.')
					setting[k] = ' ';
			snprintf(item, sizeof(item), "%s: %s %s it", setting, name,
				 how == 1 ? "holds" : "is signed by");
			if (how == 0)
				continue;
			/* a user who may not run the command is told to ask an admin */
			if (strncmp(cli_remedy(ss, "run", t->freed_by, "", tmp, sizeof(tmp)), "ask ", 4) == 0)
				admin = 1;
			if (strstr(freed, t->freed_by) == NULL) {
				add_text(freed, sizeof(freed), freed[0] ? ", " : "");
				add_text(freed, sizeof(freed), t->freed_by);
			}
			if (!first && strstr(users + mark, item) != NULL)
				continue; /* one file in two settings: said once */
			if (first) {
				add_text(users, sizeof(users), services ? ", " : "");
				add_text(users, sizeof(users), s->service);
				add_text(users, sizeof(users), " (");
				mark = strlen(users);
				services++;
			} else {
				add_text(users, sizeof(users), ", ");
			}
			add_text(users, sizeof(users), item);
			first = 0;
		}
		if (!first)
			add_text(users, sizeof(users), ")");
	}
	if (services > 0) {
		report_check(r, REPORT_FAILURE, "database.ca_dedicated", pki_file_name(ca), 0,
			     "the CA in %s is already used by %s; the database cluster CA must be dedicated to the cluster (guide section 3.1.4)",
			     pki_file_name(ca), users);
		report_remedy(r, "use another CA for the cluster, or %s %s",
			      admin ? "ask an admin to run" : "free it with", freed);
	}
}

/* A certificate chains to the cluster's CA (guide §3.1.4). */
static void check_chains_to_ca(struct mmp_session *ss, const char *crt, const struct pki_file *ca,
			       struct report *r)
{
	struct pki_file *f = NULL;
	struct mmp_err err;

	mmp_err_clear(&err);
	if (pki_file_load(ss->store, crt, &f, &err) != MMP_OK || pki_file_cert_count(f) == 0) {
		pki_file_free(f);
		return; /* svc_check_certs() said what is wrong with it */
	}
	if (pki_rule_chains_to(f, ca, &err) == MMP_OK)
		report_check(r, REPORT_SUCCESS, "database.signed_by_ca", crt, 0,
			     "%s is signed by the CA in %s", crt, pki_file_name(ca));
	else
		add_err(r, &err, crt);
	pki_file_free(f);
}

/* The CA file: certificates only, each a CA (§2.2) and valid. NULL after a
 * FAILURE line (the chain checks then say nothing more). */
static struct pki_file *load_ca(struct mmp_session *ss, const char *name, struct report *r)
{
	struct pki_file *ca = NULL;
	struct mmp_err err;
	char why[256], msg[STORE_NAME_MAX + 320];
	size_t i;

	mmp_err_clear(&err);
	if (svc_check_trust(ss->store, DB_SERVICE, name, r) != MMP_OK ||
	    pki_file_load(ss->store, name, &ca, &err) != MMP_OK)
		return NULL;
	for (i = 0; i < pki_file_cert_count(ca); i++)
		if (pki_rule_role(ca, i, PKI_ROLE_CA, why, sizeof(why)) != 1) {
			snprintf(msg, sizeof(msg), "%s: certificate %zu is not a CA: %s", name, i + 1, why);
			check_semicolon(r, "database.ca_not_ca", name, (int)i + 1, msg,
					"give the CA certificate that signed the cluster's certificates (guide section 3.1.4)");
			pki_file_free(ca);
			return NULL;
		}
	return ca;
}

/* Would the pairs pass given the other way round (the client pair as the
 * server's and the server pair as the client's)? 1 when they would. */
static int pairs_pass_swapped(struct mmp_session *ss, const struct db_files *d)
{
	struct report t;
	int ok;

	report_init(&t);
	svc_check_certs(ss->store, &db_server_rule, d->client_key, d->client_crt, NULL, &t);
	svc_check_certs(ss->store, &db_client_rule, d->server_key, d->server_crt, NULL, &t);
	ok = t.failures == 0;
	report_free(&t);
	return ok;
}

/* The server and client pairs (guide §3.1.4), each match line naming its
 * pair. Pairs that fail as given but pass the other way round are one
 * cause: they were given in the wrong order; the line gives the command. */
static void check_pairs(struct mmp_session *ss, const struct db_files *d, struct report *r)
{
	struct report pairs;
	size_t i, copied = 0, before = r->failures;

	report_init(&pairs);
	if (d->server_key != NULL)
		svc_check_certs_pair(ss->store, &db_server_rule, d->server_key, d->server_crt, NULL,
				     "server", &pairs);
	svc_check_certs_pair(ss->store, &db_client_rule, d->client_key, d->client_crt, NULL,
			     "client", &pairs);
	if (pairs.failures > 0 && d->server_key != NULL && pairs_pass_swapped(ss, d)) {
		report_check(r, REPORT_FAILURE, "database.pairs_swapped", d->server_crt, 0,
			     "the server and client pairs look swapped: %s is a client certificate (CN postgres) and %s fits the server",
			     d->server_crt, d->client_crt);
		report_remedy(r, "give the server pair first, then the client pair: database cluster certs %s %s %s %s %s (guide section 3.1.4)",
			      d->client_key, d->client_crt, d->server_key, d->server_crt, d->ca);
	} else {
		for (i = 0; i < pairs.n; i++) {
			copy_line(r, &pairs.lines[i]);
			copied += pairs.lines[i].kind == REPORT_FAILURE;
		}
	}
	if (copied < pairs.failures && r->failures == before) { /* a line lost to OOM */
		report_check(r, REPORT_FAILURE, "system.memory", NULL, 0,
			     "out of memory while checking the key pairs");
		report_remedy(r, "try again");
	}
	report_free(&pairs);
}

/* Every rule of SPEC §6 for database cluster certs, one line per check. */
static void check_db_files(struct mmp_session *ss, const struct db_files *d, struct report *r)
{
	struct pki_file *ca;

	size_t before = r->failures;

	check_pairs(ss, d, r);
	if (r->failures == before) /* one cause, one line; an FQDN hostname: issue 15 */
		cli_check_hostname(ss, 1, d->server_crt, r);
	if ((ca = load_ca(ss, d->ca, r)) == NULL)
		return;
	if (d->server_crt != NULL)
		check_chains_to_ca(ss, d->server_crt, ca, r);
	check_chains_to_ca(ss, d->client_crt, ca, r);
	check_ca_dedicated(ss, ca, r);
	pki_file_free(ca);
}

static int cmd_db_certs(struct mmp_session *ss, int argc, char **argv)
{
	struct db_files d = { NULL, NULL, NULL, NULL, NULL };
	struct report r;
	int i, rc = 0;

	if (argc == 4) {
		res_check(ss, REPORT_FAILURE, "database.certs_count", NULL, 0, NULL,
			  "database cluster certs takes 5 files (a node with a database: %s) or 3 (a node without one: <client_key> <client_crt> <ca_crt>) (guide Appendix A.3)",
			  "<server_key> <server_crt> <client_key> <client_crt> <ca_crt>");
		return 1;
	}
	if (require_not_clustered(ss, "certificates"))
		return 1;
	if (argc == 5) {
		d.server_key = argv[0];
		d.server_crt = argv[1];
	}
	d.client_key = argv[argc - 3];
	d.client_crt = argv[argc - 2];
	d.ca = argv[argc - 1];
	report_init(&r);
	check_db_files(ss, &d, &r);
	cmd_print_report(ss, &r);
	if (r.failures > 0) {
		res_check(ss, REPORT_FAILURE, "database.certs_not_changed", NULL, 0, NULL,
			  "database cluster certificates not changed");
		rc = 1;
	}
	report_free(&r);
	if (rc == 0) {
		const char *values[5] = { d.server_key, d.server_crt, d.client_key, d.client_crt, d.ca };
		for (i = 0; rc == 0 && i < 5; i++)
			rc = cli_set(ss, db_file_keys[i], values[i]) != 0;
		for (i = 0; rc == 0 && i < 5; i++)
			json_object_set_new(res_data(ss), db_file_keys[i] + strlen("database."),
					    values[i] != NULL ? report_str(values[i]) : json_null());
	}
	if (rc == 0) {
		/* one line: the files as given (the three-file form unsets the server's) */
		char files[5 * (STORE_NAME_MAX + 1) + 1];
		size_t o = 0;
		files[0] = '\0';
		for (i = 0; i < argc; i++)
			o += (size_t)snprintf(files + o, o < sizeof(files) ? sizeof(files) - o : 0, "%s%s",
					      i ? " " : "", argv[i]);
		cli_confirm(ss, "database cluster certs", "%s", files);
	}
	return rc;
}

static int cmd_db_localnode(struct mmp_session *ss, int argc, char **argv)
{
	char one[8];

	if (cli_parse_ifaces(ss, argc, argv, 0, one, sizeof(one)) != 0 ||
	    require_not_clustered(ss, "node interface"))
		return 1;
	if (cli_set(ss, "database.localnode", one) != 0)
		return 1;
	json_object_set_new(res_data(ss), "localnode", report_str(one));
	cli_confirm(ss, "database cluster node interface", "%s", one);
	return 0;
}

/* Read the stored file names into d (names live in bufs); a FAILURE line
 * in r per missing item. need_server: initialize and join host a database. */
static void stored_files(struct mmp_session *ss, int need_server, struct db_files *d,
			 char bufs[5][CFG_VALUE_MAX + 1], struct report *r)
{
	const char **slots[5] = { &d->server_key, &d->server_crt, &d->client_key, &d->client_crt,
				  &d->ca };
	int i, set[5];

	for (i = 0; i < 5; i++) {
		set[i] = cli_get(ss, db_file_keys[i], bufs[i], CFG_VALUE_MAX + 1) == 1;
		*slots[i] = set[i] ? bufs[i] : NULL;
	}
	if (need_server && !(set[0] && set[1])) {
		report_check(r, REPORT_FAILURE, "database.server_certs_not_set", NULL, 0,
			     "the database server certificates are not set");
		report_remedy(r, "use %s", DB_CERTS_USAGE);
	}
	if (!need_server)
		d->server_key = d->server_crt = NULL;
	if (!(set[2] && set[3])) {
		report_check(r, REPORT_FAILURE, "database.client_certs_not_set", NULL, 0,
			     "the database client certificates are not set");
		report_remedy(r, "use %s", DB_CERTS_USAGE);
	}
	if (!set[4]) {
		report_check(r, REPORT_FAILURE, "database.ca_not_set", NULL, 0,
			     "the database cluster CA certificate is not set");
		report_remedy(r, "use %s", DB_CERTS_USAGE);
	}
}

/* initialize, join and connect: not yet in a cluster; the certificates and
 * the node interface set and passing the checks of certs again (§5.3:
 * expired certificates stop the cluster). Sets the state on success. */
static int db_enter(struct mmp_session *ss, const char *state, const char *peer)
{
	char shown[CLI_SHOWN_MAX];
	char bufs[5][CFG_VALUE_MAX + 1], cur[32], node[8];
	struct db_files d;
	struct report r;
	int rc = 0;

	if (peer != NULL && !cli_is_ip(peer)) {
		res_check(ss, REPORT_FAILURE, "database.peer_invalid", NULL, 0,
			  "give the address of a node of the cluster, e.g. 192.0.2.10",
			  "\"%s\" is not an IP address", SHOWN(peer));
		return 1;
	}
	if (db_state(ss, cur, sizeof(cur), NULL, 0) != 0)
		return 1;
	if (cur[0] != '\0') {
		res_check(ss, REPORT_FAILURE, "database.cluster_enabled", NULL, 0,
			  "run database cluster remove first",
			  "the node is already in a database cluster (%s)", cur);
		return 1;
	}
	report_init(&r);
	stored_files(ss, strcmp(state, "connected") != 0, &d, bufs, &r);
	if (cli_get(ss, "database.localnode", node, sizeof(node)) != 1) {
		report_check(&r, REPORT_FAILURE, "database.localnode_not_set", NULL, 0,
			     "the node interface is not set");
		report_remedy(&r, "use database cluster localnode <interface>");
	}
	if (r.failures == 0)
		check_db_files(ss, &d, &r);
	cmd_print_report(ss, &r);
	if (r.failures > 0) {
		res_check(ss, REPORT_FAILURE, "database.not_complete", NULL, 0, NULL,
			  "database cluster configuration not complete");
		rc = 1;
	} else if (cli_set(ss, "database.state", state) != 0 ||
		   cli_set(ss, "database.peer", peer) != 0) {
		rc = 1;
	} else {
		json_object_set_new(res_data(ss), "state", report_str(state));
		json_object_set_new(res_data(ss), "peer", peer != NULL ? report_str(peer) : json_null());
	}
	report_free(&r);
	return rc;
}

static int cmd_db_initialize(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (db_enter(ss, "initialized", NULL) != 0)
		return 1;
	res_printf(ss, "database cluster initialized on this node\n");
	return 0;
}

static int cmd_db_join(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	if (db_enter(ss, "joined", argv[0]) != 0)
		return 1;
	res_printf(ss, "this node joined the database cluster of %s\n", argv[0]);
	return 0;
}

static int cmd_db_connect(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	if (db_enter(ss, "connected", argv[0]) != 0)
		return 1;
	res_printf(ss, "this node connected to the database cluster of %s\n", argv[0]);
	return 0;
}

/* Ask for a capital Y; 0 when given, 1 after a FAILURE otherwise. */
static int confirm_remove(struct mmp_session *ss)
{
	char ans[16];

	if (ss->prompt == NULL ||
	    ss->prompt(ss, "Type Y to remove this node from the cluster: ", 0, ans, sizeof(ans)) != MMP_OK) {
		res_check(ss, REPORT_FAILURE, "shell.no_answer", NULL, 0, NULL,
			  "database cluster remove: no answer (end of input or Ctrl-C): nothing was changed");
		return 1;
	}
	if (strcmp(ans, "Y") != 0) {
		res_check(ss, REPORT_FAILURE, "shell.cancelled", NULL, 0, NULL,
			  "database cluster remove cancelled (type a capital Y to confirm): nothing was changed");
		return 1;
	}
	return 0;
}

/* guide §5.3: leave the cluster and free its certificates, so new ones
 * can be set before the cluster is created again. */
static int cmd_db_remove(struct mmp_session *ss, int argc, char **argv)
{
	char state[32], buf[CFG_VALUE_MAX + 1];
	int i, any = 0;

	(void)argc;
	(void)argv;
	if (db_state(ss, state, sizeof(state), NULL, 0) != 0)
		return 1;
	for (i = 0; db_file_keys[i] != NULL; i++)
		any |= cli_get(ss, db_file_keys[i], buf, sizeof(buf)) == 1;
	if (state[0] == '\0' && !any) {
		json_object_set_new(res_data(ss), "left_cluster", json_false());
		json_object_set_new(res_data(ss), "certificates_removed", json_false());
		res_printf(ss, "The node is not in a database cluster and has no database certificates: nothing to remove\n");
		return 0;
	}
	if (confirm_remove(ss) != 0)
		return 1;
	if (cli_set(ss, "database.state", NULL) != 0 || cli_set(ss, "database.peer", NULL) != 0)
		return 1;
	for (i = 0; db_file_keys[i] != NULL; i++)
		if (cli_set(ss, db_file_keys[i], NULL) != 0)
			return 1;
	json_object_set_new(res_data(ss), "left_cluster", json_boolean(state[0] != '\0'));
	json_object_set_new(res_data(ss), "certificates_removed", json_true());
	res_printf(ss, "%s; the database cluster certificates were removed\n",
		   state[0] ? "this node was removed from the database cluster"
			    : "the node was not in a database cluster");
	return 0;
}

static int cmd_db_status(struct mmp_session *ss, int argc, char **argv)
{
	char state[32], peer[CFG_VALUE_MAX + 1], status[CFG_VALUE_MAX + 48], v[CFG_VALUE_MAX + 1];
	json_t *data;
	int i, set;
	struct show_row rows[] = {
		{ "Status", NULL, status },
		{ "Node interface", "database.localnode", NULL },
		{ "Server key", "database.server_key", NULL },
		{ "Server certificate", "database.server_crt", NULL },
		{ "Client key", "database.client_key", NULL },
		{ "Client certificate", "database.client_crt", NULL },
		{ "CA certificate", "database.ca_crt", NULL },
		{ NULL, NULL, NULL },
	};

	(void)argc;
	(void)argv;
	if (db_state(ss, state, sizeof(state), peer, sizeof(peer)) != 0)
		return 1;
	snprintf(status, sizeof(status), "%s%s%s", state[0] ? state : "none", peer[0] ? " " : "",
		 peer);
	data = res_data(ss);
	json_object_set_new(data, "state", state[0] ? report_str(state) : json_null());
	json_object_set_new(data, "peer", peer[0] ? report_str(peer) : json_null());
	for (i = 1; rows[i].label != NULL; i++) {
		if ((set = cli_get(ss, rows[i].key, v, sizeof(v))) < 0)
			return 1;
		json_object_set_new(data, rows[i].key + strlen("database."),
				    set && v[0] != '\0' ? report_str(v) : json_null());
	}
	return cli_show(ss, rows);
}

static int cmd_database(struct mmp_session *ss, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cmd_print_help(ss, "database");
	return 0;
}

/* The five files of the cluster, as set or shown (null: not set). */
#define DB_FILE_FIELDS(how)                                                                    \
	{ "server_key", RES_STR, RES_NULLABLE, NULL, "the server's private key" how },          \
	{ "server_crt", RES_STR, RES_NULLABLE, NULL, "the server's certificate" how },          \
	{ "client_key", RES_STR, RES_NULLABLE, NULL, "the client's private key" how },          \
	{ "client_crt", RES_STR, RES_NULLABLE, NULL, "the client's certificate (CN postgres)" how }, \
	{ "ca_crt", RES_STR, RES_NULLABLE, NULL, "the cluster's dedicated CA certificate" how }

static const struct res_field db_status_result[] = {
	{ "state", RES_STR, RES_NULLABLE, NULL,
	  "initialized, joined or connected; null when the node is in no cluster" },
	{ "peer", RES_STR, RES_NULLABLE, NULL, "the node joined or connected to, null when none" },
	{ "localnode", RES_STR, RES_NULLABLE, NULL, "the node's interface (a-d), null when not set" },
	DB_FILE_FIELDS(", null when not set"),
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field db_certs_result[] = {
	DB_FILE_FIELDS(" now set (the server's null in the three-file form)"),
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field db_localnode_result[] = {
	{ "localnode", RES_STR, 0, NULL, "the node's interface (a-d) now set" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field db_enter_result[] = {
	{ "state", RES_STR, 0, NULL, "the node's state now: initialized, joined or connected" },
	{ "peer", RES_STR, RES_NULLABLE, NULL, "the node joined or connected to (null: initialize)" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field db_remove_result[] = {
	{ "left_cluster", RES_BOOL, 0, NULL, "the node was in a cluster and left it" },
	{ "certificates_removed", RES_BOOL, 0, NULL,
	  "the cluster's certificate settings were removed (false: there were none)" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct mmp_cmd cmd_database_table[] = {
	{ "database", "database", "Show the usage of the database family",
	  0, 0, ROLES_ALL, 0, { 0 }, cmd_database, cmd_help_result },
	{ "database cluster", "database cluster", "Same as database",
	  0, 0, ROLES_ALL, 0, { 0 }, cmd_database, cmd_help_result },
	{ "database cluster certs", "database cluster certs [<server_key> <server_crt>] <client_key> <client_crt> <ca_crt>",
	  "Check and set the cluster's server and client certificates and its dedicated CA (guide 3.1.4)",
	  3, 5, ROLES_PKI, W_SET, { COMPLETE_KEY, COMPLETE_CERT, COMPLETE_FILE }, cmd_db_certs, db_certs_result },
	{ "database cluster localnode", "database cluster localnode <interface>",
	  "Set the interface (a-d) of this node in the cluster",
	  1, 1, ROLES_CFG, W_SET, { COMPLETE_IFACE }, cmd_db_localnode, db_localnode_result },
	{ "database cluster initialize", "database cluster initialize",
	  "Create a database cluster with this node", 0, 0, ROLES_CFG, W_SET, { 0 }, cmd_db_initialize, db_enter_result },
	{ "database cluster join", "database cluster join <ip address>",
	  "Join this node's database to the cluster of a node", 1, 1, ROLES_CFG, W_SET, { 0 },
	  cmd_db_join, db_enter_result },
	{ "database cluster connect", "database cluster connect <ip address>",
	  "Connect this node, without a database, to the cluster of a node", 1, 1, ROLES_CFG, W_SET,
	  { 0 }, cmd_db_connect, db_enter_result },
	{ "database cluster remove", "database cluster remove",
	  "Remove this node from the cluster and free its certificates (asks for Y; guide 5.3)",
	  0, 0, ROLES_CFG, W_SET | CMD_ASKS(1), { 0 }, cmd_db_remove, db_remove_result },
	{ "database cluster status", "database cluster status",
	  "Show the node's cluster state, interface and certificates", 0, 0, ROLES_ALL, 0, { 0 },
	  cmd_db_status, db_status_result },
	{ NULL, NULL, NULL, 0, 0, 0, 0, { 0 }, NULL, NULL },
};
