# pki pkcs12-to-ssh with a modern PKCS#12 (AES-256, PBKDF2), RSA and ECDSA
pki pkcs12-to-ssh jane
s3cret-pass
pki pkcs12-to-ssh eve
s3cret-pass
pki inspect jane.pub
pki inspect eve.pub
