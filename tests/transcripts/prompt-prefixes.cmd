# issue 12 item 5.3: unique prefixes of command words run the commands in
# script mode too; an exact word wins over a longer one it starts
# (webbridge3 https / http-redirect); an ambiguous prefix lists what it
# may be; a word after a command that takes arguments stays as typed
# (webbridge3 options n is the option "n", not "none").
web status
data clu status
pki ins nonexist.crt
pki s x
h
webbridge3 http
webbridge3 https certs none
webbridge3 options n
webbridge3
callbridge trust c x.crt
tls sip verify enable
pki frob
# the password on the line of the prefixed form is masked in the audit
# log as it is for the whole words; the log names the whole command
tu cred turnuser S3cret-On-Line example.com
turn credentials turnuser S3cret-Whole example.com
hostn
audit 8
