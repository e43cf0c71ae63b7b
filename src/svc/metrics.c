/*
 * metrics.c: the certificates of the store as a Prometheus text file
 * (mmp/expiry.h), for node_exporter's textfile collector, with the metric
 * names and labels of enix's x509-certificate-exporter so that its Grafana
 * dashboards work unchanged; plus the label service (issue 14).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmp/access.h"
#include "mmp/expiry.h"
#include "mmp/pki.h"

/* A label value of the text format: backslash, double quote and line feed
 * escaped (Prometheus exposition formats, "text format details"). */
static void put_value(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', fp), fputc(*s, fp);
		else if (*s == '\n')
			fputs("\\n", fp);
		else
			fputc(*s, fp);
	}
}

static void put_label(FILE *fp, int *first, const char *name, const char *value)
{
	if (value == NULL || value[0] == '\0') /* enix sets a name's labels only when present */
		return;
	fputs(*first ? "{" : ",", fp);
	*first = 0;
	fprintf(fp, "%s=\"", name);
	put_value(fp, value);
	fputc('"', fp);
}

static void put_name(FILE *fp, int *first, const char *prefix, const struct name_facts *n)
{
	char label[32];

#define NAME_LABEL(part, field)                                          \
	snprintf(label, sizeof(label), "%s_%s", prefix, part);           \
	put_label(fp, first, label, n->field)
	NAME_LABEL("C", c);
	NAME_LABEL("CN", cn);
	NAME_LABEL("L", l);
	NAME_LABEL("O", o);
	NAME_LABEL("OU", ou);
	NAME_LABEL("ST", st);
#undef NAME_LABEL
}

/* Is certificate k of f a copy of an earlier one of f (same serial,
 * subject and issuer)? Its series would be the same: written once. */
static int repeated(const struct file_facts *f, size_t k)
{
	size_t j;

	for (j = 0; j < k; j++)
		if (strcmp(f->certs[j].serial, f->certs[k].serial) == 0 &&
		    strcmp(f->certs[j].subject, f->certs[k].subject) == 0 &&
		    strcmp(f->certs[j].issuer, f->certs[k].issuer) == 0)
			return 1;
	return 0;
}

/* Does a use name file? */
static int uses_file(const struct expiry_use *u, const char *file)
{
	return strcmp(u->file, file) == 0 || strcmp(u->bundle, file) == 0;
}

static void series(FILE *fp, const char *metric, const struct file_facts *f, const struct cert_facts *c,
		   const char *service, const char *files_dir, long long value)
{
	char path[4200];
	int first = 1;

	snprintf(path, sizeof(path), "%s/%s", files_dir, f->name);
	fputs(metric, fp);
	put_label(fp, &first, "filename", f->name);
	put_label(fp, &first, "filepath", path);
	put_name(fp, &first, "issuer", &c->iss);
	put_label(fp, &first, "serial_number", c->serial);
	put_label(fp, &first, "service", service);
	put_name(fp, &first, "subject", &c->sub);
	fprintf(fp, "%s %lld\n", first ? "" : "}", value);
}

int expiry_write_metrics(FILE *fp, const struct store_facts *sf, const struct expiry_use *uses,
			 size_t nuses, const char *files_dir, long long now)
{
	static const struct {
		const char *name, *help;
	} metrics[] = {
		{ "x509_cert_not_before", "Indicates the certificate's not before timestamp" },
		{ "x509_cert_not_after", "Indicates the certificate's not after timestamp" },
		{ "x509_cert_expired", "Indicates if the certificate is expired" },
	};
	size_t m, i, k, u, errors = 0;

	for (m = 0; m < 3; m++) {
		fprintf(fp, "# HELP %s %s\n# TYPE %s gauge\n", metrics[m].name, metrics[m].help, metrics[m].name);
		for (i = 0; i < sf->nfiles; i++) {
			const struct file_facts *f = &sf->files[i];
			for (k = 0; k < f->ncerts; k++) {
				const struct cert_facts *c = &f->certs[k];
				long long v = m == 0 ? c->not_before : m == 1 ? c->not_after : c->not_after <= now;
				const char *done[16];
				size_t ndone = 0, d;
				if (repeated(f, k))
					continue;
				/* one series per service that uses the file, each once */
				for (u = 0; u < nuses; u++) {
					if (!uses_file(&uses[u], f->name))
						continue;
					for (d = 0; d < ndone && strcmp(done[d], uses[u].service) != 0; d++)
						;
					if (d < ndone || ndone == 16)
						continue;
					done[ndone++] = uses[u].service;
					series(fp, metrics[m].name, f, c, uses[u].service, files_dir, v);
				}
				if (ndone == 0)
					series(fp, metrics[m].name, f, c, NULL, files_dir, v);
			}
		}
	}
	for (i = 0; i < sf->nfiles; i++)
		errors += sf->files[i].kind == PKI_KIND_UNKNOWN;
	fprintf(fp, "# HELP x509_read_errors Indicates the number of read failure(s)\n"
		    "# TYPE x509_read_errors gauge\nx509_read_errors %zu\n", errors);
	return ferror(fp) ? -1 : 0;
}

enum mmp_rc expiry_metrics_file(const char *root, const char *path, struct mmp_err *err)
{
	struct store *s = store_open(root, err);
	struct cfg *c = NULL;
	struct store_facts *sf = NULL;
	struct expiry_use *uses = NULL;
	size_t n = 0;
	char tmp[4200];
	enum mmp_rc rc = MMP_ERR_IO;
	FILE *fp = NULL;
	int fd = -1;

	if (s == NULL)
		return MMP_ERR_IO;
	/* mmp-sshd itself reads the store (the access table's "mmp itself") */
	store_set_actor(s, ACCESS_SYSTEM, pki_access_classify);
	if ((c = cfg_open(root, err)) == NULL || (rc = store_facts_load(s, &sf, err)) != MMP_OK ||
	    (rc = expiry_uses(c, sf, &uses, &n, err)) != MMP_OK)
		goto out;
	rc = MMP_ERR_IO;
	/* a new file beside it, renamed over it: node_exporter never reads
	 * half a file. 0644: node_exporter runs as another user, and the
	 * file holds what the certificates show anyone they are sent to */
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof(tmp) ||
	    (fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644)) < 0 ||
	    fchmod(fd, 0644) != 0 || (fp = fdopen(fd, "w")) == NULL) {
		mmp_err_set(err, MMP_ERR_IO, "cannot write %s", tmp);
		mmp_err_cause_errno(err, errno);
		goto out;
	}
	fd = -1;
	if (expiry_write_metrics(fp, sf, uses, n, store_files_dir(s), (long long)pki_now()) != 0 ||
	    fflush(fp) != 0 || fsync(fileno(fp)) != 0) {
		mmp_err_set(err, MMP_ERR_IO, "cannot write %s", tmp);
		mmp_err_cause_errno(err, errno);
		goto out;
	}
	if (rename(tmp, path) != 0) {
		mmp_err_set(err, MMP_ERR_IO, "cannot rename %s to %s", tmp, path);
		mmp_err_cause_errno(err, errno);
		goto out;
	}
	tmp[0] = '\0';
	rc = MMP_OK;
out:
	if (fp != NULL)
		fclose(fp);
	if (fd >= 0)
		close(fd);
	if (tmp[0] != '\0' && rc != MMP_OK)
		unlink(tmp);
	free(uses);
	store_facts_free(sf);
	cfg_close(c);
	store_free(s);
	return rc;
}
