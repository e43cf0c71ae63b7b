# guide Appendix D.1: configure the Meeting Server to use Web Bridge 3.
# The files were uploaded by SFTP (see wb3-appendix-d1.setup).
# step 2: the usage
help webbridge3
# step 3 (optional): redirect HTTP to HTTPS, port 80 by default
webbridge3 http-redirect enable
# step 4: HTTPS on port 443 of interface a
webbridge3 https listen a:443
# step 5: the HTTPS key and full chain (leaf first, root last)
webbridge3 https certs wb3-https.key wb3-https-fullchain.crt
# step 6: C2W on port 9999 of interface a
webbridge3 c2w listen a:9999
# step 7: the C2W key and full chain
webbridge3 c2w certs wb3-c2w.key wb3-c2w-fullchain.crt
# step 8: the bundle the Call Bridges' client certificates are checked against
webbridge3 c2w trust wb3-c2w-trust-bundle.crt
# step 9
webbridge3 enable
webbridge3 status
pki list
# restart checks the whole configuration again (SPEC §7)
webbridge3 restart
webbridge3
