# SPEC §5, guide Appendix B: DER certificates and keys work everywhere
pki inspect server.der
pki inspect server-key.der
pki inspect rsa-key.der
pki inspect pubkey.pem
pki inspect ec.key
pki match server-key.der server.der
pki match rsa-key.der server.der
pki match ec.key server.der
