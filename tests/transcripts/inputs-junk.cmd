# What is not a key or certificate says so, and never breaks the terminal
pki inspect empty.crt
pki inspect blank.crt
pki inspect random.crt
pki inspect damaged.crt
pki inspect notes.crt
pki inspect missing.crt
# a subject with an ESC sequence and UTF-8 is printed escaped
pki inspect esc.crt
pki match server.key random.crt
pki match server.key damaged.crt
pki match server.key empty.crt
