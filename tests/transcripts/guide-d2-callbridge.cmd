# guide Appendix D.2 steps 1-4 and §4.9: the Call Bridge's C2W trust store
# and the cluster trust store, with certificates made by mmp's own commands.
help callbridge
pki selfsigned c2wca CN:"C2W CA"
pki csr cert CN:callbridge.example.com
pki sign cert c2wca
callbridge listen a
callbridge certs cert.key cert.crt
callbridge trust c2w c2wca.crt
callbridge restart
# §4.9: a bundle of the Web Admin certificates of the clustered Call Bridges
pki selfsigned webadmin1 CN:cb1.example.com
pki selfsigned webadmin2 CN:cb2.example.com
callbridge trust cluster webadmin1.crt
callbridge
callbridge trust cluster none
callbridge trust c2w none
callbridge
