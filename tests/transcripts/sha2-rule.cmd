# guide chapter 3 note: the Meeting Server supports certificates signed with
# SHA-2. A service refuses a certificate or intermediate signed with SHA-1;
# a root's own signature is nobody's to check, so an old SHA-1 root passes.
pki inspect sha1leaf.crt
callbridge certs sha1leaf.key sha1leaf.crt root.crt
callbridge certs underinter.key underinter.crt chain.crt
webbridge3 https certs underinter.key underinter-full.crt
callbridge certs underold.key underold.crt oldroot.crt
callbridge certs good.key good.crt root.crt
callbridge
# pki verify: the chain verifies, and a WARNING says the services refuse it
pki verify sha1leaf.crt root.crt
pki verify underinter.crt chain.crt
# a self-signed leaf: its own signature counts (it is no CA)
pki inspect selfsha1.crt
callbridge certs selfsha1.key selfsha1.crt
# RSA-PSS names its digest in its parameters
callbridge certs pss.key pss.crt root.crt
# self-issued (the same name) but not self-signed: an intermediate
callbridge certs viarollover.key viarollover.crt rollover-chain.crt
