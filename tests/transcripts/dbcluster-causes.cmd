# The services use the company CA: given to the database cluster as its
# CA, one line says which services use it (guide section 3.1.4 CAUTION)
callbridge certs cb.key cb.crt company.crt
callbridge trust c2w company.crt
callbridge trust cluster company.crt
webbridge3 https certs wb.key wb-fullchain.crt
webbridge3 c2w trust company.crt
tls sip trust company.crt
tls ldap trust company.crt
database cluster certs companyserver.key companyserver.crt companyclient.key companyclient.crt company.crt
# the remedy: another CA for the cluster (guide section 3.1.4 steps 1-4)
pki selfsigned dbca CN:"Cluster CA"
pki csr dbserver CN:server.db.example.com
pki csr dbclient CN:postgres
pki sign dbserver dbca
pki sign dbclient dbca
# the pairs given client first: one line, and the command in the right order
database cluster certs dbclient.key dbclient.crt dbserver.key dbserver.crt dbca.crt
database cluster certs dbserver.key dbserver.crt dbclient.key dbclient.crt dbca.crt
# now the cluster's CA signs no service's CSR (it does sign the cluster's own)
pki csr cb2 CN:cb.example.com
pki sign cb2 dbca
pki selfsigned labca CN:"Lab CA"
pki sign cb2 labca
pki csr dbserver2 CN:server.db.example.com
pki sign dbserver2 dbca
database cluster status
