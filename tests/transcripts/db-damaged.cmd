# issue 11: a damaged mmp.db is a FAILURE naming the file and what to do,
# exit 1 (it was "mmp: ..." and exit 2, as if the command line were wrong)
hostname
