"""Figure builders, unit-tested without Streamlit."""

import duckdb
import pandas as pd
import pytest

from valuechain import figures, queries


@pytest.fixture(scope="module")
def con(built_db):
    with duckdb.connect(str(built_db), read_only=True) as c:
        yield c


def test_choropleth_has_32_locations_and_renders_offline(con):
    values = queries.members_by_state(con).rename(columns={"members": "value"})
    fig = figures.state_choropleth(values, queries.state_geojson(con), "t", "Socios", "src")
    trace = fig.data[0]
    assert trace.type == "choroplethmap" and len(trace.locations) == 32
    assert fig.layout.map.style == "white-bg"
    assert (
        figures.state_choropleth(values, queries.state_geojson(con), "t", "m", "s", basemap=True).layout.map.style
        != "white-bg"
    )


def test_corridor_layer_is_present_and_named(con):
    fig = figures.state_choropleth(pd.DataFrame({"cve_ent": [], "state": [], "value": []}), {}, "t", "m", "s")
    figures.add_corridors(fig, queries.corridor_shapes(con))
    names = {t.name for t in fig.data if t.type == "scattermap"}
    assert names == {"Bajío", "Saltillo–Monterrey", "Zona Centro (Puebla–Tlaxcala)"}
    assert all(t.mode == "lines" for t in fig.data if t.type == "scattermap")  # no map text: it needs a glyph server


def test_closed_plants_are_styled_apart(con):
    fig = figures.state_choropleth(pd.DataFrame({"cve_ent": [], "state": [], "value": []}), {}, "t", "m", "s")
    labels = {"operating": "op", "closed": "cl", "paused": "pa"}
    figures.add_plants(fig, queries.plants(con), labels)
    by_name = {t.name: t for t in fig.data if t.type == "scattermap"}
    assert by_name["op"].marker.color != by_name["cl"].marker.color != by_name["pa"].marker.color
    closed = set(by_name["cl"].customdata[:, 0])
    assert "COMPAS JV (Nissan + Daimler/Mercedes-Benz)" in closed and "Nissan" in closed


def test_member_points_are_aggregated_not_one_per_row(con):
    places = queries.members_by_place(con)
    fig = figures.add_member_points(figures.go.Figure(), places, "socios")
    assert len(fig.data[0].lat) == len(places) <= 60
    assert (
        places["members"].sum()
        == con.execute("SELECT count(*) FROM members WHERE municipality IS NOT NULL").fetchone()[0]
    )


def test_view_of_a_corridor_zooms_in(con):
    import json

    shapes = queries.corridor_shapes(con)
    geom = json.loads(shapes.set_index("corridor_id").loc["saltillo_monterrey", "geojson"])
    center, zoom = figures.view_of([geom])
    assert 25 < center["lat"] < 26.2 and -101.2 < center["lon"] < -100 and zoom > 6


def test_tier_bars_stack_in_tier_order():
    counts = pd.DataFrame({"grp": ["A", "A", "B"], "tier": ["Tier 2", "OEM", "Tier 1"], "members": [3, 1, 2]})
    fig = figures.tier_bars(counts, "t", "x", "y")
    assert [t.name for t in fig.data] == ["OEM", "Tier 1", "Tier 2"] and fig.layout.barmode == "stack"


def test_sunburst_goes_corridor_state_tier_process(con):
    rows = queries.hierarchy(con)
    fig = figures.hierarchy_sunburst(rows, "t", "outside")
    sun = fig.data[0]
    assert sun.values[0] == rows[rows["corridor"] == sun.ids[0]]["members"].sum()
    assert max(i.count("/") for i in sun.ids) == 3  # corridor/state/tier/process
    assert sum(v for i, v in zip(sun.ids, sun.values, strict=True) if "/" not in i) == rows["members"].sum()
