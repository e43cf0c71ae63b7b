# guide §4.8: TLS certificate verification for SIP and LDAP. The CA whose
# certificates the SIP peers present is made with mmp's own pki commands.
pki selfsigned sipca CN:"Example SIP CA"
tls sip
tls sip trust sipca.crt
tls sip verify enable
tls sip min-tls-version 1.3
tls sip
# a trust bundle holds certificates only
tls ldap trust sipca.key
tls ldap trust stray.pem
tls ldap trust empty.crt
# verification needs a trust bundle, and keeps it
tls ldap verify enable
tls sip trust none
# words the commands do not take
tls sip verify maybe
tls sip min-tls-version 1.1
tls ldap min-tls-version 1.0
tls ldap
tls sip verify ocsp
tls sip
tls sip verify disable
tls sip trust none
tls sip
