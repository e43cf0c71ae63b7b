# guide §5.3: an expired certificate, and one not valid yet, do not verify
pki verify expired-leaf.crt old-root.crt
pki verify future-leaf.crt old-root.crt
