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
