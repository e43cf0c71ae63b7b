/*
 * sshclient.c: the SSH lines of the benchmark (issue 6), a libssh client
 * so that the client's own start-up (process, key loading) is outside the
 * clock.
 *
 *   bench-ssh prompt PORT USER KEY N
 *       N times: connect to 127.0.0.1:PORT, key login, pty shell, and read
 *       until the first prompt ("> "); prints the median and the worst, in
 *       ms, from the start of connect to the prompt.
 *   bench-ssh load PORT USER KEY SESSIONS COMMANDS
 *       SESSIONS processes at once, each one connection that logs in and
 *       runs COMMANDS lines of "pki list" in a shell without a pty (script
 *       mode), then EOF; a session succeeds when it exits 0 having printed
 *       the listing COMMANDS times. Prints successes and the wall time.
 */
#include <libssh/libssh.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int phases; /* BENCH_SSH_PHASES=1: print when each phase ended */
static double t_start;

static void phase(const char *what)
{
	if (phases)
		fprintf(stderr, "  %-10s %8.3f ms\n", what, now_ms() - t_start);
}

static ssh_session login(int port, const char *user, ssh_key key)
{
	ssh_session s = ssh_new();
	int verbosity = SSH_LOG_NOLOG;

	if (s == NULL)
		return NULL;
	ssh_options_set(s, SSH_OPTIONS_HOST, "127.0.0.1");
	ssh_options_set(s, SSH_OPTIONS_PORT, &port);
	ssh_options_set(s, SSH_OPTIONS_USER, user);
	ssh_options_set(s, SSH_OPTIONS_LOG_VERBOSITY, &verbosity);
	ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &(int){ 0 });
	if (getenv("BENCH_SSH_NODELAY") != NULL)
		ssh_options_set(s, SSH_OPTIONS_NODELAY, &(int){ 1 });
	if (ssh_connect(s) != SSH_OK || (phase("kex"), 0) ||
	    ssh_userauth_publickey(s, NULL, key) != SSH_AUTH_SUCCESS) {
		fprintf(stderr, "bench-ssh: login: %s\n", ssh_get_error(s));
		ssh_free(s);
		return NULL;
	}
	phase("login");
	return s;
}

static void logout(ssh_session s, ssh_channel ch)
{
	if (ch != NULL) {
		ssh_channel_close(ch);
		ssh_channel_free(ch);
	}
	ssh_disconnect(s);
	ssh_free(s);
}

/* Connect, log in, open a pty shell, read to the first prompt: ms, or -1. */
static double to_prompt(int port, const char *user, ssh_key key)
{
	double t0 = t_start = now_ms(), t = -1;
	ssh_session s = login(port, user, key);
	ssh_channel ch = NULL;
	char buf[4096], seen[8192];
	size_t len = 0;
	int n;

	if (s == NULL)
		return -1;
	if ((ch = ssh_channel_new(s)) == NULL || ssh_channel_open_session(ch) != SSH_OK ||
	    ssh_channel_request_pty_size(ch, "xterm", 80, 24) != SSH_OK ||
	    ssh_channel_request_shell(ch) != SSH_OK)
		goto out;
	phase("shell");
	while ((n = ssh_channel_read_timeout(ch, buf, sizeof(buf), 0, 10000)) > 0) {
		if (len + (size_t)n >= sizeof(seen))
			len = 0;
		memcpy(seen + len, buf, (size_t)n);
		len += (size_t)n;
		if (len >= 2 && memcmp(seen + len - 2, "> ", 2) == 0) {
			t = now_ms() - t0;
			break;
		}
	}
out:
	logout(s, ch);
	return t;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One session of the load: 0 when it ran every command. */
static int one_session(int port, const char *user, ssh_key key, int commands)
{
	ssh_session s = login(port, user, key);
	ssh_channel ch = NULL;
	char buf[65536], *script;
	size_t slen = 0, i;
	int n, listings = 0, ok = 1, status;
	const char *mark = "User supplied certificates and keys:";
	size_t mlen = strlen(mark), have = 0;
	char tail[64] = "";

	if (s == NULL)
		return 1;
	if ((script = malloc((size_t)commands * 10 + 1)) == NULL)
		return 1;
	for (i = 0; i < (size_t)commands; i++)
		slen += (size_t)sprintf(script + slen, "pki list\n");
	if ((ch = ssh_channel_new(s)) == NULL || ssh_channel_open_session(ch) != SSH_OK ||
	    ssh_channel_request_shell(ch) != SSH_OK ||
	    ssh_channel_write(ch, script, (uint32_t)slen) != (int)slen ||
	    ssh_channel_send_eof(ch) != SSH_OK) {
		free(script);
		logout(s, ch);
		return 1;
	}
	free(script);
	/* count the listings, a marker split across reads included */
	while ((n = ssh_channel_read_timeout(ch, buf, sizeof(buf) - 1, 0, 30000)) > 0) {
		char *joined = malloc(have + (size_t)n + 1), *p;
		if (joined == NULL)
			break;
		memcpy(joined, tail, have);
		memcpy(joined + have, buf, (size_t)n);
		joined[have + (size_t)n] = '\0';
		for (p = joined; (p = strstr(p, mark)) != NULL; p += mlen)
			listings++;
		/* carry the last mlen - 1 bytes: too short to hold a whole marker */
		{
			size_t total = have + (size_t)n, keep = total < mlen - 1 ? total : mlen - 1;
			memcpy(tail, joined + total - keep, keep);
			have = keep;
		}
		free(joined);
	}
	status = ssh_channel_get_exit_status(ch);
	ok = status == 0 && listings == commands;
	if (!ok)
		fprintf(stderr, "bench-ssh: a session ended with status %d after %d of %d listings\n",
			status, listings, commands);
	logout(s, ch);
	return !ok;
}

int main(int argc, char **argv)
{
	ssh_key key = NULL;
	int port, i;

	if (argc < 6 || ssh_pki_import_privkey_file(argv[4], NULL, NULL, NULL, &key) != SSH_OK) {
		fprintf(stderr, "usage: bench-ssh prompt PORT USER KEY N | load PORT USER KEY SESSIONS COMMANDS\n");
		return 2;
	}
	port = atoi(argv[2]);
	phases = getenv("BENCH_SSH_PHASES") != NULL;
	if (strcmp(argv[1], "prompt") == 0) {
		int n = atoi(argv[5]);
		double *t = calloc((size_t)n, sizeof(*t));
		if (t == NULL)
			return 1;
		for (i = 0; i < n; i++)
			if ((t[i] = to_prompt(port, argv[3], key)) < 0)
				return 1;
		qsort(t, (size_t)n, sizeof(*t), cmp);
		printf("%.3f %.3f\n", t[n / 2], t[n - 1]);
		free(t);
		return 0;
	}
	if (strcmp(argv[1], "load") == 0 && argc == 7) {
		int sessions = atoi(argv[5]), commands = atoi(argv[6]), good = 0, st;
		double t0 = now_ms();
		for (i = 0; i < sessions; i++) {
			pid_t pid = fork();
			if (pid == 0)
				_exit(one_session(port, argv[3], key, commands));
			if (pid < 0)
				return 1;
		}
		while (wait(&st) > 0)
			good += WIFEXITED(st) && WEXITSTATUS(st) == 0;
		printf("%d %.3f\n", good, (now_ms() - t0) / 1e3);
		return good == sessions ? 0 : 1;
	}
	fprintf(stderr, "bench-ssh: unknown mode %s\n", argv[1]);
	return 2;
}
