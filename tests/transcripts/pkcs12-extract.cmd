# issue 11 class 3: pki pkcs12-extract splits a PKCS#12 into a key (0600), the
# certificate of that key and its CA bundle, leaf side first, root last
pki inspect win.pfx
pki pkcs12-extract win.pfx srv
s3cret-pass
pki match srv.key srv.crt
pki verify srv.crt srv-bundle.crt
# RC2/3DES (openssl pkcs12 -legacy, older Windows)
pki pkcs12-extract old.p12 old
s3cret-pass
pki match old.key old.crt
# the certificate of the key is not the first one of the file
pki pkcs12-extract mixed.pfx mixed
s3cret-pass
pki match mixed.key mixed.crt
# without its CA certificates: the key and certificate, and what is missing
pki pkcs12-extract alone.pfx alone
s3cret-pass
# a file is never replaced: no password is asked, the line is taken unrun
pki pkcs12-extract win.pfx srv
s3cret-pass
# a wrong password writes nothing
pki pkcs12-extract win.pfx wrongpw
not-the-password
# not a PKCS#12
pki pkcs12-extract other.crt x
s3cret-pass
# every refusal of a PKCS#12 points to pki pkcs12-extract; following it works
pki match p12-as-key.pem other.crt
pki pkcs12-extract p12-as-key.pem renamed
s3cret-pass
pki match renamed.key other.crt
callbridge certs win.pfx other.crt
callbridge certs srv.key win.pfx
callbridge certs srv.key srv.crt srv-bundle.crt
pki list
