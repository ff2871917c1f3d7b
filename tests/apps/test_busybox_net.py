"""busybox applets on hand-built namespaces: outputs as the recordings show them."""
import re

from netsim.apps.busybox import NOT_FOUND, PROGRAMS, run_argv
from netsim.kernel.netfilter import Rule
from netsim.kernel.socket import UdpSocket
from netsim.proto import dns


def dns_server(lab, ns, records, ip="127.0.0.11"):
    """A tiny embedded-DNS stand-in: A records from ``records``, empty AAAA."""
    sock = UdpSocket(ns)
    sock.bind(ip, 53)

    def serve():
        while True:
            got = yield sock.recvfrom(None)
            if not isinstance(got, tuple):
                continue
            data, src = got
            q = dns.Message.unpack(data)
            r = dns.Message(q.id, q.qname, q.qtype, response=True, ra=True)
            name = q.qname.lower()
            if name not in records:
                r.rcode = dns.NXDOMAIN
            elif q.qtype == dns.A:
                r.answers = [dns.Record(q.qname, dns.A, 600, a) for a in records[name]]
            sock.sendto(r.pack(), src)
    lab.k.sched.process(serve())
    return sock


def norm_idx(text):
    return re.sub(r"^\d+: (\w+)(@if\d+)?", lambda m: f"N: {m.group(1)}{'@ifM' if m.group(2) else ''}",
                  text, flags=re.M)


RECORDED_IP_ADDR = (
    "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000\n"
    "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
    "    inet 127.0.0.1/8 scope host lo\n"
    "       valid_lft forever preferred_lft forever\n"
    "154: eth0@if155: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue \n"
    "    link/ether 02:42:ac:12:00:02 brd ff:ff:ff:ff:ff:ff\n"
    "    inet 172.18.0.2/16 brd 172.18.255.255 scope global eth0\n"
    "       valid_lft forever preferred_lft forever\n")


def test_ip_addr_route_link_as_recorded(lab):
    a = lab.container("a", "172.18.0.2", 2)
    out, err, rc = lab.run(a, ["ip", "addr"])
    assert rc == 0 and norm_idx(out) == norm_idx(RECORDED_IP_ADDR)
    eth0 = a.interfaces["eth0"]
    assert f"{eth0.ifindex}: eth0@if{eth0.peer.ifindex}:" in out
    assert lab.run(a, ["ip", "a"])[0] == out
    assert lab.run(a, ["ip", "route"])[0] == (
        "default via 172.18.0.1 dev eth0 \n172.18.0.0/16 dev eth0 scope link  src 172.18.0.2 \n")
    out, _, _ = lab.run(a, ["ip", "-4", "addr", "show", "eth0"])
    assert norm_idx(out) == ("N: eth0@ifM: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue \n"
                             "    inet 172.18.0.2/16 brd 172.18.255.255 scope global eth0\n"
                             "       valid_lft forever preferred_lft forever\n")
    out, _, _ = lab.run(a, ["ip", "link"])
    assert "link/ether 02:42:ac:12:00:02 brd ff:ff:ff:ff:ff:ff\n" in out and "inet" not in out


def test_route_netstat_procfs_as_recorded(lab):
    a = lab.container("a", "172.18.0.2", 2)
    assert lab.run(a, ["route", "-n"])[0] == (
        "Kernel IP routing table\n"
        "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n"
        "0.0.0.0         172.18.0.1      0.0.0.0         UG    0      0        0 eth0\n"
        "172.18.0.0      0.0.0.0         255.255.0.0     U     0      0        0 eth0\n")
    assert lab.run(a, ["netstat", "-rn"])[0] == (
        "Kernel IP routing table\n"
        "Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface\n"
        "0.0.0.0         172.18.0.1      0.0.0.0         UG        0 0          0 eth0\n"
        "172.18.0.0      0.0.0.0         255.255.0.0     U         0 0          0 eth0\n")
    out = lab.run(a, ["cat", "/proc/net/route"])[0]
    lines = out.split("\n")
    assert lines[1] == "eth0\t00000000\t010012AC\t0003\t0\t0\t0\t00000000\t0\t0\t0".ljust(127)
    assert lab.run(a, ["cat", "/sys/class/net/eth0/address"])[0] == "02:42:ac:12:00:02\n"


def test_ifconfig_eth_before_lo(lab):
    a = lab.container("a", "172.18.0.2", 2)
    out = lab.run(a, ["ifconfig"])[0]
    assert out.startswith("eth0      Link encap:Ethernet  HWaddr 02:42:AC:12:00:02  \n"
                          "          inet addr:172.18.0.2  Bcast:172.18.255.255  Mask:255.255.0.0\n"
                          "          UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1\n")
    assert "\nlo        Link encap:Local Loopback  \n" in out
    assert "collisions:0 txqueuelen:1000 \n" in out


def test_ping_by_name_and_statistics(lab):
    a = lab.container("a", "172.18.0.2", 2)
    b = lab.container("b", "172.18.0.3", 3)
    dns_server(lab, a, {"b": ["172.18.0.3"]})
    assert lab.run(a, ["ip", "neigh"])[0] == ""
    assert lab.run(a, ["ping", "-c", "1", "b"])[2] == 0
    assert lab.run(a, ["ip", "neigh"])[0] == (
        "172.18.0.3 dev eth0 lladdr 02:42:ac:12:00:03 ref 1 used 0/0/0 probes 4 REACHABLE\n")
    # the peer learned us from our ARP request (ping_user_network records DELAY)
    assert lab.run(b, ["ip", "neigh"])[0] == (
        "172.18.0.2 dev eth0 lladdr 02:42:ac:12:00:02 ref 1 used 0/0/0 probes 0 DELAY\n")
    a.stack.neigh.entries.clear()
    out, err, rc = lab.run(a, ["ping", "-c", "2", "b"])
    assert rc == 0 and err == ""
    norm = re.sub(r"\d+\.\d{3}", "T", out)
    assert norm == ("PING b (172.18.0.3): 56 data bytes\n"
                    "64 bytes from 172.18.0.3: seq=0 ttl=64 time=T ms\n"
                    "64 bytes from 172.18.0.3: seq=1 ttl=64 time=T ms\n\n"
                    "--- b ping statistics ---\n"
                    "2 packets transmitted, 2 packets received, 0% packet loss\n"
                    "round-trip min/avg/max = T/T/T ms\n")
    # the first echo waited for ARP
    t = [float(x) for x in re.findall(r"time=(\d+\.\d+)", out)]
    assert t[0] > t[1]
    assert lab.run(a, ["arp", "-n"])[0] == "? (172.18.0.3) at 02:42:ac:12:00:03 [ether]  on eth0\n"


def test_ping_failures(lab):
    a = lab.container("a", "172.18.0.2", 2)
    lab.container("b", "172.18.0.3", 3)
    dns_server(lab, a, {})
    t0 = lab.k.sched.now
    out, err, rc = lab.run(a, ["ping", "-c", "1", "-W", "1", "172.18.0.99"])
    assert rc == 1 and out == ("PING 172.18.0.99 (172.18.0.99): 56 data bytes\n\n"
                               "--- 172.18.0.99 ping statistics ---\n"
                               "1 packets transmitted, 0 packets received, 100% packet loss\n")
    assert abs(lab.k.sched.now - t0 - 1.0) < 1e-6
    assert lab.run(a, ["ping", "-c", "1", "-W", "1", "nosuchname"]) == (
        "", "ping: bad address 'nosuchname'\n", 1)
    # a DROP rule on the bridge: the echo vanishes
    lab.host.netfilter.filter.append("FORWARD", Rule("DROP", in_iface="br0", out_iface="br0"))
    out, err, rc = lab.run(a, ["ping", "-c", "1", "-W", "2", "172.18.0.3"])
    assert rc == 1 and "0 packets received" in out
    # no route at all
    a.routes.routes.clear()
    out, err, rc = lab.run(a, ["ping", "-c", "1", "10.9.9.9"])
    assert rc == 1 and err == "ping: sendto: Network is unreachable\n"


def test_ping_localhost_and_self(lab):
    a = lab.container("a", "172.18.0.2", 2)
    out, _, rc = lab.run(a, ["ping", "-c", "1", "localhost"])
    assert rc == 0 and out.startswith("PING localhost (127.0.0.1): 56 data bytes\n64 bytes from 127.0.0.1: seq=0 ttl=64")
    out, _, rc = lab.run(a, ["ping", "-c", "1", "a"])
    assert rc == 0 and out.startswith("PING a (172.18.0.2)")


def test_ping_until_killed(lab):
    a = lab.container("a", "172.18.0.2", 2)
    lab.container("b", "172.18.0.3", 3)
    p, pr = lab.start(a, ["ping", "172.18.0.3"])
    lab.k.sched.run(until=3.5)
    assert p.output.count("bytes from") == 4 and not pr.triggered
    p.killed_by = 2
    pr.kill()
    assert "4 packets transmitted, 4 packets received, 0% packet loss" in p.output


def test_nslookup_formats(lab):
    a = lab.container("a", "172.18.0.2", 2)
    dns_server(lab, a, {"b": ["172.18.0.3"], "b.lnet": ["172.18.0.3"]})
    out, err, rc = lab.run(a, ["nslookup", "b"])
    assert (out, err, rc) == (
        "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\n"
        "Non-authoritative answer:\nName:\tb\nAddress: 172.18.0.3\n\n"
        "Non-authoritative answer:\n\n", "", 0)
    out, err, rc = lab.run(a, ["nslookup", "nosuchname"])
    assert rc == 1 and out == ("Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\n"
                               "** server can't find nosuchname: NXDOMAIN\n\n"
                               "** server can't find nosuchname: NXDOMAIN\n\n")


def test_nslookup_no_server(lab):
    a = lab.container("a", "172.18.0.2", 2, resolv="nameserver 127.0.0.1\n")
    t0 = lab.k.sched.now
    out, err, rc = lab.run(a, ["nslookup", "b"])
    # as ping_default_bridge records: the error surfaces on the second write
    assert (out, err, rc) == (";; connection timed out; no servers could be reached\n\n",
                              "nslookup: write to '127.0.0.1': Connection refused\n", 1)
    assert lab.k.sched.now - t0 < 0.01


def test_nslookup_silent_server_times_out(lab):
    a = lab.container("a", "172.18.0.2", 2, resolv="nameserver 172.18.0.1\n")
    lab.host.netfilter.filter.append("INPUT", Rule("DROP", in_iface="br0"))
    t0 = lab.k.sched.now
    out, err, rc = lab.run(a, ["nslookup", "b"])
    assert (out, err, rc) == (";; connection timed out; no servers could be reached\n\n", "", 1)
    assert abs(lab.k.sched.now - t0 - 5.0) < 1e-3


def test_wget_and_httpd(lab):
    a = lab.container("a", "172.18.0.2", 2)
    b = lab.container("b", "172.18.0.3", 3)
    dns_server(lab, a, {"b": ["172.18.0.3"]})
    assert lab.run(b, ["sh", "-c", "echo hello > /tmp/index.html"])[2] == 0
    assert lab.run(b, ["httpd", "-p", "8080", "-h", "/tmp"]) == ("", "", 0)
    assert lab.run(a, ["wget", "-qO-", "http://b:8080/"]) == ("hello\n", "", 0)
    assert lab.run(a, ["wget", "-qO-", "http://172.18.0.3:8080/index.html"]) == ("hello\n", "", 0)
    assert lab.run(a, ["wget", "-qO-", "http://b:8080/missing.html"]) == (
        "", "wget: server returned error: HTTP/1.1 404 Not Found\n", 1)
    assert lab.run(a, ["wget", "-qO-", "http://b:9999/"]) == (
        "", "wget: can't connect to remote host (172.18.0.3): Connection refused\n", 1)
    assert lab.run(a, ["wget", "-O-", "http://b:8080/"]) == (
        "hello\n",
        "Connecting to b:8080 (172.18.0.3:8080)\nwriting to stdout\n"
        "-                    100% |********************************|     6  0:00:00 ETA\n"
        "written to stdout\n", 0)
    assert lab.run(a, ["wget", "-q", "-T", "2", "-O-", "http://nosuchhost:8080/"]) == ("", "", 139)
    assert lab.run(a, ["wget", "-q", "-O-", "http://nosuchhost:8080/"]) == (
        "", "wget: bad address 'nosuchhost'\n", 1)
    out, err, rc = lab.run(a, ["wget", "http://b:8080/"])
    assert rc == 0 and lab.fs["a"].read("/index.html") == "hello\n"
    assert err.endswith("saving to 'index.html'\n"
                        "index.html           100% |********************************|     6  0:00:00 ETA\n"
                        "'index.html' saved\n")
    assert lab.run(a, ["wget", "http://b:8080/"])[1].endswith(
        "wget: can't open 'index.html': File exists\n")
    out, err, rc = lab.run(a, ["wget", "-S", "-q", "-O-", "http://b:8080/"])
    assert err.startswith("  HTTP/1.1 200 OK\n  Date: ") and "  Content-Length: 6\n" in err
    assert lab.run(b, ["netstat", "-tln"])[0] == (
        "Active Internet connections (only servers)\n"
        "Proto Recv-Q Send-Q Local Address           Foreign Address         State       \n"
        "tcp        0      0 :::8080                 :::*                    LISTEN      \n")


def test_wget_timeout_with_drop_rule(lab):
    a = lab.container("a", "172.18.0.2", 2)
    lab.container("b", "172.18.0.3", 3)
    lab.host.netfilter.filter.append("FORWARD", Rule("DROP", in_iface="br0", out_iface="br0"))
    out, err, rc = lab.run(a, ["wget", "-qO-", "http://172.18.0.3/"], limit=300)
    assert rc == 1 and err == "wget: can't connect to remote host (172.18.0.3): Connection timed out\n"


def test_nc_client_server(lab):
    srv = lab.container("srvr", "172.18.0.2", 2)
    cli = lab.container("clnt", "172.18.0.3", 3)
    dns_server(lab, cli, {"srvr": ["172.18.0.2"]})
    p, server = lab.start(srv, ["sh", "-c", "nc -l -p 5000 > /tmp/got.txt"])
    lab.k.sched.run(until=lab.k.sched.now + 1)
    assert lab.run(srv, ["netstat", "-tln"])[0].endswith(
        "tcp        0      0 :::5000                 :::*                    LISTEN      \n")
    assert lab.run(cli, ["sh", "-c", "echo ping-over-nc | nc -w 2 srvr 5000"]) == ("", "", 0)
    lab.k.sched.run(until=lab.k.sched.now + 1)
    assert server.triggered and server.value == 0
    assert lab.run(srv, ["cat", "/tmp/got.txt"])[0] == "ping-over-nc\n"
    assert lab.run(cli, ["sh", "-c", "echo x | nc -w 2 srvr 5001"]) == (
        "", "nc: can't connect to remote host (172.18.0.2): Connection refused\n", 1)
    lab.start(srv, ["sh", "-c", "echo from-server | nc -l -p 6000"])
    lab.k.sched.run(until=lab.k.sched.now + 1)
    assert lab.run(cli, ["nc", "-w", "2", "srvr", "6000"]) == ("from-server\n", "", 0)
    out, err, rc = lab.run(cli, ["nc", "-z", "-w", "2", "srvr", "6001"])
    assert rc == 1 and err.startswith(
        "nc: invalid option -- 'z'\nBusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\n"
        "Usage: nc [-iN] [-wN] [-l] [-p PORT] [-f FILE|IPADDR PORT] [-e PROG]\n")
    # a DROP rule: the connect times out after -w
    lab.host.netfilter.filter.append("FORWARD", Rule("DROP", in_iface="br0", out_iface="br0"))
    t0 = lab.k.sched.now
    assert lab.run(cli, ["nc", "-w", "2", "srvr", "6000"]) == ("", "nc: timed out\n", 1)
    assert abs(lab.k.sched.now - t0 - 2) < 1e-6


def test_hostname_and_shell(lab):
    a = lab.container("a", "172.18.0.2", 2)
    assert lab.run(a, ["hostname"]) == ("a\n", "", 0)
    assert lab.run(a, ["hostname", "-i"]) == ("172.18.0.2\n", "", 0)
    assert lab.run(a, ["sh", "-c", "echo out; echo err >&2; exit 2"]) == ("out\n", "err\n", 2)
    assert lab.run(a, ["sh", "-c", "exit 7"])[2] == 7
    assert lab.run(a, ["false"])[2] == 1
    assert lab.run(a, ["sh", "-c", "nosuch; echo $?"]) == ("127\n", "sh: nosuch: not found\n", 0)
    assert lab.run(a, ["sh", "-c", "cat /etc/hosts | grep -c localhost && echo yes || echo no"])[0] == "2\nyes\n"
    assert lab.run(a, ["sh", "-c", "echo $(hostname) >> /tmp/x; echo b >> /tmp/x; cat /tmp/x"])[0] == "a\nb\n"
    assert lab.run(a, ["sh", "-c", "head -1 /etc/hosts"])[0] == "127.0.0.1\tlocalhost\n"
    assert lab.run(a, ["sh", "-c", "env | sort | grep -E 'PWD|SHLVL'"])[0] == "PWD=/\nSHLVL=1\n"
    assert run_argv(lab.proc(a, ["nosuchcmd", "arg"])) is NOT_FOUND
    assert lab.run(a, ["/bin/echo", "hi"])[0] == "hi\n"
    assert lab.run(a, ["busybox", "echo", "hi"])[0] == "hi\n"
    assert "ping" in PROGRAMS and "nslookup" in PROGRAMS


def test_sleep_takes_simulated_time(lab):
    a = lab.container("a", "172.18.0.2", 2)
    t0 = lab.k.sched.now
    assert lab.run(a, ["sleep", "5"])[2] == 0
    assert abs(lab.k.sched.now - t0 - 5) < 1e-9
