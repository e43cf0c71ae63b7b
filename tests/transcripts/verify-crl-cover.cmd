# only the issuing CA's CRL: used for the leaf; the intermediate was not
# checked (the root's CRL, not given, revokes it): a WARNING says so
pki verify leaf2.crt bundle2.crt crl:inter2crl.pem
pki verify leaf2.crt bundle2.crt crl:inter2crl.pem | json
# both CRLs: the root's revokes the intermediate
pki verify leaf2.crt bundle2.crt crl:inter2crl.pem crl:rootcrl.pem
# another CA's CRL applies to no certificate of the chain: a WARNING
pki verify leaf2.crt bundle2.crt crl:inter2crl.pem crl:othercrl.pem
# a CRL of CA certificates only, beside the complete one: it covers no
# certificate of this chain (Intermediate 2 issued only the leaf)
pki verify leaf2.crt bundle2.crt crl:inter2crl.pem crl:onlyca.pem
# without any CRL nothing is said of revocation
pki verify leaf2.crt bundle2.crt
# revoked: the JSON names the file and position of the certificate
pki verify revoked.crt bundle2.crt crl:inter2crl2.pem | json
# a CRL block whose base64 is damaged
pki verify leaf2.crt bundle2.crt crl:broken.crl
pki verify leaf2.crt bundle2.crt crl:half.crl
# the services' certs checks: a CRL of the bundle that revokes the
# certificate is a FAILURE, not "it revokes nothing"
check callbridge certs revoked.key revoked.crt bundle-crl.crt
# the same for the services that share these checks (a full chain that
# carries the CRL, TURN's bundle); a CRL that revokes none of them still
# only warns that the services do not read it
check webbridge3 https certs revoked.key fullchain-crl.crt
check turn certs revoked.key revoked.crt bundle-crl.crt
check meetingapps https certs revoked.key fullchain-crl.crt
check callbridge certs leaf2.key leaf2.crt bundle-crl.crt
