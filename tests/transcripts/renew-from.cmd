pki selfsigned ca CN:ca.example.com
pki csr wb3-2027 from:ext-fullchain.crt
pki inspect wb3-2027.csr
pki sign wb3-2027 ca
pki inspect wb3-2027.crt
pki csr r1 from:ext.crt | json
pki csr r2 from:ext.key
pki csr r3 from:wb3-2027.csr
pki csr r4 from:ext.crt CN:other.example.com
pki csr r5 from:
pki csr r6 from:missing.crt
pki selfsigned r7 from:ext.crt
pki csr r8 from:ca-only.crt
pki csr r9 from:two-leaves.crt
pki sign noname ca
pki sign sanonly ca
pki list
