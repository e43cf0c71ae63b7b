# issue 11 class 1: a remedy names only what this user may do. A crypto
# user may change certificates but not enable or disable services: the
# remedy says to ask an admin, and the command it names is indeed refused.
turn certs none
turn disable
tls sip trust none
tls sip verify disable
# a command the crypto role may run is named as for an admin: run it
pki sign svc ca
turn certs none
