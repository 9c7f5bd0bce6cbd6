"""Archetype BOMs and spreadsheet-safe exports."""

from datetime import date

import duckdb
import pandas as pd
import pytest

from valuechain import archetypes, export, queries, rvc


@pytest.fixture(scope="module")
def systems(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        return queries.archetypes(con)


def test_archetype_bom_sums_to_net_cost_and_excludes_profit(systems):
    car = systems[systems["archetype"] == "compact_ice_car"]
    bom = archetypes.to_bom(car, 30_000, date(2024, 1, 1))
    assert sum(ln.value_usd for ln in bom) == pytest.approx(30_000)
    assert not any(ln.part == "profit" for ln in bom)
    assert archetypes.entered_value(car, 30_000) == pytest.approx(30_000 / 0.94)


def test_moving_sourcing_to_mexico_raises_rvc(systems):
    car = systems[systems["archetype"] == "bev_crossover"]
    base = rvc.evaluate(archetypes.to_bom(car, 40_000, date(2024, 1, 1)), rvc.Scenario(on=date(2024, 1, 1)))
    moved = archetypes.mix_after_moves(car, {"battery": 100}, "asia", "mx")
    assert moved.loc[moved["system"] == "battery", "asia_pct"].item() == 0
    after = rvc.evaluate(archetypes.to_bom(moved, 40_000, date(2024, 1, 1)), rvc.Scenario(on=date(2024, 1, 1)))
    assert after["rvc_pct"] > base["rvc_pct"] and after["gap_usd"] < base["gap_usd"]


def test_every_system_maps_to_known_processes(systems, built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        known = {r[0] for r in con.execute("SELECT process_id FROM processes").fetchall()}
    used = {p for s in systems["processes"].dropna() for p in s.split(";")}
    assert used <= known


def test_csv_export_neutralises_formulas_and_keeps_accents():
    names = ['=HYPERLINK("x")', "+1", "-2", "@SUM", "Peñoles", "\tx"]
    frame = pd.DataFrame({"name": names, "n": [1, 2, 3, 4, 5, 6]})
    data = export.csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    for cell in ("'=HYPERLINK", "'+1", "'-2", "'@SUM", "Peñoles", "'\tx"):
        assert cell in text
    assert ",1\n" in text and "'1" not in text  # numbers are left alone
    assert export.csv_bytes(frame, sep=";").decode("utf-8-sig").splitlines()[0] == "name;n"
