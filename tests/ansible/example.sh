#!/usr/bin/env bash
# The example playbook (ansible/examples/site.yml: the guide's chapter 4 and
# Appendix D) on three mmp nodes, with the collection installed as users
# install it (issue 13):
# - the first run (-vvv): every task ok or changed on every host, none
#   failed, skipped or unreachable; n1 and n2 log in by key, n3 by password;
#   each node then uses the files the controller holds (SHA-256 compared);
#   no private key's PEM lines or base64 body anywhere in the output;
# - a second run: changed=0 on every host;
# - --check --diff with a new Call Bridge key, certificate and bundle: the
#   change is reported on every host, and every node's files (name, mode,
#   SHA-256) and every table of mmp.db but the audit log are as before; the
#   audit rows the check run added are logins and reads and `check` lines,
#   all ok but those that name a file the run would upload (not uploaded in
#   check mode: mmp says file.not_found).
# Usage: bash tests/ansible/example.sh <mmp-sshd> <mmp>
port_base=25000
source "$(dirname "$0")/common.bash"

step "three nodes"
start_nodes
step "the collection: build, install"
install_collection
example

# ---- first run, -vvv ----
step "first run (-vvv)"
play "$work/run1.out" -vvv site.yml || fail "first run failed: $(grep -E 'FAILED|fatal|ERROR' "$work/run1.out" | head -n 20)"
tasks=$(grep -cE '^(TASK|RUNNING HANDLER) \[' "$work/run1.out")
[ "$tasks" -ge 10 ] || fail "first run: only $tasks tasks ran"
for n in "${nodes[@]}"; do
	r=$(recap "$work/run1.out" "$n")
	[ "$r" = "ok=$tasks changed=$(recap_field "$work/run1.out" "$n" changed) unreachable=0 failed=0 skipped=0 rescued=0 ignored=0" ] ||
		fail "first run, $n: recap '$r', expected every one of the $tasks tasks ok"
	[ "$(recap_field "$work/run1.out" "$n" changed)" -ge 8 ] || fail "first run, $n: too few changes: $r"
done
# the logins: n3 by password, n1 and n2 by key (mmp-sshd logs each)
for n in n1 n2; do
	grep -q 'login accepted of admin by ssh publickey' "$work/$n.log" || fail "$n: no key login in its log"
	grep -q 'login accepted of admin by ssh password' "$work/$n.log" && fail "$n: a password login"
done
grep -q 'login accepted of admin by ssh password' "$work/n3.log" || fail "n3: no password login in its log"
grep -q 'login accepted of admin by ssh publickey' "$work/n3.log" && fail "n3: a key login"
# what the nodes now use is what the controller holds
for n in "${nodes[@]}"; do
	out=$(mmp_local "$n" -c 'callbridge | json') || fail "$n: callbridge: $out"
	python3 - "$out" "$n" <<'PY' || fail "$n: callbridge settings: $out"
import json, sys
r = json.loads(sys.argv[1])["result"]
assert r["certs"] == {"key": "callbridge.key", "cert": "callbridge.crt", "bundle": "ca-bundle.crt"}, r
assert r["trust"]["c2w"] == "ca-bundle.crt", r
assert r["listen"] == ["a"], r
PY
	for f in callbridge.key callbridge.crt wb3-https.key wb3-https-fullchain.crt wb3-c2w.key wb3-c2w-fullchain.crt; do
		cmp -s "$ex/files/$n/$f" "${root[$n]}/files/$f" || fail "$n: $f is not the controller's $n/$f"
	done
	cmp -s "$ex/files/ca-bundle.crt" "${root[$n]}/files/ca-bundle.crt" || fail "$n: ca-bundle.crt differs"
	[ "$(stat -c %a "${root[$n]}/files/callbridge.key")" = 600 ] || fail "$n: callbridge.key is not 0600"
done
# no private key in the output: PEM header, any line of its base64 body, or
# the file as base64
for k in "$ex"/files/*/*.key "$ex/admin_ed25519"; do
	grep -v -e '^-----' "$k" >"$work/body"
	if grep -qF -f "$work/body" "$work/run1.out"; then
		fail "first run -vvv printed a line of $k"
	fi
done
grep -nE 'PRIVATE KEY-----|LS0tLS1CRUdJTiBQUklWQVRF|LS0tLS1CRUdJTiBFQyBQUklWQVRF|LS0tLS1CRUdJTiBPUEVOU1NIIFBSSVZBVEU' \
	"$work/run1.out" | head -n 3 | grep . && fail "first run -vvv printed a private key"

# ---- second run: nothing to change ----
step "second run"
play "$work/run2.out" site.yml || fail "second run failed: $(grep -E 'FAILED|fatal' "$work/run2.out" | head -n 20)"
for n in "${nodes[@]}"; do
	[ "$(recap_field "$work/run2.out" "$n" changed)" = 0 ] && [ "$(recap_field "$work/run2.out" "$n" failed)" = 0 ] &&
		[ "$(recap_field "$work/run2.out" "$n" unreachable)" = 0 ] ||
		fail "second run, $n: $(recap "$work/run2.out" "$n"); changed: $(grep -E '^changed:' "$work/run2.out" | head)"
done

# ---- --check --diff with a new Call Bridge pair and bundle ----
step "check run with a new certificate"
(cd "$ex" && bash ./make-pki.sh "$work/pki2" "${nodes[@]}" >"$work/pki.out" 2>&1) || fail "make-pki.sh (2)"
for n in "${nodes[@]}"; do
	cp -p "$work/pki2/$n/callbridge.key" "$ex/files/$n/callbridge-2.key"
	cp -p "$work/pki2/$n/callbridge.crt" "$ex/files/$n/callbridge-2.crt"
	files_state "$n" >"$work/$n.files.before"
	db_state "$n" >"$work/$n.db.before"
	sqlite3 "${root[$n]}/mmp.db" 'select max(id) from audit' >"$work/$n.audit.before"
done
cp "$work/pki2/ca-bundle.crt" "$ex/files/ca-bundle-2.crt"
play "$work/check.out" --check --diff site.yml \
	-e cb_key=callbridge-2.key -e cb_crt=callbridge-2.crt -e ca_bundle=ca-bundle-2.crt ||
	fail "check run failed: $(grep -E 'FAILED|fatal' "$work/check.out" | head -n 20)"
for n in "${nodes[@]}"; do
	[ "$(recap_field "$work/check.out" "$n" failed)" = 0 ] && [ "$(recap_field "$work/check.out" "$n" changed)" -ge 3 ] ||
		fail "check run, $n: $(recap "$work/check.out" "$n")"
	# the Call Bridge certificates task says what it would do
	sed -n '/^TASK \[Call Bridge certificates/,/^TASK/p' "$work/check.out" >"$work/check.cb"
	grep -q "^changed: \[$n\]" "$work/check.cb" || fail "check run, $n: the Call Bridge task did not report the change: $(cat "$work/check.cb")"
	grep -q 'callbridge-2.crt' "$work/check.cb" || fail "check run: the diff does not name callbridge-2.crt: $(cat "$work/check.cb")"
	files_state "$n" | diff -u "$work/$n.files.before" - || fail "check run changed $n's files"
	db_state "$n" | diff -u "$work/$n.db.before" - || fail "check run changed $n's mmp.db"
	# what the check run left in the audit log: logins, reads, check lines, all ok
	sqlite3 -separator ' | ' "${root[$n]}/mmp.db" \
		"select kind, result, line from audit where id > $(cat "$work/$n.audit.before") order by id" >"$work/$n.audit"
	[ -s "$work/$n.audit" ] || fail "$n: the check run left no audit rows (no login?)"
	# not ok: only a read or check that names a file the run would upload
	# (check mode uploads nothing, so mmp answers file.not_found)
	bad=$(grep -vE '^[a-z]+ \| ok \| ' "$work/$n.audit" |
		grep -vE '^command \| failed \| (pki checksum|check [a-z0-9 ]+) .*(callbridge-2\.(key|crt)|ca-bundle-2\.crt)' |
		head -n 5)
	[ -z "$bad" ] || fail "$n: audit rows of the check run that are not ok: $bad"
	grep -q '^login | ok | ssh ' "$work/$n.audit" || fail "$n: no login audited in the check run"
	bad=$(grep -E '^command \| ' "$work/$n.audit" | sed -E 's/^command \| [a-z]+ \| //' |
		grep -vE '^(check .*|pki|pki (list|checksum|inspect|match|verify)( .*)?|callbridge|webbridge3|turn|meetingapps|tls (sip|ldap)|database cluster status|hostname|version)$' |
		head -n 5)
	[ -z "$bad" ] || fail "$n: the check run ran commands that are neither reads nor check: $bad"
done
step "done"
