# guide §3.1.4: the database cluster's CA, server and client certificates
# made on the MMP, then installed (SPEC §7) and the cluster created on this
# node; §5.3: removing the node from the cluster frees its certificates.
pki selfsigned dbca CN: "My company CA"
pki csr dbserver CN:server.db.example.com subjectAltName:server02.db.example.com
pki csr dbclient CN:postgres
pki sign dbserver dbca
pki sign dbclient dbca
database cluster status
database cluster certs dbserver.key dbserver.crt dbclient.key dbclient.crt dbca.crt
database cluster localnode a
database cluster initialize
database cluster status
pki list
# the answer to the question is the next line in script mode
database cluster remove
Y
database cluster status
pki list
# a Call Bridge without a database: the client certificate and the CA only
database cluster certs dbclient.key dbclient.crt dbca.crt
database cluster connect 192.0.2.20
database cluster status
