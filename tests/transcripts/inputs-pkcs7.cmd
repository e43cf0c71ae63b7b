# SPEC §5: PKCS#7 chains (.p7b) as Windows CAs hand them out, PEM and DER
pki inspect chain.p7b
pki inspect chain-der.p7b
pki match server.key chain.p7b
pki match server.key chain-der.p7b
