/*
 * root.h: the default node root shared by the mmp and mmp-sshd mains
 * (SPEC §1): $MMP_ROOT, else $XDG_DATA_HOME/mmp, else ~/.local/share/mmp.
 */
#ifndef MMP_CLI_ROOT_H
#define MMP_CLI_ROOT_H

#include <stddef.h>

/* The default root: $MMP_ROOT as given, or the XDG path written into buf
 * (its missing parents are created, mode 0700). NULL when neither the
 * environment nor $HOME names one. */
const char *cli_default_root(char *buf, size_t size);

#endif
