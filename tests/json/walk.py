#!/usr/bin/env python3
"""The table walk (issue 12): every command of the table answers in JSON,
valid against docs/schema.json, succeeding and failing.

usage: walk.py MMP TABDUMP

- Valid inputs: every transcript of tests/transcripts (its .setup and .opts
  as tests/run-transcript.sh uses them), run again with --json in script mode
  and MMP_STRICT_JSON=1 (a command that still writes text aborts mmp).
- Invalid inputs, made from the table (TABDUMP prints it) for every entry:
  too few and too many arguments, a bad file name and a missing file at each
  file position, and a role that may not run it (--role audit / crypto).
- Asserts: every output line is a JSON object valid for its command; every
  command path answered at least once with "ok": true and once with
  "ok": false; no check is "unclassified" or "internal.text_only"; no
  password or secret argument of a transcript appears in its JSON output;
  each transcript's exit status is that of its text run.
Prints every finding, a count per command family, and exits 1 on any."""
import collections
import concurrent.futures
import json
import os
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
TRANSCRIPTS = os.path.join(TESTS, "transcripts")
DATA = os.path.join(TESTS, "data")
SCHEMA = os.path.join(TESTS, "..", "docs", "schema.json")
sys.path.insert(0, HERE)
import validate  # noqa: E402

BAD_CODES = ("unclassified", "internal.text_only")
CONFIRM = {"y", "yes", "n", "no"}


def family(path):
    return path.split()[0] if path else "(no command)"


class Walk:
    def __init__(self, mmp, table):
        self.mmp = mmp
        self.table = table
        self.doc = json.load(open(SCHEMA))
        self.ok = collections.defaultdict(int)      # path -> answers ok:true
        self.failed = collections.defaultdict(int)  # path -> answers ok:false
        self.findings = []                          # (family, text)
        self.answers = 0

    def find(self, fam, text):
        self.findings.append((fam, text))

    def new_root(self, setup=None):
        root = tempfile.mkdtemp(prefix="mmp-walk.")
        os.makedirs(os.path.join(root, "files"))
        if setup is not None:
            env = dict(os.environ, ROOT=root, FILES=os.path.join(root, "files"), DATA=DATA,
                       LC_ALL="C", TZ="UTC", MMP=self.mmp)
            r = subprocess.run(["bash", "-e", setup], env=env, capture_output=True, timeout=300)
            if r.returncode != 0:
                raise RuntimeError(f"{setup} failed: {r.stderr.decode(errors='replace')}")
        return root

    def run(self, root, opts, text, json_mode):
        env = dict(os.environ, LC_ALL="C", TZ="UTC")
        args = [self.mmp, "--root", root] + opts
        if json_mode:
            args.append("--json")
            env["MMP_STRICT_JSON"] = "1"
        return subprocess.run(args, input=text.encode("utf-8", "surrogateescape"), env=env, capture_output=True,
                              timeout=300)

    def take(self, where, r):
        """Check every line of a JSON run's output; returns the answers."""
        objs = []
        if r.returncode < 0:
            err = r.stderr.decode(errors="replace").strip().splitlines()
            what = next((l for l in err if "wrote text in JSON mode" in l), err[-1] if err else "")
            # "mmp: <command> wrote text in JSON mode: ..."
            cmd = what[5:what.find(" wrote text")] if what.startswith("mmp: ") else ""
            path = validate.answer_path(self.doc["commands"], {"command": cmd})
            self.find(family(path), f"{where}: mmp died (signal {-r.returncode}): {what[:200]}")
        for n, line in enumerate(r.stdout.decode(errors="replace").splitlines(), 1):
            self.answers += 1
            try:
                obj = json.loads(line)
            except ValueError:
                self.find("(output)", f"{where}: output line {n} is not JSON: {line[:200]}")
                continue
            if not isinstance(obj, dict):
                self.find("(output)", f"{where}: output line {n} is not an object: {line[:200]}")
                continue
            path, why = validate.problem(self.doc, obj)
            if why is not None:
                self.find(family(path), f"{where}: {path or '(no command)'}: {why}")
            for c in obj.get("checks") or []:
                if isinstance(c, dict) and c.get("code") in BAD_CODES:
                    self.find(family(path), f"{where}: {path}: check {c.get('code')}: "
                                            f"{str(c.get('message'))[:200]}")
            words = (obj.get("command") or "").split()
            paths = {path}
            if words[:1] == ["check"]:
                paths.add("check")
            for p in paths:
                if obj.get("ok") is True:
                    self.ok[p] += 1
                elif obj.get("ok") is False:
                    self.failed[p] += 1
            objs.append(obj)
        return objs

    # ---- valid inputs: the transcript corpus ----

    def lookup(self, words):
        """The table entries on the longest path that starts words."""
        for i in range(len(words), 0, -1):
            p = " ".join(words[:i])
            es = [e for e in self.table if e["path"] == p]
            if es:
                return i, es
        return 0, []

    def secrets(self, lines, opts):
        """What a transcript must never show in JSON: the answer lines of
        commands that ask (passwords; not a Y/N confirmation) and the
        secret arguments (COMPLETE_SECRET) of the lines that run."""
        out = set()
        secret_kind = self.enums["COMPLETE_SECRET"]
        i = 0
        while i < len(lines):
            try:
                words = shlex.split(lines[i], comments=True)
            except ValueError:
                words = lines[i].split()
            i += 1
            if words[-2:] == ["|", "json"]:
                words = words[:-2]
            checked = words[:1] == ["check"]
            if checked:
                words = words[1:]
            used, es = self.lookup(words)
            if not es:
                continue
            # check refuses a command that asks or writes files: no answers
            if checked and any(e["asks"] or e["flags"] & self.enums["CMD_W_FILES"] for e in es):
                continue
            nargs = len(words) - used
            fit = [e for e in es if e["min"] <= nargs and (e["max"] < 0 or nargs <= e["max"])]
            for e in fit:
                for k in range(nargs):
                    kind = e["complete"][min(k, 2)]
                    if kind == secret_kind:
                        out.add(words[used + k])
            # the entry the arguments fit asks (turn credentials with the
            # password on the line asks nothing); when none fits, script
            # mode still takes the answer lines of the entry it found
            asks = max(e["asks"] for e in (fit or es))
            # passwd <user> by an admin asks the new password twice (2 of 3)
            if es[0]["path"] == "passwd" and nargs == 1 and "--role" not in opts:
                asks = 2
            for line in lines[i:i + asks]:
                if line.strip().lower() not in CONFIRM and line.strip():
                    out.add(line.strip())
            i += asks
        return out

    def transcripts(self):
        names = sorted(f[:-4] for f in os.listdir(TRANSCRIPTS) if f.endswith(".cmd"))
        # two at a time (the setups make keys); findings in name order
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            runs = list(pool.map(self.transcript_runs, names))
        for run in runs:
            self.transcript_verdict(*run)

    def transcript_runs(self, name):
        base = os.path.join(TRANSCRIPTS, name)
        setup = base + ".setup" if os.path.exists(base + ".setup") else None
        opts = open(base + ".opts").read().split() if os.path.exists(base + ".opts") else []
        text = open(base + ".cmd", encoding="utf-8", errors="surrogateescape").read()
        roots = [self.new_root(setup)]
        try:
            # the same fixtures for both runs (a setup may make keys)
            roots.append(roots[0] + ".json")
            subprocess.run(["cp", "-a", roots[0], roots[1]], check=True)
            # @ROOT@ in .opts: the node root, as tests/run-transcript.sh gives it
            rt = self.run(roots[0], [o.replace("@ROOT@", roots[0]) for o in opts], text, False)
            rj = self.run(roots[1], [o.replace("@ROOT@", roots[1]) for o in opts], text, True)
        finally:
            for r in roots:
                subprocess.run(["rm", "-rf", r])
        return name, text, opts, rt, rj

    def transcript_verdict(self, name, text, opts, rt, rj):
        where = f"transcript {name}"
        self.take(where, rj)
        if rj.returncode >= 0 and rj.returncode != rt.returncode:
            self.find("(exit status)", f"{where}: exit status {rj.returncode} with --json, "
                                       f"{rt.returncode} in text")
        out = rj.stdout.decode("utf-8", "surrogateescape")
        shown = rt.stdout.decode("utf-8", "surrogateescape")
        # a secret the text output shows anyway ("x", "password") is a
        # word of the transcript, not a leak of the JSON form
        for s in sorted(self.secrets(text.splitlines(), opts)):
            if s in out and s not in shown:
                self.find("(secrets)", f"{where}: the secret {s!r} is in the JSON output")

    # ---- invalid inputs: made from the table ----

    def invalid_lines(self):
        """(role or None, line, what) for every entry."""
        e_ = self.enums
        file_kinds = {e_["COMPLETE_FILE"], e_["COMPLETE_KEY"], e_["COMPLETE_CERT"]}
        out = []
        for e in self.table:
            p = e["path"]
            if e["min"] > 0:
                out.append((None, " ".join([p] + ["x"] * (e["min"] - 1)), "too few arguments"))
            if e["max"] >= 0:
                out.append((None, " ".join([p] + ["x"] * (e["max"] + 1)), "too many arguments"))
            n = max(e["min"], 1 if e["max"] != 0 else 0)
            for k in range(min(n, 3) if e["max"] != 0 else 0):
                if e["complete"][min(k, 2)] not in file_kinds:
                    continue
                args = ["x.pem"] * max(n, k + 1)
                for bad, what in (("../etc/passwd", "a file name outside the store"),
                                  ("nosuch.crt", "a missing file")):
                    args[k] = bad
                    out.append((None, " ".join([p] + args), f"{what} as argument {k + 1}"))
            args = " ".join(["x"] * e["min"])
            if not e["roles"] & 4:
                out.append(("audit", f"{p} {args}".strip(), "the audit role"))
            elif not e["roles"] & 2:
                out.append(("crypto", f"{p} {args}".strip(), "the crypto role"))
        return out

    def invalid(self):
        """One mmp per role for all its lines (each followed by blank lines:
        the answers of a command that asks); when mmp dies on a line, the
        walk goes on from the next line in a new one."""
        lines = self.invalid_lines()
        for role in sorted({r for r, _, _ in lines}, key=str):
            todo = [(line, what) for r, line, what in lines if r == role]
            opts = ["--role", role] if role else []
            while todo:
                root = self.new_root()
                try:
                    r = self.run(root, opts, "".join(l + "\n\n\n\n" for l, _ in todo), True)
                finally:
                    subprocess.run(["rm", "-rf", root])
                objs = self.take(f"{role or 'admin'} lines", r)
                answered = {o.get("line") for o in objs if isinstance(o.get("line"), int)}
                done = len(todo)
                for i, (line, what) in enumerate(todo):
                    if 1 + 4 * i not in answered:
                        if r.returncode >= 0:
                            self.find(family(line), f"{line!r} ({what}): no answer")
                        done = i + 1
                        break
                todo = todo[done:]

    # ---- the verdict ----

    def cannot_fail(self, path):
        """A path no input makes fail under its own name: every role may
        run it, it takes no arguments, and more words after it are another
        command's start ("tls sip x": an unknown command, whose answer
        shows only the family word, "tls ***"). exit and quit are not such:
        "exit x" fails with too many arguments."""
        es = [e for e in self.table if e["path"] == path]
        longer = any(e["path"].startswith(path + " ") for e in self.table)
        return (len(path.split()) >= 2 and longer and
                all(e["roles"] & 7 == 7 and e["min"] == 0 and e["max"] == 0 for e in es))

    def report(self):
        paths = sorted({e["path"] for e in self.table})
        never_ok = [p for p in paths if not self.ok[p]]
        never_failed = [p for p in paths if not self.failed[p] and not self.cannot_fail(p)]
        for p in never_ok:
            self.find(family(p), f"{p}: never answered with \"ok\": true")
        for p in never_failed:
            self.find(family(p), f"{p}: never answered with \"ok\": false")
        for p in paths:
            if not self.failed[p] and self.cannot_fail(p):
                print(f"note: {p}: not required to answer \"ok\": false (no input can make it "
                      f"fail under its own name)")
        for fam, text in self.findings:
            print(f"[{fam}] {text}")
        counts = collections.Counter(f for f, _ in self.findings)
        print(f"\n{self.answers} answers; {len(paths)} command paths; "
              f"{len(paths) - len(never_ok)} answered ok:true, "
              f"{len(paths) - len(never_failed)} answered ok:false")
        print("findings per family: " +
              (", ".join(f"{f} {n}" for f, n in sorted(counts.items())) or "none"))
        return 1 if self.findings else 0


def main():
    mmp, tabdump = sys.argv[1], sys.argv[2]
    dump = json.loads(subprocess.run([tabdump], capture_output=True, check=True).stdout)
    w = Walk(mmp, dump["commands"])
    w.enums = dump["enums"]
    w.transcripts()
    w.invalid()
    return w.report()


if __name__ == "__main__":
    sys.exit(main())
