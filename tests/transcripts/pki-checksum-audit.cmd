# the audit role compares digests (a key's too: its bytes never leave mmp)
pki checksum
pki checksum server.key | json
# and changes nothing
pki unlock server.key
