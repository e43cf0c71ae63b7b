#!/usr/bin/env python3
"""rawsftp.py: a raw SFTP version 3 client for the SSH tests (tests/ssh/).

Every packet is built byte by byte (draft-ietf-secsh-filexfer-02) so that a
test can send what no real client would; the transport is the OpenSSH client
(ssh -s ... sftp) over loopback, its stdin/stdout carrying the SFTP stream and
its stderr (the channel's stderr, what the server wrote there) captured.

As a library:
    from rawsftp import Sftp, PF_READ
    with Sftp(port, "alice", key="/path/key") as s:     # or password="..."
        s.init()
        r = s.open("ca.crt", PF_READ)                     # Reply
        if r.type == "handle": data = s.read(r.handle, 0, 4096)
        print(s.stderr_text())
Each method sends one request and returns one Reply: .type is 'status',
'handle', 'data', 'name', 'attrs', 'extended' or 'version' ('lost' when the
connection ended first); .code/.status/.msg for STATUS; .handle, .data,
.names ([(filename, longname, attrs)]), .attrs (dict) for the others.

Command-line mode: run with --help (or see USAGE below).
"""
import argparse
import hashlib
import os
import select
import shutil
import struct
import subprocess
import sys
import threading
import time

USAGE = """\
usage: python3 rawsftp.py --port P --user U (--key K | --password PW) [--bind ADDR]
                          [--timeout S] [--hold-handles N:NAME] [--show-stderr]
                          REQUEST...
REQUEST (one word each; names may use %XX for any byte, %25 for '%'):
  open:r:NAME          open READ, the handle stays open (for close:/write:)
  open:w:NAME          open WRITE|CREAT|TRUNC, the handle stays open
  open:wx:NAME         open WRITE|CREAT|EXCL, the handle stays open
  write:NAME:LOCAL     write LOCAL's bytes to NAME's open handle from offset 0
  close:NAME           close NAME's open handle
  put:NAME:LOCAL       open w, write all of LOCAL, close
  get:NAME             open r, read to EOF, close: "OK sha256=<hex> size=<n>"
  read:NAME            open r, read the first 4 KiB, close: "OK size=<n>"
  remove:NAME  rename:A:B  posix-rename:A:B  hardlink:A:B  symlink:TARGET:LINK
  setstat:NAME (sets permissions 0777)  mkdir:D  rmdir:D  stat:NAME  lstat:NAME
  readlink:NAME  realpath:P  readdir:DIR (opendir, readdir to EOF, close:
                       "OK names=a,b,...")
  sleep:S              wait S seconds (at most 600), handles stay open
Each request prints one line: <request> <STATUSNAME> <message>, STATUSNAME one
of OK EOF NO_SUCH_FILE PERMISSION_DENIED FAILURE BAD_MESSAGE NO_CONNECTION
CONNECTION_LOST OP_UNSUPPORTED (CONNECTION_LOST also when the server ended the
connection: the requests after it print "CONNECTION_LOST not sent").
--hold-handles N:NAME runs first: opens N read handles on NAME at once, then
reads each to EOF in turn keeping all open (until the end of the run), and
prints "hold-handles:N:NAME OK opened=<k> read=<k'> bytes=<total>" (the first
refusal in the message).
--show-stderr: at the end, each line the server wrote on the channel's stderr
as "stderr <line>".
Exit 0 when the protocol ran (whatever the statuses), 2 when the connection
or the SFTP handshake failed (the reason printed), 64 on bad arguments.
"""

# packet types
FXP_INIT, FXP_VERSION, FXP_OPEN, FXP_CLOSE, FXP_READ, FXP_WRITE = 1, 2, 3, 4, 5, 6
FXP_LSTAT, FXP_FSTAT, FXP_SETSTAT, FXP_FSETSTAT, FXP_OPENDIR, FXP_READDIR = 7, 8, 9, 10, 11, 12
FXP_REMOVE, FXP_MKDIR, FXP_RMDIR, FXP_REALPATH, FXP_STAT, FXP_RENAME = 13, 14, 15, 16, 17, 18
FXP_READLINK, FXP_SYMLINK = 19, 20
FXP_STATUS, FXP_HANDLE, FXP_DATA, FXP_NAME, FXP_ATTRS = 101, 102, 103, 104, 105
FXP_EXTENDED, FXP_EXTENDED_REPLY = 200, 201

# open flags
PF_READ, PF_WRITE, PF_APPEND, PF_CREAT, PF_TRUNC, PF_EXCL = 1, 2, 4, 8, 0x10, 0x20

# attribute flags
ATTR_SIZE, ATTR_UIDGID, ATTR_PERMISSIONS, ATTR_ACMODTIME = 1, 2, 4, 8
ATTR_EXTENDED = 0x80000000

STATUS_NAMES = ["OK", "EOF", "NO_SUCH_FILE", "PERMISSION_DENIED", "FAILURE",
                "BAD_MESSAGE", "NO_CONNECTION", "CONNECTION_LOST", "OP_UNSUPPORTED"]
FX_OK, FX_EOF = 0, 1

MAX_PACKET = 1 << 20          # a longer reply is a protocol error
MAX_GET = 64 << 20            # get/hold-handles stop reading after this many bytes
READ_CHUNK = 32768


class SftpError(Exception):
    """The connection or the handshake failed."""


def status_name(code):
    if code is None:
        return "CONNECTION_LOST"
    return STATUS_NAMES[code] if 0 <= code < len(STATUS_NAMES) else "STATUS_%d" % code


def u32(n):
    return struct.pack(">I", n & 0xFFFFFFFF)


def u64(n):
    return struct.pack(">Q", n & 0xFFFFFFFFFFFFFFFF)


def sstr(b):
    """An SFTP string: uint32 length and the bytes (str is UTF-8 encoded)."""
    if isinstance(b, str):
        b = b.encode("utf-8", "surrogateescape")
    return u32(len(b)) + b


def pack_attrs(attrs=None):
    """attrs: None (flags 0) or a dict with any of size, uid, gid,
    permissions, atime, mtime, extended ([(name, data)]); or raw bytes."""
    if attrs is None:
        return u32(0)
    if isinstance(attrs, (bytes, bytearray)):
        return bytes(attrs)
    flags, out = 0, b""
    if "size" in attrs:
        flags |= ATTR_SIZE
        out += u64(attrs["size"])
    if "uid" in attrs or "gid" in attrs:
        flags |= ATTR_UIDGID
        out += u32(attrs.get("uid", 0)) + u32(attrs.get("gid", 0))
    if "permissions" in attrs:
        flags |= ATTR_PERMISSIONS
        out += u32(attrs["permissions"])
    if "atime" in attrs or "mtime" in attrs:
        flags |= ATTR_ACMODTIME
        out += u32(attrs.get("atime", 0)) + u32(attrs.get("mtime", 0))
    if "extended" in attrs:
        flags |= ATTR_EXTENDED
        out += u32(len(attrs["extended"]))
        for name, data in attrs["extended"]:
            out += sstr(name) + sstr(data)
    return u32(flags) + out


class Reader:
    """Parses the fields of one reply; a short reply raises ValueError."""

    def __init__(self, b):
        self.b, self.off = b, 0

    def take(self, n):
        if n < 0 or self.off + n > len(self.b):
            raise ValueError("reply too short")
        v = self.b[self.off:self.off + n]
        self.off += n
        return v

    def u32(self):
        return struct.unpack(">I", self.take(4))[0]

    def u64(self):
        return struct.unpack(">Q", self.take(8))[0]

    def string(self):
        return self.take(self.u32())

    def left(self):
        return len(self.b) - self.off

    def attrs(self):
        a = {"flags": self.u32()}
        f = a["flags"]
        if f & ATTR_SIZE:
            a["size"] = self.u64()
        if f & ATTR_UIDGID:
            a["uid"], a["gid"] = self.u32(), self.u32()
        if f & ATTR_PERMISSIONS:
            a["permissions"] = self.u32()
        if f & ATTR_ACMODTIME:
            a["atime"], a["mtime"] = self.u32(), self.u32()
        if f & ATTR_EXTENDED:
            n = self.u32()
            if n > 10000:
                raise ValueError("too many extended attributes")
            a["extended"] = [(self.string(), self.string()) for _ in range(n)]
        return a


class Reply:
    """One reply. type: status handle data name attrs extended version lost."""

    def __init__(self, type_, **kw):
        self.type = type_
        self.id = kw.get("id")
        self.code = kw.get("code")          # STATUS code (None when lost)
        self.msg = kw.get("msg", "")        # STATUS message (str)
        self.lang = kw.get("lang", "")
        self.handle = kw.get("handle")      # bytes
        self.data = kw.get("data")          # bytes (DATA, EXTENDED_REPLY)
        self.names = kw.get("names")        # [(filename bytes, longname bytes, attrs)]
        self.attrs = kw.get("attrs")        # dict
        self.version = kw.get("version")
        self.extensions = kw.get("extensions")  # [(name bytes, data bytes)]
        self.raw = kw.get("raw", b"")

    @property
    def status(self):
        """The status name: OK, EOF, ...; 'OK' for any non-status reply;
        CONNECTION_LOST when the connection ended."""
        if self.type == "lost":
            return "CONNECTION_LOST"
        if self.type != "status":
            return "OK"
        return status_name(self.code)

    @property
    def ok(self):
        return self.type not in ("status", "lost") or self.code == FX_OK

    def __repr__(self):
        if self.type == "status":
            return "Reply(status %s %r)" % (self.status, self.msg)
        if self.type == "lost":
            return "Reply(lost %r)" % self.msg
        return "Reply(%s)" % self.type

    def __iter__(self):  # (type, code, msg) as a tuple too
        return iter((self.type, self.code, self.msg))


class Sftp:
    """A raw SFTP v3 session over `ssh -s USER@127.0.0.1 sftp`."""

    def __init__(self, port, user, key=None, password=None, bind=None, timeout=30.0,
                 host="127.0.0.1", extra_ssh_args=()):
        if (key is None) == (password is None):
            raise ValueError("give exactly one of key and password")
        if not host.startswith("127."):
            raise ValueError("loopback only (127.0.0.0/8)")
        if bind is not None and not bind.startswith("127."):
            raise ValueError("--bind: loopback only (127.0.0.0/8)")
        self.timeout = float(timeout)
        self.next_id = 1
        self.buf = b""
        self.lost = None          # why the connection ended, once it has
        cmd = ["ssh", "-F", "/dev/null", "-o", "StrictHostKeyChecking=no",
               "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
               "-o", "ConnectTimeout=%d" % max(1, int(self.timeout)), "-p", str(int(port))]
        if bind is not None:
            cmd += ["-b", bind]
        env = dict(os.environ)
        if key is not None:
            cmd += ["-i", key, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
                    "-o", "PasswordAuthentication=no"]
        else:
            if shutil.which("sshpass") is None:
                raise SftpError("sshpass is not installed (needed for --password)")
            env["SSHPASS"] = password  # -e: not on a command line
            cmd = ["sshpass", "-e"] + cmd + ["-o", "PubkeyAuthentication=no",
                                               "-o", "NumberOfPasswordPrompts=1"]
        cmd += list(extra_ssh_args) + ["-s", "%s@%s" % (user, host), "sftp"]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, bufsize=0, env=env)
        self.err = bytearray()
        self.err_lock = threading.Lock()
        self.err_thread = threading.Thread(target=self._drain_stderr, daemon=True)
        self.err_thread.start()

    # ---- the transport ----

    def _drain_stderr(self):
        # bounded: ends at EOF; keeps at most 1 MiB
        while True:
            b = self.proc.stderr.read(4096)
            if not b:
                return
            with self.err_lock:
                if len(self.err) < (1 << 20):
                    self.err += b

    def stderr_text(self, wait=0.0):
        """What ssh wrote on its stderr so far: the server's channel stderr
        (and ssh's own errors). wait: seconds to let it arrive first."""
        if wait > 0:
            time.sleep(min(wait, 60))
        with self.err_lock:
            return self.err.decode("utf-8", "replace")

    def send_raw(self, b):
        """Write bytes as they are (no length added); False when lost."""
        if self.lost is not None:
            return False
        try:
            self.proc.stdin.write(b)
            return True
        except (BrokenPipeError, OSError) as e:
            self.lost = "cannot write: %s" % e
            return False

    def send_packet(self, type_, payload):
        """One packet: uint32 length, byte type, payload."""
        return self.send_raw(u32(len(payload) + 1) + bytes([type_]) + payload)

    def _fill(self, n, deadline):
        fd = self.proc.stdout.fileno()
        while len(self.buf) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                self.lost = "no reply within %g s" % self.timeout
                return False
            r, _, _ = select.select([fd], [], [], left)
            if not r:
                continue
            b = os.read(fd, 65536)
            if not b:
                self.lost = "the connection ended"
                return False
            self.buf += b
        return True

    def recv_packet(self, timeout=None):
        """(type, payload) of the next packet, or None when lost/timed out."""
        if self.lost is not None:
            return None
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        if not self._fill(4, deadline):
            return None
        n = struct.unpack(">I", self.buf[:4])[0]
        if n < 1 or n > MAX_PACKET:
            self.lost = "a reply of %d bytes" % n
            return None
        if not self._fill(4 + n, deadline):
            return None
        pkt, self.buf = self.buf[4:4 + n], self.buf[4 + n:]
        return pkt[0], pkt[1:]

    def _lost(self):
        return Reply("lost", msg=self.lost or "the connection ended")

    def _parse(self, type_, payload):
        r = Reader(payload)
        try:
            if type_ == FXP_VERSION:
                version = r.u32()
                ext = []
                while r.left() > 0 and len(ext) < 1000:
                    ext.append((r.string(), r.string()))
                return Reply("version", version=version, extensions=ext, raw=payload)
            rid = r.u32()
            if type_ == FXP_STATUS:
                code = r.u32()
                msg = lang = b""
                if r.left() > 0:  # v3 servers send both; tolerate old ones
                    msg = r.string()
                    lang = r.string() if r.left() > 0 else b""
                return Reply("status", id=rid, code=code, msg=msg.decode("utf-8", "replace"),
                             lang=lang.decode("utf-8", "replace"), raw=payload)
            if type_ == FXP_HANDLE:
                return Reply("handle", id=rid, handle=r.string(), raw=payload)
            if type_ == FXP_DATA:
                return Reply("data", id=rid, data=r.string(), raw=payload)
            if type_ == FXP_NAME:
                n = r.u32()
                if n > 100000:
                    raise ValueError("NAME with %d names" % n)
                names = [(r.string(), r.string(), r.attrs()) for _ in range(n)]
                return Reply("name", id=rid, names=names, raw=payload)
            if type_ == FXP_ATTRS:
                return Reply("attrs", id=rid, attrs=r.attrs(), raw=payload)
            if type_ == FXP_EXTENDED_REPLY:
                return Reply("extended", id=rid, data=payload[4:], raw=payload)
        except ValueError as e:
            return Reply("status", id=None, code=5, msg="unparsable reply type %d: %s" % (type_, e),
                         raw=payload)
        return Reply("status", id=None, code=5, msg="unknown reply type %d" % type_, raw=payload)

    def request(self, type_, body):
        """Send one request (id added before body), wait for its reply."""
        rid = self.next_id
        self.next_id = (self.next_id + 1) & 0xFFFFFFFF
        if not self.send_packet(type_, u32(rid) + body):
            return self._lost()
        p = self.recv_packet()
        if p is None:
            return self._lost()
        rep = self._parse(*p)
        if rep.id is not None and rep.id != rid:
            rep.msg = (rep.msg + " " if rep.msg else "") + "(reply id %d, sent %d)" % (rep.id, rid)
        return rep

    # ---- one method per request ----

    def init(self, version=3, extensions=()):
        """SSH_FXP_INIT; the Reply has .version and .extensions.
        Raises SftpError when the connection or handshake failed."""
        body = u32(version) + b"".join(sstr(n) + sstr(d) for n, d in extensions)
        if not self.send_packet(FXP_INIT, body):
            raise SftpError(self._why())
        p = self.recv_packet()
        if p is None:
            raise SftpError(self._why())
        rep = self._parse(*p)
        if rep.type != "version":
            raise SftpError("the server answered INIT with a %s reply" % rep.type)
        return rep

    def _why(self):
        try:
            st = self.proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            st = None
        err = self.stderr_text(0.2).strip().replace("\n", " | ")
        why = self.lost or "the connection ended"
        if st is not None:
            why += "; ssh exited %d" % st
            if st == 5 and self.proc.args[0] == "sshpass":
                why += " (sshpass: wrong password)"
        return why + (": " + err if err else "")

    def open(self, path, pflags, attrs=None):
        return self.request(FXP_OPEN, sstr(path) + u32(pflags) + pack_attrs(attrs))

    def close(self, handle):
        return self.request(FXP_CLOSE, sstr(handle))

    def read(self, handle, offset, length):
        return self.request(FXP_READ, sstr(handle) + u64(offset) + u32(length))

    def write(self, handle, offset, data):
        return self.request(FXP_WRITE, sstr(handle) + u64(offset) + sstr(data))

    def remove(self, path):
        return self.request(FXP_REMOVE, sstr(path))

    def rename(self, old, new):
        return self.request(FXP_RENAME, sstr(old) + sstr(new))

    def extended(self, name, payload=b""):
        """SSH_FXP_EXTENDED: name, then payload as it is (already encoded)."""
        return self.request(FXP_EXTENDED, sstr(name) + payload)

    def posix_rename(self, old, new):
        return self.extended("posix-rename@openssh.com", sstr(old) + sstr(new))

    def hardlink(self, old, new):
        return self.extended("hardlink@openssh.com", sstr(old) + sstr(new))

    def setstat(self, path, attrs):
        return self.request(FXP_SETSTAT, sstr(path) + pack_attrs(attrs))

    def fsetstat(self, handle, attrs):
        return self.request(FXP_FSETSTAT, sstr(handle) + pack_attrs(attrs))

    def stat(self, path):
        return self.request(FXP_STAT, sstr(path))

    def lstat(self, path):
        return self.request(FXP_LSTAT, sstr(path))

    def fstat(self, handle):
        return self.request(FXP_FSTAT, sstr(handle))

    def opendir(self, path):
        return self.request(FXP_OPENDIR, sstr(path))

    def readdir(self, handle):
        return self.request(FXP_READDIR, sstr(handle))

    def realpath(self, path):
        return self.request(FXP_REALPATH, sstr(path))

    def readlink(self, path):
        return self.request(FXP_READLINK, sstr(path))

    def symlink(self, target, link):
        """Fields in OpenSSH's order (target first, then the link's path),
        which is the reverse of the draft's linkpath, targetpath."""
        return self.request(FXP_SYMLINK, sstr(target) + sstr(link))

    def mkdir(self, path, attrs=None):
        return self.request(FXP_MKDIR, sstr(path) + pack_attrs(attrs))

    def rmdir(self, path):
        return self.request(FXP_RMDIR, sstr(path))

    # ---- a few compositions ----

    def read_all(self, handle, limit=MAX_GET, chunk=READ_CHUNK):
        """Read from 0 to EOF: (bytes, final Reply). Bounded by limit bytes
        and limit/1 reads (a server sending 0-byte DATA cannot loop us)."""
        out, off = bytearray(), 0
        for _ in range(limit // 1024 + 16):
            r = self.read(handle, off, chunk)
            if r.type != "data":
                return bytes(out), r
            if len(r.data) == 0 or len(out) + len(r.data) > limit:
                return bytes(out), Reply("status", code=4, msg="bad DATA at offset %d" % off)
            out += r.data
            off += len(r.data)
        return bytes(out), Reply("status", code=4, msg="read stopped after %d bytes" % off)

    def close_session(self):
        try:
            if self.proc.stdin and not self.proc.stdin.closed:
                self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
        self.err_thread.join(timeout=2)

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.close_session()


# ---- command-line mode ----

def unescape(s):
    """NAME with %XX escapes to bytes."""
    out, i = bytearray(), 0
    b = s.encode("utf-8", "surrogateescape")
    while i < len(b):
        if b[i:i + 1] == b"%" and i + 2 < len(b):
            try:
                out.append(int(b[i + 1:i + 3], 16))
                i += 3
                continue
            except ValueError:
                pass
        out.append(b[i])
        i += 1
    return bytes(out)


def one_line(s):
    s = s.replace("\r", " ").replace("\n", " ")
    return "".join(c if c.isprintable() else "?" for c in s)


def show(rep, what=""):
    """STATUSNAME and message for a reply."""
    if rep.type in ("status", "lost") and (rep.code != FX_OK or not what):
        return rep.status, one_line(rep.msg)
    return "OK", what


def fmt_attrs(a):
    parts = []
    if "size" in a:
        parts.append("size=%d" % a["size"])
    if "permissions" in a:
        parts.append("perms=%o" % a["permissions"])
    if "uid" in a:
        parts.append("uid=%d gid=%d" % (a["uid"], a["gid"]))
    if "mtime" in a:
        parts.append("mtime=%d" % a["mtime"])
    return " ".join(parts)


class Runner:
    def __init__(self, s):
        self.s = s
        self.handles = {}     # name -> handle of open:/hold-handles

    def get(self, name, first=None):
        r = self.s.open(name, PF_READ)
        if r.type != "handle":
            return show(r)
        if first is None:
            data, end = self.s.read_all(r.handle)
            c = self.s.close(r.handle)
            if end.type != "status" or end.code != FX_EOF:
                return show(end)
            if not c.ok:
                return show(c)
            return "OK", "sha256=%s size=%d" % (hashlib.sha256(data).hexdigest(), len(data))
        d = self.s.read(r.handle, 0, first)
        c = self.s.close(r.handle)
        if d.type != "data":
            return show(d)
        if not c.ok:
            return show(c)
        return "OK", "size=%d" % len(d.data)

    def put(self, name, local):
        with open(local, "rb") as f:
            data = f.read(MAX_GET + 1)
        r = self.s.open(name, PF_WRITE | PF_CREAT | PF_TRUNC)
        if r.type != "handle":
            return show(r)
        w = self.write_all(r.handle, data)
        c = self.s.close(r.handle)
        if not w.ok:
            return show(w)
        return show(c, "wrote=%d" % len(data))

    def write_all(self, handle, data):
        off = 0
        for _ in range(len(data) // READ_CHUNK + 1):
            if off >= len(data):
                break
            w = self.s.write(handle, off, data[off:off + READ_CHUNK])
            if not w.ok:
                return w
            off += READ_CHUNK
        return Reply("status", code=FX_OK)

    def hold(self, spec):
        n, _, name = spec.partition(":")
        n = int(n)
        if not 0 < n <= 100000:
            raise ValueError("--hold-handles: N from 1 to 100000")
        bname = unescape(name)
        opened, first_refusal = [], ""
        for _ in range(n):
            r = self.s.open(bname, PF_READ)
            if r.type == "handle":
                opened.append(r.handle)
            elif not first_refusal:
                first_refusal = "%s %s" % show(r)
                if r.type == "lost":
                    break
        done, total = 0, 0
        for h in opened:
            data, end = self.s.read_all(h)
            total += len(data)
            if end.type == "status" and end.code == FX_EOF:
                done += 1
            elif not first_refusal:
                first_refusal = "read: %s %s" % show(end)
        self.held = opened  # kept open until the end
        msg = "opened=%d read=%d bytes=%d" % (len(opened), done, total)
        return "OK", msg + (" first-refusal: " + first_refusal if first_refusal else "")

    def run(self, req):
        parts = req.split(":")
        op, args = parts[0], [unescape(a) for a in parts[1:]]
        s = self.s

        def need(k):
            if len(args) != k:
                raise ValueError("%s takes %d argument(s)" % (op, k))
        if op == "open":
            if len(args) != 2:
                raise ValueError("open:r|w|wx:NAME")
            fl = {b"r": PF_READ, b"w": PF_WRITE | PF_CREAT | PF_TRUNC,
                  b"wx": PF_WRITE | PF_CREAT | PF_EXCL}.get(args[0])
            if fl is None:
                raise ValueError("open:r|w|wx:NAME")
            r = s.open(args[1], fl)
            if r.type == "handle":
                self.handles[args[1]] = r.handle
                return "OK", "handle=%s" % r.handle.hex()
            return show(r)
        if op == "write":
            need(2)
            h = self.handles.get(args[0])
            if h is None:
                raise ValueError("write: no open handle for that name (open:w: first)")
            with open(args[1], "rb") as f:
                data = f.read(MAX_GET + 1)
            return show(self.write_all(h, data), "wrote=%d" % len(data))
        if op == "close":
            need(1)
            h = self.handles.pop(args[0], None)
            if h is None:
                raise ValueError("close: no open handle for that name")
            return show(s.close(h))
        if op == "put":
            need(2)
            return self.put(args[0], args[1])
        if op == "get":
            need(1)
            return self.get(args[0])
        if op == "read":
            need(1)
            return self.get(args[0], first=4096)
        if op == "remove":
            need(1)
            return show(s.remove(args[0]))
        if op in ("rename", "posix-rename", "hardlink", "symlink"):
            need(2)
            fn = {"rename": s.rename, "posix-rename": s.posix_rename,
                  "hardlink": s.hardlink, "symlink": s.symlink}[op]
            return show(fn(args[0], args[1]))
        if op == "setstat":
            need(1)
            return show(s.setstat(args[0], {"permissions": 0o777}))
        if op == "mkdir":
            need(1)
            return show(s.mkdir(args[0]))
        if op == "rmdir":
            need(1)
            return show(s.rmdir(args[0]))
        if op in ("stat", "lstat"):
            need(1)
            r = (s.stat if op == "stat" else s.lstat)(args[0])
            return show(r, fmt_attrs(r.attrs) if r.type == "attrs" else "")
        if op in ("realpath", "readlink"):
            need(1)
            r = (s.realpath if op == "realpath" else s.readlink)(args[0])
            if r.type == "name" and r.names:
                return "OK", one_line(r.names[0][0].decode("utf-8", "replace"))
            return show(r)
        if op == "readdir":
            need(1)
            r = s.opendir(args[0])
            if r.type != "handle":
                return show(r)
            names = []
            end = Reply("status", code=4, msg="readdir did not end")
            for _ in range(10000):
                d = s.readdir(r.handle)
                if d.type != "name":
                    end = d
                    break
                names += [n[0].decode("utf-8", "replace") for n in d.names]
            c = s.close(r.handle)
            if end.type != "status" or end.code != FX_EOF:
                return show(end)
            return show(c, "names=" + one_line(",".join(names)))
        if op == "sleep":
            need(1)
            secs = float(args[0])
            if not 0 <= secs <= 600:
                raise ValueError("sleep: 0 to 600 s")
            time.sleep(secs)
            return "OK", ""
        raise ValueError("unknown request %r" % op)


def main(argv=None):
    class Parser(argparse.ArgumentParser):
        def error(self, message):  # exit 64, not argparse's 2 (2: no connection)
            sys.stderr.write("rawsftp: %s\n%s" % (message, USAGE))
            sys.exit(64)
    ap = Parser(prog="rawsftp.py", usage=USAGE.replace("%", "%%"), add_help=False)
    ap.add_argument("-h", "--help", action="store_true")
    ap.add_argument("--port", type=int)
    ap.add_argument("--user")
    ap.add_argument("--key")
    ap.add_argument("--password")
    ap.add_argument("--bind")
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--hold-handles")
    ap.add_argument("--show-stderr", action="store_true")
    ap.add_argument("requests", nargs="*")
    a = ap.parse_intermixed_args(argv)
    if a.help:
        sys.stdout.write(USAGE)
        return 0
    if a.port is None or a.user is None or (a.key is None) == (a.password is None) or \
            not (a.requests or a.hold_handles) or not 0 < a.timeout <= 600:
        sys.stderr.write(USAGE)
        return 64
    try:
        s = Sftp(a.port, a.user, key=a.key, password=a.password, bind=a.bind, timeout=a.timeout)
    except (ValueError, SftpError, OSError) as e:
        print("rawsftp: cannot start ssh: %s" % e)
        return 2
    with s:
        try:
            v = s.init()
        except SftpError as e:
            print("rawsftp: no SFTP session: %s" % e)
            return 2
        if v.version != 3:
            print("rawsftp: note: the server speaks version %d" % v.version)
        run = Runner(s)
        todo = (["hold-handles:" + a.hold_handles] if a.hold_handles else []) + a.requests
        for req in todo:
            if s.lost is not None:
                print("%s CONNECTION_LOST not sent" % req)
                continue
            try:
                if req.startswith("hold-handles:"):
                    st, msg = run.hold(req[len("hold-handles:"):])
                else:
                    st, msg = run.run(req)
            except (ValueError, OSError) as e:
                print("rawsftp: %s: %s" % (req, e), file=sys.stderr)
                return 64
            print(("%s %s %s" % (req, st, msg)).rstrip(), flush=True)
        if a.show_stderr:
            s.close_session()
            for line in s.stderr_text().splitlines():
                print("stderr " + one_line(line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
