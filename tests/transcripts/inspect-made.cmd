# pki inspect of what mmp makes (guide §3.1.4, §6): pki selfsigned lasts
# 3650 days, pki sign 825 days
pki selfsigned dbca CN: "My company CA" O:"Example Inc." C:US
pki csr dbserver CN:server.db.example.com subjectAltName:server02.db.example.com,192.0.2.7
pki sign dbserver dbca
pki inspect dbca.crt
pki inspect dbca.key
pki inspect dbserver.csr
pki inspect dbserver.crt
