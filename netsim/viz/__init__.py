"""Drawings of the simulated topology and of packet paths (reads state only)."""


def draw(engine, ax=None, **kw):
    raise NotImplementedError("the topology drawer is not written yet")


def save(engine, path, title: str = ""):
    raise NotImplementedError("the topology drawer is not written yet")
