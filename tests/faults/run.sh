#!/usr/bin/env bash
# Fault injection (issue 5 point 3): run each command below on a copy of a
# prepared root with the Nth I/O operation, then the Nth allocation, failing
# (MMP_FAULT=io:N / alloc:N, include/mmp/fault.h; needs the fault build,
# cmake -DMMP_FAULTS=ON -DMMP_SANITIZE=ON). For every N: mmp exits 0 or 1
# within the timeout, with nothing on stderr but the fault build's own
# "mmp-fault:" lines (so no sanitizer report); a failing run printed a
# FAILURE line that says why, and left the root as it was (names, modes and
# checksums in files/, the settings and users tables, PRAGMA
# integrity_check); a successful run made the command's change; temporary
# files left behind are gone after the next mmp -c 'pki list'.
#
# N runs 1, 2, 3, ... until a run finishes before the fault fires, up to a
# cap per command (DENSE below; io never reaches it). Past the cap the rest
# is sampled: SPREAD values evenly up to the tail, and the TAIL last
# operations (the writes and the settings), counted back from the total of
# the last run that went through. RSA key generation makes the allocation
# count of pki csr and pki selfsigned vary by a few hundred from run to run,
# so their samples past the cap land near, not on, the operation aimed at.
#
# Two faults of OpenSSL 3.0 itself are told apart, not counted as mmp's:
# leaks when an allocation fails while it fills its name table (lsan.supp),
# and openssl/openssl#27736, a free of a part of the certificate when an
# allocation fails inside X509_sign (counted and shown in the figures).
#
# MMP_FAULTS_SCALE=K multiplies the caps and samples; MMP_FAULTS_ONLY=a,b
# runs only the commands named a and b (first field of the table);
# MMP_FAULTS_MESSAGES=1 lists the FAILURE lines seen, for reading.
#
# usage: run.sh <mmp built with MMP_FAULTS=ON>
set -u
mmp=$1
scale=${MMP_FAULTS_SCALE:-1}
data=${MMP_TESTDATA:-$(cd "$(dirname "$0")/../data" && pwd)}
jobs=${MMP_FAULTS_JOBS:-$(nproc)}
base=/tmp
[ -d /dev/shm ] && [ -w /dev/shm ] && base=/dev/shm # fsync costs nothing there
top=$(mktemp -d "$base/mmp-faults.XXXXXX")
trap 'rm -rf "$top"' EXIT
export LC_ALL=C TZ=UTC ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1 \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	LSAN_OPTIONS=suppressions=$(cd "$(dirname "$0")" && pwd)/lsan.supp:print_suppressions=0
unset MMP_FAULT

if ! MMP_FAULT=count "$mmp" --root "$top/probe" -c 'pki list' 2>&1 >/dev/null | grep -q '^mmp-fault: counted'; then
	echo "FAIL: $mmp is not a fault build (cmake -DMMP_FAULTS=ON)"
	exit 1
fi

# The prepared root, made once by mmp itself: a Call Bridge and a Web
# Bridge 3 that trust each other's CA, for health and pki expiry.
prep=$top/prep
"$mmp" --root "$prep" -e >/dev/null <<'CMDS' || { echo "FAIL: setup"; exit 1; }
pki selfsigned ca
pki csr leaf CN:leaf.example.com
pki csr cb CN:cb.example.com
pki sign cb ca
pki csr wb3 CN:wb3.example.com
pki sign wb3 ca
hostname node1
CMDS
cat "$prep/files/wb3.crt" "$prep/files/ca.crt" >"$prep/files/wb3-fullchain.crt"
"$mmp" --root "$prep" -e >/dev/null <<'CMDS' || { echo "FAIL: setup of the services"; exit 1; }
callbridge certs cb.key cb.crt
callbridge trust c2w ca.crt
webbridge3 c2w certs wb3.key wb3-fullchain.crt
webbridge3 c2w trust ca.crt
CMDS
printf 'alice-pass-1\nalice-pass-1\n' | "$mmp" --root "$prep" -c 'user add alice crypto' >/dev/null ||
	{ echo "FAIL: setup user"; exit 1; }
cp "$data/inputs/locked-pkcs8.key" "$prep/files/locked.key" # password s3cret-pass
chmod 0600 "$prep/files/locked.key"

# name | command | what stdin holds (password, Y) | DENSE SPREAD TAIL | tty:
# run on a terminal (script(1)), where pki csr may replace a key after Y;
# ro: a command that changes nothing of the root (its success leaves it
# as it was; pki expiry's facts cache, mmp.db's neighbour facts.db, is
# not part of it)
commands=(
	"csr|pki csr x CN:x.example.com||25 10 35"
	"selfsigned|pki selfsigned ca2||25 10 35"
	"sign|pki sign leaf ca||80 25 100"
	"unlock|pki unlock locked.key|s3cret-pass|80 25 100"
	"listen|callbridge listen a b||400 0 0"
	"certs|callbridge certs cb.key cb.crt ca.crt||80 25 100"
	"user|user add bob admin|bob-password-1 bob-password-1|400 0 0"
	"hostname|hostname node7||400 0 0"
	"replace|pki csr leaf CN:leaf.example.com|Y|10 0 20|tty"
	"expiry|pki expiry||80 25 100|ro"
	"health|health||80 25 100|ro"
	"renew|pki csr cb2 from:cb.crt||25 10 35"
)
if [ -n "${MMP_FAULTS_ONLY:-}" ]; then
	kept=()
	for entry in "${commands[@]}"; do
		case ",$MMP_FAULTS_ONLY," in *",${entry%%|*},"*) kept+=("$entry") ;; esac
	done
	commands=("${kept[@]}")
fi

# mmp_run NAME ROOT FAULT OUT ERR: run NAME's command; its status.
mmp_run() {
	local cmd
	cmd=$(cat "$top/$1.cmd")
	if [ -e "$top/$1.tty" ]; then
		MMP_FAULT=$3 timeout 60 script -qec "$(printf '%q ' "$mmp" --root "$2" -c "$cmd")2>$(printf '%q' "$5")" \
			/dev/null <"$top/$1.in" | tr -d '\r' >"$4"
		return "${PIPESTATUS[0]}"
	fi
	MMP_FAULT=$3 timeout 60 "$mmp" --root "$2" -c "$cmd" <"$top/$1.in" >"$4" 2>"$5"
}

# state ROOT: what must not change, one line each: the files (not the
# store's own ".tmp-*"), the settings and users tables, the integrity check.
state() {
	(cd "$1/files" && set -- [!.]* && [ -e "$1" ] &&
		paste -d' ' <(stat -c 'file %n %a' -- "$@") <(sha256sum -- "$@" | cut -c1-64))
	sqlite3 "$1/mmp.db" "PRAGMA integrity_check; SELECT 'setting', key, value FROM settings ORDER BY key;
		SELECT 'user', name, role, failed, locked_until, hash FROM users ORDER BY name;" 2>&1
}

# The shape of a successful run: names and modes, settings, users without
# the password hash (fresh salt), and the checksums of files it left alone.
shape() { # STATE CHANGED-NAMES
	awk -v changed=" $2 " '
		$1 == "file" { if (index(changed, " " $2 " ")) $4 = "(new)"; print; next }
		$1 ~ /^user\|/ { n = split($0, f, "|"); f[n] = ""; s = f[1]; for (i = 2; i < n; i++) s = s "|" f[i]; print s; next }
		{ print }' "$1"
}

# Parse what a successful run wrote, with the openssl CLI.
parses() { # FILESDIR NAMES
	local d=$1 f
	shift
	for f in "$@"; do
		case "$f" in
		*.key) openssl pkey -in "$d/$f" -noout 2>/dev/null || return 1 ;;
		*.crt) openssl x509 -in "$d/$f" -noout 2>/dev/null || return 1 ;;
		*.csr) openssl req -in "$d/$f" -noout 2>/dev/null || return 1 ;;
		esac
	done
}

# Reference: each command once without a fault: what it changes.
state "$prep" >"$top/prep.state"
for entry in "${commands[@]}"; do
	IFS='|' read -r name cmd input budget mode <<<"$entry"
	tr ' ' '\n' <<<"$input" >"$top/$name.in"
	echo "$cmd" >"$top/$name.cmd"
	[ "$mode" = tty ] && : >"$top/$name.tty"
	cp -a "$prep" "$top/ref-$name"
	if ! mmp_run "$name" "$top/ref-$name" count "$top/$name.refout" "$top/$name.referr"; then
		echo "FAIL: $cmd fails without a fault:"; cat "$top/$name.refout"; exit 1
	fi
	state "$top/ref-$name" >"$top/$name.state"
	if [ "$mode" = ro ]; then
		cmp -s "$top/$name.state" "$top/prep.state" || { echo "FAIL: $cmd changed the root"; exit 1; }
	else
		cmp -s "$top/$name.state" "$top/prep.state" && { echo "FAIL: $cmd changed nothing"; exit 1; }
	fi
	# the files it made or replaced
	diff <(grep '^file' "$top/prep.state") <(grep '^file' "$top/$name.state") |
		awk '$1 == ">" { print $3 }' | tr '\n' ' ' >"$top/$name.changed"
	shape "$top/$name.state" "$(cat "$top/$name.changed")" >"$top/$name.shape"
	sed -n 's/^mmp-fault: counted io \([0-9]*\), alloc \([0-9]*\)$/\1 \2/p' "$top/$name.referr" >"$top/$name.count"
	rm -rf "$top/ref-$name"
done

# One run: check NAME KIND N -> prints "fired|quiet total", 0 when all holds;
# else writes what broke to the job's log and returns 1.
run_one() {
	local name=$1 kind=$2 n=$3 cmd=$4 w=$5 log=$6 rc fired total why="" out err
	rm -rf "$w"
	cp -a "$prep" "$w"
	out=$w.out
	err=$w.err
	mmp_run "$name" "$w" "$kind:$n" "$out" "$err"
	rc=$?
	if grep -q 'ERROR: LeakSanitizer' "$err"; then # again with stacks lsan.supp can match
		rm -rf "$w"
		cp -a "$prep" "$w"
		ASAN_OPTIONS=$ASAN_OPTIONS:fast_unwind_on_malloc=0 mmp_run "$name" "$w" "$kind:$n" "$out" "$err"
		rc=$?
	fi
	fired=quiet
	grep -qx "mmp-fault: $kind #$n failed" "$err" && fired=fired
	total=$(sed -n "s/^mmp-fault: counted io \([0-9]*\), alloc \([0-9]*\)$/\1 \2/p" "$err")
	[ "$kind" = io ] && total=${total% *} || total=${total#* }
	# OpenSSL 3.0 frees a part of the certificate or CSR when an allocation
	# fails inside X509_sign() or X509_REQ_sign() (openssl/openssl#27736; a
	# caller cannot avoid it): counted and shown apart, but the root must
	# still be whole
	if grep -q "attempting free on address which was not malloc()-ed" "$err" &&
		grep -q " in ASN1_item_sign_ctx " "$err" && state "$w" | cmp -s - "$top/prep.state"; then
		echo "known $rc ${total:-0}"
		return 0
	fi
	if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
		why="exit status $rc (124: hung; above 128: killed by a signal)"
	elif grep -qv '^mmp-fault: ' "$err"; then
		why="printed on stderr"
	elif [ $rc = 1 ] && [ $fired = quiet ]; then
		why="failed without a fault"
	elif [ $rc = 1 ] && ! grep -Eq '^FAILURE: .*[a-z].*: [^ ].{4,}' "$out"; then
		why="failed without a FAILURE line saying why"
	elif [ $rc = 1 ] && ! state "$w" | cmp -s - "$top/prep.state"; then
		why="failed but changed the root: $(state "$w" | diff "$top/prep.state" - | grep '^[<>]' | head -4 | tr '\n' ' ')"
	elif [ $rc = 0 ]; then
		state "$w" >"$w.state"
		if ! shape "$w.state" "$(cat "$top/$name.changed")" | cmp -s - "$top/$name.shape"; then
			why="succeeded but the root is not what the command makes: $(shape "$w.state" "$(cat "$top/$name.changed")" | diff "$top/$name.shape" - | grep '^[<>]' | head -4 | tr '\n' ' ')"
		elif ! parses "$w/files" $(cat "$top/$name.changed"); then
			why="succeeded but a file it wrote does not parse"
		fi
	fi
	if [ -z "$why" ] && compgen -G "$w/files/.tmp-*" >/dev/null; then
		"$mmp" --root "$w" -c 'pki list' >/dev/null 2>&1
		compgen -G "$w/files/.tmp-*" >/dev/null && why="temporary files stay after the next start"
	fi
	if [ $rc = 1 ]; then
		grep '^FAILURE: ' "$out" | head -1 | sed "s/^/$name $kind: /" >>"$log.msgs"
	fi
	echo "$fired $rc ${total:-0}"
	if [ -n "$why" ]; then
		{
			echo "FAIL $name ($cmd) MMP_FAULT=$kind:$n: $why"
			sed 's/^/  out: /' "$out" | head -5
			grep -v '^mmp-fault: counted' "$err" | sed 's/^/  err: /' | head -20
		} >>"$log"
		return 1
	fi
	return 0
}

# One job: every N for one command and one kind. Writes NAME.KIND.fig.
job() { # NAME KIND
	local name=$1 kind=$2 entry cmd input budget dense spread tail n r fired rc total
	local w=$top/w-$name-$kind log=$top/$name.$kind.log runs=0 failed=0 absorbed=0 known=0 last=0 done=0 i
	for entry in "${commands[@]}"; do
		[ "${entry%%|*}" = "$name" ] && IFS='|' read -r name cmd input budget mode <<<"$entry"
	done
	read -r dense spread tail <<<"$budget"
	read -r last_io last_alloc <"$top/$name.count"
	[ "$kind" = io ] && last=$last_io || last=$last_alloc
	[ "$kind" = io ] && { dense=400; spread=0; tail=0; }
	dense=$((dense * scale)); spread=$((spread * scale)); tail=$((tail * scale))
	: >"$log"
	count() { # one run's result line
		read -r fired rc total <<<"$1"
		runs=$((runs + 1))
		[ "$fired" = fired ] && { [ "$rc" = 1 ] && failed=$((failed + 1)) || absorbed=$((absorbed + 1)); }
		[ "$fired" = known ] && known=$((known + 1))
		# the tail is counted back from the end of a run that went through
		[ "$rc" = 0 ] && [ "$total" -gt 0 ] && last=$total
	}
	for n in $(seq 1 "$dense"); do
		r=$(run_one "$name" "$kind" "$n" "$cmd" "$w" "$log")
		count "$r"
		[ "$fired" = quiet ] && { done=1; break; }
	done
	if [ $done = 0 ]; then
		for i in $(seq 1 "$spread"); do # evenly between the cap and the tail
			n=$((dense + (last - tail - dense) * i / (spread + 1)))
			[ "$n" -gt "$dense" ] || continue
			r=$(run_one "$name" "$kind" "$n" "$cmd" "$w" "$log")
			count "$r"
		done
		for i in $(seq 0 $((tail - 1))); do # the last operations
			n=$((last - i))
			[ "$n" -gt "$dense" ] || break
			r=$(run_one "$name" "$kind" "$n" "$cmd" "$w" "$log")
			count "$r"
		done
	fi
	echo "$runs $failed $absorbed $done $dense $last $known" >"$top/$name.$kind.fig"
	rm -rf "$w" "$w".*
}

SECONDS=0
# longest first: allocation runs of the key-generating commands
order=()
for kind in alloc io; do
	for entry in "${commands[@]}"; do
		order+=("${entry%%|*} $kind")
	done
done
running=0
for j in "${order[@]}"; do
	if [ $running -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
	job $j &
	running=$((running + 1))
done
wait

status=0
# Figures: how many N values each command ran with, per kind; of those, how
# many failed cleanly, how many the command absorbed (it still succeeded),
# and how many hit openssl/openssl#27736.
known_all=0
printf '%-38s %-18s %s\n' "command" "io: N values" "alloc: N values"
for entry in "${commands[@]}"; do
	IFS='|' read -r name cmd input budget mode <<<"$entry"
	[ "$mode" = tty ] && cmd="$cmd (Y: replace)"
	line=$(printf '%-38s' "$cmd")
	for kind in io alloc; do
		read -r runs failed absorbed done dense last known <"$top/$name.$kind.fig"
		known_all=$((known_all + known))
		if [ "$done" = 1 ]; then
			fig="$runs (all)"
		else
			fig="$runs of ~$last (1..$dense, then sampled)"
		fi
		fig="$fig: $failed failed, $absorbed absorbed"
		[ "$known" -gt 0 ] && fig="$fig, $known openssl#27736"
		line="$line $(printf '%-18s' "$fig")"
	done
	echo "$line"
done
[ $known_all -gt 0 ] &&
	echo "openssl#27736: $known_all runs crashed inside OpenSSL's X509_sign/X509_REQ_sign after a failed allocation, the root whole"
cat "$top"/*.log
if grep -q . "$top"/*.log; then
	status=1
fi
if [ -n "${MMP_FAULTS_MESSAGES:-}" ]; then
	echo "== the FAILURE lines seen =="
	cat "$top"/*.log.msgs 2>/dev/null | sed -E 's/[0-9]+/N/g' | sort | uniq -c | sort -rn
fi
if [ $status = 0 ]; then
	echo "faults: every run exited 0 or 1, said why it failed, and left the root whole: ok (${SECONDS}s)"
else
	echo "faults: FAIL (${SECONDS}s)"
fi
exit $status
