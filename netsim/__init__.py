"""netsim: a discrete-event simulator of Docker's networking.

    >>> from netsim import Engine
    >>> eng = Engine()
    >>> eng.run("docker network create x").exit_code
    0
"""
__version__ = "0.1.0"


def __getattr__(name):
    if name in ("Engine", "Result"):
        from . import engine
        return getattr(engine, name)
    raise AttributeError(name)


__all__ = ["Engine", "Result", "__version__"]
