# A key file with two private keys: no command guesses which is meant (the
# first was taken: pki unlock rewrote the file with one key, pki match
# depended on the order); pki inspect warns.
pki inspect two.key
pki match two.key a.crt
pki match tworev.key a.crt
callbridge certs two.key a.crt
pki unlock locked2.key
secret-one
