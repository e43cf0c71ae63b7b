/*
 * pemtext.c: what editors and mail clients do to a PEM file, undone or
 * named (issue 11 class 6): UTF-16 text (Notepad "Unicode"), blank lines
 * inside a block, and, for a block that does not decode, the true cause
 * (no END line, a line that is not base64, contents that end short).
 */
#include <errno.h>
#include <ctype.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "internal.h"

const char *pki_utf16_guess(const unsigned char *buf, size_t len)
{
	size_t i, n = len < 1024 ? len & ~(size_t)1 : 1024, zero[2] = { 0, 0 };
	int z;

	if (len < 4 || len % 2 != 0)
		return NULL;
	/* the first character is ASCII text ("-", a letter, a blank): no DER
	 * (0x30 then a non-zero length byte) begins so */
	if (buf[1] == 0 && buf[0] != 0)
		z = 1;
	else if (buf[0] == 0 && buf[1] != 0)
		z = 0;
	else
		return NULL;
	if (!(isprint(buf[1 - z]) || isspace(buf[1 - z])))
		return NULL;
	for (i = 0; i < n; i++)
		zero[i % 2] += buf[i] == 0;
	/* nearly every character ASCII: its other byte 0, none in the text's */
	if (zero[1 - z] != 0 || zero[z] * 10 < (n / 2) * 9)
		return NULL;
	return z == 1 ? "UTF-16LE" : "UTF-16BE";
}

unsigned char *pki_utf16_to_utf8(const unsigned char *buf, size_t len, const char *from,
				 size_t *outlen)
{
	/* glibc's "UTF-16" reads the BOM for the byte order (RFC 2781 4.3);
	 * without one, from names it */
	iconv_t cd = iconv_open("UTF-8", from);
	size_t cap = len * 2 + 4, in_left = len, out_left = cap;
	unsigned char *out;
	char *in = (char *)buf, *o;

	*outlen = 0;
	if (cd == (iconv_t)-1)
		return NULL;
	if ((out = malloc(cap + 1)) == NULL) {
		iconv_close(cd);
		return NULL;
	}
	o = (char *)out;
	if (iconv(cd, &in, &in_left, &o, &out_left) == (size_t)-1 ||
	    iconv(cd, NULL, NULL, &o, &out_left) == (size_t)-1) {
		iconv_close(cd);
		free(out);
		return NULL;
	}
	iconv_close(cd);
	*outlen = cap - out_left;
	out[*outlen] = '\0';
	return out;
}

static int is_blank_line(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

static int starts(const char *p, size_t n, const char *word)
{
	size_t w = strlen(word);

	return n >= w && memcmp(p, word, w) == 0;
}

/* Length of the line without the blanks and CR at its end. */
static size_t trimmed(const char *p, size_t n)
{
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
		n--;
	return n;
}

char *pki_pem_clean(const unsigned char *buf, size_t len, size_t *outlen, int *blank_line,
		    int *blanks)
{
	const char *p = (const char *)buf, *end = p + len, *eol;
	char *t = malloc(len + 2);
	size_t o = 0;
	int line = 0, inside = 0, headers = 0, body = 0;

	*blank_line = *blanks = 0;
	if (t == NULL)
		return NULL;
	for (; p < end; p = eol + 1) {
		size_t n;
		line++;
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		n = trimmed(p, (size_t)(eol - p));
		if (starts(p, n, "-----BEGIN ")) {
			inside = 1;
			headers = body = 0;
		} else if (starts(p, n, "-----END ")) {
			inside = 0;
		} else if (inside && is_blank_line(p, n)) {
			/* RFC 1421 4.4: a blank line ends the headers
			 * (Proc-Type, DEK-Info) and is kept there; anywhere
			 * else in a block it is an editor's, and dropped */
			if (headers > 0 && body == 0) {
				body = 1;
			} else {
				if ((*blanks)++ == 0)
					*blank_line = line;
				continue;
			}
		} else if (inside) {
			if (body == 0 && memchr(p, ':', n) != NULL)
				headers++;
			else
				body = 1;
		}
		memcpy(t + o, p, n);
		o += n;
		t[o++] = '\n';
	}
	t[o] = '\0';
	*outlen = o;
	return t;
}

/* Keep the first sizeof(head) decoded bytes: at most 64, then only the
 * count grows (pki_der_short reads the DER header alone). */
static void keep_head(unsigned char head[64], int have, const unsigned char *out, int n)
{
	if (have < 64 && n > 0)
		memcpy(head + have, out, (size_t)(n < 64 - have ? n : 64 - have));
}

/* The block whose BEGIN line is line `line`, its body starting at p:
 * decoded one line at a time with OpenSSL's base64 decoder. Returns how
 * it ends (PKI_DAMAGE_NONE: base64 and DER length fine) and sets *at to
 * the line concerned and *next to where the text after it starts. */
static int check_block(const char *p, const char *end, int line, int *at, const char **next)
{
	EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
	/* only the DER's first bytes (its header) are kept, and its length:
	 * a 16 MiB block costs no 16 MiB copy (tests/oracle/hostile.sh) */
	unsigned char head[64], out[512];
	const char *eol;
	int dlen = 0, n, headers = 1, r = PKI_DAMAGE_NO_END, short_line = 0;
	size_t width = 0;

	*at = line;
	*next = end;
	if (ctx == NULL) {
		r = PKI_DAMAGE_NONE; /* cannot tell: say nothing more */
		goto out;
	}
	EVP_DecodeInit(ctx);
	for (; p < end; p = eol + 1) {
		size_t len;
		line++;
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		len = trimmed(p, (size_t)(eol - p));
		if (starts(p, len, "-----END ")) {
			*next = eol < end ? eol + 1 : end;
			*at = line;
			if (EVP_DecodeFinal(ctx, out, &n) < 0)
				r = PKI_DAMAGE_SHORT;
			else if (keep_head(head, dlen, out, n), pki_der_short(head, (size_t)(dlen += n)))
				r = PKI_DAMAGE_SHORT; /* its DER says it is longer */
			else
				r = PKI_DAMAGE_NONE; /* base64 fine: CONTENTS if no other */
			goto out;
		}
		if (is_blank_line(p, len) || (headers && memchr(p, ':', len) != NULL))
			continue;
		headers = 0;
		/* RFC 7468 section 3: every line of the text as wide as the first,
		 * but the last; no blanks inside. A line that breaks that was
		 * typed or pasted in, even when its letters are base64 ones. */
		if (short_line > 0) {
			*at = short_line;
			r = PKI_DAMAGE_BASE64;
			goto out;
		}
		if (width == 0)
			width = len;
		if (len < width)
			short_line = line;
		/* longer than any PEM line (RFC 7468: 64; MIME 76), or not the
		 * alphabet of RFC 4648; 256 also bounds what out receives */
		if (len > 256 || len > width || memchr(p, ' ', len) != NULL || memchr(p, '\t', len) != NULL ||
		    EVP_DecodeUpdate(ctx, out, &n, (const unsigned char *)p, (int)len) < 0) {
			*at = line;
			r = PKI_DAMAGE_BASE64;
			goto out;
		}
		keep_head(head, dlen, out, n);
		dlen += n;
	}
out:
	ERR_clear_error();
	OPENSSL_cleanse(out, sizeof(out)); /* it may be a key's */
	OPENSSL_cleanse(head, sizeof(head));
	EVP_ENCODE_CTX_free(ctx);
	return r;
}

void pki_pem_diagnose(struct pki_file *f)
{
	const char *p = (const char *)f->raw, *end = p + f->raw_len, *eol, *next;
	int line = 0, at;

	f->damage = PKI_DAMAGE_CONTENTS; /* unless a block shows another cause */
	f->damage_line = 0;
	while (p < end) {
		line++;
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if (!starts(p, trimmed(p, (size_t)(eol - p)), "-----BEGIN ")) {
			p = eol + 1;
			continue;
		}
		int r = check_block(eol < end ? eol + 1 : end, end, line, &at, &next);
		if (r != PKI_DAMAGE_NONE) {
			f->damage = r;
			f->damage_line = at;
			return;
		}
		line = at;
		p = next;
	}
}

int pki_der_short(const unsigned char *buf, size_t len)
{
	/* reads the header alone (ASN1_get_object checks the length it
	 * declares against len without reading the contents) */
	const unsigned char *p = buf;
	long plen;
	int tag, xclass, r;

	if (len < 2 || buf[0] != 0x30) /* every object mmp reads is a SEQUENCE */
		return 0;
	r = ASN1_get_object(&p, &plen, &tag, &xclass, (long)len);
	ERR_clear_error();
	/* 0x80: the header is fine but its length runs past the end */
	return (r & 0x80) && plen > 0 && p > buf && (size_t)(p - buf) <= len &&
	       (size_t)plen > len - (size_t)(p - buf) && tag == V_ASN1_SEQUENCE;
}

void pki_file_warnings(const struct pki_file *f, struct report *r)
{
	if (f->utf16 > 0)
		report_check(r, REPORT_WARNING, "file.utf16", f->name, 0,
			     "%s is saved as UTF-16 (Notepad 'Unicode'): it was read converted to UTF-8; save it as UTF-8 or ANSI for other tools",
			     f->name);
	if (f->blanks > 0) {
		report_check(r, REPORT_WARNING, "file.blank_lines", f->name, 0,
			     "%s: line %d is blank inside a PEM block (%d such line%s, as Notepad or a mail client leaves them)",
			     f->name, f->blank_line, f->blanks, f->blanks == 1 ? "" : "s");
		report_remedy(r, "read without %s", f->blanks == 1 ? "it" : "them");
	}
}
