# exact names: DNS (case and a final dot do not matter) and IP
pki verify exact.crt root.crt name:join.example.com
pki verify exact.crt root.crt name:JOIN.Example.COM.
pki verify exact.crt root.crt name:192.0.2.10
# no match: the SANs the certificate has are named
pki verify exact.crt root.crt name:other.example.com
pki verify exact.crt root.crt name:192.0.2.11
# a wildcard: one whole left-most label, not two, not the apex
pki verify wild.crt root.crt name:meet.example.com
pki verify wild.crt root.crt name:a.meet.example.com
pki verify wild.crt root.crt name:example.com
# wildcards that never match: *.com (a whole top-level domain), f*.example.com
pki verify badwild.crt root.crt name:foo.example.com
pki verify badwild.crt root.crt name:example.com
# an IP address only matches an IP entry, never a DNS entry holding it
pki verify ipdns.crt root.crt name:192.0.2.10
pki verify ipcn.crt root.crt name:192.0.2.10
# the CN only when there is no subjectAltName at all: a WARNING
pki verify cnonly.crt root.crt name:join.example.com
pki verify cnonly.crt root.crt name:other.example.com
# the CN is never used when a subjectAltName exists
pki verify cnextra.crt root.crt name:cms.example.com
# with a name, what browsers refuse beyond RFC 5280 is a WARNING; without
# one, not checked
pki verify anyeku.crt root.crt name:join.example.com
pki verify anyeku.crt root.crt
# a name that is neither a DNS name nor an IP address; two names
pki verify exact.crt root.crt name:bad_name.example.com
# said before any file is read: these files do not exist
pki verify missing.crt missing-bundle.crt name:bad..name
# each refused name with its own cause (it was "neither a DNS name nor an
# IP address" for all, a 254-character name too)
pki verify exact.crt root.crt name:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
pki verify exact.crt root.crt name:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.com
pki verify exact.crt root.crt name:join..example.com
pki verify exact.crt root.crt name:*.example.com
pki verify exact.crt root.crt name:192.0.2.1.5
pki verify exact.crt root.crt name:join.example.com name:192.0.2.10
