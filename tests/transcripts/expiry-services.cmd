# issue 14: when do the certificates that the services use end? The
# callbridge's chain ends with its issuing CA, not its leaf.
callbridge certs cb.key cb.crt cb-bundle.crt
turn certs turn.key turn.crt root.crt
pki expiry
# within 5 days: only the expired root of the c2w trust store
pki expiry 5
pki expiry 400
pki list
pki expiry soon
pki alarms
pki alarms 12 3
pki alarms
pki alarms 12 x
pki alarms 12 3 12
pki alarms default
pki alarms
