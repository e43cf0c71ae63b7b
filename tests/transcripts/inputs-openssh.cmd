# issue 11 class 3: an OpenSSH or PuTTY private key is named, with how to get
# a PEM/PKCS#8 key, wherever a key is expected
pki inspect ssh-rsa.key
pki inspect ssh-ed.key
pki inspect putty.key
pki match ssh-rsa.key converted.crt
pki match putty.key converted.crt
callbridge certs ssh-rsa.key converted.crt
# the remedies, followed: the converted copy, and a key made here
pki match converted.key converted.crt
pki inspect converted.key
pki csr newkey CN:cms.example.com
# pki unlock of an OpenSSH key: the same way out, no password asked
pki unlock ssh-rsa.key
