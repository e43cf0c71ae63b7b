pki expiry
pki expiry | json
