# SPEC §5: PEM text as it arrives after mail, Windows and editors
pki inspect crlf.crt
pki inspect bom.crt
pki inspect text-bundle.crt
pki inspect trailing-spaces.crt
pki inspect no-newline.crt
# BOM, CRLF, a blank before every line end and no final newline at once
pki inspect all-at-once.crt
pki match server.key crlf.crt
