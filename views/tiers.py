"""Tiers: distribution by cluster, state or corridor; supply depth; coverage of the key processes."""

from dataclasses import replace

import streamlit as st

from ui.common import (
    cached,
    cached_figure,
    chart,
    current_filters,
    lang,
    members_source,
    sample_banner,
    tier_labels,
    tr,
)

THIN = 10  # fewer local suppliers than this in a key process is called out

f = current_filters()
st.title(tr("page_tiers"))
sample_banner()

groups = {"cluster": tr("by_cluster"), "state": tr("by_state"), "corridor": tr("by_corridor")}
group = (
    st.segmented_control(
        tr("group_by"), list(groups), default="cluster", format_func=groups.get, key="group", bind="query-params"
    )
    or "cluster"
)
counts = cached("tier_counts", group, f)
counts = counts.assign(grp=counts["grp"].fillna(tr("outside_corridors")))
if counts.empty:
    st.info(tr("empty"))
    st.stop()
title = tr("tiers_title", group=groups[group].lower())
chart(cached_figure("tier_bars", counts, title, groups[group], tr("members_axis"), tier_labels()), [members_source()])

process_names = cached("options", lang())["process"]
sunburst = cached_figure(
    "hierarchy_sunburst",
    cached("hierarchy", f),
    tr("hierarchy_title"),
    tr("outside_corridors"),
    tier_labels(),
    process_names,
)
chart(sunburst, [members_source(), tr("src_corridors")])

# Depth and coverage compare tiers with each other, so the tier filter does not narrow them.
across_tiers = replace(f, tiers=())
st.subheader(tr("depth_title"))
if f.tiers:
    st.info(tr("tier_filter_not_applied"))
depth = cached("supply_depth", across_tiers)
st.dataframe(
    depth[["corridor", "buyers", "suppliers", "per_buyer"]],
    hide_index=True,
    column_config={
        "corridor": tr("corridor"),
        "buyers": tr("buyers"),
        "suppliers": tr("suppliers"),
        "per_buyer": st.column_config.NumberColumn(tr("depth"), format="%.2f"),
    },
)
st.caption(tr("depth_caption") + " " + tr("source_line", sources=members_source()))

st.subheader(tr("coverage_title"))
coverage = cached("process_coverage", across_tiers)
name = "name_en" if lang() == "en" else "name_es"
pivot = coverage.pivot_table(index=name, columns="corridor", values="suppliers", aggfunc="sum")
st.dataframe(pivot, width="stretch")
thin = coverage[coverage["suppliers"] < THIN]
if thin.empty:
    st.success(tr("no_thin", n=THIN))
else:
    items = [f"{r.corridor}: {getattr(r, name).lower()} ({r.suppliers})" for r in thin.itertuples()]
    st.warning(tr("thin", n=THIN, items="; ".join(items)))
st.caption(tr("coverage_caption") + " " + tr("source_line", sources=f"{members_source()}; N9"))
