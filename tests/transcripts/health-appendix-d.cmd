# health (issue 14 item 4) on the guide's Appendix D set-up; the files were
# uploaded by SFTP (health-appendix-d.setup).
# nothing configured yet: every pair says what is not set
health
# Appendix D.1: Web Bridge 3, HTTPS and C2W with full chains, and the CA of
# the Call Bridges
webbridge3 https listen a:443
webbridge3 https certs wb3-https.key wb3-https-fullchain.crt
webbridge3 c2w listen a:9999
webbridge3 c2w certs wb3-c2w.key wb3-c2w-fullchain.crt
webbridge3 c2w trust wb3-c2w-trust-bundle.crt
webbridge3 enable
# Appendix D.2: the Call Bridge and the CA of the Web Bridge 3 C2W certificates
callbridge listen a
callbridge certs callbridge.key callbridge.crt ca-bundle.crt
callbridge trust c2w ca-bundle.crt
callbridge restart
# §4.6: TURN, one certificate for its own name and the name browsers use
turn certs turn.key turn.crt ca-bundle.crt
# §3.1.4: the database cluster, server and client pairs, with mmp's own CA
pki selfsigned dbca CN: "My company CA"
pki csr dbserver CN:server.db.example.com subjectAltName:server02.db.example.com
pki csr dbclient CN:postgres
pki sign dbserver dbca
pki sign dbclient dbca
database cluster certs dbserver.key dbserver.crt dbclient.key dbclient.crt dbca.crt
# every pair proven, at TLS 1.2 and TLS 1.3
health
health name:join.example.com
# the Call Bridge's C2W trust set to an unrelated CA: only the C2W pair
# breaks, the Call Bridge named; callbridge restart warns
callbridge trust c2w unrelated-ca.crt
health
callbridge restart
callbridge trust c2w ca-bundle.crt
# Web Bridge 3's C2W trust set to an unrelated CA: Web Bridge 3 refuses
webbridge3 c2w trust unrelated-ca.crt
health
webbridge3 restart
webbridge3 c2w trust wb3-c2w-trust-bundle.crt
webbridge3 restart
# a Web Bridge 3 HTTPS certificate for another name: the name browsers use
# breaks the HTTPS pair only (TURN's certificate holds it)
webbridge3 disable
webbridge3 https certs wb3-other.key wb3-other-fullchain.crt
health name:join.example.com
health
# names that are not a name
health name:
health join.example.com
health name:-bad.example.com
