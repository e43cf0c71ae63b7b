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
    conn = get_connection(module)
    try:
        text = conn.get(command=line, output="json")
    except ConnectionError as e:
        module.fail_json(msg="%s: %s" % (line, to_text(e, errors="surrogate_then_replace")))
    try:
        return json.loads(text)
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
