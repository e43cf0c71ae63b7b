# issue 15: the hostname may be an FQDN; then the Call Bridge's
# certificate and the database server's are checked to hold it: a
# WARNING, since a certificate shared by several servers may name only the
# domain. A one-label hostname checks nothing.
# the limits of an FQDN: 253 characters, labels of 63
hostname cms01.example.com.
hostname cms01..example.com
hostname cms01.-example.com
hostname abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij.example.com
hostname abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcd
hostname abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abcdefghi.abc
hostname | json
hostname cms01
callbridge certs cb.key cb.crt ca.crt
database cluster certs dbserver.key dbserver.crt dbclient.key dbclient.crt dbca.crt
hostname cms01.example.com
hostname
# the certificates set are checked when the hostname changes
hostname cb.example.com
callbridge certs cb.key cb.crt ca.crt
callbridge certs cb.key cb.crt ca.crt | json
hostname db01.example.com
database cluster certs dbserver.key dbserver.crt dbclient.key dbclient.crt dbca.crt
callbridge restart
