# issue 11 class 7: settings that would break later are refused now, with a
# remedy the test then follows.
# callbridge prefer is one of the listen interfaces (guide Appendix D.2)
callbridge prefer b
callbridge listen a
callbridge prefer b
callbridge listen a b
callbridge prefer b
# a new listen list keeps the preferred interface
callbridge listen a
callbridge listen a b
callbridge prefer a
callbridge listen a
callbridge
# changed while TURN is enabled: checked as turn enable checks it (a TLS
# port needs the certificates, guide section 4.6)
turn listen a
turn enable
turn tls 5349
turn disable
turn tls 5349
turn certs turn.key turn.crt ca.crt
turn enable
turn listen b
# TURN's TLS port is a port on each TURN interface like the others
webbridge3 https listen b:5349
webbridge3 https listen a:443
turn listen a b
turn tls 443
turn tls 5350
turn
