#!/usr/bin/env bash
# Ansible bench (issue 13): the example playbook (ansible/examples/site.yml,
# the guide's chapter 4 and Appendix D) on three fresh mmp-sshd nodes, beside
# the same work as a shell loop of ssh/sftp commands, node after node (one
# sftp batch of the seven uploads, then one ssh per mmp command, as an admin
# pastes the guide). Prints wall seconds and seconds per node; the Ansible
# lines also for the second (nothing to change) and the --check --diff runs.
# Usage: bench/ansible.sh [RUNS [BUILD_DIR]]   (3 runs; builds build-bench/,
# RelWithDebInfo, unless given a build directory that holds mmp and mmp-sshd)
set -uo pipefail
cd "$(dirname "$0")/.."
top=$PWD
runs=${1:-3}
bin=${2:-}
if [ -z "$bin" ]; then
	bin=build-bench
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build build-bench -j"$(nproc)" --target mmp mmp-sshd >/dev/null
fi
bin=$(cd "$bin" && pwd)
port_base=25600
source "$top/tests/ansible/common.bash" "$bin/mmp-sshd" "$bin/mmp"

now() { echo "$EPOCHREALTIME"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
per() { awk -v s="$1" -v n="$2" 'BEGIN { printf "%.1f", s / n }'; }

install_collection
files=(callbridge.key wb3-https.key wb3-c2w.key callbridge.crt wb3-https-fullchain.crt wb3-c2w-fullchain.crt)

# the shell loop: what site.yml does, without its reads (the loop knows the
# nodes are fresh)
shell_loop() {
	local n f c
	for n in "${nodes[@]}"; do
		{
			for f in "${files[@]}"; do echo "put $ex/files/$n/$f $f"; done
			echo "put $ex/files/ca-bundle.crt ca-bundle.crt"
		} >"$work/batch"
		# shellcheck disable=SC2046
		sftp -q $(ssh_opts "${port[$n]}" | sed 's/-p /-P /') -b "$work/batch" admin@127.0.0.1 >/dev/null || return 1
		for c in "pki match callbridge.key callbridge.crt" "pki verify callbridge.crt ca-bundle.crt" \
			"pki match wb3-https.key wb3-https-fullchain.crt" "pki match wb3-c2w.key wb3-c2w-fullchain.crt" \
			"callbridge listen a" "callbridge certs callbridge.key callbridge.crt ca-bundle.crt" \
			"callbridge trust c2w ca-bundle.crt" "webbridge3 https listen a:443" "webbridge3 c2w listen a:9999" \
			"webbridge3 https certs wb3-https.key wb3-https-fullchain.crt" \
			"webbridge3 c2w certs wb3-c2w.key wb3-c2w-fullchain.crt" "webbridge3 c2w trust ca-bundle.crt" \
			"webbridge3 enable" "callbridge restart" "webbridge3 restart"; do
			# shellcheck disable=SC2046
			ssh $(ssh_opts "${port[$n]}") admin@127.0.0.1 "$c" >/dev/null || return 1
		done
	done
}
ssh_opts() {
	echo "-F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR" \
		"-o BatchMode=yes -o IdentitiesOnly=yes -i $work/admin_ed25519 -p $1"
}

a1=() a2=() a3=() s1=()
for r in $(seq 1 "$runs"); do
	start_nodes "-a$r"
	example # the PKI and an inventory for these ports
	t=$(now); play "$work/a1.out" site.yml || fail "ansible run $r: $(tail -n 30 "$work/a1.out")"; a1+=("$(secs "$t" "$(now)")")
	t=$(now); play "$work/a2.out" site.yml || fail "ansible second run $r"; a2+=("$(secs "$t" "$(now)")")
	t=$(now); play "$work/a3.out" --check --diff site.yml || fail "ansible check run $r"; a3+=("$(secs "$t" "$(now)")")
	stop_nodes
	for p in $(connection_pids); do kill -TERM "$p" 2>/dev/null; done
	start_nodes "-s$r"
	example
	t=$(now); shell_loop || fail "shell loop $r"; s1+=("$(secs "$t" "$(now)")")
	stop_nodes
	echo "run $r: ansible ${a1[-1]} s, again ${a2[-1]} s, check ${a3[-1]} s; shell loop ${s1[-1]} s"
done
m1=$(median "${a1[@]}") m2=$(median "${a2[@]}") m3=$(median "${a3[@]}") ms=$(median "${s1[@]}")
echo
echo "| work, 3 nodes ($(nproc) cores, median of $runs) | wall | per node |"
echo "|---|---|---|"
echo "| ansible-playbook site.yml, fresh nodes | $m1 s | $(per "$m1" 3) s |"
echo "| ansible-playbook site.yml again (changed=0) | $m2 s | $(per "$m2" 3) s |"
echo "| ansible-playbook --check --diff site.yml | $m3 s | $(per "$m3" 3) s |"
echo "| shell loop: sftp batch + one ssh per command, node after node | $ms s | $(per "$ms" 3) s |"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
