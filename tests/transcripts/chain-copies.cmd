# issue 11 trial defects 3, 8, 12: the true cause of each, and its remedy
# followed (the setup made the corrected files) until the command succeeds.
# a full chain with New Root A twice, self-signed and cross-signed by Old
# Root B: the leaf's path is complete; the cross-signed one is extra
webbridge3 https certs web.key cross-fullchain.crt
pki verify cross-fullchain.crt rootA.crt
webbridge3 https certs web.key cross-fixed.crt
# a bundle that starts with the leaf itself
callbridge certs web.key web.crt leaf-bundle.crt
pki verify web.crt leaf-bundle.crt
callbridge certs web.key web.crt bundle.crt
# a certificate twice: in a full chain, in a bundle
webbridge3 https certs web.key copy-fullchain.crt
pki verify copy-fullchain.crt rootA.crt
callbridge certs web.key web.crt copy-bundle.crt
pki verify web.crt copy-bundle.crt
callbridge certs web.key web.crt bundle.crt
