# guide §4.4: install the Call Bridge key, certificate and bundle, then restart.
# The files come from an internal CA made with mmp's own pki commands (§3.1.4, §6).
pki selfsigned cbca CN:"Example Root CA"
pki csr callbridge CN:callbridge.example.com subjectAltName:cb1.example.com
pki sign callbridge cbca
callbridge listen a
pki verify callbridge.crt cbca.crt
callbridge certs callbridge.key callbridge.crt cbca.crt
callbridge restart
callbridge
pki list
# a file in use is never replaced or deleted under the service (SPEC §4)
pki sign callbridge cbca
# §4.4 note: callbridge certs none removes the certificate configuration
callbridge certs none
callbridge
pki list
