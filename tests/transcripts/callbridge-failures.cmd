# callbridge certs refusals (guide §2.1, §2.2, §4.4): every failed check is a
# FAILURE line, and the configuration shown afterwards is unchanged.
callbridge certs good.key good.crt root.crt
callbridge
# a server-only certificate: the Call Bridge is also a TLS client (§2.1 Table 3)
callbridge certs serveronly.key serveronly.crt root.crt
# KeyUsage without digitalSignature: DTLS with the web app fails (§2.1 note)
callbridge certs nodigsig.key nodigsig.crt root.crt
# key and certificate that do not match (§4.4)
callbridge certs serveronly.key good.crt root.crt
# a bundle that does not hold the issuer
callbridge certs good.key good.crt other.crt
# files that are not what they should be
callbridge certs good.crt good.crt
callbridge certs good.key good.key
callbridge trust c2w good.key
callbridge trust c2w missing.crt
callbridge
callbridge restart
