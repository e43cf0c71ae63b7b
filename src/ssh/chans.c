/*
 * chans.c: the session channels of one connection, served side by side
 * (issue 13): a shell on a pty and SFTP on one connection, as an OpenSSH
 * ControlMaster or Ansible's network_cli (paramiko) open them. Each
 * channel has a struct sshd_conn of its own (the connection's facts
 * copied from top, the first channel); one loop polls the connection and
 * gives each channel a step that never waits for input: the pty relay
 * moves bytes in its callbacks, SFTP serves the requests that have
 * arrived whole. exec and script mode run their commands to the end;
 * while one waits for input (chanio.c) the others are served. At most
 * channels_per_connection are open at once; the connection ends with
 * its first channel.
 */
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "conn.h"
#include "server.h"

struct sshd_conn *sshd_chan_add(struct sshd_conn *top, ssh_channel ch)
{
	struct sshd_conn *n;

	if (top->nchans >= top->lim->channels_per_connection || top->nchans >= SSHD_CHANNELS_MAX) {
		sshd_log(LOG_WARNING,
			 "%s: %s: a session channel over the limit of %d open at once (channels_per_connection): refused",
			 top->source, top->user, top->lim->channels_per_connection);
		return NULL;
	}
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return NULL;
	/* the connection's facts; the channel's state starts empty */
	n->top = top;
	n->root = top->root;
	n->lim = top->lim;
	n->ctl = top->ctl;
	memcpy(n->refused, top->refused, sizeof(n->refused));
	n->session = top->session;
	n->event = top->event;
	memcpy(n->source, top->source, sizeof(n->source));
	n->authed = top->authed;
	memcpy(n->user, top->user, sizeof(n->user));
	n->role = top->role;
	n->pty_master = -1;
	n->status = -1;
	n->last_input = sshd_now();
	n->deadline = n->last_input + top->lim->request_seconds;
	n->channel = ch;
	sshd_chan_prepare(n);
	top->chans[top->nchans++] = n;
	sshd_log(LOG_INFO, "%s: %s: another session channel (%d open)", top->source, top->user,
		 top->nchans);
	return n;
}

/* A channel's end: its running mode stopped, its exit status, EOF and
 * close sent (none for one that never asked for anything). */
static void chan_end(struct sshd_conn *c)
{
	if (c->sftp != NULL) {
		c->status = sshd_sftp_finish(c->sftp);
		c->sftp = NULL;
	}
	if (c->pty_master >= 0)
		c->status = sshd_pty_finish(c);
	if (c->status >= 0 && !c->closed) {
		ssh_channel_request_send_exit_status(c->channel, c->status);
		ssh_channel_send_eof(c->channel);
	}
	ssh_channel_close(c->channel);
	c->state = CH_ENDED;
}

/* One step of a running channel that never waits for input: 1 when it
 * has ended (chan_end stops it); c->more when whole SFTP requests wait. */
static int chan_step(struct sshd_conn *c)
{
	int r;

	c->more = 0;
	if (c->sftp != NULL) {
		r = sshd_sftp_step(c->sftp);
		c->more = r == 2;
		return r == 1;
	}
	return c->pty_master < 0 || sshd_pty_step(c);
}

/* One turn of a channel: 1 when it has ended. */
static int chan_turn(struct sshd_conn *c)
{
	switch (c->state) {
	case CH_REQUEST: /* a channel that asks for nothing is closed (issue 10) */
		if (c->closed)
			return 1;
		if (c->mode == SSHD_MODE_NONE) {
			if (sshd_now() < c->deadline)
				return 0;
			sshd_log(LOG_INFO, "%s: %s: no request on the session channel within %d s: closed",
				 c->source, c->user, c->lim->request_seconds);
			return 1;
		}
		c->state = CH_RUNNING;
		c->status = sshd_chan_begin(c);
		return c->status != 0 || (c->sftp == NULL && c->pty_master < 0);
	case CH_RUNNING:
		return chan_step(c);
	default:
		return 0;
	}
}

/* A channel after the first, ended: its callbacks go before the struct
 * does (libssh frees the channel itself once the client's close came). */
static void chan_free(struct sshd_conn *n)
{
	ssh_remove_channel_callbacks(n->channel, &n->cb);
	ssh_channel_set_counter(n->channel, NULL);
	ssh_channel_free(n->channel);
	free(n->command);
	free(n);
}

int sshd_service(struct sshd_conn *top)
{
	int i, j, more = 0;

	for (i = 0; i < top->nchans; i++) {
		struct sshd_conn *c = top->chans[i];
		if (c->busy || c->state == CH_ENDED)
			continue;
		if (chan_turn(c))
			chan_end(c);
		else
			more |= c->more; /* whole requests wait in the channel's buffer */
	}
	/* the ended ones go and give their slot back at once, also in a turn
	 * given while a channel up the stack waits for input: only a busy
	 * channel is held up there, and an ended one is never busy */
	for (i = j = 1; i < top->nchans; i++) {
		if (top->chans[i]->state == CH_ENDED)
			chan_free(top->chans[i]);
		else
			top->chans[j++] = top->chans[i];
	}
	top->nchans = j;
	return more;
}

void sshd_channels_serve(struct sshd_conn *top)
{
	int i, more = 0;

	top->status = -1;
	top->deadline = sshd_now() + top->lim->request_seconds;
	while (top->state != CH_ENDED) {
		if (ssh_event_dopoll(top->event, more ? 0 : 200) == SSH_ERROR ||
		    (ssh_get_status(top->session) & (SSH_CLOSED | SSH_CLOSED_ERROR)))
			break;
		more = sshd_service(top);
	}
	if (top->state != CH_ENDED) /* the client went: the shell gets its hangup */
		chan_end(top);
	for (i = 1; i < top->nchans; i++) { /* the others end with the first */
		if (top->chans[i]->state != CH_ENDED)
			chan_end(top->chans[i]);
		chan_free(top->chans[i]);
	}
	top->nchans = 1;
	if (top->status < 0)
		return; /* it never asked for anything: the connection ends */
	/* let the client close its side (at most 5 s): it writes what it has
	 * of our stderr first; a disconnect before that loses it */
	for (i = 0; i < 50 && !(ssh_get_status(top->session) & (SSH_CLOSED | SSH_CLOSED_ERROR)); i++)
		if (ssh_event_dopoll(top->event, 100) == SSH_ERROR)
			break;
}
