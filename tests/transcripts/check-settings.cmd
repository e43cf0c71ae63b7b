# check <command line> (issue 12): a settings command's checks run and its
# change is rolled back; the node keeps its old name.
hostname cms01
check hostname cms02
hostname
check hostname bad_name
hostname
check hostname a b
check turn credentials alice Turn-pw-1234 example.com
turn
check
