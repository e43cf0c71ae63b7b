# pki verify needs certificates: a key, a locked key, an empty file, noise,
# a missing file and names outside the flat file store all fail clearly
pki verify leaf.crt leafkey.pem
pki verify leaf.crt locked.pem
pki verify leafkey.pem bundle.crt
pki verify leaf.crt leaf.key
pki verify leaf.crt empty.crt
pki verify leaf.crt noise.crt
pki verify empty.crt bundle.crt
pki verify leaf.crt nothere.crt
pki verify ../leaf.crt bundle.crt
pki verify leaf.crt sub/bundle.crt
pki verify leaf.crt /etc/ssl/certs/ca-certificates.crt
pki verify leaf.crt
pki verify leaf.crt bundle.crt root.crt extra.crt
