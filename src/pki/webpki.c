/*
 * webpki.c: the rules of the browser-facing TLS server profile that RFC
 * 5280 path validation (OpenSSL) does not check: the CA/Browser Forum
 * Baseline Requirements (BR, version 2.x) for keys, serial numbers,
 * subscriber and root certificate extensions, and two RFC 5280 MUSTs on
 * encodings OpenSSL reads without complaint. Used by verify_core.c: a
 * FAILURE under PKI_VERIFY_WEB, a WARNING when pki verify checks a name.
 */
#include <string.h>

#include <openssl/x509v3.h>

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
	NAME_CONSTRAINTS_free(nc);
	if (fault)
		snprintf(why, size,
			 "its nameConstraints extension has neither permitted nor excluded subtrees (RFC 5280 section 4.2.1.10)");
	return fault;
}

/* BR 7.1.2.7 on the subscriber (leaf) certificate. */
static int leaf_fault(X509 *x, char *why, size_t size)
{
	uint32_t xf = X509_get_extension_flags(x), ku = X509_get_key_usage(x);
	X509_NAME *subj = X509_get_subject_name(x);
	EXTENDED_KEY_USAGE *eku;
	int crit = 0, i, anyeku = 0, san_at;

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
			(i > 0 && nc_fault(x, why, size)) || (i == 0 && leaf_fault(x, why, size)) ||
			(i > 0 && i == n - 1 && is_root_name(x) && root_fault(x, why, size));
	}
	pki_err_clear();
	return fault;
}
