/*
 * sshd_main.c: the mmp-sshd program, a thin main over libmmpcore: options
 * and the node root, then the SSH server of src/ssh/ (SPEC §1, §8; issues 4, 12).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/root.h"
#include "mmp/pki.h"
#include "mmp/roots.h"
#include "ssh/server.h"

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: mmp-sshd [--root DIR] [--listen ADDR:PORT]... [--foreground] [--pidfile FILE]\n"
		"                [--metrics FILE [--metrics-interval SECONDS]] [--public-roots FILE]\n"
		"  --root DIR          node root (default $MMP_ROOT, else $XDG_DATA_HOME/mmp,\n"
		"                      else ~/.local/share/mmp)\n"
		"  --listen ADDR:PORT  address to listen on (default %s; may be repeated;\n"
		"                      [ADDR]:PORT for IPv6, port 0 picks a free port)\n"
		"  --foreground        stay in the foreground and log to stderr (else syslog)\n"
		"  --pidfile FILE      write the serving process's id to FILE (removed on\n"
		"                      SIGTERM); refuse to start if it names a running mmp-sshd\n"
		"  --limit NAME=VALUE  change a limit (may be repeated); --limits lists them\n"
		"  --metrics FILE      write the certificates' dates as Prometheus metrics to\n"
		"                      FILE (node_exporter's textfile collector), at start and\n"
		"                      every --metrics-interval seconds (default 60)\n"
		"  --public-roots FILE the machine's public roots (PEM), what browsers and\n"
		"                      public CAs chain to (default " PKI_PUBLIC_ROOTS_DEFAULT ")\n"
		"  --help, --version\n"
		"Stops cleanly on SIGTERM. Host keys are made in <root>/ssh/ on first start.\n",
		SSHD_DEFAULT_LISTEN);
}

static void no_core_dumps(void)
{
	struct rlimit rl = { 0, 0 };

	setrlimit(RLIMIT_CORE, &rl);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* FILE of --pidfile (opt "pidfile") or another option made absolute (the
 * server detaches to "/"); NULL after a message. abs has PATH_MAX bytes. */
static const char *absolute_file(const char *opt, const char *file, char *abs)
{
	char cwd[PATH_MAX];

	if (file[0] == '\0') {
		fprintf(stderr, "mmp-sshd: --%s needs a file name\n", opt);
		return NULL;
	}
	if (file[0] == '/') {
		if (strlen(file) >= PATH_MAX)
			goto long_name;
		return strcpy(abs, file);
	}
	if (getcwd(cwd, sizeof(cwd)) == NULL) {
		fprintf(stderr, "mmp-sshd: --%s %s: %s\n", opt, file, strerror(errno));
		return NULL;
	}
	if (snprintf(abs, PATH_MAX, "%s/%s", cwd, file) < PATH_MAX)
		return abs;
long_name:
	fprintf(stderr, "mmp-sshd: --%s: the name is too long\n", opt);
	return NULL;
}

/* The node root, created if missing and made absolute (the server detaches
 * to "/"); NULL after a message. abs has PATH_MAX bytes. */
static const char *absolute_root(const char *root, char *abs)
{
	char buf[4096];

	if (root == NULL && (root = cli_default_root(buf, sizeof(buf))) == NULL) {
		fprintf(stderr, "mmp-sshd: no node root: give --root DIR or set MMP_ROOT\n");
		return NULL;
	}
	if ((mkdir(root, 0700) != 0 && errno != EEXIST) || realpath(root, abs) == NULL) {
		fprintf(stderr, "mmp-sshd: cannot use the node root \"%s\": %s\n", root, strerror(errno));
		return NULL;
	}
	return abs;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "listen", required_argument, NULL, 'l' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "limit", required_argument, NULL, 'L' },
		{ "limits", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "public-roots", required_argument, NULL, 'P' },
		{ "metrics", required_argument, NULL, 'M' },
		{ "metrics-interval", required_argument, NULL, 'I' },
		{ NULL, 0, NULL, 0 },
	};
	struct sshd_options so;
	struct mmp_err err;
	const char *root = NULL, *pidfile = NULL, *roots = NULL, *metrics = NULL;
	char abs[PATH_MAX], pid_abs[PATH_MAX], roots_abs[PATH_MAX], metrics_abs[PATH_MAX],
		why[PATH_MAX + 200];
	int o, status;

	memset(&so, 0, sizeof(so));
	so.metrics_interval = SSHD_METRICS_INTERVAL;
	sshd_limits_default(&so.limits);
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'r': root = optarg; break;
		case 'f': so.foreground = 1; break;
		case 'p': pidfile = optarg; break;
		case 'h': usage(stdout); return 0;
		case 'L':
			if (sshd_limit_set(&so.limits, optarg, why, sizeof(why)) != 0) {
				fprintf(stderr, "mmp-sshd: %s\n", why);
				return 2;
			}
			break;
		case 'S':
			printf("mmp-sshd limits (--limit NAME=VALUE):\n");
			sshd_limits_print(&so.limits, stdout);
			return 0;
		case 'V': printf("mmp-sshd %s\n", MMP_VERSION); return 0;
		case 'P': roots = optarg; break;
		case 'M': metrics = optarg; break;
		case 'I': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end != '\0' || optarg[0] == '\0' || v < 1 || v > 86400) {
				fprintf(stderr, "mmp-sshd: --metrics-interval %s: give seconds from 1 to 86400\n",
					optarg);
				return 2;
			}
			so.metrics_interval = (int)v;
			break;
		}
		case 'l':
			if (so.nlisten == SSHD_LISTEN_MAX) {
				fprintf(stderr, "mmp-sshd: at most %d --listen addresses\n", SSHD_LISTEN_MAX);
				return 2;
			}
			if (!sshd_listen_valid(optarg)) {
				fprintf(stderr, "mmp-sshd: --listen %s: give ADDR:PORT, e.g. %s or [::1]:2222\n",
					optarg, SSHD_DEFAULT_LISTEN);
				return 2;
			}
			so.listen[so.nlisten++] = optarg;
			break;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "mmp-sshd: unexpected argument \"%s\"\n", argv[optind]);
		return 2;
	}
	no_core_dumps();
	umask(077);
	if ((so.root = absolute_root(root, abs)) == NULL)
		return 2;
	if (pidfile != NULL) {
		if ((so.pidfile = absolute_file("pidfile", pidfile, pid_abs)) == NULL)
			return 2;
		if (sshd_pidfile_check(so.pidfile, why, sizeof(why)) != 0) {
			fprintf(stderr, "mmp-sshd: %s\n", why);
			return 2;
		}
	}
	if (metrics != NULL && (so.metrics = absolute_file("metrics", metrics, metrics_abs)) == NULL)
		return 2;
	if (roots != NULL) {
		if (absolute_file("public-roots", roots, roots_abs) == NULL)
			return 2;
		pki_set_public_roots(roots_abs);
		if (pki_public_roots_check(why, sizeof(why)) == 0) {
			fprintf(stderr, "mmp-sshd: --public-roots %s: give a PEM file of CA certificates, as /etc/ssl/certs/ca-certificates.crt is\n", why);
			return 2;
		}
	}
	mmp_err_clear(&err);
	if (pki_init_legacy(&err) != MMP_OK) { /* once, before the connections fork */
		fprintf(stderr, "mmp-sshd: %s\n", err.msg);
		return 2;
	}
	status = sshd_serve(&so);
	pki_cleanup();
	return status;
}
