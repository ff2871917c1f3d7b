"""The normaliser: what is random on every real run becomes a placeholder,
consistently per side; what is not random is never touched."""
from netsim.verify.normalize import CaseNormalizer, normalize_case, user_words

CID = "35e2aa65446a2ece95e7232282dcc493300677882d96dafb9f551cfb611df2c8"
CID2 = "797ae60c74ff66a7b1eb8e11bee3b3da1c41e70c490a7f8a722f66bfc5327c94"
NID = "89eaf2843bca4c9cf780226efeb923970fbeffedeb2963f66e2f0836b884c7b4"


def test_ids_numbered_by_first_appearance_long_and_short_share_the_number():
    n = CaseNormalizer()
    assert n.text(f"{NID}\n") == "<ID1>\n"
    assert n.text(f"{CID}\n") == "<ID2>\n"
    assert n.text(f"{CID[:12]}   busybox\n{NID[:12]}\n") == "<id2>   busybox\n<id1>\n"


def test_short_id_seen_before_its_long_form_gets_the_same_number():
    n = CaseNormalizer()
    assert n.text(f"{CID2[:12]} {CID[:12]}") == "<id1> <id2>"
    assert n.text(f'"Id": "{CID}"') == '"Id": "<ID2>"'


def test_two_sides_with_different_ids_in_the_same_pattern_agree():
    real, sim = CaseNormalizer(), CaseNormalizer()
    other = "0" * 63 + "1"
    assert real.text(f"{CID}\n{CID2[:12]}\n{CID[:12]}") == sim.text(f"{other}\n{'a' * 12}\n{other[:12]}")


def test_two_sides_that_mix_up_two_ids_differ():
    real, sim = CaseNormalizer(), CaseNormalizer()
    a, b = "a" * 64, "b" * 64
    real.text(f"{a}\n{b}\n"), sim.text(f"{a}\n{b}\n")
    assert real.text(a[:12]) == "<id1>"
    assert sim.text(b[:12]) == "<id2>"


def test_image_digests_macs_addresses_names_and_messages_are_kept():
    n = CaseNormalizer()
    text = ('"Image": "sha256:' + "c" * 64 + '",\n"MacAddress": "02:42:ac:12:00:02",\n'
            '"IPAddress": "172.18.0.2", "Name": "tomcat81"\n'
            "Error response from daemon: network xue_network not found\n")
    assert n.text(text) == text


def test_generated_names_are_placeholders_but_user_names_are_kept():
    n = CaseNormalizer(keep=user_words(["docker run -d --name happy_cat busybox sleep 9"]))
    out = n.text("happy_cat Up\ncharming_faraday Created\nvigilant_swirles Created\n"
                 "charming_faraday\ncom.docker.network.bridge.default_bridge xue_network\n")
    assert out == ("happy_cat Up\n<NAME1> Created\n<NAME2> Created\n<NAME1>\n"
                   "com.docker.network.bridge.default_bridge xue_network\n")


def test_veth_names_and_interface_indexes():
    n = CaseNormalizer()
    out = n.text("1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536\n"
                 "154: eth0@if155: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500\n")
    assert out == ("1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536\n"
                   "<IDX1>: eth0@if<IDX2>: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500\n")
    assert n.text("155: veth1a2b3c4@if154: <BROADCAST> master docker0\n") == \
        "<IDX2>: <VETH1>@if<IDX1>: <BROADCAST> master docker0\n"


def test_ping_times_and_counters():
    n = CaseNormalizer()
    out = n.text("64 bytes from 172.18.0.3: seq=0 ttl=64 time=0.726 ms\n"
                 "round-trip min/avg/max = 0.100/0.137/0.196 ms\n"
                 "          RX packets:6 errors:0 dropped:0 overruns:0 frame:0\n"
                 "          RX bytes:572 (572.0 B)  TX bytes:0 (0.0 B)\n")
    assert out == ("64 bytes from 172.18.0.3: seq=0 ttl=64 time=<RTT> ms\n"
                   "round-trip min/avg/max = <RTT> ms\n"
                   "          RX packets:<N> errors:0 dropped:0 overruns:0 frame:0\n"
                   "          RX bytes:<N>  TX bytes:<N>\n")


def test_timestamps_but_not_the_zero_time():
    n = CaseNormalizer()
    out = n.text('"StartedAt": "2026-11-27T20:55:31.559195333Z",\n'
                 '"FinishedAt": "0001-01-01T00:00:00Z"\n'
                 'time="2026-11-27T20:56:30Z" level=error msg="x"\n'
                 "2026-11-27 20:55:31 +0000 UTC\n")
    assert out == ('"StartedAt": "<TIME>",\n"FinishedAt": "0001-01-01T00:00:00Z"\n'
                   'time="<TIME>" level=error msg="x"\n<TIME>\n')


def test_ages_collapse_table_padding_on_both_sides_alike():
    real = ("NAMES     STATUS\np2        Up Less than a second\n"
            "p3        Exited (0) 3 seconds ago\n")
    sim = ("NAMES     STATUS\np2        Up 2 seconds\n"
           "p3        Exited (0) About a minute ago\n")
    a, b = CaseNormalizer().text(real), CaseNormalizer().text(sim)
    assert a == b == "NAMES  STATUS\np2  Up <AGE>\np3  Exited (0) <AGE>\n"
    # a duration that is not an age is text like any other
    assert CaseNormalizer().text("sleep 3 seconds\n") == "sleep 3 seconds\n"


def test_pids_in_inspect_docker_top_and_container_ps():
    n = CaseNormalizer()
    assert n.text('"Pid": 25890,\n"ExitCode": 0') == '"Pid": <PID1>,\n"ExitCode": 0'
    assert n.text('"Pid": 0,') == '"Pid": 0,'
    top = ("UID                 PID                 PPID                C                   "
           "STIME               TTY                 TIME                CMD\n"
           "root                25890               25861               2                   "
           "20:56               ?                   00:00:00            sleep 3600\n")
    assert n.text(top) == ("UID  PID  PPID  C  STIME  TTY  TIME  CMD\n"
                           "root  <PID1>  <PID2>  <C>  <STIME>  ?  <TIME>  sleep 3600\n")
    ps = "PID   USER     COMMAND\n    1 root     sleep 3600\n   31 root     ps\n"
    assert n.text(ps) == "PID   USER     COMMAND\n    1 root     sleep 3600\n <PID3> root     ps\n"


def test_dns_port_and_engine_roots():
    n = CaseNormalizer(roots=[("/srv/docker", "<DATA_ROOT>")])
    assert n.text("tcp  0  0 127.0.0.11:41235   0.0.0.0:*  LISTEN\n") == \
        "tcp  0  0 127.0.0.11:<PORT> 0.0.0.0:*  LISTEN\n"
    assert n.text("127.0.0.11:53") == "127.0.0.11:53"
    assert n.text('"LogPath": "/srv/docker/containers/x"') == '"LogPath": "<DATA_ROOT>/containers/x"'
    assert CaseNormalizer().text("/var/lib/docker/containers") == "<DATA_ROOT>/containers"


def test_nslookup_answer_blocks_race_is_sorted():
    a_first = ("Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\n"
               "Non-authoritative answer:\nName:\tns1\nAddress: 172.18.0.2\n\n"
               "Non-authoritative answer:\n\n")
    empty_first = ("Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\n"
                   "Non-authoritative answer:\n\n"
                   "Non-authoritative answer:\nName:\tns1\nAddress: 172.18.0.2\n\n")
    assert CaseNormalizer().text(a_first) == CaseNormalizer().text(empty_first)
    other = empty_first.replace("172.18.0.2", "172.18.0.3")
    assert CaseNormalizer().text(a_first) != CaseNormalizer().text(other)


def test_network_inspect_containers_map_sorted_by_name():
    def inspect(first, second):
        return ('        "Containers": {\n'
                f'            "{first[0]}": {{\n                "Name": "{first[1]}"\n            }},\n'
                f'            "{second[0]}": {{\n                "Name": "{second[1]}"\n            }}\n'
                '        },\n')
    a, b = ("a" * 64, "u1"), ("b" * 64, "u2")
    real = CaseNormalizer().text(inspect(b, a), "docker network inspect un")
    sim = CaseNormalizer().text(inspect(a, b), "docker network inspect un")
    assert real.index('"u1"') < real.index('"u2"')
    assert sim.index('"u1"') < sim.index('"u2"')


def test_normalize_case_keeps_commands_words_and_exit_codes():
    steps = [{"command": "docker run -d --name happy_cat busybox sleep 9",
              "stdout": CID + "\n", "stderr": "", "exit_code": 0},
             {"command": "docker ps -a --format '{{.Names}}'",
              "stdout": "happy_cat\nsad_turing\n", "stderr": "", "exit_code": 3}]
    assert normalize_case(steps) == [
        {"command": steps[0]["command"], "stdout": "<ID1>\n", "stderr": "", "exit_code": 0},
        {"command": steps[1]["command"], "stdout": "happy_cat\n<NAME1>\n", "stderr": "",
         "exit_code": 3}]


def test_docker_top_with_ps_options_numbers_host_pids():
    n = CaseNormalizer()
    out = ("PID                 PPID                COMMAND\n"
           "25659               25639               sleep 3600\n"
           "25741               25659               sleep 100\n")
    assert n.text(out, "docker top p1 -o pid,ppid,args") == (
        "PID  PPID  COMMAND\n<PID1>  <PID2>  sleep 3600\n<PID3>  <PID1>  sleep 100\n")
    assert n.text("PID   COMMAND\n    1 sleep\n   32 ps\n") == "PID   COMMAND\n    1 sleep\n <PID4> ps\n"


def test_docker_diff_lines_are_sorted_by_path_and_commit_ids_numbered():
    """``docker diff`` follows the upper dir's readdir order; ``docker commit``
    prints a content-addressed id holding the commit time.  busybox's id stays."""
    from netsim.verify.normalize import normalize_case
    run1 = [{"command": "docker diff c1", "stdout": "C /tmp\nA /tmp/a.txt\nC /etc\nD /etc/passwd\n",
             "stderr": "", "exit_code": 0},
            {"command": "docker commit c1 snap", "stdout": "sha256:" + "7" * 64 + "\n", "stderr": "",
             "exit_code": 0},
            {"command": "docker images -q", "stdout": "7" * 12 + "\n", "stderr": "", "exit_code": 0},
            {"command": "docker image inspect -f '{{.Id}}' busybox", "stdout": "sha256:" + "a" * 64 + "\n",
             "stderr": "", "exit_code": 0}]
    run2 = [dict(s) for s in run1]
    run2[0]["stdout"] = "C /etc\nD /etc/passwd\nC /tmp\nA /tmp/a.txt\n"
    run2[1]["stdout"] = "sha256:" + "8" * 64 + "\n"
    run2[2]["stdout"] = "8" * 12 + "\n"
    got1, got2 = normalize_case(run1), normalize_case(run2)
    assert got1 == got2
    assert [s["stdout"] for s in got1] == ["C /etc\nD /etc/passwd\nC /tmp\nA /tmp/a.txt\n",
                                           "sha256:<ID1>\n", "<id1>\n", "sha256:" + "a" * 64 + "\n"]
    run2[3]["stdout"] = "sha256:" + "b" * 64 + "\n"
    assert normalize_case(run2)[3] != got1[3]
