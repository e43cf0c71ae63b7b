/*
 * show.c: how text taken from certificates is shown (issue 10 item 6,
 * issue 11 class 5): names as one line of UTF-8 text, raw strings and
 * subjectAltName names escaped, internationalised DNS names in both forms.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <idn2.h>
#include <openssl/x509v3.h>

#include "internal.h"
#include "mmp/text.h"

/* A malloc'd copy of len bytes through text_escape() (mmp/text.h): UTF-8
 * text stays, controls, bidirectional controls and bytes that are not
 * UTF-8 become \xNN, so no escape sequence from a file reaches the
 * terminal. A NUL inside is escaped too. NULL when out of memory. */
char *pki_escape_dup(const unsigned char *in, size_t len)
{
	char *out = malloc(len * 4 + 1), *o = out, *tmp;
	size_t i = 0, n;

	if (out == NULL)
		return NULL;
	*o = '\0';
	while (i < len) {
		if (in[i] == '\0') {
			o += snprintf(o, 5, "\\x00");
			i++;
			continue;
		}
		n = strnlen((const char *)in + i, len - i);
		if ((tmp = malloc(n + 1)) == NULL) {
			free(out);
			return NULL;
		}
		memcpy(tmp, in + i, n);
		tmp[n] = '\0';
		text_escape(tmp, o, n * 4 + 1, 0);
		o += strlen(o);
		free(tmp);
		i += n;
	}
	return out;
}

void pki_name_oneline(const X509_NAME *n, char *buf, size_t size)
{
	BIO *b;
	char *data, *e = NULL;
	long len;

	if (size == 0)
		return;
	buf[0] = '\0';
	if (n == NULL || (b = BIO_new(BIO_s_mem())) == NULL)
		return;
	if (X509_NAME_print_ex(b, n, 0, PKI_NAME_FLAGS) >= 0 &&
	    (len = BIO_get_mem_data(b, &data)) >= 0 &&
	    (e = pki_escape_dup((const unsigned char *)data, (size_t)len)) != NULL &&
	    snprintf(buf, size, "%s", e) >= (int)size && size > 4) {
		size_t cut = size - 4;
		/* say it was cut, never inside a UTF-8 sequence */
		while (cut > 0 && ((unsigned char)buf[cut] & 0xc0) == 0x80)
			cut--;
		memcpy(buf + cut, "...", 4);
	}
	free(e);
	BIO_free(b);
	pki_err_clear();
}

/* Raw bytes of a string from a file: printable ASCII as is, '\' as "\\",
 * any other byte as \xNN, so the text cannot be mistaken for an escape. */
void pki_bio_put_escaped(BIO *b, const unsigned char *p, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (p[i] == '\\')
			BIO_puts(b, "\\\\");
		else if (p[i] >= 0x20 && p[i] < 0x7f)
			BIO_write(b, p + i, 1);
		else
			BIO_printf(b, "\\x%02X", p[i]);
	}
}

/* The U-label form of a DNS name holding A-labels ("xn--"), as UTF-8, in
 * buf; 0 when it has none or does not decode (RFC 5891 section 5.5). */
static int u_label(const unsigned char *p, int n, char *buf, size_t size)
{
	char ascii[256], *utf8 = NULL;
	int ok;

	if (n <= 0 || n >= (int)sizeof(ascii) || memchr(p, '\0', (size_t)n) != NULL)
		return 0;
	memcpy(ascii, p, (size_t)n);
	ascii[n] = '\0';
	if (strncasecmp(ascii, "xn--", 4) != 0 && strcasestr(ascii, ".xn--") == NULL)
		return 0;
	ok = idn2_to_unicode_8z8z(ascii, &utf8, 0) == IDN2_OK && strcmp(utf8, ascii) != 0;
	if (ok)
		snprintf(buf, size, "%s", utf8);
	idn2_free(utf8);
	return ok;
}

int pki_print_gens(BIO *b, const GENERAL_NAMES *gens)
{
	int i, idn = 0;
	char u[256], e[1024];

	for (i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
		GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		const char *tag = g->type == GEN_DNS     ? "DNS:"
				  : g->type == GEN_EMAIL ? "email:"
				  : g->type == GEN_URI   ? "URI:"
							 : NULL;

		if (i > 0)
			BIO_puts(b, ", ");
		if (tag == NULL) {
			GENERAL_NAME_print(b, g);
			continue;
		}
		BIO_puts(b, tag);
		pki_bio_put_escaped(b, ASN1_STRING_get0_data(g->d.ia5), ASN1_STRING_length(g->d.ia5));
		/* an internationalised name is shown in both forms (issue 11
		 * class 5); the U-label escaped like any text from a file */
		if (g->type == GEN_DNS && u_label(ASN1_STRING_get0_data(g->d.ia5),
						  ASN1_STRING_length(g->d.ia5), u, sizeof(u))) {
			BIO_printf(b, " (%s)", text_escape(u, e, sizeof(e), 0));
			idn++;
		}
	}
	return idn;
}
