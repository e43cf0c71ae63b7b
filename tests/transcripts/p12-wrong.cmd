# pki pkcs12-to-ssh that cannot work changes nothing and says why
pki pkcs12-to-ssh john
wrong-pass
pki pkcs12-to-ssh bob
s3cret-pass
# each takes its password line even when it stops before asking for it
pki pkcs12-to-ssh nobody
pass-for-nobody
pki pkcs12-to-ssh admin
pass-for-admin
pki pkcs12-to-ssh crt
pass-for-crt
pki pkcs12-to-ssh bad_user
pass-for-bad-user
pki inspect john.pub
# end of input at the password prompt
pki pkcs12-to-ssh john
