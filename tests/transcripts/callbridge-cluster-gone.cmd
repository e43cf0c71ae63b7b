# cluster.crt is empty now
callbridge restart
