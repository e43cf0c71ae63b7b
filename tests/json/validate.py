#!/usr/bin/env python3
"""Validate mmp's JSON answers (JSON Lines on stdin) against docs/schema.json
(made by `mmp --schema`): each line must parse, and match the schema of the
command it answers, found as the longest command path that starts its
"command" field ("" for a line that named no command).

usage: validate.py SCHEMA.json < answers.jsonl
Prints one line per answer that fails, and exits 1 if any did."""
import json
import sys

import jsonschema


def answer_path(cmds, obj):
    """The command path an answer is about: the longest path of cmds that
    starts its "command" words ("check" put aside), "" when none does;
    "?" for words ending in "?", which answer as help."""
    words = (obj.get("command") or "").split()
    if words[:1] == ["check"]:
        words = words[1:]
    if len(words) > 1 and words[-1] == "?" and "?" in cmds:
        return "?"  # "pki verify ?" answers as help pki verify does
    for i in range(len(words), 0, -1):
        if " ".join(words[:i]) in cmds:
            return " ".join(words[:i])
    return ""


def problem(doc, obj):
    """(path, None) when obj is a valid answer, else (path, what is wrong)."""
    path = answer_path(doc["commands"], obj)
    schema = dict(doc["commands"][path])
    schema["$defs"] = doc["$defs"]
    try:
        jsonschema.validate(obj, schema, cls=jsonschema.Draft202012Validator)
    except jsonschema.ValidationError as e:
        where = "/".join(str(p) for p in e.absolute_path)
        return path, f"{where}: {e.message[:300]}"
    return path, None


def main():
    doc = json.load(open(sys.argv[1]))
    bad = 0
    n = 0
    for lineno, line in enumerate(sys.stdin, 1):
        n += 1
        try:
            obj = json.loads(line)
        except ValueError as e:
            print(f"line {lineno}: not JSON ({e}): {line.rstrip()[:200]}")
            bad += 1
            continue
        if not isinstance(obj, dict):
            print(f"line {lineno}: not a JSON object: {line.rstrip()[:200]}")
            bad += 1
            continue
        path, why = problem(doc, obj)
        if why is not None:
            print(f"line {lineno}: {path or '(no command)'}: {why}")
            bad += 1
    print(f"{n} answers, {bad} invalid", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
