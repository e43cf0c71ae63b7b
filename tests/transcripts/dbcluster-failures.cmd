# The rules of database cluster (guide §3.1.4, §5.3; SPEC §6, §7), each
# failure followed by a display showing that nothing changed.
pki selfsigned dbca CN:"Cluster CA"
pki csr dbserver CN:server.db.example.com
pki csr dbclient CN:postgres
pki csr notpostgres CN:client.db.example.com
pki sign dbserver dbca
pki sign dbclient dbca
pki sign notpostgres dbca
pki selfsigned otherca CN:"Other CA"
pki csr otherserver CN:server.db.example.com
pki sign otherserver otherca
# nothing is set: one line per missing item
database cluster initialize
database cluster join 192.0.2.30
database cluster connect 192.0.2.30
# the client certificate's CN must be exactly postgres
database cluster certs dbserver.key dbserver.crt notpostgres.key notpostgres.crt dbca.crt
# the server certificate must be signed by the cluster's CA
database cluster certs otherserver.key otherserver.crt dbclient.key dbclient.crt dbca.crt
# 5 files or 3, and the CA is a CA certificate
database cluster certs dbserver.key dbserver.crt dbclient.key dbclient.crt
database cluster certs dbclient.key dbclient.crt dbclient.crt
database cluster status
# the cluster's CA is dedicated: not while the Call Bridge uses it
pki csr callbridge CN:cb.example.com
pki sign callbridge dbca
callbridge certs callbridge.key callbridge.crt dbca.crt
database cluster certs dbserver.key dbserver.crt dbclient.key dbclient.crt dbca.crt
database cluster status
callbridge certs none
database cluster certs dbserver.key dbserver.crt dbclient.key dbclient.crt dbca.crt
# ... and the other way: no other service may use the cluster's CA
callbridge certs callbridge.key callbridge.crt dbca.crt
callbridge certs callbridge.key callbridge.crt
tls sip trust dbca.crt
tls sip
callbridge
# in a cluster, the certificates and the interface don't change (§5.3)
database cluster localnode e
database cluster initialize
database cluster localnode a
database cluster initialize
database cluster join 192.0.2.30
database cluster certs dbclient.key dbclient.crt dbca.crt
database cluster localnode b
database cluster status
# removing the node needs a capital Y
database cluster remove
n
database cluster remove
y
database cluster status
# removed with Y, the node joins another (issue 12: every command once ok)
database cluster remove
Y
database cluster localnode a
database cluster certs dbserver.key dbserver.crt dbclient.key dbclient.crt dbca.crt
database cluster join 192.0.2.30
database cluster status
database cluster remove
