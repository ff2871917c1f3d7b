"""busybox 1.35 (Debian's static glibc build): applets as generator programs.

``PROGRAMS`` maps an applet name to ``main(proc)``, a generator that uses the
kernel model's sockets through :class:`~netsim.apps.process.Proc`, yields
simulated delays or events, writes through ``proc.out``/``proc.err`` and
returns the exit status (an int).

``run_argv(proc)`` dispatches on ``proc.argv[0]`` (``NAME``, ``/bin/NAME``,
``busybox NAME``/``/bin/busybox NAME``) and returns the applet's generator,
ready to be run as a process (``kernel.sched.process(gen)``).  When there is
no such executable it returns the sentinel :data:`NOT_FOUND` instead of a
generator: the caller (runc, through the daemon) then reports
``exec: "NAME": executable file not found in $PATH`` (``docker exec``: exit
126; ``docker run``: exit 127), as ``errors_run.json``/``exec_misc.json``
record.  Inside ``sh -c``, an unknown command is ``sh: NAME: not found``
(exit 127) instead.

Notes on this build, from the recordings:

- ``wget -T`` crashes (exit 139, SIGSEGV, no output): Debian builds 1.35
  without ``FEATURE_WGET_TIMEOUT`` and getopt32 writes the value through a
  NULL pointer (``http_wget_user_network``).
- Name lookups go through :mod:`netsim.apps.libc`; ``nslookup`` has its own
  resolver (busybox's ``FEATURE_NSLOOKUP_BIG``).
- ``httpd`` without ``-f`` and ``nc -l`` run as a background process started
  with ``kernel.sched.process`` (httpd daemonizes; the applet returns 0).
"""
from __future__ import annotations

from . import coreutils, net, sh, textutils


class _NotFound:
    """No such executable in the image (``$PATH`` is /bin in busybox)."""

    def __repr__(self) -> str:
        return "NOT_FOUND"

    def __bool__(self) -> bool:
        return False


NOT_FOUND = _NotFound()


def _lazy(module: str, func: str):
    """``main(proc)`` of an applet whose module is imported on first use: it
    returns the applet's generator.  The module is looked up once and kept (a
    module object stays the same one, even through a reload); its function is
    looked up at every call."""
    loaded = None

    def main(proc):
        nonlocal loaded
        if loaded is None:
            import importlib
            loaded = importlib.import_module(f"{__name__}.{module}")
        return getattr(loaded, func)(proc)
    main.__name__ = func
    return main


PROGRAMS: dict = {
    "sh": sh.sh_main, "ash": sh.sh_main,
    "cat": coreutils.cat_main, "echo": coreutils.echo_main, "env": coreutils.env_main,
    "printenv": coreutils.printenv_main, "sleep": coreutils.sleep_main,
    "true": coreutils.true_main, "false": coreutils.false_main, "id": coreutils.id_main,
    "whoami": coreutils.whoami_main, "uname": coreutils.uname_main, "pwd": coreutils.pwd_main,
    "hostname": coreutils.hostname_main, "dnsdomainname": coreutils.dnsdomainname_main, "ls": coreutils.ls_main, "mkdir": coreutils.mkdir_main,
    "touch": coreutils.touch_main, "rm": coreutils.rm_main, "grep": coreutils.grep_main,
    "sort": coreutils.sort_main, "head": coreutils.head_main, "wc": coreutils.wc_main,
    "du": coreutils.du_main,
    "ps": _lazy("ps", "ps_main"),
    "awk": textutils.awk_main, "cut": textutils.cut_main, "sed": textutils.sed_main,
    "tr": textutils.tr_main, "tail": textutils.tail_main, "uniq": textutils.uniq_main,
    "grep": textutils.grep_main,
    "ip": net.ip_main, "ifconfig": net.ifconfig_main, "route": net.route_main,
    "netstat": net.netstat_main, "arp": net.arp_main,
    "ping": _lazy("ping", "ping_main"),
    "nslookup": _lazy("nslookup", "nslookup_main"),
    "wget": _lazy("wget", "wget_main"),
    "httpd": _lazy("httpd", "httpd_main"),
    "nc": _lazy("nc", "nc_main"),
    "telnet": _lazy("telnet", "telnet_main"),
    "traceroute": _lazy("traceroute", "traceroute_main"),
    "ping6": _lazy("ping6", "ping6_main"),
    "ipcalc": _lazy("ipcalc", "ipcalc_main"),
    "printf": _lazy("shellutils", "printf_main"),
    "seq": _lazy("shellutils", "seq_main"),
    "tee": _lazy("shellutils", "tee_main"),
    "xargs": _lazy("shellutils", "xargs_main"),
    "basename": _lazy("shellutils", "basename_main"),
    "dirname": _lazy("shellutils", "dirname_main"),
    "expr": _lazy("shellutils", "expr_main"),
    "test": _lazy("shellutils", "test_main"),
    "[": _lazy("shellutils", "test_main"),
    "[[": _lazy("shellutils", "test_main"),
    "yes": _lazy("shellutils", "yes_main"),
    "find": _lazy("fileutils", "find_main"),
    "cp": _lazy("fileutils", "cp_main"),
    "mv": _lazy("fileutils", "mv_main"),
    "ln": _lazy("fileutils", "ln_main"),
    "chmod": _lazy("fileutils", "chmod_main"),
    "chown": _lazy("fileutils", "chown_main"),
    "chgrp": _lazy("fileutils", "chown_main"),
    "rmdir": _lazy("fileutils", "rmdir_main"),
    "stat": _lazy("fileutils", "stat_main"),
    "readlink": _lazy("fileutils", "readlink_main"),
    "realpath": _lazy("fileutils", "realpath_main"),
    "which": _lazy("fileutils", "which_main"),
    "kill": _lazy("procutils", "kill_main"),
    "killall": _lazy("procutils", "killall_main"),
    "pidof": _lazy("procutils", "pidof_main"),
    "timeout": _lazy("procutils", "timeout_main"),
    "usleep": _lazy("procutils", "usleep_main"),
    "nproc": _lazy("procutils", "nproc_main"),
    "free": _lazy("sysinfo", "free_main"),
    "uptime": _lazy("sysinfo", "uptime_main"),
    "df": _lazy("sysinfo", "df_main"),
    "mount": _lazy("sysinfo", "mount_main"),
    "date": _lazy("sysinfo", "date_main"),
    "cal": _lazy("sysinfo", "cal_main"),
    "sync": _lazy("sysinfo", "sync_main"),
    "tty": _lazy("sysinfo", "tty_main"),
    "hostid": _lazy("sysinfo", "hostid_main"),
    "logname": _lazy("sysinfo", "logname_main"),
    "md5sum": _lazy("digest", "md5sum_main"),
    "sha1sum": _lazy("digest", "sha1sum_main"),
    "sha256sum": _lazy("digest", "sha256sum_main"),
    "sha512sum": _lazy("digest", "sha512sum_main"),
    "base64": _lazy("digest", "base64_main"),
    "od": _lazy("digest", "od_main"),
    "hexdump": _lazy("digest", "hexdump_main"),
    "xxd": _lazy("digest", "xxd_main"),
    "tac": _lazy("digest", "tac_main"),
    "rev": _lazy("digest", "rev_main"),
    "nl": _lazy("digest", "nl_main"),
    "paste": _lazy("digest", "paste_main"),
    "fold": _lazy("digest", "fold_main"),
    "cmp": _lazy("digest", "cmp_main"),
}

BIN_DIRS = ("/bin/", "/usr/bin/", "/sbin/", "/usr/sbin/")


def lookup(argv: list[str]):
    """``(main, argv)`` for a command line, or ``(None, argv)``."""
    if not argv:
        return None, argv
    name = argv[0]
    if name[:1] == "/":
        for d in BIN_DIRS:
            if name.startswith(d) and "/" not in name[len(d):]:
                name = name[len(d):]
                break
    if name == "busybox":
        if len(argv) < 2:
            return None, argv
        return lookup(argv[1:])
    if "/" in name:
        return None, argv
    main = PROGRAMS.get(name)
    return main, [name] + list(argv[1:])


def run_argv(proc):
    """The generator running ``proc.argv``, or :data:`NOT_FOUND`."""
    main, argv = lookup(proc.argv)
    if main is None:
        return NOT_FOUND
    proc.argv = argv
    return main(proc)


__all__ = ["PROGRAMS", "NOT_FOUND", "run_argv", "lookup"]
