"""pcap files, one per interface, as ``tcpdump -i DEV -w FILE`` would write them.

``Engine(pcap=True)`` makes the kernel keep every frame each device sent or
received (``kernel.pcap``: (netns, dev) → [(time, frame)]).  This module turns
them into classic libpcap files (LINKTYPE_ETHERNET, microsecond timestamps):
the timestamp is the simulated time on the daemon's wall clock, the bytes are
the frame as scapy serialises it (:func:`netsim.kernel.packet.to_scapy`), so
checksums are real and DNS payloads are DNS wire format.  Frames on ``lo``
are Ethernet with zero MACs, which is what Linux hands ``tcpdump -i lo``.

Files appear atomically (written to a temporary file in the same directory,
then renamed), so a reader never sees half a capture.
"""
from __future__ import annotations

from ..fileio import write_atomically

import re
import struct
from pathlib import Path

from ..errors import NetsimError

PCAP_MAGIC = 0xA1B2C3D4          # microsecond resolution
PCAP_VERSION = (2, 4)
LINKTYPE_ETHERNET = 1
SNAPLEN = 262144                 # tcpdump's default snapshot length
ZERO_MAC = "00:00:00:00:00:00"


class PcapError(NetsimError):
    """A capture that cannot be written (netsim's own words)."""


def file_name(netns: str, dev: str) -> str:
    """``<netns>_<dev>.pcap`` with anything unsafe in a file name replaced."""
    safe = re.sub(r"[^A-Za-z0-9_.@-]", "_", f"{netns}_{dev}")
    return f"{safe}.pcap"


def frame_bytes(frame) -> bytes:
    """The wire bytes of a model frame; a bare IP packet gets a zero-MAC header."""
    from ..kernel.packet import ETH_IP, Ether, to_scapy
    if not isinstance(frame, Ether):
        frame = Ether(ZERO_MAC, ZERO_MAC, ETH_IP, frame)
    return bytes(to_scapy(frame))


def header() -> bytes:
    return struct.pack("<IHHiIII", PCAP_MAGIC, *PCAP_VERSION, 0, 0, SNAPLEN, LINKTYPE_ETHERNET)


def record(ts_ns: int, data: bytes) -> bytes:
    sec, ns = divmod(ts_ns, 1_000_000_000)
    caplen = min(len(data), SNAPLEN)
    return struct.pack("<IIII", sec, ns // 1000, caplen, len(data)) + data[:caplen]


def pcap_bytes(frames, clock_ns) -> bytes:
    """A whole pcap file for ``[(time, frame)]``; ``clock_ns(t)`` gives epoch ns."""
    cache: dict[int, bytes] = {}
    out = [header()]
    for t, frame in frames:
        data = cache.get(id(frame))
        if data is None:
            data = cache[id(frame)] = frame_bytes(frame)
        out.append(record(clock_ns(t), data))
    return b"".join(out)


def _atomic_write(path: Path, data: bytes) -> None:
    if path.is_dir():
        raise PcapError(f"{path}: is a directory, not replacing it with a capture")
    write_atomically(path, lambda tmp: tmp.write_bytes(data))


def write_pcaps(engine, directory) -> list[Path]:
    """Write one pcap per interface that saw frames; return their paths, sorted."""
    captured = engine.kernel.pcap
    if captured is None:
        raise PcapError("packet capture was not enabled (Engine(pcap=True))")
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise PcapError(f"{directory}: not a directory")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise PcapError(f"{directory}: cannot create directory: {err.strerror}") from None
    clock_ns = engine.daemon.wallclock_ns
    written = []
    for (netns, dev) in sorted(captured):
        frames = captured[(netns, dev)]
        if not frames:
            continue
        path = directory / file_name(netns, dev)
        _atomic_write(path, pcap_bytes(frames, clock_ns))
        written.append(path)
    return written
