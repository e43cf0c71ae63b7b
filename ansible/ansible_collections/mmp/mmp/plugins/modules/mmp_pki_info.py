#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: the mmp project. Apache License 2.0 (see LICENSE)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: mmp_pki_info
author: mmp project
short_description: Every file of an mmp node's store, what it is and who uses it
description:
  - Lists the node's file store (C(pki list)) and, for each file, which
    services use it, its SHA-256 and size (C(pki checksum)) and what
    C(pki inspect) says of it (kind, description, certificates with their
    subjects, issuers, validity and allowed uses).
  - Reads only; never changes anything.
version_added: 1.0.0
options: {}
notes:
  - Supports check mode (it runs the same).
"""

EXAMPLES = r"""
- name: What each node holds
  mmp.mmp.mmp_pki_info:
  register: pki

- name: Certificates that expire within 30 days
  ansible.builtin.debug:
    msg: "{{ pki.files | selectattr('kind', 'eq', 'certificate') | map(attribute='name') | list }}"
"""

RETURN = r"""
files:
  description:
    - One entry per file of the store; beside C(name), C(in_use_by), C(sha256) and
      C(size), the fields of the C(pki inspect) result (C(kind), C(description),
      C(also_holds), C(certificates)).
  returned: always
  type: list
  elements: dict
  sample:
    - name: callbridge.crt
      in_use_by: [callbridge]
      sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
      size: 1302
      kind: certificate
      description: a certificate
      also_holds: []
      certificates: []
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.mmp.mmp.plugins.module_utils.mmp import (
    MmpError,
    fail_mmp,
    run_ok,
)


def main():
    module = AnsibleModule(argument_spec={}, supports_check_mode=True)
    result = dict(changed=False, files=[])
    try:
        listing = run_ok(module, "pki list")["result"].get("files", [])
        sums = {}
        if listing:
            answer = run_ok(module, "pki checksum")
            for f in answer["result"].get("files", []):
                sums[f["name"]] = f
        for entry in listing:
            name = entry["name"]
            info = {"name": name, "in_use_by": entry.get("in_use_by", [])}
            info["sha256"] = sums.get(name, {}).get("sha256")
            info["size"] = sums.get(name, {}).get("size")
            inspect = run_ok(module, "pki inspect " + name)["result"]
            for k, v in inspect.items():
                if k != "file":
                    info[k] = v
            result["files"].append(info)
    except MmpError as e:
        fail_mmp(module, e, **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
