"""Specialisation: where the automotive supply base is concentrated (location quotients on DENUE) and how
it is changing between two editions: a map, the ranked regions with the counts behind every LQ, and the
portfolio chart."""

import streamlit as st

from ui import data, urlstate
from ui.common import chart, current_filters, lang, sources_markdown, tr
from valuechain import figures
from valuechain.i18n import named
from valuechain.visible import LEVELS, MEASURES, MIN_ESTABLISHMENTS

f = current_filters()
st.title(tr("page_specialisation"))
st.caption(tr("lq_intro"))
if data.denue_is_sample():
    st.warning(tr("denue_sample_banner"), icon="⚠️")

editions = data.denue_editions()
if not editions:
    st.info(tr("no_denue"))
    st.stop()
c1, c2, c3, c4 = st.columns(4)
urlstate.restore("level", {k: k for k in LEVELS}, default="state")
level = c1.segmented_control(tr("lq_level"), LEVELS, format_func=lambda k: tr(named("level", k)), key="level")
level = level or "state"
urlstate.publish("level", level, default="state")
urlstate.restore("measure_lq", {k: k for k in MEASURES})
measure = c2.radio(tr("lq_measure"), list(MEASURES), format_func=lambda k: tr(named("lq", k)), key="measure_lq")
urlstate.publish("measure_lq", measure, default="establishments")
urlstate.restore("edition", {e: e for e in editions}, default=editions[-1])
edition = c3.selectbox(tr("edition"), editions, key="edition", placeholder=tr("choose_one"))
urlstate.publish("edition", edition, default=editions[-1])
older = [e for e in editions if e < edition]
if st.session_state.get("base") not in [None, *older]:  # a base newer than the edition chosen now
    del st.session_state["base"]
urlstate.restore("base", {e: e for e in older}, default=older[-1] if older else None)
base = c4.selectbox(
    tr("base_edition"),
    [None, *older],
    format_func=lambda e: tr("no_base") if e is None else e,
    key="base",
    placeholder=tr("choose_one"),
)
urlstate.publish("base", base, default=older[-1] if older else None)

codes = tuple(f.scian)  # the sidebar's SCIAN classes; all automotive and supplier classes when none
regions = data.location_quotients(level, codes, measure, edition, base, lang())
employment = data.location_quotients(level, codes, "employment", edition, None, lang())
regions = regions.merge(employment[["region_id", "e_ir"]].rename(columns={"e_ir": "employment"}), on="region_id")
if f.states and level != "corridor":
    regions = regions[regions["region_id"].str[:2].isin(f.states)]
if f.corridor and level == "corridor":
    regions = regions[regions["region_id"] == f.corridor]
small = regions["e_r"] < MIN_ESTABLISHMENTS if measure == "establishments" else regions["e_r"] < MIN_ESTABLISHMENTS * 3
sources = [sources_markdown("N11; S141"), tr("lq_estimate") if measure == "employment" else ""]
title = tr("lq_map_title", level=tr(named("level", level)).lower(), edition=edition)

if regions.empty:
    st.info(tr("empty"))
    st.stop()
shown = regions.assign(lq=regions["lq"].where(~small))
if level == "state":
    values = shown.rename(columns={"region_id": "cve_ent", "region_name": "state", "lq": "value"})
    fig = figures.state_choropleth(values, data.state_geojson(), title, "LQ", tr("lq_hover"), height=520)
elif level == "municipality":
    values = shown.rename(columns={"region_id": "cve_ent", "region_name": "state", "lq": "value"})
    fig = figures.state_choropleth(
        values,
        data.municipal_geojson(tuple(values["cve_ent"])),
        title,
        "LQ",
        tr("lq_hover"),
        height=520,
        id_property="cvegeo",
    )
    figures.add_state_outlines(fig, data.state_geojson())
else:
    fig = figures.state_choropleth(
        regions.assign(cve_ent="", state="", value=0)[["cve_ent", "state", "value"]],
        data.state_geojson(),
        title,
        "",
        "",
        height=520,
    )
    corridors = data.corridor_shapes(f.include_optional, lang()).merge(
        regions[["region_id", "lq"]], left_on="corridor_id", right_on="region_id"
    )
    figures.add_corridors(
        fig, corridors.assign(name=corridors["name"] + " · LQ " + corridors["lq"].round(2).astype(str))
    )
chart(fig, [s for s in sources if s])
st.caption(tr("lq_small", n=MIN_ESTABLISHMENTS))

st.subheader(tr("lq_table"))
table = regions.sort_values("lq", ascending=False)
columns = ["region_name", "lq", "e_ir", "e_r", "e_i", "e"] + (["growth_pct"] if base else [])
styled = (
    table[columns]
    .style.apply(lambda row: ["color: #9e9e9e" if small[row.name] else "" for _ in row], axis=1)
    .format(
        {
            "lq": "{:.2f}",
            "e_ir": "{:,.0f}",
            "e_r": "{:,.0f}",
            "e_i": "{:,.0f}",
            "e": "{:,.0f}",
            "growth_pct": "{:+.1f}",
        },
        na_rep="—",
    )
)
st.dataframe(
    styled,
    hide_index=True,
    width="stretch",
    column_config={
        "region_name": tr(named("level", level)),
        "lq": "LQ",
        "e_ir": tr("lq_e_ir"),
        "e_r": tr("lq_e_r"),
        "e_i": tr("lq_e_i"),
        "e": tr("lq_e"),
        "growth_pct": tr("lq_growth", base=base or ""),
    },
)
st.caption(tr("lq_formula"))

if base:
    st.subheader(tr("portfolio_title"))
    labels = {"lq": tr("portfolio_x"), "growth": tr("lq_growth", base=base), "employment": tr("lq_employment")}
    chart(figures.portfolio(regions[~small], labels, tr("portfolio_title")), [s for s in sources if s])
    st.caption(tr("portfolio_caption"))
