# SPEC §1: a prompt at the end of input fails the command, never waits
pki unlock legacy.key
