"""Render every bundled scenario's final topology into docs/images/<name>.png,
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
            eng = make_engine(sc)
            for _ in run_scenario(sc, eng):
                pass
        except NetsimError as err:
            print(f"{p.stem}: {err}")
            continue
        viz.save(eng, HERE / f"{p.stem}.png", title=sc.name)
        print(HERE / f"{p.stem}.png")
        if p.stem in PATHS:
            render_path(sc, p.stem, PATHS[p.stem])


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
