# issue 11 class 5: names print as UTF-8 text, not \C3\BC; pki csr takes
# UTF-8 attribute values and internationalised domain names, written in
# A-label form and shown in both forms.
pki inspect zh.crt
pki csr zurich CN:zürich.example O:"Café Müller AG" L:Zürich C:CH subjectAltName:www.zürich.example,*.bücher.example
pki inspect zurich.csr
pki selfsigned ca CN:"Zürcher CA"
pki sign zurich ca
pki verify zurich.crt ca.crt
# an internationalised name that IDNA2008 refuses; the same name twice
pki csr bad CN:zürich.example subjectAltName:zü--rich.example
pki csr bad CN:zürich.example subjectAltName:www.zürich.example,www.xn--zrich-kva.example
