# issue 10 item 8: an mmp.db from an older mmp holds the TURN password in
# clear (turn-old-password.setup): turn says a password is set and warns;
# turn credentials keeps the key instead and removes the clear password,
# whose bytes are then nowhere in mmp.db or its WAL (turn-old-password.check).
turn
turn credentials olduser example.com
New-Turn-Pw-1
New-Turn-Pw-1
turn
