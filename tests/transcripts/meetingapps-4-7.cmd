# guide §4.7: install the certificates for MeetingApps.
help meetingapps
# enable on a fresh node: one FAILURE per missing piece (SPEC §7)
meetingapps enable
# "configure the interface and the port ... before assigning the certificates"
meetingapps https listen a 8443
# step 2
meetingapps disable
# step 3: the key and the full chain (leaf first, root last)
meetingapps https certs meetingapps.key meetingapps-fullchain.crt
# step 4
meetingapps enable
# §4.7.1: the address and port to open in each browser
meetingapps
# certificates change only while MeetingApps is disabled (step 2)
meetingapps https certs wb3-https.key wb3-https-fullchain.crt
meetingapps https certs none
# the full-chain rule, and the interface and port words
meetingapps disable
meetingapps https certs wb3-https.key swapped-fullchain.crt
meetingapps https listen e 8443
meetingapps https listen a 0
# one port on one interface serves one listener (SPEC §7): Web Bridge 3
# listens on it, or redirects HTTP on it on its HTTPS interfaces
webbridge3 https listen a:443
meetingapps https listen a 443
webbridge3 c2w listen a:8443
webbridge3 http-redirect enable
meetingapps https listen a 80
# nothing was changed: enable again
meetingapps enable
meetingapps
pki list
