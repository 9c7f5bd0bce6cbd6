"""Explore: exports of exactly the filtered rows, and the page with filters from the URL."""

import io
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from valuechain import dictionary, export, queries
from valuechain.catalog import Filters

APP = str(Path(__file__).resolve().parents[1] / "dashboard.py")


@pytest.fixture(scope="module")
def con(built_db):
    with duckdb.connect(str(built_db), read_only=True) as c:
        yield c


def test_csv_export_equals_the_filtered_query(con):
    f = Filters(states=("19",), tiers=("Tier 2",))
    rows = queries.member_rows(con, f)
    direct = con.execute("SELECT count(*) FROM members WHERE cve_ent = '19' AND tier = 'Tier 2'").fetchone()[0]
    assert len(rows) == direct > 0
    back = pd.read_csv(io.BytesIO(export.csv_bytes(rows, ";")), sep=";", encoding="utf-8-sig", dtype=str)
    assert list(back["member_id"]) == list(rows["member_id"])
    assert set(back["source"]) == {"sample"}
    assert back["processes"].str.contains(";").any() or back["processes"].notna().all()


def test_xlsx_has_the_rows_and_an_about_sheet(con):
    rows = queries.plant_rows(con, Filters(corridor="bajio"))
    about = export.about_sheet(dictionary.dictionary("plants", "en"), "Corridor: Bajío", queries.sources(con), "now")
    book = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes(rows, about, ("plants", "about"))))
    assert book.sheetnames == ["plants", "about"]
    assert book["plants"].max_row == len(rows) + 1
    sections = {c.value for c in book["about"]["A"][1:]}
    assert sections == {"generated", "filters", "column", "source"}
    for sheet in book.worksheets:  # header frozen, every column filterable
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions


def test_xlsx_never_holds_a_formula():
    rows = pd.DataFrame({"name": ["=1+1", "@cmd", "ok"]})
    book = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes(rows, pd.DataFrame({"x": [1]}))))
    values = [c.value for c in book["data"]["A"][1:]]
    assert values == ["'=1+1", "'@cmd", "ok"] and all(c.data_type == "s" for c in book["data"]["A"][1:])


def test_parquet_round_trip(con):
    rows = queries.member_rows(con, Filters(clusters=("nl",)))
    back = pd.read_parquet(io.BytesIO(export.parquet_bytes(rows)))
    assert len(back) == len(rows) and back["lat"].dtype == "float64"


def test_dictionary_covers_every_exported_column_in_both_languages(con):
    for table, rows in (
        ("members", queries.member_rows(con, limit=1)),
        ("plants", queries.plant_rows(con)),
        ("denue_establishments", queries.denue_rows(con, limit=1)),
    ):
        for lang in ("es", "en"):
            assert list(dictionary.dictionary(table, lang)["column"]) == list(rows.columns), (table, lang)


def test_explore_page_with_filters_from_the_url(app_env):
    built_db = app_env
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["state"] = "Nuevo León"
    at.query_params["tier"] = "Tier 1"
    at.run()
    at.switch_page("views/explore.py").run()
    assert not at.exception
    with duckdb.connect(str(built_db), read_only=True) as c:
        n = c.execute("SELECT count(*) FROM members WHERE cve_ent = '19' AND tier = 'Tier 1'").fetchone()[0]
    assert at.dataframe[0].value.shape[0] == n
    assert "Estado: Nuevo León" in at.markdown[0].value and "Nivel (tier): Tier 1" in at.markdown[0].value
    assert [b.label for b in at.download_button][:3] == ["CSV", "Excel (XLSX)", "Parquet"]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_csv_separator_travels_in_the_url_as_a_stable_key(app_env, lang):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["sep"] = "semicolon"
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("views/explore.py").run()
    assert not at.exception
    assert at.radio(key="sep").value == "semicolon"
    assert at.query_params["sep"] in ("semicolon", ["semicolon"])  # the key, never the translated label
