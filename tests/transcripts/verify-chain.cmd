# guide §4.3: pki verify on a 3-level chain (root -> intermediate -> leaf)
# made with the openssl CLI: a bundle of intermediate and root (guide §1.2.4),
# the three-file form, a PKCS#7 bundle and a DER root; a root verifies itself
pki verify leaf.crt bundle.crt
pki verify leaf.crt inter.crt root.crt
pki verify leaf.crt bundle.p7b
pki verify leaf.crt inter.crt root.der
pki verify root.crt root.crt
