# -*- coding: utf-8 -*-
# Copyright: the mmp project. Apache License 2.0 (see LICENSE)
"""Cliconf plugin for mmp (Meeting Server MMP) over network_cli."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = """
author: mmp project
name: mmp
short_description: Cliconf plugin for the mmp shell (Meeting Server MMP)
description:
  - Runs mmp command lines on the persistent network_cli connection.
    With C(output=json) the plugin appends C(| json) to the line and returns
    the one JSON answer line mmp prints.
  - C(upload) copies a local file into the node's file store over SFTP, opened
    as a second channel on the persistent connection's own SSH transport (no
    second login).
version_added: 1.0.0
"""

import json
import re

from ansible.errors import AnsibleConnectionFailure
from ansible.module_utils._text import to_text
from ansible.module_utils.common._collections_compat import Mapping
from ansible_collections.ansible.netcommon.plugins.module_utils.network.common.utils import (
    to_list,
)
from ansible_collections.ansible.netcommon.plugins.plugin_utils.cliconf_base import (
    CliconfBase,
)

JSON_SUFFIX_RE = re.compile(r"\|\s*json\s*$")


def json_answer(response):
    """The JSON answer line of an mmp response (the last line that is one
    JSON object with a "command" member), as text; raise if there is none."""
    text = to_text(response, errors="surrogate_then_replace")
    for line in reversed(text.splitlines()):
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if isinstance(obj, dict) and "command" in obj and "ok" in obj:
            return line
    raise AnsibleConnectionFailure("no JSON answer in the response: %s" % text)


def _sftp_reason(err):
    """The server's words in a paramiko SFTP error, without '[Errno 13] '."""
    return to_text(getattr(err, "strerror", None) or err)


class Cliconf(CliconfBase):

    __rpc__ = CliconfBase.__rpc__ + [
        "get_device_info",
        "run_commands",
        "get_device_operations",
        "get_option_values",
        "upload",
    ]

    def get_device_info(self):
        device_info = {"network_os": "mmp"}
        reply = json.loads(json_answer(self.send_command("hostname | json")))
        if reply.get("ok"):
            device_info["network_os_hostname"] = reply["result"].get("hostname")
        # mmp's `version` command (the SSH identification string hides the
        # version on purpose); a node without it answers ok: false.
        device_info["network_os_version"] = None
        reply = json.loads(json_answer(self.send_command("version | json")))
        if reply.get("ok") and isinstance(reply.get("result"), dict):
            device_info["network_os_version"] = reply["result"].get("version")
        return device_info

    def get_config(self, source="running", flags=None, format=None):
        """The settings of every service, as mmp's JSON answers, one per line."""
        lines = []
        for cmd in ("hostname", "callbridge", "webbridge3", "turn", "meetingapps",
                    "tls sip", "tls ldap", "database cluster status"):
            lines.append(json_answer(self.send_command(cmd + " | json")))
        return "\n".join(lines)

    def edit_config(self, candidate=None, commit=True, replace=None, comment=None):
        """Run each line of candidate; mmp applies each command at once."""
        resp = {}
        results = []
        requests = []
        for line in to_list(candidate):
            if not isinstance(line, Mapping):
                line = {"command": line}
            cmd = line["command"]
            if commit:
                results.append(self.send_command(**line))
            else:
                results.append(self.send_command(command="check " + cmd))
            requests.append(cmd)
        resp["request"] = requests
        resp["response"] = results
        return resp

    def get(self, command=None, prompt=None, answer=None, sendonly=False,
            newline=True, output=None, check_all=False):
        if not command:
            raise ValueError("must provide value of command to execute")
        if output not in (None, "text", "json"):
            raise ValueError("'output' value %s is not supported for get" % output)
        if output == "json" and not JSON_SUFFIX_RE.search(command):
            command = command.rstrip() + " | json"
        resp = self.send_command(command=command, prompt=prompt, answer=answer,
                                 sendonly=sendonly, newline=newline, check_all=check_all)
        if output == "json" and not sendonly:
            return json_answer(resp)
        return resp

    def run_commands(self, commands=None, check_rc=True):
        if commands is None:
            raise ValueError("'commands' value is required")
        responses = []
        for cmd in to_list(commands):
            if not isinstance(cmd, Mapping):
                cmd = {"command": cmd}
            output = cmd.pop("output", None)
            try:
                out = self.get(output=output, **cmd)
            except AnsibleConnectionFailure as e:
                if check_rc:
                    raise
                out = getattr(e, "err", e)
            responses.append(to_text(out, errors="surrogate_or_strict"))
        return responses

    def get_device_operations(self):
        return {
            "supports_diff_replace": False,
            "supports_commit": False,
            "supports_rollback": False,
            "supports_defaults": False,
            "supports_onbox_diff": False,
            "supports_commit_comment": False,
            "supports_multiline_delimiter": False,
            "supports_diff_match": False,
            "supports_diff_ignore_lines": False,
            "supports_generate_diff": False,
            "supports_replace": False,
        }

    def get_option_values(self):
        return {
            "format": ["text", "json"],
            "diff_match": [],
            "diff_replace": [],
            "output": ["text", "json"],
        }

    def get_capabilities(self):
        result = super(Cliconf, self).get_capabilities()
        result["rpc"] = self.get_base_rpc()
        result["device_info"] = self.get_device_info()
        result["device_operations"] = self.get_device_operations()
        result.update(self.get_option_values())
        return json.dumps(result)

    def _sftp(self):
        conn = self._connection
        if getattr(conn, "ssh_type", "paramiko") != "paramiko":
            raise AnsibleConnectionFailure(
                "mmp.mmp upload needs ansible_network_cli_ssh_type: paramiko")
        client = conn.ssh_type_conn.ssh
        return client.open_sftp()

    def upload(self, source=None, destination=None, force=False):
        """Copy the local file source to destination in the node's file
        store over SFTP on this connection's own SSH transport. With force,
        remove destination first (mmp never lets an upload replace a private
        key). Returns {"destination", "size"}."""
        if not source or not destination:
            raise ValueError("upload needs a source and a destination")
        try:
            sftp = self._sftp()
        except AnsibleConnectionFailure:
            raise
        except Exception as e:  # paramiko's ChannelException: the channel was refused
            raise AnsibleConnectionFailure(
                "SFTP on the connection: the server refused a second channel (%s); mmp-sshd "
                "serves SFTP beside the shell on one connection since 'mmp-sshd: a few "
                "channels per connection'" % to_text(e))
        try:
            if force:
                try:
                    sftp.remove(destination)
                except IOError as e:
                    if getattr(e, "errno", None) != 2:  # no such file is fine
                        raise AnsibleConnectionFailure(
                            "%s: not removed: %s" % (destination, _sftp_reason(e)))
            try:
                attrs = sftp.put(source, destination, confirm=True)
            except IOError as e:
                raise AnsibleConnectionFailure(
                    "%s: not uploaded: %s" % (destination, _sftp_reason(e)))
            return {"destination": destination, "size": attrs.st_size}
        finally:
            sftp.close()
