"""One USMCA scenario, computed once: every gate state gives the same verdict on /usmca, in its CSV, on the
deck's slide and in the deck's PDF."""

import io
import re
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
from pptx import Presentation
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from valuechain import deck, queries, scenario

APP = str(Path(__file__).resolve().parents[1] / "dashboard.py")
POINTS = {"lvc_hwmm": "40", "lvc_tech": "10", "lvc_assembly": "5"}
STEEL_OK, STEEL_LOW = {"steel_pct": "90", "aluminum_pct": "90"}, {"steel_pct": "10", "aluminum_pct": "10"}
HEADER = "part,value_usd,origin_country,originating,category,part_rvc_pct,nafta_traced\n"
BOM = HEADER + "engine,8000,MX,yes,core,80,\nframe,4000,US,yes,principal,,\nseats,3000,CN,no,complementary,,\n"
NO_CORE = HEADER + "frame,4000,US,yes,principal,,\nseats,3000,CN,no,complementary,,\n"
AGGREGATE = HEADER + "engine,8000,MX,yes,core,90,\ngearbox,2000,MX,yes,core,60,\nseats,3000,CN,no,complementary,,\n"
PICKUP_2021 = {"archetype": "fullsize_pickup", "on": "2021-01-01"}
# name: (URL of /usmca, uploaded BOM as (good, CSV) or None)
CASES = {
    "passed under NAFTA": ({"archetype": "compact_ice_car", "on": "2019-06-01"}, None),
    "passed under USMCA": ({**PICKUP_2021, **POINTS, **STEEL_OK}, None),
    "passed, values unconfirmed": (
        {"archetype": "compact_ice_car", "on": "2021-01-01", "mv_engine": "100", **POINTS, **STEEL_OK},
        None,
    ),
    "RVC failed": ({"archetype": "fullsize_pickup", "on": "2024-01-01", **POINTS, **STEEL_OK}, None),
    "core parts failed, US view": ({"archetype": "bev_crossover", "on": "2021-01-01", "rollup": "us-view"}, None),
    "LVC failed": ({**PICKUP_2021, "lvc_hwmm": "0", "lvc_tech": "0", "lvc_assembly": "0", **STEEL_OK}, None),
    "steel failed, LVC unchecked": ({**PICKUP_2021, **STEEL_LOW}, None),
    "unchecked": (PICKUP_2021, None),
    "no LVC rule in force": ({"on": "2024-01-01"}, ("heavy_truck", BOM)),
    "core parts unchecked": ({"on": "2024-01-01", **POINTS, **STEEL_OK}, ("passenger_vehicle", NO_CORE)),
    "core parts by aggregate": ({"on": "2024-01-01", **POINTS, **STEEL_OK}, ("passenger_vehicle", AGGREGATE)),
}


def page(url: dict, upload) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in url.items():
        at.query_params[key] = value
    at.switch_page("views/usmca.py").run()
    if upload:
        good, text = upload
        at.file_uploader[0].set_value(("bom.csv", text.encode(), "text/csv")).run()
        at.selectbox(key="good").set_value(good).run()
    assert not at.exception, at.exception
    return at


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def reference(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        return queries.archetypes(con), queries.archetype_vehicles(con)


def test_every_gate_state_has_one_verdict_on_the_page_in_the_csv_and_in_the_deck(app_env, reference):
    systems, vehicles = reference
    results, slides = [], []
    for name, (url, upload) in CASES.items():
        at = page({**url, "lang": "es"}, upload)
        asked = at.session_state["_shown"].usmca
        result = scenario.run(systems, vehicles, asked)
        verdict = result.verdict
        alerts = [e.value for kind in ("success", "error", "warning") for e in getattr(at, kind)]
        assert verdict.text("es", markdown=True) in alerts, (name, alerts)
        row = result.csv_table(asked.name).iloc[0]
        assert row["verdict_es"] == verdict.text("es") and row["verdict_en"] == verdict.text("en"), name
        assert row["unchecked"] == ";".join(verdict.unchecked) and row["originating"] == verdict.originating
        results.append(result)
        slides.append(replace(scenario.slide(result, asked, "es"), figure=None))  # the verdict is the slide's text

    states = {(r.verdict.originating, bool(r.verdict.unconfirmed)) for r in results}
    assert {(True, False), (True, True), (False, False), (None, False)} <= states
    assert {g for r in results for g in r.verdict.failed} == set(scenario.GATES)
    assert {k for r in results for k in r.verdict.settle} == {
        "settle_lvc",
        "settle_lvc_rule",
        "settle_steel_aluminum",
        "settle_core_parts",
    }
    assert {r.current.get("core_rollup") for r in results} >= {"panel", "us-view"}
    assert {r.current.get("core_parts_method") for r in results} >= {"individual", "aggregate"}

    pptx, pdf = deck.build("REDCAM", "USMCA", slides)
    shown = list(Presentation(io.BytesIO(pptx)).slides)[1:]  # after the title slide
    pages = PdfReader(io.BytesIO(pdf)).pages[1:]
    for result, slide, pdf_page in zip(results, shown, pages, strict=True):
        plain = result.verdict.text("es")
        assert any(plain in shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        assert words(plain) in words(pdf_page.extract_text())
