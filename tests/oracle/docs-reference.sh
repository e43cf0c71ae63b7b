#!/usr/bin/env bash
# docs/commands.md is generated from the command table: it must be what
# `mmp --reference` prints now (regenerate with: cmake --build build --target docs).
set -u
mmp=$1
here=$(cd "$(dirname "$0")/../.." && pwd)
if ! diff -u "$here/docs/commands.md" <("$mmp" --reference); then
	echo "docs/commands.md is stale: run cmake --build build --target docs"
	exit 1
fi
# docs/schema.json is the JSON Schema of every command's answer (issue 12)
if ! diff -u "$here/docs/schema.json" <("$mmp" --schema); then
	echo "docs/schema.json is stale: run cmake --build build --target docs"
	exit 1
fi
# docs/json-codes.md lists every check code the sources make
if ! python3 "$here/tests/json/codes.py" "$here/src" --check "$here/docs/json-codes.md"; then
	exit 1
fi
# docs/SECURITY.md shows the access table as `mmp --access-table` prints it
table=$("$mmp" --access-table)
if ! grep -qF -- "$table" "$here/docs/SECURITY.md" ||
	[ "$(grep -c '^| \(admin\|crypto\|audit\|appadmin\|api\|mmp itself\) |' "$here/docs/SECURITY.md")" != 6 ]; then
	echo "docs/SECURITY.md does not show the access table of mmp --access-table:"
	echo "$table"
	exit 1
fi
echo "docs-reference: ok"
