# -*- coding: utf-8 -*-
# Copyright: the mmp project. Apache License 2.0 (see LICENSE)
"""Terminal plugin for mmp's interactive shell (the MMP) over network_cli."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = """
author: mmp project
name: mmp
short_description: Terminal plugin for the mmp shell (Meeting Server MMP)
description:
  - The prompt is C(<hostname>> ) (letters, digits and C(-)); a failing command
    prints lines that start with C(FAILURE:). mmp has no pager.
  - On opening the shell the plugin widens the pseudo-terminal (an SSH
    window-change to 999 columns) so that long command lines are not wrapped in
    the echo and long answer lines are not folded.
version_added: 1.0.0
"""

import re

from ansible.errors import AnsibleConnectionFailure
from ansible_collections.ansible.netcommon.plugins.plugin_utils.terminal_base import (
    TerminalBase,
)

# mmp-sshd accepts window sizes below 1000 columns
MMP_COLUMNS = 999
MMP_ROWS = 200


class TerminalModule(TerminalBase):

    terminal_stdout_re = [re.compile(rb"(?:\A|[\r\n])[A-Za-z0-9][A-Za-z0-9-]*> $")]

    terminal_stderr_re = [re.compile(rb"^FAILURE:", re.M)]

    # colour and cursor sequences (mmp prints none on a plain terminal, but a
    # libedit build may), plus the base plugin's
    ansi_re = TerminalBase.ansi_re + [
        re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]"),
        re.compile(rb"\x1b[=>]"),
    ]

    terminal_initial_prompt = None
    terminal_initial_answer = None

    def on_open_shell(self):
        shell = getattr(self._connection, "_ssh_shell", None)
        resize = getattr(shell, "resize_pty", None)
        if resize is None:
            return
        try:
            resize(width=MMP_COLUMNS, height=MMP_ROWS)
            # libedit reads the new width when it starts a line: an empty
            # line makes it start the next one after the window change
            self._exec_cli_command(b"")
        except AnsibleConnectionFailure:
            raise AnsibleConnectionFailure("unable to widen the terminal")
