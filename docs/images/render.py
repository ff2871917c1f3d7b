"""Render every bundled scenario into docs/images/<name>.png (the state after
the step with the most on the picture: many scenarios clean up at the end),
and the packet paths of a few teaching steps into docs/images/path_<name>.png
(plus one animation, path_custom_bridge.gif).

    python docs/images/render.py
"""
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from netsim import scenarios, viz  # noqa: E402
from netsim.errors import NetsimError  # noqa: E402
from netsim.scenario import load  # noqa: E402
from netsim.scenario.runner import make_engine, run_scenario  # noqa: E402

HERE = Path(__file__).parent
PATHS = {   # scenario -> the first step whose command contains this text
    "custom_bridge": "exec tomcat81 ping -c 1 tomcat82",
    "port_mapping": "wget -qO- http://127.0.0.1:8081/",
}
ANIMATE = {"custom_bridge"}


def main() -> None:
    for p in scenarios.all_files():
        try:
            sc = load(p)
            best = richest_step(sc)
            eng = make_engine(sc)
            for _ in run_scenario(sc, eng, stop_after=best):
                pass
        except NetsimError as err:
            print(f"{p.stem}: {err}")
            continue
        done = " (final state)" if best == len(sc.steps) else f" (after step {best})"
        viz.save(eng, HERE / f"{p.stem}.png", title=sc.name + done)
        print(HERE / f"{p.stem}.png")
        if p.stem in PATHS:
            render_path(sc, p.stem, PATHS[p.stem])


def richest_step(sc) -> int:
    """The step after which the most is on the picture (the last such step):
    scenarios often clean up at the end, and an empty host teaches nothing."""
    eng = make_engine(sc)
    best, score = len(sc.steps), -1
    for outcome in run_scenario(sc, eng):
        g = viz.topology(eng)
        n = sum(1 for _, d in g.nodes(data=True) if d["kind"] in ("container", "bridge", "port_mapping")
                and (d["kind"] != "container" or d["status"] == "running"))
        if n >= score:
            best, score = outcome.index + 1, n
    return best


def render_path(sc, name: str, needle: str) -> None:
    from netsim.viz import path
    index = next(i for i, st in enumerate(sc.steps) if needle in st.run)
    eng = make_engine(sc, trace=True)
    res = [o.result for o in run_scenario(sc, eng, stop_after=index + 1)][-1]
    hops = res.extra["hops"]
    path.save_path(eng, hops, HERE / f"path_{name}.png", title=f"{sc.name}: {res.command}")
    print(HERE / f"path_{name}.png")
    if name in ANIMATE:
        print(path.save_animation(path.animate(eng, hops, title=f"{sc.name}: {res.command}"),
                                  HERE / f"path_{name}.gif"))


if __name__ == "__main__":
    main()
