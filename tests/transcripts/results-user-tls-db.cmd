# issue 12: the user, tls and database setters confirm in one line what
# they set, and answer in JSON with what they set and a code per check.
# A command that asks for passwords and stops before it takes its answer
# lines all the same (the "answer" lines below).
user add ann admin
Ann-pw-12345
Ann-pw-12345
user add bob crypto | json
Bob-pw-12345
Bob-pw-12345
user add bob audit
answer
answer
user add carl boss | json
answer
answer
user list | json
user rule max_failed_logins 3
user rule max_failed_logins 0 | json
user rule max_failed_logins 101
user rule audit_max_rows 5000 | json
user rule audit_max_rows 999
user del ann | json
user del bob | json
user del bob
passwd | json
answer
answer
audit 0 | json
tls sip verify maybe | json
tls sip verify enable | json
tls ldap min-tls-version 1.2 | json
database cluster localnode a | json
database cluster join 192.0.2 | json
database cluster remove | json
