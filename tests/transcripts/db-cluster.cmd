# guide §3.1.4: certificates for database clustering, made on the MMP
pki selfsigned dbca CN: "My company CA"
pki csr dbserver CN:server.db.example.com subjectAltName:server02.db.example.com
pki csr dbclient CN:postgres
pki sign dbserver dbca
pki sign dbclient dbca
pki list
pki match dbserver.key dbserver.crt
pki match dbclient.key dbclient.crt
