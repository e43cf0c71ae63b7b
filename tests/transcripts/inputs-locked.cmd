# SPEC §5: encrypted keys (legacy PEM, PKCS#8 PEM and DER) are classified
# locked at once; no command waits for a password it does not need.
pki inspect locked-legacy.key
pki inspect locked-pkcs8.key
pki inspect locked-pkcs8.der
pki inspect locked-crlf.key
# pki match fails at once pointing to pki unlock; the line after it is the
# next command, not a password
pki match locked-legacy.key server.crt
pki list
pki match locked-pkcs8.der server.crt
pki list
