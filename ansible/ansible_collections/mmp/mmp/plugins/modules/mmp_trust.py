#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: the mmp project. Apache License 2.0 (see LICENSE)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: mmp_trust
author: mmp project
short_description: Set the bundle a Meeting Server service trusts
description:
  - Sets or removes a trust store of an mmp node with mmp's C(trust)
    commands. They are the Call Bridge's trust of the Web Bridge 3 C2W certificates
    (Appendix D.2) and of its cluster peers (guide 4.9), Web Bridge 3's trust
    of the Call Bridges' C2W client certificates (Appendix D.1 step 8), and the
    SIP and LDAP TLS trust (guide 4.8).
  - Changed only when the setting (read from the service's C(| json) show)
    differs. Check mode runs C(check <command line>).
version_added: 1.0.0
options:
  target:
    description: The trust store.
    type: str
    required: true
    choices: [callbridge_c2w, callbridge_cluster, webbridge3_c2w, tls_sip, tls_ldap]
  bundle:
    description: The bundle file in the store (upload it with M(mmp.mmp.mmp_file)). Required with state present.
    type: str
  state:
    description: C(present) sets the bundle; C(absent) removes the trust store (C(... trust none)).
    type: str
    choices: [present, absent]
    default: present
notes:
  - Supports check mode and diff.
"""

EXAMPLES = r"""
- name: Web Bridge 3 trusts the Call Bridges' C2W certificates (Appendix D.1 step 8)
  mmp.mmp.mmp_trust:
    target: webbridge3_c2w
    bundle: callbridge-c2w-trust.crt

- name: The Call Bridge trusts the Web Bridge 3 C2W certificate (Appendix D.2)
  mmp.mmp.mmp_trust:
    target: callbridge_c2w
    bundle: webbridge3-c2w-trust.crt
"""

RETURN = r"""
commands:
  description: The mmp command lines run (or, in check mode, that would run).
  returned: always
  type: list
  elements: str
before:
  description: The trust setting before (C(bundle), null when not set).
  returned: always
  type: dict
after:
  description: The trust setting after (in check mode, what it would be).
  returned: always
  type: dict
checks:
  description: mmp's checks of the trust command.
  returned: always
  type: list
  elements: dict
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.mmp.mmp.plugins.module_utils.mmp import (
    MmpError,
    apply_setting,
    check_name,
    fail_mmp,
    show,
)

TARGETS = {
    "callbridge_c2w": ("callbridge", "trust.c2w", "callbridge trust c2w"),
    "callbridge_cluster": ("callbridge", "trust.cluster", "callbridge trust cluster"),
    "webbridge3_c2w": ("webbridge3", "c2w.trust", "webbridge3 c2w trust"),
    "tls_sip": ("tls sip", "trust", "tls sip trust"),
    "tls_ldap": ("tls ldap", "trust", "tls ldap trust"),
}


def main():
    module = AnsibleModule(
        argument_spec=dict(
            target=dict(type="str", required=True, choices=list(TARGETS)),
            bundle=dict(type="str"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        required_if=[("state", "present", ("bundle",))],
        supports_check_mode=True,
    )
    p = module.params
    show_line, path, trust_line = TARGETS[p["target"]]
    result = dict(changed=False)
    if p["bundle"] is not None:
        check_name(module, p["bundle"], "bundle")
    try:
        before = show(module, show_line, {"bundle": path})
    except MmpError as e:
        fail_mmp(module, e, **result)
    if p["state"] == "absent":
        after = {"bundle": None}
        line = trust_line + " none"
    else:
        after = {"bundle": p["bundle"]}
        line = trust_line + " " + p["bundle"]
    apply_setting(module, result, before, after, [line], line)
    try:
        result["after"] = show(module, show_line, {"bundle": path})
    except MmpError as e:
        fail_mmp(module, e, **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
