version
version | json
version extra
