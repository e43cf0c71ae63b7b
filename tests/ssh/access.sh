#!/usr/bin/env bash
# The access table over SFTP and the shell (issue 10 item 1): a raw SFTP
# client (rawsftp.py, packets written byte by byte) sends every read-like
# and write-like request (OPEN for read, OPEN for write of a new and of an
# existing file, RENAME and posix-rename from and to, REMOVE, SETSTAT,
# hardlink, symlink) for every kind of file (private key as .key, .pem and
# .der, PKCS#12, a PKCS#12 under .pub, a login key .pub, certificate, CSR)
# as every role, and each answer is compared with the table written out
# again below; then what each refused request left is checked on disk, and
# each role runs the shell's commands on each kind over SSH exec.
# Usage: bash tests/ssh/access.sh <mmp-sshd> <mmp>
source "$(dirname "$0")/common.bash"
data=$(cd "$(dirname "$0")/../data/inputs" && pwd)
py=$(python3 -c 'import sys; print(sys.executable)')
raw=("$py" "$(dirname "$0")/rawsftp.py")

roles="admin crypto audit"
for r in $roles appadmin api; do
	add_user "u$r" "$r" "pw-of-u$r"
	ssh-keygen -q -t ed25519 -N '' -f "$work/k-$r" || fail ssh-keygen
	cp "$work/k-$r.pub" "$root/files/u$r.pub"
done
start_sshd

# the kinds: name in the store, fixture, kinds (P plain, S secret, L login)
kinds="k.key:server.key:S k.pem:server.key:S k.der:server-key.der:S p.p12:p12-ec.pfx:S
q.pub:p12-ec.pfx:SL zed.pub:id-ed25519.pub:PL c.crt:server.crt:P r.csr:server-req.csr:P"

# The table of docs/SECURITY.md, again: the kinds each role may ... to.
allowed() { # ROLE OP -> kinds
	case $1:$2 in
	admin:*) echo PSL ;;
	crypto:read) echo PSL ;;
	crypto:*) echo PS ;;
	audit:read) echo PL ;;
	*) echo "" ;;
	esac
}
# may ROLE do OP to a file of KINDS? 0 yes
may() {
	local a k
	a=$(allowed "$1" "$2")
	[ -n "$a" ] || return 1
	for k in $(echo "$3" | grep -o .); do
		case $a in *"$k"*) ;; *) return 1 ;; esac
	done
}

l=$work/local
mkdir -p "$l"
expect=$work/expect
: >"$expect"
reqs=()
for r in $roles; do
	reqs=()
	: >"$work/want-$r"
	for spec in $kinds; do
		IFS=: read -r name fix k <<<"$spec"
		base=${name/./-} ext=${name##*.}
		cp "$data/$fix" "$l/$name"
		cp "$data/$fix" "$root/files/$name"
		for pre in rp mf mt pt rm; do
			src=$pre-$r-$base.$ext
			[ "$pre" = mt ] || [ "$pre" = pt ] && src=$pre-$r-$base.crt
			cp "$data/$fix" "$root/files/$src"
		done
		w() { echo "$1 $2" >>"$work/want-$r"; reqs+=("$1"); }
		# OPEN for read: the bytes leave mmp
		may "$r" read "$k" && w "get:$name" OK || w "get:$name" PERMISSION_DENIED
		# OPEN for write of a new name
		may "$r" create "$k" && w "put:cr-$r-$base.$ext:$l/$name" OK ||
			w "put:cr-$r-$base.$ext:$l/$name" PERMISSION_DENIED
		# OPEN for write over an existing file: a secret is never replaced
		# over SFTP (SPEC section 4), whoever asks
		if ! may "$r" replace "$k"; then
			w "put:rp-$r-$base.$ext:$l/$name" PERMISSION_DENIED
		elif [[ $k == *S* ]]; then
			w "put:rp-$r-$base.$ext:$l/$name" FAILURE
		else
			w "put:rp-$r-$base.$ext:$l/$name" OK
		fi
		# RENAME from (to a plain name), RENAME and posix-rename to
		may "$r" renamefrom "$k" && w "rename:mf-$r-$base.$ext:mfx-$r-$base.crt" OK ||
			w "rename:mf-$r-$base.$ext:mfx-$r-$base.crt" PERMISSION_DENIED
		may "$r" renameto "$k" && w "rename:mt-$r-$base.crt:mtx-$r-$base.$ext" OK ||
			w "rename:mt-$r-$base.crt:mtx-$r-$base.$ext" PERMISSION_DENIED
		may "$r" renameto "$k" && w "posix-rename:pt-$r-$base.crt:ptx-$r-$base.$ext" OK ||
			w "posix-rename:pt-$r-$base.crt:ptx-$r-$base.$ext" PERMISSION_DENIED
		# REMOVE
		may "$r" remove "$k" && w "remove:rm-$r-$base.$ext" OK || w "remove:rm-$r-$base.$ext" PERMISSION_DENIED
		# never, for anyone: modes, hard and symbolic links
		w "setstat:$name" PERMISSION_DENIED
		w "hardlink:$name:hl-$r-$base.$ext" PERMISSION_DENIED
		w "symlink:$name:sl-$r-$base.$ext" PERMISSION_DENIED
	done
	out=$(timeout 120 "${raw[@]}" --port "$port" --user "u$r" --key "$work/k-$r" "${reqs[@]}") ||
		fail "rawsftp as $r: $out"
	got=$(echo "$out" | awk '{print $1, $2}')
	if [ "$got" != "$(cat "$work/want-$r")" ]; then
		diff <(cat "$work/want-$r") <(echo "$got")
		echo "$out" | grep -v ' OK'
		fail "the $r role's SFTP answers differ from the table (above: want < > got)"
	fi
	n=$(wc -l <"$work/want-$r")
	echo "$r: $n SFTP requests answered as the table says"
done

# what the refused requests left: the sources are there, the targets not
for r in $roles; do
	while read -r req st; do
		[ "$st" = OK ] && continue
		IFS=: read -r op a b _ <<<"$req"
		case $op in
		put) [ "${a#cr-}" != "$a" ] && [ -e "$root/files/$a" ] && fail "refused $req made $a"
			[ "${a#rp-}" != "$a" ] && { cmp -s "$root/files/$a" "$b" || fail "refused $req changed $a"; } ;;
		rename | posix-rename) [ -e "$root/files/$a" ] && [ ! -e "$root/files/$b" ] || fail "refused $req moved $a" ;;
		remove) [ -e "$root/files/$a" ] || fail "refused $req removed $a" ;;
		hardlink | symlink) [ -e "$root/files/$b" ] && fail "refused $req made $b" ;;
		esac
	done <"$work/want-$r"
done
# and a secret's bytes never reached the audit role: its refusals audited
audit_has 'uaudit@127\.0\.0\.1 sftp: get k\.pem \[refused\]' || fail "the refused download was not audited"

# roles without SFTP: refused at the subsystem request, with an exit
# status and a message on stderr, never bytes in the SFTP stream
for r in appadmin api; do
	out=$(timeout 60 "${raw[@]}" --port "$port" --user "u$r" --key "$work/k-$r" --show-stderr get:c.crt 2>&1)
	[ $? = 2 ] || fail "$r opened an SFTP session: $out"
	batch=$work/b && echo 'ls' >"$batch"
	# shellcheck disable=SC2046
	out=$(sftp $(ssh_opts | sed 's/-p /-P /') -o BatchMode=yes -o IdentitiesOnly=yes -i "$work/k-$r" \
		-b "$batch" "u$r@127.0.0.1" 2>&1) && fail "sftp as $r succeeded: $out"
	echo "$out" | grep -q "FAILURE: the $r role cannot open a shell, run commands or use SFTP" ||
		fail "sftp as $r did not say why: $out"
	echo "$out" | grep -q 'message too long' && fail "sftp as $r: the refusal went into the SFTP stream: $out"
done

# the shell's commands, as each role over SSH exec: pki inspect of every
# kind is a display (allowed: "use"); writing commands as the command
# table and the access table say
for r in $roles; do
	for spec in $kinds; do
		name=${spec%%:*}
		out=$(key_ssh "u$r" "$work/k-$r" "pki inspect $name" 2>&1) || fail "$r: pki inspect $name: $out"
		echo "$out" | grep -q 'BEGIN\|PRIVATE KEY-----' && fail "$r: pki inspect $name showed key material"
	done
done
out=$(key_ssh ucrypto "$work/k-crypto" 'pki csr made-by-crypto CN:x.example.com' 2>&1) || fail "crypto pki csr: $out"
out=$(key_ssh uaudit "$work/k-audit" 'pki csr made-by-audit CN:x.example.com' 2>&1) && fail "audit pki csr: $out"
echo "$out" | grep -q 'FAILURE: pki csr: not allowed for the audit role' || fail "audit pki csr said: $out"
out=$(key_ssh ucrypto "$work/k-crypto" 'pki pkcs12-to-ssh q' 2>&1) && fail "crypto pkcs12-to-ssh: $out"
echo "$out" | grep -q 'not allowed for the crypto role' || fail "crypto pkcs12-to-ssh said: $out"
echo "access: the table holds for 3 roles x 8 kinds x 10 SFTP requests, SFTP refused for 2 roles, shell commands: ok"
