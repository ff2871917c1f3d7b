"""What the real engine lists in Go map order is compared as a set."""
from netsim.verify.normalize import sort_random_order


def test_volume_prune_lists_in_any_order():
    a = "Deleted Volumes:\nfresh\nmyvol\n\nTotal reclaimed space: 42B\n"
    b = "Deleted Volumes:\nmyvol\nfresh\n\nTotal reclaimed space: 42B\n"
    assert sort_random_order(a, "docker volume prune -f") == sort_random_order(b, "docker volume prune -f")


def test_prune_totals_still_compared():
    a = "Deleted Volumes:\nfresh\n\nTotal reclaimed space: 42B\n"
    b = "Deleted Volumes:\nfresh\n\nTotal reclaimed space: 0B\n"
    assert sort_random_order(a, "docker volume prune -f") != sort_random_order(b, "docker volume prune -f")
