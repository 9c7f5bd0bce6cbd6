"""Plotly figure builders: pure functions of small DataFrames, unit-tested without Streamlit.

Maps use MapLibre traces (`Choroplethmap`, `Scattermap`) on the "white-bg" style, which draw
offline; a tile basemap is only used when the caller asks for it.
"""

import json
import math

import pandas as pd
import plotly.graph_objects as go
import shapely
from shapely.geometry import shape

OFFLINE_STYLE = "white-bg"
ONLINE_STYLE = "open-street-map"
STATUS_COLORS = {
    "operating": "#1b7837",
    "closed": "#b2182b",
    "closing": "#b2182b",
    "paused": "#e08214",
    "unclear": "#e08214",
}
STATUS_GROUPS = {
    "operating": "operating",
    "closing": "closed",
    "closed": "closed",
    "paused": "paused",
    "unclear": "paused",
}
TIER_COLORS = {
    "OEM": "#08306b",
    "Tier 1": "#2171b5",
    "Tier 2": "#6baed6",
    "Tier 3": "#c6dbef",
    "University": "#74c476",
    "Government": "#fd8d3c",
    "Services": "#bdbdbd",
}
FONT = {"size": 16}
LABELLED = 12  # bubbles named on the portfolio chart
# Plotly's own toolbar gives the PNG export; these make it a projector-ready image.
CHART_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "valuechain"},
}


TILE = 512  # MapLibre's world is TILE x 2**zoom pixels wide
MEXICO_BOUNDS = (-118.5, 14.4, -86.6, 32.8)  # west, south, east, north of the shipped state boundaries


def _mercator(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def fit(bounds: tuple[float, float, float, float], width_px: int, height_px: int) -> tuple[dict, float]:
    """Centre and zoom at which `bounds` (west, south, east, north) fit in a map of that many pixels."""
    west, south, east, north = bounds
    x_zoom = math.log2(width_px * 360 / (TILE * max(east - west, 0.05)))
    y_zoom = math.log2(height_px * 2 * math.pi / (TILE * max(_mercator(north) - _mercator(south), 0.001)))
    zoom = max(1.0, min(9.0, min(x_zoom, y_zoom) - 0.1))
    mid = math.degrees(math.atan(math.sinh((_mercator(north) + _mercator(south)) / 2)))
    return {"lat": mid, "lon": (west + east) / 2}, zoom


def visible(center: dict, zoom: float, width_px: int, height_px: int) -> tuple[float, float, float, float]:
    """The (west, south, east, north) a map of that size shows around `center` at `zoom`."""
    degrees = width_px * 360 / (TILE * 2**zoom)
    y_half = height_px * math.pi / (TILE * 2**zoom)
    y = _mercator(center["lat"])
    to_lat = lambda v: math.degrees(math.atan(math.sinh(v)))  # noqa: E731
    return center["lon"] - degrees / 2, to_lat(y - y_half), center["lon"] + degrees / 2, to_lat(y + y_half)


def view_of(geojson_geometries: list[dict], width_px: int = 900, height_px: int = 620) -> tuple[dict, float]:
    """Centre and zoom that frame the given GeoJSON geometries in a map of about that size."""
    return fit(shapely.union_all([shape(g) for g in geojson_geometries]).bounds, width_px, height_px)


def state_choropleth(
    values: pd.DataFrame,
    geojson: dict,
    title: str,
    colorbar_title: str,
    hover_source: str,
    center: dict | None = None,
    zoom: float | None = None,
    basemap: bool = False,
    height: int = 620,
    width_hint: int = 900,
    id_property: str = "cve_ent",
) -> go.Figure:
    """A choropleth of `values` (columns cve_ent, state, value) over the 32 state shapes (or over other
    shapes whose `id_property` holds the ids in column cve_ent, e.g. municipalities by CVEGEO).

    Without a centre, the view fits the whole country in a map `width_hint` pixels wide. When every
    value is zero or missing, the states are drawn without a data colour (and without a colour bar).
    """
    if center is None:
        center, zoom = fit(MEXICO_BOUNDS, width_hint, height)
    empty = values["value"].fillna(0).eq(0).all()
    colour = (
        {"colorscale": [[0, "#f4f4f4"], [1, "#f4f4f4"]], "showscale": False}
        if empty
        else {"colorscale": "Blues", "colorbar": {"title": {"text": colorbar_title}}}
    )
    fig = go.Figure(
        go.Choroplethmap(
            geojson=geojson,
            locations=values["cve_ent"],
            featureidkey=f"properties.{id_property}",
            z=values["value"],
            customdata=values[["state"]],
            marker={"line": {"width": 0.6, "color": "#666"}, "opacity": 0.85},
            **colour,
            hovertemplate=f"<b>%{{customdata[0]}}</b><br>{colorbar_title}: %{{z:,.4~g}}<br>{hover_source}"
            "<extra></extra>",
            name="states",
        )
    )
    fig.update_layout(
        title={"text": title},
        font=FONT,
        height=height,
        margin={"l": 0, "r": 0, "t": 50, "b": 0},
        map={
            "style": ONLINE_STYLE if basemap else OFFLINE_STYLE,
            "center": center,
            "zoom": zoom,
        },
        legend={"orientation": "h", "y": -0.02},
        clickmode="event+select",
    )
    return fig


def corridor_choropleth(
    values: pd.DataFrame,
    corridors: pd.DataFrame,
    title: str,
    colorbar_title: str,
    hover_source: str,
    states: dict | None = None,
) -> go.Figure:
    """A choropleth of `values` (columns corridor_id, corridor, value) over the corridor shapes (columns
    corridor_id, name, color, geojson), framed on the corridors, with the state borders for context and the
    corridor outlines on top."""
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"corridor_id": r.corridor_id}, "geometry": json.loads(r.geojson)}
            for r in corridors.itertuples()
        ],
    }
    center, zoom = view_of([f["geometry"] for f in geojson["features"]], 900, 520)
    shaped = values.rename(columns={"corridor_id": "cve_ent", "corridor": "state"})
    fig = state_choropleth(
        shaped, geojson, title, colorbar_title, hover_source, center, zoom, height=520, id_property="corridor_id"
    )
    if states:
        add_state_outlines(fig, states)
    return add_corridors(fig, corridors)


def add_corridors(fig: go.Figure, corridors: pd.DataFrame) -> go.Figure:
    """Outline each corridor (columns name, color, geojson) in its own colour, named in the legend and on hover.

    Add it after the other layers so the outlines draw on top. No text is drawn on the map itself: map
    text needs a glyph server, which would break offline use.
    """
    for row in corridors.itertuples():
        lons, lats = _outline([json.loads(row.geojson)])
        fig.add_trace(
            go.Scattermap(
                lon=lons,
                lat=lats,
                mode="lines",
                line={"width": 3, "color": row.color},
                name=row.name,
                hoverinfo="name",
                legendgroup="corridors",
            )
        )
    return fig


def _outline(geometries: list[dict]) -> tuple[list, list]:
    """The outer rings of GeoJSON polygons as one line trace's coordinates (rings split by None)."""
    lons, lats = [], []
    for geometry in geometries:
        geom = shape(geometry)
        for poly in getattr(geom, "geoms", [geom]):
            xs, ys = poly.exterior.coords.xy
            lons += [*xs, None]
            lats += [*ys, None]
    return lons, lats


def add_state_outlines(fig: go.Figure, geojson: dict) -> go.Figure:
    """The 32 states' borders as thin lines, for context under a map of smaller areas."""
    lons, lats = _outline([feature["geometry"] for feature in geojson["features"]])
    fig.add_trace(
        go.Scattermap(
            lon=lons,
            lat=lats,
            mode="lines",
            line={"width": 0.6, "color": "#9e9e9e"},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    return fig


def add_plants(fig: go.Figure, plants: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """Assembly plants coloured by status (closed and paused stand out), larger for heavy trucks."""
    located = plants.dropna(subset=["lat", "lon"])
    for group in ("operating", "closed", "paused"):
        part = located[located["status"].map(STATUS_GROUPS) == group]
        if part.empty:
            continue
        fig.add_trace(
            go.Scattermap(
                lon=part["lon"],
                lat=part["lat"],
                mode="markers",
                marker={
                    "size": [16 if c == "heavy" else 11 for c in part["vehicle_class"]],
                    "color": STATUS_COLORS[group],
                    "opacity": 0.95,
                },
                name=labels[group],
                customdata=part[["company", "plant_name", "status", "segment", "source"]],
                hovertemplate="<b>%{customdata[0]}</b> — %{customdata[1]}<br>%{customdata[2]} · %{customdata[3]}"
                "<br>%{customdata[4]}<extra></extra>",
            )
        )
    return fig


def add_member_points(fig: go.Figure, places: pd.DataFrame, label: str) -> go.Figure:
    """Members aggregated per municipality: one bubble each, area proportional to the count."""
    if places.empty:
        return fig
    biggest = places["members"].max()
    fig.add_trace(
        go.Scattermap(
            lon=places["lon"],
            lat=places["lat"],
            mode="markers",
            marker={"size": 6 + 30 * (places["members"] / biggest) ** 0.5, "color": "#f16913", "opacity": 0.6},
            name=label,
            customdata=places[["municipality", "members"]],
            hovertemplate=f"<b>%{{customdata[0]}}</b><br>%{{customdata[1]:,}} {label}<extra></extra>",
        )
    )
    return fig


def tier_bars(
    counts: pd.DataFrame, title: str, x_title: str, y_title: str, tier_labels: dict | None = None
) -> go.Figure:
    """Stacked bars of members (columns grp, tier, members) by group, one colour per tier."""
    tier_labels = tier_labels or {}
    fig = go.Figure()
    for tier, color in TIER_COLORS.items():
        part = counts[counts["tier"] == tier]
        if not part.empty:
            fig.add_bar(x=part["grp"], y=part["members"], name=tier_labels.get(tier, tier), marker_color=color)
    fig.update_layout(
        barmode="stack",
        title={"text": title},
        font=FONT,
        xaxis_title=x_title,
        yaxis_title=y_title,
        legend_title_text="",
        margin={"t": 60},
    )
    return fig


def hierarchy_sunburst(
    rows: pd.DataFrame,
    title: str,
    outside_label: str,
    tier_labels: dict | None = None,
    process_labels: dict | None = None,
) -> go.Figure:
    """Sunburst corridor → state → tier → main process (columns corridor, state, tier, process, members)."""
    tier_labels, process_labels = tier_labels or {}, process_labels or {}
    frame = rows.assign(corridor=rows["corridor"].fillna(outside_label), process=rows["process"].fillna(""))
    ids, parents, labels, values = [], [], [], []

    def node(node_id: str, parent: str, label: str, value: int) -> None:
        ids.append(node_id), parents.append(parent), labels.append(label), values.append(int(value))

    for corridor, c_part in frame.groupby("corridor", sort=True):
        node(corridor, "", corridor, c_part["members"].sum())
        for state, s_part in c_part.groupby("state", sort=True):
            sid = f"{corridor}/{state}"
            node(sid, corridor, state, s_part["members"].sum())
            for tier, t_part in s_part.groupby("tier", sort=True):
                tid = f"{sid}/{tier}"
                node(tid, sid, tier_labels.get(tier, tier), t_part["members"].sum())
                for r in t_part[t_part["process"] != ""].itertuples():
                    node(f"{tid}/{r.process}", tid, process_labels.get(r.process, r.process), r.members)
    fig = go.Figure(
        go.Sunburst(ids=ids, parents=parents, labels=labels, values=values, branchvalues="remainder", maxdepth=3)
    )
    fig.update_layout(title={"text": title}, font=FONT, margin={"t": 60, "l": 0, "r": 0, "b": 0}, height=560)
    return fig


def threshold_timeline(steps: pd.DataFrame, rvc_now: float, nafta_rvc: float, title: str, labels: dict) -> go.Figure:
    """Thresholds as a step line from 2019 to 2028 (columns date, threshold, regime) with the vehicle's RVC."""
    fig = go.Figure()
    fig.add_scatter(
        x=steps["date"], y=steps["threshold"], mode="lines", line={"shape": "hv", "width": 3}, name=labels["threshold"]
    )
    x = [steps["date"].min(), steps["date"].max()]
    fig.add_scatter(
        x=x, y=[rvc_now, rvc_now], mode="lines", line={"dash": "dash", "color": "#d95f02"}, name=labels["usmca_rvc"]
    )
    fig.add_scatter(
        x=x, y=[nafta_rvc, nafta_rvc], mode="lines", line={"dash": "dot", "color": "#7570b3"}, name=labels["nafta_rvc"]
    )
    fig.update_layout(
        title={"text": title},
        font=FONT,
        yaxis_title="%",
        xaxis_title=labels["date"],
        margin={"t": 60},
        legend={"orientation": "h", "y": -0.2},
    )
    return fig


def margin_waterfall(steps: list[tuple[str, float]], labels: dict[str, str], title: str) -> go.Figure:
    """NAFTA margin over its threshold, each rule change, and the USMCA margin (points)."""
    names = [labels[k] for k, _ in steps]
    measures = ["absolute"] + ["relative"] * (len(steps) - 2) + ["total"]
    fig = go.Figure(
        go.Waterfall(
            x=names,
            y=[v for _, v in steps],
            measure=measures,
            text=[f"{v:+.1f}" for _, v in steps],
            textposition="outside",
        )
    )
    fig.update_layout(title={"text": title}, font=FONT, yaxis_title=labels["points"], margin={"t": 60})
    return fig


def portfolio(regions: pd.DataFrame, labels: dict[str, str], title: str) -> go.Figure:
    """The cluster-mapping portfolio: LQ (x) against growth between editions (y), bubble area = employment.

    Columns region_name, lq, growth_pct, employment; lines at LQ 1 (as specialised as the country) and
    at 0% growth divide the regions into strong and growing, strong and declining, and so on.
    """
    shown = regions.dropna(subset=["lq", "growth_pct"])
    biggest = max(shown["employment"].max(), 1) if not shown.empty else 1
    named = set(shown.nlargest(LABELLED, "employment").index)  # name only the largest: the rest would overlap
    fig = go.Figure(
        go.Scatter(
            x=shown["lq"],
            y=shown["growth_pct"],
            mode="markers+text",
            text=[name.split(",")[0] if i in named else "" for i, name in shown["region_name"].items()],
            textposition="top center",
            marker={"size": 10 + 50 * (shown["employment"] / biggest) ** 0.5, "color": "#2171b5", "opacity": 0.6},
            customdata=shown[["region_name", "employment"]],
            hovertemplate=(
                f"<b>%{{customdata[0]}}</b><br>LQ %{{x:.2f}}<br>{labels['growth']} %{{y:+.1f}}%"
                f"<br>{labels['employment']} %{{customdata[1]:,.0f}}<extra></extra>"
            ),
        )
    )
    fig.add_vline(x=1, line={"dash": "dash", "color": "#888"})
    fig.add_hline(y=0, line={"dash": "dash", "color": "#888"})
    fig.update_layout(
        title={"text": title},
        font=FONT,
        xaxis_title=labels["lq"],
        yaxis_title=labels["growth"] + " (%)",
        margin={"t": 60},
        showlegend=False,
    )
    return fig


def hr_lines(series: pd.DataFrame, measure: str, title: str, y_title: str) -> go.Figure:
    """One line per group of a monthly rate (columns period, group_name, and the measure); hidden months are gaps."""
    fig = go.Figure()
    for name, part in series.groupby("group_name", sort=False):
        fig.add_scatter(x=part["period"], y=part[measure], name=name, mode="lines+markers", connectgaps=False)
    fig.update_layout(title={"text": title}, font=FONT, yaxis_title=y_title, legend_title_text="", margin={"t": 60})
    fig.update_xaxes(type="category")
    return fig


def hr_heatmap(series: pd.DataFrame, measure: str, title: str, scale_title: str) -> go.Figure:
    """Groups x months of a rate (hidden cells blank)."""
    grid = series.pivot_table(index="group_name", columns="period", values=measure, aggfunc="first", dropna=False)
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=list(grid.columns),
            y=list(grid.index),
            colorscale="Blues",
            colorbar={"title": {"text": scale_title}},
            hoverongaps=False,
        )
    )
    fig.update_layout(title={"text": title}, font=FONT, margin={"t": 60}, height=max(320, 36 * len(grid) + 140))
    fig.update_xaxes(type="category")
    return fig


def event_leads(counts: dict[str, int], labels: dict[str, str], title: str, x_title: str) -> go.Figure:
    """Horizontal bars of the supplier event's leads by process or corridor, the most at the top."""
    ordered = sorted(counts.items(), key=lambda kv: kv[1])
    fig = go.Figure(go.Bar(x=[n for _, n in ordered], y=[labels.get(k, k) for k, _ in ordered], orientation="h"))
    fig.update_layout(title={"text": title}, font=FONT, xaxis_title=x_title, margin={"t": 60, "l": 10})
    return fig
