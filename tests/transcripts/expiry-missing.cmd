pki expiry
