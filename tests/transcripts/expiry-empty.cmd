# issue 14 on a new node: nothing set, nothing to end; the metrics file
# has its families and no series (node_exporter reads it as it is)
pki expiry
pki metrics
pki expiry 0
