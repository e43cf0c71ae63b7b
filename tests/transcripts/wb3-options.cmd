# webbridge3 options: the guide gives no list, so each option's shape is checked (name or name=value), and no name twice
webbridge3 options a=1 b c.d_e-f=x:y/z
webbridge3 options "x;y"
webbridge3 options a=1 a=2
webbridge3 options -x
webbridge3 options a=
webbridge3
webbridge3 options x=y
