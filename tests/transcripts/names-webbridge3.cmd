# issue 15: the names Web Bridge 3 is reached by, each checked on the
# leaf of its full chain with pki_name_check (the browsers' rules).
# Names set before the certificates: nothing to check them on yet.
webbridge3 https names join.example.com 192.0.2.10 a.example.net
# the certificates, then checked against those names: an exact DNS name,
# an IP address against an IP entry, a wildcard covering one label
webbridge3 https certs join.key join-full.crt
# names set after the certificates: a wildcard covers one label only, an
# IP address never matches a dNSName that spells it; each name the
# certificate lacks is refused, with the entries it has
webbridge3 https names example.net a.b.example.net 192.0.2.12 192.0.2.11
webbridge3 https names join.example.com other.example.com | json
# a certificate that lacks a name set is refused too
webbridge3 https certs join.key other-full.crt
# the C2W names: the hosts of the c2w:// URLs; a certificate without
# subjectAltName holds a name in its CN only: a WARNING, still set
webbridge3 c2w certs cno.key cno-full.crt
webbridge3 c2w names cno.example.com
webbridge3 c2w names 2001:DB8:0::1 cno.example.com.
webbridge3
# none clears them: any certificate goes, then names it holds
webbridge3 https names none
webbridge3 https certs join.key other-full.crt
webbridge3 https names OTHER.example.com | json
webbridge3 | json
