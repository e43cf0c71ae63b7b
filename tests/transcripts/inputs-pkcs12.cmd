# SPEC §5: PKCS#12 with legacy ciphers (RC2/3DES) and modern (AES, PBKDF2)
pki inspect p12-legacy.pfx
pki inspect p12-modern.pfx
pki inspect p12-legacy.p12
# contents decide the type, not the extension (SPEC §4)
pki match p12-as-key.pem p12user.crt
