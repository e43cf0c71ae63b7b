# pki inspect (guide §4.3, Appendix C): every field of SPEC §5 and what
# guide §2.2 allows each certificate to be used for, with the reason when not
pki inspect server.crt
pki inspect client.crt
pki inspect ca.crt
pki inspect inter.crt
pki inspect ec.crt
pki inspect expired.crt
pki inspect future.crt
pki inspect server-req.csr
pki inspect bad-sig.csr
pki inspect combined.pem
pki inspect id-ed25519.pub
