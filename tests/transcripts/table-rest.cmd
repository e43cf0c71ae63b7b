# The commands no other transcript runs, each once as it is meant to be run
# (issue 12: the JSON table walk needs every command path answered with
# "ok": true at least once).
?
tls
database
database cluster
tls ldap trust none
user rule audit_max_rows 5000
callbridge add edge 10.0.0.1:4999
user add bob audit
Bob-pw-12345
Bob-pw-12345
user info bob
user del bob
user list
# each of these once with "ok": true (the JSON table walk)
pki
callbridge del edge
meetingapps https certs none
turn certs none
tls ldap verify disable
? nope
user list
quit
hostname never-run
