# health (issue 14 item 4): the database cluster's client certificate is
# signed by another CA than the cluster's (health-db-other-ca.setup).
database cluster status
pki verify dbclient.crt dbca.crt
health
health | json
