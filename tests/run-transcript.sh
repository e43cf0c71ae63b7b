#!/usr/bin/env bash
# Transcript test: pipe tests/transcripts/<name>.cmd to mmp on a fresh root,
# compare its output line by line with <name>.out (diff -u).
# - <name>.setup, if present, is run first (bash -e) with $FILES set to the new
#   file store, to place fixture files (from $DATA = tests/data); $MMP is the
#   mmp under test (to configure the node as admin before a --role run).
# - <name>.opts, if present, holds more mmp options on one line (--role crypto:
#   the transcript runs with the rights of a crypto user); @ROOT@ in it is
#   the node root, where .setup may put a file outside the store ($ROOT:
#   --public-roots @ROOT@/public-roots.pem).
# - The actual output ends with a line "[exit N]" holding mmp's exit status.
# - <name>.check, if present, is run after (bash -e) to check the files
#   with the openssl CLI as an oracle.
# - Volatile fields (serials, fingerprints, dates, day counts of files made
#   during the test) are replaced by normalize.sed; nothing else is loosened.
set -u
mmp=$1
cmd=$2
dir=$(dirname "$cmd")
name=$(basename "$cmd" .cmd)
root=$(mktemp -d "${TMPDIR:-/tmp}/mmp-transcript.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/files"
export ROOT="$root" FILES="$root/files" DATA="$dir/../data" LC_ALL=C TZ=UTC MMP="$mmp"
if [ -f "$dir/$name.setup" ]; then
	bash -e "$dir/$name.setup" || { echo "transcript $name: setup failed"; exit 1; }
fi
actual="$root/actual"
opts=()
if [ -f "$dir/$name.opts" ]; then
	read -r -a opts <"$dir/$name.opts"
	opts=("${opts[@]//@ROOT@/$root}")
fi
"$mmp" --root "$root" "${opts[@]}" <"$cmd" >"$actual" 2>&1
echo "[exit $?]" >>"$actual"
sed -E -f "$dir/normalize.sed" "$actual" >"$actual.norm"
if ! diff -u "$dir/$name.out" "$actual.norm"; then
	echo "transcript $name: output differs from $name.out (see the diff above)"
	exit 1
fi
if [ -f "$dir/$name.check" ]; then
	bash -e "$dir/$name.check" || { echo "transcript $name: check failed"; exit 1; }
fi
echo "transcript $name: ok"
