# issue 11 trial 09: a wildcard only as the whole leftmost label, with at
# least two labels after it (RFC 6125 6.4.3, CA/B BR 7.1.4.2.1)
pki csr w1 CN:a.example.com subjectAltName:*.*.example.com
pki csr w2 CN:*.*.example.com
pki csr w3 CN:a.example.com subjectAltName:www.*.example.com
pki csr w4 CN:a.example subjectAltName:*.*.bücher.example
pki csr w5 CN:w*.example.com
pki csr w6 CN:a.example subjectAltName:bü*.example
pki csr w7 CN:*.com
# these are right: a whole leftmost wildcard, an IDN, a valid A-label
pki csr ok1 CN:*.example.com subjectAltName:*.bücher.example,xn--bcher-kva.example
# trial 10: an A-label whose Unicode form IDNA2008 does not allow
pki csr e3 CN:xn--abc.example
pki csr e4 CN:a.example subjectAltName:xn--abc.example
# trial 13: EdDSA and DSA certificates: browsers and SIP/Lync peers refuse them
callbridge certs ed.key ed.crt ca.crt
callbridge certs none
webbridge3 https certs dsa.key dsa-full.crt
pki verify ed448.crt ca.crt
# trial 14: an OpenSSH ECDSA key converts as an RSA one does; its type is named
pki inspect ssh-ec.key
pki inspect ssh-ec-locked.key
callbridge certs ssh-ec-locked.key ed.crt
# trial 11: UTF-16 without a BOM is read as UTF-16 with one is, with its WARNING
pki inspect u16le.crt
pki inspect u16be.key
