# pki pkcs12-to-ssh (guide Appendix C): a PKCS#12 with legacy ciphers
# (RC2/3DES, as old Windows exports it) uploaded as john.pub becomes john's
# OpenSSH public key
pki inspect john.pub
pki pkcs12-to-ssh john
s3cret-pass
pki inspect john.pub
