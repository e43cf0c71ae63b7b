# The trust anchors are the roots of the last file named (the CA file, or
# the bundle), never a root that came inside the certificate's own file; the
# leaf is the end entity of the file, whatever the order of a PKCS#7.
pki verify chain.p7b other.crt
pki verify server.crt chain.p7b other.crt
pki verify rootfirst.p7b ca.crt
pki verify server.crt rootfirst.p7b
