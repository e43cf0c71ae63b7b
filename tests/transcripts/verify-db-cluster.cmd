# guide §3.1.4 then §4.3: certificates for database clustering made on the
# MMP, then checked against the dedicated CA
pki selfsigned dbca CN: "My company CA"
pki csr dbserver CN:server.db.example.com subjectAltName:server02.db.example.com
pki csr dbclient CN:postgres
pki sign dbserver dbca
pki sign dbclient dbca
pki verify dbserver.crt dbca.crt
pki verify dbclient.crt dbca.crt
pki verify dbca.crt dbca.crt
pki verify dbserver.crt dbserver.crt
