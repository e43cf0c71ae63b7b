#!/usr/bin/env bash
# ansible-lint (Debian 12's 6.13, --offline, production profile) on the
# mmp.mmp collection's sources and on the example playbook with the installed
# collection beside it (issue 13): no failure and no warning; the example's
# modules are found (a module ansible-lint cannot resolve is not checked).
# (6.13's args rule still gives up on collection modules, "relative resource
# paths not supported" from the collection loader: a warning it ignores.)
# Usage: bash tests/ansible/lint.sh <mmp-sshd> <mmp>
source "$(dirname "$0")/common.bash"
export HOME=$work/home # ansible-lint's cache (.cache/ansible-compat)
mkdir -p "$HOME"

step "the collection: build, install"
install_collection
# the sources as they are in the repository, in a scratch copy (ansible-lint
# writes its cache beside what it lints)
cp -r "$src/ansible" "$work/src"
rm -rf "$work/src/examples/files"
step "ansible-lint on the collection"
(cd "$work/src/ansible_collections/mmp/mmp" && timeout 600 ansible-lint --offline --nocolor -p) >"$work/lint1.out" 2>&1 ||
	fail "ansible-lint on the collection: $(cat "$work/lint1.out")"
grep -q 'Passed with production profile: 0 failure(s), 0 warning(s)' "$work/lint1.out" ||
	fail "ansible-lint on the collection: $(cat "$work/lint1.out")"

step "ansible-lint on the example"
mkdir -p "$work/src/examples/collections"
cp -r "$work/collections/ansible_collections" "$work/src/examples/collections/"
(cd "$work/src/examples" && timeout 600 ansible-lint --offline --nocolor -p site.yml) >"$work/lint2.out" 2>&1 ||
	fail "ansible-lint on the example: $(cat "$work/lint2.out")"
grep -q 'Passed with production profile: 0 failure(s), 0 warning(s)' "$work/lint2.out" ||
	fail "ansible-lint on the example: $(cat "$work/lint2.out")"
if grep -E 'Unable to (resolve|load)' "$work/lint2.out"; then
	fail "ansible-lint did not find the collection's modules"
fi
step "done"
