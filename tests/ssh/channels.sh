#!/usr/bin/env bash
# A few session channels on one connection (issue 13): a shell on a pty and
# SFTP side by side, as Ansible's network_cli (paramiko: invoke_shell, then
# open_sftp on the same transport) and an OpenSSH ControlMaster open them.
#   §1 paramiko: the shell waits at its prompt while SFTP on a second
#      channel uploads a certificate; the shell then lists it, and an exec
#      channel beside the shell runs a command.
#   §2 channels_per_connection (4): a fifth channel open at once is refused
#      ("administratively prohibited"), logged; once one closes, another opens,
#      also while a channel waits for input inside a command (script mode).
#   §3 OpenSSH multiplexing: a master connection running a command, and
#      `ssh -S` / `sftp -o ControlPath` through it.
# Usage: bash tests/ssh/channels.sh <mmp-sshd> <mmp>
source "$(dirname "$0")/common.bash"
# paramiko is Debian's (python3-paramiko): the system python, whatever is first on PATH
py=/usr/bin/python3
"$py" -c 'import paramiko' 2>/dev/null || fail "python3-paramiko is not installed (scripts/dev test installs it)"

add_user cara crypto "pw-of-cara"
ssh-keygen -q -t ed25519 -N '' -f "$work/k-cara" || fail ssh-keygen
cp "$work/k-cara.pub" "$root/files/cara.pub"
printf 'pki selfsigned ca CN:"Test CA"\n' | "$mmp" --root "$work/scratch" >/dev/null 2>&1 ||
	fail "making a certificate"
cp "$work/scratch/files/ca.crt" "$work/up.crt"
start_sshd

"$py" - "$port" "$work" >"$work/p.out" 2>"$work/p.err" <<'PY' || fail "paramiko: $(cat "$work/p.out" "$work/p.err")"
import sys, time, paramiko
port, work = int(sys.argv[1]), sys.argv[2]

def connect():
    c = paramiko.SSHClient()
    c.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    c.connect("127.0.0.1", port=port, username="cara", key_filename=work + "/k-cara",
              look_for_keys=False, allow_agent=False, timeout=30)
    return c

def read_until(ch, end, limit=30):
    buf, t = b"", time.time() + limit
    while not buf.endswith(end):
        if time.time() > t:
            raise SystemExit("no %r after %r" % (end, buf))
        if ch.recv_ready():
            buf += ch.recv(4096)
        else:
            time.sleep(0.02)
    return buf.decode()

# §1 the shell, then SFTP and exec on the same transport
c = connect()
t = c.get_transport()
sh = c.invoke_shell(width=200)
read_until(sh, b"mmp> ")
sftp = c.open_sftp()
sftp.put(work + "/up.crt", "up.crt")          # paramiko stats it afterwards
print("sftp", sorted(sftp.listdir(".")))
sftp.close()
sh.send("pki list\r")
out = read_until(sh, b"mmp> ")
print("shell", "up.crt" in out)
ex = t.open_session()
ex.exec_command("pki inspect up.crt")
print("exec", ex.recv_exit_status(), ex.makefile().read().decode().splitlines()[0])
print("transport", t.is_active())

# §2 four at once: the shell and three SFTP; the fifth is refused
s = [c.open_sftp() for _ in range(3)]
try:
    c.open_sftp()
    print("fifth opened")
except paramiko.ChannelException as e:
    print("fifth refused", e.code, e.text)
for x in s:
    x.listdir(".")      # each still serves
s[0].close()
time.sleep(0.5)
again = c.open_sftp()
print("after a close", "up.crt" in again.listdir("."))
for x in s[1:] + [again]:
    x.close()
sh.send("pki list\r")
print("shell still", "up.crt" in read_until(sh, b"mmp> "))
sh.send("exit\r")
c.close()

# §2 again while a channel waits for input inside a command (a shell
# without a pty, script mode): ended channels give their slots back
c = connect()
t = c.get_transport()
script = t.open_session()
script.invoke_shell()
opened = []
for _ in range(6):
    try:
        ex = t.open_session()
        ex.exec_command("hostname")
        ex.makefile().read()
        ex.close()
        opened.append("ok")
    except paramiko.ChannelException:
        opened.append("refused")
    time.sleep(0.3)
print("beside a waiting script", " ".join(opened))
c.close()
PY
want='sftp ['"'"'cara.pub'"'"', '"'"'up.crt'"'"']
shell True
exec 0 up.crt: a certificate (PEM)
transport True
fifth refused 1 Administratively prohibited
after a close True
shell still True
beside a waiting script ok ok ok ok ok ok'
[ "$(cat "$work/p.out")" = "$want" ] || fail "paramiko saw:
$(cat "$work/p.out")
want:
$want"
cmp -s "$work/up.crt" "$root/files/up.crt" || fail "up.crt is not what was uploaded"
grep -q 'cara: a session channel over the limit of 4 open at once (channels_per_connection): refused' "$work/sshd.log" ||
	fail "§2 no log line for the refused channel"
echo "§1 a shell, SFTP and exec on one connection: ok"
echo "§2 a fifth channel at once is refused; after a close one opens: ok"

# §3 OpenSSH multiplexing: the master connection runs a shell in script
# mode (its input a fifo held open here); a command and an SFTP upload go
# through its connection as more channels, then the master's shell ends.
ctl=$work/ctl
mkfifo "$work/in"
exec 7<>"$work/in"
# shellcheck disable=SC2046
ssh $(ssh_opts) -T -o BatchMode=yes -o IdentitiesOnly=yes -i "$work/k-cara" -o ControlMaster=yes \
	-o ControlPath="$ctl" -o ControlPersist=no cara@127.0.0.1 <"$work/in" >"$work/master.out" 2>&1 &
mpid=$!
for _ in $(seq 1 300); do
	[ -S "$ctl" ] && break
	sleep 0.1
done
[ -S "$ctl" ] || fail "§3 the master connection did not start: $(cat "$work/master.out")"
mux=(-F /dev/null -o ControlPath="$ctl" -o LogLevel=ERROR)
timeout 60 ssh "${mux[@]}" -p "$port" cara@127.0.0.1 'pki inspect up.crt' >"$work/m1.out" 2>&1 ||
	fail "§3 ssh through the master: $(cat "$work/m1.out")"
[ "$(head -n 1 "$work/m1.out")" = "up.crt: a certificate (PEM)" ] || fail "§3 ssh -S said: $(cat "$work/m1.out")"
cp "$work/up.crt" "$work/up2.crt"
printf 'put %s up2.crt\nls\n' "$work/up2.crt" >"$work/batch"
timeout 60 sftp "${mux[@]}" -P "$port" -b "$work/batch" cara@127.0.0.1 >"$work/m2.out" 2>&1 ||
	fail "§3 sftp through the master: $(cat "$work/m2.out")"
cmp -s "$work/up.crt" "$root/files/up2.crt" || fail "§3 up2.crt is not what was uploaded: $(cat "$work/m2.out")"
echo 'pki list' >&7
echo 'exit' >&7
exec 7>&-
for _ in $(seq 1 300); do
	kill -0 "$mpid" 2>/dev/null || break
	sleep 0.1
done
if kill -0 "$mpid" 2>/dev/null; then
	kill "$mpid"
	fail "§3 the master did not end: $(cat "$work/master.out")"
fi
grep -qx 'up2.crt' "$work/master.out" || fail "§3 the master's shell: $(cat "$work/master.out")"
[ "$(grep -c 'another session channel' "$work/sshd.log")" -ge 8 ] || fail "§3 the log counts $(grep -c 'another session channel' "$work/sshd.log") channels beside a first"
echo "§3 ssh -S and sftp through an OpenSSH master connection: ok"
