# user add and passwd in script mode: the password is asked twice; one
# shorter than 8 characters is refused before it is asked again, and the
# line meant for the second question is taken, neither run nor shown.
user add carol crypto
short
short
user add carol crypto
Carol-pw-1234
Carol-pw-9999
user add carol crypto
Carol-pw-1234
Carol-pw-1234
passwd carol
tiny
tiny
passwd carol
Carol-pw-5678
Carol-pw-5678
user list
