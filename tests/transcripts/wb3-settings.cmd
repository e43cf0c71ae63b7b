# SPEC §7: the webbridge3 settings besides the steps of Appendix D.1:
# several interfaces, the HTTP redirect port, options, the "none" forms,
# disable, and restart.
webbridge3 https listen a:443 b:443
# the same port on another interface is another listener
webbridge3 c2w listen c:443
webbridge3 http-redirect enable 8080
webbridge3 options option-one option-two
webbridge3 https certs wb3-https.key wb3-https-fullchain.crt
webbridge3 c2w certs wb3-c2w.key wb3-c2w-fullchain.crt
webbridge3 c2w trust wb3-c2w-trust-bundle.crt
webbridge3
webbridge3 enable
webbridge3 restart
# the redirect is opened on a and b, where HTTPS listens on 443
webbridge3 http-redirect enable 443
webbridge3 http-redirect disable
webbridge3 options none
webbridge3 disable
webbridge3 restart
# the "none" forms free the files (SPEC §4)
webbridge3 https certs none
webbridge3 c2w certs none
webbridge3 c2w trust none
webbridge3
pki list
webbridge3 enable
