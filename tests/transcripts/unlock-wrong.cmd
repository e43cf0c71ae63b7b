# pki unlock with a wrong password changes nothing (guide Appendix C)
pki unlock legacy.key
wrong-pass
pki unlock pkcs8.der
wrong-pass
pki unlock pkcs8.key

pki inspect legacy.key
pki inspect pkcs8.der
# not a locked key
pki unlock cert.pem
pki unlock unlocked.key
pki unlock missing.key
pki unlock server_key.key
