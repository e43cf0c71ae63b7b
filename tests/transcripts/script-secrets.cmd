# Script mode: a password line meant for a command that failed before it
# asked is never echoed back (issue 5); a line after a command that worked
# is, so a typo still shows; a family word shows the line as usual.
pki unlock nosuch.key
hunter2-secret
pki lst
pki list
hunter2-typo
turn credentials alice s3cr3t-pw
