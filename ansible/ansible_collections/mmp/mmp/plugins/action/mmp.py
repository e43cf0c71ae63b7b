# -*- coding: utf-8 -*-
# Copyright: the mmp project. Apache License 2.0 (see LICENSE)
"""Action plugin for the mmp.mmp modules: they run on the controller and use
the persistent network_cli connection of the host."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleError
from ansible.module_utils._text import to_text
from ansible_collections.ansible.netcommon.plugins.action.network import (
    ActionModule as ActionNetworkModule,
)


class ActionModule(ActionNetworkModule):
    def run(self, tmp=None, task_vars=None):
        del tmp  # tmp no longer has any effect

        module_name = self._task.action.split(".")[-1]
        self._config_module = False
        connection = self._play_context.connection.split(".")[-1]
        if connection != "network_cli":
            return {
                "failed": True,
                "msg": "Connection type %s is not valid for %s: use ansible.netcommon.network_cli"
                % (self._play_context.connection, module_name),
            }

        if module_name == "mmp_file":
            # a relative src is looked for as the copy module does: the
            # role's or the playbook's files/ directory, then as given
            src = self._task.args.get("src")
            if src:
                try:
                    self._task.args["src"] = self._find_needle("files", src)
                except AnsibleError as e:
                    return {"failed": True, "msg": to_text(e)}

        return super(ActionModule, self).run(task_vars=task_vars)
