# Script mode (issue 5): a command that asks questions takes its answer
# lines even when it stops before asking, neither run nor shown, so a
# password never runs as a command or lands in a message; after a line that
# names no command (a mistyped one?) the next unknown line shows only its
# command words; a typo after a command that ran is shown whole.
pki unlock nosuch.key
hunter2-secret
passwd nobody
pki Secr3t-first
hostname Secr3t-second
pki unlok nosuch.key
pki Secr3t-third
pki lst
pki list
hunter2-typo
turn credentials s3cr3t-pw
database cluster remove
Y
hostname after-the-answers
