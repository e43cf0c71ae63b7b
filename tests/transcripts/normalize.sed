# Volatile fields of files made during a transcript test (random keys,
# serials, times). Each rule names the one field it replaces.
s/^(  Serial +: ).*/\1<serial>/
s/^(  SHA-256 fingerprint +: ).*/\1<fingerprint>/
s/^(  Not before +: ).*/\1<date>/
s/^(  Not after +: )[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} UTC/\1<date>/
# A revocation list's dates (pki inspect of a CRL); the day count beside
# nextUpdate stays compared.
s/^(  (Last|Next) update +: )[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} UTC/\1<date>/
# The fixtures of tests/data/inputs/ are dated decades away (36500 days, or
# 1990): their day counts, 5 digits or more, change every day. The 3- and
# 4-digit counts of certificates made during a test (825, 3650) stay compared.
s/^(  Not after +: <date> \((valid, expires in|expired) )[0-9]{5,} days/\1<days> days/
# The time of an audit entry (audit): when the test ran.
s/^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} UTC /<time> UTC /
# The end dates pki expiry and the login alarms print of certificates made
# during the test, dated relative to now (issue 14); the day counts beside
# them stay compared.
s/((expires in|expired) [0-9]+ days?( ago)?), on [0-9]{4}-[0-9]{2}-[0-9]{2}/\1, on <date>/g
s/^  [0-9]{4}-[0-9]{2}-[0-9]{2}  ((expires in|expired) )/  <date>  \1/
# The node root of a transcript (run-transcript.sh's mktemp): where
# --public-roots @ROOT@/public-roots.pem points.
s#[^ ()]*/mmp-transcript\.[A-Za-z0-9]+/#<root>/#g
