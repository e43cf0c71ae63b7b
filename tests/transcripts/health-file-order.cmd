# the C2W pair fails on Web Bridge 3's own file, as webbridge3 enable says
health
webbridge3 enable
# an IP address as the name browsers use: the HTTPS certificate holds none
health name:192.0.2.10
# an Ed25519 HTTPS certificate: OpenSSL takes it, browsers do not
webbridge3 https certs wb3-ed.key wb3-ed-fullchain.crt
health
