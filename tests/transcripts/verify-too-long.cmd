# 103 certificates: more than OpenSSL follows
pki verify leaf.crt bundle.crt
# 102: still verifies
pki verify okleaf.crt ok-bundle.crt
