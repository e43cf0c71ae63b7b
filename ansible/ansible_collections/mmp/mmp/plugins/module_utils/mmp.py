# -*- coding: utf-8 -*-
# Copyright: the mmp project. Apache License 2.0 (see LICENSE)
"""What the mmp.mmp modules share: the connection, JSON answers, checks."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from ansible.module_utils._text import to_text
from ansible.module_utils.connection import Connection, ConnectionError

# file names in mmp's store: what its shell takes as one plain word
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$")

_CONNECTIONS = {}


class MmpError(Exception):
    """A failed mmp answer: msg for the task, checks (mmp's), answer."""

    def __init__(self, msg, checks=None, answer=None):
        super(MmpError, self).__init__(msg)
        self.msg = msg
        self.checks = checks or []
        self.answer = answer


def get_connection(module):
    key = id(module)
    if key not in _CONNECTIONS:
        _CONNECTIONS[key] = Connection(module._socket_path)
    return _CONNECTIONS[key]


def check_messages(answer):
    """'<command>: <code>: <message>[: <remedy>]' for each failing check."""
    out = []
    for chk in answer.get("checks", []):
        if chk.get("severity") != "failure":
            continue
        msg = "%s: %s: %s" % (answer.get("command"), chk.get("code"), chk.get("message"))
        if chk.get("remedy"):
            msg += ": " + chk["remedy"]
        out.append(msg)
    if not out and not answer.get("ok", False):
        out.append("%s: failed" % answer.get("command"))
    return out


def warnings_of(answer):
    return ["%s: %s: %s" % (answer.get("command"), c.get("code"), c.get("message"))
            for c in answer.get("checks", []) if c.get("severity") == "warning"]


def run_json(module, line):
    """Run one mmp command line with '| json'; the parsed answer (a dict).
    A connection failure fails the module."""
    return run_json_line(module, line)[0]


def run_json_line(module, line):
    """run_json(), and the answer line as mmp printed it."""
    conn = get_connection(module)
    try:
        text = conn.get(command=line, output="json")
    except ConnectionError as e:
        module.fail_json(msg="%s: %s" % (line, to_text(e, errors="surrogate_then_replace")))
    try:
        return json.loads(text), to_text(text)
    except ValueError:
        module.fail_json(msg="%s: not a JSON answer: %s" % (line, text))


def run_ok(module, line):
    """run_json(), raising MmpError when the answer is not ok."""
    answer = run_json(module, line)
    if not answer.get("ok"):
        raise MmpError("; ".join(check_messages(answer)), answer.get("checks"), answer)
    return answer


def fail_mmp(module, err, **result):
    result.update(msg=err.msg, checks=err.checks)
    module.fail_json(**result)


def check_name(module, name, what):
    if not NAME_RE.match(name or ""):
        module.fail_json(msg="%s: %r is not a file name mmp takes (letters, digits, '.', '_', '-', "
                             "at most 64 bytes)" % (what, name))


def checksums(module, names):
    """{name: {"sha256", "size"}} of the store files among names that exist
    (pki checksum)."""
    out = {}
    for name in names:
        answer = run_json(module, "pki checksum " + name)
        if answer.get("ok"):
            for f in answer["result"].get("files", []):
                out[f["name"]] = {"sha256": f.get("sha256"), "size": f.get("size")}
        elif any(c.get("code") == "file.not_found" for c in answer.get("checks", [])):
            continue
        else:
            raise MmpError("; ".join(check_messages(answer)), answer.get("checks"), answer)
    return out


def upload(module, src, dest, force=False):
    conn = get_connection(module)
    try:
        return conn.upload(source=src, destination=dest, force=force)
    except ConnectionError as e:
        raise MmpError(to_text(e, errors="surrogate_then_replace"))


def dig(obj, path):
    """obj["a"]["b"] for path "a.b" (None when absent)."""
    for part in path.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj


def show(module, line, fields):
    """{field: value} read from the JSON answer of show line; fields maps
    a returned name to a path in the answer's result."""
    result = run_ok(module, line)["result"]
    return dict((name, dig(result, path)) for name, path in fields.items())


def as_text(settings):
    return "".join("%s: %s\n" % (k, "" if v is None else v) for k, v in sorted(settings.items()))


def _only_missing_files(answer):
    """A check answer that fails only because files are not in the store
    (yet: check mode does not upload)."""
    fails = [c for c in answer.get("checks", []) if c.get("severity") == "failure"]
    missing = [c for c in fails if c.get("code") == "file.not_found"]
    rest = [c for c in fails if c.get("code") not in ("file.not_found", "certs.not_changed",
                                                       "trust.not_changed")]
    return bool(missing) and not rest


def apply_setting(module, result, before, after, lines, main_line, ignore_in_check=(),
                  undo=()):
    """Make the node's setting go from before to after by running lines
    (main_line among them is the one mmp checks). Fills result (changed,
    commands, before, after, checks, diff) and exits or fails the module.
    When main_line fails, the lines of undo are run (re-enable a service
    disabled for the change)."""
    result.update(before=before, after=after, commands=[], checks=[])
    if before == after:
        module.exit_json(**result)
    result["changed"] = True
    result["commands"] = list(lines)
    if module._diff:
        result["diff"] = dict(before=as_text(before), after=as_text(after))
    try:
        if module.check_mode:
            answer = run_json(module, "check " + main_line)
            result["checks"] = answer.get("checks", [])
            if not answer.get("ok"):
                fails = [c for c in answer["checks"] if c.get("severity") == "failure"
                         and c.get("code") not in ignore_in_check]
                if not fails:
                    result.setdefault("warnings", []).append(
                        "check mode: %s: %s; the run disables the service first, and mmp checks "
                        "the files then" % (main_line, "; ".join(
                            c.get("message") for c in answer["checks"]
                            if c.get("code") in ignore_in_check)))
                elif _only_missing_files(answer):
                    result.setdefault("warnings", []).append(
                        "check mode: %s: files not in the store yet (no upload is done in check "
                        "mode), so mmp's checks were not run: %s" % (
                            main_line, "; ".join(c.get("message") for c in fails
                                                 if c.get("code") == "file.not_found")))
                else:
                    result.update(changed=False, after=before)
                    result.pop("diff", None)
                    raise MmpError("; ".join(check_messages(answer)), answer.get("checks"), answer)
            for w in warnings_of(answer):
                result.setdefault("warnings", []).append(w)
            module.exit_json(**result)
        for line in lines:
            answer = run_json(module, line)
            if line == main_line:
                result["checks"] = answer.get("checks", [])
            if not answer.get("ok"):
                if line == main_line:
                    # mmp refused: nothing of the setting changed
                    ran = result["commands"][:result["commands"].index(line) + 1]
                    for u in undo:
                        run_json(module, u)
                        ran.append(u)
                    result.update(commands=ran, changed=bool(undo), after=before)
                    result.pop("diff", None)
                raise MmpError("; ".join(check_messages(answer)), answer.get("checks"), answer)
    except MmpError as e:
        fail_mmp(module, e, **result)
    return result
