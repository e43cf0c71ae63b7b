# RFC 1123 labels: letters, digits and '-', 1 to 63 characters, no '-' at
# either end, or an FQDN of such labels (names-hostname). A refused name
# changes nothing.
hostname cms01
hostname cms_01
hostname cms01..example.com
hostname -cms01
hostname cms01-
hostname "cms 01"
hostname ""
hostname abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij
hostname abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefgh
hostname
hostname a b
