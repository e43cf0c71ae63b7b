#!/usr/bin/env bash
# facts-cache.sh (issue 14): <root>/facts.db keeps what pki expiry, pki
# list and the metrics need of each file, and is never believed over the
# file itself: a certificate rewritten in place with the same size and the
# old modification time is read again (its change time moved); a removed
# file leaves the cache; a damaged cache is made again; what an actor may
# not read (an audit user and a private key) is not kept for the others.
# Usage: bash tests/oracle/facts-cache.sh <path-to-mmp>
set -euo pipefail
mmp=$1
export LC_ALL=C TZ=UTC
fail() {
	echo "facts-cache: FAILED: $*" >&2
	exit 1
}
w=$(mktemp -d "${TMPDIR:-/tmp}/mmp-facts.XXXXXX")
trap 'rm -rf "$w"' EXIT
root=$w/node
mkdir -p "$root/files"
# two RSA certificates of the same size: same key size, name length,
# serial length and date format; they end 100 and 50 days from now
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$w/a.key" -out "$w/a.crt" -subj /CN=a.example.com \
	-days 100 -set_serial 0x1111 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$w/b.key" -out "$w/b.crt" -subj /CN=b.example.com \
	-days 50 -set_serial 0x2222 2>/dev/null
[ "$(stat -c %s "$w/a.crt")" = "$(stat -c %s "$w/b.crt")" ] || fail "the two certificates differ in size"
cp "$w/a.crt" "$root/files/x.crt"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes-128-cbc -pass pass:x \
	-out "$root/files/locked.key" 2>/dev/null
cp "$w/b.crt" "$root/files/gone.crt"

line() { "$mmp" --root "$root" "$@" -c 'pki expiry' | grep ' x.crt certificate 1' || true; }
# an audit user first: it may not read a private key; its pki list must not
# teach the cache that locked.key is unknown
"$mmp" --root "$root" --role audit -c 'pki list' >"$w/audit.out" || fail "pki list as audit: $(cat "$w/audit.out")"
"$mmp" --root "$root" -c 'pki list' >"$w/list.out"
grep -qx 'locked.key (locked)' "$w/list.out" || fail "after an audit user's pki list, admin sees: $(cat "$w/list.out")"
[ -f "$root/facts.db" ] || fail "no facts.db was made"
[ "$(sqlite3 "$root/facts.db" "SELECT count(*) FROM files")" = 3 ] || fail "facts.db does not hold the 3 files"

case $(line) in *"expires in 100 days"*"(CN = a.example.com)"*) ;; *) fail "before: $(line)" ;; esac
# rewritten in place, same size, the old modification time put back
mtime=$(stat -c %y "$root/files/x.crt")
ino=$(stat -c %i "$root/files/x.crt")
sleep 0.05
cat "$w/b.crt" >"$root/files/x.crt"
touch -d "$mtime" "$root/files/x.crt"
[ "$(stat -c %i:%s:%y "$root/files/x.crt")" = "$ino:$(stat -c %s "$w/a.crt"):$mtime" ] || fail "the rewrite changed more than the contents"
case $(line) in *"expires in 50 days"*"(CN = b.example.com)"*) ;; *) fail "after an in-place rewrite: $(line)" ;; esac

# a removed file leaves the cache
rm "$root/files/gone.crt"
"$mmp" --root "$root" -c 'pki list' >/dev/null
[ "$(sqlite3 "$root/facts.db" "SELECT count(*) FROM files WHERE name = 'gone.crt'")" = 0 ] || fail "gone.crt stayed in facts.db"
[ "$(sqlite3 "$root/facts.db" "SELECT count(*) FROM certs WHERE name = 'gone.crt'")" = 0 ] || fail "gone.crt's certificates stayed in facts.db"

# a damaged cache: the answer is the same, the cache is made again
head -c 8192 /dev/urandom >"$root/facts.db"
rm -f "$root/facts.db-wal" "$root/facts.db-shm"
case $(line) in *"expires in 50 days"*"(CN = b.example.com)"*) ;; *) fail "with a damaged facts.db: $(line)" ;; esac
[ "$(sqlite3 "$root/facts.db" "SELECT count(*) FROM files")" = 2 ] || fail "facts.db was not made again"
# a cache row that lies about a file is caught by the row's count check
sqlite3 "$root/facts.db" "UPDATE files SET ncerts = 5 WHERE name = 'x.crt'"
case $(line) in *"expires in 50 days"*"(CN = b.example.com)"*) ;; *) fail "with a cache row that lies: $(line)" ;; esac
# facts.db is the node's: mode 0600 like every file mmp makes
[ "$(stat -c %a "$root/facts.db")" = 600 ] || fail "facts.db has mode $(stat -c %a "$root/facts.db")"
echo "facts-cache: ok"
