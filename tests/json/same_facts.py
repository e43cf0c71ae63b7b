#!/usr/bin/env python3
"""The same facts in both forms (issue 12): for the guide's walkthrough
transcripts, each command runs twice on identical roots, as text and with
"| json"; every scalar of the JSON "result" (strings and integers; booleans
are skipped) and every check's message and remedy must appear in that
command's text output.

usage: same_facts.py MMP TABDUMP [TRANSCRIPT...]  (default: the walkthroughs)

Times: JSON has RFC 3339 UTC (2026-12-02T13:53:15Z), text the form pki
inspect prints (2026-12-02 13:53:15 UTC); the value must appear in that
form. A command that writes files makes its keys and certificates anew in
each run, so for it a time is compared by its date and a serial or a
fingerprint (hex pairs with colons) by its shape, the rest exactly.
Prints every value that is not in the text and exits 1 if any."""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TRANSCRIPTS = os.path.join(os.path.dirname(HERE), "transcripts")
DATA = os.path.join(os.path.dirname(HERE), "data")

# The walkthroughs of the vendor guide (CMS 3.8 certificate guidelines):
# chapter 3.1 and 6 (pki csr, selfsigned, match), chapter 4 (each service's
# certs: 4.4 Call Bridge, 4.6 TURN, 4.7 MeetingApps, 4.8 SIP/LDAP TLS),
# 3.1.4 (database cluster), Appendix D (Web Bridge 3, C2W trust) and
# pki inspect / sign of what was made (inspect-made).
WALKTHROUGHS = ["guide-3-1-onecert", "guide-4-4-callbridge", "guide-6-selfsigned",
                "guide-d2-callbridge", "turn-4-6", "meetingapps-4-7", "tls-4-8",
                "wb3-appendix-d1", "dbcluster-3-1-4", "inspect-made"]

RFC3339 = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})Z$")
HEXPAIRS = re.compile(r"^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})+$")


def scalars(v, where="result"):
    """(where, value) of every string and integer in v."""
    if isinstance(v, dict):
        for k, x in v.items():
            yield from scalars(x, f"{where}.{k}")
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from scalars(x, f"{where}[{i}]")
    elif isinstance(v, bool) or v is None:
        return
    elif isinstance(v, (int, str)):
        yield where, v


SAN_TYPE = re.compile(r"^(DNS|IP|email|URI|RID|DirName|otherName):(.+)$")


def shown(value, text, writes):
    """Does the text output show value? The text is the command's output
    and the line the user typed (an argument is a fact the user sees).
    Two forms differ by design: an identifier of JSON ("private_key") is
    the text's words ("private key"), and a subjectAltName entry is
    Ansible's "IP:192.0.2.7" where OpenSSL's text says "IP Address:...",
    so the value after the type is what must be there."""
    if isinstance(value, int):
        return re.search(r"(?<![0-9])%d(?![0-9])" % value, text) is not None
    m = RFC3339.match(value)
    if m:
        if writes:
            return m.group(1) in text
        return f"{m.group(1)} {m.group(2)} UTC" in text
    if writes and HEXPAIRS.match(value):
        return re.search(r"(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{2}:){%d}[0-9A-Fa-f]{2}(?![0-9A-Fa-f:])"
                         % value.count(":"), text) is not None
    if value in text:
        return True
    if re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", value):
        return value.replace("_", " ") in text.lower()
    m = SAN_TYPE.match(value)
    return m is not None and m.group(2) in text


def lookup(table, words):
    """The entries on the longest path of the table that starts words."""
    for i in range(len(words), 0, -1):
        es = [e for e in table if e["path"] == " ".join(words[:i])]
        if es:
            return es
    return []


def units(table, lines):
    """The transcript as (command line, its answer lines, does it write
    files): a command that asks (CMD_ASKS) takes the lines after it."""
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        i += 1
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            words = line.split()
        if not words:
            continue
        es = lookup(table, words)
        # the entry the arguments fit (turn credentials with the password
        # on the line asks nothing); none fits: the one script mode found
        used = len(es[0]["path"].split()) if es else 0
        nargs = len(words) - used
        fit = [e for e in es if e["min"] <= nargs and (e["max"] < 0 or nargs <= e["max"])]
        n = max([e["asks"] for e in (fit or es)] or [0])
        writes = any(e["flags"] & 1 for e in es)  # CMD_W_FILES
        out.append((line, lines[i:i + n], writes))
        i += n
    return out


def run(mmp, root, opts, text, strict):
    env = dict(os.environ, LC_ALL="C", TZ="UTC")
    if strict:
        env["MMP_STRICT_JSON"] = "1"
    # @ROOT@ in a transcript's .opts: the node root (tests/run-transcript.sh)
    return subprocess.run([mmp, "--root", root] + [o.replace("@ROOT@", root) for o in opts],
                          input=text.encode(), env=env,
                          capture_output=True, timeout=300)


def main():
    mmp = sys.argv[1]
    table = json.loads(subprocess.run([sys.argv[2]], capture_output=True,
                                      check=True).stdout)["commands"]
    missing = aborted = values = 0
    for name in sys.argv[3:] or WALKTHROUGHS:
        base = os.path.join(TRANSCRIPTS, name)
        opts = open(base + ".opts").read().split() if os.path.exists(base + ".opts") else []
        root = tempfile.mkdtemp(prefix="mmp-facts.")
        try:
            os.makedirs(os.path.join(root, "files"))
            if os.path.exists(base + ".setup"):
                env = dict(os.environ, ROOT=root, FILES=os.path.join(root, "files"), DATA=DATA,
                           LC_ALL="C", TZ="UTC", MMP=mmp)
                subprocess.run(["bash", "-e", base + ".setup"], env=env, check=True,
                               capture_output=True, timeout=300)
            for line, answers, writes in units(table, open(base + ".cmd").read().splitlines()):
                twin = root + ".json"
                shutil.copytree(root, twin, symlinks=True)
                try:
                    rt = run(mmp, root, opts, "\n".join([line] + answers) + "\n", False)
                    rj = run(mmp, twin, opts, "\n".join([line + " | json"] + answers) + "\n", True)
                finally:
                    shutil.rmtree(twin, ignore_errors=True)
                text = line + "\n" + rt.stdout.decode(errors="replace")
                where = f"{name}: {line}"
                if rj.returncode < 0:
                    aborted += 1
                    err = rj.stderr.decode(errors="replace").strip().splitlines() or [""]
                    why = next((l for l in err if "wrote text in JSON mode" in l), err[-1])
                    print(f"{where}: no JSON form (mmp died: {why[:160]})")
                    continue
                objs = []
                for l in rj.stdout.decode(errors="replace").splitlines():
                    try:
                        o = json.loads(l)
                    except ValueError:
                        print(f"{where}: not JSON: {l[:160]}")
                        missing += 1
                        continue
                    if isinstance(o, dict) and o.get("command") is not None:
                        objs.append(o)
                if len(objs) != 1:
                    print(f"{where}: {len(objs)} answers, not 1")
                    missing += 1
                    continue
                o = objs[0]
                facts = list(scalars(o.get("result")))
                for i, c in enumerate(o.get("checks") or []):
                    for k in ("message", "remedy"):
                        if isinstance(c.get(k), str):
                            facts.append((f"checks[{i}].{k}", c[k]))
                for path, v in facts:
                    # a certificate's position is the order in which the
                    # text shows the certificates, not a number it prints
                    # (a run whose serial and fingerprint held no "1" failed)
                    if path.endswith(".position"):
                        continue
                    values += 1
                    if not shown(v, text, writes):
                        missing += 1
                        print(f"{where}: {path} = {json.dumps(v)[:200]} is not in the text output")
        finally:
            shutil.rmtree(root, ignore_errors=True)
    print(f"{values} values compared; {missing} not in the text; "
          f"{aborted} commands without a JSON form")
    return 1 if missing or aborted else 0


if __name__ == "__main__":
    sys.exit(main())
