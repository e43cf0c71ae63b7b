callbridge certs cb-public-both.key cb-public-both.crt public-bundle.crt
callbridge certs cb-public-server.key cb-public-server.crt public-bundle.crt
check callbridge certs cb-public-server.key cb-public-server.crt public-bundle.crt | json
callbridge certs cb-public-server.key cb-public-server.crt
check callbridge certs cb-legacy.key cb-legacy.crt legacy-bundle-1.crt
check callbridge certs cb-legacy.key cb-legacy.crt legacy-bundle-2.crt
callbridge certs cb-internal-server.key cb-internal-server.crt internal-root.crt
webbridge3 https certs wb3-sc081.key wb3-sc081-fullchain.crt
webbridge3 https certs wb3-internal-long.key wb3-internal-long-fullchain.crt
pki verify wb3-sc081-fullchain.crt public-bundle.crt
pki inspect future-100-chain.crt
pki inspect future-47-chain.crt
pki selfsigned intca CN:intca.example.com
pki csr cb-public-server-new CN:cb.example.com subjectAltName:cb.example.com
pki sign cb-public-server-new intca
callbridge certs cb-public-server-new.key cb-public-server-new.crt intca.crt
pki csr cb-public-server-new from:cb-public-server-new.crt
