# issue 11 class 6: blank lines inside a PEM block and UTF-16 text are read,
# each with a WARNING naming the file and line
pki verify blank-lines.crt ca.crt
pki verify utf16.crt ca.crt
pki verify utf16be.crt ca.crt
pki verify utf8-bom.crt ca.crt
pki match leaf.key blank-lines.crt
pki match leaf.key utf16.crt
callbridge certs leaf.key blank-lines.crt ca.crt
# what cannot be read is a FAILURE that says what is wrong and what to do;
# "upload again" only for a file that was cut on its way
pki inspect utf16-bad.crt
pki inspect edited.crt
pki inspect cut.crt
pki inspect cut.der
pki inspect empty.crt
pki inspect notes.crt
pki match leaf.key edited.crt
pki match leaf.key cut.der
pki inspect bundle-edited.crt
# the remedies followed: the file saved as UTF-8, the whole file uploaded
pki verify leaf.crt ca.crt
