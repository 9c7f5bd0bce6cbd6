"""Page benchmark: each page's script run with 1,000,000 sample members, cold and warm cache (AppTest),
and the size of the map figure sent to the browser, next to the floor (an empty page's rerun and a
page with one cached 32-state choropleth). Target: every page at most 150 ms warm; map figure <= 3 MB.

Usage: python bench/pages.py [--members N] [--runs K]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EMPTY_PAGE = "import streamlit as st\nst.write('empty')\n"
ONE_MAP = """
import streamlit as st
from ui import data
from valuechain import figures
from valuechain.catalog import Filters
values = data.members_by_state(Filters()).rename(columns={"members": "value"})
st.plotly_chart(figures.state_choropleth(values, data.state_geojson(), "t", "m", "s"))
"""


# What a page needs to show its real work: the supplier list for a plant and a 100 km radius.
PAGE_PARAMS = {"views/suppliers.py": {"process": ["machining", "stamping"], "plant": "gm_ramos", "radius_km": "100"}}


def ran(at, what: str):
    """The AppTest after its first run; a page that raised stops the benchmark (its timing would mean nothing)."""
    at.run()
    if at.exception:
        raise SystemExit(f"{what} raised: {at.exception[0].message}")
    return at


def timed(at, runs: int) -> float:
    """Median milliseconds of `runs` reruns."""
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        at.run()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from etl.__main__ import main as etl
    from ui.pages import SCRIPTS

    tmp = Path(tempfile.mkdtemp())
    db = tmp / "bench.duckdb"
    etl(["build", "--db", str(db), "--inputs", str(tmp / "inputs"), "--sample-members", str(args.members)])
    os.environ["VALUECHAIN_DB"] = str(db)
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    print(f"\n{args.members:,} sample members; median of {args.runs} runs\n")
    floor_empty = ran(AppTest.from_string(EMPTY_PAGE, default_timeout=120), "the empty page")
    print(f"{'floor: empty page rerun':<34} warm {timed(floor_empty, args.runs):7.1f} ms")
    one_map = ran(AppTest.from_string(ONE_MAP, default_timeout=120), "the one-map page")
    print(f"{'floor: one cached choropleth':<34} warm {timed(one_map, args.runs):7.1f} ms")
    for page in SCRIPTS:
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        for key, value in PAGE_PARAMS.get(page, {}).items():
            at.query_params[key] = value
        at.run()
        at.switch_page(page)
        t0 = time.perf_counter()
        ran(at, page)
        cold = (time.perf_counter() - t0) * 1000
        warm = timed(at, args.runs)
        flag = "ok" if warm <= 150 else "over target"
        print(f"{page:<34} cold {cold:7.1f} ms   warm {warm:7.1f} ms   ({flag})")
        if page.endswith("map.py"):
            size = sum(len(c.proto.spec) for c in at.get("plotly_chart"))
            print(f"{'  map figure sent to the browser':<34} {size / 1e6:.2f} MB (target <= 3 MB)")


if __name__ == "__main__":
    main()
