#!/usr/bin/env bash
# Secret hygiene (issue 5 point 4): after sessions that typed passwords and
# unlocked keys in every mode (local script and -c, SSH exec, SSH shell
# without and with a pty, SFTP, failed logins), no password appears in any
# file the node keeps or the server logs: every file under the root
# (mmp.db and its WAL included, each byte), the server's log (what syslog
# gets when detached), the audit log as `audit` shows it, and the local
# shell's home (no history file is ever written). The TURN passwords (the
# 3-word form on the line, the 2-word form asked) are found nowhere either:
# mmp.db keeps only their RFC 8489 9.2.2 key (issue 10 item 8).
# Usage: bash tests/ssh/secrets.sh <mmp-sshd> <mmp>
source "$(dirname "$0")/common.bash"

export HOME=$work/home
mkdir -p "$HOME"
P_ALICE='Alice-Login-7f3a'
P_ALICE2='Alice-New-9c21'
P_BOB='Bob-Crypto-51e8'
P_WRONG='Wrong-Guess-2d77'
P_KEY1='Key-One-Pass-88ab'
P_KEY2='Key-Two-Pass-14cd'
P_KEY3='Key-Three-Pass-6e0f'
P_TURN='Turn-Secret-3b95'
P_TURN2='Turn-Asked-77c2'
secrets="$P_ALICE $P_ALICE2 $P_BOB $P_WRONG $P_KEY1 $P_KEY2 $P_KEY3 $P_TURN $P_TURN2"

add_user alice admin "$P_ALICE"
mkdir -p "$root/files"
for i in 1 2 3; do
	eval "pw=\$P_KEY$i"
	openssl genrsa -aes128 -passout "pass:$pw" -out "$root/files/locked$i.key" 2048 2>/dev/null ||
		fail "genrsa"
done
start_sshd

# local script mode: unlock a key with the password on the next line
printf 'pki unlock locked1.key\n%s\n' "$P_KEY1" | "$mmp" --root "$root" >"$work/o1" 2>&1 ||
	fail "local unlock: $(cat "$work/o1")"
# SSH exec: the password on stdin
printf '%s\n' "$P_KEY2" | pw_ssh alice "$P_ALICE" 'pki unlock locked2.key' >"$work/o2" 2>&1 ||
	fail "exec unlock: $(cat "$work/o2")"
# SSH shell without a pty: a new user, the TURN credentials (3-word form)
printf 'user add bob crypto\n%s\n%s\nturn credentials turnuser %s example.com\n' \
	"$P_BOB" "$P_BOB" "$P_TURN" | pw_ssh alice "$P_ALICE" -T >"$work/o3" 2>&1 ||
	fail "shell: $(cat "$work/o3")"
want=$(printf %s "turnuser:example.com:$P_TURN" | openssl md5 | sed 's/.*= //')
[ "$(sqlite3 "$root/mmp.db" "SELECT value FROM settings WHERE key = 'turn.key_md5'")" = "$want" ] ||
	fail "turn.key_md5 is not MD5(turnuser:example.com:<password>) (openssl md5)"
# SSH shell on a pty, typed in tmux as a person would (a password typed
# ahead of its prompt is dropped): unlock a key, change the password
# shellcheck disable=SC2046
tmux_start 50 \
	"sshpass -p '$P_ALICE' ssh $(ssh_opts) -tt -o PubkeyAuthentication=no alice@127.0.0.1; sleep 30"
wait_screen '^mmp>$'
keys 'pki unlock locked3.key' Enter
wait_screen 'Enter password'
keys "$P_KEY3" Enter
wait_screen 'SUCCESS: locked3.key'
keys 'passwd' Enter
wait_screen 'Current password'
keys "$P_ALICE" Enter
wait_screen 'New password'
keys "$P_ALICE2" Enter
wait_screen 'Retype'
keys "$P_ALICE2" Enter
wait_screen 'password of alice changed'
screen | grep -qF -e "$P_KEY3" -e "$P_ALICE" -e "$P_ALICE2" && fail "a typed password was echoed on the pty"
# the 2-word turn credentials asks the TURN password twice without echo
keys 'turn credentials turnuser example.com' Enter
wait_screen 'TURN password for turnuser'
keys "$P_TURN2" Enter
wait_screen 'Retype the TURN password'
keys "$P_TURN2" Enter
wait_screen '^turn credentials set to user turnuser, realm example.com'
screen | grep -qF -e "$P_KEY3" -e "$P_ALICE" -e "$P_ALICE2" -e "$P_TURN2" &&
	fail "a typed password was echoed on the pty"
keys 'exit' Enter
# a failed login, an SFTP session, and the new password working
pw_ssh alice "$P_WRONG" 'pki list' >/dev/null 2>&1 && fail "a wrong password logged in"
printf 'ls\n' >"$work/batch"
pw_sftp bob "$P_BOB" "$work/batch" >"$work/o5" 2>&1 || fail "sftp: $(cat "$work/o5")"
pw_ssh alice "$P_ALICE2" 'pki list' >"$work/o6" 2>&1 || fail "the changed password: $(cat "$work/o6")"
for i in 1 2 3; do
	"$mmp" --root "$root" -c "pki inspect locked$i.key" | grep -q 'not password-protected\|unlocked\|RSA' ||
		fail "locked$i.key was not unlocked"
done
stop_sshd

# every byte of every file under the root and the home, and the server log
"$mmp" --root "$root" -c 'audit 10000' >"$work/audit.txt"
found=0
for s in $secrets; do
	hits=$(grep -rlaF -- "$s" "$root" "$HOME" "$work/sshd.log" "$work/audit.txt" 2>/dev/null)
	if [ -n "$hits" ]; then
		echo "FAIL: the secret $s is in: $hits"
		found=1
	fi
done
[ $found -eq 0 ] || fail "secrets were written down"
n=$(find "$root" "$HOME" -type f | wc -l)
grep -q 'turn credentials turnuser \*\*\* example.com' "$work/audit.txt" ||
	fail "the audit log lacks the masked turn credentials line"
grep -q 'turn credentials turnuser example.com \[ok\]' "$work/audit.txt" ||
	fail "the audit log lacks the 2-word turn credentials line"
want=$(printf %s "turnuser:example.com:$P_TURN2" | openssl md5 | sed 's/.*= //')
[ "$(sqlite3 "$root/mmp.db" "SELECT value FROM settings WHERE key = 'turn.key_md5'")" = "$want" ] ||
	fail "turn.key_md5 is not the key of the asked TURN password"
echo "secrets: ok ($(echo "$secrets" | wc -w) secrets, $n files and the server log, none found)"
