# Volatile fields of files made during a transcript test (random keys,
# serials, times). Each rule names the one field it replaces.
s/^(  Serial +: ).*/\1<serial>/
s/^(  SHA-256 fingerprint +: ).*/\1<fingerprint>/
s/^(  Not before +: ).*/\1<date>/
s/^(  Not after +: )[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} UTC/\1<date>/
