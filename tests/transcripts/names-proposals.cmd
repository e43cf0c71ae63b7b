# issue 11: a refused name is proposed with its extension, in lower case,
# without what trails it; the proposal works. A symbolic link is named as
# one; a basename may not start with "-" (it would read as an option).
pki inspect trail.crt.
pki inspect "trail.crt "
pki inspect trail.crt~
pki inspect trail.CRT
pki inspect "trail file.CRT"
callbridge certs trail.KEY trail.crt
pki verify trail.crt link.crt
pki csr -lead CN:lead.example.com
pki csr lead CN:lead.example.com
pki match trail.key trail.crt
