#!/usr/bin/env bash
# A failure on one node of three (issue 13): n2's Web Bridge 3 full chain is
# in the wrong order (the issuing CA first, then the leaf, then the root).
# mmp_certs fails on n2 only, its task result carries mmp's check code
# (chain.order), message and remedy, and n2 keeps its settings; n1 and n3
# complete every task. Read through the json stdout callback.
# Usage: bash tests/ansible/failures.sh <mmp-sshd> <mmp>
port_base=25300
source "$(dirname "$0")/common.bash"

step "three nodes"
start_nodes
step "the collection: build, install"
install_collection
example
# n2's full chain: issuing CA, leaf, root
f=$ex/files/n2/wb3-https-fullchain.crt
awk -v d="$work/part" '/-----BEGIN/ { n++ } { print > (d n) }' "$f"
[ -f "$work/part3" ] && [ ! -f "$work/part4" ] || fail "the example's full chain is not three certificates"
cat "$work/part2" "$work/part1" "$work/part3" >"$f"
cat >"$ex/wrong-chain.yml" <<'EOF'
---
- name: Web Bridge 3 HTTPS certificates on every node
  hosts: mmp
  gather_facts: false
  tasks:
    - name: Upload the key
      mmp.mmp.mmp_file:
        src: "{{ inventory_hostname }}/{{ wb3_https_key }}"
      no_log: true
    - name: Upload the full chain
      mmp.mmp.mmp_file:
        src: "{{ inventory_hostname }}/{{ wb3_https_crt }}"
    - name: Web Bridge 3 HTTPS certificates
      mmp.mmp.mmp_certs:
        service: webbridge3_https
        key: "{{ wb3_https_key }}"
        cert: "{{ wb3_https_crt }}"
    - name: Read the settings
      mmp.mmp.mmp_command:
        commands: webbridge3
        output: json
EOF

step "the playbook"
ANSIBLE_STDOUT_CALLBACK=json play "$work/run.json" wrong-chain.yml && fail "the playbook succeeded: $(tail -n 40 "$work/run.json")"
python3 - "$work/run.json" <<'PY' || fail "the json callback's answer: $(head -c 6000 "$work/run.json")"
import json, sys
text = open(sys.argv[1]).read()
doc = json.loads(text[text.index("{"):])  # warnings may come before the document
stats = doc["stats"]
for n in ("n1", "n3"):
    s = stats[n]
    assert s["failures"] == 0 and s["unreachable"] == 0 and s["ok"] == 4, (n, s)
assert stats["n2"]["failures"] == 1 and stats["n2"]["ok"] == 2, stats["n2"]
tasks = doc["plays"][0]["tasks"]
names = [t["task"]["name"] for t in tasks]
assert names == ["Upload the key", "Upload the full chain", "Web Bridge 3 HTTPS certificates",
                 "Read the settings"], names
certs = tasks[2]["hosts"]
for n in ("n1", "n3"):
    assert not certs[n].get("failed") and certs[n]["changed"], (n, certs[n])
r = certs["n2"]
assert r["failed"] and not r.get("changed"), r
codes = [c["code"] for c in r["checks"] if c["severity"] == "failure"]
assert "chain.order" in codes, codes
c = [c for c in r["checks"] if c["code"] == "chain.order"][0]
want = ("wb3-https-fullchain.crt is in the wrong order: the leaf (CN = join.n2.example.com) is "
        "certificate 2; a full chain is the leaf first, then each issuer, the root last "
        "(guide section 1.2.4, Appendix D.1)")
assert c["message"] == want, c
assert c["remedy"] == "put its certificates in the order 2, 1, 3", c
assert c["file"] == "wb3-https-fullchain.crt" and c["certificate"] == 2, c
assert "chain.order" in r["msg"] and want in r["msg"], r["msg"]
assert "n2" not in tasks[3]["hosts"], tasks[3]["hosts"].keys()
for n in ("n1", "n3"):
    https = tasks[3]["hosts"][n]["json"][0]["result"]["https"]
    assert (https["key"], https["cert"]) == ("wb3-https.key", "wb3-https-fullchain.crt"), (n, https)
PY
# n2 keeps its settings; the others use the pair
out=$(mmp_local n2 -c 'webbridge3 | json')
python3 -c 'import json,sys; h=json.loads(sys.argv[1])["result"]["https"]; assert h["key"] is None and h["cert"] is None, h' "$out" ||
	fail "n2's Web Bridge 3 HTTPS certificates changed: $out"
step "done"
