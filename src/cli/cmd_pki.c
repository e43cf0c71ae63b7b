/*
 * cmd_pki.c: the pki family (guide Appendix C, SPEC §5): checks the words,
 * asks what must be asked (passwords, the Y to replace a key), calls the
 * PKI engine and prints its report.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "cli.h"
#include "mmp/config.h"
#include "mmp/expiry.h"
#include "mmp/users.h"
#include "mmp/svc.h"
#include "mmp/text.h"

static int fail(struct mmp_session *ss, const struct mmp_err *e)
{
	cmd_print_err(ss, e);
	return 1;
}

int cmd_pki(struct mmp_session *ss, int argc, char **argv)
{
	struct report r;
	struct mmp_err err;
	int rc;

	(void)argc;
	(void)argv;
	mmp_err_clear(&err);
	report_init(&r);
	if (!res_is_json(ss)) /* the usage lines: help pki, for the eye only */
		cmd_print_help(ss, "pki");
	rc = pki_summary(ss->store, &r, &err) != MMP_OK;
	if (rc)
		cmd_print_err(ss, &err);
	cmd_print_report(ss, &r);
	report_free(&r);
	return rc;
}

/* Is name "<user>.pub" of a user of the node (SPEC §8: the login key
 * file)? The user's name into user. */
static int login_key_of(const struct user_info *users, size_t nusers, const char *name, char *user,
			size_t size)
{
	size_t i, len = strlen(name);

	if (len < 5 || strcmp(name + len - 4, ".pub") != 0)
		return 0;
	for (i = 0; i < nusers; i++)
		if (strlen(users[i].name) == len - 4 && strncmp(users[i].name, name, len - 4) == 0) {
			snprintf(user, size, "%s", users[i].name);
			return 1;
		}
	return 0;
}

/* pki list (issue 14 item 1): each file with its state: (locked),
 * (expired), (expires in N days) when its first certificate to end does
 * so within the largest alarm threshold, (login key of <user>), and the
 * services that use it. */
int cmd_pki_list(struct mmp_session *ss, int argc, char **argv)
{
	struct mmp_err err;
	struct cfg_file_use *uses = NULL;
	struct store_facts *sf;
	struct user_info *users = NULL;
	json_t *files;
	size_t i, nuses = 0, nusers = 0, nt = 0;
	int days[EXPIRY_MAX_THRESHOLDS], window = 30, json = res_is_json(ss);
	long long now = (long long)pki_now();

	(void)argc;
	(void)argv;
	mmp_err_clear(&err);
	if (store_facts_load(ss->store, &sf, &err) != MMP_OK)
		return fail(ss, &err);
	if (ss->cfg == NULL || cfg_files_in_use(ss->cfg, &uses, &nuses, &err) != MMP_OK)
		nuses = 0;
	if (ss->cfg == NULL || users_list(ss->cfg, &users, &nusers, &err) != MMP_OK)
		nusers = 0;
	if (ss->cfg != NULL && expiry_thresholds(ss->cfg, days, &nt, &err) == MMP_OK)
		for (i = 0; i < nt; i++)
			window = i == 0 || days[i] > window ? days[i] : window;
	files = json_array();
	res_printf(ss, "User supplied certificates and keys:\n");
	for (i = 0; i < sf->nfiles; i++) {
		const struct file_facts *f = &sf->files[i];
		const struct cert_facts *end = NULL;
		long long soon = -1;
		char svcs[160], sh[1024], marks[400], user[64];
		size_t k, o = 0, m = 0;
		/* the objects only when JSON renders them: for 10,000 files they
		 * cost more than the rest of the command (bench/notes.md) */
		json_t *file = json ? json_object() : NULL, *by = json ? json_array() : NULL;
		int locked = f->kind == PKI_KIND_LOCKED_KEY, login = login_key_of(users, nusers, f->name, user, sizeof(user));

		for (k = 0; k < f->ncerts; k++)
			if (end == NULL || f->certs[k].not_after < end->not_after)
				end = &f->certs[k];
		/* every service that uses the file, once each */
		svcs[0] = marks[0] = '\0';
		for (k = 0; k < nuses; k++)
			if (strcmp(uses[k].name, f->name) == 0 && strstr(svcs, uses[k].service) == NULL) {
				o += (size_t)snprintf(svcs + o, o < sizeof(svcs) ? sizeof(svcs) - o : 0,
						      "%s%s", o ? ", " : "", uses[k].service);
				if (json)
					json_array_append_new(by, report_str(uses[k].service));
			}
		if (locked)
			m += (size_t)snprintf(marks + m, sizeof(marks) - m, " (locked)");
		if (end != NULL && end->not_after <= now)
			m += (size_t)snprintf(marks + m, sizeof(marks) - m, " (expired)");
		else if (end != NULL && expiry_days_left(end->not_after, now) <= window) {
			soon = expiry_days_left(end->not_after, now);
			m += (size_t)snprintf(marks + m, sizeof(marks) - m, " (expires in %lld day%s)", soon,
					      soon == 1 ? "" : "s");
		}
		if (login)
			m += (size_t)snprintf(marks + m, sizeof(marks) - m, " (login key of %s)", user);
		if (o > 0)
			snprintf(marks + m, sizeof(marks) - m, " (in use by %s)", svcs);
		/* a name put there by other means than mmp may hold anything */
		store_name_shown(f->name, sh, sizeof(sh));
		res_printf(ss, "%s%s\n", sh, marks);
		if (!json)
			continue;
		json_object_set_new(file, "name", report_str(sh));
		json_object_set_new(file, "locked", json_boolean(locked));
		json_object_set_new(file, "expired", json_boolean(end != NULL && end->not_after <= now));
		json_object_set_new(file, "expires_in_days", soon >= 0 ? json_integer(soon) : json_null());
		json_object_set_new(file, "login_key_of", login ? report_str(user) : json_null());
		json_object_set_new(file, "in_use_by", by);
		json_array_append_new(files, file);
	}
	json_object_set_new(res_data(ss), "files", files);
	free(uses);
	free(users);
	store_facts_free(sf);
	return 0;
}

int cmd_pki_inspect(struct mmp_session *ss, int argc, char **argv)
{
	struct report r;
	struct mmp_err err;
	int rc;

	(void)argc;
	mmp_err_clear(&err);
	report_init(&r);
	r.text_only = !res_is_json(ss);
	rc = pki_inspect(ss->store, argv[0], &r, &err) != MMP_OK;
	cmd_print_report(ss, &r);
	if (rc)
		cmd_print_err(ss, &err);
	rc |= r.failures > 0;
	report_free(&r);
	return rc;
}

/* One file's digest: read through the store as pki inspect reads (the
 * access table decides, a missing file says what to do), SHA-256 of its
 * bytes, a line like sha256sum's. 0 when done, 1 after a FAILURE. */
static int checksum_one(struct mmp_session *ss, const char *name, int checked, json_t *files)
{
	unsigned char *buf = NULL, md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0, i;
	char hex[2 * EVP_MAX_MD_SIZE + 1], sh[STORE_NAME_MAX * 4 + 8];
	struct mmp_err err;
	size_t len = 0;
	json_t *file;

	mmp_err_clear(&err);
	if ((!checked && store_check_name(name, STORE_ANY, &err) != MMP_OK) ||
	    store_read(ss->store, name, &buf, &len, &err) != MMP_OK)
		return fail(ss, &err);
	if (EVP_Digest(buf, len, md, &mdlen, EVP_sha256(), NULL) != 1) {
		store_buf_free(buf, len);
		mmp_err_set(&err, MMP_ERR_NOMEM, "%s: cannot compute its SHA-256",
			    store_name_shown(name, sh, sizeof(sh)));
		return fail(ss, &err);
	}
	store_buf_free(buf, len);
	for (i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	store_name_shown(name, sh, sizeof(sh));
	res_printf(ss, "%s  %s\n", hex, sh);
	file = json_object();
	json_object_set_new(file, "name", report_str(sh));
	json_object_set_new(file, "sha256", json_string(hex));
	json_object_set_new(file, "size", json_integer((json_int_t)len));
	json_array_append_new(files, file);
	return 0;
}

int cmd_pki_checksum(struct mmp_session *ss, int argc, char **argv)
{
	struct mmp_err err;
	json_t *files = json_array();
	char **names;
	size_t n, i;
	int rc = 0;

	json_object_set_new(res_data(ss), "files", files);
	if (argc > 0) {
		for (i = 0; i < (size_t)argc; i++)
			rc |= checksum_one(ss, argv[i], 0, files);
		return rc;
	}
	mmp_err_clear(&err);
	if (store_list(ss->store, &names, &n, &err) != MMP_OK)
		return fail(ss, &err);
	for (i = 0; i < n; i++) /* listed: a file of the store, whatever its name */
		rc |= checksum_one(ss, names[i], 1, files);
	store_list_free(names);
	return rc;
}

int cmd_pki_match(struct mmp_session *ss, int argc, char **argv)
{
	struct mmp_err err;

	(void)argc;
	mmp_err_clear(&err);
	if (pki_match(ss->store, argv[0], argv[1], &err) != MMP_OK)
		return fail(ss, &err);
	json_object_set_new(res_data(ss), "key", report_str(argv[0]));
	json_object_set_new(res_data(ss), "certificate", report_str(argv[1]));
	json_object_set_new(res_data(ss), "match", json_true());
	res_check(ss, REPORT_SUCCESS, "key.match", argv[1], 1, NULL, "Key and certificate pair match");
	return 0;
}

#define VERIFY_MAX_CRLS 8

/* pki verify <cert> <bundle> [<CA cert>] [name:<n>] [crl:<file>...]: the
 * words with a prefix in any order after the files. */
int cmd_pki_verify(struct mmp_session *ss, int argc, char **argv)
{
	const char *files[3] = { NULL, NULL, NULL }, *crls[VERIFY_MAX_CRLS];
	struct pki_verify_extra extra = { NULL, crls, 0 };
	struct report r;
	struct mmp_err err;
	json_t *jcrls;
	int i, nfiles = 0, rc;

	mmp_err_clear(&err);
	for (i = 0; i < argc; i++) {
		if (strncmp(argv[i], "name:", 5) == 0 && extra.name == NULL && argv[i][5] != '\0') {
			extra.name = argv[i] + 5;
		} else if (strncmp(argv[i], "crl:", 4) == 0 && argv[i][4] != '\0' &&
			   extra.n_crl_files < VERIFY_MAX_CRLS) {
			crls[extra.n_crl_files++] = argv[i] + 4;
		} else if (strchr(argv[i], ':') == NULL && nfiles < 3) {
			files[nfiles++] = argv[i];
		} else {
			char word[128];

			mmp_err_set(&err, MMP_ERR_USAGE,
				    "pki verify: \"%s\" is not understood here (%s): give the certificate, the bundle and an optional CA certificate, then at most one name:<dns name or IP address> and up to %d crl:<file>",
				    text_escape(argv[i], word, sizeof(word), 0),
				    strncmp(argv[i], "name:", 5) == 0 ? "one non-empty name: only"
				    : strncmp(argv[i], "crl:", 4) == 0 ? "a non-empty crl:, at most 8"
				    : nfiles == 3 ? "three files already" : "a word with a colon",
				    VERIFY_MAX_CRLS);
			return fail(ss, &err);
		}
	}
	if (nfiles < 2) {
		mmp_err_set(&err, MMP_ERR_USAGE,
			    "pki verify: give the certificate and the bundle (or CA certificate) files before name: and crl:");
		return fail(ss, &err);
	}
	/* a name no certificate can hold is said before any file is read */
	if (extra.name != NULL && pki_name_usable(extra.name, &err) != MMP_OK)
		return fail(ss, &err);
	report_init(&r);
	json_object_set_new(res_data(ss), "certificate", report_str(files[0]));
	json_object_set_new(res_data(ss), "bundle", report_str(files[1]));
	json_object_set_new(res_data(ss), "ca", files[2] != NULL ? report_str(files[2]) : json_null());
	json_object_set_new(res_data(ss), "name", extra.name != NULL ? report_str(extra.name) : json_null());
	jcrls = json_array();
	for (i = 0; i < (int)extra.n_crl_files; i++)
		json_array_append_new(jcrls, report_str(crls[i]));
	json_object_set_new(res_data(ss), "crls", jcrls);
	rc = pki_verify(ss->store, files[0], files[1], files[2], &extra, &r, &err) != MMP_OK;
	cmd_print_report(ss, &r);
	if (rc)
		cmd_print_err(ss, &err);
	report_free(&r);
	return rc;
}

/* Ask for a secret; FAILURE when no prompt is possible or input ended. */
static int ask_secret(struct mmp_session *ss, const char *prompt, char *buf, size_t size,
		      const char *what)
{
	if (ss->prompt == NULL ||
	    ss->prompt(ss, prompt, 1, buf, size) != MMP_OK) {
		res_check(ss, REPORT_FAILURE, "shell.cancelled", NULL, 0, "nothing was changed",
			  "%s: no password was given (end of input or Ctrl-C)", what);
		return -1;
	}
	return 0;
}

int cmd_pki_unlock(struct mmp_session *ss, int argc, char **argv)
{
	struct mmp_err err;
	struct pki_file *f = NULL;
	char pw[1024];
	enum mmp_rc rc;

	(void)argc;
	mmp_err_clear(&err);
	if (store_check_name(argv[0], STORE_KEY, &err) != MMP_OK ||
	    pki_file_load(ss->store, argv[0], &f, &err) != MMP_OK)
		return fail(ss, &err);
	if (pki_file_kind(f) == PKI_KIND_KEY) {
		pki_file_free(f);
		json_object_set_new(res_data(ss), "file", report_str(argv[0]));
		json_object_set_new(res_data(ss), "unlocked", json_false());
		res_printf(ss, "%s is not locked: nothing to do\n", argv[0]);
		return 0;
	}
	rc = pki_file_expect(f, PKI_WANT(PKI_KIND_LOCKED_KEY), &err);
	pki_file_free(f);
	if (rc != MMP_OK)
		return fail(ss, &err);
	if (ask_secret(ss, "Enter password: ", pw, sizeof(pw), "pki unlock") != 0)
		return 1;
	rc = pki_unlock(ss->store, argv[0], pw, &err);
	explicit_bzero(pw, sizeof(pw));
	if (rc != MMP_OK)
		return fail(ss, &err);
	json_object_set_new(res_data(ss), "file", report_str(argv[0]));
	json_object_set_new(res_data(ss), "unlocked", json_true());
	res_check(ss, REPORT_SUCCESS, "key.unlocked", argv[0], 0, NULL, "%s unlocked", argv[0]);
	return 0;
}

/* An existing key is replaced only after a capital Y on a terminal. */
static int confirm_replace(struct mmp_session *ss, const char *base, int *overwrite)
{
	char key[STORE_NAME_MAX + 8], ans[16];

	snprintf(key, sizeof(key), "%s.key", base);
	*overwrite = 0;
	if (!store_exists(ss->store, key))
		return 0;
	if (!ss->interactive || ss->prompt == NULL) {
		char remedy[2 * STORE_NAME_MAX + 100];
		snprintf(remedy, sizeof(remedy), "choose another basename, or remove %s first (sftp rm %s)",
			 key, key);
		res_check(ss, REPORT_FAILURE, "key.exists", key, 0, remedy,
			  "%s already exists and a private key is never replaced in a script", key);
		return -1;
	}
	res_printf(ss, "%s already exists. Replacing it loses the old key for good.\n", key);
	if (ss->prompt(ss, "Type Y to replace it: ", 0, ans, sizeof(ans)) != MMP_OK ||
	    strcmp(ans, "Y") != 0) {
		res_check(ss, REPORT_FAILURE, "shell.cancelled", key, 0, "nothing was changed", "%s kept", key);
		return -1;
	}
	*overwrite = 1;
	return 0;
}

/* FAILURE when <base>.<ext> is in use by a service (SPEC §4). A new pair
 * goes under another basename: the one in use stays in service until the
 * new one is installed (freeing it first would stop the service). */
static int check_free(struct mmp_session *ss, const char *cmd, const char *ext, int argc,
		      char **argv)
{
	const char *base = argv[0];
	char name[STORE_NAME_MAX + 8];
	struct mmp_err err;
	enum mmp_rc rc;
	int a;

	snprintf(name, sizeof(name), "%s.%s", base, ext);
	mmp_err_clear(&err);
	rc = store_check_free(ss->store, name, &err);
	/* this early check only spares a question and a key: the write checks
	 * again under the guard, so the settings are not held meanwhile */
	store_guard_release(ss->store);
	if (rc == MMP_ERR_IN_USE && strstr(err.msg, ": cannot tell") == NULL) {
		char line[1024];
		char *cut = strstr(err.msg, ": run ");
		size_t l = (size_t)snprintf(line, sizeof(line), "%s %s-new", cmd, base);

		for (a = 1; a < argc && l < sizeof(line); a++) {
			const char *colon = strchr(argv[a], ':');
			if (strchr(argv[a], ' ') != NULL && colon != NULL) /* as typed: quoted */
				l += (size_t)snprintf(line + l, sizeof(line) - l, " %.*s:\"%s\"",
						      (int)(colon - argv[a]), argv[a], colon + 1);
			else
				l += (size_t)snprintf(line + l, sizeof(line) - l, " %s", argv[a]);
		}
		if (cut != NULL)
			*cut = '\0';
		l = strlen(err.msg);
		snprintf(err.msg + l, sizeof(err.msg) - l, ": make the new pair under another basename, e.g. %s, and install it; the pair in use stays in service until then",
			 line);
		err.remedy_at = l + 2;
	}
	return rc != MMP_OK ? fail(ss, &err) : 0;
}

/* The certificate of `pki csr <base> from:<certificate>` (a renewal), NULL
 * when no argument is from:; the other attributes may not come with it. */
static const char *csr_from(int argc, char **argv, struct mmp_err *err)
{
	const char *from = NULL;
	int a;

	for (a = 1; a < argc; a++)
		if (strncmp(argv[a], "from:", 5) == 0)
			from = argv[a] + 5;
	if (from == NULL)
		return NULL;
	if (argc > 2) {
		mmp_err_set(err, MMP_ERR_USAGE,
			    "pki csr %s from:%s takes the subject, subjectAltName and ExtendedKeyUsage from the certificate, and no other attribute: give from: alone, or the attributes without from:",
			    argv[0], from);
		mmp_err_about(err, "csr.from_with_attributes", NULL, 0);
	} else if (from[0] == '\0') {
		mmp_err_set(err, MMP_ERR_USAGE,
			    "from: has no value: write from:<certificate>, the certificate to renew (pki list shows the files)");
		mmp_err_about(err, "csr.from_not_certificate", NULL, 0);
	}
	return from;
}

static int make_key(struct mmp_session *ss, int argc, char **argv, int selfsigned)
{
	struct report r;
	struct pki_subject subj;
	struct mmp_err err;
	int overwrite;
	enum mmp_rc rc;
	const char *from = NULL;

	mmp_err_clear(&err);
	if (store_check_basename(argv[0], &err) != MMP_OK)
		return fail(ss, &err);
	if (!selfsigned && (from = csr_from(argc, argv, &err)) != NULL) {
		if (err.msg[0] != '\0')
			return fail(ss, &err);
	} else if (cli_parse_subject(argc - 1, argv + 1, &subj, &err) != MMP_OK ||
		   pki_subject_check(&subj, !selfsigned, &err) != MMP_OK) {
		return fail(ss, &err);
	}
	/* files a service uses are refused before any question or key */
	if (check_free(ss, selfsigned ? "pki selfsigned" : "pki csr", "key", argc, argv) != 0 ||
	    check_free(ss, selfsigned ? "pki selfsigned" : "pki csr", selfsigned ? "crt" : "csr", argc, argv) != 0)
		return 1;
	if (confirm_replace(ss, argv[0], &overwrite) != 0)
		return 1;
	if (ss->interactive) {
		res_printf(ss, "Generating an RSA 2048 private key...\n");
		fflush(ss->out);
	}
	report_init(&r);
	rc = selfsigned ? pki_selfsigned(ss->store, argv[0], &subj, overwrite, &err)
	     : from != NULL ? pki_csr_from(ss->store, argv[0], from, overwrite, &r, &err)
			    : pki_csr(ss->store, argv[0], &subj, overwrite, &r, &err);
	if (rc != MMP_OK) {
		report_free(&r);
		return fail(ss, &err);
	}
	{
		char name[STORE_NAME_MAX + 8];
		snprintf(name, sizeof(name), "%s.key", argv[0]);
		json_object_set_new(res_data(ss), "key", report_str(name));
		snprintf(name, sizeof(name), "%s.%s", argv[0], selfsigned ? "crt" : "csr");
		json_object_set_new(res_data(ss), selfsigned ? "certificate" : "csr", report_str(name));
		if (!selfsigned) {
			json_t *kept = json_object_get(report_data(&r), "kept");
			json_object_set_new(res_data(ss), "from", from != NULL ? report_str(from) : json_null());
			json_object_set(res_data(ss), "kept", kept != NULL ? kept : json_null());
		}
	}
	if (selfsigned) {
		res_printf(ss, "Created key file %s.key and certificate %s.crt\n", argv[0], argv[0]);
	} else {
		res_printf(ss, "Created key file %s.key and CSR %s.csr\n", argv[0], argv[0]);
		/* the SAN, when it has an internationalised name; from: what
		 * was taken from the certificate */
		cmd_print_report(ss, &r);
		res_printf(ss, "CSR file %s.csr ready for download via SFTP\n", argv[0]);
	}
	report_free(&r);
	return 0;
}

int cmd_pki_csr(struct mmp_session *ss, int argc, char **argv)
{
	return make_key(ss, argc, argv, 0);
}

int cmd_pki_selfsigned(struct mmp_session *ss, int argc, char **argv)
{
	return make_key(ss, argc, argv, 1);
}

int cmd_pki_sign(struct mmp_session *ss, int argc, char **argv)
{
	struct mmp_err err;
	struct report r;

	(void)argc;
	mmp_err_clear(&err);
	report_init(&r);
	if (store_check_basename(argv[0], &err) != MMP_OK ||
	    store_check_basename(argv[1], &err) != MMP_OK ||
	    svc_check_sign_ca(ss->store, ss->cfg, argv[0], argv[1], &err) != MMP_OK ||
	    pki_sign(ss->store, argv[0], argv[1], &r, &err) != MMP_OK) {
		report_free(&r);
		return fail(ss, &err);
	}
	{
		char name[STORE_NAME_MAX + 8];
		snprintf(name, sizeof(name), "%s.crt", argv[0]);
		json_object_set_new(res_data(ss), "certificate", report_str(name));
		snprintf(name, sizeof(name), "%s.crt", argv[1]);
		json_object_set_new(res_data(ss), "ca_certificate", report_str(name));
	}
	res_printf(ss, "Created certificate %s.crt, signed by %s.crt\n", argv[0], argv[1]);
	cmd_print_report(ss, &r); /* the EKU kept from the CSR */
	report_free(&r);
	return 0;
}

int cmd_pki_pkcs12_to_ssh(struct mmp_session *ss, int argc, char **argv)
{
	struct mmp_err err;
	char pw[1024], name[STORE_NAME_MAX + 8];
	enum mmp_rc rc;

	(void)argc;
	mmp_err_clear(&err);
	if (store_check_basename(argv[0], &err) != MMP_OK)
		return fail(ss, &err);
	snprintf(name, sizeof(name), "%s.pub", argv[0]);
	if (!store_exists(ss->store, name)) {
		char remedy[STORE_NAME_MAX + 64];
		snprintf(remedy, sizeof(remedy), "upload the PKCS#12 file as %s with SFTP first", name);
		res_check(ss, REPORT_FAILURE, "file.not_found", name, 0, remedy,
			  "%s: no such file in the file store", name);
		return 1;
	}
	{ /* the file's kind first: never ask for a password it cannot use */
		struct pki_file *f = NULL;
		enum mmp_rc krc = pki_file_load(ss->store, name, &f, &err);
		if (krc == MMP_OK && pki_file_kind(f) == PKI_KIND_SSH_PUBKEY) {
			pki_file_free(f);
			json_object_set_new(res_data(ss), "file", report_str(name));
			json_object_set_new(res_data(ss), "converted", json_false());
			res_printf(ss, "%s already holds an OpenSSH public key: nothing to do\n", name);
			return 0;
		}
		if (krc == MMP_OK)
			krc = pki_file_expect(f, PKI_WANT(PKI_KIND_PKCS12), &err);
		pki_file_free(f);
		if (krc != MMP_OK)
			return fail(ss, &err);
	}
	if (ask_secret(ss, "Enter PKCS#12 password: ", pw, sizeof(pw), "pki pkcs12-to-ssh") != 0)
		return 1;
	rc = pki_pkcs12_to_ssh(ss->store, argv[0], pw, &err);
	explicit_bzero(pw, sizeof(pw));
	if (rc != MMP_OK)
		return fail(ss, &err);
	json_object_set_new(res_data(ss), "file", report_str(name));
	json_object_set_new(res_data(ss), "converted", json_true());
	res_check(ss, REPORT_SUCCESS, "pkcs12.to_ssh", name, 0, NULL,
		  "%s now holds the OpenSSH public key of user %s", name, argv[0]);
	return 0;
}

int cmd_pki_pkcs12_extract(struct mmp_session *ss, int argc, char **argv)
{
	struct mmp_err err;
	struct report r;
	char pw[1024];
	enum mmp_rc rc;

	(void)argc;
	mmp_err_clear(&err);
	/* the file's kind and the free names first: never ask for a password
	 * that cannot be used */
	if (pki_pkcs12_extract_check(ss->store, argv[0], argv[1], &err) != MMP_OK)
		return fail(ss, &err);
	if (ask_secret(ss, "Enter PKCS#12 password: ", pw, sizeof(pw), "pki pkcs12-extract") != 0)
		return 1;
	report_init(&r);
	rc = pki_pkcs12_extract(ss->store, argv[0], argv[1], pw, &r, &err);
	explicit_bzero(pw, sizeof(pw));
	cmd_print_report(ss, &r);
	report_free(&r);
	if (rc != MMP_OK)
		return fail(ss, &err);
	return 0;
}

/* The JSON answers (issue 12). A certificate's fields are named as
 * Ansible's community.crypto.x509_certificate_info names them. */
static const struct res_field pki_counts[] = {
	{ "total", RES_INT, 0, NULL, "files in the file store" },
	{ "private_keys", RES_INT, 0, NULL, "private keys, locked ones included" },
	{ "locked_keys", RES_INT, 0, NULL, "password-protected private keys" },
	{ "certificates", RES_INT, 0, NULL, "files of one certificate" },
	{ "bundles", RES_INT, 0, NULL, "files of two or more certificates" },
	{ "csrs", RES_INT, 0, NULL, "certificate signing requests" },
	{ "pkcs12", RES_INT, 0, NULL, "PKCS#12 files" },
	{ "ssh_public_keys", RES_INT, 0, NULL, "OpenSSH public key files" },
	{ "crls", RES_INT, 0, NULL, "files of certificate revocation lists" },
	{ "other", RES_INT, 0, NULL, "any other file" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field pki_result[] = {
	{ "counts", RES_OBJ, 0, pki_counts, "the files of the file store by type" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field pki_list_file[] = {
	{ "name", RES_STR, 0, NULL, "the file's name" },
	{ "locked", RES_BOOL, 0, NULL, "a password-protected private key (text: \"(locked)\")" },
	{ "expired", RES_BOOL, 0, NULL, "a certificate of the file has ended (text: \"(expired)\")" },
	{ "expires_in_days", RES_INT, RES_NULLABLE, NULL, "days until its first certificate to end does, when that is within the largest alarm threshold (text: \"(expires in N days)\"); null otherwise" },
	{ "login_key_of", RES_STR, RES_NULLABLE, NULL, "the user whose login key file <user>.pub it is; null: none" },
	{ "in_use_by", RES_LIST, 0, NULL, "the services whose configuration uses it" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field pki_list_result[] = {
	{ "files", RES_LIST, 0, pki_list_file, "every file of the file store, in name order" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field pki_not_usable[] = {
	{ "use", RES_STR, 0, NULL, "TLS server, TLS client or CA" },
	{ "why", RES_STR, 0, NULL, "the rule of guide section 2.2 it breaks" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field pki_fingerprints[] = {
	{ "sha256", RES_STR, 0, NULL, "SHA-256 of the DER certificate, AB:CD:... as the text shows it" },
	{ NULL, 0, 0, NULL, NULL },
};
#define PKI_EXT_FIELD(name, what)                                                               \
	{ name, RES_LIST, RES_NULLABLE, NULL, what "; null when absent or unreadable" },        \
	{ name "_critical", RES_BOOL, 0, NULL, "the " what " extension is marked critical" }
static const struct res_field pki_cert[] = {
	{ "position", RES_INT, 0, NULL, "1-based position in the file" },
	{ "subject", RES_OBJ, 0, NULL, "attribute long name (commonName, organizationName...) to value; an attribute given twice has its values joined with \", \"" },
	{ "issuer", RES_OBJ, 0, NULL, "the issuer's name, as subject" },
	{ "serial_number", RES_STR, RES_NULLABLE, NULL, "hex bytes AB:CD:..., '-' first when negative" },
	{ "not_before", RES_TIME, RES_NULLABLE, NULL, "start of validity" },
	{ "not_after", RES_TIME, RES_NULLABLE, NULL, "end of validity" },
	{ "expired", RES_BOOL, 0, NULL, "not_after has passed" },
	{ "not_yet_valid", RES_BOOL, 0, NULL, "not_before is still to come" },
	{ "days_left", RES_INT, RES_NULLABLE, NULL, "days until not_after (a started day counts), negative: days since it expired; null when not yet valid or unreadable" },
	{ "public_key_type", RES_STR, RES_NULLABLE, NULL, "RSA, EC, ED25519...; null when unsupported" },
	{ "public_key_size", RES_INT, RES_NULLABLE, NULL, "key size in bits" },
	{ "public_key_curve", RES_STR, RES_OPTIONAL, NULL, "the curve of an EC key" },
	{ "signature_algorithm", RES_STR, 0, NULL, "OpenSSL's long name, e.g. sha256WithRSAEncryption" },
	PKI_EXT_FIELD("subject_alt_name", "subjectAltName: DNS:x, IP:x, email:x, URI:x"),
	PKI_EXT_FIELD("key_usage", "KeyUsage bits (digitalSignature...)"),
	PKI_EXT_FIELD("extended_key_usage", "ExtendedKeyUsage purposes, OpenSSL's long names"),
	PKI_EXT_FIELD("basic_constraints", "basicConstraints: CA:TRUE or CA:FALSE, then pathlen:N"),
	PKI_EXT_FIELD("netscape_cert_type", "Netscape cert type bits"),
	{ "fingerprints", RES_OBJ, 0, pki_fingerprints, "digests of the certificate" },
	{ "usable_for", RES_LIST, 0, NULL, "what guide section 2.2 allows: TLS server, TLS client, CA" },
	{ "not_usable_for", RES_LIST, 0, pki_not_usable, "what it may not be used for, and why" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field pki_key[] = {
	{ "public_key_type", RES_STR, RES_NULLABLE, NULL, "RSA, EC...; null when unsupported" },
	{ "public_key_size", RES_INT, RES_NULLABLE, NULL, "key size in bits" },
	{ "public_key_curve", RES_STR, RES_OPTIONAL, NULL, "the curve of an EC key" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field pki_csr_facts[] = {
	{ "subject", RES_OBJ, 0, NULL, "attribute long name to value" },
	{ "subject_alt_name", RES_LIST, RES_NULLABLE, NULL, "the names the CSR asks for; null: none" },
	{ "extended_key_usage", RES_LIST, RES_NULLABLE, NULL, "the ExtendedKeyUsage the CSR asks for (pki sign keeps it); null: none" },
	{ "public_key_type", RES_STR, RES_NULLABLE, NULL, "RSA, EC..." },
	{ "public_key_size", RES_INT, RES_NULLABLE, NULL, "key size in bits" },
	{ "public_key_curve", RES_STR, RES_OPTIONAL, NULL, "the curve of an EC key" },
	{ "signature_algorithm", RES_STR, 0, NULL, "OpenSSL's long name" },
	{ "signature_valid", RES_BOOL, 0, NULL, "the CSR's signature verifies with its key" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field pki_crl_facts[] = {
	{ "position", RES_INT, 0, NULL, "1-based position in the file" },
	{ "issuer", RES_OBJ, 0, NULL, "the CA that issued it: attribute long name to value" },
	{ "last_update", RES_TIME, RES_NULLABLE, NULL, "thisUpdate: when it was issued" },
	{ "next_update", RES_TIME, RES_NULLABLE, NULL, "nextUpdate: when the CA issues the next; null when absent" },
	{ "crl_number", RES_STR, RES_NULLABLE, NULL, "the CRLNumber, decimal; null when absent (pki verify refuses such a CRL)" },
	{ "revoked", RES_INT, 0, NULL, "how many certificates it revokes" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field pki_inspect_result[] = {
	{ "file", RES_STR, 0, NULL, "the file inspected" },
	{ "kind", RES_STR, 0, NULL, "private_key, locked_private_key, public_key, foreign_private_key, certificate, bundle, csr, pkcs12, ssh_public_key, crl, empty or unknown" },
	{ "description", RES_STR, RES_OPTIONAL, NULL, "what the file is, in words; absent when it cannot be used" },
	{ "key", RES_OBJ, RES_OPTIONAL, pki_key, "the key, when the file is a private or public key" },
	{ "also_holds", RES_LIST, RES_OPTIONAL, NULL, "what else it holds: locked_private_key, openssh_private_key, csr, crls, other_pem_blocks" },
	{ "certificates", RES_LIST, RES_OPTIONAL, pki_cert, "each certificate, in file order" },
	{ "csr", RES_OBJ, RES_OPTIONAL, pki_csr_facts, "the CSR, when the file is one" },
	{ "crls", RES_LIST, RES_OPTIONAL, pki_crl_facts, "each certificate revocation list, when the file holds CRLs only" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field pki_checksum_file[] = {
	{ "name", RES_STR, 0, NULL, "the file's name, escaped as the text shows it" },
	{ "sha256", RES_STR, 0, NULL, "SHA-256 of its bytes, 64 lowercase hex digits (as sha256sum prints it)" },
	{ "size", RES_INT, 0, NULL, "its size in bytes" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field pki_checksum_result[] = {
	{ "files", RES_LIST, 0, pki_checksum_file, "each file named, in the order given (every file of the store in name order when none is); a file that cannot be read is left out, with a FAILURE" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field pki_expiry_cert[] = {
	{ "file", RES_STR, 0, NULL, "the file that holds it" },
	{ "position", RES_INT, 0, NULL, "1-based position in the file" },
	{ "subject", RES_STR, 0, NULL, "its subject, one line" },
	{ "issuer", RES_STR, 0, NULL, "its issuer, one line" },
	{ "serial_number", RES_STR, 0, NULL, "its serial number in decimal" },
	{ "not_before", RES_TIME, 0, NULL, "start of validity" },
	{ "not_after", RES_TIME, 0, NULL, "end of validity" },
	{ "days_left", RES_INT, 0, NULL, "days until not_after (a started day counts); negative: days since it ended" },
	{ "expired", RES_BOOL, 0, NULL, "not_after has passed" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field pki_expiry_use[] = {
	{ "service", RES_STR, 0, NULL, "callbridge, webbridge3, turn, meetingapps, database cluster, tls sip, tls ldap" },
	{ "use", RES_STR, 0, NULL, "what the service uses it for, as the command says it: certs, trust c2w, https certs..." },
	{ "file", RES_STR, 0, NULL, "the certificate (full chain) or trust file set" },
	{ "bundle", RES_STR, RES_NULLABLE, NULL, "its bundle or CA file; null: none" },
	{ "first_to_end", RES_OBJ, RES_NULLABLE, pki_expiry_cert, "the certificate on its chain (or in the trust file) that ends first; null: the files hold none" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field pki_expiry_result[] = {
	{ "days", RES_INT, 0, NULL, "the days asked about (default 30)" },
	{ "services", RES_LIST, 0, pki_expiry_use, "each use of certificates by a service set on this node" },
	{ "certificates", RES_LIST, 0, pki_expiry_cert, "every certificate of the file store, the first to end first" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field pki_metrics_result[] = {
	{ "exposition", RES_STR, 0, NULL, "the Prometheus text format, as the text output shows it" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field pki_alarms_result[] = {
	{ "days", RES_LIST, RES_INTS, NULL, "the thresholds in days, largest first as set" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field pki_match_result[] = {
	{ "key", RES_STR, 0, NULL, "the private key file" },
	{ "certificate", RES_STR, 0, NULL, "the certificate file" },
	{ "match", RES_BOOL, 0, NULL, "true: the key is the certificate's" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field pki_chain_cert[] = {
	{ "position", RES_INT, 0, NULL, "1: the leaf" },
	{ "subject", RES_STR, 0, NULL, "its subject, one line" },
	{ "role", RES_STR, 0, NULL, "leaf, intermediate, trust anchor, root, trusted..." },
	{ "source", RES_STR, 0, NULL, "the file (and position) it came from" },
	{ "revocation", RES_STR, RES_NULLABLE, NULL, "what the CRLs given told of it, as the text says: checked (a CRL covers it and does not list it), revoked, not checked (no CRL of its issuer was given, or the verification stopped before), not needed (trust anchor); null when no CRL was given" },
	{ "crl", RES_STR, RES_NULLABLE, NULL, "the file of the CRL it was checked against; null: none" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field pki_verify_result[] = {
	{ "certificate", RES_STR, 0, NULL, "the certificate file" },
	{ "bundle", RES_STR, 0, NULL, "the bundle or CA certificate file" },
	{ "ca", RES_STR, RES_NULLABLE, NULL, "the CA certificate file, when given" },
	{ "name", RES_STR, RES_NULLABLE, NULL, "the DNS name or IP address checked (name:), when given" },
	{ "crls", RES_LIST, 0, NULL, "the crl: files given (CRLs of the bundle are used too)" },
	{ "chain", RES_LIST, RES_OPTIONAL, pki_chain_cert, "the chain built, leaf first" },
	{ "verified", RES_BOOL, 0, NULL, "true: the chain verifies" },
	{ "anchor", RES_STR, 0, NULL, "the subject of the root or trust anchor it ends at" },
	{ "anchor_is_root", RES_BOOL, 0, NULL, "the anchor is a self-signed root" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field pki_unlock_result[] = {
	{ "file", RES_STR, 0, NULL, "the key file" },
	{ "unlocked", RES_BOOL, 0, NULL, "true: unlocked now; false: it was not locked" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field pki_csr_kept[] = {
	{ "subject", RES_STR, 0, NULL, "the subject, one line" },
	{ "subject_alt_name", RES_STR, RES_NULLABLE, NULL, "the subjectAltName as the text shows it; null: none" },
	{ "extended_key_usage", RES_STR, RES_NULLABLE, NULL, "the ExtendedKeyUsage as the text shows it; null: none" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field pki_csr_result[] = {
	{ "key", RES_STR, 0, NULL, "the private key written" },
	{ "csr", RES_STR, 0, NULL, "the CSR written" },
	{ "from", RES_STR, RES_NULLABLE, NULL, "the certificate renewed (from:); null when the attributes were given" },
	{ "kept", RES_OBJ, RES_NULLABLE, pki_csr_kept, "what the CSR took from the certificate (from:), as the text shows it; null without from:" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field pki_selfsigned_result[] = {
	{ "key", RES_STR, 0, NULL, "the private key written" },
	{ "certificate", RES_STR, 0, NULL, "the self-signed certificate written" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field pki_sign_result[] = {
	{ "certificate", RES_STR, 0, NULL, "the certificate written" },
	{ "ca_certificate", RES_STR, 0, NULL, "the CA certificate that signed it" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field pki_to_ssh_result[] = {
	{ "file", RES_STR, 0, NULL, "<username>.pub" },
	{ "converted", RES_BOOL, 0, NULL, "true: converted now; false: it already held an OpenSSH key" },
	{ NULL, 0, 0, NULL, NULL },
};
static const struct res_field pki_extract_result[] = {
	{ "key", RES_STR, 0, NULL, "the private key written" },
	{ "certificate", RES_STR, 0, NULL, "the certificate of the key written" },
	{ "bundle", RES_STR, RES_NULLABLE, NULL, "the CA bundle written; null when none was (self-signed or no CA certificate)" },
	{ "ca_certificates", RES_INT, 0, NULL, "CA certificates in the bundle" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct mmp_cmd cmd_pki_table[] = {
	{ "pki", "pki", "Show the pki usage and a count of the files by type",
	  0, 0, ROLES_ALL, 0, { 0 }, cmd_pki, pki_result },
	{ "pki list", "pki list", "List the keys, certificates, CSRs and bundles in the file store",
	  0, 0, ROLES_ALL, 0, { 0 }, cmd_pki_list, pki_list_result },
	{ "pki inspect", "pki inspect <filename>",
	  "Say what a file is; show each certificate's fields, validity and allowed uses",
	  1, 1, ROLES_ALL, 0, { COMPLETE_FILE }, cmd_pki_inspect, pki_inspect_result },
	{ "pki checksum", "pki checksum [<filename>...]",
	  "Print the SHA-256 of files of the store as sha256sum does (every file when none is named)",
	  0, -1, ROLES_ALL, 0, { COMPLETE_FILE, COMPLETE_FILE, COMPLETE_FILE }, cmd_pki_checksum, pki_checksum_result },
	{ "pki expiry", "pki expiry [<days>]",
	  "List when the certificates that services use end, the first on each chain; fail when one ends within <days> (30)",
	  0, 1, ROLES_ALL, 0, { 0 }, cmd_pki_expiry, pki_expiry_result },
	{ "pki metrics", "pki metrics",
	  "Print the certificates' dates as Prometheus metrics (x509-certificate-exporter's names)",
	  0, 0, ROLES_ALL, 0, { 0 }, cmd_pki_metrics, pki_metrics_result },
	{ "pki alarms", "pki alarms [<days>...|default]",
	  "Show or set the days before a certificate ends that a login warns at (default 30 7 1)",
	  0, EXPIRY_MAX_THRESHOLDS, ROLES_PKI, W_SET, { 0 }, cmd_pki_alarms, pki_alarms_result },
	{ "pki match", "pki match <key> <certificate>",
	  "Check that a private key and a certificate belong together",
	  2, 2, ROLES_PKI, 0, { COMPLETE_KEY, COMPLETE_CERT }, cmd_pki_match, pki_match_result },
	{ "pki verify",
	  "pki verify <cert> <cert bundle/CA cert> [<CA cert>] [name:<dns name or IP address>] [crl:<file>...]",
	  "Check that a certificate chains to a CA through the bundle, holds a name and is not revoked",
	  2, 12, ROLES_PKI, 0, { COMPLETE_CERT, COMPLETE_CERT, COMPLETE_VERIFY }, cmd_pki_verify, pki_verify_result },
	{ "pki unlock", "pki unlock <key>",
	  "Replace a password-protected key with the unlocked key of the same name",
	  1, 1, ROLES_PKI, W_FILES | CMD_ASKS(1), { COMPLETE_KEY }, cmd_pki_unlock, pki_unlock_result },
	{ "pki csr",
	  "pki csr <key/cert basename> CN:<value> [OU:<value>] [O:<value>] [L:<value>] [ST:<value>] [C:<value>] [emailAddress:<value>] [subjectAltName:<value>,<value>...] | from:<certificate>",
	  "Make an RSA 2048 key <basename>.key and a SHA-256 CSR <basename>.csr; from: renews a certificate, keeping its subject, subjectAltName and ExtendedKeyUsage",
	  1, 9, ROLES_PKI, 1, { COMPLETE_NONE, COMPLETE_ATTR, COMPLETE_ATTR }, cmd_pki_csr, pki_csr_result },
	{ "pki selfsigned",
	  "pki selfsigned <key/cert basename> [CN:<value>] [OU:<value>] [O:<value>] [L:<value>] [ST:<value>] [C:<value>] [emailAddress:<value>] [subjectAltName:<value>,...]",
	  "Make a key <basename>.key and a self-signed CA certificate <basename>.crt",
	  1, 9, ROLES_PKI, 1, { COMPLETE_NONE, COMPLETE_ATTR, COMPLETE_ATTR }, cmd_pki_selfsigned, pki_selfsigned_result },
	{ "pki sign", "pki sign <csr basename> <ca basename>",
	  "Sign <csr basename>.csr with <ca basename>.key/.crt into <csr basename>.crt",
	  2, 2, ROLES_PKI, 1, { COMPLETE_BASE, COMPLETE_CABASE }, cmd_pki_sign, pki_sign_result },
	{ "pki pkcs12-to-ssh", "pki pkcs12-to-ssh <username>",
	  "Replace the PKCS#12 file <username>.pub with its OpenSSH public key",
	  1, 1, ROLE_ADMIN, W_FILES | CMD_ASKS(1), { COMPLETE_NONE }, cmd_pki_pkcs12_to_ssh, pki_to_ssh_result },
	{ "pki pkcs12-extract", "pki pkcs12-extract <file> <basename>",
	  "Split a PKCS#12 (.pfx/.p12) into <basename>.key, <basename>.crt and <basename>-bundle.crt",
	  2, 2, ROLES_PKI, W_FILES | CMD_ASKS(1), { COMPLETE_FILE, COMPLETE_NONE }, cmd_pki_pkcs12_extract, pki_extract_result },
	{ NULL, NULL, NULL, 0, 0, 0, 0, { 0 }, NULL, NULL },
};
