# a certificate altered after it was signed: its signature does not verify;
# a bundle whose CA has the issuer's name but another key
pki verify tampered.crt bundle.crt
pki verify leaf.crt impostor-bundle.crt
