# guide section 4.9: a peer's FQDN that a certificate of the cluster bundle
# holds only with a final dot, or only in its CN: the cause is that
# certificate, named by its position, and the remedy its pki csr line
callbridge trust cluster trail.crt
callbridge cluster peers trail.example.com
# a leaf named only by its CN warns when the bundle is set
callbridge trust cluster cluster.crt
callbridge cluster peers cb1.example.com cb3.example.com
callbridge cluster peers cb1.example.com cb3.example.com | json
callbridge cluster peers cb1.example.com cb2.example.com
