/*
 * fuzz_file.c: libFuzzer harness for file classification and inspection
 * (issue 5): every byte string as a key, certificate, bundle, CSR, PKCS#7
 * and PKCS#12 file through pki inspect, pki match and pki verify.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmp/pki.h"
#include "mmp/store.h"

static struct store *store;

static void setup(void)
{
	char root[] = "/tmp/mmp-fuzz-file.XXXXXX";
	struct mmp_err err;

	if (mkdtemp(root) == NULL || pki_init(&err) != MMP_OK ||
	    (store = store_open(root, &err)) == NULL)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mmp_err err;
	struct report r;

	if (store == NULL)
		setup();
	if (store_write(store, "f.crt", data, size, 0, &err) != MMP_OK ||
	    store_write(store, "f.key", data, size, STORE_W_PRIVATE, &err) != MMP_OK)
		abort();
	report_init(&r);
	pki_inspect(store, "f.crt", &r, &err);
	report_free(&r);
	pki_match(store, "f.key", "f.crt", &err);
	report_init(&r);
	pki_verify(store, "f.crt", "f.crt", NULL, &r, &err);
	report_free(&r);
	return 0;
}
