"""Linux capabilities of a container's processes.

- the 20.10 CLI sends ``--cap-add``/``--cap-drop`` as given (any case, with
  or without ``CAP_``, duplicates kept): ``HostConfig.CapAdd``/``CapDrop``
  show them so (recorded: caps_inspect_netadmin); the daemon refuses an
  unknown name at create (``invalid CapAdd: unknown capability: "CAP_FOO"``);
- the daemon (moby ``oci/caps.TweakCapabilities``, when it builds the OCI
  spec at start) turns them into the process's set: all capabilities when
  privileged, else the default set minus the dropped plus the added (``ALL``
  added: every capability but the dropped; ``ALL`` dropped: only the added).
  An unknown name fails there.
"""
from __future__ import annotations

from ..errors import InvalidParameter

ALL = "ALL"

# capability.List() of the reference kernel (6.x: up to CAP_CHECKPOINT_RESTORE)
ALL_CAPABILITIES = (
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
    "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
    "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
    "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
    "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON",
    "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
)

# moby oci/caps.DefaultCapabilities
DEFAULT_CAPABILITIES = (
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
    "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
    "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
)


def _normalize(caps) -> list[str]:
    out = []
    for c in caps:
        c = c.upper()
        if c != ALL and not c.startswith("CAP_"):
            c = "CAP_" + c
        out.append(c)
    return out


def tweak_capabilities(adds, drops, privileged: bool,
                       basics=DEFAULT_CAPABILITIES) -> frozenset[str]:
    """moby ``caps.TweakCapabilities``: the process's capability set."""
    if privileged:
        return frozenset(ALL_CAPABILITIES)
    if not adds and not drops:
        return frozenset(basics)
    cap_drop, cap_add = _legacy(drops or []), _legacy(adds or [])
    if ALL in cap_add:
        return frozenset(c for c in ALL_CAPABILITIES if c not in cap_drop)
    if ALL in cap_drop:
        return frozenset(cap_add)
    return frozenset([c for c in basics if c not in cap_drop] + cap_add)


def _legacy(caps) -> list[str]:
    """moby ``caps.NormalizeLegacyCapabilities``: an unknown name is an error."""
    out = []
    for c in _normalize(caps):
        if c != ALL and c not in ALL_CAPABILITIES:
            raise InvalidParameter(f'unknown capability: "{c}"')
        out.append(c)
    return out
