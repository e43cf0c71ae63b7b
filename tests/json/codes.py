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

CALL = re.compile(
    r'\b(report_check|res_check|res_session_check|RCHECK)\(\s*[^,]+,\s*([^,]+?),\s*"([a-z0-9_.]+)"', re.S)
ABOUT = re.compile(r'\bmmp_err_about\(\s*[^,]+,\s*"([a-z0-9_.]+)"', re.S)
CODE = re.compile(r'\breport_code\(\s*[^,]+,\s*"([a-z0-9_.]+)"', re.S)
# a code chosen at run time and kept in a field (src/svc/health.c: o->code = "health.proven")
ASSIGN = re.compile(r'(?:->|\.)code\s*=\s*"([a-z0-9_]+\.[a-z0-9_.]+)"')
BUILTIN = re.compile(r'case MMP_\w+: return "([a-z0-9_]+\.[a-z0-9_.]+)";')
KINDS = {"REPORT_SUCCESS": "success", "REPORT_WARNING": "warning", "REPORT_FAILURE": "failure"}


def collect(src):
    codes = collections.defaultdict(lambda: (set(), set()))
    for root, _, files in os.walk(src):
        for name in sorted(files):
            if not name.endswith(".c"):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, os.path.dirname(src.rstrip("/")))
            text = open(path, encoding="utf-8").read()
            for _, kind, code in CALL.findall(text):
                codes[code][0].add(KINDS.get(kind.strip(), "any"))
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
           "command that wrote text without its JSON form.", "",
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
