# issue 11 classes 1 and 2: the true cause of a chain failure, once, with
# the remedy; each remedy is then followed (the files the setup made the
# way the message says) and the command succeeds.
# a full chain without the Issuing CA: where to add it
webbridge3 https certs cms.key missing-fullchain.crt
webbridge3 https certs cms.key added-fullchain.crt
# a full chain in reverse order: one line, the leaf's place and the order
# needed; the key and the roles are those of the leaf found
webbridge3 c2w certs cms.key reverse-fullchain.crt
pki verify reverse-fullchain.crt root.crt
pki match cms.key reverse-fullchain.crt
pki match cms.key reordered-fullchain.crt
webbridge3 c2w certs cms.key reordered-fullchain.crt
# a certificate that is not on the chain; two causes in one file
webbridge3 c2w certs cms.key extra-fullchain.crt
webbridge3 c2w certs cms.key shuffled-fullchain.crt
webbridge3 c2w certs cms.key unshuffled-fullchain.crt
# Call Bridge bundles: the root first; the Policy CA missing between two
# pki verify takes any order, as OpenSSL does, and warns of the one the
# services ask for (a trial: the verdict passed what callbridge refused)
pki verify cms.crt rootfirst-bundle.crt
callbridge certs cms.key cms.crt rootfirst-bundle.crt
callbridge certs cms.key cms.crt gap-bundle.crt
callbridge certs cms.key cms.crt cms-bundle.crt
# no bundle while the issuer is an intermediate (guide 4.4, 1.2.4): a
# WARNING, whether the Issuing CA is among the files or not
callbridge certs cms.key cms.crt
callbridge certs orphan.key orphan.crt
callbridge certs cms.key cms.crt cms-bundle.crt
# two subjectAltName extensions: the cause once, none of its consequences
callbridge certs dup.key dup.crt cms-bundle.crt
pki verify dup.crt cms-bundle.crt
callbridge certs dup.key reissued.crt cms-bundle.crt
# a key inside a bundle, refused, then the two files split from it
callbridge certs cms.key cms.crt keyed-bundle.crt
webbridge3 c2w trust keyed-bundle.crt
callbridge certs split.key cms.crt split-bundle.crt
# trust bundles with a CSR (refused) and a CRL (warned) beside the root
callbridge trust c2w csr-trust.crt
callbridge trust c2w crl-trust.crt
callbridge
