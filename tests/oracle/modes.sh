#!/usr/bin/env bash
# Program modes and exit statuses (SPEC §1): script mode, -c, -e, --root,
# $MMP_ROOT, CRLF scripts, comments, usage errors (exit 2), prompts at end
# of input, hostile lines (NUL, over-long, control characters).
set -u
mmp=$1
t=$(mktemp -d /tmp/mmp-modes.XXXXXX)
trap 'rm -rf "$t"' EXIT
fails=0
check() { # name expected-status expected-output actual-status actual-output
	if [ "$2" != "$4" ] || [ "$3" != "$5" ]; then
		echo "FAIL $1: status $4 (want $2)"
		diff -u <(printf '%s\n' "$3") <(printf '%s\n' "$5")
		fails=$((fails + 1))
	fi
}

# -c runs one command; its status is the command's
out=$("$mmp" --root "$t/r1" -c 'pki list' </dev/null 2>&1); st=$?
check "-c ok" 0 "User supplied certificates and keys:" $st "$out"
out=$("$mmp" --root "$t/r1" -c 'pki inspect none.crt' </dev/null 2>&1); st=$?
check "-c failing" 1 "FAILURE: none.crt: no such file in the file store: upload it with SFTP, or see pki list" $st "$out"

# the root is created 0700 with files/ inside
[ "$(stat -c %a "$t/r1")" = 700 ] || { echo "FAIL root mode $(stat -c %a "$t/r1")"; fails=$((fails + 1)); }
[ -d "$t/r1/files" ] || { echo "FAIL no files/"; fails=$((fails + 1)); }

# $MMP_ROOT when --root is absent
out=$(MMP_ROOT="$t/r2" "$mmp" -c 'pki list' </dev/null 2>&1); st=$?
check "MMP_ROOT" 0 "User supplied certificates and keys:" $st "$out"
[ -d "$t/r2/files" ] || { echo "FAIL MMP_ROOT not used"; fails=$((fails + 1)); }
# else $XDG_DATA_HOME/mmp
out=$(env -u MMP_ROOT XDG_DATA_HOME="$t/xdg" "$mmp" -c 'pki list' </dev/null 2>&1); st=$?
[ -d "$t/xdg/mmp/files" ] || { echo "FAIL XDG_DATA_HOME not used"; fails=$((fails + 1)); }

# script mode: CRLF, comments, blank lines; a failure makes the status 1 but the script goes on
out=$(printf '# comment\r\n\r\npki nonsense\r\npki list\r\n' | "$mmp" --root "$t/r3" 2>&1); st=$?
check "script CRLF" 1 'line 3: FAILURE: unknown command "pki nonsense": the words that fit here are "list", "inspect", "checksum", "expiry", "metrics", "alarms", "match", "verify", "unlock", "csr", "selfsigned", "sign", "pkcs12-to-ssh", "pkcs12-extract"; type help pki for the usage
User supplied certificates and keys:' $st "$out"
# a script saved with a UTF-8 BOM (Notepad) runs as if it had none
out=$(printf '\357\273\277pki list\r\n' | "$mmp" --root "$t/r3" 2>&1); st=$?
check "BOM" 0 "User supplied certificates and keys:" $st "$out"
# -e stops at the first failure
out=$(printf 'pki nonsense\npki list\n' | "$mmp" --root "$t/r3" -e 2>&1); st=$?
check "-e" 1 'line 1: FAILURE: unknown command "pki nonsense": the words that fit here are "list", "inspect", "checksum", "expiry", "metrics", "alarms", "match", "verify", "unlock", "csr", "selfsigned", "sign", "pkcs12-to-ssh", "pkcs12-extract"; type help pki for the usage' $st "$out"
# no final newline
out=$(printf 'pki list' | "$mmp" --root "$t/r3" 2>&1); st=$?
check "no final newline" 0 "User supplied certificates and keys:" $st "$out"

# usage errors of the program itself: status 2
# a --public-roots that holds no certificate would make every certificate
# private and silence the public-CA rules: refused at start
printf 'not a certificate\n' >"$t/junk.pem"
for f in "$t/missing.pem" /dev/null "$t/junk.pem"; do
	out=$("$mmp" --root "$t/r1" --public-roots "$f" -c 'pki list' </dev/null 2>&1); st=$?
	check "--public-roots $f" 2 "mmp: --public-roots $f: cannot be read as PEM certificates: give a PEM file of CA certificates, as /etc/ssl/certs/ca-certificates.crt is" $st "$out"
done
"$mmp" --bogus </dev/null >/dev/null 2>&1; st=$?
[ $st = 2 ] || { echo "FAIL --bogus status $st"; fails=$((fails + 1)); }
"$mmp" --root "$t/r1" stray </dev/null >/dev/null 2>&1; st=$?
[ $st = 2 ] || { echo "FAIL stray argument status $st"; fails=$((fails + 1)); }
out=$("$mmp" --version); [ "${out#mmp }" != "$out" ] || { echo "FAIL --version: $out"; fails=$((fails + 1)); }

# hostile lines: NUL, over-long, control characters, 10,000 words
out=$(printf 'pki\0list\n' | "$mmp" --root "$t/r3" 2>&1); st=$?
check "NUL" 1 "line 1: FAILURE: the line holds a NUL byte: remove it and run the script again" $st "$out"
out=$(head -c 5000 /dev/zero | tr '\0' a | "$mmp" --root "$t/r3" 2>&1); st=$?
check "long line" 1 "line 1: FAILURE: the line is longer than 4096 bytes: split the command or use shorter names" $st "$out"
out=$(printf 'pki list\033[2J\n' | "$mmp" --root "$t/r3" 2>&1); st=$?
check "escape" 1 "line 1: FAILURE: control character 0x1b at column 9: remove it and type the command again" $st "$out"
out=$(printf 'a%.0s ' $(seq 1 70) | "$mmp" --root "$t/r3" 2>&1); st=$?
check "many words" 1 "line 1: FAILURE: more than 64 words on one line: split the command" $st "$out"

# a password prompt at end of input fails, it never waits
openssl genrsa -aes128 -passout pass:pw -out "$t/r3/files/locked.key" 2048 2>/dev/null
out=$(printf 'pki unlock locked.key\n' | timeout 10 "$mmp" --root "$t/r3" 2>&1); st=$?
check "prompt at EOF" 1 "line 1: FAILURE: pki unlock: no password was given (end of input or Ctrl-C): nothing was changed" $st "$out"

if [ $fails -ne 0 ]; then
	echo "modes: $fails failed"
	exit 1
fi
echo "modes: ok"
