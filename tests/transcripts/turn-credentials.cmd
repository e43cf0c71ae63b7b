# issue 10 item 8: turn credentials <username> <realm> asks the password
# twice (in script mode: the next two lines, neither run nor shown); the
# 3-word form takes it on the line, for scripts (*** in the audit log).
# mmp.db keeps only the RFC 8489 9.2.2 key (turn-credentials.check); turn
# shows whether a password is set, never the password or its key.
turn
turn credentials alice example.com
S3cretPw
S3cretPw
turn
# two answers that differ; an empty one (its second line is taken anyway)
turn credentials alice example.com
Pw-One-1111
Pw-Two-2222
turn credentials alice example.com

Not-Run-Line-Pw
# an empty realm: refused before asking; its two answer lines are taken
turn credentials alice ""
Skipped-Pw-3333
Skipped-Pw-3333
# the 3-word form, for scripts
turn credentials bob B0b-Script-Pw example.org
turn credentials bob "" example.org
turn
help turn
# end of input at the question: nothing changes
turn credentials carol example.net
