# guide §2.2: every certificate above the leaf must be marked as a CA; a
# bundle whose intermediate is basicConstraints CA:FALSE, or a server
# certificate (KeyUsage without keyCertSign) used as an intermediate
pki verify noca-leaf.crt noca-bundle.crt
pki verify server-as-ca-leaf.crt server-as-ca-bundle.crt
