/*
 * ports.c: every TCP port the node's services open on an interface, and
 * the one check that no two listeners share one (SPEC §7): Web Bridge 3
 * HTTPS, C2W and its HTTP redirect (guide Appendix D.1), MeetingApps
 * (guide §4.7) and the TURN server's TLS port (guide §4.6).
 */
#include <string.h>

#include "svcutil.h"

int cli_load_ports(struct mmp_session *ss, struct cli_ports *p)
{
	memset(p, 0, sizeof(*p));
	if (cli_get(ss, "webbridge3.https.listen", p->https, sizeof(p->https)) < 0 ||
	    cli_get(ss, "webbridge3.c2w.listen", p->c2w, sizeof(p->c2w)) < 0 ||
	    cli_get(ss, "webbridge3.http_redirect", p->redirect, sizeof(p->redirect)) < 0 ||
	    cli_get(ss, "meetingapps.https.listen", p->meetingapps, sizeof(p->meetingapps)) < 0 ||
	    cli_get(ss, "turn.listen", p->turn_listen, sizeof(p->turn_listen)) < 0 ||
	    cli_get(ss, "turn.tls", p->turn_tls, sizeof(p->turn_tls)) < 0)
		return -1;
	return 0;
}

/* "if:port" for each interface (the first letter of each word) of ifaces:
 * "a:443 b:443" and "80" give "a:80 b:80"; "a b" and "443" give "a:443
 * b:443". Nothing when port is "". */
static void words_on(const char *ifaces, const char *port, char *out, size_t size)
{
	const char *w;
	size_t o = 0, wl;

	out[0] = '\0';
	if (port[0] == '\0')
		return;
	for (w = ifaces; *w != '\0'; w += wl + (w[wl] == ' ')) {
		wl = strcspn(w, " ");
		o += (size_t)snprintf(out + o, o < size ? size - o : 0, "%s%c:%s", o ? " " : "", w[0],
				      port);
	}
}

/* The first word of list a that is also in list b; copied into word. */
static int common_word(const char *a, const char *b, char *word, size_t size)
{
	const char *w, *v;
	size_t wl, vl;

	for (w = a; *w != '\0'; w += wl + (w[wl] == ' ')) {
		wl = strcspn(w, " ");
		for (v = b; *v != '\0'; v += vl + (v[vl] == ' ')) {
			vl = strcspn(v, " ");
			if (wl == vl && strncmp(w, v, wl) == 0 && wl < size) {
				snprintf(word, size, "%.*s", (int)wl, w);
				return 1;
			}
		}
	}
	return 0;
}

int cli_check_ports(struct mmp_session *ss, const struct cli_ports *p, unsigned changed,
		    const char *guide)
{
	char redirect[CFG_VALUE_MAX + 1], turn[CFG_VALUE_MAX + 1], word[16];
	const struct {
		const char *name, *list;
	} l[] = {
		[CLI_PORT_C2W] = { "webbridge3 c2w listen", p->c2w },
		[CLI_PORT_HTTPS] = { "webbridge3 https listen", p->https },
		[CLI_PORT_REDIRECT] = { "webbridge3 http-redirect", redirect },
		[CLI_PORT_MEETINGAPPS] = { "meetingapps https listen", p->meetingapps },
		[CLI_PORT_TURN_TLS] = { "turn tls", turn },
	};
	size_t i, j, n = sizeof(l) / sizeof(l[0]);

	/* Appendix D.1 step 3: the redirect port is opened on every
	 * interface HTTPS listens on, so it changes with them */
	if (changed & (1u << CLI_PORT_HTTPS))
		changed |= 1u << CLI_PORT_REDIRECT;
	words_on(p->https, p->redirect, redirect, sizeof(redirect));
	words_on(p->turn_listen, p->turn_tls, turn, sizeof(turn));
	/* the listener that changes is named first; a clash between two
	 * others that an older mmp let in does not block this change */
	for (i = 0; i < n; i++) {
		if (!(changed & (1u << i)))
			continue;
		for (j = 0; j < n; j++)
			if (j != i && !((changed & (1u << j)) && j < i) &&
			    common_word(l[i].list, l[j].list, word, sizeof(word))) {
				char fix[96];

				snprintf(fix, sizeof(fix),
					 "give each its own port (guide %s); nothing was changed", guide);
				res_check(ss, REPORT_FAILURE, "port.clash", NULL, 0, fix,
					  "%s \"%s\" and %s \"%s\" are the same port on interface %c",
					  l[i].name, word, l[j].name, word, word[0]);
				return 1;
			}
	}
	return 0;
}
