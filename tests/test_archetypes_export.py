"""Archetype BOMs and spreadsheet-safe exports."""

from datetime import date

import duckdb
import pandas as pd
import pytest

from valuechain import archetypes, export, queries, rvc, scenario


@pytest.fixture(scope="module")
def systems(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        return queries.archetypes(con)


@pytest.fixture(scope="module")
def vehicles(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        return queries.archetype_vehicles(con)


def test_no_two_archetypes_are_the_same(systems, vehicles):
    columns = [
        "system",
        "category",
        "share_pct",
        "mx_pct",
        "us_pct",
        "ca_pct",
        "asia_pct",
        "europe_pct",
        "originating_pct",
    ]
    tables = {
        a: (
            tuple(map(tuple, g.sort_values("system")[columns].itertuples(index=False))),
            float(vehicles.set_index("archetype").loc[a, "net_cost_usd"]),
        )
        for a, g in systems.groupby("archetype")
    }
    assert len(tables) == 3 and len(set(tables.values())) == 3
    for a in tables:  # and the purchased systems differ, not only the net cost
        others = [b for b in tables if b != a]
        assert all(tables[a][0] != tables[b][0] for b in others), a


def test_every_cost_share_is_cited_or_labelled_an_assumption(systems, vehicles):
    for row in systems.itertuples():
        assert row.share_basis.startswith(("cited", "assumption")), row
        assert row.originating_basis.startswith(("assumption", "made in the plant", "not a material")), row
        if row.share_basis.startswith("cited"):
            assert row.share_source == "R13", row  # the Kogod/CAR weights, the one page that states them
    assert vehicles["net_cost_basis"].str.startswith("assumption").all()


def test_bought_in_the_region_is_not_the_same_as_originating(systems):
    car = systems[systems["archetype"] == "compact_ice_car"]
    bom = archetypes.to_bom(car, 30_000, date(2024, 1, 1))
    electrical = [ln for ln in bom if ln.part.startswith("electrical · MX")]
    # 10/94 of 30,000 = 3,191.49 for electrical; 60% bought in Mexico; 70% of that originating
    value = 30_000 * 10 / 94 * 0.60
    assert sum(ln.value_usd for ln in electrical) == pytest.approx(value)
    assert sum(ln.value_usd for ln in electrical if ln.originating) == pytest.approx(value * 0.70)
    non_originating = [ln for ln in electrical if not ln.originating]
    assert non_originating[0].part == "electrical · MX · non_originating" and non_originating[0].origin_country == "MX"
    engine = next(ln for ln in bom if ln.part == "engine")  # 74% bought in the region x 85% originating
    assert engine.part_rvc_pct == pytest.approx(74 * 0.85) and engine.originating is False


def test_threshold_timeline_follows_the_good():
    car, truck = scenario.threshold_steps("passenger_vehicle"), scenario.threshold_steps("heavy_truck")
    assert list(car["threshold"]) == [62.5, 66, 69, 72, 75, 75]
    assert list(truck["threshold"]) == [60, 60, 64, 70, 70]
    assert truck["date"].iloc[-2] == date(2027, 7, 1)


def test_one_scenario_for_page_and_deck(systems, vehicles):
    choices = scenario.Choices(archetype="fullsize_pickup", on=date(2019, 6, 1))
    result = scenario.run(systems, vehicles, scenario.Inputs(choices))
    assert result.good == "light_truck" and result.net_cost == 45_000 and result.usmca is None
    assert result.s232["applies"] is False and result.s232["start"].effective_date == date(2025, 4, 3)
    later = scenario.run(
        systems, vehicles, scenario.Inputs(scenario.Choices(archetype="fullsize_pickup", on=date(2025, 8, 1)))
    )
    assert later.s232["applies"] is True and later.s232["rate_pct"] == 25
    assert later.waterfall[-1][1] == later.usmca["margin_pts"]
    if later.usmca["originating"] is None:  # origin open: both outcomes, no single duty
        assert later.s232["duty"] is None
        assert later.s232["if_not"]["duty_usd"] > later.s232["if_qualifying"]["duty_usd"]


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
