"""Tasks and PID namespaces (netsim.kernel.pid)."""
from netsim.kernel.pid import PidNamespace, TaskTable


def table():
    return TaskTable(lambda: 0.0)


def test_numbers_in_every_namespace_of_the_chain():
    t = table()
    init = t.fork(None, cmdline=["/sbin/init"], comm="systemd")
    ns = t.new_namespace()
    a = t.fork(init, ns=ns, cmdline=["sleep", "1"])
    b = t.fork(a)
    assert (init.pid, a.pid, b.pid) == (1, 1, 2)
    assert a.pid_in(t.init_ns) == 2 and b.pid_in(t.init_ns) == 3
    assert b.ppid_in(ns) == 1 and a.ppid_in(ns) == 0 and a.ppid_in(t.init_ns) == 1
    assert ns.child_reaper is a
    assert [x.pid for x in ns.visible()] == [1, 2]
    assert b.pid_in(PidNamespace()) is None


def test_threads_consume_numbers_and_freed_numbers_are_not_reused_at_once():
    t = table()
    ns = t.new_namespace()
    a = t.fork(None, ns=ns)
    t.spawn_threads(a, 5)
    b = t.fork(a)
    assert b.pid == 7
    t.exit(b)
    assert t.fork(a).pid == 8


def test_wrap_skips_numbers_in_use():
    ns = PidNamespace(PidNamespace(), pid_max=5)
    assert [ns.alloc() for _ in range(4)] == [1, 2, 3, 4]
    ns.used.discard(3)
    assert ns.alloc() == 3


def test_exec_and_set_comm():
    t = table()
    a = t.fork(None, cmdline=["sh", "-c", "ps"], comm="sh")
    t.set_comm(a, "ps")
    assert (a.comm, a.cmdline) == ("ps", ["sh", "-c", "ps"])
    t.exec(a, ["/bin/sleep", "3600"])
    assert (a.comm, a.cmdline) == ("sleep", ["/bin/sleep", "3600"])


def test_orphans_go_to_the_namespace_init_and_init_takes_everyone_with_it():
    t = table()
    host = t.fork(None)
    ns = t.new_namespace()
    init = t.fork(host, ns=ns, cmdline=["sh"])
    mid = t.fork(init, cmdline=["httpd"])
    daemon = t.fork(mid, cmdline=["httpd"])
    t.exit(mid)
    assert daemon.parent is init and daemon.ppid_in(ns) == 1
    killed = []
    daemon.on_kill = lambda sig: killed.append(("httpd", sig))
    t.exit(init)
    assert killed == [("httpd", 9)] and not daemon.alive     # zap_pid_ns_processes: SIGKILL
    assert ns.visible() == [] and [x.pid for x in t.init_ns.visible()] == [1]


def test_cgroup_members():
    t = table()
    a = t.fork(None)
    b = t.fork(a)
    b.cgroup = "/docker/x"
    c = t.fork(b)
    assert t.in_cgroup("/docker/x") == [b, c]


def test_signal_delivery_follows_handlers_default_actions_and_init_protection():
    from netsim.kernel.pid import SIG_IGN
    t = table()
    host_init = t.fork(None, cmdline=["/sbin/init"])
    ns = t.new_namespace()
    init = t.fork(host_init, ns=ns, cmdline=["sh"])
    child = t.fork(init, cmdline=["sleep", "100"])
    ended = []
    init.on_kill = lambda sig: ended.append(("init", sig))
    child.on_kill = lambda sig: ended.append(("child", sig))
    t.signal(init, 15, from_ancestor=True)        # init without a handler: ignored
    t.signal(init, 9)                             # SIGKILL from inside its namespace: ignored
    t.signal(child, 17)                           # SIGCHLD: ignored by default
    assert ended == [] and init.alive and child.alive
    caught = []
    init.handlers[15] = caught.append             # trap … TERM
    init.handlers[10] = SIG_IGN                   # trap '' USR1
    t.signal(init, 15, from_ancestor=True)
    t.signal(init, 10, from_ancestor=True)
    assert caught == [15] and init.alive
    t.signal(child, 15)                           # an ordinary task: SIGTERM ends it
    assert ended == [("child", 15)] and not child.alive
    t.signal(init, 9, from_ancestor=True)         # SIGKILL from the host ends even init
    assert ended[-1] == ("init", 9) and not init.alive
