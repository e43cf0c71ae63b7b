# guide §3.1: one certificate for several components; the CN is appended to the SAN list
pki csr onecert CN:example.com subjectAltName:callbridge1.example.com,callbridge2.example.com,callbridge3.example.com,webbridge3.example.com
# Appendix C examples: attributes with quoted values, an IP address in the SAN list
pki csr example CN:www.example.com OU:"My Desk" O:"My Office" L:"San Jose" ST:California C:US
pki csr test2 CN:example.exampledemo.com C:US L:Purcellville O:Example OU:Support ST:Virginia subjectAltName:exampledemo.com,192.168.1.25,admin@exampledemo.com
pki list
