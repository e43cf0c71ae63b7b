# Names that break the file store's rules (SPEC §4; guide §3.1, §4.2; no leading
# "-", issue 10): nothing is written
pki csr base.name CN:example.com
pki csr base_name CN:example.com
pki selfsigned ../evil
pki inspect ../x.crt
pki inspect /etc/passwd
pki inspect call.bridge.crt
pki match x.crt y.crt
pki sign a.b ca
pki csr -lead CN:x
pki inspect -x.crt
pki list
