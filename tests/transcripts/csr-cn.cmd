# issue 11 class 7: the CN of a CSR is checked as the SAN entries are (guide
# section 3.1, Table 4: the CN is the FQDN of the system), and a SAN entry
# given twice is refused; each remedy, followed, succeeds.
pki csr web CN:"www.example.com; O=Example Inc."
pki csr web CN:www.example.com O:"Example Inc."
pki csr desk CN:"My Desk"
pki csr desk CN:desk.example.com OU:"My Desk"
pki csr two CN:example.com subjectAltName:a.example.com,b.example.com,A.example.com
pki csr two CN:example.com subjectAltName:a.example.com,a.example.com
pki csr two CN:example.com subjectAltName:a.example.com,b.example.com
# the CN listed in the SAN too is kept once (guide section 3.1)
pki csr cnsan CN:example.com subjectAltName:example.com,www.example.com
# a single-label name and an IP address are host names
pki csr dbclient CN:postgres
pki csr ip CN:192.0.2.10
pki list
