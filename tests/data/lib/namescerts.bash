# namescerts.bash: the certificates of the names-* transcripts (issue 15:
# the names a service is reached by, checked with pki_name_check), made in
# the current directory from one throwaway CA (testca.bash), valid from a
# day ago for 180 days, then copied to $FILES:
#   ca.crt                 the root "Names Test CA"
#   join.key join.crt      TLS server; SAN DNS:join.example.com,
#                          DNS:*.example.net, IP:192.0.2.10 and a dNSName
#                          that spells an address, DNS:192.0.2.12
#   join-full.crt          join.crt then ca.crt (Web Bridge 3's full chain)
#   other.crt other-full.crt  the same key, SAN DNS:other.example.com only
#   cno.key cno.crt cno-full.crt  CN cno.example.com, no subjectAltName
#   cb.key cb.crt          TLS server and client, CN and SAN cb.example.com
#   dbca.crt dbserver.key dbserver.crt dbclient.key dbclient.crt
#                          a dedicated database CA, its server
#                          db01.example.com and its client postgres
. "$DATA/lib/testca.bash"
testca_init
cat >>ca.cnf <<'CNF'
[names_join]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:join.example.com, DNS:*.example.net, IP:192.0.2.10, DNS:192.0.2.12
[names_other]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:other.example.com
[names_cn_only]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
CNF
start=$(when '-1 day') end=$(when '+180 days')
cert ca "Names Test CA" self ca_ext "$start" "$end"
cert join join.example.com ca names_join "$start" "$end"
openssl req -new -key join.key -subj /CN=other.example.com -config ca.cnf -out other.csr
openssl ca -batch -notext -config ca.cnf -cert ca.crt -keyfile ca.key -in other.csr -out other.crt \
	-extensions names_other -startdate "$start" -enddate "$end" 2>/dev/null
cert cno cno.example.com ca names_cn_only "$start" "$end"
cert cb cb.example.com ca leaf "$start" "$end"
cert dbca "Names DB CA" self ca_ext "$start" "$end"
cert dbserver db01.example.com dbca server "$start" "$end"
cert dbclient postgres dbca leaf "$start" "$end"
cat join.crt ca.crt >join-full.crt
cat other.crt ca.crt >other-full.crt
cat cno.crt ca.crt >cno-full.crt
cp ca.crt join.key join.crt join-full.crt other.crt other-full.crt cno.key cno.crt cno-full.crt \
	cb.key cb.crt dbca.crt dbserver.key dbserver.crt dbclient.key dbclient.crt "$FILES/"
