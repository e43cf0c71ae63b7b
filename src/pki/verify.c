/*
 * verify.c: pki verify (guide §4.3, SPEC §5). STUB.
 */
#include "internal.h"

enum mmp_rc pki_verify(const struct store *s, const char *cert_name, const char *bundle_name,
		       const char *ca_name, struct report *r, struct mmp_err *err)
{
	(void)s; (void)cert_name; (void)bundle_name; (void)ca_name; (void)r;
	return mmp_err_set(err, MMP_ERR_INTERNAL, "not yet");
}

enum mmp_rc pki_verify_mem(const void *leaf, size_t leaf_len, const void *const *anchors,
			   const size_t *anchor_lens, size_t n_anchors, const void *const *inters,
			   const size_t *inter_lens, size_t n_inters,
			   const struct pki_verify_opts *opts, struct report *r, struct mmp_err *err)
{
	(void)leaf; (void)leaf_len; (void)anchors; (void)anchor_lens; (void)n_anchors;
	(void)inters; (void)inter_lens; (void)n_inters; (void)opts; (void)r;
	return mmp_err_set(err, MMP_ERR_INTERNAL, "not yet");
}
