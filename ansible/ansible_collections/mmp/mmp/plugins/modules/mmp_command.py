#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: the mmp project. Apache License 2.0 (see LICENSE)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: mmp_command
author: mmp project
short_description: Run mmp command lines on a node and read their answers
description:
  - Runs each line of I(commands) in the node's mmp shell over the persistent
    C(ansible.netcommon.network_cli) connection and returns what it printed.
  - With I(output=json) each line is run with C(| json) and the parsed answers
    are returned in C(json); a failing answer fails the task with mmp's check
    codes, messages and remedies.
  - The module does not tell whether a command changed anything; it always
    reports C(changed=false), as the other platforms' command modules do.
    Use M(mmp.mmp.mmp_file), M(mmp.mmp.mmp_certs) and M(mmp.mmp.mmp_trust)
    for settings.
version_added: 1.0.0
options:
  commands:
    description:
      - The mmp command lines, run in order. Stops at the first that fails.
    type: list
    elements: str
    required: true
  output:
    description:
      - C(text) returns what the shell printed; C(json) appends C(| json) to
        each line (unless it ends so already) and returns the parsed answers.
    type: str
    choices: [text, json]
    default: text
  wait_for:
    description:
      - Conditions on the answers (C(result[0].ok eq true) with I(output=json),
        C(result[0] contains mmp) with text) that must hold; the commands are run
        again, I(retries) times, I(interval) seconds apart, until they do.
    type: list
    elements: str
    aliases: [waitfor]
  match:
    description: Whether C(all) or C(any) of the I(wait_for) conditions must hold.
    type: str
    choices: [all, any]
    default: all
  retries:
    description: How many times the commands are run again while I(wait_for) does not hold.
    type: int
    default: 10
  interval:
    description: Seconds between the tries.
    type: int
    default: 1
notes:
  - Check mode runs each line as C(check <line>), which mmp answers without
    applying anything (a read-only command answers as usual). A line that mmp
    cannot check (it writes files or asks questions, for example C(pki csr)) is
    skipped with a warning.
  - Commands that ask questions (C(user add), C(passwd)) cannot be run by this
    module.
"""

EXAMPLES = r"""
- name: Verify the Call Bridge chain (guide 4.3)
  mmp.mmp.mmp_command:
    commands:
      - pki verify callbridge.crt callbridge-bundle.crt
    output: json

- name: Restart the Call Bridge
  mmp.mmp.mmp_command:
    commands: callbridge restart

- name: What the store holds, as text
  mmp.mmp.mmp_command:
    commands: pki list
  register: store
"""

RETURN = r"""
stdout:
  description: What each command printed (with I(output=json), its JSON answer line).
  returned: always
  type: list
  elements: str
stdout_lines:
  description: The same, each split into lines.
  returned: always
  type: list
  elements: list
json:
  description:
    - The parsed answers (C(command), C(ok), C(result), C(checks), C(dry_run) under check).
    - In check mode a line mmp cannot check is skipped; its C(stdout) entry is empty and its
      C(json) entry null.
  returned: when output is json
  type: list
  elements: dict
checks:
  description: The checks of the command that failed (code, severity, file, certificate, message, remedy).
  returned: failed, with output json
  type: list
  elements: dict
failed_conditions:
  description: The I(wait_for) conditions that never held.
  returned: failed
  type: list
  elements: str
"""

import time

from ansible.module_utils._text import to_text
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.connection import ConnectionError
from ansible_collections.ansible.netcommon.plugins.module_utils.network.common.parsing import (
    Conditional,
)
from ansible_collections.mmp.mmp.plugins.module_utils.mmp import (
    check_messages,
    get_connection,
    run_json_line,
)

JSON_TAIL = "| json"


def strip_json(line):
    line = line.strip()
    if line.endswith(JSON_TAIL):
        return line[: -len(JSON_TAIL)].rstrip()
    return line


def is_check(line):
    return line.split(None, 1)[0:1] == ["check"]


def failure_lines(text):
    lines = [ln for ln in text.splitlines() if ln.startswith("FAILURE:")]
    return "\n".join(lines) if lines else text


def run_all(module, commands, output, result):
    """Run the lines; (stdout list, parsed answers or None). Fails the
    module at the first failing line."""
    conn = get_connection(module)
    stdout = []
    answers = [] if output == "json" else None
    for raw in commands:
        line = strip_json(raw)
        if module.check_mode and not is_check(line):
            probe, probe_text = run_json_line(module, "check " + line)
            if not probe.get("ok") and any(
                    c.get("code") == "shell.check_refused" for c in probe.get("checks", [])):
                result["warnings"].append(
                    "check mode: %r skipped: %s" % (line, "; ".join(check_messages(probe))))
                # keep stdout[i] and json[i] for commands[i]
                stdout.append("")
                if answers is not None:
                    answers.append(None)
                continue
            line = "check " + line
            if output == "json":
                answer = probe
                stdout.append(probe_text)
                answers.append(answer)
                if not answer.get("ok"):
                    break_fail(module, result, stdout, answers, answer)
                continue
        if output == "json":
            answer, text = run_json_line(module, line)
            stdout.append(text)
            answers.append(answer)
            if not answer.get("ok"):
                break_fail(module, result, stdout, answers, answer)
        else:
            try:
                out = conn.get(command=line)
            except ConnectionError as e:
                result.update(stdout=stdout, stdout_lines=[s.splitlines() for s in stdout])
                module.fail_json(
                    msg="%s: %s" % (line, failure_lines(to_text(e, errors="surrogate_then_replace"))),
                    **result)
            stdout.append(to_text(out, errors="surrogate_then_replace"))
    return stdout, answers


def break_fail(module, result, stdout, answers, answer):
    result.update(stdout=stdout, stdout_lines=[s.splitlines() for s in stdout],
                  json=answers, checks=answer.get("checks", []))
    module.fail_json(msg="; ".join(check_messages(answer)), **result)


def main():
    argument_spec = dict(
        commands=dict(type="list", elements="str", required=True),
        output=dict(type="str", choices=["text", "json"], default="text"),
        wait_for=dict(type="list", elements="str", aliases=["waitfor"]),
        match=dict(type="str", choices=["all", "any"], default="all"),
        retries=dict(type="int", default=10),
        interval=dict(type="int", default=1),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    result = {"changed": False, "warnings": []}
    output = module.params["output"]
    commands = [c for c in module.params["commands"] if c.strip()]
    try:
        conditionals = [Conditional(c) for c in module.params["wait_for"] or []]
    except (AttributeError, ValueError) as exc:
        module.fail_json(msg=to_text(exc))
    retries = module.params["retries"]
    match = module.params["match"]
    while True:
        stdout, answers = run_all(module, commands, output, result)
        responses = answers if output == "json" else stdout
        for item in list(conditionals):
            if item(responses):
                if match == "any":
                    conditionals = []
                    break
                conditionals.remove(item)
        if not conditionals or retries <= 0:
            break
        time.sleep(module.params["interval"])
        retries -= 1
    result.update(stdout=stdout, stdout_lines=[s.splitlines() for s in stdout])
    if output == "json":
        result["json"] = answers
    if conditionals:
        module.fail_json(msg="One or more conditional statements have not been satisfied",
                         failed_conditions=[c.raw for c in conditionals], **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
