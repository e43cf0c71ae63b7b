# guide §3.1.4 CAUTION: the root and intermediates of the database CA must not
# be used for any other purpose: a Call Bridge chain through an intermediate
# that the database CA signed is refused, in the bundle as in the certificate.
database cluster certs dbserver.key dbserver.crt dbclient.key dbclient.crt dbroot.crt
callbridge certs cb.key cb.crt inter.crt
callbridge trust cluster inter.crt
callbridge
