/*
 * names.c: the file store's name rules (SPEC §4; guide §3.1, §4.2, A.1 and
 * Appendix B; no leading '-', issue 10) and the valid name proposed when a
 * name is refused.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mmp/store.h"

/* Appendix B extensions (plus .p7b for PKCS#7 chains, SPEC §5, .p12/.pfx
 * so an uploaded PKCS#12 can be inspected, and .crl for the revocation
 * lists of pki verify), with the kinds each may hold. */
static const struct {
	const char *ext;
	unsigned kinds; /* bits (1 << enum store_kind) */
} exts[] = {
	{ "pem", 1u << STORE_CERT | 1u << STORE_KEY },
	{ "der", 1u << STORE_CERT | 1u << STORE_KEY },
	{ "cer", 1u << STORE_CERT },
	{ "crt", 1u << STORE_CERT },
	{ "p7b", 1u << STORE_CERT },
	{ "key", 1u << STORE_KEY },
	{ "csr", 1u << STORE_CSR },
	{ "pub", 1u << STORE_PUB },
	{ "p12", 0 },
	{ "pfx", 0 },
	{ "crl", 0 }, /* RFC 5280 section 5 CRLs, for pki verify crl:<file> */
};

static const char *kind_exts(enum store_kind kind)
{
	switch (kind) {
	case STORE_CERT: return ".crt, .cer, .pem, .der or .p7b";
	case STORE_KEY: return ".key, .pem or .der";
	case STORE_CSR: return ".csr";
	case STORE_PUB: return ".pub";
	case STORE_ANY: break;
	}
	return ".crt, .cer, .pem, .der, .p7b, .key, .csr, .pub, .p12, .pfx or .crl";
}

static int base_char_ok(unsigned char c)
{
	return isascii(c) && (isalnum(c) || c == '-');
}

/* The end of name without what trails its last letter or digit ("x.crt."
 * "x.crt ", "x.crt~" end after "crt"): a copy or a typing slip, not part
 * of the extension (issue 11: "trail.crt." was proposed as "trail-crt"). */
static const char *trimmed_end(const char *name)
{
	const char *e = name + strlen(name);

	while (e > name && !isalnum((unsigned char)e[-1]))
		e--;
	return e;
}

void store_propose_name(const char *bad, int keep_ext, char *out, size_t size)
{
	const char *slash = strrchr(bad, '/'), *dot = NULL, *end;
	size_t o = 0, limit;
	const char *p;
	int last_dash = 1; /* drop leading dashes */

	if (size == 0)
		return;
	if (slash != NULL)
		bad = slash + 1; /* a path: propose its last part */
	end = trimmed_end(bad);
	for (p = bad; keep_ext && p < end; p++)
		if (*p == '.')
			dot = p;
	if (dot != NULL && (dot == bad || dot + 1 == end))
		dot = NULL;
	limit = size - 1;
	if (limit > STORE_NAME_MAX - 4)
		limit = STORE_NAME_MAX - 4;
	for (p = bad; p < end && p != dot && o < limit; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '-' && o == 0) {
			continue; /* no leading dash */
		} else if (base_char_ok(c)) {
			out[o++] = (char)c;
			last_dash = (c == '-');
		} else if (!last_dash) {
			out[o++] = '-';
			last_dash = 1;
		}
	}
	while (o > 0 && out[o - 1] == '-')
		o--;
	if (o == 0) {
		snprintf(out, size, "%s", "newfile");
		o = strlen(out);
	}
	out[o] = '\0';
	if (dot != NULL) {
		size_t i;
		char ext[8];
		for (i = 0; i + 1 < sizeof(ext) && dot + 1 + i < end; i++)
			ext[i] = (char)tolower((unsigned char)dot[1 + i]);
		ext[i] = '\0';
		if (o + 1 + i < size)
			snprintf(out + o, size - o, ".%s", ext);
	}
}

const char *store_name_shown(const char *name, char *buf, size_t size)
{
	size_t o = 0;

	for (; *name != '\0' && o + 5 < size; name++) {
		unsigned char c = (unsigned char)*name;
		if (c < 0x20 || c >= 0x7f)
			o += (size_t)snprintf(buf + o, size - o, "\\x%02X", c);
		else
			buf[o++] = (char)c;
	}
	buf[o] = '\0';
	return buf;
}

enum mmp_rc store_check_basename(const char *base, struct mmp_err *err)
{
	char good[STORE_NAME_MAX], sh[STORE_NAME_MAX * 4 + 8];
	size_t i, len = strlen(base);

	for (i = 0; i < len; i++)
		if (!base_char_ok((unsigned char)base[i]))
			break;
	if (len > 0 && i == len && len <= STORE_NAME_MAX - 4 && base[0] != '-')
		return MMP_OK;
	store_propose_name(base, 0, good, sizeof(good));
	if (len > 0 && i == len && len <= STORE_NAME_MAX - 4) /* issue 10 item 7 */
		return mmp_err_setr(err, MMP_ERR_NAME,
				   "\"%s\" is not a valid basename: it may not start with \"-\" (a program reading it would take it for an option), e.g. \"%s\"",
				   base, good);
	{ /* "srv.csr" where a basename goes: the basename is "srv" */
		const char *dot = strrchr(base, '.');
		size_t k;
		for (k = 0; dot != NULL && k < sizeof(exts) / sizeof(exts[0]); k++)
			if (strcmp(dot + 1, exts[k].ext) == 0 && dot > base) {
				char stem[STORE_NAME_MAX + 1];
				snprintf(stem, sizeof(stem), "%.*s", (int)(dot - base), base);
				store_propose_name(stem, 0, good, sizeof(good));
				break;
			}
	}
	if (len == 0)
		return mmp_err_setr(err, MMP_ERR_NAME,
				   "empty basename: " MMP_REMEDY "give a name of letters, digits and \"-\", e.g. \"%s\"",
				   good);
	if (len > STORE_NAME_MAX - 4)
		return mmp_err_setr(err, MMP_ERR_NAME,
				   "basename is %zu bytes, more than %d: " MMP_REMEDY "use a shorter one, e.g. \"%.20s\"",
				   len, STORE_NAME_MAX - 4, good);
	return mmp_err_setr(err, MMP_ERR_NAME,
			   "\"%s\" is not a valid basename: " MMP_REMEDY "use letters, digits and \"-\" only, no \".\" or \"_\" (guide section 3.1), e.g. \"%s\"",
			   store_name_shown(base, sh, sizeof(sh)), good);
}

enum mmp_rc store_check_name(const char *name, enum store_kind kind,
			     struct mmp_err *err)
{
	char good[STORE_NAME_MAX + 8], base[STORE_NAME_MAX + 1], sh[STORE_NAME_MAX * 4 + 8];
	char sh2[STORE_NAME_MAX * 4 + 8];
	const char *dot = strrchr(name, '.');
	size_t blen, i, len = strlen(name);
	int ext_known = 0;

	if (len > STORE_NAME_MAX) {
		store_propose_name(name, 1, good, sizeof(good));
		return mmp_err_setr(err, MMP_ERR_NAME,
				   "file name is %zu bytes, more than %d: " MMP_REMEDY "use a shorter one, e.g. \"%s\"",
				   len, STORE_NAME_MAX, good);
	}
	if (dot == NULL || dot == name || strchr(name, '/') != NULL)
		goto bad;
	if (name[0] == '-') { /* issue 10 item 7: "-x.crt" reads as an option */
		store_propose_name(name, 1, good, sizeof(good));
		return mmp_err_setr(err, MMP_ERR_NAME,
				   "\"%s\" is not a valid file name: it may not start with \"-\" (a program reading it would take it for an option), e.g. \"%s\"",
				   store_name_shown(name, sh, sizeof(sh)), good);
	}
	blen = (size_t)(dot - name);
	memcpy(base, name, blen);
	base[blen] = '\0';
	for (i = 0; i < blen; i++)
		if (!base_char_ok((unsigned char)base[i]))
			goto bad;
	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		if (strcmp(dot + 1, exts[i].ext) != 0)
			continue;
		ext_known = 1;
		if (kind == STORE_ANY || (exts[i].kinds & (1u << kind)))
			return MMP_OK;
	}
	if (ext_known && (kind == STORE_KEY || kind == STORE_CERT) &&
	    (strcmp(dot, ".p12") == 0 || strcmp(dot, ".pfx") == 0))
		/* issue 11 class 3: a Windows export; the way out of the loop */
		return mmp_err_setr(err, MMP_ERR_NAME,
				   "\"%s\": a PKCS#12 file (.pfx/.p12: a key with its certificates, as Windows exports them) is not taken here, %s is: " MMP_REMEDY "split it with pki pkcs12-extract %s <basename>, then use <basename>.key, <basename>.crt and <basename>-bundle.crt",
				   store_name_shown(name, sh, sizeof(sh)),
				   kind == STORE_KEY ? "a private key (.key, .pem or .der)"
						     : "a certificate (.crt, .cer, .pem, .der or .p7b)",
				   store_name_shown(name, sh2, sizeof(sh2)));
	{ /* ".CRT": the extension in lower case is one the kind allows */
		const char *e = dot + 1;
		for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
			if (strcasecmp(e, exts[i].ext) == 0 &&
			    (kind == STORE_ANY || (exts[i].kinds & (1u << kind)))) {
				store_propose_name(name, 1, good, sizeof(good));
				return mmp_err_setr(err, MMP_ERR_NAME,
						   "\"%s\": the extension \"%s\" is not lower case: " MMP_REMEDY "extensions are lower case (guide Appendix B), e.g. \"%s\"",
						   store_name_shown(name, sh, sizeof(sh)),
						   store_name_shown(dot, sh2, sizeof(sh2)), good);
			}
	}
	good[0] = '\0';
	{ /* "x.crt~", "x.crt ": what trails the extension is not part of it */
		const char *end = trimmed_end(name);
		for (i = 0; end > dot + 1 && i < sizeof(exts) / sizeof(exts[0]); i++)
			if (strlen(exts[i].ext) == (size_t)(end - dot - 1) &&
			    strncasecmp(dot + 1, exts[i].ext, (size_t)(end - dot - 1)) == 0 &&
			    (kind == STORE_ANY || (exts[i].kinds & (1u << kind))))
				store_propose_name(name, 1, good, sizeof(good));
	}
	if (good[0] != '\0')
		return mmp_err_setr(err, MMP_ERR_NAME,
				   "\"%s\": unknown extension \"%s\": " MMP_REMEDY "the name must end with the extension (guide Appendix B), e.g. \"%s\"",
				   store_name_shown(name, sh, sizeof(sh)), store_name_shown(dot, sh2, sizeof(sh2)),
				   good);
	if (ext_known || kind != STORE_ANY) {
		return mmp_err_setr(err, MMP_ERR_NAME,
				   "\"%s\": the extension \"%s\" is not allowed here: " MMP_REMEDY "use %s (guide Appendix B)",
				   store_name_shown(name, sh, sizeof(sh)), store_name_shown(dot, sh2, sizeof(sh2)), kind_exts(kind));
	}
	return mmp_err_setr(err, MMP_ERR_NAME,
			   "\"%s\": unknown extension \"%s\": " MMP_REMEDY "use %s (guide Appendix B)",
			   store_name_shown(name, sh, sizeof(sh)), store_name_shown(dot, sh2, sizeof(sh2)), kind_exts(kind));
bad:
	store_propose_name(name, 1, good, sizeof(good));
	if (strchr(name, '/') != NULL)
		return mmp_err_setr(err, MMP_ERR_NAME,
				   "\"%s\" is not a valid file name: the file store is flat, names have no \"/\"; use a name like \"%s\"",
				   store_name_shown(name, sh, sizeof(sh)), good);
	if (dot == NULL)
		return mmp_err_setr(err, MMP_ERR_NAME,
				   "\"%s\" is not a valid file name: it needs an extension (%s), e.g. \"%s.crt\"",
				   store_name_shown(name, sh, sizeof(sh)), kind_exts(kind), good);
	return mmp_err_setr(err, MMP_ERR_NAME,
			   "\"%s\" is not a valid file name: " MMP_REMEDY "use letters, digits and \"-\", then one \".\" before the extension (guide section 4.2), e.g. \"%s\"",
			   store_name_shown(name, sh, sizeof(sh)), good);
}
