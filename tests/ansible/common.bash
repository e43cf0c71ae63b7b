# common.bash: what the Ansible tests (tests/ansible/*.sh) share. Sourced:
#   port_base=25N00; source common.bash <mmp-sshd> <mmp>
# Three mmp nodes n1 n2 n3 (each its own root and mmp-sshd on a loopback port
# from port_base), the mmp.mmp collection built and installed as a user does
# (ansible-galaxy collection build, then install of the tarball into a
# scratch path), the example (ansible/examples/) copied beside it with an
# inventory for these nodes, and Debian's /usr/bin/ansible-playbook.
# Everything started here is stopped at exit (trap).
set -u
sshd=$1
mmp=$2
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export LC_ALL=C.UTF-8 TZ=UTC # ansible refuses any other encoding
work=$(mktemp -d "${TMPDIR:-/tmp}/mmp-ansible.XXXXXX")
nodes=(n1 n2 n3)
declare -A root port spid
port_base=${port_base:-25000}
ex=$work/example        # the example playbook, as users copy it
PASSWORD='n3-Passw0rd-ok' # n3 logs in by password, n1 and n2 by key
t0=$(date +%s)

# ansible's own files, sockets and persistent connections live in $work
export ANSIBLE_HOME=$work/ansible-home ANSIBLE_LOCAL_TEMP=$work/ansible-tmp \
	ANSIBLE_PERSISTENT_CONTROL_PATH_DIR=$work/pc ANSIBLE_SSH_CONTROL_PATH_DIR=$work/cp \
	ANSIBLE_COLLECTIONS_PATH=$work/collections ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 \
	ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_DEPRECATION_WARNINGS=0
unset ANSIBLE_CONFIG ANSIBLE_STDOUT_CALLBACK

# the persistent connections (ansible-connection) this test's playbooks left:
# the processes that hold a socket of $work/pc
connection_pids() {
	local s
	[ -d "$work/pc" ] || return 0
	for s in "$work"/pc/*; do
		[ -S "$s" ] || continue
		ss -xlpn 2>/dev/null | awk -v s="$s" '$5 == s' | grep -o 'pid=[0-9]*' | cut -d= -f2
	done | sort -u
}

cleanup() {
	local st=$? n p
	[ $# -gt 0 ] && st=$1
	for p in $(connection_pids); do kill -TERM "$p" 2>/dev/null; done
	for n in "${nodes[@]}"; do
		p=${spid[$n]:-}
		if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
			kill -TERM "$p" 2>/dev/null
			wait "$p" 2>/dev/null
		fi
		if [ -f "$work/$n.log" ] && grep -qE 'Sanitizer|runtime error:' "$work/$n.log"; then
			echo "FAIL: a sanitizer report in $n's server log:"
			grep -E -A12 'Sanitizer|runtime error:' "$work/$n.log" | head -n 60
			st=1
		fi
	done
	[ "$st" = 0 ] && echo "$(basename "$0" .sh): ok ($(($(date +%s) - t0)) s)"
	rm -rf "$work"
	exit "$st"
}
trap cleanup EXIT

fail() {
	local n
	echo "FAIL: $*"
	for n in "${nodes[@]}"; do
		[ -f "$work/$n.log" ] || continue
		echo "--- $n server log (last lines) ---"
		tail -n 15 "$work/$n.log"
	done
	exit 1
}

# step WHAT: say what the test does next, with the seconds so far
step() { echo "[$(($(date +%s) - t0)) s] $*"; }

# mmp_local NODE ARGS...: the local console of a node
mmp_local() {
	local n=$1
	shift
	"$mmp" --root "${root[$n]}" "$@"
}

# start_nodes [TAG]: roots <node>TAG/root with the user admin (password
# $PASSWORD, and the key $work/admin_ed25519 as admin.pub), hostname <node>,
# mmp-sshd on 127.0.0.1:<port_base + 20 i> (the next port when one is taken).
# The first node makes the host keys; the others get a copy (RSA 3072 is slow
# to make).
start_nodes() {
	local n i=0 k tag=${1:-}
	[ -f "$work/admin_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C admin -f "$work/admin_ed25519" || fail "ssh-keygen"
	for n in "${nodes[@]}"; do
		root[$n]=$work/$n$tag/root
		mkdir -p "${root[$n]}/files"
		printf 'user add admin admin\n%s\n%s\nhostname %s\n' "$PASSWORD" "$PASSWORD" "$n" |
			mmp_local "$n" >"$work/setup.out" 2>&1 || fail "$n: user add, hostname: $(cat "$work/setup.out")"
		cp "$work/admin_ed25519.pub" "${root[$n]}/files/admin.pub"
		[ -d "$work/hostkeys" ] && cp -a "$work/hostkeys" "${root[$n]}/ssh"
		spid[$n]=
		for k in $(seq 0 19); do
			port[$n]=$((port_base + i * 20 + k))
			"$sshd" --root "${root[$n]}" --listen "127.0.0.1:${port[$n]}" --foreground >"$work/$n.log" 2>&1 &
			spid[$n]=$!
			wait_listening "$n" && break
			spid[$n]=
			grep -q 'in use' "$work/$n.log" || fail "$n: mmp-sshd did not start"
		done
		[ -n "${spid[$n]}" ] || fail "$n: no free port from $((port_base + i * 20))"
		[ -d "$work/hostkeys" ] || cp -a "${root[$n]}/ssh" "$work/hostkeys"
		i=$((i + 1))
	done
}

# stop_nodes: SIGTERM to each mmp-sshd, and wait for it
stop_nodes() {
	local n
	for n in "${nodes[@]}"; do
		[ -n "${spid[$n]:-}" ] || continue
		kill -TERM "${spid[$n]}" 2>/dev/null
		wait "${spid[$n]}" 2>/dev/null
		spid[$n]=
	done
}

wait_listening() { # NODE: 0 once it listens, 1 when it exited
	local j
	for j in $(seq 1 600); do
		grep -q "listening on 127\.0\.0\.1:${port[$1]}" "$work/$1.log" && return 0
		kill -0 "${spid[$1]}" 2>/dev/null || {
			wait "${spid[$1]}" 2>/dev/null
			return 1
		}
		sleep 0.1
	done
	fail "$1: mmp-sshd never said it listens"
}

# install_collection: build the tarball and install it as the README says
install_collection() {
	(cd "$work" && ansible-galaxy collection build "$src/ansible/ansible_collections/mmp/mmp" \
		--output-path "$work" >"$work/galaxy.out" 2>&1) || fail "collection build: $(cat "$work/galaxy.out")"
	ansible-galaxy collection install --no-deps "$work"/mmp-mmp-*.tar.gz -p "$work/collections" \
		>"$work/galaxy.out" 2>&1 || fail "collection install: $(cat "$work/galaxy.out")"
	[ -f "$work/collections/ansible_collections/mmp/mmp/MANIFEST.json" ] || fail "collection not installed"
}

# example: the example in $ex, its PKI (make-pki.sh, openssl), and an
# inventory for these nodes: n1 and n2 log in by key, n3 by password
example() {
	rm -rf "$ex"
	cp -r "$src/ansible/examples" "$ex"
	rm -rf "$ex/files"
	(cd "$ex" && bash ./make-pki.sh files "${nodes[@]}" >"$work/pki.out" 2>&1) ||
		fail "make-pki.sh: $(cat "$work/pki.out")"
	cp "$work/admin_ed25519" "$work/admin_ed25519.pub" "$ex/"
	cat >"$ex/inventory.yml" <<EOF
mmp:
  hosts:
    n1:
      ansible_port: ${port[n1]}
      ansible_ssh_private_key_file: "{{ playbook_dir }}/admin_ed25519"
    n2:
      ansible_port: ${port[n2]}
      ansible_ssh_private_key_file: "{{ playbook_dir }}/admin_ed25519"
    n3:
      ansible_port: ${port[n3]}
      ansible_password: "$PASSWORD"
  vars:
    ansible_host: 127.0.0.1
    ansible_user: admin
    ansible_connection: ansible.netcommon.network_cli
    ansible_network_os: mmp.mmp.mmp
    ansible_network_cli_ssh_type: paramiko
    ansible_host_key_checking: false
EOF
	export ANSIBLE_CONFIG=$ex/ansible.cfg
}

# play OUT ARGS...: /usr/bin/ansible-playbook in $ex, its output in OUT; the
# status is the playbook's
play() {
	local out=$1
	shift
	(cd "$ex" && timeout 600 /usr/bin/ansible-playbook -i inventory.yml "$@") >"$out" 2>&1
}

# recap OUT HOST: "ok=N changed=N unreachable=N failed=N skipped=N rescued=N ignored=N"
recap() {
	sed -n "s/^$2 *: \(ok=.*\)/\1/p" "$1" | tr -s ' ' | sed 's/ *$//'
}
recap_field() { # OUT HOST FIELD
	recap "$1" "$2" | tr ' ' '\n' | sed -n "s/^$3=//p"
}

# files_state NODE: every file of the store with its mode and SHA-256
files_state() {
	(cd "${root[$1]}/files" && find . -type f -printf '%P %m\n' | LC_ALL=C sort |
		while read -r f m; do echo "$f $m $(sha256sum <"$f" | cut -d' ' -f1)"; done)
}

# db_state NODE: every table of mmp.db but audit, row for row (sqlite3 in python)
db_state() {
	python3 - "${root[$1]}/mmp.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
tables = [r[0] for r in db.execute(
    "select name from sqlite_master where type='table' order by name")]
for t in tables:
    if t == "audit":  # what the check run may add: compared apart
        continue
    sql = db.execute("select sql from sqlite_master where name=?", (t,)).fetchone()[0]
    print("table", t, sql)
    for row in sorted(db.execute('select * from "%s"' % t.replace('"', '""')).fetchall(), key=repr):
        if t == "sqlite_sequence" and row[0] == "audit":
            continue  # the audit log's next id
        print(" ", repr(row))
PY
}
