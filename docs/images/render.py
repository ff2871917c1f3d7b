"""Render every bundled scenario's final topology into docs/images/<name>.png.

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


if __name__ == "__main__":
    main()
