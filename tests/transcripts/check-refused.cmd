# check refuses what it cannot undo: a command that writes files or asks
# questions (it would do so for real); an unknown or incomplete command
# fails as without check, and a command that changes nothing just runs.
check pki csr cms01 CN:cms01.example.com
check pki unlock cms01.key
check user add bob audit
check frobnicate
check user
check hostname
check pki list
pki list
exit
