# guide §4.6: the TURN server's key, certificate and bundle for TLS. The CA
# and the certificate are made with mmp's own pki commands (§3.1.5, §6).
pki selfsigned turnbundle CN:"Example TURN CA"
pki csr turn CN:turn.example.com O:"Example Inc."
pki sign turn turnbundle
turn listen a
turn tls 443
turn credentials turnuser Not-Sh0wn-Secret example.com
turn public-ip 192.0.2.10
# with a TLS port, enable needs the certificates
turn enable
# §4.6 steps 2, 4, 5 and 6
turn disable
pki verify turn.crt turnbundle.crt
turn certs turn.key turn.crt turnbundle.crt
turn enable
turn
# the certificates change only while TURN is disabled
turn certs turn.key turn.crt turnbundle.crt
turn certs none
turn disable
# a certificate for TLS clients only, and a key that is not the certificate's
turn certs turnclient.key turnclient.crt
turn certs turnbundle.key turn.crt turnbundle.crt
# bad values
turn tls 70000
turn listen e
turn public-ip turn.example.com
turn
pki list
