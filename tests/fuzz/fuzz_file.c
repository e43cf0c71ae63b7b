/*
 * fuzz_file.c: libFuzzer harness for file classification and inspection
 * (issue 5): every byte string as a key, certificate, bundle, CSR, PKCS#7
 * and PKCS#12 file through the loader, pki inspect, the key/certificate
 * match, the usage rules and the verify core. In memory: no disk I/O, so
 * thousands of inputs a second.
 */
#include <stdint.h>
#include <stdlib.h>

#include "pki/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct mmp_err err;
	struct report r;
	struct pki_file *f = NULL;
	const void *blobs[1] = { data };
	size_t lens[1] = { size }, i;
	char why[256];

	if (!ready && pki_init(&err) == MMP_OK)
		ready = 1;
	if (pki_file_parse("f.crt", data, size, &f, &err) != MMP_OK)
		return 0;
	report_init(&r);
	pki_inspect_file(f, &r);
	for (i = 0; i < pki_file_cert_count(f); i++) {
		pki_rule_role(f, i, PKI_ROLE_SERVER, why, sizeof(why));
		pki_rule_validity(f, i, 0, 30, &r);
	}
	pki_rule_fullchain_order(f, &err);
	pki_match_key_cert(f, f);
	report_free(&r);
	report_init(&r);
	pki_verify_mem(data, size, blobs, lens, 1, blobs, lens, 1, NULL, &r, &err);
	report_free(&r);
	pki_file_free(f);
	return 0;
}
