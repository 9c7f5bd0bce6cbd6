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


@pytest.mark.parametrize(("width", "height"), [(560, 420), (900, 620), (1500, 700)])
def test_every_map_fits_the_whole_country(con, width, height):
    values = queries.members_by_state(con).rename(columns={"members": "value"})
    fig = figures.state_choropleth(values, queries.state_geojson(con), "t", "m", "s", height=height, width_hint=width)
    west, south, east, north = figures.visible(
        fig.layout.map.center.to_plotly_json(), fig.layout.map.zoom, width, height
    )
    geojson = queries.state_geojson(con)
    import shapely
    from shapely.geometry import shape

    mx = shapely.union_all([shape(f["geometry"]) for f in geojson["features"]]).bounds  # Baja California to Yucatán
    assert west <= mx[0] and south <= mx[1] and east >= mx[2] and north >= mx[3]
    assert fig.layout.map.zoom > 3.2  # and not a world map


def test_an_empty_selection_draws_no_data_colour(con):
    values = queries.members_by_state(con).rename(columns={"members": "value"}).assign(value=0)
    trace = figures.state_choropleth(values, queries.state_geojson(con), "t", "m", "s").data[0]
    assert trace.showscale is False and {c for _, c in trace.colorscale} == {"#f4f4f4"}


def test_corridors_keep_their_colour_and_draw_on_top(con):
    every = queries.corridor_shapes(con)
    alone = every[every["corridor_id"] == "saltillo_monterrey"]
    colour = lambda shapes: {t.name: t.line.color for t in figures.add_corridors(figures.go.Figure(), shapes).data}  # noqa: E731
    assert colour(alone)["Saltillo–Monterrey"] == colour(every)["Saltillo–Monterrey"]
    assert len(set(colour(every).values())) == 3


def test_state_outlines_give_context_as_lines(con):
    fig = figures.add_state_outlines(figures.go.Figure(), queries.state_geojson(con))
    trace = fig.data[0]
    assert trace.mode == "lines" and trace.hoverinfo == "skip" and sum(v is None for v in trace.lon) >= 32
