# issue 11 trial 01: of two paths to the root, the bundle takes the valid
# self-signed New Root A, not New Root A cross-signed by the expired Old Root B
pki pkcs12-extract crossexp.pfx cr
x
pki verify cr.crt cr-bundle.crt
# only the expired path in the file: written, with a WARNING naming the expired certificate
pki pkcs12-extract oldpath.pfx op
x
# issue 11 trial 02: two private keys: the first one with its certificate is written, the other one named
pki pkcs12-extract twokeys.p12 tk

