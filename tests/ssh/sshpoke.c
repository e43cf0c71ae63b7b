/*
 * sshpoke.c: a libssh client that the SSH security tests (tests/ssh/) use to
 * push mmp-sshd over loopback: timed logins, many held connections, password
 * guessing from many processes, idle TCP sockets, the banner. Every loop is
 * bounded in count and time; it talks to 127.0.0.1 only, from a --bind
 * address in 127.0.0.0/8.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libssh/libssh.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
	"usage: sshpoke MODE --port P [--bind ADDR] [--user U (--key FILE | --password PW)] ...\n"
	"  sshpoke login    --port P [--bind A] --user U (--key F | --password PW) [--command CMD]\n"
	"      log in (and run CMD): \"login ok <ms> ms\" [\"exit <status>\" and CMD's output]\n"
	"      or \"login failed <reason> <ms> ms\"; exit 0 / 1\n"
	"  sshpoke hold     --port P [--bind A] --user U (--key F | --password PW) --count N\n"
	"                   --seconds S [--no-request | --no-pty]\n"
	"      N connections at once, each logs in and opens a session channel, then\n"
	"      sends no request (--no-request) or starts a shell (on a pty unless\n"
	"      --no-pty) and stays idle; per connection \"conn <i> closed after <ms> ms\"\n"
	"      (from its connect start), \"conn <i> still open after <S> s\" or\n"
	"      \"conn <i> refused: <reason>\"; then \"held <k> of <N> for <S> s\"\n"
	"  sshpoke guess    --port P [--bind A] --user U --workers W --seconds S\n"
	"      W processes connect again and again and try passwords wrong-<i>:\n"
	"      \"guess denied=<n> disconnected=<n> accepted=<n> connections=<n>\"\n"
	"      (connections: connect attempts; a connect that fails or a password\n"
	"      request the server answers by closing counts as disconnected)\n"
	"  sshpoke idle-tcp --port P [--bind A] --count N --seconds S [--reopen]\n"
	"      N plain TCP sockets that read the banner and sit idle; with --reopen\n"
	"      one the server closes is opened again at once:\n"
	"      \"idle-tcp opened=<n> closed-by-server=<n> max-open=<n> open-at-end=<n>\n"
	"      failed=<n>\" (failed: connects that did not succeed)\n"
	"  sshpoke banner   --port P [--bind A]\n"
	"      print the server's identification line (SSH-2.0-...); exit 1 if none\n"
	"  Limits: --count and --workers 1..2000, --seconds 1..3600; --timeout T (s,\n"
	"  default 20) bounds each connect and login.\n";

struct opts {
	const char *mode, *bind, *user, *keyfile, *password, *command;
	int port, count, seconds, workers, timeout;
	int no_request, no_pty, reopen;
};

static struct opts o = { .timeout = 20 };
static ssh_key key;

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&t, NULL);
}

/* One line: control bytes as '?', at most size-1 bytes. */
static void clean(char *dst, size_t size, const char *src)
{
	size_t i;

	for (i = 0; src[i] != '\0' && i + 1 < size; i++)
		dst[i] = (unsigned char)src[i] < 0x20 || src[i] == 0x7f ? '?' : src[i];
	dst[i] = '\0';
}

/* ---- SSH connections ---- */

/* Connect and log in; NULL with *why set when that failed. */
static ssh_session login(long timeout_s, char *why, size_t wsize)
{
	ssh_session s = ssh_new();
	int verbosity = SSH_LOG_NOLOG, rc;

	if (s == NULL) {
		snprintf(why, wsize, "out of memory");
		return NULL;
	}
	if (timeout_s < 1)
		timeout_s = 1;
	ssh_options_set(s, SSH_OPTIONS_HOST, "127.0.0.1");
	ssh_options_set(s, SSH_OPTIONS_PORT, &o.port);
	ssh_options_set(s, SSH_OPTIONS_USER, o.user);
	ssh_options_set(s, SSH_OPTIONS_LOG_VERBOSITY, &verbosity);
	ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &(int){ 0 });
	ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &timeout_s);
	if (o.bind != NULL)
		ssh_options_set(s, SSH_OPTIONS_BINDADDR, o.bind);
	if (ssh_connect(s) != SSH_OK) {
		char e[200];
		clean(e, sizeof(e), ssh_get_error(s));
		snprintf(why, wsize, "connect: %s", e);
		ssh_free(s);
		return NULL;
	}
	rc = key != NULL ? ssh_userauth_publickey(s, NULL, key)
			 : ssh_userauth_password(s, NULL, o.password);
	if (rc != SSH_AUTH_SUCCESS) {
		char e[200];
		clean(e, sizeof(e), ssh_get_error(s));
		if (rc == SSH_AUTH_DENIED)
			snprintf(why, wsize, "denied");
		else if (rc == SSH_AUTH_PARTIAL)
			snprintf(why, wsize, "partial");
		else
			snprintf(why, wsize, "error: %s", e);
		ssh_disconnect(s);
		ssh_free(s);
		return NULL;
	}
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

static int mode_login(void)
{
	double t0 = now_ms();
	char why[300], *out = NULL;
	ssh_session s = login(o.timeout, why, sizeof(why));
	ssh_channel ch = NULL;
	size_t total = 0, cap = 1u << 20; /* at most 1 MiB of output is kept */
	int n, i, status;

	if (s == NULL) {
		printf("login failed %s %ld ms\n", why, (long)(now_ms() - t0));
		return 1;
	}
	printf("login ok %ld ms\n", (long)(now_ms() - t0));
	if (o.command == NULL) {
		logout(s, NULL);
		return 0;
	}
	if ((out = malloc(cap)) == NULL || (ch = ssh_channel_new(s)) == NULL ||
	    ssh_channel_open_session(ch) != SSH_OK || ssh_channel_request_exec(ch, o.command) != SSH_OK) {
		clean(why, sizeof(why), ssh_get_error(s));
		printf("exec failed: %s\n", why);
		free(out);
		logout(s, ch);
		return 0;
	}
	ssh_channel_send_eof(ch);
	/* stdout to EOF: bounded by the buffer, a read count and timeout s of silence */
	for (i = 0; i < 100000 && total < cap; i++) {
		n = ssh_channel_read_timeout(ch, out + total, (uint32_t)(cap - total), 0, o.timeout * 1000);
		if (n <= 0)
			break;
		total += (size_t)n;
	}
	/* stderr: whatever came, without waiting long */
	for (i = 0; i < 1000; i++) {
		char e[4096];
		if (ssh_channel_read_timeout(ch, e, sizeof(e), 1, 100) <= 0)
			break;
	}
	status = ssh_channel_get_exit_status(ch);
	printf("exit %d\n", status);
	fwrite(out, 1, total, stdout);
	free(out);
	logout(s, ch);
	return 0;
}

/* ---- hold: N connections, one child each ---- */

enum { H_REFUSED, H_CLOSED, H_OPEN };

struct hold_rec {
	int i, state;
	long ms;
	char why[200];
};

static void hold_child(int i, double t_end, int fd)
{
	struct hold_rec r = { .i = i, .state = H_REFUSED };
	double t0 = now_ms();
	ssh_session s = login(o.timeout, r.why, sizeof(r.why));
	ssh_channel ch = NULL;
	char buf[4096];
	int n, k;

	if (s == NULL)
		goto report;
	if ((ch = ssh_channel_new(s)) == NULL || ssh_channel_open_session(ch) != SSH_OK ||
	    (!o.no_request && !o.no_pty && ssh_channel_request_pty_size(ch, "xterm", 80, 24) != SSH_OK) ||
	    (!o.no_request && ssh_channel_request_shell(ch) != SSH_OK)) {
		char e[150];
		clean(e, sizeof(e), ssh_get_error(s));
		snprintf(r.why, sizeof(r.why), "channel: %s", e);
		goto report;
	}
	r.state = H_OPEN;
	/* bounded: at most one pass per 100 ms until t_end (and a count cap) */
	for (k = 0; k < 400000 && now_ms() < t_end; k++) {
		n = ssh_channel_read_timeout(ch, buf, sizeof(buf), 0, 100);
		if (n >= 0)
			while (ssh_channel_read_nonblocking(ch, buf, sizeof(buf), 1) > 0)
				;
		if (n == SSH_ERROR || ssh_channel_is_closed(ch) || ssh_channel_is_eof(ch) ||
		    !ssh_is_connected(s)) {
			r.state = H_CLOSED;
			r.ms = (long)(now_ms() - t0);
			break;
		}
	}
report:
	if (write(fd, &r, sizeof(r)) != (ssize_t)sizeof(r))
		_exit(2);
	if (s != NULL)
		logout(s, ch);
	_exit(0);
}

static pid_t *kids;
static int nkids;

/* Fork n children running fn(i); the parent keeps their pids. */
static int spawn(int n, void (*fn)(int i, double t_end, int fd), double t_end, int fd)
{
	int i;

	kids = calloc((size_t)n, sizeof(*kids));
	if (kids == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		pid_t p = fork();
		if (p == 0) {
			alarm((unsigned)(o.seconds + o.timeout * 2 + 30)); /* a last resort */
			fn(i, t_end, fd);
			_exit(0);
		}
		if (p < 0) {
			fprintf(stderr, "sshpoke: fork: %s\n", strerror(errno));
			break;
		}
		kids[nkids++] = p;
	}
	return nkids;
}

/* Read fixed-size records from fd until want arrived or the deadline. */
static int collect(int fd, void *recs, size_t size, int want, double deadline)
{
	char *p = recs;
	size_t have = 0, total = size * (size_t)want;
	int k;

	for (k = 0; k < 1000000 && have < total; k++) {
		double left = deadline - now_ms();
		struct pollfd pf = { fd, POLLIN, 0 };
		ssize_t n;

		if (left <= 0 || poll(&pf, 1, (int)(left > 1000 ? 1000 : left + 1)) < 0)
			break;
		if (!(pf.revents & (POLLIN | POLLHUP)))
			continue;
		n = read(fd, p + have, total - have);
		if (n <= 0)
			break;
		have += (size_t)n;
	}
	return (int)(have / size);
}

static void reap(void)
{
	int i, st;

	for (i = 0; i < nkids; i++) {
		if (waitpid(kids[i], &st, WNOHANG) == 0) {
			kill(kids[i], SIGKILL);
			waitpid(kids[i], &st, 0);
		}
	}
}

static int mode_hold(void)
{
	int fds[2], i, got, held = 0;
	double t_end = now_ms() + o.seconds * 1e3;
	struct hold_rec *recs = calloc((size_t)o.count, sizeof(*recs)), *by_i;

	by_i = calloc((size_t)o.count, sizeof(*by_i));
	if (recs == NULL || by_i == NULL || pipe(fds) != 0)
		return 2;
	for (i = 0; i < o.count; i++) {
		by_i[i].i = -1;
	}
	fflush(stdout);
	spawn(o.count, hold_child, t_end, fds[1]);
	close(fds[1]);
	/* a child reports by t_end, or after its login timed out */
	got = collect(fds[0], recs, sizeof(*recs), nkids,
		      (t_end > now_ms() + o.timeout * 1e3 ? t_end : now_ms() + o.timeout * 1e3) + 5000);
	for (i = 0; i < got; i++)
		if (recs[i].i >= 0 && recs[i].i < o.count)
			by_i[recs[i].i] = recs[i];
	for (i = 0; i < o.count; i++) {
		struct hold_rec *r = &by_i[i];
		if (r->i < 0)
			printf("conn %d refused: no report (not started, or hung)\n", i);
		else if (r->state == H_REFUSED)
			printf("conn %d refused: %s\n", i, r->why);
		else if (r->state == H_CLOSED)
			printf("conn %d closed after %ld ms\n", i, r->ms);
		else {
			printf("conn %d still open after %d s\n", i, o.seconds);
			held++;
		}
	}
	printf("held %d of %d for %d s\n", held, o.count, o.seconds);
	fflush(stdout);
	reap();
	free(recs);
	free(by_i);
	return 0;
}

/* ---- guess: W processes try wrong passwords ---- */

struct guess_rec {
	long denied, disconnected, accepted, connections;
};

static void guess_child(int w, double t_end, int fd)
{
	struct guess_rec r = { 0 };
	char pw[64];
	long tries = 0;
	int k, rc;

	for (k = 0; k < 1000000 && now_ms() < t_end; k++) {
		long left = (long)((t_end - now_ms()) / 1e3) + 1;
		ssh_session s = ssh_new();
		int verbosity = SSH_LOG_NOLOG, a;

		if (s == NULL)
			break;
		ssh_options_set(s, SSH_OPTIONS_HOST, "127.0.0.1");
		ssh_options_set(s, SSH_OPTIONS_PORT, &o.port);
		ssh_options_set(s, SSH_OPTIONS_USER, o.user);
		ssh_options_set(s, SSH_OPTIONS_LOG_VERBOSITY, &verbosity);
		ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &(int){ 0 });
		if (left > o.timeout)
			left = o.timeout;
		ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &left);
		if (o.bind != NULL)
			ssh_options_set(s, SSH_OPTIONS_BINDADDR, o.bind);
		r.connections++;
		if (ssh_connect(s) != SSH_OK) {
			r.disconnected++;
			ssh_free(s);
			sleep_ms(10); /* a server that refuses at once must not spin us */
			continue;
		}
		for (a = 0; a < 1000 && now_ms() < t_end; a++) {
			snprintf(pw, sizeof(pw), "wrong-%d-%ld", w, tries++);
			rc = ssh_userauth_password(s, NULL, pw);
			if (rc == SSH_AUTH_DENIED) {
				r.denied++;
				continue;
			}
			if (rc == SSH_AUTH_SUCCESS || rc == SSH_AUTH_PARTIAL)
				r.accepted++;
			else
				r.disconnected++;
			break;
		}
		ssh_disconnect(s);
		ssh_free(s);
	}
	if (write(fd, &r, sizeof(r)) != (ssize_t)sizeof(r))
		_exit(2);
	_exit(0);
}

static int mode_guess(void)
{
	int fds[2], i, got;
	double t_end = now_ms() + o.seconds * 1e3;
	struct guess_rec *recs = calloc((size_t)o.workers, sizeof(*recs)), sum = { 0 };

	if (recs == NULL || pipe(fds) != 0)
		return 2;
	fflush(stdout);
	spawn(o.workers, guess_child, t_end, fds[1]);
	close(fds[1]);
	got = collect(fds[0], recs, sizeof(*recs), nkids, t_end + o.timeout * 1e3 + 5000);
	for (i = 0; i < got; i++) {
		sum.denied += recs[i].denied;
		sum.disconnected += recs[i].disconnected;
		sum.accepted += recs[i].accepted;
		sum.connections += recs[i].connections;
	}
	if (got < o.workers)
		fprintf(stderr, "sshpoke: %d of %d workers reported\n", got, o.workers);
	printf("guess denied=%ld disconnected=%ld accepted=%ld connections=%ld\n", sum.denied,
	       sum.disconnected, sum.accepted, sum.connections);
	fflush(stdout);
	reap();
	free(recs);
	return 0;
}

/* ---- plain TCP ---- */

static int tcp_socket(int nonblock)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons((uint16_t)o.port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0), 0);

	if (fd < 0)
		return -1;
	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
	if (o.bind != NULL) {
		struct sockaddr_in from = { .sin_family = AF_INET };
		inet_pton(AF_INET, o.bind, &from.sin_addr);
		if (bind(fd, (struct sockaddr *)&from, sizeof(from)) != 0) {
			close(fd);
			return -1;
		}
	}
	if (!nonblock) {
		struct timeval tv = { o.timeout, 0 };
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)); /* bounds connect() */
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	}
	if (connect(fd, (struct sockaddr *)&to, sizeof(to)) != 0 && errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

static int mode_banner(void)
{
	char buf[8192], line[300];
	size_t len = 0, start = 0, i;
	int fd = tcp_socket(0), lines = 0;
	ssize_t n;

	if (fd < 0) {
		printf("no banner: connect: %s\n", strerror(errno));
		return 1;
	}
	/* lines before the identification are allowed (RFC 4253 4.2): 20 at most */
	while (len < sizeof(buf) - 1 && lines < 20) {
		if ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) <= 0)
			break;
		len += (size_t)n;
		for (i = start; i < len; i++) {
			if (buf[i] != '\n')
				continue;
			buf[i] = '\0';
			if (i > start && buf[i - 1] == '\r')
				buf[i - 1] = '\0';
			if (strncmp(buf + start, "SSH-", 4) == 0) {
				clean(line, sizeof(line), buf + start);
				printf("%s\n", line);
				close(fd);
				return 0;
			}
			start = i + 1;
			lines++;
		}
	}
	close(fd);
	printf("no banner\n");
	return 1;
}

enum { T_IDLE, T_CONNECTING, T_OPEN, T_DEAD };

static int mode_idle_tcp(void)
{
	struct rlimit rl;
	struct pollfd *pf = calloc((size_t)o.count, sizeof(*pf));
	int *state = calloc((size_t)o.count, sizeof(*state)), i, k, open_now = 0, max_open = 0;
	long opened = 0, closed = 0, failed = 0, attempts = 0;
	double t_end = now_ms() + o.seconds * 1e3, *retry_at = calloc((size_t)o.count, sizeof(double));
	char buf[4096];

	if (pf == NULL || state == NULL || retry_at == NULL)
		return 2;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	for (k = 0; k < 10000000 && now_ms() < t_end; k++) {
		double t = now_ms(), left = t_end - t;
		int ms = left > 100 ? 100 : (int)left + 1;
		for (i = 0; i < o.count; i++) {
			if (state[i] != T_IDLE || t < retry_at[i])
				continue;
			if (attempts++ >= 1000000) { /* a count bound on reopening */
				state[i] = T_DEAD;
				continue;
			}
			pf[i].fd = tcp_socket(1);
			if (pf[i].fd < 0) {
				failed++;
				retry_at[i] = t + 100;
				if (!o.reopen)
					state[i] = T_DEAD;
				continue;
			}
			state[i] = T_CONNECTING;
		}
		for (i = 0; i < o.count; i++) {
			pf[i].events = state[i] == T_CONNECTING ? POLLOUT : POLLIN;
			pf[i].revents = 0;
			if (state[i] != T_CONNECTING && state[i] != T_OPEN)
				pf[i].fd = -1;
		}
		if (poll(pf, (nfds_t)o.count, ms) < 0 && errno != EINTR)
			break;
		for (i = 0; i < o.count; i++) {
			if (pf[i].fd < 0 || pf[i].revents == 0)
				continue;
			if (state[i] == T_CONNECTING) {
				int err = 0;
				socklen_t el = sizeof(err);
				getsockopt(pf[i].fd, SOL_SOCKET, SO_ERROR, &err, &el);
				if (err != 0) {
					close(pf[i].fd);
					failed++;
					state[i] = o.reopen ? T_IDLE : T_DEAD;
					retry_at[i] = now_ms() + 100;
					continue;
				}
				state[i] = T_OPEN;
				opened++;
				if (++open_now > max_open)
					max_open = open_now;
				continue;
			}
			/* open: read (the banner, whatever comes), EOF or error = closed */
			ssize_t n = recv(pf[i].fd, buf, sizeof(buf), 0);
			if (n > 0 || (n < 0 && (errno == EAGAIN || errno == EINTR)))
				continue;
			close(pf[i].fd);
			closed++;
			open_now--;
			state[i] = o.reopen ? T_IDLE : T_DEAD;
			retry_at[i] = 0;
		}
	}
	for (i = 0; i < o.count; i++)
		if (state[i] == T_CONNECTING || state[i] == T_OPEN)
			close(pf[i].fd);
	printf("idle-tcp opened=%ld closed-by-server=%ld max-open=%d open-at-end=%d failed=%ld\n",
	       opened, closed, max_open, open_now, failed);
	free(pf);
	free(state);
	free(retry_at);
	return 0;
}

/* ---- arguments ---- */

static int loopback(const char *a)
{
	struct in_addr in;

	return inet_pton(AF_INET, a, &in) == 1 && (ntohl(in.s_addr) >> 24) == 127;
}

static int bad(const char *why)
{
	fprintf(stderr, "sshpoke: %s\n%s", why, usage);
	return 64;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "port", required_argument, NULL, 'p' },     { "bind", required_argument, NULL, 'b' },
		{ "user", required_argument, NULL, 'u' },     { "key", required_argument, NULL, 'k' },
		{ "password", required_argument, NULL, 'P' }, { "command", required_argument, NULL, 'c' },
		{ "count", required_argument, NULL, 'n' },    { "seconds", required_argument, NULL, 's' },
		{ "workers", required_argument, NULL, 'w' },  { "timeout", required_argument, NULL, 't' },
		{ "no-request", no_argument, NULL, 'R' },     { "no-pty", no_argument, NULL, 'T' },
		{ "reopen", no_argument, NULL, 'r' },         { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, needs_auth;

	if (argc < 2 || argv[1][0] == '-') {
		if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
			fputs(usage, stdout);
			return 0;
		}
		return bad("no mode");
	}
	o.mode = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'p': o.port = atoi(optarg); break;
		case 'b': o.bind = optarg; break;
		case 'u': o.user = optarg; break;
		case 'k': o.keyfile = optarg; break;
		case 'P': o.password = optarg; break;
		case 'c': o.command = optarg; break;
		case 'n': o.count = atoi(optarg); break;
		case 's': o.seconds = atoi(optarg); break;
		case 'w': o.workers = atoi(optarg); break;
		case 't': o.timeout = atoi(optarg); break;
		case 'R': o.no_request = 1; break;
		case 'T': o.no_pty = 1; break;
		case 'r': o.reopen = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: return bad("bad option");
		}
	}
	if (optind != argc)
		return bad("unexpected argument");
	if (o.port < 1 || o.port > 65535)
		return bad("--port 1..65535 is needed");
	if (o.bind != NULL && !loopback(o.bind))
		return bad("--bind must be an IPv4 address in 127.0.0.0/8");
	if (o.timeout < 1 || o.timeout > 600)
		return bad("--timeout 1..600");
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	if (strcmp(o.mode, "banner") == 0)
		return mode_banner();
	if (strcmp(o.mode, "login") != 0 && strcmp(o.mode, "idle-tcp") != 0 &&
	    strcmp(o.mode, "hold") != 0 && strcmp(o.mode, "guess") != 0)
		return bad("unknown mode");
	if (strcmp(o.mode, "login") != 0 && (o.seconds < 1 || o.seconds > 3600))
		return bad("--seconds 1..3600 is needed");
	if (strcmp(o.mode, "idle-tcp") == 0) {
		if (o.count < 1 || o.count > 2000)
			return bad("--count 1..2000 is needed");
		return mode_idle_tcp();
	}
	if (o.user == NULL)
		return bad("--user is needed");
	needs_auth = strcmp(o.mode, "guess") != 0;
	if (needs_auth && (o.keyfile == NULL) == (o.password == NULL))
		return bad("one of --key and --password is needed");
	if (needs_auth && o.keyfile != NULL &&
	    ssh_pki_import_privkey_file(o.keyfile, NULL, NULL, NULL, &key) != SSH_OK) {
		fprintf(stderr, "sshpoke: cannot read the key %s\n", o.keyfile);
		return 64;
	}
	if (strcmp(o.mode, "login") == 0)
		return mode_login();
	if (strcmp(o.mode, "hold") == 0) {
		if (o.count < 1 || o.count > 2000)
			return bad("--count 1..2000 is needed");
		return mode_hold();
	}
	if (o.workers < 1 || o.workers > 2000)
		return bad("--workers 1..2000 is needed");
	return mode_guess();
}
