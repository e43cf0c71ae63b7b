#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: the mmp project. Apache License 2.0 (see LICENSE)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: mmp_file
author: mmp project
short_description: Upload a key, certificate or bundle into an mmp node's file store
description:
  - Copies the local file I(src) into the node's file store as I(dest), over
    SFTP opened as a second channel on the task's own SSH connection (no
    second login), only when the store holds no file of that name with the
    same SHA-256 (read with C(pki checksum)).
  - Returns what C(pki inspect) says of the file in the store.
  - mmp never lets an upload replace a private key, nor a file a service uses.
    With I(force=true) the old file is removed first (mmp still refuses to
    remove a file in use, and the task fails with mmp's reason). Rotate a
    certificate by uploading it under a new name and pointing the service at
    it (M(mmp.mmp.mmp_certs)).
  - The file's contents are never printed.
version_added: 1.0.0
options:
  src:
    description:
      - The local file. A relative path is looked for in the role's or the
        playbook's C(files/) directory, then as given.
    type: path
    required: true
  dest:
    description:
      - The name in the store (letters, digits, C(.), C(_), C(-); at most 64 bytes).
        Default the base name of I(src).
    type: str
  force:
    description:
      - Replace a file of that name that differs, even a private key (removed first).
    type: bool
    default: false
notes:
  - Needs C(ansible_network_cli_ssh_type=paramiko) (the SFTP channel is opened on paramiko's transport).
  - Supports check mode (nothing is uploaded; C(changed) says whether it would be) and diff
    (the SHA-256 and what C(pki inspect) says, before and after).
"""

EXAMPLES = r"""
- name: Upload the Call Bridge key (never printed; never replaces another key)
  mmp.mmp.mmp_file:
    src: keys/callbridge.key
  no_log: true

- name: Upload the certificate under a dated name
  mmp.mmp.mmp_file:
    src: callbridge.crt
    dest: callbridge-2026.crt
  register: up

- name: Say what it holds
  ansible.builtin.debug:
    msg: "{{ up.inspect.description }}"
"""

RETURN = r"""
dest:
  description: The name in the store.
  returned: always
  type: str
  sample: callbridge.crt
sha256:
  description: The SHA-256 of the local file (lowercase hex), now that of the store's file.
  returned: always
  type: str
size:
  description: The size of the file in bytes.
  returned: always
  type: int
inspect:
  description: The result of C(pki inspect <dest>) (file, kind, description, also_holds,
    certificates); before the upload in check mode.
  returned: always
  type: dict
"""

import hashlib
import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.mmp.mmp.plugins.module_utils.mmp import (
    MmpError,
    check_name,
    checksums,
    fail_mmp,
    run_json,
    run_ok,
    upload,
)

KEY_KINDS = ("private_key", "locked_private_key", "foreign_private_key")


def local_digest(path):
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(65536), b""):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def holds_key(inspect):
    if not inspect:
        return False
    if inspect.get("kind") in KEY_KINDS:
        return True
    return any(k in KEY_KINDS for k in inspect.get("also_holds") or [])


def describe(sha, inspect):
    lines = ["sha256: %s" % sha]
    if inspect:
        lines.append("kind: %s" % inspect.get("kind"))
        lines.append("description: %s" % inspect.get("description"))
        for cert in inspect.get("certificates") or []:
            subject = cert.get("subject")
            if isinstance(subject, dict):
                subject = ", ".join("%s=%s" % kv for kv in sorted(subject.items()))
            if subject:
                lines.append("certificate: %s" % subject)
    return "\n".join(lines) + "\n"


def inspect_of(module, dest):
    answer = run_json(module, "pki inspect " + dest)
    return answer.get("result") if answer.get("ok") else None


def main():
    module = AnsibleModule(
        argument_spec=dict(
            src=dict(type="path", required=True),
            dest=dict(type="str"),
            force=dict(type="bool", default=False),
        ),
        supports_check_mode=True,
    )
    src = module.params["src"]
    dest = module.params["dest"] or os.path.basename(src)
    force = module.params["force"]
    check_name(module, dest, "dest")
    if not os.path.isfile(src):
        module.fail_json(msg="src %s: no such file" % src)
    sha, size = local_digest(src)
    result = dict(changed=False, dest=dest, sha256=sha, size=size)

    try:
        before = checksums(module, [dest]).get(dest)
        if before and before.get("sha256") == sha:
            result["inspect"] = inspect_of(module, dest)
            module.exit_json(**result)

        old_inspect = inspect_of(module, dest) if before else None
        if before and holds_key(old_inspect) and not force:
            module.fail_json(
                msg="%s: the store holds a different private key of that name, and mmp never "
                    "replaces a private key silently: upload it under another name, or set "
                    "force: true to remove the old one first" % dest, **result)

        result["changed"] = True
        if before:
            users = [f.get("in_use_by") or [] for f in run_ok(module, "pki list")["result"].get("files", [])
                     if f.get("name") == dest]
            if users and users[0]:
                module.warn("%s is in use by %s: mmp refuses to replace a file a service uses; "
                            "upload the new one under another name and point the service at it"
                            % (dest, ", ".join(users[0])))
        if module._diff:
            result["diff"] = dict(
                before_header="%s (store)" % dest,
                after_header="%s (%s)" % (dest, os.path.basename(src)),
                before=describe(before["sha256"], old_inspect) if before else "",
                after="sha256: %s\n" % sha,
            )
        if module.check_mode:
            result["inspect"] = old_inspect or {}
            module.exit_json(**result)

        try:
            upload(module, src, dest, force=bool(before) and force)
        except MmpError:
            result["changed"] = False
            result.pop("diff", None)
            raise
        after = checksums(module, [dest]).get(dest)
        if not after or after.get("sha256") != sha:
            module.fail_json(msg="%s: uploaded, but the store's SHA-256 is %s" % (
                dest, after and after.get("sha256")), **result)
        result["inspect"] = run_ok(module, "pki inspect " + dest)["result"]
        if module._diff:
            result["diff"]["after"] = describe(sha, result["inspect"])
    except MmpError as e:
        fail_mmp(module, e, **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
