# issue 11 class 1: an expired CA certificate is not renewed by the admin
# with a CSR: the remedy is to replace it with the CA's current certificate
# and remove the expired one (followed here: the bundle without it, then
# the root alone, succeeds). One day is "1 day".
callbridge certs ok.key ok.crt bundle.crt
pki verify old.crt root.crt
callbridge certs ok.key ok.crt root.crt
callbridge certs gone.key gone.crt root.crt
callbridge certs soon.key soon.crt root.crt
