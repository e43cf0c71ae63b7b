# health (issue 14 item 4) with the machine's public roots, which do not
# hold the internal CA of health-public-roots.setup: a WARNING per browser
# pair, not a FAILURE (exit 0)
webbridge3 https certs wb3-https.key wb3-https-fullchain.crt
turn certs turn.key turn.crt ca-bundle.crt
health
health name:join.example.com
# TURN's certificate without the bundle of its issuing CA: no browser can
# build its chain, whatever root it trusts
turn certs turn.key turn.crt
health
# a DSA key: the TURN server itself ends each handshake, for its own reason
turn certs turn-dsa.key turn-dsa.crt
health
