# pki unlock with a wrong password changes nothing (guide Appendix C)
pki unlock legacy.key
wrong-pass
pki unlock pkcs8.der
wrong-pass
pki unlock pkcs8.key

pki inspect legacy.key
pki inspect pkcs8.der
# not a locked key: each still takes its answer line, neither run nor shown
pki unlock cert.pem
pass-for-cert
pki unlock unlocked.key
pass-for-unlocked
pki unlock missing.key
pass-for-missing
pki unlock server_key.key
pass-for-bad-name
pki list
