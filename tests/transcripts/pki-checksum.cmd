# pki checksum: SHA-256 of the store's files, as sha256sum prints them
# (the .check compares every digest here with sha256sum's)
pki checksum
pki checksum server.crt ca.crt
pki checksum server.key
pki checksum empty.crt
# a missing file: FAILURE with what to do; the files named before and after are summed
pki checksum ca.crt nope.crt server.der
pki checksum bad_name.crt
pki checksum linked.crt
# JSON: name, sha256 and size of each file
pki checksum server.crt empty.crt | json
pki checksum nope.crt | json
