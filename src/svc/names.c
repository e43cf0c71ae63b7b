/*
 * names.c: do the certificates of a service hold the names it is reached
 * by (issue 15)? Each name of a setting (webbridge3 https/c2w names, turn
 * names, the hostname) is checked on the leaf of the installed file with
 * pki_name_check, the rules browsers apply (RFC 6125 section 6).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mmp/svc.h"

/* Is name a word of the subjectAltName: list of the pki csr line? */
static int san_has(const char *line, const char *name)
{
	const char *p = strstr(line, " subjectAltName:");
	size_t len, n = strlen(name);

	if (p == NULL)
		return 0;
	for (p += strlen(" subjectAltName:"); *p != '\0' && *p != ' '; p += len + (p[len] == ',')) {
		len = strcspn(p, ", ");
		if (len == n && strncasecmp(p, name, n) == 0)
			return 1;
	}
	return 0;
}

/* The pki csr line that asks for a certificate holding every name: a new
 * basename (<crt without its extension>-new), the first name as CN and
 * the others as subjectAltName (pki csr appends the CN to them); keep:
 * the names leaf already has, then those of names not among them. */
static void csr_line(const struct pki_file *f, const char *crt, const char *names, int keep,
		     char *buf, size_t size)
{
	char base[STORE_NAME_MAX + 8];
	const char *dot = strrchr(crt, '.'), *p;
	size_t at, len, n = 0;

	snprintf(base, sizeof(base), "%.*s-new", dot != NULL ? (int)(dot - crt) : (int)strlen(crt),
		 crt);
	if (keep && pki_csr_line(f, 0, base, buf, size)) {
		at = strlen(buf);
		/* the line may hold it already: pki_csr_line writes an entry
		 * "x." (which browsers miss) as "x" */
		if (at < size && !san_has(buf, names))
			snprintf(buf + at, size - at, "%s%s",
				 strstr(buf, " subjectAltName:") != NULL ? "," : " subjectAltName:", names);
		return;
	}
	at = (size_t)snprintf(buf, size, "pki csr %s", base);
	for (p = names; *p != '\0' && at < size; p += len + (p[len] == ' ')) {
		len = strcspn(p, " ");
		at += (size_t)snprintf(buf + at, size - at, "%s%.*s",
				       n == 0 ? " CN:" : n == 1 ? " subjectAltName:" : ",", (int)len, p);
		n++;
	}
}

enum mmp_rc svc_check_names(const struct store *s, const char *crt, const char *names,
			    const struct svc_names_use *use, const char *fix_names,
			    struct report *r)
{
	char name[PKI_FQDN_MAX + 2], line[2200];
	struct pki_file *f = NULL;
	struct mmp_err err;
	size_t before = r->failures, len, mlen;
	const char *p;

	mmp_err_clear(&err);
	if (pki_file_load(s, crt, &f, &err) != MMP_OK || pki_file_cert_count(f) == 0) {
		report_check(r, REPORT_WARNING, "names.not_checked", crt, 0,
			     "%s: the names of %s are not checked: %s", crt, use->setting,
			     err.msg[0] != '\0' ? err.msg : "it holds no certificate");
		report_remedy(r, "install a certificate that can be read with %s", use->certs_cmd);
		pki_file_free(f);
		return MMP_OK;
	}
	line[0] = '\0';
	for (p = names; *p != '\0'; p += len + (p[len] == ' ')) {
		len = strcspn(p, " ");
		if (len == 0 || len >= sizeof(name))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)len, p);
		mmp_err_clear(&err);
		if (pki_name_check(f, 0, name, r, &err) == MMP_OK)
			continue;
		if (err.rc != MMP_ERR_VERIFY) { /* name.invalid: a damaged setting */
			report_check(r, REPORT_FAILURE, mmp_err_code(&err), crt, 0, "%s: %s", use->setting,
				     err.msg);
			report_remedy(r, "%s", fix_names);
			continue;
		}
		if (line[0] == '\0')
			csr_line(f, crt, names, use->keep_names, line, sizeof(line));
		/* pki_name_check's words up to its remedy, then this service's */
		mlen = err.remedy_at >= 2 ? err.remedy_at - 2 : strlen(err.msg);
		report_check(r, use->miss, use->code, crt, 1, "%.*s; %s", (int)mlen, err.msg,
			     use->refuses);
		report_remedy(r, "%s makes a key and CSR for a certificate that holds %s (have it signed, then install it with %s), or %s",
			      line, use->keep_names ? "it too" : "every name", use->certs_cmd, fix_names);
	}
	pki_file_free(f);
	return r->failures > before ? MMP_ERR_RULE : MMP_OK;
}
