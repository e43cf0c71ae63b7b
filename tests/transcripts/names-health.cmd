# issue 15: health without name: checks the browser pairs by the first of
# the names set (webbridge3 https names, turn names); name: still decides
# for Web Bridge 3 HTTPS
webbridge3 https listen a:443
webbridge3 https certs join.key join-full.crt
turn listen a
turn tls 5349
turn certs join.key join.crt ca.crt
health
webbridge3 https names a.example.net join.example.com
turn names 192.0.2.10
health
health | json
health name:other.example.com
# name: takes what pki verify name: takes: a final dot (the same host), an
# internationalised name (checked as its A-labels), an IP address; the
# cause of a name it refuses
health name:JOIN.example.com.
health name:bücher.example.com
health name:192.0.2.10
health name:a..example.com
