# issue 12 item 5.2: help of one command and of a sub-family, with
# prefixes; help of words that name no command; "pki ?" at the end of a
# script line is the help of the family, as before.
help pki csr
help webbridge3 https
help web c2w trust
help tls ldap verify
help pki frob
help nothing here
help hostname
tls ?
pki verify ?
pki verify a.crt b.crt ?
help
