# pki pkcs12-to-ssh that cannot work changes nothing and says why
pki pkcs12-to-ssh john
wrong-pass
pki pkcs12-to-ssh bob
s3cret-pass
pki pkcs12-to-ssh nobody
pki pkcs12-to-ssh admin
pki pkcs12-to-ssh crt
pki pkcs12-to-ssh bad_user
pki inspect john.pub
# end of input at the password prompt
pki pkcs12-to-ssh john
