/*
 * expiry.h: when the certificates that each service uses end (issue 14):
 * `pki expiry`, the alarms at login, `pki list`'s marks and the metrics
 * file. Built on the facts of the store (mmp/facts.h) and the settings
 * that name each service's files (src/store/settings.c).
 */
#ifndef MMP_EXPIRY_H
#define MMP_EXPIRY_H

#include <stdio.h>

#include "mmp/config.h"
#include "mmp/facts.h"

/* One use of certificates by a service: its own certificate with the
 * chain it sends (the certificate file's leaf, walked up by issuer name
 * through the file and its bundle or CA file: guide §1.2.4), or a trust
 * store (each certificate by itself). */
struct expiry_use {
	const char *service;  /* "callbridge", "database cluster" ... */
	const char *what;     /* "certs", "trust c2w", "client certs" ... (the command's words) */
	const char *freed_by; /* the command that sets it again, e.g. "callbridge certs" */
	int trust;            /* a trust store */
	char file[CFG_VALUE_MAX + 1];   /* the certificate or trust file */
	char bundle[CFG_VALUE_MAX + 1]; /* its bundle or CA file, or "" */
	/* the certificate of the path (or trust store) that ends first;
	 * NULL when the files hold none (missing or not certificates) */
	const struct file_facts *end_file;
	const struct cert_facts *end_cert;
	int end_is_leaf;      /* it is the service's own certificate (not a CA) */
};

/* Every use configured on this node, in the order of the settings list,
 * the earliest end found in sf. *uses is malloc'd (free()); its pointers
 * point into sf. MMP_OK, or the config store's error. */
enum mmp_rc expiry_uses(struct cfg *c, const struct store_facts *sf, struct expiry_use **uses,
			size_t *n, struct mmp_err *err);

/* Days left at now as pki inspect counts them: a started day counts
 * (ends in 36 hours: 2); negative when it has ended (ended 36 hours ago:
 * -1, "expired 1 day ago"). */
long long expiry_days_left(long long not_after, long long now);

/* "expires in 12 days", "expires in 1 day", "expired 3 days ago" into buf. */
const char *expiry_words(long long not_after, long long now, char *buf, size_t size);

/* "2026-12-14" of t (UTC). */
const char *expiry_date(long long t, char *buf, size_t size);

/* The alarm thresholds in days, largest first (setting "pki.alarm_days",
 * `pki alarms`; default 30 7 1): n filled, at most EXPIRY_MAX_THRESHOLDS. */
#define EXPIRY_MAX_THRESHOLDS 8
#define EXPIRY_DEFAULT_THRESHOLDS "30 7 1"
enum mmp_rc expiry_thresholds(struct cfg *c, int *days, size_t *n, struct mmp_err *err);

/* The Prometheus text exposition of every certificate of sf, with the
 * metric names and labels of enix's x509-certificate-exporter
 * (x509_cert_not_before, x509_cert_not_after, x509_cert_expired; labels
 * filename, filepath, serial_number, subject_C/ST/L/O/OU/CN,
 * issuer_C/ST/L/O/OU/CN, as present) and a label service for each service
 * that uses the file, plus x509_read_errors. files_dir is the store's
 * folder (for filepath). Returns 0, or -1 when fp fails. */
int expiry_write_metrics(FILE *fp, const struct store_facts *sf, const struct expiry_use *uses,
			 size_t nuses, const char *files_dir, long long now);

/* mmp-sshd --metrics FILE: the metrics of the node at root written to a
 * new file beside path (mode 0644: node_exporter reads it as another
 * user), made durable and renamed over path, so a reader never sees half
 * a file. The store is read as mmp itself (ACCESS_SYSTEM). MMP_OK, or
 * the error, nothing left behind. */
enum mmp_rc expiry_metrics_file(const char *root, const char *path, struct mmp_err *err);

#endif
