/*
 * attrs.c: the NAME:VALUE attributes of pki csr and pki selfsigned (guide
 * §3.1 Table 4, Appendix C).
 */
#include <string.h>
#include <strings.h>

#include "cli.h"

static const char *const attr_names[] = { "CN", "OU", "O", "L", "ST", "C",
					  "emailAddress", "subjectAltName", NULL };

static const char **slot(struct pki_subject *s, int i)
{
	const char **slots[] = { &s->cn, &s->ou, &s->o, &s->l, &s->st, &s->c,
				 &s->email, &s->san };
	return slots[i];
}

enum mmp_rc cli_parse_subject(int argc, char **argv, struct pki_subject *subj,
			      struct mmp_err *err)
{
	int a, i;

	memset(subj, 0, sizeof(*subj));
	for (a = 0; a < argc; a++) {
		const char *w = argv[a], *colon = strchr(w, ':');
		size_t nl;

		if (colon == NULL) {
			if (a > 0 && subj->san != NULL && argv[a - 1][strlen(argv[a - 1]) - 1] == ',')
				return mmp_err_set(err, MMP_ERR_USAGE,
						   "subjectAltName list has a blank after a comma, before \"%s\": write the names separated by commas only, no blanks (guide section 3.1), e.g. subjectAltName:%s%s",
						   w, subj->san, w);
			return mmp_err_set(err, MMP_ERR_USAGE,
					   "\"%s\" is not an attribute: write NAME:VALUE, with NAME one of CN, OU, O, L, ST, C, emailAddress, subjectAltName; quote values with blanks, e.g. O:\"Example Inc.\"",
					   w);
		}
		nl = (size_t)(colon - w);
		for (i = 0; attr_names[i] != NULL; i++)
			if (strlen(attr_names[i]) == nl && strncmp(w, attr_names[i], nl) == 0)
				break;
		if (attr_names[i] == NULL) {
			for (i = 0; attr_names[i] != NULL; i++)
				if (strlen(attr_names[i]) == nl && strncasecmp(w, attr_names[i], nl) == 0)
					break;
			if (attr_names[i] != NULL)
				return mmp_err_set(err, MMP_ERR_USAGE,
						   "unknown attribute \"%.*s\": did you mean %s:? Attribute names are case-sensitive",
						   (int)nl, w, attr_names[i]);
			return mmp_err_set(err, MMP_ERR_USAGE,
					   "unknown attribute \"%.*s\": use CN, OU, O, L, ST, C, emailAddress or subjectAltName (guide section 3.1, Table 4)",
					   (int)nl, w);
		}
		if (*slot(subj, i) != NULL)
			return mmp_err_set(err, MMP_ERR_USAGE,
					   "attribute %s is given twice: give it once", attr_names[i]);
		if (colon[1] == '\0')
			return mmp_err_set(err, MMP_ERR_USAGE,
					   "attribute %s has no value: write %s:<value>, with quotes around a value with blanks",
					   attr_names[i], attr_names[i]);
		*slot(subj, i) = colon + 1;
	}
	return MMP_OK;
}
