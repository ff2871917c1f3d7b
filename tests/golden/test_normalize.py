"""The normaliser hides only what is random, consistently on both sides."""
from normalize import normalize_case

ID_A = "18a582bd82f4580dbd53d42cbdcc5ad191fc8de9a33cec4b9409bf3b301d90e0"
ID_B = "0320a9e98bba05831e565b89572fe854c1769cae840386152e92c559552584f2"


def _steps(*outs):
    return [{"command": "docker x", "stdout": o, "stderr": "", "exit_code": 0} for o in outs]


def test_ids_map_in_order_of_first_appearance_in_both_forms():
    got = normalize_case(_steps(ID_A + "\n", f"{ID_B[:12]} {ID_A[:12]}\n", ID_B + "\n"))
    assert [s["stdout"] for s in got] == ["<ID1>\n", "<id2> <id1>\n", "<ID2>\n"]


def test_swapped_ids_do_not_compare_equal():
    one = normalize_case(_steps(ID_A + "\n", ID_B + "\n", ID_A + "\n"))
    two = normalize_case(_steps(ID_A + "\n", ID_B + "\n", ID_B + "\n"))
    assert one[2]["stdout"] != two[2]["stdout"]


def test_addresses_macs_and_user_names_are_kept():
    text = "my_net 172.17.0.2 02:42:ac:11:00:02 sha256:" + "ab" * 32 + "\n"
    assert normalize_case(_steps(text))[0]["stdout"] == text


def test_times_ages_rtts_and_generated_names_are_placeholders():
    got = normalize_case(_steps(
        'charming_faraday Up 2 seconds\n',
        '"Created": "2026-11-27T20:55:35.926719966Z", "FinishedAt": "0001-01-01T00:00:00Z"\n',
        '64 bytes from 172.17.0.3: seq=0 ttl=64 time=0.318 ms\n'))
    assert [s["stdout"] for s in got] == [
        "<NAME1> Up <AGE>\n",
        '"Created": "<TIME>", "FinishedAt": "0001-01-01T00:00:00Z"\n',
        "64 bytes from 172.17.0.3: seq=0 ttl=64 time=<RTT> ms\n"]


def _step(command, out):
    return normalize_case([{"command": command, "stdout": out, "stderr": "", "exit_code": 0}])[0]["stdout"]


def test_docker_top_with_ps_options_hides_host_pids_cpu_start_and_rss():
    aux = ("USER                PID                 %CPU                %MEM                VSZ                 "
           "RSS                 TTY                 STAT                START               TIME                "
           "COMMAND\n"
           "root                25659               1.7                 0.0                 2268                "
           "1448                ?                   Ss                  21:32               0:00                "
           "sleep 3600\n")
    assert _step("docker top p1 aux", aux) == (
        "USER  PID  %CPU  %MEM  VSZ  RSS  TTY  STAT  START  TIME  COMMAND\n"
        "root  <PID>  <C>  0.0  2268  <RSS>  ?  Ss  <STIME>  0:00  sleep 3600\n")
    args = "PID                 COMMAND\n25659               sleep 3600\n"
    assert _step("docker top p1 -o pid,args", args) == "PID  COMMAND\n<PID>  sleep 3600\n"
    assert _step("docker exec p1 cat top.txt", "UID  PID\nroot 25659\n") == "UID  PID\nroot 25659\n"


def test_container_ps_pids_are_hidden_with_any_columns():
    assert _step("docker exec p1 ps -o pid,comm", "PID   COMMAND\n    1 sleep\n   32 ps\n") == \
        "PID   COMMAND\n<PID> sleep\n<PID> ps\n"
    assert _step("docker exec p1 cat f", "USER PID\n   32 x\n") == "USER PID\n   32 x\n"
