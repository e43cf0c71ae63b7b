# issue 15: the whole-configuration checks find a name the certificate
# set no longer holds (replaced on disk, see names-enable.setup): a
# FAILURE in restart and enable, one line per check
webbridge3 restart
webbridge3 enable
turn enable
turn
# turn names change while TURN runs, checked on its certificate
turn names other.example.com
turn enable
turn names none
