/*
 * webpki.c: the rules of the browser-facing TLS server profile that RFC
 * 5280 path validation (OpenSSL) does not check: the CA/Browser Forum
 * Baseline Requirements (BR, version 2.x) for keys, serial numbers,
 * subscriber and root certificate extensions, and two RFC 5280 MUSTs on
 * encodings OpenSSL reads without complaint. Used by verify_core.c: a
 * FAILURE under PKI_VERIFY_WEB, a WARNING when pki verify checks a name.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509v3.h>

#include "make.h"
#include "names.h"
#include "verify_core.h"

/* BR 6.1.5 and 6.1.1.3: RSA of at least 2048 bits, a multiple of 8;
 * ECDSA on P-256, P-384 or P-521; no other key type. */
static int key_fault(X509 *x, char *why, size_t size)
{
	EVP_PKEY *k = X509_get0_pubkey(x);
	char curve[64];
	int bits;

	if (k == NULL)
		return snprintf(why, size, "its public key cannot be read"), 1;
	if (EVP_PKEY_is_a(k, "RSA")) {
		bits = EVP_PKEY_get_bits(k);
		if (bits >= 2048 && bits % 8 == 0)
			return 0;
		snprintf(why, size,
			 "its RSA key has %d bits, where at least 2048 and a multiple of 8 are required (BR section 6.1.5)",
			 bits);
		return 1;
	}
	if (EVP_PKEY_is_a(k, "EC")) {
		if (EVP_PKEY_get_utf8_string_param(k, "group", curve, sizeof(curve), NULL) &&
		    (strcmp(curve, "prime256v1") == 0 || strcmp(curve, "secp384r1") == 0 ||
		     strcmp(curve, "secp521r1") == 0))
			return 0;
		snprintf(why, size,
			 "its EC key is not on P-256, P-384 or P-521 (BR section 6.1.5)");
		return 1;
	}
	snprintf(why, size, "its key is %s, where only RSA and ECDSA keys are allowed (BR section 6.1.5)",
		 EVP_PKEY_get0_type_name(k) != NULL ? EVP_PKEY_get0_type_name(k) : "of another type");
	return 1;
}

/* RFC 5280 4.1.2.2 (and BR 7.1): a positive integer of at most 20 octets. */
static int serial_fault(X509 *x, char *why, size_t size)
{
	const ASN1_INTEGER *sn = X509_get0_serialNumber(x);
	BIGNUM *bn = ASN1_INTEGER_to_BN(sn, NULL);
	int fault = bn == NULL || BN_is_zero(bn) || BN_is_negative(bn) ||
		    i2d_ASN1_INTEGER(sn, NULL) - 2 > 20;

	BN_free(bn);
	if (fault)
		snprintf(why, size,
			 "its serial number is zero, negative or longer than 20 octets, where RFC 5280 section 4.1.2.2 requires a positive number of at most 20 octets");
	return fault;
}

/* RFC 5280 4.2.2.1: AuthorityInfoAccessSyntax is SIZE (1..MAX). */
static int aia_fault(X509 *x, char *why, size_t size)
{
	AUTHORITY_INFO_ACCESS *aia;
	int crit, fault;

	if (X509_get_ext_by_NID(x, NID_info_access, -1) < 0)
		return 0;
	aia = X509_get_ext_d2i(x, NID_info_access, &crit, NULL);
	fault = aia == NULL || sk_ACCESS_DESCRIPTION_num(aia) == 0;
	AUTHORITY_INFO_ACCESS_free(aia);
	if (fault)
		snprintf(why, size,
			 "its authorityInfoAccess extension is malformed or empty (RFC 5280 section 4.2.2.1)");
	return fault;
}

static int dot_subtree(const STACK_OF(GENERAL_SUBTREE) *t);

/* RFC 5280 4.2.1.10: "either the permittedSubtrees field or the
 * excludedSubtrees MUST be present", and a present one is SIZE (1..MAX). */
static int nc_fault(X509 *x, char *why, size_t size)
{
	NAME_CONSTRAINTS *nc;
	int fault;

	if (X509_get_ext_by_NID(x, NID_name_constraints, -1) < 0)
		return 0;
	nc = X509_get_ext_d2i(x, NID_name_constraints, NULL, NULL);
	fault = nc == NULL || (sk_GENERAL_SUBTREE_num(nc->permittedSubtrees) <= 0 &&
			       sk_GENERAL_SUBTREE_num(nc->excludedSubtrees) <= 0);
	if (fault)
		snprintf(why, size,
			 "its nameConstraints extension has neither permitted nor excluded subtrees (RFC 5280 section 4.2.1.10)");
	else if ((fault = dot_subtree(nc->permittedSubtrees) || dot_subtree(nc->excludedSubtrees)))
		snprintf(why, size,
			 "its nameConstraints has a DNS name with a leading period, which is no DNS name (RFC 5280 section 4.2.1.10: a dNSName constraint is a host name, \"example.com\")");
	NAME_CONSTRAINTS_free(nc);
	return fault;
}

/* A dNSName subtree written ".example.com" (the URI form). */
static int dot_subtree(const STACK_OF(GENERAL_SUBTREE) *t)
{
	int i;

	for (i = 0; i < sk_GENERAL_SUBTREE_num(t); i++) {
		const GENERAL_NAME *b = sk_GENERAL_SUBTREE_value(t, i)->base;
		if (b->type == GEN_DNS && ASN1_STRING_length(b->d.dNSName) > 0 &&
		    ASN1_STRING_get0_data(b->d.dNSName)[0] == '.')
			return 1;
	}
	return 0;
}

/* RFC 5280 4.2.1.11: "Conforming CAs MUST mark this extension as
 * critical" (policyConstraints). */
static int pc_fault(X509 *x, char *why, size_t size)
{
	int at = X509_get_ext_by_NID(x, NID_policy_constraints, -1);

	if (at < 0 || X509_EXTENSION_get_critical(X509_get_ext(x, at)))
		return 0;
	snprintf(why, size,
		 "its policyConstraints extension is not critical (RFC 5280 section 4.2.1.11)");
	return 1;
}

/* RFC 5280 4.2.1.10 with RFC 6125's wildcards (CVE-2025-61727): a DNS
 * name of the leaf "*.B" covers "l.B" for any label l, so a CA above it
 * that excludes a name "l.B" has its exclusion bypassed. */
static int wildcard_excluded(X509 *leaf, X509 *ca, char *why, size_t size)
{
	GENERAL_NAMES *gens;
	NAME_CONSTRAINTS *nc;
	int i, j, fault = 0;

	if (X509_get_ext_by_NID(ca, NID_name_constraints, -1) < 0)
		return 0;
	nc = X509_get_ext_d2i(ca, NID_name_constraints, NULL, NULL);
	gens = X509_get_ext_d2i(leaf, NID_subject_alt_name, NULL, NULL);
	for (i = 0; nc != NULL && gens != NULL && !fault && i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		const char *pat;
		int plen;

		if (g->type != GEN_DNS)
			continue;
		pat = (const char *)ASN1_STRING_get0_data(g->d.dNSName);
		plen = ASN1_STRING_length(g->d.dNSName);
		if (plen < 3 || pat[0] != '*' || pat[1] != '.')
			continue;
		for (j = 0; !fault && j < sk_GENERAL_SUBTREE_num(nc->excludedSubtrees); j++) {
			const GENERAL_NAME *b = sk_GENERAL_SUBTREE_value(nc->excludedSubtrees, j)->base;
			const char *e, *dot;
			int elen;

			if (b->type != GEN_DNS)
				continue;
			e = (const char *)ASN1_STRING_get0_data(b->d.dNSName);
			elen = ASN1_STRING_length(b->d.dNSName);
			dot = memchr(e, '.', (size_t)elen);
			fault = dot != NULL && dot != e && elen - (dot - e) == plen - 1 &&
				strncasecmp(dot, pat + 1, (size_t)plen - 1) == 0;
		}
	}
	GENERAL_NAMES_free(gens);
	NAME_CONSTRAINTS_free(nc);
	if (fault)
		snprintf(why, size,
			 "its wildcard subjectAltName covers a name that a CA above it excludes by its name constraints (RFC 5280 section 4.2.1.10, RFC 6125 section 6.4.3)");
	return fault;
}

/* BR 7.1.4.3: the CN is a character-for-character copy of a SAN entry.
 * limbo's own webpki successes have CNs that are in no SAN entry, so what
 * is refused is a CN that names one of the SAN entries in another
 * spelling: other letter case, U-labels for A-labels, an IPv4 address in
 * hex or with leading zeros, an IPv6 address not in RFC 5952 form. */
static int cn_respelled(X509 *x, const char *cn, char *why, size_t size)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	unsigned char ip[16];
	char form[256], text[INET6_ADDRSTRLEN];
	const char *idn_why;
	struct in_addr v4;
	size_t iplen = 0, cnlen = strlen(cn);
	int i, fault = 0;

	if (strchr(cn, ':') != NULL && inet_pton(AF_INET6, cn, ip) == 1)
		iplen = 16;
	else if (strchr(cn, ':') == NULL && inet_aton(cn, &v4) != 0)
		memcpy(ip, &v4, iplen = 4);
	if (iplen == 0 && (strchr(cn, '*') != NULL || !pki_dns_alabel(cn, form, sizeof(form), &idn_why)))
		form[0] = '\0';
	for (i = 0; gens != NULL && !fault && i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);

		if (g->type == GEN_DNS && iplen == 0 && form[0] != '\0') {
			const char *d = (const char *)ASN1_STRING_get0_data(g->d.dNSName);
			size_t dl = (size_t)ASN1_STRING_length(g->d.dNSName);
			fault = strlen(form) == dl && strncasecmp(form, d, dl) == 0 &&
				!(cnlen == dl && memcmp(cn, d, dl) == 0);
		} else if (g->type == GEN_IPADD && iplen > 0 &&
			   (size_t)ASN1_STRING_length(g->d.iPAddress) == iplen &&
			   memcmp(ASN1_STRING_get0_data(g->d.iPAddress), ip, iplen) == 0) {
			fault = inet_ntop(iplen == 4 ? AF_INET : AF_INET6, ip, text, sizeof(text)) == NULL ||
				strcmp(text, cn) != 0;
		}
	}
	GENERAL_NAMES_free(gens);
	if (fault)
		snprintf(why, size,
			 "its CN names one of its subjectAltName entries but is not a character-for-character copy of it (BR section 7.1.4.3: as written in the subjectAltName; IP addresses as RFC 3986 and RFC 5952 write them)");
	return fault;
}

/* Every CN of the subject, through cn_respelled. */
static int cn_fault(X509 *x, char *why, size_t size)
{
	X509_NAME *subj = X509_get_subject_name(x);
	int at = -1, fault = 0;

	if (X509_get_ext_by_NID(x, NID_subject_alt_name, -1) < 0)
		return 0;
	while (!fault && (at = X509_NAME_get_index_by_NID(subj, NID_commonName, at)) >= 0) {
		unsigned char *cn = NULL;
		int len = ASN1_STRING_to_UTF8(&cn, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subj, at)));

		fault = len > 0 && memchr(cn, '\0', (size_t)len) == NULL &&
			cn_respelled(x, (const char *)cn, why, size);
		OPENSSL_free(cn);
	}
	return fault;
}

/* RFC 5280 4.2.1.6: a dNSName is in the preferred name syntax; a leaf's
 * DNS names must be ones a client can match (names.c). */
static int san_fault(X509 *x, char *why, size_t size)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	int i, fault = 0;

	for (i = 0; gens != NULL && !fault && i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		fault = g->type == GEN_DNS &&
			(ASN1_STRING_length(g->d.dNSName) <= 0 ||
			 ASN1_STRING_get0_data(g->d.dNSName)[0] == '.');
	}
	GENERAL_NAMES_free(gens);
	if (fault)
		snprintf(why, size,
			 "a DNS name of its subjectAltName is empty or starts with a period, which is no DNS name (RFC 5280 section 4.2.1.6)");
	return fault;
}

/* BR 7.1.2.7 on the subscriber (leaf) certificate. */
static int leaf_fault(X509 *x, char *why, size_t size)
{
	uint32_t xf = X509_get_extension_flags(x), ku = X509_get_key_usage(x);
	X509_NAME *subj = X509_get_subject_name(x);
	EXTENDED_KEY_USAGE *eku;
	int crit = 0, i, anyeku = 0, san_at;

	if (X509_get_ext_by_NID(x, NID_name_constraints, -1) >= 0)
		return snprintf(why, size,
				"it is a leaf with a nameConstraints extension, which \"MUST be used only in a CA certificate\" (RFC 5280 section 4.2.1.10)"), 1;
	if (X509_get_version(x) != X509_VERSION_3)
		return snprintf(why, size, "it is not an X.509 version 3 certificate (BR section 7.1.1)"), 1;
	/* a certificate in the leaf position that cannot sign certificates
	 * but says CA:TRUE (a CA certificate in leaf position, with
	 * keyCertSign, is RFC 5280's and passes) */
	if ((xf & EXFLAG_CA) && (xf & EXFLAG_KUSAGE) && !(ku & KU_KEY_CERT_SIGN))
		return snprintf(why, size,
				"it is a subscriber certificate (no keyCertSign) with basicConstraints CA:TRUE (BR section 7.1.2.7.8)"), 1;
	if ((eku = X509_get_ext_d2i(x, NID_ext_key_usage, &crit, NULL)) != NULL) {
		for (i = 0; i < sk_ASN1_OBJECT_num(eku); i++)
			anyeku |= OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, i)) == NID_anyExtendedKeyUsage;
		sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
		if (anyeku)
			return snprintf(why, size,
					"its extendedKeyUsage has anyExtendedKeyUsage (BR section 7.1.2.7.10)"), 1;
		if (crit)
			return snprintf(why, size,
					"its extendedKeyUsage extension is critical (BR section 7.1.2.7.6)"), 1;
	}
	san_at = X509_get_ext_by_NID(x, NID_subject_alt_name, -1);
	if (san_at >= 0 && X509_NAME_entry_count(subj) > 0 &&
	    X509_EXTENSION_get_critical(X509_get_ext(x, san_at)))
		return snprintf(why, size,
				"its subjectAltName is critical while its subject is not empty (BR section 7.1.2.7.12)"), 1;
	return 0;
}

/* BR 7.1.2.1: a root has no extendedKeyUsage and an authorityKeyIdentifier,
 * if any, with the keyIdentifier only, equal to its subjectKeyIdentifier. */
static int root_fault(X509 *x, char *why, size_t size)
{
	AUTHORITY_KEYID *aki;
	const ASN1_OCTET_STRING *ski;
	int fault;

	if (X509_get_ext_by_NID(x, NID_ext_key_usage, -1) >= 0)
		return snprintf(why, size, "it is a root with an extendedKeyUsage extension (BR section 7.1.2.1.2)"), 1;
	if (X509_get_ext_by_NID(x, NID_authority_key_identifier, -1) < 0)
		return 0;
	aki = X509_get_ext_d2i(x, NID_authority_key_identifier, NULL, NULL);
	ski = X509_get0_subject_key_id(x);
	fault = aki == NULL || aki->keyid == NULL || aki->issuer != NULL || aki->serial != NULL ||
		ski == NULL || ASN1_OCTET_STRING_cmp(aki->keyid, ski) != 0;
	AUTHORITY_KEYID_free(aki);
	if (fault)
		snprintf(why, size,
			 "it is a root whose authorityKeyIdentifier is not its own keyIdentifier alone (BR section 7.1.2.1.3)");
	return fault;
}

/* The top of the chain is a root when it names itself: its AKI is what is
 * checked, so X509_self_signed (which compares the AKI) cannot decide. */
static int is_root_name(X509 *x)
{
	return X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) == 0;
}

int webpki_chain(STACK_OF(X509) *chain, int *pos, char *why, size_t size)
{
	int i, n = sk_X509_num(chain), fault = 0;

	for (i = 0; i < n && !fault; i++) {
		X509 *x = sk_X509_value(chain, i);

		*pos = i;
		fault = key_fault(x, why, size) || serial_fault(x, why, size) || aia_fault(x, why, size) ||
			(i > 0 && (nc_fault(x, why, size) || pc_fault(x, why, size) ||
				   wildcard_excluded(sk_X509_value(chain, 0), x, why, size))) ||
			(i == 0 && (leaf_fault(x, why, size) || san_fault(x, why, size) ||
				    cn_fault(x, why, size))) ||
			(i > 0 && i == n - 1 && is_root_name(x) && root_fault(x, why, size));
	}
	pki_err_clear();
	return fault;
}

int rfc5280_email_names(X509 *leaf, char *why, size_t size)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(leaf, NID_subject_alt_name, NULL, NULL);
	int i, fault = 0;

	for (i = 0; gens != NULL && !fault && i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		const unsigned char *p;
		int len, j, ats = 0, quoted = 0;

		if (g->type != GEN_EMAIL)
			continue;
		p = ASN1_STRING_get0_data(g->d.rfc822Name);
		len = ASN1_STRING_length(g->d.rfc822Name);
		for (j = 0; j < len; j++) {
			quoted ^= p[j] == '"';
			ats += p[j] == '@' && !quoted;
		}
		fault = ats != 1 || len < 3 || p[0] == '@' || p[len - 1] == '@';
	}
	GENERAL_NAMES_free(gens);
	pki_err_clear();
	if (fault)
		snprintf(why, size,
			 "an email address of its subjectAltName is not one mailbox, local-part@domain (RFC 5280 section 4.2.1.6, RFC 5322 addr-spec)");
	return fault;
}
