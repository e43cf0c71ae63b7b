#!/usr/bin/env python3
"""Write the seed inputs of the fuzz_sftp and fuzz_config harnesses
(tests/fuzz/corpus/{sftp,config}/seed-*): the requests an OpenSSH sftp
client sends for put, get, ls, rename, rm, chmod, mkdir, symlink,
df and realpath, and mmp.db builds with valid and damaged rows. See the
comments of fuzz_sftp.c and fuzz_config.c for the formats."""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

def s(b):
    if isinstance(b, str):
        b = b.encode()
    return struct.pack(">I", len(b)) + b

def pkt(t, rid, body):
    p = bytes([t]) + struct.pack(">I", rid) + body
    return struct.pack(">I", len(p)) + p

ATTR_NONE = struct.pack(">I", 0)
ATTR_PERM = struct.pack(">II", 4, 0o644)
H0 = s(struct.pack("<II", 0, 1))  # the first handle the server hands out
H1 = s(struct.pack("<II", 1, 1))
OPEN, CLOSE, READ, WRITE, LSTAT, FSTAT, SETSTAT, FSETSTAT, OPENDIR, READDIR, \
    REMOVE, MKDIR, RMDIR, REALPATH, STAT, RENAME, READLINK, SYMLINK = range(3, 21)
EXT = 200
R, W, C, T = 1, 2, 8, 16

def put(name, data, flags=W | C | T):
    return (pkt(OPEN, 1, s(name) + struct.pack(">I", flags) + ATTR_NONE)
            + pkt(WRITE, 2, H0 + struct.pack(">Q", 0) + s(data)) + pkt(CLOSE, 3, H0))

CERT = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
SFTP = {
    "put": put("new.crt", CERT),
    "put-pub": put("alice.pub", b"ssh-ed25519 AAAA alice\n"),
    "put-key-over": put("k.key", b"x"),
    "put-bad-name": put("../evil.crt", CERT),
    "put-nul": put(b"a\x00b.crt", CERT),
    "put-two-writes": (pkt(OPEN, 1, s("big.crt") + struct.pack(">I", W | C) + ATTR_NONE)
                       + pkt(WRITE, 2, H0 + struct.pack(">Q", 0) + s(CERT))
                       + pkt(WRITE, 3, H0 + struct.pack(">Q", 1 << 40) + s("x"))
                       + pkt(FSTAT, 4, H0) + pkt(CLOSE, 5, H0)),
    "get": (pkt(STAT, 1, s("/a.crt")) + pkt(OPEN, 2, s("a.crt") + struct.pack(">I", R) + ATTR_NONE)
            + pkt(READ, 3, H0 + struct.pack(">QI", 0, 32768)) + pkt(READ, 4, H0 + struct.pack(">QI", 4096, 10))
            + pkt(CLOSE, 5, H0)),
    "get-key": pkt(OPEN, 1, s("k.key") + struct.pack(">I", R) + ATTR_NONE) + pkt(CLOSE, 2, H0),
    "ls": (pkt(REALPATH, 1, s(".")) + pkt(OPENDIR, 2, s("/")) + pkt(READDIR, 3, H0)
           + pkt(READDIR, 4, H0) + pkt(CLOSE, 5, H0) + pkt(LSTAT, 6, s("./k.key"))),
    "rename": pkt(RENAME, 1, s("a.crt") + s("b.crt")) + pkt(RENAME, 2, s("b.crt") + s("x.pub")),
    "rm": pkt(REMOVE, 1, s("a.crt")) + pkt(REMOVE, 2, s("nothere.crt")) + pkt(REMOVE, 3, s("/")),
    "chmod": pkt(SETSTAT, 1, s("a.crt") + ATTR_PERM) + pkt(FSETSTAT, 2, H1 + ATTR_PERM),
    "refused": (pkt(MKDIR, 1, s("d") + ATTR_NONE) + pkt(RMDIR, 2, s("d")) + pkt(READLINK, 3, s("a.crt"))
                + pkt(SYMLINK, 4, s("a.crt") + s("l.crt")) + pkt(99, 5, b"")),
    "extended": (pkt(EXT, 1, s("statvfs@openssh.com") + s("/"))
                 + pkt(EXT, 2, s("posix-rename@openssh.com") + s("a.crt") + s("c.crt"))
                 + pkt(EXT, 3, s("hardlink@openssh.com") + s("a.crt") + s("h.crt"))
                 + pkt(EXT, 4, s("fsync@openssh.com") + H0)),
    "stale-handle": pkt(READ, 1, s(struct.pack("<II", 7, 9)) + struct.pack(">QI", 0, 10)) + pkt(CLOSE, 2, s("xyz")),
}

def field_word(i):
    return bytes([6, i])

def field_text(b):
    return bytes([2, len(b)]) + b

def field_int(v):
    return bytes([1]) + struct.pack("<i", v)

def field_key(i):
    return bytes([5, i])

CONFIG = {
    "empty": b"\x00",
    "loose-empty": b"\x01",
    "settings": b"\x00" + b"".join(b"\x00" + field_key(i) + field_word(17 + (i % 3)) for i in range(40)),
    "settings-null": b"\x01" + b"".join(b"\x00" + field_key(i) + b"\x00" for i in range(40)),
    "settings-blob": b"\x01" + b"\x00" + field_key(0) + bytes([3, 4]) + b"a\x00b\xff",
    "users": b"\x00" + b"\x01" + field_word(16) + field_word(10) + field_word(29) + field_int(0) + field_int(0),
    "users-null": b"\x01" + b"\x01" + field_word(16) + b"\x00\x00" + b"\x00" + b"\x00",
    "users-locked": b"\x02" + b"\x01" + field_word(10) + field_word(13) + field_word(30) + field_int(-5) + field_int(2**31 - 1),
    "audit": b"\x04" + b"\x02" + field_int(0) + field_text(b"fuzz") + field_text(b"console") + field_text(b"cmd") + field_text(b"pki list") + field_text(b"ok"),
    "audit-null": b"\x05" + b"\x02" + b"\x00" * 6,
    "version-new": b"\x00" + b"\x03" + struct.pack("<i", 99),
    "version-old": b"\x00" + b"\x03" + struct.pack("<i", 1),
    "version-neg": b"\x00" + b"\x03" + struct.pack("<i", -1),
    "poke-header": b"\x00" + b"\x04" + bytes([20, 0, 0xff]) + b"\x04" + bytes([100, 0, 0]),
    "poke-page": b"\x00" + b"\x00" + field_key(2) + field_word(17) + b"\x04" + bytes([0, 16, 0x0d]) + b"\x04" + bytes([5, 16, 0xff]),
}

def main():
    for name, blobs, prefix in (("sftp", SFTP, None), ("config", CONFIG, None)):
        d = os.path.join(HERE, "corpus", name)
        os.makedirs(d, exist_ok=True)
        for k, v in blobs.items():
            if name == "sftp":
                for role in range(3):
                    with open(os.path.join(d, "seed-%s-%d" % (k, role)), "wb") as f:
                        f.write(bytes([role]) + v)
            else:
                with open(os.path.join(d, "seed-" + k), "wb") as f:
                    f.write(v)

if __name__ == "__main__":
    sys.exit(main())
