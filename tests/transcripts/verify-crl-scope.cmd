# the complete CRL: bad.crt is revoked
pki verify bad.crt bundle.crt crl:base.pem
# a delta CRL, newer than its base, is no complete list: refused, alone
# or beside its base (OpenSSL would take it as complete, and pass bad.crt)
pki verify bad.crt bundle.crt crl:base.pem crl:delta.pem
pki verify good.crt bundle.crt crl:delta.pem
# an indirect CRL, a CRL of some reasons only: refused, not "used"
pki verify good.crt bundle.crt crl:indirect.pem
pki verify good.crt bundle.crt crl:reasons.pem
# a CRL block that does not decode is an error, not a list left out
pki verify bad.crt bundle.crt crl:damaged.pem
# at most 64 lists and 10 MiB of them in one verification
pki verify good.crt bundle.crt crl:many.pem
pki verify good.crt bundle.crt crl:big1.der crl:big2.der crl:big3.der
# a file named twice is read once
pki verify good.crt bundle.crt crl:big1.der crl:big1.der crl:big2.der crl:big1.der
# a CRL OpenSSL cannot use: the file, the cause and a remedy for it
pki verify good.crt bundle.crt crl:onlyca.pem
pki verify good.crt bundle.crt crl:future.pem
pki verify l2.crt nosign-bundle.crt crl:nosign-crl.pem
# two complete lists of one CA: OpenSSL reads the newer; the older one,
# which lists bad.crt, was said to be "used: none of the chain is revoked"
pki verify bad.crt bundle.crt crl:base.pem crl:newer.pem
