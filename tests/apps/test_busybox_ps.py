"""busybox ps in a container's PID namespace, the shell's forks and execs,
daemonizing httpd, and docker top (host pids from the same task table)."""
import pytest

from netsim import Engine


def run(e, line):
    r = e.run(line)
    return r.stdout + r.stderr


@pytest.fixture
def e():
    eng = Engine()
    eng.run("docker run -d --name p1 busybox sleep 3600")
    return eng


def test_exec_pids_follow_runc_init_threads(e):
    assert run(e, "docker exec p1 ps") == "PID   USER     COMMAND\n    1 root     sleep 3600\n    7 root     ps\n"
    e.run("docker exec -d p1 sleep 100")
    assert run(e, "docker exec p1 ps") == ("PID   USER     COMMAND\n    1 root     sleep 3600\n"
                                           "   13 root     sleep 100\n   19 root     ps\n")


def test_applet_run_in_place_by_sh_keeps_the_cmdline(e):
    assert run(e, "docker exec p1 sh -c ps").splitlines()[-1] == "    7 root     {ps} sh -c ps"
    # a command before the last one is a forked child; the last replaces the shell
    assert run(e, "docker exec p1 sh -c 'ps; ps -o pid,ppid,comm'") == (
        "PID   USER     COMMAND\n    1 root     sleep 3600\n   13 root     sh -c ps; ps -o pid,ppid,comm\n"
        "   19 root     ps\n"
        "PID   PPID  COMMAND\n    1     0 sleep\n   13     0 ps\n")


def test_columns_and_headers(e):
    assert run(e, "docker exec p1 ps -o pid,comm") == "PID   COMMAND\n    1 sleep\n    7 ps\n"
    # a header sets the width, the last column's too (``args=CMD``: 3 bytes of cmdline)
    assert run(e, "docker exec p1 ps -o user,pid,args=CMD") == (
        "USER     PID   CMD\nroot         1 sle\nroot        13 ps\n")
    assert run(e, "docker exec p1 ps -o pid=NUMBER,stat,vsz,user") == (
        "NUMBER STAT VSZ  USER\n     1 S    2268 root\n    19 R    2268 root\n")
    assert run(e, "docker exec p1 ps -o pid,bogus") == (
        "ps: bad -o argument 'bogus', supported arguments: "
        "user,group,comm,args,pid,ppid,pgid,tty,vsz,sid,stat,rss\n")


def test_ps_sees_the_next_stage_of_its_pipeline(e):
    # every stage is forked (13, 14) before ps reads the table
    assert run(e, "docker exec p1 sh -c 'ps | grep sleep'") == (
        "    1 root     sleep 3600\n    7 root     sh -c ps | grep sleep\n   14 root     grep sleep\n")
    assert run(e, "docker exec p1 sh -c 'ps | grep -v grep; echo end'") == (
        "PID   USER     COMMAND\n    1 root     sleep 3600\n   21 root     ps\nend\n")


def test_background_job_and_last_command(e):
    e.run("docker run -d --name p5 busybox sh -c 'sleep 3600 & sleep 3601'")
    assert run(e, "docker exec p5 ps -o pid,ppid,args") == (
        "PID   PPID  COMMAND\n    1     0 sleep 3601\n    7     1 sleep 3600\n    8     0 ps -o pid,ppid,args\n")
    top = run(e, "docker top p5 -o pid,ppid,args").splitlines()
    assert [line.split()[2:] for line in top[1:]] == [["sleep", "3601"], ["sleep", "3600"]]
    assert top[2].split()[1] == top[1].split()[0]          # the job's parent is PID 1


def test_daemonized_httpd_is_reparented_to_pid_1(e):
    e.run("docker run -d --name p4 busybox sh -c 'httpd -p 80; sleep 3600'")
    assert run(e, "docker exec p4 ps -o pid,ppid,stat,args") == (
        "PID   PPID  STAT COMMAND\n    1     0 S    sleep 3600\n    8     1 S    httpd -p 80\n"
        "    9     0 R    ps -o pid,ppid,stat,args\n")


def test_exec_d_background_outlives_the_exec(e):
    assert run(e, "docker exec p1 sh -c 'sleep 50 & echo $! $$'") == "13 7\n"
    # its shell is gone: the job is PID 1's now
    assert run(e, "docker exec p1 ps -o pid,ppid,args").splitlines()[2] == "   13     1 sleep 50"


def test_shared_pid_namespace_and_its_end(e):
    e.run("docker run -d --name p7 --pid container:p1 busybox sleep 3603")
    assert run(e, "docker exec p7 ps").splitlines()[1:] == [
        "    1 root     sleep 3600", "    7 root     sleep 3603", "   13 root     ps"]
    assert run(e, "docker inspect -f '{{.HostConfig.PidMode}}' p7") == "container:p1\n"
    top = run(e, "docker top p1").splitlines()
    assert len(top) == 2 and top[1].endswith("sleep 3600")
    e.run("docker stop -t 1 p1")
    # the namespace's init died: the kernel killed the rest of it
    assert run(e, "docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' p7") == "exited 137\n"


def test_docker_top_forms(e):
    pid = run(e, "docker inspect -f '{{.State.Pid}}' p1").strip()
    assert run(e, "docker top p1 -o pid,args") == f"PID                 COMMAND\n{pid:<20}sleep 3600\n"
    aux = run(e, "docker top p1 aux").splitlines()
    assert aux[0].split() == ["USER", "PID", "%CPU", "%MEM", "VSZ", "RSS", "TTY", "STAT", "START", "TIME",
                              "COMMAND"]
    assert aux[1].split()[:2] == ["root", pid] and aux[1].split()[6:8] == ["?", "Ss"]
    assert run(e, "docker top p1 -o pid=") == "Error response from daemon: Couldn't find PID field in ps output\n"
    assert run(e, "docker top p1 -o user=PID") == \
        'Error response from daemon: specifying "user=PID" is not allowed\n'
    assert run(e, "docker top p1 -Q") == "Error response from daemon: Error running ps: exit status 1\n"
