# issue 11 class 3: pki pkcs12-extract on pyca/cryptography's PKCS#12 vectors
# AES-256-CBC (PBES2), RC2 certificates with a 3DES key, nothing encrypted
pki pkcs12-extract cert-key-aes256cbc.p12 aes
cryptography
pki pkcs12-extract cert-rc2-key-3des.p12 rc2
cryptography
pki pkcs12-extract cert-none-key-none.p12 plain
cryptography
# an empty password (the next line is empty)
pki pkcs12-extract no-password.p12 nopw

pki pkcs12-extract name-all-no-pwd.p12 allnopw

# the certificate of the key among certificates of other chains
pki pkcs12-extract name-2-3-pwd.p12 named
password
# a wrong password, no certificate, no key
pki pkcs12-extract name-2-3-pwd.p12 wrong
cryptography
pki pkcs12-extract no-cert-key-aes256cbc.p12 nocert
cryptography
pki pkcs12-extract cert-aes256cbc-no-key.p12 nokey
cryptography
pki match aes.key aes.crt
pki match rc2.key rc2.crt
pki match named.key named.crt
