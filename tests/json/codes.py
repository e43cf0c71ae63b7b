#!/usr/bin/env python3
"""The check codes of mmp's JSON answers, read from the sources (issue 12:
each check has a stable code). Writes the Markdown table of
docs/json-codes.md; with --check, exits 1 when that file is not what this
would write (the docs-reference test).

usage: codes.py SRC_DIR [--check DOC]"""
import collections
import os
import re
import sys

ABOUT = re.compile(r'\bmmp_err_about\(\s*[^,]+,\s*"([a-z0-9_.]+)"', re.S)
CODE = re.compile(r'\breport_code\(\s*[^,]+,\s*"([a-z0-9_.]+)"', re.S)
# a code chosen at run time and kept in a field (src/svc/health.c: o->code = "health.proven")
ASSIGN = re.compile(r'(?:->|\.)code\s*=\s*"([a-z0-9_]+\.[a-z0-9_.]+)"')
BUILTIN = re.compile(r'case MMP_\w+: return "([a-z0-9_]+\.[a-z0-9_.]+)";')
KINDS = {"REPORT_SUCCESS": "success", "REPORT_WARNING": "warning", "REPORT_FAILURE": "failure"}


# Calls that give a check its code: the index of the code argument(s)
# and where its severity comes from (the index of a REPORT_* argument, or
# a fixed severity). Every code-like literal of such an argument counts,
# so "a ? \"x.one\" : \"x.two\"" gives both.
CALLS = {
    "report_check": (1, [2]), "res_check": (1, [2]), "res_session_check": (1, [2]),
    "RCHECK": (1, [2]), "check_at": (1, [2]),
    "pki_err_is": ("failure", [2]),   # an error's code (src/pki: the FAILURE it becomes)
    "report_err": ("warning", [2]),   # src/pki/verify.c: a code when the error has none
    "check_err": ("failure", [2]),    # src/svc/certs.c: the same, as a FAILURE
    "check_set": ("any", [4, 5]),     # src/cli/cmd_webbridge3.c: set / not set
}
CALL_START = re.compile(r'\b(' + '|'.join(CALLS) + r')\(')
LITERAL = re.compile(r'"([a-z0-9_]+\.[a-z0-9_.]+)"')


def call_args(text, at):
    """The top-level arguments of the call whose '(' is at text[at]."""
    args, depth, cur, i, quote = [], 0, [], at + 1, None
    while i < len(text):
        c = text[i]
        if quote:
            cur.append(c)
            if c == "\\":
                cur.append(text[i + 1])
                i += 1
            elif c == quote:
                quote = None
        elif c in "\"'":
            quote = c
            cur.append(c)
        elif c in "([{":
            depth += 1
            cur.append(c)
        elif c in ")]}":
            if depth == 0:
                args.append("".join(cur))
                return args
            depth -= 1
            cur.append(c)
        elif c == "," and depth == 0:
            args.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    return args


def collect(src):
    codes = collections.defaultdict(lambda: (set(), set()))
    for root, _, files in os.walk(src):
        for name in sorted(files):
            if not name.endswith(".c"):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, os.path.dirname(src.rstrip("/")))
            text = open(path, encoding="utf-8").read()
            for m in CALL_START.finditer(text):
                if re.match(r'\s*(struct|const|enum|void|int)\b', text[m.end():]):
                    continue  # the definition or a declaration, not a call
                sev, where = CALLS[m.group(1)]
                args = call_args(text, m.end() - 1)
                if isinstance(sev, int):  # REPORT_X, or a choice of them
                    sevs = {KINDS[w] for w in re.findall(r'REPORT_[A-Z]+', args[sev]) if w in KINDS} \
                        if sev < len(args) else set()
                else:
                    sevs = {sev}
                for k in where:
                    for code in LITERAL.findall(args[k]) if k < len(args) else []:
                        codes[code][0].update(sevs or {"any"})
                        codes[code][1].add(rel)
            for code in ASSIGN.findall(text):
                codes[code][0].add("any")
                codes[code][1].add(rel)
            for code in ABOUT.findall(text) + CODE.findall(text):
                codes[code][0].add("failure" if code in ABOUT.findall(text) else "any")
                codes[code][1].add(rel)
            if name == "err.c":
                for code in BUILTIN.findall(text):
                    codes[code][0].add("failure")
                    codes[code][1].add(rel + " (from the error's kind)")
    return codes


def render(codes):
    out = ["# Check codes", "",
           "Every check in a JSON answer has a stable `code` (docs/json.md). This list is",
           "made from the sources by `tests/json/codes.py src > docs/json-codes.md`; do not",
           "edit it by hand. `internal.text_only` never appears in a release: it marks a",
           "command that wrote text without its JSON form. A code carried by an error is",
           "listed as a failure; a command that reports that error as a warning says so.", "",
           "| code | severity | made in |", "|---|---|---|"]
    for code in sorted(codes):
        kinds, where = codes[code]
        out.append(f"| `{code}` | {', '.join(sorted(kinds))} | {', '.join(sorted(where))} |")
    return "\n".join(out) + "\n"


def main():
    text = render(collect(sys.argv[1]))
    if len(sys.argv) > 3 and sys.argv[2] == "--check":
        if open(sys.argv[3], encoding="utf-8").read() != text:
            print(f"{sys.argv[3]} is stale: run tests/json/codes.py src > {sys.argv[3]}")
            return 1
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
