#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: the mmp project. Apache License 2.0 (see LICENSE)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: mmp_certs
author: mmp project
short_description: Set the key, certificate and bundle a Meeting Server service uses
description:
  - Points a service of an mmp node at key, certificate and bundle files of its
    file store (upload them first with M(mmp.mmp.mmp_file)), or removes them,
    with mmp's own C(certs) commands (guide chapter 4, Appendix D).
  - Changed only when the service's setting (read from its C(| json) show)
    differs. mmp checks the files before it applies anything (key and
    certificate match, chain order, validity); a refusal fails the task with
    mmp's check codes, messages and remedies.
  - Check mode runs C(check <command line>), mmp's checks without applying.
    When the files are not in the store yet (an upload task in check mode does
    not upload) the task reports the change with a warning.
version_added: 1.0.0
options:
  service:
    description: The service.
    type: str
    required: true
    choices: [callbridge, webbridge3_https, webbridge3_c2w, turn, meetingapps, database_cluster]
  key:
    description:
      - The private key file in the store. For C(database_cluster), the server key
        (optional, a node that only connects has none).
    type: str
  cert:
    description:
      - The certificate file (for C(webbridge3_https), C(webbridge3_c2w) and
        C(meetingapps), the full chain, certificate first, then its issuers). For
        C(database_cluster), the server certificate.
    type: str
  bundle:
    description:
      - The CA bundle (C(callbridge), C(turn); optional), or for C(database_cluster)
        the cluster's dedicated CA certificate (required).
    type: str
  client_key:
    description: For C(database_cluster), the client key.
    type: str
  client_cert:
    description: For C(database_cluster), the client certificate.
    type: str
  state:
    description: C(present) sets the files; C(absent) removes the service's certificates
      (C(<service> certs none); not for C(database_cluster)).
    type: str
    choices: [present, absent]
    default: present
  disable_enable:
    description:
      - For C(turn) and C(meetingapps), which take new certificates only while
        disabled; when a change is needed and the service is enabled, disable it
        before and enable it after (also when mmp refuses the change).
    type: bool
    default: false
notes:
  - Supports check mode and diff.
"""

EXAMPLES = r"""
- name: Call Bridge certificates (guide 4.4)
  mmp.mmp.mmp_certs:
    service: callbridge
    key: callbridge.key
    cert: callbridge.crt
    bundle: callbridge-bundle.crt
  notify: Restart the Call Bridge

- name: Web Bridge 3 C2W certificates (Appendix D.1 step 7)
  mmp.mmp.mmp_certs:
    service: webbridge3_c2w
    key: webbridge3-c2w.key
    cert: webbridge3-c2w-fullchain.crt

- name: TURN certificates, with TURN disabled for the change
  mmp.mmp.mmp_certs:
    service: turn
    key: turn.key
    cert: turn.crt
    disable_enable: true
"""

RETURN = r"""
commands:
  description: The mmp command lines run (or, in check mode, that would run).
  returned: always
  type: list
  elements: str
  sample: ["callbridge certs callbridge.key callbridge.crt callbridge-bundle.crt"]
before:
  description: The service's certificate setting before (file names; null when not set).
  returned: always
  type: dict
after:
  description: The setting after (in check mode, what it would be).
  returned: always
  type: dict
checks:
  description: mmp's checks of the certs command (code, severity, file, certificate, message, remedy).
  returned: always
  type: list
  elements: dict
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.mmp.mmp.plugins.module_utils.mmp import (
    MmpError,
    apply_setting,
    check_name,
    dig,
    fail_mmp,
    run_ok,
    show,
)

# service: (show line, {setting: path in the show's result}, certs line, enabled path)
SERVICES = {
    "callbridge": ("callbridge", {"key": "certs.key", "cert": "certs.cert", "bundle": "certs.bundle"},
                   "callbridge certs", None),
    "webbridge3_https": ("webbridge3", {"key": "https.key", "cert": "https.cert"},
                         "webbridge3 https certs", None),
    "webbridge3_c2w": ("webbridge3", {"key": "c2w.key", "cert": "c2w.cert"},
                       "webbridge3 c2w certs", None),
    "turn": ("turn", {"key": "certs.key", "cert": "certs.cert", "bundle": "certs.bundle"},
             "turn certs", "enabled"),
    "meetingapps": ("meetingapps", {"key": "https.key", "cert": "https.cert"},
                    "meetingapps https certs", "enabled"),
    "database_cluster": ("database cluster status",
                         {"key": "server_key", "cert": "server_crt", "client_key": "client_key",
                          "client_cert": "client_crt", "bundle": "ca_crt"},
                         "database cluster certs", None),
}
TOGGLE = {"turn": "turn", "meetingapps": "meetingapps"}


def main():
    module = AnsibleModule(
        argument_spec=dict(
            service=dict(type="str", required=True, choices=list(SERVICES)),
            key=dict(type="str", no_log=False),
            cert=dict(type="str"),
            bundle=dict(type="str"),
            client_key=dict(type="str", no_log=False),
            client_cert=dict(type="str"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            disable_enable=dict(type="bool", default=False),
        ),
        supports_check_mode=True,
    )
    p = module.params
    service = p["service"]
    show_line, fields, certs_line, enabled_path = SERVICES[service]
    result = dict(changed=False)

    for opt in ("key", "cert", "bundle", "client_key", "client_cert"):
        if p[opt] is not None:
            if opt not in fields:
                module.fail_json(msg="%s: %s takes no %s" % (service, service, opt))
            check_name(module, p[opt], opt)

    if service == "database_cluster":
        if p["state"] == "absent":
            module.fail_json(msg="database_cluster: mmp has no command that removes the cluster "
                                 "certificates (database cluster remove frees them)")
        for opt in ("client_key", "client_cert", "bundle"):
            if not p[opt]:
                module.fail_json(msg="database_cluster needs client_key, client_cert and bundle")
        if bool(p["key"]) != bool(p["cert"]):
            module.fail_json(msg="database_cluster: give both key and cert (the server pair), or neither")
    elif p["state"] == "present" and not (p["key"] and p["cert"]):
        module.fail_json(msg="%s: state present needs key and cert" % service)

    try:
        shown = run_ok(module, show_line)["result"]  # one read: the settings and whether it runs
        before = dict((name, dig(shown, path)) for name, path in fields.items())
        enabled = bool(enabled_path and shown.get(enabled_path))
    except MmpError as e:
        fail_mmp(module, e, **result)

    if p["state"] == "absent":
        after = dict((k, None) for k in fields)
        line = certs_line + " none"
    else:
        after = dict((k, p[k]) for k in fields)
        if service == "database_cluster":
            words = [p["key"], p["cert"]] if p["key"] else []
            words += [p["client_key"], p["client_cert"], p["bundle"]]
        else:
            words = [p["key"], p["cert"]] + ([p["bundle"]] if p.get("bundle") else [])
        line = certs_line + " " + " ".join(words)

    lines = [line]
    undo = []
    ignore = ()
    if enabled and p["disable_enable"] and service in TOGGLE:
        lines = [TOGGLE[service] + " disable", line, TOGGLE[service] + " enable"]
        undo = [TOGGLE[service] + " enable"]
        ignore = ("service.enabled_first",)
    apply_setting(module, result, before, after, lines, line, ignore_in_check=ignore, undo=undo)
    try:
        result["after"] = show(module, show_line, fields)
    except MmpError as e:
        fail_mmp(module, e, **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
