"""``mysqld`` (MySQL 5.7 / 8.x) as the official image runs it: TCP 3306.

On each connection the server speaks first, as MySQL does: a protocol-10
handshake packet (``Initial Handshake Packet`` of the client/server
protocol): 3-byte length, sequence 0, protocol version 10, the server
version (``5.7.44`` or ``8.2.0``, from MYSQL_VERSION), a connection id,
20 bytes of auth scramble (from the kernel model's seeded RNG), capability
flags, character set (latin1 on 5.7, utf8mb4 on 8.x), status (autocommit)
and the auth plugin (mysql_native_password on 5.7, caching_sha2_password on
8.x).  Authentication is not modelled: whatever the client sends next is
answered with ERR 1043 "Bad handshake" and the connection closed; a silent
client is dropped after ``connect_timeout`` (10 s).  mysqlx (33060) is not
listened on.  The start-up log is a plausible subset of mysqld's (stderr).
"""
from __future__ import annotations

import struct
import time

from ...kernel.socket import SocketError
from ...kernel.tcp import TcpListener
from .http import wall

PORT = 3306
CONNECT_TIMEOUT = 10.0


def server_version(proc) -> str:
    return proc.env.get("MYSQL_VERSION", "8.2.0-1.el8").split("-")[0]


def greeting(ver: str, conn_id: int, scramble: bytes) -> bytes:
    """The protocol-10 handshake packet (with its 4-byte header)."""
    old = ver.startswith("5.")
    caps = 0xC1FFFFFF if old else 0xDFFFFFFF      # both images enable SSL (CLIENT_SSL 0x800)
    charset = 8 if old else 255
    plugin = b"mysql_native_password" if old else b"caching_sha2_password"
    payload = (b"\x0a" + ver.encode() + b"\x00" + struct.pack("<I", conn_id) + scramble[:8] + b"\x00"
               + struct.pack("<H", caps & 0xFFFF) + bytes([charset]) + struct.pack("<H", 0x0002)
               + struct.pack("<H", caps >> 16) + bytes([21]) + b"\x00" * 10
               + scramble[8:20] + b"\x00" + plugin + b"\x00")
    return struct.pack("<I", len(payload))[:3] + b"\x00" + payload


def error_packet(seq: int, code: int, state: str, message: str) -> bytes:
    payload = b"\xff" + struct.pack("<H", code) + b"#" + state.encode() + message.encode()
    return struct.pack("<I", len(payload))[:3] + bytes([seq]) + payload


def _log(proc, level: str, text: str) -> None:
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(wall(proc.sched.now))) + ".000000Z"
    proc.err(f"{stamp} 0 [{level}] {text}\n")


def mysqld_main(proc):
    ver = server_version(proc)
    args = proc.argv[1:]
    if "--version" in args or "-V" in args:
        proc.out(f"mysqld  Ver {ver} for Linux on x86_64 (MySQL Community Server - GPL)\n")
        return 0
    try:
        lst = TcpListener(proc.netns, "0.0.0.0", PORT)
    except SocketError:
        _log(proc, "ERROR", "Can't start server: Bind on TCP/IP port: Address already in use")
        return 1
    lst.v6 = True
    _log(proc, "Note" if ver.startswith("5.") else "System",
         f"mysqld (mysqld {ver}) starting as process 1 ...")
    _log(proc, "Note", "Server hostname (bind-address): '*'; port: 3306")
    _log(proc, "Note", "mysqld: ready for connections.")
    proc.err(f"Version: '{ver}'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  "
             "MySQL Community Server (GPL)\n")
    conn_id = 1
    try:
        while True:
            conn = yield lst.accept(None)
            if conn is None:
                continue
            conn_id += 1
            proc.sched.process(_session(proc, conn, ver, conn_id), name="mysqld-conn")
    finally:
        lst.close()


def _session(proc, conn, ver, conn_id):
    rng = proc.kernel.rng
    scramble = bytes(rng.randrange(1, 128) for _ in range(20))
    try:
        conn.send(greeting(ver, conn_id, scramble))
    except SocketError:
        return
    got = yield conn.recv(CONNECT_TIMEOUT)
    if got and not isinstance(got, str):
        try:
            conn.send(error_packet(2, 1043, "08S01", "Bad handshake"))
        except SocketError:
            return
    conn.close()
