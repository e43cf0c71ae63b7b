# issue 15: the limits of the names settings (webbridge3 https names,
# webbridge3 c2w names, turn names): at most 8, each a DNS name or an IP
# address, none twice; each bad word is said (escaped) and nothing changes
webbridge3 https names a.example.com b.example.com c.example.com d.example.com e.example.com f.example.com g.example.com h.example.com i.example.com
webbridge3 https names a.example.com b.example.com c.example.com d.example.com e.example.com f.example.com g.example.com h.example.com
webbridge3 https names join.example.com JOIN.Example.COM. 2001:db8::1 2001:DB8:0:0::1
# a C1 control (U+009B) and a byte that is not UTF-8 are shown escaped
webbridge3 c2w names "c2w.example.com" join�.example.com bad_name.example.com *.example.com
turn names -turn.example.com turn..example.com 192.0.2.300 1.2.3 fe80::1::1 a.b:443
turn names xn--bcher-kva.example.com bücher.example.com
turn names bücher.example.com 192.0.2.1
webbridge3 c2w names a.example.com | json
webbridge3 https names none
webbridge3 https names none | json
turn
webbridge3 c2w names none
