# SPEC §6, §7: each rule of the webbridge3 family with its FAILURE lines.
# A failing command changes nothing: the display at the end still shows
# the valid configuration set first.
# enable on a fresh node: one FAILURE per missing piece (SPEC §7)
webbridge3 enable
webbridge3
# a leaf that ends within 30 days: a WARNING, installed (guide §5.3)
webbridge3 c2w certs expiring.key expiring-fullchain.crt
# the valid configuration
webbridge3 https listen a:443
webbridge3 https certs wb3-https.key wb3-https-fullchain.crt
webbridge3 c2w listen a:9999
webbridge3 c2w certs wb3-c2w.key wb3-c2w-fullchain.crt
# full chain out of order: the root before the issuing CA (guide §1.2.4)
webbridge3 https certs wb3-https.key swapped-fullchain.crt
# the leaf alone, as pki sign makes it: no chain up to the root (Appendix D.1 step 5)
pki selfsigned lab-ca CN:"Lab Root CA"
pki csr wb3-leaf CN:join.example.com
pki sign wb3-leaf lab-ca
webbridge3 https certs wb3-leaf.key wb3-leaf.crt
# a leaf issued for TLS clients only (guide §2.2: the server role)
webbridge3 c2w certs client-only.key client-only-fullchain.crt
# the key of another certificate (guide §4.4)
webbridge3 c2w certs wb3-https.key wb3-c2w-fullchain.crt
# an expired leaf (guide §5.3)
webbridge3 https certs expired.key expired-fullchain.crt
# a C2W port equal to the HTTPS port on the same interface (SPEC §7)
webbridge3 c2w listen a:443
webbridge3 c2w listen a:0443
webbridge3 https listen b:443 a:9999
# the HTTP redirect is opened on the HTTPS interfaces (Appendix D.1 step 3)
webbridge3 http-redirect enable 9999
webbridge3 http-redirect enable 0
webbridge3 http-redirect on
# interface and port words (SPEC §7)
webbridge3 https listen e:443
webbridge3 c2w listen a:70000
webbridge3 https listen a
# a trust bundle holds certificates only (SPEC §6)
webbridge3 c2w trust key-as-bundle.pem
webbridge3 c2w trust wb3-https.key
# enable with the C2W trust bundle missing
webbridge3 enable
webbridge3 restart
webbridge3
pki list
