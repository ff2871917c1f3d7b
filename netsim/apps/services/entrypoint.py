"""The official images' ``docker-entrypoint.sh`` scripts: check the command,
prepare the server, then ``exec "$@"`` (the server replaces the script as
PID 1, or any other command given to ``docker run IMAGE CMD…``).

- nginx's ``/docker-entrypoint.sh`` (dash): when ``$1`` is ``nginx`` it runs
  /docker-entrypoint.d/ and says so on stdout (the lines of the 1.25 image).
- redis's (dash): a first argument starting with ``-`` or ending in
  ``.conf`` means ``redis-server …``.
- mysql's (bash): a first argument starting with ``-`` means ``mysqld …``;
  for ``mysqld`` it refuses to start an uninitialized database without one of
  MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD, MYSQL_RANDOM_ROOT_PASSWORD
  (exit 1, the real message), else notes the initialization and execs.
  The initialization itself (a temporary server, ~10 s) is not timed.

``exec`` of a command the image lacks is the shell's error (exit 127); the
line numbers in those messages are the scripts' ``exec`` lines, approximate.
"""
from __future__ import annotations

import time

from .. import busybox
from .http import wall

NGINX_LINES = (
    "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n",
    "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/\n",
    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh\n",
    "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf\n",
    "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf\n",
    "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh\n",
    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh\n",
    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh\n",
    "/docker-entrypoint.sh: Configuration complete; ready for start up\n",
)

MYSQL_NO_PASSWORD = (
    "[ERROR] [Entrypoint]: Database is uninitialized and password option is not specified\n"
    "    You need to specify one of the following as an environment variable:\n"
    "    - MYSQL_ROOT_PASSWORD\n"
    "    - MYSQL_ALLOW_EMPTY_PASSWORD\n"
    "    - MYSQL_RANDOM_ROOT_PASSWORD\n")


def _mysql_note(proc, level: str, text: str, stream=None) -> None:
    stamp = time.strftime("%Y-%m-%d %H:%M:%S+00:00", time.gmtime(wall(proc.sched.now)))
    (stream or proc.out)(f"{stamp} [{level}] [Entrypoint]: {text}\n")


def entrypoint_main(proc):
    script = proc.argv[0]
    args = list(proc.argv[1:])
    programs = proc.programs
    tools = programs.tools if programs is not None else frozenset()
    if script == "/docker-entrypoint.sh":                      # nginx
        if args and args[0] in ("nginx", "nginx-debug") and not proc.env.get("NGINX_ENTRYPOINT_QUIET_LOGS"):
            for line in NGINX_LINES:
                proc.out(line)
        shell_exec = f"{script}: 47: exec: {{}}: not found\n"
    elif "mysqld" in tools:
        if args and args[0].startswith("-"):
            args = ["mysqld"] + args
        shell_exec = f"/usr/local/bin/{script}: line 438: exec: {{}}: not found\n"
        if args and args[0] == "mysqld":
            ver = proc.env.get("MYSQL_VERSION", "")
            _mysql_note(proc, "Note", f"Entrypoint script for MySQL Server {ver} started.")
            if not proc.fs.exists("/var/lib/mysql/mysql"):
                if not any(proc.env.get(k) for k in ("MYSQL_ROOT_PASSWORD", "MYSQL_ALLOW_EMPTY_PASSWORD",
                                                     "MYSQL_RANDOM_ROOT_PASSWORD")):
                    stamp = time.strftime("%Y-%m-%d %H:%M:%S+00:00", time.gmtime(wall(proc.sched.now)))
                    proc.err(f"{stamp} {MYSQL_NO_PASSWORD}")
                    return 1
                _mysql_note(proc, "Note", "Switching to dedicated user 'mysql'")
                _mysql_note(proc, "Note", f"Entrypoint script for MySQL Server {ver} started.")
                _mysql_note(proc, "Note", "Initializing database files")
                proc.fs.mkdir("/var/lib/mysql/mysql", parents=True)
                _mysql_note(proc, "Note", "Database files initialized")
                _mysql_note(proc, "Note", "Temporary server stopped")
                _mysql_note(proc, "Note", "MySQL init process done. Ready for start up.")
    else:                                                     # redis
        if args and (args[0].startswith("-") or args[0].endswith(".conf")):
            args = ["redis-server"] + args
        shell_exec = f"/usr/local/bin/{script}: 24: exec: {{}}: not found\n"
    if not args:
        return 0
    proc.argv = args
    gen = programs(proc) if programs is not None else busybox.run_argv(proc)
    if gen is busybox.NOT_FOUND:
        proc.err(shell_exec.format(args[0]))
        return 127
    return (yield from gen)
