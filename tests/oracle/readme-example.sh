#!/usr/bin/env bash
# The README's "Using it" example is what mmp prints: its mmp> lines run on
# a fresh root in script mode must print the other lines of the block (less
# "Generating an RSA 2048 private key...", which only a terminal is shown).
# Usage: bash tests/oracle/readme-example.sh <mmp>
set -u
mmp=$1
here=$(cd "$(dirname "$0")/../.." && pwd)
export LC_ALL=C TZ=UTC
work=$(mktemp -d "${TMPDIR:-/tmp}/mmp-readme.XXXXXX")
trap 'rm -rf "$work"' EXIT

# the first fenced block after "## Using it"
awk '/^## Using it/ { on = 1; next } on && /^```/ { if (inblock) exit; inblock = 1; next } inblock' \
	"$here/README.md" >"$work/block"
grep -q '^mmp> pki verify ' "$work/block" || { echo "FAIL: no pki verify in the README's example"; exit 1; }
sed -n 's/^mmp> //p' "$work/block" >"$work/cmds"
grep -v '^mmp> ' "$work/block" | grep -vx 'Generating an RSA 2048 private key\.\.\.' >"$work/want"
"$mmp" --root "$work/root" <"$work/cmds" >"$work/got" 2>&1
st=$?
if [ $st != 0 ] || ! diff -u "$work/want" "$work/got"; then
	echo "FAIL: the README's example (status $st) does not print what the README shows"
	exit 1
fi
echo "readme-example: ok"
