# check <command line> (issue 12): the checks of callbridge certs run, the
# confirmation says what would be set, and nothing is: the configuration
# shown afterwards still holds good.key and good.crt.
check callbridge certs other.key other.crt root.crt
callbridge
# a server-only certificate: the Call Bridge is also a TLS client (§2.1 Table 3)
check callbridge certs serveronly.key serveronly.crt root.crt
# a key that is not the certificate's (§4.4)
check callbridge certs other.key good.crt root.crt
check callbridge prefer b
check callbridge certs none
check callbridge listen b | json
callbridge
