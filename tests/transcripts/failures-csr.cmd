# pki csr mistakes (guide §3.1, Table 4): each is a FAILURE that changes nothing
pki csr x CN:example.com subjectAltName:a.example.com, b.example.com
pki csr x CN:example.com subjectAltName:"a.example.com, b.example.com"
pki csr x CN:example.com subjectAltName:a.example.com,,b.example.com
pki csr x CN:example.com subjectAltName:a.example.com,
pki csr x CN:example.com C:USA
pki csr x CN:example.com C:1A
pki csr x O:"Example Inc."
pki csr x CN:example.com FOO:bar
pki csr x CN:example.com cn:y
pki csr x CN:example.com CN:y
pki csr x CN:
pki csr x CN:example.com emailAddress:nobody
pki csr x CN:example.com O:"unterminated
pki csr x CN:example.com subjectAltName:bad/name
pki csr existing CN:example.com
pki selfsigned existing
pki sign nothing nothing
pki list
# the length limits of a DNS name (RFC 1035 section 2.3.4: 253 characters,
# labels of 63) and a final dot (RFC 5280 section 4.2.1.6) are the causes
pki csr longname CN:x.example.com subjectAltName:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd.example.com
pki csr longlabel CN:x.example.com subjectAltName:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.com
pki csr longlabel CN:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
pki csr dot CN:x.example.com subjectAltName:y.example.com.
pki csr dot CN:x.example.com.
