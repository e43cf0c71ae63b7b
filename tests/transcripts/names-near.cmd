# pki verify name: a certificate whose subjectAltName entry is the name
# with a final dot, or an address written as a DNS entry, does not hold
# it: the cause is that entry, and the remedy the pki csr line that asks
# for it in the form clients match
pki verify trail.crt ca.crt name:trail.example.com.
pki verify trail.crt ca.crt name:trail.example.com | json
pki verify ipdns.crt ca.crt name:192.0.2.20
# a wildcard match names the entry that matched
pki verify wild.crt ca.crt name:x.wild.example.com
# a name with a port: the port is the cause
pki verify wild.crt ca.crt name:a.example.com:443
pki verify wild.crt ca.crt name:[2001:db8::1]:443
# the services' names give the same causes
webbridge3 https certs trail.key trail-full.crt
webbridge3 https names trail.example.com
turn certs ipdns.key ipdns.crt
turn names 192.0.2.20
hostname trail.example.com
callbridge certs trail.key trail.crt
