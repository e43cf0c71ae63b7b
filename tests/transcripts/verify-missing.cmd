# pki verify fails when a certificate of the chain was not given: the
# intermediate (the message names the missing issuer), the root, or the
# root given is another CA's
pki verify leaf.crt root.crt
pki verify leaf.crt inter.crt
pki verify leaf.crt leaf.crt
pki verify leaf.crt inter.crt old-root.crt
