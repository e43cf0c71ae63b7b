# guide §6: a private key and self-signed certificate for a test environment
pki selfsigned callbridge
pki match callbridge.key callbridge.crt
# the same with attributes
pki selfsigned webadmin CN:webadmin.example.com O:"Example Inc." subjectAltName:10.0.0.5
pki list
