"""overlayfs model: copy-up, whiteouts, opaque directories, sizes."""
import errno

import pytest

from netsim.fs import Filesystem, MountEntry
from netsim.storage.overlay import Overlay
from netsim.storage.tree import Node, Tree


def lower():
    t = Tree()
    t.mkdirs("/etc")
    t.put("/etc/passwd", Node("file", "root\n", 0o644))
    t.mkdirs("/tmp")
    t.mkdirs("/var/www")
    t.put("/var/www/index.html", Node("file", "<h1>\n"))
    return t


def test_write_copies_up_and_leaves_lower_untouched():
    low = lower()
    o = Overlay(lowers=[low])
    o.write("/etc/passwd", "x\n", append=True)
    assert o.lookup("/etc/passwd").data == "root\nx\n"
    assert low.get("/etc/passwd").data == "root\n"
    assert o.changes() == [("C", "/etc"), ("C", "/etc/passwd")]


def test_delete_of_lower_file_is_a_whiteout():
    o = Overlay(lowers=[lower()])
    o.remove("/etc/passwd")
    assert o.lookup("/etc/passwd") is None
    assert o.upper.get("/etc/passwd").kind == "whiteout"
    assert o.listdir("/etc") == []
    assert o.changes() == [("C", "/etc"), ("D", "/etc/passwd")]


def test_directory_recreated_over_whiteout_is_opaque():
    o = Overlay(lowers=[lower()])
    o.remove_tree("/var/www")
    o.mkdir("/var/www")
    assert o.upper.get("/var/www").opaque
    assert o.listdir("/var/www") == []


def test_size_counts_upper_files_only():
    o = Overlay(lowers=[lower()])
    o.write("/tmp/a.txt", "hello\n")
    o.mkdir("/data")
    assert o.size_rw() == 6


def test_readonly_mount_refuses_writes_with_erofs():
    fs = Filesystem(dirs={"/www"})
    vol = Overlay()
    fs.mount(MountEntry("/www", vol, "/", readonly=True))
    with pytest.raises(OSError) as info:
        fs.write("/www/a", "x")
    assert info.value.errno == errno.EROFS


def test_bind_mount_hides_what_was_beneath():
    fs = Filesystem({"/etc/passwd": "root\n"})
    host = Overlay()
    host.mkdir("/html")
    fs.mount(MountEntry("/etc", host, "/html"))
    assert fs.listdir("/etc") == []
    fs.write("/etc/index.html", "hi\n")
    assert host.lookup("/html/index.html").data == "hi\n"
