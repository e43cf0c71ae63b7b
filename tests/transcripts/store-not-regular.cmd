pki verify fifo.crt bundle.crt
pki verify server.crt folder.crt
pki inspect fifo.crt
