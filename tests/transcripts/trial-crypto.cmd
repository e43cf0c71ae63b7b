# issue 11 trial 07: the CA of the edge trust is not dedicated to the
# cluster; the crypto user may not run callbridge del edge, and is told to
# ask an admin (trial-crypto.setup made the node as admin)
database cluster certs dbserver.key dbserver.crt dbclient.key dbclient.crt dbca.crt
callbridge del edge
