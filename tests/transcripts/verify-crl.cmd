# not revoked: the CRL is used and says so
pki verify good.crt bundle.crt crl:inter-crl.pem
# revoked: a FAILURE naming the CRL, the date and the reason; PEM and DER
pki verify bad.crt bundle.crt crl:inter-crl.pem
pki verify bad.crt bundle.crt crl:inter-crl.der
pki verify bad.crt bundle.crt crl:inter.crl
# without a CRL nothing says it is revoked
pki verify bad.crt bundle.crt
# a CRL in the bundle is used, not ignored
pki verify bad.crt bundle-crl.crt
pki verify good.crt bundle-crl.crt name:good.example.com
# a CRL past its nextUpdate: used, with a WARNING
pki verify good.crt bundle.crt crl:old-crl.pem
pki verify bad.crt bundle.crt crl:old-crl.pem
# several CRLs; one of another CA of the chain
pki verify good.crt bundle.crt crl:root-crl.pem crl:inter-crl.pem
# a crl: file that holds no CRL
pki verify good.crt bundle.crt crl:good.crt
# pki inspect tells a CRL from its contents, whatever its name: DER,
# PEM, past its nextUpdate, and CRLs carried by a bundle
pki inspect inter.crl
pki inspect inter-crl.pem
pki inspect stale-crl.pem
pki inspect bundle-crl.crt
# a CRL where a certificate is expected says what it is
pki verify inter-crl.pem bundle.crt
pki
