/*
 * roots.c: where the machine's public roots are (mmp/roots.h).
 */
#include <stddef.h>

#include "mmp/roots.h"

static const char *roots_path;

void pki_set_public_roots(const char *path)
{
	roots_path = path;
}

const char *pki_public_roots(void)
{
	return roots_path != NULL ? roots_path : PKI_PUBLIC_ROOTS_DEFAULT;
}
