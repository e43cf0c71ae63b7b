/*
 * fuzz_sftp.c: libFuzzer harness for mmp-sshd's SFTP subsystem (issue 5):
 * every byte string as the stream of requests a logged-in client sends,
 * through libssh's own packet decoding (sftp_get_client_message), our
 * dispatcher, the role and login-key policy, the path mapping and the
 * store's name checks, handles, uploads and the audit log.
 *
 * How: the harness defines the libssh channel calls that libssh's sftp code
 * makes through its PLT (ssh_channel_read, _write, _is_eof, ...), so the
 * dynamic linker binds them here: reads come from the input, replies are
 * dropped. Input byte 0 picks the role (admin, crypto, audit); the rest
 * follows the SSH_FXP_INIT packet the harness sends first. The store is
 * reset to two files before each input, so a crash replays alone.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libssh/libssh.h>

#include "cli/cli.h"
#include "fuzz_common.h"
#include "mmp/pki.h"
#include "ssh/conn.h"
#include "ssh/server.h"

static const uint8_t *in;
static size_t in_len, in_off;

static struct sshd_conn *cur; /* the input read so far is its consumed input */

static int feed(void *dest, uint32_t count)
{
	size_t n = in_len - in_off < count ? in_len - in_off : count;

	memcpy(dest, in + in_off, n);
	in_off += n;
	cur->counter.in_bytes += n;
	return (int)n;
}

/* ---- the channel, as libssh's sftp code sees it ---- */
int ssh_channel_read(ssh_channel ch, void *dest, uint32_t count, int is_stderr)
{
	(void)ch;
	(void)is_stderr;
	return feed(dest, count);
}

int ssh_channel_read_timeout(ssh_channel ch, void *dest, uint32_t count, int is_stderr,
			     int timeout_ms)
{
	(void)ch;
	(void)is_stderr;
	(void)timeout_ms;
	return feed(dest, count);
}

int ssh_channel_read_nonblocking(ssh_channel ch, void *dest, uint32_t count, int is_stderr)
{
	(void)ch;
	(void)is_stderr;
	return feed(dest, count);
}

int ssh_channel_is_eof(ssh_channel ch)
{
	(void)ch;
	return in_off >= in_len;
}

int ssh_channel_poll(ssh_channel ch, int is_stderr)
{
	(void)ch;
	(void)is_stderr;
	return in_off >= in_len ? SSH_EOF : (int)(in_len - in_off);
}

int ssh_channel_poll_timeout(ssh_channel ch, int timeout, int is_stderr)
{
	(void)timeout;
	return ssh_channel_poll(ch, is_stderr);
}

int ssh_channel_write(ssh_channel ch, const void *data, uint32_t len)
{
	(void)ch;
	(void)data;
	return (int)len;
}

int ssh_channel_write_stderr(ssh_channel ch, const void *data, uint32_t len)
{
	(void)ch;
	(void)data;
	return (int)len;
}

/* ---- the store ---- */
static char root[64], files[80]; /* the root; its file store */
static ssh_session session;
static int channel_stand_in;

static void put(const char *name, const char *text)
{
	char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", files, name);
	if ((fp = fopen(path, "w")) == NULL)
		abort();
	fputs(text, fp);
	fclose(fp);
}

/* Back to the same two files before each input (mmp.db stays). */
static void reset_store(void)
{
	DIR *d = opendir(files);
	struct dirent *de;
	char path[384];

	if (d == NULL)
		abort();
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", files, de->d_name);
		unlink(path);
	}
	closedir(d);
	put("a.crt", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
	put("k.key", "not a key\n");
}

static void setup(void)
{
	fuzz_root("sftp", root, sizeof(root));
	if ((session = ssh_new()) == NULL)
		abort();
	snprintf(files, sizeof(files), "%s/files", root);
	if (mkdir(files, 0700) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned roles[3] = { ROLE_ADMIN, ROLE_CRYPTO, ROLE_AUDIT };
	static struct sshd_limits lim;
	struct sshd_conn c;
	struct sftp_ctx *x;
	uint8_t *stream;

	if (session == NULL)
		setup();
	if (size < 1)
		return 0;
	/* SSH_FXP_INIT, version 3, then the client's requests */
	if ((stream = malloc(size - 1 + 9)) == NULL)
		return 0;
	memcpy(stream, "\0\0\0\x05\x01\0\0\0\x03", 9);
	memcpy(stream + 9, data + 1, size - 1);
	in = stream;
	in_len = size - 1 + 9;
	in_off = 0;
	reset_store();

	memset(&c, 0, sizeof(c));
	sshd_limits_default(&lim);
	c.lim = &lim;
	c.ctl = -1;
	c.root = root;
	c.session = session;
	c.channel = (ssh_channel)&channel_stand_in; /* only the calls above see it */
	snprintf(c.source, sizeof(c.source), "fuzz");
	snprintf(c.user, sizeof(c.user), "fuzz");
	c.authed = 1;
	c.role = roles[data[0] % 3];
	c.mode = SSHD_MODE_SFTP;
	c.pty_master = -1;
	sshd_sftp_frame(&c, in, (uint32_t)in_len); /* as on_data reads it arriving */
	c.eof = 1; /* the whole stream has come: the session ends after it */
	cur = &c;
	if ((x = sshd_sftp_start(&c)) != NULL) {
		while (sshd_sftp_step(x) == 2)
			;
		sshd_sftp_finish(x);
	}
	free(stream);
	return 0;
}
