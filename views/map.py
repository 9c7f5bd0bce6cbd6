"""Map: state choropleth of the chosen measure, corridor outlines, plants and member clusters of points."""

import json

import streamlit as st

from ui import auth, data, urlstate
from ui.common import chart, current_filters, lang, members_source, sample_banner, tier_label, tier_labels, tr
from valuechain import figures
from valuechain.i18n import value

MEASURES = ("members", "tier", "plants", "per_plant")


def select_state() -> None:
    """A click on a state narrows every page to it (runs before the rerun, so the sidebar can take it)."""
    points = st.session_state["map_chart"].selection.get("points", [])
    located = [p["location"] for p in points if p.get("location")]
    if located:
        st.session_state["state"] = sorted(set(located))


f = current_filters()
st.title(tr("page_map"))
sample_banner()

labels = {
    "members": tr("measure_members"),
    "tier": tr("measure_tier"),
    "plants": tr("measure_plants"),
    "per_plant": tr("measure_per_plant"),
}
c1, c2, c3, c4 = st.columns([2, 1, 1, 1])
urlstate.restore("measure", {m: m for m in MEASURES}, default="members")
measure = c1.segmented_control(tr("measure"), MEASURES, format_func=labels.get, key="measure")
measure = measure or "members"
urlstate.publish("measure", measure, default="members")
tier = None
if measure == "tier":
    tiers = tier_labels()
    urlstate.restore("map_tier", {k.casefold(): k for k in tiers})
    tier = c1.selectbox(
        tr("measure_tier_pick"), list(tiers), format_func=tiers.get, key="map_tier", placeholder=tr("choose_one")
    )
    urlstate.publish("map_tier", tier, default=next(iter(tiers)))
show_plants = c2.toggle(tr("show_plants"), value=True, key="plants_layer", bind="query-params")
show_members = auth.viewer().sees_members and c3.toggle(
    tr("show_members"), value=True, key="members_layer", bind="query-params"
)  # member points are for network staff only
basemap = c4.toggle(tr("basemap"), value=False, key="basemap")

members = data.members_by_state(f, tier)
plants_by_state = data.plants_by_state(f)
values = members[["cve_ent", "state"]].copy()
if measure in ("members", "tier"):
    values["value"] = members["members"]
elif measure == "plants":
    values["value"] = plants_by_state["plants"]
else:
    values["value"] = (members["members"] / plants_by_state["plants"].where(plants_by_state["plants"] > 0)).round(1)
sources = [members_source(), tr("src_plants"), tr("src_boundaries"), tr("src_corridors")]
title = tr("map_title", measure=labels[measure] + (f" ({tier_label(tier)})" if tier else ""))

corridors = data.corridor_shapes(f.include_optional, lang())
center, zoom = None, None
if f.corridor:
    chosen = corridors[corridors["corridor_id"] == f.corridor]
    center, zoom = figures.view_of([json.loads(g) for g in chosen["geojson"]])
fig = figures.state_choropleth(
    values, data.state_geojson(), title, labels[measure], members_source(), center=center, zoom=zoom, basemap=basemap
)
if show_members:
    figures.add_member_points(fig, data.members_by_place(f), tr("members_point"))
plants = data.plants(f)
if show_plants:
    figures.add_plants(
        fig, plants, {"operating": tr("legend_operating"), "closed": tr("legend_closed"), "paused": tr("legend_paused")}
    )
figures.add_corridors(fig, corridors if not f.corridor else corridors[corridors["corridor_id"] == f.corridor])

if values["value"].fillna(0).eq(0).all():
    st.info(tr("empty"))
chart(fig, sources, key="map_chart", on_select=select_state)
st.caption(tr("map_click_hint"))
if auth.page_open("suppliers"):  # the supply-gap map is drawn by corridor on /suppliers
    gap = f.processes[0] if f.processes else "stamping"
    st.page_link(
        "views/suppliers.py",
        label=tr("map_gaps_link"),
        icon="🧭",
        query_params={"process": list(f.processes) or [gap], "gap_process": gap},
    )

st.subheader(tr("plants_table"))
if plants.empty:
    st.caption(tr("no_plants"))
else:
    st.dataframe(
        plants.assign(status=plants["status"].map(lambda v: value(v, lang())))[
            [
                "company",
                "plant_name",
                "municipality",
                "state",
                "segment",
                "status",
                "start_year",
                "coord_quality",
                "source",
            ]
        ],
        hide_index=True,
        column_config={
            "company": tr("company"),
            "plant_name": tr("plant"),
            "municipality": tr("municipality"),
            "state": tr("state"),
            "segment": tr("segment"),
            "status": tr("status"),
            "start_year": st.column_config.NumberColumn(tr("start_year"), format="%d"),
            "coord_quality": tr("coords"),
            "source": tr("source"),
        },
    )
