# pki unlock (guide Appendix C): the password is the next input line in a
# script; legacy PEM, PKCS#8 PEM and DER, PEM with CRLF
pki unlock legacy.key
s3cret-pass
pki unlock pkcs8.key
s3cret-pass
pki unlock pkcs8.der
s3cret-pass
pki unlock crlf.key
s3cret-pass
pki inspect legacy.key
pki inspect pkcs8.der
pki match legacy.key server.crt
pki match pkcs8.key server.crt
pki match pkcs8.der server.crt
pki match crlf.key server.crt
# an unlocked key: nothing to do, no password asked; the password line the
# script holds for it is taken anyway, neither run nor shown
pki unlock legacy.key
s3cret-pass
pki list
