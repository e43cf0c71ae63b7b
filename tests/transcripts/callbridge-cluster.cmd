# issue 15 item 3, guide §4.9: callbridge cluster peers records the peers'
# FQDNs; callbridge trust cluster and callbridge restart check that each is
# the exact FQDN of a certificate of the cluster bundle.
callbridge
# stale.crt now holds cb1's certificate only: the restart names cb2
callbridge restart
# a bundle without cb2 is refused while cb2 is a peer
callbridge trust cluster cb1.crt
callbridge trust cluster cluster.crt
callbridge restart
# a peer no certificate names: refused, and the peers stay as they were
callbridge cluster peers cb1.example.com cb3.example.com
# cb2's certificate names CB2.Example.COM: DNS names compare without case
callbridge cluster peers CB1.Example.com cb2.EXAMPLE.COM
# a wildcard covers cb3.example.com, but it is not the exact FQDN
callbridge trust cluster cluster-wild.crt
callbridge cluster peers cb1.example.com
callbridge trust cluster cluster-wild.crt
callbridge cluster peers cb1.example.com cb3.example.com
# a certificate with its name in the CN only holds no DNS name to match
callbridge trust cluster cluster-cn.crt
callbridge cluster peers cb1.example.com cb4.example.com|json
# names that are not a peer's FQDN, and one given twice
callbridge cluster peers cb_1.example.com 192.0.2.11 cb1 *.example.com cb1.example.com. -cb.example.com
callbridge cluster peers cb1.example.com CB1.example.com
# 253 characters are a name; 254 are too long (the reason was "a character
# that a DNS name cannot have"), in ASCII and as an A-label
callbridge cluster peers aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
callbridge cluster peers aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
callbridge cluster peers aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbü
callbridge cluster peers
# more peers than mmp keeps (32)
callbridge cluster peers p1.example.com p2.example.com p3.example.com p4.example.com p5.example.com p6.example.com p7.example.com p8.example.com p9.example.com p10.example.com p11.example.com p12.example.com p13.example.com p14.example.com p15.example.com p16.example.com p17.example.com p18.example.com p19.example.com p20.example.com p21.example.com p22.example.com p23.example.com p24.example.com p25.example.com p26.example.com p27.example.com p28.example.com p29.example.com p30.example.com p31.example.com p32.example.com p33.example.com
# clearing: no peers, nothing to check; then peers without a bundle are
# not checked (the guide: no trust store, no validation)
callbridge cluster peers none
callbridge trust cluster none
# an internationalised name is kept in the A-label form certificates hold
callbridge cluster peers bücher.example.com
callbridge cluster peers cb7.example.com cb8.example.com|json
callbridge|json
callbridge trust cluster cluster.crt
callbridge cluster peers none|json
callbridge
