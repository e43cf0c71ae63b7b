# the peer missing from the bundle: the remedy asks an admin for the peers
callbridge trust cluster cb1.crt
callbridge trust cluster cluster.crt
callbridge cluster peers cb1.example.com
callbridge
