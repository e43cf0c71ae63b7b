#!/usr/bin/env bash
# The expiry alarms at login (issue 14 item 2), on a pty as a person sees
# them: over ssh -tt to mmp-sshd and on the local console, one line per
# service whose certificates end within the largest threshold or have
# ended, before the first prompt; each threshold crossed is written to the
# audit log once, however many logins see it; the thresholds are a setting
# (pki alarms).
# Usage: bash tests/ssh/alarms.sh <mmp-sshd> <mmp>
source "$(dirname "$0")/common.bash"

export HOME=$work/home
mkdir -p "$HOME" "$root/files" "$work/ca/certs"
P_ADM='Adm-Alarms-7c2d'
add_user adm admin "$P_ADM"

# The certificates, dated relative to now: the Call Bridge's issuing CA
# ends in 5.5 days under a leaf valid 300 days; the C2W trust store holds
# a root that ended 3.5 days ago; TURN's certificate is valid 200 days.
cd "$work/ca"
# a throwaway CA: when, cert NAME SUBJECT ISSUER EXT START END
. "$(cd "$(dirname "$0")/../data/lib" && pwd)/testca.bash"
testca_init
cert root "Alarm Root CA" self ca_ext "$(when '-900 days')" "$(when '+3650 days')"
cert retired "Retired Root CA" self ca_ext "$(when '-3000 days')" "$(when '-3 days -12 hours')"
cert inter "Expiring Issuing CA" root ca_ext "$(when '-800 days')" "$(when '+5 days +12 hours')"
cert cb cb.example.com inter leaf "$(when '-2 days')" "$(when '+300 days')"
cert turn turn.example.com root leaf "$(when '-2 days')" "$(when '+200 days')"
cp root.crt cb.key cb.crt turn.key turn.crt "$root/files/"
cat inter.crt root.crt >"$root/files/cb-bundle.crt"
cat retired.crt root.crt >"$root/files/c2w-trust.crt"
cd "$work"
"$mmp" --root "$root" -e >"$work/set.out" 2>&1 <<'CMDS' || fail "configuring: $(cat "$work/set.out")"
callbridge certs cb.key cb.crt cb-bundle.crt
turn certs turn.key turn.crt root.crt
CMDS
# mmp refuses an expired trust store: this is the node days after it was set
sqlite3 "$root/mmp.db" "INSERT INTO settings VALUES ('webbridge3.c2w.trust', 'c2w-trust.crt')"

cb_line='^WARNING: callbridge certs: cb-bundle\.crt certificate 1 \(CN = Expiring Issuing CA\) expires in 6 days, on [0-9]{4}-[0-9]{2}-[0-9]{2}: run pki expiry$'
wb_line='^FAILURE: webbridge3 c2w trust: c2w-trust\.crt certificate 1 \(CN = Retired Root CA\) expired 3 days ago, on [0-9]{4}-[0-9]{2}-[0-9]{2}: run pki expiry$'
# login TITLE COMMAND: the lines between the banner and the first prompt
login() {
	if tmux -L "$sock" has-session -t t 2>/dev/null; then
		tmux -L "$sock" kill-server
		sleep 0.5
	fi
	tmux_start 40 "$2"
	wait_screen '^mmp> ?$'
	screen | sed -n '/^Type help or ?/,/^mmp>/p' | sed '1d;$d' >"$work/alarms.$1"
	keys 'exit' Enter
}
count() { "$mmp" --root "$root" -c 'audit 10000' | grep -c -- "$1" || true; }

start_sshd
# shellcheck disable=SC2046
ssh_cmd="sshpass -p $P_ADM ssh $(ssh_opts) -tt -o PubkeyAuthentication=no adm@127.0.0.1"
login ssh1 "$ssh_cmd"
[ "$(wc -l <"$work/alarms.ssh1")" = 2 ] || fail "ssh login: not 2 alarm lines: $(cat "$work/alarms.ssh1")"
grep -qE "$cb_line" "$work/alarms.ssh1" || fail "ssh login: no Call Bridge alarm: $(cat "$work/alarms.ssh1")"
grep -qE "$wb_line" "$work/alarms.ssh1" || fail "ssh login: no C2W trust alarm: $(cat "$work/alarms.ssh1")"
[ "$(count 'certificate alarm (within 7 days): callbridge certs: cb-bundle.crt certificate 1 (CN = Expiring Issuing CA) ends on')" = 1 ] ||
	fail "the 7-day alarm is not in the audit log once: $("$mmp" --root "$root" -c 'audit 50')"
[ "$(count 'certificate alarm (expired): webbridge3 c2w trust: c2w-trust.crt certificate 1 (CN = Retired Root CA)')" = 1 ] ||
	fail "the expired alarm is not in the audit log once"

# again over SSH, then on the console: the same lines, no new audit entry
login ssh2 "$ssh_cmd"
diff -u "$work/alarms.ssh1" "$work/alarms.ssh2" || fail "the second login showed other alarms"
login console "$mmp --root $root"
diff -u "$work/alarms.ssh1" "$work/alarms.console" || fail "the console showed other alarms than SSH"
[ "$(count 'certificate alarm (')" = 2 ] || fail "more alarms were written than thresholds crossed: $("$mmp" --root "$root" -c 'audit 50' | grep alarm)"

# thresholds are a setting: at 3 days the Call Bridge (6 days left) is
# quiet, the expired trust store is not; at 30 the crossing of 30 is new
"$mmp" --root "$root" -c 'pki alarms 3' >/dev/null || fail "pki alarms 3"
login console3 "$mmp --root $root"
[ "$(wc -l <"$work/alarms.console3")" = 1 ] && grep -qE "$wb_line" "$work/alarms.console3" ||
	fail "with threshold 3: $(cat "$work/alarms.console3")"
"$mmp" --root "$root" -c 'pki alarms 30' >/dev/null || fail "pki alarms 30"
login console30 "$mmp --root $root"
diff -u "$work/alarms.ssh1" "$work/alarms.console30" || fail "threshold 30 showed other alarms"
[ "$(count 'certificate alarm (within 30 days): callbridge certs')" = 1 ] || fail "the 30-day crossing was not written"
[ "$(count 'certificate alarm (')" = 3 ] || fail "not 3 alarms in the audit log"
echo "alarms: ok"
