# cluster.crt is gone now
callbridge restart
callbridge trust cluster cluster.crt
