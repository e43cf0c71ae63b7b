#!/usr/bin/env bash
# ca-bundle.sh: pki inspect on the system's CA bundle (SPEC §5: "for each
# certificate"), with the openssl CLI as the oracle: every certificate is
# there, in order, with its subject, its Not after date and its validity.
# Usage: bash tests/oracle/ca-bundle.sh <path-to-mmp>   (CA_BUNDLE overrides
# /etc/ssl/certs/ca-certificates.crt)
set -euo pipefail
mmp=$1
src=${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
export LC_ALL=C TZ=UTC
fail() {
	echo "ca-bundle: FAILED: $*" >&2
	exit 1
}
[ -r "$src" ] || fail "$src is missing: install ca-certificates (or set CA_BUNDLE)"
root=$(mktemp -d "${TMPDIR:-/tmp}/mmp-oracle.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/files"
cp "$src" "$root/files/cabundle.crt"

t0=$(date +%s%N)
"$mmp" --root "$root" -c 'pki inspect cabundle.crt' >"$root/out" 2>&1 ||
	fail "mmp exited with $? (output in the lines below)"$'\n'"$(head -n 20 "$root/out")"
t1=$(date +%s%N)
now=$(date +%s)

# How many certificates: two ways, which must agree.
n=$(grep -c -- '-----BEGIN CERTIFICATE-----' "$src")
n2=$(openssl storeutl -noout -certs "$src" | sed -n 's/^Total found: //p')
[ "$n" = "$n2" ] || fail "openssl storeutl finds $n2 certificates, grep finds $n BEGIN lines"
[ "$n" -gt 1 ] || fail "$src holds $n certificates: not a bundle"

head -n 1 "$root/out" | grep -qxF "cabundle.crt: a bundle of $n certificates (PEM)" ||
	fail "first line is \"$(head -n 1 "$root/out")\", want \"cabundle.crt: a bundle of $n certificates (PEM)\""
got=$(grep -c '^  Subject  *: ' "$root/out" || true)
[ "$got" = "$n" ] || fail "$got Subject lines for $n certificates"
got=$(grep -c '^Certificate [0-9]* of '"$n"':$' "$root/out" || true)
[ "$got" = "$n" ] || fail "$got \"Certificate i of $n:\" headers for $n certificates"

# Every subject the openssl CLI prints, in the same order.
# mmp prints names as UTF-8 text: openssl's oneline, but -esc_msb (issue 11)
mkdir "$root/split"
awk -v d="$root/split" '/BEGIN CERTIFICATE/ { n++ } n { print > (d "/" sprintf("%04d", n) ".pem") }' "$src"
for c in "$root"/split/*.pem; do
	openssl x509 -in "$c" -noout -subject -nameopt oneline,-esc_msb
done | sed -n 's/^subject=//p' >"$root/want-subjects"
sed -n 's/^  Subject  *: //p' "$root/out" >"$root/got-subjects"
diff -u "$root/want-subjects" "$root/got-subjects" >"$root/diff" ||
	fail "subjects differ from openssl's (- openssl, + mmp):"$'\n'"$(head -n 40 "$root/diff")"

# Every Not after line: openssl's date, and the validity it implies.
openssl crl2pkcs7 -nocrl -certfile "$src" | openssl pkcs7 -print_certs -text -noout >"$root/text"
sed -n 's/^            Not Before: //p' "$root/text" >"$root/starts"
sed -n 's/^            Not After : //p' "$root/text" >"$root/ends"
[ "$(wc -l <"$root/ends")" = "$n" ] || fail "openssl printed $(wc -l <"$root/ends") Not After lines for $n certificates"
sed -n 's/^  Not after  *: //p' "$root/out" >"$root/got-after"
[ "$(wc -l <"$root/got-after")" = "$n" ] || fail "$(wc -l <"$root/got-after") Not after lines for $n certificates"
i=0
exec 3<"$root/starts" 4<"$root/ends"
while IFS= read -r line; do
	i=$((i + 1))
	IFS= read -r start <&3
	IFS= read -r end <&4
	end_s=$(date -u -d "$end" +%s)
	start_s=$(date -u -d "$start" +%s)
	want_date=$(date -u -d "@$end_s" '+%Y-%m-%d %H:%M:%S UTC')
	case "$line" in
	"$want_date ("*")") ;;
	*) fail "certificate $i: Not after is \"$line\", openssl says $want_date" ;;
	esac
	state=${line#"$want_date ("}
	state=${state%")"}
	if [ "$start_s" -gt "$now" ]; then
		[ "$state" = "not yet valid" ] || fail "certificate $i: \"$state\", but it is not yet valid"
	elif [ "$end_s" -le "$now" ]; then
		days=$(((now - end_s) / 86400))
		case "$state" in
		"expired $days day"*" ago" | "expired $((days - 1)) day"*" ago") ;;
		*) fail "certificate $i: \"$state\", but it expired $days days ago" ;;
		esac
	else
		days=$(((end_s - now + 86399) / 86400))
		case "$state" in
		"valid, expires in $days day"* | "valid, expires in $((days + 1)) day"*) ;;
		*) fail "certificate $i: \"$state\", but it expires in $days days" ;;
		esac
	fi
done <"$root/got-after"

echo "ca-bundle: ok: $n certificates of $src inspected in $(((t1 - t0) / 1000000)) ms"
